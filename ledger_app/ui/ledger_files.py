"""Choosing, opening and copying ledger files from the GUI: the file dialogs and what a refused file offers.

A file that is not a ledger, or one from a newer release, is not a crash: the clerk reads why and may
open another file or start a new ledger instead.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ledger_app.domain.errors import LedgerError, NewerLedgerError, NotALedgerError, ValidationError
from ledger_app.services import Ledger

from .errors import show_error

FILE_FILTER = "整改台账 (*.sqlite3 *.db);;所有文件 (*)"
SUFFIX = ".sqlite3"


def _start_dir(near: Path | None) -> str:
    return str(near.parent) if near is not None else str(Path.home())


def ask_open_path(parent: QWidget | None, near: Path | None = None) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "打开台账", _start_dir(near), FILE_FILTER)
    return Path(name) if name else None


def ask_new_path(parent: QWidget | None, near: Path | None = None) -> Path | None:
    """Where to create a new ledger; an existing file is never overwritten."""
    start = str(Path(_start_dir(near)) / f"整改台账{SUFFIX}")
    name, _ = QFileDialog.getSaveFileName(
        parent, "新建台账", start, FILE_FILTER, options=QFileDialog.Option.DontConfirmOverwrite
    )
    if not name:
        return None
    path = Path(name)
    if not path.suffix:
        path = path.with_suffix(SUFFIX)
    if path.exists():
        QMessageBox.warning(
            parent,
            "新建台账",
            f"文件已存在:{path}\n\n新建台账不会覆盖已有文件。请换一个文件名,或用“打开台账”打开它。",
        )
        return None
    return path


def ask_copy_path(parent: QWidget | None, ledger_path: Path) -> Path | None:
    """Where to save a copy (另存副本) of the open ledger; never the ledger itself."""
    start = ledger_path.with_name(f"{ledger_path.stem}-副本-{date.today():%Y%m%d}{SUFFIX}")
    name, _ = QFileDialog.getSaveFileName(parent, "另存副本", str(start), FILE_FILTER)
    if not name:
        return None
    path = Path(name)
    if not path.suffix:
        path = path.with_suffix(SUFFIX)
    if path.resolve() == ledger_path.resolve():
        show_error(
            parent, ValidationError("副本不能保存为正在使用的台账文件本身,请换一个文件名。", "same file")
        )
        return None
    return path


def ask_alternative(parent: QWidget | None, message: str) -> str:
    """After a refused file: "open" another, "new" ledger, or "cancel"."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("无法打开台账")
    box.setText(message)
    box.setInformativeText("可以打开另一个台账文件,或者新建一个台账。")
    open_button = box.addButton("打开其他台账…", QMessageBox.ButtonRole.AcceptRole)
    new_button = box.addButton("新建台账…", QMessageBox.ButtonRole.ActionRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_button)
    box.exec()
    clicked = box.clickedButton()
    if clicked is open_button:
        return "open"
    if clicked is new_button:
        return "new"
    return "cancel"


def open_ledger(parent: QWidget | None, path: Path, *, create: bool, actor: str) -> Ledger | None:
    """Open (or create) a ledger; on a refused file offer another one. None: the clerk gave up."""
    while True:
        try:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                # Fast unless an old ledger is upgraded (database.py backs it up first): a wait cursor is enough.
                return Ledger.open(path, create=create, actor=actor)
            finally:
                QGuiApplication.restoreOverrideCursor()
        except (NotALedgerError, NewerLedgerError) as exc:
            choice = ask_alternative(parent, exc.message_zh)
            if choice == "open":
                chosen = ask_open_path(parent, path)
                create = False
            elif choice == "new":
                chosen = ask_new_path(parent, path)
                create = True
            else:
                return None
            if chosen is None:
                return None
            path = chosen
        except LedgerError as exc:
            show_error(parent, exc, "无法打开台账")
            return None
        except OSError as exc:  # a folder that cannot be created, a locked file, …
            show_error(
                parent,
                LedgerError(f"无法打开台账文件:{path}\n{exc.strerror or exc}", str(exc)),
                "无法打开台账",
            )
            return None
