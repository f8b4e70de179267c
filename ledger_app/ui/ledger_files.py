"""Choosing, opening and copying ledger files from the GUI: the file dialogs and what a refused file offers.

A file that is not a ledger, or one from a newer release, is not a crash: the clerk reads why and may
open another file or start a new ledger instead.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMessageBox, QWidget

from ledger_app.domain.errors import (
    DiskFullError,
    LedgerError,
    LedgerLockedError,
    NewerLedgerError,
    NotALedgerError,
    ReadOnlyStorageError,
    ValidationError,
)
from ledger_app.services import Ledger
from ledger_app.services.first_read import FirstRead, first_read
from ledger_app.store.location import NETWORK_WARNING_ZH, is_network_path

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


def offer_backup(parent: QWidget | None, path: Path, message: str, actor: str) -> bool:
    """A ledger that cannot be read: restore it from its newest good backup? True when restored.

    The damaged file is kept beside it (``-damaged.sqlite3``), and the current state is backed up
    first, so saying yes loses nothing.
    """
    from ledger_app.services.backups import restore_backup
    from ledger_app.store.backup import list_backups

    if not path.exists():
        return False
    good = next((b for b in list_backups(path) if not b.damaged), None)
    if good is None:
        return False
    answer = QMessageBox.question(
        parent,
        "台账无法打开",
        f"{message}\n\n找到最近的完好备份:{good.taken_at:%Y-%m-%d %H:%M}({good.reason_label},"
        f"{good.tasks} 项任务)。\n是否用它恢复台账?损坏的文件会保留在原处备查。",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result = restore_backup(path, good.path, actor=actor)  # well under a second: no worker needed
    except LedgerError as error:
        show_error(parent, error, "无法从备份恢复")
        return False
    finally:
        QGuiApplication.restoreOverrideCursor()
    QMessageBox.information(parent, "已从备份恢复", result.summary())
    return True


def ask_read_only(parent: QWidget | None, title: str, message: str) -> bool:
    """Another program holds the ledger, or it cannot be written: open it read-only instead?"""
    answer = QMessageBox.question(
        parent,
        title,
        f"{message}\n\n是否以只读方式打开(可以查看、导出和打印,不能修改)?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    return answer == QMessageBox.StandardButton.Yes


def open_ledger(
    parent: QWidget | None, path: Path, *, create: bool, actor: str, first: bool = False
) -> Ledger | FirstRead | None:
    """Open (or create) a ledger; on a refused file offer another one. None: the clerk gave up.

    A ledger another program holds, or one on read-only media, is offered read-only. ``first`` (start-up):
    try the read without SQLAlchemy first (services/first_read.py), which refuses a file as
    ``Ledger.open`` would; its FirstRead holds the lock and the list, and opens the Ledger later.
    """
    read_only = False
    while True:
        try:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                if first and not (create or read_only):
                    found = first_read(path, actor=actor)
                    if found is not None:
                        return found
                # Fast unless an old ledger is upgraded (database.py backs it up first): a wait cursor is enough.
                return Ledger.open(path, create=create, actor=actor, read_only=read_only)
            finally:
                QGuiApplication.restoreOverrideCursor()
        except LedgerLockedError as exc:
            if not ask_read_only(parent, "台账已在别处打开", exc.message_zh):
                return None
            read_only = True
        except (ReadOnlyStorageError, DiskFullError) as exc:
            if read_only or create:  # even reading failed, or a new ledger cannot be made there
                show_error(parent, exc, "无法打开台账")
                return None
            if not ask_read_only(parent, "台账不能写入", exc.message_zh):
                return None
            read_only = True
        except (NotALedgerError, NewerLedgerError) as exc:
            if isinstance(exc, NotALedgerError) and offer_backup(parent, path, exc.message_zh, actor):
                continue  # restored from the newest good backup: open it
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


def show_storage_state(window: QMainWindow, ledger: Ledger) -> None:
    """Say in the status bar that the ledger is read-only, and warn once about a network share."""
    label = window.findChild(QLabel, "readOnlyLabel")
    if label is None:
        label = QLabel(window)
        label.setObjectName("readOnlyLabel")
        label.setStyleSheet("QLabel { color: white; background: #c0392b; padding: 1px 8px; }")
        window.statusBar().addPermanentWidget(label)
    label.setText("只读:不能修改")
    label.setToolTip("台账以只读方式打开(另一程序正在使用它,或文件不能写入)。要修改,请关闭后重新打开。")
    label.setVisible(ledger.read_only)
    if is_network_path(ledger.path) and str(ledger.path) not in _WARNED_SHARES:
        _WARNED_SHARES.add(str(ledger.path))
        QMessageBox.warning(window, "台账在网络共享文件夹上", NETWORK_WARNING_ZH)


_WARNED_SHARES: set[str] = set()
