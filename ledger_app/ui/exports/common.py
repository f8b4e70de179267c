"""What every export shares: the month picker, where files go, and "done — open it?".

The folder a clerk last saved into is remembered on this PC (QSettings), so next month's report
lands beside last month's; the first time it is the Documents folder.
"""

from __future__ import annotations

import atexit
import logging
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QDir, QProcess, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDateTimeEdit, QFileDialog, QMessageBox, QPushButton, QWidget

from ledger_app.domain.errors import CancelledError
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.store.file_names import windows_safe_name
from ledger_app.ui import settings_store
from ledger_app.ui.errors import show_error
from ledger_app.ui.workers import run_task

log = logging.getLogger(__name__)

MONTH_FORMAT = "yyyy年M月"
XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
PDF_FILTER = "PDF 文件 (*.pdf)"

_temp_dir: Path | None = None


# -- months ---------------------------------------------------------------------------------------
def setup_month_edit(edit: QDateTimeEdit, year: int, month: int) -> None:
    """A QDateEdit that shows and steps whole months ("2026年10月"); the arrows change the month."""
    edit.setDisplayFormat(MONTH_FORMAT)
    edit.setCalendarPopup(False)  # a day grid invites picking a day, which means nothing here
    edit.setMinimumDate(QDate(2000, 1, 1))
    edit.setMaximumDate(QDate(date.today().year + 1, 12, 1))
    edit.setDate(QDate(year, month, 1))
    edit.setCurrentSection(QDateTimeEdit.Section.MonthSection)


def month_of(edit: QDateTimeEdit) -> tuple[int, int]:
    value = edit.date()
    return value.year(), value.month()


def month_text(year: int, month: int) -> str:
    return f"{year}年{month}月"


# -- folders and file names -------------------------------------------------------------------------
def documents_folder() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(location) if location else Path.home()


def export_folder() -> Path:
    """Where the last export was saved, if it still exists; else the Documents folder."""
    value = settings_store.store().value(settings_store.EXPORT_FOLDER, "")
    folder = Path(str(value)) if value else None
    return folder if folder is not None and folder.is_dir() else documents_folder()


def remember_folder(path: Path) -> None:
    folder = path if path.is_dir() else path.parent
    settings_store.store().setValue(settings_store.EXPORT_FOLDER, str(folder))


def safe_file_name(name: str, suffix: str) -> str:
    """``name`` + ``suffix`` as a name every Windows PC accepts (no ``/ : ?``, not too long)."""
    return windows_safe_name(f"{name}{suffix}")


def with_suffix(path: Path, suffix: str) -> Path:
    """The chosen path with ``suffix``: Qt's own file dialog does not add it when the clerk omits it."""
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def ask_save_path(
    parent: QWidget, title: str, default_name: str, file_filter: str, suffix: str
) -> Path | None:
    """A save-as dialog starting in the export folder (the dialog itself asks before overwriting)."""
    start = export_folder() / default_name
    chosen, _selected_filter = QFileDialog.getSaveFileName(parent, title, str(start), file_filter)
    if not chosen:
        return None
    path = with_suffix(Path(chosen), suffix)
    remember_folder(path)
    return path


def ask_folder(parent: QWidget, title: str) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(parent, title, str(export_folder()))
    if not chosen:
        return None
    path = Path(chosen)
    remember_folder(path)
    return path


def temp_pdf_path(name: str) -> Path:
    """A path in this session's scratch folder (removed at exit) for PDFs made only to preview or print."""
    global _temp_dir
    if _temp_dir is None:
        _temp_dir = Path(tempfile.mkdtemp(prefix="ledger_forms_"))
        atexit.register(shutil.rmtree, _temp_dir, ignore_errors=True)
    base = _temp_dir / safe_file_name(Path(name).stem, ".pdf")
    path, number = base, 1
    while path.exists():  # an earlier preview may still be open in the system viewer
        number += 1
        path = base.with_name(f"{base.stem}-{number}.pdf")
    return path


