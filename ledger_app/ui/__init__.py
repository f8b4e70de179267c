"""The Qt GUI. The only package of ledger_app that imports Qt."""

from . import qt_fixes as _qt_fixes  # noqa: F401 (applied on import: PySide6 6.12.0 signal refcount bug)
