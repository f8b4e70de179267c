"""One path for "the ledger changed": the main window fans it out to the list, the panel and the banner.

Whatever changed the ledger (an edit in the panel, undo, redo, delete, import, restore from the
recycle bin, F5 after another window's edit), the views learn it the same way and settle in one
pass, so none of them can act on a task that is no longer there:

* the list is changed while ``_settling`` is set: the rows Qt moves the current index to are not
  shown in the panel (the panel only follows the clerk's own choice of row);
* then the panel is reconciled with the list: it stays on the task the clerk is working on, says so
  above the list when a filter hides that task, and shows an empty state when the task is gone;
* the banner and the status counts are recounted from the list's rows;
* the 撤销/重做 menu entries say what they would do.

A notification that arrives while one is being handled is run after it, never inside it.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ledger_app.domain.errors import LedgerError
from ledger_app.domain.stats import schedule_tally

from .errors import show_error

log = logging.getLogger(__name__)

HIDDEN_TASK_TEXT = "当前任务(序号 {seq})已不符合筛选条件,仍显示在右侧。"


class HiddenTaskNote(QFrame):
    """The line above the list when the panel's task is filtered out of it, with 显示全部."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hiddenTaskNote")
        self.setStyleSheet(
            "#hiddenTaskNote { background: #fff7e0; border: 1px solid #e8d49a; border-radius: 3px; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 4, 2)
        self.label = QLabel()
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.show_all_button = QPushButton("显示全部")
        self.show_all_button.setObjectName("showAllButton")
        self.show_all_button.setToolTip("清除筛选和搜索,在列表中显示这项任务")
        self.show_all_button.setCursor(Qt.CursorShape.PointingHandCursor)
        layout.addWidget(self.show_all_button)
        self.hide()


class ViewSyncMixin:
    """Part of MainWindow: the change notification, the panel's place in the list, undo and redo."""

    # Provided by MainWindow.
    ledger: Any
    panel: Any
    model: Any
    proxy: Any
    table: Any
    banner: Any
    filter_bar: Any
    undo_action: Any
    redo_action: Any

    _settling_depth = 0
    _notifying = False
    _pending: set[int] | None = None
    _pending_all = False
    _warning_days = 0
    hidden_note: HiddenTaskNote | None = None

    # -- the notification ----------------------------------------------------------------------
    def ledger_changed(self, task_ids: Collection[int] | None = None) -> None:
        """The ledger changed: these tasks (None: anything, e.g. undo, redo, import, restore).

        Safe to call from any handler: a call made while one is running is queued behind it.
        """
        if self.ledger is None:
            return
        if self._notifying:
            if task_ids is None:
                self._pending_all = True
            else:
                self._pending = (self._pending or set()) | set(task_ids)
            return
        self._notifying = True
        try:
            self._apply_change(task_ids)
            while self._pending_all or self._pending:
                everything, some = self._pending_all, self._pending
                self._pending_all, self._pending = False, None
                self._apply_change(None if everything else some)
        finally:
            self._notifying = False

    def _apply_change(self, task_ids: Collection[int] | None) -> None:
        if task_ids is None:
            self.reload()  # its _rows_loaded settles the views (in a worker: later)
            return
        try:
            self._reread_tasks(task_ids)
        except LedgerError as exc:  # e.g. the ledger file went away (USB stick pulled): said once
            show_error(self, exc, "无法读取台账")
            return
        self.views_settled()

    def _reread_tasks(self, task_ids: Collection[int]) -> None:
        ledger = self.ledger
        ids = list(task_ids)
        rows = ledger.queries.task_rows(ids)
        found = {row.id for row in rows}
        gone = [task_id for task_id in ids if task_id not in found]
        with self.settling():
            # The search texts first: updating a row re-filters it.
            if rows:
                self.proxy.update_search_texts(ledger.queries.search_texts(sorted(found)))
                self.model.update_rows(rows)
                known = self.filter_bar.unit_names()
                if any(set(row.all_units) - known for row in rows):  # a unit new to the directory
                    self.filter_bar.set_units(u.name for u in ledger.directory.list_units())
            if gone:
                self.proxy.update_search_texts({}, removed=gone)
                self.model.remove_tasks(gone)

    def views_settled(self, *, reread_panel: bool = False) -> None:
        """After the list changed: the panel, the note above the list, the banner, counts, undo/redo."""
        self._place_panel(reread=reread_panel)
        self.update_banner()
        self._update_counts()  # type: ignore[attr-defined]
        self.update_undo_actions()

    # -- the list changes without moving the panel ---------------------------------------------
    @contextmanager
    def settling(self) -> Iterator[None]:
        """Change the list's rows or filter: the rows Qt makes current meanwhile are not shown in the panel."""
        self._settling_depth += 1
        try:
            yield
        finally:
            self._settling_depth -= 1

    @property
    def is_settling(self) -> bool:
        return self._settling_depth > 0

    def _place_panel(self, *, reread: bool) -> None:
        """Keep the panel on its task; the list highlights it, or says why it cannot."""
        panel = self.panel
        if panel is None:
            return
        wanted = panel.task_id if panel.task_id is not None else panel.vanished_id
        if wanted is not None and panel.task_id is None and self.model.task(wanted) is not None:
            panel.show_task(wanted)  # a task that had vanished came back (redo, restore)
        elif panel.task_id is not None and (reread or self.model.task(panel.task_id) is None):
            panel.refresh()  # anything may have changed; a task that is gone shows the empty state
        shown = panel.task_id
        row = self.proxy.proxy_row_of(shown) if shown is not None else None
        selection = self.table.selectionModel()
        with self.settling():
            if row is not None:
                index = self.proxy.index(row, 0)
                if self.table.currentIndex().row() != row or not selection.isRowSelected(row):
                    selection.setCurrentIndex(
                        index,
                        QItemSelectionModel.SelectionFlag.ClearAndSelect
                        | QItemSelectionModel.SelectionFlag.Rows,
                    )
            elif self.table.currentIndex().isValid():
                # Qt moved the current row onto another task: the panel does not show that one.
                selection.clear()
        self._show_hidden_note(shown if shown is not None and row is None else None)

    def _show_hidden_note(self, task_id: int | None) -> None:
        note = self.hidden_note
        if note is None:
            return
        row = self.model.task(task_id) if task_id is not None else None
        if row is None:
            note.hide()
            return
        note.label.setText(HIDDEN_TASK_TEXT.format(seq=row.seq))
        note.show()

    def install_hidden_note(self) -> None:
        """Put the note line right above the task list."""
        note = HiddenTaskNote(self.table.parentWidget())
        layout = self.table.parentWidget().layout()
        layout.insertWidget(layout.indexOf(self.table), note)
        note.show_all_button.clicked.connect(self.show_panel_task_in_list)
        self.hidden_note = note

    def show_panel_task_in_list(self) -> None:
        """显示全部: clear the filter and the search, and make the panel's task the list's current row."""
        panel = self.panel
        self.filter_bar.reset()
        if panel is not None and panel.task_id is not None:
            self.select_task(panel.task_id)  # type: ignore[attr-defined]

    # -- the banner ------------------------------------------------------------------------------
    def update_banner(self) -> None:
        """Recount 滞后, 临期 and 时限不明 over the whole ledger (the list's rows, whatever the filter)."""
        tally = schedule_tally((row.status, row.schedule) for row in self.model.rows)
        self.banner.show_counts(
            tally.lagging, tally.due_soon, self._warning_days, unknown_deadline=tally.unknown_deadline
        )

    # -- undo and redo ---------------------------------------------------------------------------
    def undo(self) -> None:
        self._undo_or_redo(redo=False)

    def redo(self) -> None:
        self._undo_or_redo(redo=True)

    def _undo_or_redo(self, *, redo: bool) -> None:
        ledger = self.ledger
        if ledger is None:
            return
        if self.panel is not None:
            self.panel.commit_pending()  # a field still being typed in is the last change
        word = "重做" if redo else "撤销"
        try:
            change = ledger.history.next_redoable() if redo else ledger.history.last_undoable()
            if change is None:
                self.statusBar().showMessage(f"没有可以{word}的操作。", 5000)  # type: ignore[attr-defined]
                self.update_undo_actions()
                return
            label = ledger.history.describe_change(*change)
            # Only these rows are read again (an edit undone at once, even in 10,000 tasks);
            # a change to rounds, units or settings reads everything.
            touched = ledger.history.tasks_of_change(change[0])
            ledger.history.redo_last() if redo else ledger.history.undo_last()
        except LedgerError as exc:
            show_error(self, exc, f"无法{word}")
            self.ledger_changed(None)  # whatever happened, the views show the ledger as it is
            return
        self.statusBar().showMessage(f"已{word}:{label}", 8000)  # type: ignore[attr-defined]
        self.update_undo_actions()  # at once: the list itself may be read in a worker
        self.ledger_changed(touched)
        if touched is not None and self.panel is not None and self.panel.task_id in touched:
            self.panel.refresh()  # the panel shows the task the change was made to

    def update_undo_actions(self) -> None:
        """撤销/重做 in the menu say what they would do, and are disabled when there is nothing."""
        undo, redo = self.undo_action, self.redo_action
        ledger = self.ledger
        undo_label = redo_label = None
        if ledger is not None:
            try:
                undo_label, redo_label = ledger.history.undo_label(), ledger.history.redo_label()
            except LedgerError as exc:  # the file went away: the actions just stay off
                log.warning("cannot read the undo history: %s", exc.message_en or exc.message_zh)
        for action, word, label, keys in (
            (undo, "撤销", undo_label, "Ctrl+Z"),
            (redo, "重做", redo_label, "Ctrl+Y"),
        ):
            action.setEnabled(label is not None)
            action.setText(f"{word}:{_short(label)}" if label else word)
            action.setIconText(word)  # the toolbar keeps its short name, not the whole sentence
            tip = f"{word}:{label}({keys})" if label else f"没有可以{word}的操作"
            action.setToolTip(tip)
            action.setStatusTip(tip)


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