# -- opening what was written -------------------------------------------------------------------------
def open_file(parent: QWidget | None, path: Path) -> bool:
    """Open ``path`` with the program the PC associates with it (Excel/WPS, a PDF viewer)."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    QMessageBox.warning(
        parent,
        "无法打开文件",
        f"没有找到可以打开此文件的程序:\n{path}\n\n请安装相应的软件(如 WPS、Excel 或 PDF 阅读器)后再试。",
    )
    return False


def explorer_select_arguments(path: Path) -> str:
    """Explorer's command line for "show this file selected", quoted whatever the name holds.

    Explorer splits its arguments at commas: ``/select,C:\\a,b.pdf`` selects "C:\\a". The path goes in
    double quotes, always (a path cannot contain a double quote on Windows).
    """
    return f'/select,"{QDir.toNativeSeparators(str(path))}"'


def _explorer_select(path: Path) -> bool:
    # Native arguments: QProcess would quote "/select," and the path separately, and leaves a path
    # without spaces unquoted, commas and all.
    process = QProcess()
    process.setProgram("explorer.exe")
    process.setNativeArguments(explorer_select_arguments(path))  # type: ignore[attr-defined]  # Windows only
    started = process.startDetached()
    return bool(started[0] if isinstance(started, tuple) else started)


def open_folder(parent: QWidget | None, path: Path) -> bool:
    """Show the folder of ``path``; on Windows Explorer also selects the file."""
    if sys.platform == "win32" and path.is_file() and _explorer_select(path):
        return True
    folder = path if path.is_dir() else path.parent
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
        return True
    QMessageBox.warning(parent, "无法打开文件夹", f"无法打开文件夹:\n{folder}")
    return False


class ResultBox(QMessageBox):
    """Work is done: what was written, any warnings, and 打开文件 / 打开所在文件夹 / 关闭.

    For a folder (a batch of files) the buttons are 打开文件夹 / 关闭. Shown with ``open()`` (not ``exec()``): the window stays usable, and tests can find and click it.
    ``extra`` adds buttons before 打开文件, e.g. ("预览", callback) for a PDF.
    """

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        text: str,
        path: Path,
        *,
        warnings: Sequence[str] = (),
        extra: Sequence[tuple[str, Callable[[], object]]] = (),
    ) -> None:
        super().__init__(parent)
        self.path = path
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # shown with open(): nobody else frees it
        self.setWindowTitle(title)
        self.setIcon(QMessageBox.Icon.Warning if warnings else QMessageBox.Icon.Information)
        self.setText(text)
        if warnings:
            shown = list(warnings[:8])
            more = f"\n……另有 {len(warnings) - len(shown)} 条" if len(warnings) > len(shown) else ""
            self.setInformativeText("请注意:\n" + "\n".join(shown) + more)
            self.setDetailedText("\n".join(warnings))
        self.actions_by_button: dict[QPushButton, Callable[[], object]] = {}
        for label, callback in extra:
            self._add(label, callback)
        if path.is_dir():  # a batch of files: the folder is the thing to open
            self.open_button = self._add("打开文件夹", lambda: open_folder(parent, path))
        else:
            self.open_button = self._add("打开文件", lambda: open_file(parent, path))
            self._add("打开所在文件夹", lambda: open_folder(parent, path))
        self.close_button = self.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.open_button)
        self.setEscapeButton(self.close_button)
        self.buttonClicked.connect(self._clicked)

    def _add(self, label: str, callback: Callable[[], object]) -> QPushButton:
        button = self.addButton(label, QMessageBox.ButtonRole.ActionRole)
        self.actions_by_button[button] = callback
        return button

    def _clicked(self, button: object) -> None:
        callback = self.actions_by_button.get(button)  # type: ignore[call-overload]
        if callback is not None:
            callback()

    def button_labelled(self, label: str) -> QPushButton:
        for button in self.buttons():
            if button.text() == label:
                return button  # type: ignore[return-value]
        raise LookupError(label)


# -- writing in a worker ------------------------------------------------------------------------------
def task_summary(description: str, limit: int = 30) -> str:
    """The first line of a 问题描述, cut for a file name or a list."""
    text = description.strip()
    first = text.splitlines()[0].strip() if text else ""
    return first if len(first) <= limit else first[: limit - 1] + "…"


def write_in_worker(
    parent: QWidget,
    write: Callable[[ProgressFn, CancelFn], object],
    *,
    progress_title: str,
    error_title: str,
    on_done: Callable[[object], None],
) -> None:
    """Run ``write`` off the UI thread; a LedgerError shows its Chinese message, 取消 just ends quietly."""

    def failed(exc: BaseException) -> None:
        if not isinstance(exc, CancelledError):
            show_error(parent, exc, error_title)

    run_task(parent, write, on_done=on_done, on_error=failed, progress_title=progress_title)
