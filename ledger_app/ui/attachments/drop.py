"""Dropping files and folders from Explorer (or a USB stick's window) onto a widget.

Always a copy: Explorer proposes "move" when Shift is held or the drag comes from another drive's
window and then deletes the source once the drop is accepted as a move. Evidence must stay on the
stick it came from, so every drop here is accepted as ``CopyAction`` only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QWidget

DropFn = Callable[[list[Path], QPoint], None]
AcceptFn = Callable[[QPoint], bool]
HoverFn = Callable[[QPoint | None, list[Path]], None]


def local_paths(mime: QMimeData | None) -> list[Path]:
    """The local files and folders in a drag (web links and the like are not evidence files)."""
    if mime is None or not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]
    return list(dict.fromkeys(paths))


def file_mime(paths: list[Path]) -> QMimeData:
    """What Explorer puts in a drag of these files (tests and benchmarks build drops with it)."""
    from PySide6.QtCore import QUrl

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


class FileDropFilter(QObject):
    """An event filter that makes ``target`` take dropped files; the target's own drag handling
    (none, for our views) never sees them.

    ``accept_at(pos)`` may refuse some places (the empty area under a list's last row);
    ``on_hover(pos, paths)`` is told where the drag is (``None``: it left or was dropped).
    """

    def __init__(
        self,
        target: QWidget,
        on_drop: DropFn,
        *,
        accept_at: AcceptFn | None = None,
        on_hover: HoverFn | None = None,
        enabled: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(target)
        self.target = target
        self._on_drop = on_drop
        self._accept_at = accept_at
        self._on_hover = on_hover
        self._enabled = enabled
        target.setAcceptDrops(True)
        target.installEventFilter(self)

    def _wanted(self, event: QDropEvent) -> list[Path]:
        if self._enabled is not None and not self._enabled():
            return []
        paths = local_paths(event.mimeData())
        if paths and self._accept_at is not None and not self._accept_at(event.position().toPoint()):
            return []
        return paths

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(event, QDragMoveEvent):
            paths = self._wanted(event)
            if paths:
                event.setDropAction(Qt.DropAction.CopyAction)
                event.accept()
            else:
                event.ignore()
            if self._on_hover is not None:
                self._on_hover(event.position().toPoint() if paths else None, paths)
            return True
        if kind == QEvent.Type.DragLeave:
            if self._on_hover is not None:
                self._on_hover(None, [])
            return False
        if kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            paths = self._wanted(event)
            if self._on_hover is not None:
                self._on_hover(None, [])
            if not paths:
                event.ignore()
                return True
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            pos = event.position().toPoint()
            # After the drop returns: on Windows Explorer waits inside the drag until it does, so a
            # question box or a progress dialog opened from here would freeze Explorer meanwhile.
            QTimer.singleShot(0, lambda: self._on_drop(paths, pos))
            return True
        return False
