"""The task panel: the tabs that show and edit the task selected in the main window's list."""

from .panel import TaskPanel

__all__ = ["TaskPanel"]
