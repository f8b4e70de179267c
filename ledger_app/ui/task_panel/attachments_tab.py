"""佐证材料: the evidence files of a task, with thumbnails; add (buttons or drag and drop), open, show in
folder, save a copy, describe, remove and restore.

Two views of one model: the details table (thumbnail, name, size, date, who, description: edited in
place) and a grid of large thumbnails. The grid shows the table's own model and shares its selection,
so every action works the same in both. Files are copied into the ledger's attachment store by the
services; this tab never touches a file path of the store itself.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QPoint, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ledger_app.domain.errors import LedgerError
from ledger_app.domain.records import TaskRecord
from ledger_app.services import Ledger
from ledger_app.services.attachment_base import AttachmentInfo
from ledger_app.services.attachments import AddReport
from ledger_app.store.attachments import format_size
from ledger_app.ui.attachments import files_out
from ledger_app.ui.attachments.adding import add_files
from ledger_app.ui.attachments.drop import FileDropFilter
from ledger_app.ui.attachments.file_icons import ICON_CANVAS, file_icon, placeholder_icon
from ledger_app.ui.attachments.thumbnails import ThumbnailLoader
from ledger_app.ui.forms import form_child as child
from ledger_app.ui.forms import load_form
from ledger_app.ui.layout_fit import reflow_box
from ledger_app.ui.workers import TaskHandle

from .widgets import HINT_COLOUR, TaskTab, confirm, hint, set_style

log = logging.getLogger(__name__)

COL_NAME, COL_SIZE, COL_ADDED, COL_BY, COL_DESCRIPTION = range(5)
IdRole = Qt.ItemDataRole.UserRole  # on the name cell: the attachment id
LIST_ICON = QSize(64, 48)
GRID_ICON = QSize(150, 112)
GRID_CELL = QSize(176, 168)
DELETED_COLOUR = "#9aa0a6"
DROP_COLOUR = "#1f6fc5"
DROP_HINT = "可把文件或文件夹拖到这里添加"

_last_folder: str = ""  # where the clerk last picked files this session (a USB stick, usually)


def human_size(size: int) -> str:
    """1536 → "1.5 KB": what a clerk reads in Explorer."""
    return format_size(size)


class AttachmentsTab(TaskTab):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(ledger, parent)
        self.form = load_form("task_attachments", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        for row in ("buttonsLayout", "fileActionsLayout"):  # wrap on a narrow panel, never clipped
            reflow_box(self.form.layout(), child(self.form, QHBoxLayout, row))
        self.infos: list[AttachmentInfo] = []
        self._rows_by_sha: dict[str, list[int]] = {}
        self._loading = False
        self._pending_description: tuple[int, str] | None = None
        self._select_after: set[int] = set()
        self._shown_task: int | None = None
        self.add_handle: TaskHandle | None = None  # the add running (or last run) in the background

        self.count_label = child(self.form, QLabel, "countLabel")
        self.drop_hint = child(self.form, QLabel, "dropHintLabel")
        hint(self.drop_hint, DROP_HINT)
        self.show_deleted_check = child(self.form, QCheckBox, "showDeletedCheck")
        self.stack = child(self.form, QStackedWidget, "viewStack")
        self.table = child(self.form, QTableWidget, "attachmentsTable")
        self.grid = child(self.form, QListView, "thumbnailView")
        self.details_button = child(self.form, QToolButton, "detailsViewButton")
        self.grid_button = child(self.form, QToolButton, "gridViewButton")
        self._setup_views()

        self.add_files_button = child(self.form, QPushButton, "addFilesButton")
        self.add_folder_button = child(self.form, QPushButton, "addFolderButton")
        self.open_button = child(self.form, QPushButton, "openButton")
        self.show_in_folder_button = child(self.form, QPushButton, "showInFolderButton")
        self.save_as_button = child(self.form, QPushButton, "saveAsButton")
        self.edit_description_button = child(self.form, QPushButton, "editDescriptionButton")
        self.delete_button = child(self.form, QPushButton, "deleteButton")
        self.restore_button = child(self.form, QPushButton, "restoreButton")
        self._connect_buttons()

        self.thumbnails = ThumbnailLoader(self)
        self.thumbnails.set_store(ledger.attachments_dir)
        self.thumbnails.ready.connect(self._thumbnail_ready)
        self.drop_filters = [
            FileDropFilter(target, self._dropped, on_hover=self._drag_hover, enabled=self._can_add)
            for target in (self, self.table.viewport(), self.grid.viewport())
        ]
        self._update_buttons()

    # -- building -----------------------------------------------------------------------------
    def _setup_views(self) -> None:
        table = self.table
        header = table.horizontalHeader()
        # The panel is narrow: name and description share what the short columns leave. The short
        # ones get fixed widths from the font, not ResizeToContents, which re-measures every row on
        # each change (each arriving thumbnail): seconds for a task with 1,000 files.
        metrics = table.fontMetrics()
        for column, mode in (
            (COL_NAME, QHeaderView.ResizeMode.Stretch),
            (COL_SIZE, QHeaderView.ResizeMode.Interactive),
            (COL_ADDED, QHeaderView.ResizeMode.Interactive),
            (COL_BY, QHeaderView.ResizeMode.Interactive),
            (COL_DESCRIPTION, QHeaderView.ResizeMode.Stretch),
        ):
            header.setSectionResizeMode(column, mode)
        table.setColumnWidth(COL_SIZE, metrics.horizontalAdvance("1023.9 KB") + 24)
        table.setColumnWidth(COL_ADDED, metrics.horizontalAdvance("2026-11-23") + 24)
        table.setColumnWidth(COL_BY, metrics.horizontalAdvance("添加人") + 40)
        header.model().setHeaderData(
            COL_DESCRIPTION,
            Qt.Orientation.Horizontal,
            "双击说明即可编辑,按回车或点别处保存",
            Qt.ItemDataRole.ToolTipRole,
        )
        table.setIconSize(LIST_ICON)
        # Fixed heights: every row holds a thumbnail; long descriptions wrap and show whole as a tooltip.
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(LIST_ICON.height() + 10)
        table.itemChanged.connect(self._item_changed)
        table.doubleClicked.connect(self._double_clicked)

        grid = self.grid
        grid.setModel(table.model())
        grid.setModelColumn(COL_NAME)
        old = grid.selectionModel()
        grid.setSelectionModel(table.selectionModel())  # one selection: actions work in either view
        old.deleteLater()
        grid.setIconSize(GRID_ICON)
        grid.setGridSize(GRID_CELL)
        grid.doubleClicked.connect(self._double_clicked)
        table.selectionModel().selectionChanged.connect(lambda *_args: self._update_buttons())

        self.details_button.toggled.connect(lambda on: on and self.stack.setCurrentIndex(0))
        self.grid_button.toggled.connect(lambda on: on and self.stack.setCurrentIndex(1))
        self.show_deleted_check.toggled.connect(lambda _on: self.load(self.record))

    def _connect_buttons(self) -> None:
        self.add_files_button.clicked.connect(self.choose_files)
        self.add_folder_button.clicked.connect(self.choose_folder)
        self.open_button.clicked.connect(self.open_current)
        self.show_in_folder_button.clicked.connect(self.show_current_in_folder)
        self.save_as_button.clicked.connect(self.save_selected)
        self.edit_description_button.clicked.connect(self.edit_description)
        self.delete_button.clicked.connect(self.delete_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.context_actions: dict[str, QAction] = {}
        for text, slot, key in (
            ("打开", self.open_current, None),
            ("在文件夹中显示", self.show_current_in_folder, None),
            ("另存为…", self.save_selected, None),
            ("编辑说明", self.edit_description, QKeySequence(Qt.Key.Key_F2)),
            ("删除", self.delete_selected, QKeySequence(QKeySequence.StandardKey.Delete)),
            ("恢复", self.restore_selected, None),
        ):
            action = QAction(text, self)
            action.triggered.connect(lambda _checked=False, s=slot: s())
            if key is not None:
                action.setShortcut(key)
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.context_actions[text] = action
        for view in (self.table, self.grid):
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            view.addActions(list(self.context_actions.values()))

    # -- showing ------------------------------------------------------------------------------
    @property
    def show_deleted(self) -> bool:
        return self.show_deleted_check.isChecked()

    def set_ledger(self, ledger: Ledger) -> None:
        super().set_ledger(ledger)
        self.thumbnails.set_store(ledger.attachments_dir)

    def load(self, record: TaskRecord | None) -> None:
        super().load(record)
        infos: list[AttachmentInfo] = []
        if record is not None and record.id is not None:
            try:
                infos = self.ledger.attachments.list_attachments(record.id, include_deleted=self.show_deleted)
            except LedgerError as error:  # the task went away meanwhile: the panel deals with that
                log.info("cannot list attachments of %s: %s", record.id, error.message_en)
        task_id = record.id if record is not None else None
        if task_id != self._shown_task:
            self.thumbnails.cancel_pending()
            self._shown_task = task_id
            self.table.clearSelection()
        keep = self._select_after or {i.id for i in self.selected()}
        self._select_after = set()
        if infos != self.infos or self.table.rowCount() != len(infos):
            # The panel reloads every tab after any edit: a task with many files is only refilled
            # when its files changed.
            self._fill(infos)
            self._restore_selection(keep)
        elif keep != {i.id for i in self.selected()}:
            self._restore_selection(keep)
        self._show_counts()
        self._update_buttons()

    def _fill(self, infos: list[AttachmentInfo]) -> None:
        self.infos = infos
        self._rows_by_sha = {}
        wanted: list[str] = []
        self._loading = True
        table = self.table
        try:
            table.setRowCount(len(infos))
            for row, info in enumerate(infos):
                self._rows_by_sha.setdefault(info.sha256, []).append(row)
                for column, item in enumerate(self._items(info)):
                    table.setItem(row, column, item)
                if info.is_image and not self.thumbnails.known(info.sha256):
                    wanted.append(info.sha256)
        finally:
            self._loading = False
        self.thumbnails.request(wanted)

    def _items(self, info: AttachmentInfo) -> list[QTableWidgetItem]:
        name = QTableWidgetItem(info.name)
        name.setData(IdRole, info.id)
        name.setIcon(self._icon_for(info))
        name.setToolTip(self._tooltip(info))
        size = QTableWidgetItem(human_size(info.size))
        size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        size.setToolTip(f"{info.size:,} 字节")
        added = QTableWidgetItem(info.added_at.strftime("%Y-%m-%d") if info.added_at else "")
        if info.added_at:
            added.setToolTip(info.added_at.strftime("%Y-%m-%d %H:%M"))
        by = QTableWidgetItem(info.added_by)
        description = QTableWidgetItem(info.description)
        description.setToolTip(info.description or "双击填写说明")
        items = [name, size, added, by, description]
        plain = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        for item in items:
            item.setFlags(plain)
        if info.deleted_at is None:
            description.setFlags(plain | Qt.ItemFlag.ItemIsEditable)
        else:
            font = QFont(self.table.font())
            font.setStrikeOut(True)
            for item in items:
                item.setForeground(QBrush(QColor(DELETED_COLOUR)))
                item.setFont(font)
            added.setToolTip(f"已删除于 {info.deleted_at:%Y-%m-%d %H:%M},选中后点“恢复”可放回")
        return items

    def _icon_for(self, info: AttachmentInfo) -> QIcon:
        icon = self._live_icon_for(info)
        if info.deleted_at is None:
            return icon
        return QIcon(icon.pixmap(ICON_CANVAS, QIcon.Mode.Disabled))  # greyed, like the row's text

    def _live_icon_for(self, info: AttachmentInfo) -> QIcon:
        if info.is_image:
            icon = self.thumbnails.icon(info.sha256)
            if icon is not None:
                return icon
            if not self.thumbnails.known(info.sha256):
                return placeholder_icon()
        return file_icon(info.name)

    def _tooltip(self, info: AttachmentInfo) -> str:
        lines = [html.escape(info.name), f"{human_size(info.size)} · {html.escape(info.media_type)}"]
        if info.description:
            lines.append(html.escape(info.description))
        if info.deleted_at is not None:
            lines.append(f"已删除于 {info.deleted_at:%Y-%m-%d %H:%M}")
        thumb = self.thumbnails.path(info.sha256) if info.is_image else None
        picture = f'<img src="{html.escape(thumb.as_uri())}"><br>' if thumb is not None else ""
        return f"<div style='white-space:pre-wrap'>{picture}{'<br>'.join(lines)}</div>"

    def _thumbnail_ready(self, sha256: str) -> None:
        for row in self._rows_by_sha.get(sha256, []):
            item = self.table.item(row, COL_NAME)
            if item is None or row >= len(self.infos):
                continue
            info = self.infos[row]
            self._loading = True
            try:
                item.setIcon(self._icon_for(info))
                item.setToolTip(self._tooltip(info))
            finally:
                self._loading = False

    def _restore_selection(self, ids: set[int]) -> None:
        """Select the rows of ``ids`` in one go: row by row, each selection change re-reads the whole
        selection for the buttons, which made selecting 1,000 just-added files take 40 seconds."""
        if not ids:
            return
        model = self.table.model()
        last = model.columnCount() - 1
        selection = QItemSelection()
        rows = [row for row, info in enumerate(self.infos) if info.id in ids]
        start = 0
        for n in range(1, len(rows) + 1):  # contiguous runs of rows become one range each
            if n == len(rows) or rows[n] != rows[n - 1] + 1:
                selection.select(model.index(rows[start], 0), model.index(rows[n - 1], last))
                start = n
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().select(selection, flags)
        if rows:
            self.table.scrollTo(model.index(rows[0], 0))

    def _show_counts(self) -> None:
        live = [i for i in self.infos if i.deleted_at is None]
        removed = len(self.infos) - len(live)
        if self.record is None:
            text = ""
        elif live:
            images = sum(1 for i in live if i.is_image)
            text = f"共 {len(live)} 个文件(图片 {images} 张),合计 {human_size(sum(i.size for i in live))}。"
        else:
            text = "暂无佐证材料。可点“添加文件…”,或把文件拖到这里。"
        if removed:
            text += f" 另有 {removed} 个已删除。"
        hint(self.count_label, text)

    # -- selection ----------------------------------------------------------------------------
    def selected(self) -> list[AttachmentInfo]:
        """The selected files in list order (either view: they share one selection)."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedIndexes()})
        return [self.infos[r] for r in rows if r < len(self.infos)]

    def current(self) -> AttachmentInfo | None:
        """The file an open / show / edit acts on: the current row when selected, else the first selected."""
        picked = self.selected()
        row = self.table.currentIndex().row()
        if 0 <= row < len(self.infos) and self.infos[row] in picked:
            return self.infos[row]
        return picked[0] if picked else None

    def _update_buttons(self) -> None:
        picked = self.selected()
        live = [i for i in picked if i.deleted_at is None]
        has_task = self.record is not None
        states = {
            "打开": bool(picked),
            "在文件夹中显示": bool(picked),
            "另存为…": bool(picked),
            "编辑说明": len(live) == 1 and len(picked) == 1,
            "删除": bool(live),
            "恢复": len(live) < len(picked),
        }
        for button, key in (
            (self.open_button, "打开"),
            (self.show_in_folder_button, "在文件夹中显示"),
            (self.save_as_button, "另存为…"),
            (self.edit_description_button, "编辑说明"),
            (self.delete_button, "删除"),
            (self.restore_button, "恢复"),
        ):
            button.setEnabled(states[key])
            self.context_actions[key].setEnabled(states[key])
        self.restore_button.setVisible(self.show_deleted)
        self.context_actions["恢复"].setVisible(self.show_deleted)
        self.add_files_button.setEnabled(has_task)
        self.add_folder_button.setEnabled(has_task)

    # -- adding -------------------------------------------------------------------------------
    def _can_add(self) -> bool:
        return self.task_id is not None

    def choose_files(self) -> None:
        global _last_folder
        if self.task_id is None:
            return
        chosen, _filter = QFileDialog.getOpenFileNames(self, "添加佐证材料", _last_folder, "所有文件 (*)")
        if chosen:
            _last_folder = str(Path(chosen[0]).parent)
            self.add_paths([Path(p) for p in chosen])

    def choose_folder(self) -> None:
        global _last_folder
        if self.task_id is None:
            return
        chosen = QFileDialog.getExistingDirectory(self, "添加文件夹中的全部文件", _last_folder)
        if chosen:
            _last_folder = str(Path(chosen).parent)
            self.add_paths([Path(chosen)])

    def add_paths(self, paths: Iterable[Path]) -> None:
        """Copy files or folders into the store for this task, in a worker with progress and 取消."""
        task_id = self.task_id
        files = list(paths)
        if task_id is None or not files:
            return
        self.flush()
        self.add_handle = add_files(
            self, self.ledger, task_id, files, lambda report: self._added(task_id, report)
        )

    def _added(self, task_id: int, report: AddReport) -> None:
        if not report.added:
            return
        if task_id == self.task_id:
            self._select_after = {a.attachment_id for a in report.added}
        self.committed.emit(report.summary())

    def _dropped(self, paths: list[Path], _pos: QPoint) -> None:
        self.add_paths(paths)

    def _drag_hover(self, pos: QPoint | None, paths: list[Path]) -> None:
        """While files are dragged over the tab: a highlighted frame and what a drop would do."""
        active = pos is not None
        css = f"QAbstractItemView {{ border: 2px dashed {DROP_COLOUR}; }}" if active else ""
        set_style(self.stack, css)
        if active:
            what = f"{len(paths)} 个文件或文件夹" if len(paths) > 1 else f"“{paths[0].name}”"
            hint(self.drop_hint, f"松开鼠标即把{what}添加到本任务", DROP_COLOUR)
        else:
            hint(self.drop_hint, DROP_HINT, HINT_COLOUR)

    # -- files out ----------------------------------------------------------------------------
    def open_current(self) -> None:
        info = self.current()
        if info is not None:
            files_out.open_attachment(self, self.ledger, info.id)

    def show_current_in_folder(self) -> None:
        info = self.current()
        if info is not None:
            files_out.show_attachment_in_folder(self, self.ledger, info.id)

    def save_selected(self) -> None:
        picked = self.selected()
        if not picked:
            return
        folder = files_out.ask_target_folder(self)
        if folder is not None:
            files_out.save_copies(self, self.ledger, [i.id for i in picked], folder)

    def _double_clicked(self, index: QModelIndex) -> None:
        if not index.isValid() or index.row() >= len(self.infos):
            return
        info = self.infos[index.row()]
        if self.sender() is self.table and index.column() == COL_DESCRIPTION and info.deleted_at is None:
            return  # the table edits the description in place
        files_out.open_attachment(self, self.ledger, info.id)

    # -- describing ---------------------------------------------------------------------------
    def edit_description(self) -> None:
        info = self.current()
        if info is None or info.deleted_at is not None:
            return
        row = self.infos.index(info)
        self.details_button.setChecked(True)  # the grid has no room for it
        item = self.table.item(row, COL_DESCRIPTION)
        self.table.setCurrentItem(item)
        self.table.editItem(item)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() != COL_DESCRIPTION or item.row() >= len(self.infos):
            return
        info = self.infos[item.row()]
        text = item.text().strip()
        if text == info.description.strip():
            return
        self._pending_description = (info.id, text)
        # After the editor has closed: the commit reloads the table, which must not happen under it.
        QTimer.singleShot(0, self._commit_description)

    def _commit_description(self) -> None:
        pending, self._pending_description = self._pending_description, None
        if pending is None:
            return
        att_id, text = pending
        self._select_after = {att_id}
        self.attempt(
            lambda: self.ledger.attachments.update_attachment_description(att_id, text),
            "已保存佐证材料说明",
            lambda: self.load(self.record),
        )

    def flush(self) -> None:
        """Commit a description still being typed (before switching task or closing)."""
        if self.table.state() == QAbstractItemView.State.EditingState:
            editor = QApplication.focusWidget()
            if editor is not None and self.table.isAncestorOf(editor):
                self.table.commitData(editor)
                self.table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        self._commit_description()

    # -- removing and restoring ---------------------------------------------------------------
    def delete_selected(self) -> None:
        live = [i for i in self.selected() if i.deleted_at is None]
        if not live:
            return
        what = f"「{live[0].name}」" if len(live) == 1 else f"选中的 {len(live)} 个文件"
        question = f"确定从本任务中删除{what}吗?\n\n文件仍保留在附件库中,勾选“显示已删除”后可以恢复。"
        if not confirm(self, "删除佐证材料", question):
            return
        self._each(live, self.ledger.attachments.remove_attachment, f"已删除 {len(live)} 个佐证材料(可恢复)")

    def restore_selected(self) -> None:
        removed = [i for i in self.selected() if i.deleted_at is not None]
        if removed:
            self._select_after = {i.id for i in removed}
            self._each(
                removed, self.ledger.attachments.restore_attachment, f"已恢复 {len(removed)} 个佐证材料"
            )

    def _each(self, infos: list[AttachmentInfo], action: Callable[[int], None], message: str) -> None:
        def run() -> None:
            for info in infos:
                action(info.id)

        # A refusal part-way (e.g. restoring a file whose twin is back) still shows what was done.
        if not self.attempt(run, message):
            self.committed.emit("")
