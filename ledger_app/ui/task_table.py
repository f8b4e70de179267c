"""The task list: a table model over ``TaskRow``s and a filter proxy that stays fast at 10,000 rows.

Sorting happens in the source model with plain Python keys (序号 in natural order: 1, 2, … 10); the
proxy forwards ``sort()`` to it and only filters. Filtering checks one pre-joined, lower-cased text
per task (``Ledger.queries.search_texts()``) instead of Qt's regex over every column (14 ms vs 600 ms a
keystroke at 10,000 rows, shared/stack-notes.md).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from ledger_app.domain.model import ProblemKind, ScheduleFlag, Section
from ledger_app.domain.ordering import natural_key
from ledger_app.domain.schedule import completion_label
from ledger_app.services import TaskFilter, TaskRow
from ledger_app.services.search_parts import excerpt, part_label, parts_of

AnyIndex = QModelIndex | QPersistentModelIndex

(
    COL_SEQ,
    COL_SUMMARY,
    COL_KIND,
    COL_UNITS,
    COL_LEADER,
    COL_DEADLINE,
    COL_STATUS,
    COL_SCHEDULE,
    COL_PROGRESS,
    COL_ROUND,
) = range(10)
# 督察批次 comes last in the model (the COL_* numbers above stay what saved layouts and tests know);
# the window shows it first (ui/list_columns.py), where it tells apart 序号 that repeat across rounds.
HEADERS = [
    "序号",
    "问题摘要",
    "类型",
    "牵头/责任单位",
    "责任领导",
    "整改时限",
    "状态",
    "进度",
    "最新进展",
    "督察批次",
]

SortRole = Qt.ItemDataRole.UserRole + 1  # a Python value that orders the column
TaskIdRole = Qt.ItemDataRole.UserRole + 2
RowRole = Qt.ItemDataRole.UserRole + 3  # the TaskRow itself
MatchHintRole = Qt.ItemDataRole.UserRole + 4  # "匹配:整改措施" when the search word is in no visible cell

# 进度 colours: (background, text). Soft backgrounds keep the list readable; the text carries the contrast.
COMPLETION_COLOURS: dict[str, tuple[str, str]] = {
    ScheduleFlag.LAGGING.label: ("#f9d6d5", "#a4161a"),
    ScheduleFlag.DUE_SOON.label: ("#ffe3bf", "#9a4d00"),
    ScheduleFlag.ON_SCHEDULE.label: ("#d7efdc", "#1d6b35"),
    ScheduleFlag.LONG_TERM.label: ("#dce6f2", "#2f4d73"),
    ScheduleFlag.UNKNOWN_DEADLINE.label: ("#eadcf2", "#5b2a7a"),
    "已完成": ("", "#52606d"),
    "已销号": ("", "#7b8794"),
}
_SCHEDULE_RANK = {
    ScheduleFlag.LAGGING.label: 0,
    ScheduleFlag.DUE_SOON.label: 1,
    ScheduleFlag.ON_SCHEDULE.label: 2,
    ScheduleFlag.UNKNOWN_DEADLINE.label: 1,  # as urgent as 临期: nobody knows when it is due
    ScheduleFlag.LONG_TERM.label: 3,
    "已完成": 4,
    "已销号": 5,
}
_SECTION_RANK = {s: i for i, s in enumerate(Section)}
_KIND_RANK = {k: i for i, k in enumerate(ProblemKind)}
_BRUSHES: dict[str, QBrush] = {}


def _brush(colour: str) -> QBrush:
    brush = _BRUSHES.get(colour)
    if brush is None:
        brush = _BRUSHES[colour] = QBrush(QColor(colour))
    return brush


def completion(row: TaskRow) -> str:
    """进度 as the monthly report writes it: 已销号 / 已完成 / the schedule flag."""
    return completion_label(row.status, row.schedule)


def units_text(row: TaskRow) -> str:
    return "、".join(row.main_units)


_ROUND_NOISE = re.compile("生态环境保护|生态环境|督察组|督察")
_SHORT_ROUNDS: dict[str, str] = {}


def short_round_name(name: str) -> str:
    """第二轮中央生态环境保护督察 → 第二轮中央: what tells rounds apart in a narrow column."""
    short = _SHORT_ROUNDS.get(name)
    if short is None:
        short = _ROUND_NOISE.sub("", name).strip(" ·-—") or name
        _SHORT_ROUNDS[name] = short
    return short


def cell_text(row: TaskRow, column: int) -> str:
    """What a cell shows (and what Ctrl+C copies, except the full description for 问题摘要)."""
    # Cases are the COL_* numbers: a bare name in a case pattern would capture, not compare.
    match column:
        case 0:
            return row.seq
        case 1:
            return row.summary
        case 2:
            return row.kind.label
        case 3:
            return units_text(row)
        case 4:
            return row.leader
        case 5:
            return row.deadline.text
        case 6:
            return row.status.label
        case 7:
            return completion(row)
        case 8:
            return row.latest_progress.isoformat() if row.latest_progress else ""
        case 9:
            return short_round_name(row.round_name)
    return ""


def _deadline_key(row: TaskRow) -> tuple[int, Any]:
    deadline = row.deadline
    if deadline.date is not None:
        return (0, deadline.date)
    if deadline.long_term:
        return (1, date.max)
    return (2 if deadline.text else 3, deadline.text)


class TaskTableModel(QAbstractTableModel):
    """Rows of the task list. ``set_rows`` replaces them all; ``update_rows`` / ``remove_tasks`` edit a few."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[TaskRow] = []
        self._position: dict[int, int] = {}  # task id -> row number
        self._round_rank: dict[int, int] = {}
        self._seq_keys: dict[int, tuple[Any, ...]] = {}
        self._sort_column = COL_SEQ
        self._sort_order = Qt.SortOrder.AscendingOrder
        # Where a search word was found: TaskFilterProxy puts its own in (it knows the words and texts).
        self.matches: SearchMatches = SearchMatches()
        # Bumped on every change of the rows, before the change is signalled: the proxy keeps its
        # accepted rows for one version and recomputes them in one Python pass when it moves on.
        self.version = 0

    # -- reading ----------------------------------------------------------------------------
    @property
    def rows(self) -> list[TaskRow]:
        """The rows in model order; do not modify."""
        return self._rows

    def row_at(self, row: int) -> TaskRow:
        return self._rows[row]

    def position_of(self, task_id: int) -> int | None:
        return self._position.get(task_id)

    def task(self, task_id: int) -> TaskRow | None:
        pos = self._position.get(task_id)
        return None if pos is None else self._rows[pos]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row, column)
        if role == Qt.ItemDataRole.BackgroundRole and column == COL_SCHEDULE:
            colour = COMPLETION_COLOURS.get(completion(row), ("", ""))[0]
            return _brush(colour) if colour else None
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_SCHEDULE:
            colour = COMPLETION_COLOURS.get(completion(row), ("", ""))[1]
            return _brush(colour) if colour else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            COL_SEQ,
            COL_SCHEDULE,
            COL_STATUS,
            COL_PROGRESS,
        ):
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == TaskIdRole:
            return row.id
        if role == RowRole:
            return row
        if role == SortRole:
            return self.sort_key(row, column)
        if role == MatchHintRole:
            return self.matches.hint(row) if column == COL_SUMMARY else ""
        return None

    def _tooltip(self, row: TaskRow, column: int) -> str | None:
        if column in (COL_SEQ, COL_ROUND):
            return f"{row.round_name} · {row.kind.section.label} 第 {row.seq} 项"
        if column == COL_SUMMARY:
            text = row.description if len(row.description) <= 600 else row.description[:600] + "…"
            # Rich text: Qt wraps it instead of drawing one endless line.
            tip = "<p>" + html.escape(text).replace("\n", "<br>") + "</p>"
            lines = self.matches.detail(row)
            if lines:  # why the row is listed ("「污水」在整改措施:…新建污水管网…") comes first
                tip = "<p><b>" + "<br>".join(html.escape(line) for line in lines) + "</b></p>" + tip
            return tip
        if column == COL_UNITS:
            parts = [f"{role.label}:{'、'.join(names)}" for role, names in row.units.items() if names]
            return "\n".join(parts) or None
        if column == COL_DEADLINE and row.deadline.text and row.deadline.date:
            return f"{row.deadline.text}(截止 {row.deadline.date.isoformat()})"
        return None

    # -- sorting ----------------------------------------------------------------------------
    def seq_key(self, row: TaskRow) -> tuple[Any, ...]:
        """Ledger order: round, then section (反馈问题 / 交办信访件 / 自查问题), then 序号 counted naturally."""
        key = self._seq_keys.get(row.id)
        if key is None:
            rank = self._round_rank.setdefault(row.round_id, len(self._round_rank))
            key = self._seq_keys[row.id] = (rank, _SECTION_RANK[row.kind.section], natural_key(row.seq))
        return key

    def sort_key(self, row: TaskRow, column: int) -> Any:
        seq = self.seq_key(row)
        match column:  # the COL_* numbers, as in cell_text
            case 0:
                return seq
            case 1:
                return (row.description, seq)
            case 2:
                return (_KIND_RANK[row.kind], seq)
            case 3:
                return (units_text(row), seq)
            case 4:
                return (row.leader, seq)
            case 5:
                return (_deadline_key(row), seq)
            case 6:
                return (row.status.order, seq)
            case 7:
                return (_SCHEDULE_RANK.get(completion(row), 9), seq)
            case 8:
                return (row.latest_progress or date.min, seq)
            case 9:
                return seq  # ledger order starts with the round already
        return seq

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(HEADERS):
            column, order = COL_SEQ, Qt.SortOrder.AscendingOrder
        self._sort_column, self._sort_order = column, order
        if not self._rows:
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        remembered = [(self._rows[i.row()].id, i.column()) for i in persistent]
        self._sort_in_place()
        self.version += 1
        self.changePersistentIndexList(
            persistent, [self.index(self._position[task_id], col) for task_id, col in remembered]
        )
        self.layoutChanged.emit()

    def _sort_in_place(self) -> None:
        column = self._sort_column
        self._rows.sort(
            key=lambda r: self.sort_key(r, column), reverse=self._sort_order == Qt.SortOrder.DescendingOrder
        )
        self._position = {row.id: i for i, row in enumerate(self._rows)}

    # -- changing ---------------------------------------------------------------------------
    def set_rows(self, rows: Iterable[TaskRow]) -> None:
        """Replace every row (after loading the ledger, undo, import); keeps the current sort."""
        self.beginResetModel()
        self._rows = list(rows)
        self._round_rank = {}
        self._seq_keys = {}
        for row in self._rows:  # rows come in ledger order: rounds ranked as they appear
            self._round_rank.setdefault(row.round_id, len(self._round_rank))
        self._sort_in_place()
        self.version += 1
        self.endResetModel()

    def update_rows(self, rows: Iterable[TaskRow]) -> None:
        """Replace the rows of these tasks (adding new ones), then keep the sort order."""
        moved = False
        for row in rows:
            self._seq_keys.pop(row.id, None)
            pos = self._position.get(row.id)
            if pos is None:
                self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
                self._rows.append(row)
                self._position[row.id] = len(self._rows) - 1
                self.version += 1
                self.endInsertRows()
                moved = True
            else:
                self._rows[pos] = row
                self.version += 1
                self.dataChanged.emit(self.index(pos, 0), self.index(pos, len(HEADERS) - 1))
                moved = moved or not self._in_order(pos)
        if moved:  # a new 序号, deadline or status may move the row; most edits do not
            self.sort(self._sort_column, self._sort_order)

    def _in_order(self, pos: int) -> bool:
        """Whether the row at ``pos`` still sorts between its neighbours."""
        column = self._sort_column
        key = self.sort_key(self._rows[pos], column)
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        if pos > 0:
            before = self.sort_key(self._rows[pos - 1], column)
            if (key > before) if descending else (key < before):
                return False
        if pos + 1 < len(self._rows):
            after = self.sort_key(self._rows[pos + 1], column)
            if (key < after) if descending else (key > after):
                return False
        return True

    def remove_tasks(self, task_ids: Iterable[int]) -> None:
        gone = {t for t in task_ids if t in self._position}
        if len(gone) > 200:  # a bulk removal: one reset beats hundreds of single-row signals
            self.beginResetModel()
            self._rows = [row for row in self._rows if row.id not in gone]
            self._position = {row.id: i for i, row in enumerate(self._rows)}
            self.version += 1
            self.endResetModel()
            return
        for task_id in gone:
            # Looked up afresh each time: the signals below make views (and the task panel) react,
            # and they may remove another row before this loop goes on.
            pos = self._position.get(task_id)
            if pos is None:
                continue
            self.beginRemoveRows(QModelIndex(), pos, pos)
            self._rows.pop(pos)
            self._seq_keys.pop(task_id, None)
            self._position = {row.id: i for i, row in enumerate(self._rows)}
            self.version += 1
            self.endRemoveRows()


class SearchMatches:
    """Which part of a task's search text holds the search words that no visible cell shows.

    Asked only for painted rows (the delegate, a tooltip), and cached per task until the words or
    the texts change: the filter itself stays one ``in`` test per word per task.
    """

    def __init__(self) -> None:
        self.words: list[str] = []
        self.texts: dict[int, str] = {}
        self._cache: dict[int, list[tuple[str, int]]] = {}

    def reset(self, words: list[str], texts: dict[int, str]) -> None:
        self.words, self.texts = words, texts
        self._cache.clear()

    def forget(self, task_ids: Iterable[int]) -> None:
        for task_id in task_ids:
            self._cache.pop(task_id, None)

    def _hidden_hits(self, row: TaskRow) -> list[tuple[str, int]]:
        """(word, part index) for every word found only outside the visible cells, each part once."""
        hits = self._cache.get(row.id)
        if hits is not None:
            return hits
        hits = []
        text = self.texts.get(row.id)
        if self.words and text is not None:
            visible = "\n".join(cell_text(row, c) for c in range(len(HEADERS))).lower()
            for word in self.words:
                if word not in visible:
                    hits += [(word, part) for part in parts_of(text, word)]
        self._cache[row.id] = hits
        return hits

    def hint(self, row: TaskRow) -> str:
        """The list's hint, e.g. "匹配:整改措施、进展情况"; "" when every word is in a visible cell."""
        labels = list(dict.fromkeys(part_label(part) for _word, part in self._hidden_hits(row)))
        return "匹配:" + "、".join(labels) if labels else ""

    def detail(self, row: TaskRow) -> list[str]:
        """One line per hidden hit, with the text around it: 「污水」在整改措施:…新建污水管网…"""
        text = self.texts.get(row.id, "")
        return [
            f"「{word}」在{part_label(part)}:{excerpt(text, word, part)}"
            for word, part in self._hidden_hits(row)
        ]


@dataclass(frozen=True, slots=True)
class FilterCounts:
    total: int
    lagging: int
    due_soon: int
    unknown_deadline: int = 0

    def text(self) -> str:
        """共 312 项,滞后 14 项 (and 临期, 时限不明 when there are any)."""
        parts = [f"共 {self.total} 项", f"滞后 {self.lagging} 项"]
        if self.due_soon:
            parts.append(f"临期 {self.due_soon} 项")
        if self.unknown_deadline:
            parts.append(f"时限不明 {self.unknown_deadline} 项")
        return ",".join(parts)


class TaskFilterProxy(QSortFilterProxyModel):
    """Filters by round, unit, kind, status, schedule flag and search words, all combined (AND).

    ``filterAcceptsRow`` only looks up a list of booleans computed in one Python pass over the rows
    (per filter change or model version): Qt calls it 10,000 times, so it must do almost nothing.
    """

    searchWordsChanged = Signal()  # noqa: N815 (Qt naming) the words to highlight changed

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._filter = TaskFilter()
        self._words: list[str] = []
        self._texts: dict[int, str] = {}
        self._fallback: dict[int, str] = {}
        self._model = TaskTableModel(self)
        self._accepted: list[bool] = []
        self._accepted_version = -1  # the model version _accepted was computed for; -1: stale
        self._counts = FilterCounts(0, 0, 0)
        self.matches = SearchMatches()
        self._model.matches = self.matches
        self.setDynamicSortFilter(True)

    def setSourceModel(self, model: QAbstractItemModel) -> None:  # noqa: N802 (Qt override)
        if not isinstance(model, TaskTableModel):
            raise TypeError("TaskFilterProxy filters a TaskTableModel")
        self._model = model
        model.matches = self.matches
        # Reloaded rows may read differently (another 序号, new units): work out their hints afresh.
        model.modelReset.connect(lambda: self.matches.reset(self._words, self._texts))
        self._accepted_version = -1
        super().setSourceModel(model)

    def task_model(self) -> TaskTableModel:
        return self._model

    # -- setting the filter -----------------------------------------------------------------
    @property
    def task_filter(self) -> TaskFilter:
        """The current filter, search text included."""
        return TaskFilter(
            round_id=self._filter.round_id,
            unit=self._filter.unit,
            kind=self._filter.kind,
            status=self._filter.status,
            schedule=self._filter.schedule,
            text=" ".join(self._words),
            task_ids=self._filter.task_ids,
        )

    def set_task_filter(self, flt: TaskFilter) -> None:
        """Round, unit, kind, status and schedule from ``flt`` (the search words: ``set_search_text``)."""
        self._change_filter(lambda: self._store(flt))

    @property
    def search_words(self) -> list[str]:
        """The lower-cased words of the search (the delegate highlights them)."""
        return self._words

    def set_search_text(self, text: str) -> None:
        words = text.lower().split()
        if words != self._words:
            self._change_filter(lambda: setattr(self, "_words", words))
            self.searchWordsChanged.emit()

    def _store(self, flt: TaskFilter) -> None:
        self._filter = TaskFilter(
            round_id=flt.round_id,
            unit=flt.unit or None,
            kind=flt.kind,
            status=flt.status,
            schedule=flt.schedule,
            task_ids=flt.task_ids,
        )

    def set_search_texts(self, texts: dict[int, str]) -> None:
        """The full search text of every task, built in a worker after loading."""
        self._change_filter(lambda: self._set_texts(texts))

    def _set_texts(self, texts: dict[int, str]) -> None:
        self._texts = texts
        self._fallback = {}

    def update_search_texts(self, texts: dict[int, str], removed: Iterable[int] = ()) -> None:
        """After an edit: the new texts of a few tasks; re-filters when a search is on."""

        def store() -> None:
            self.matches.forget([*texts, *removed])
            self._texts.update(texts)
            for task_id in [*texts, *removed]:
                self._fallback.pop(task_id, None)
            for task_id in removed:
                self._texts.pop(task_id, None)

        if self._words:
            self._change_filter(store)
        else:
            store()

    def _change_filter(self, mutate: Callable[[], None]) -> None:
        # Qt 6.10+ deprecates invalidateFilter() for the begin/end pair.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            mutate()
            self._accepted_version = -1
            self.matches.reset(self._words, self._texts)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            mutate()
            self._accepted_version = -1
            self.matches.reset(self._words, self._texts)
            self.invalidateFilter()

    # -- filtering --------------------------------------------------------------------------
    def accepts(self, row: TaskRow) -> bool:
        flt = self._filter
        if flt.round_id is not None and row.round_id != flt.round_id:
            return False
        if flt.kind is not None and row.kind is not flt.kind:
            return False
        if flt.status is not None and row.status is not flt.status:
            return False
        if flt.schedule is not None and row.schedule is not flt.schedule:
            return False
        if flt.unit and flt.unit not in row.all_units:
            return False
        if flt.task_ids is not None and row.id not in flt.task_ids:
            return False
        if self._words:
            text = self._texts.get(row.id)
            if text is None:
                text = self._fallback_text(row)
            for word in self._words:
                if word not in text:
                    return False
        return True

    def _fallback_text(self, row: TaskRow) -> str:
        """Until the full texts are built (or for a task just added): the row's own visible text."""
        text = self._fallback.get(row.id)
        if text is None:
            text = self._fallback[row.id] = "\n".join(
                [row.seq, row.description, row.leader, row.deadline.text, *row.all_units]
            ).lower()
        return text

    def _refresh_accepted(self) -> list[bool]:
        """The accepted flag of every source row, and the counts of the accepted set, in one pass."""
        model = self._model
        if self._accepted_version != model.version:
            accepts = self.accepts
            accepted = [accepts(row) for row in model.rows]
            lagging = due_soon = unknown = 0
            for ok, row in zip(accepted, model.rows, strict=True):
                if ok and row.schedule is not None:
                    if row.schedule is ScheduleFlag.LAGGING:
                        lagging += 1
                    elif row.schedule is ScheduleFlag.DUE_SOON:
                        due_soon += 1
                    elif row.schedule is ScheduleFlag.UNKNOWN_DEADLINE:
                        unknown += 1
            self._accepted = accepted
            self._counts = FilterCounts(sum(accepted), lagging, due_soon, unknown)
            self._accepted_version = model.version
        return self._accepted

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802
        if self._accepted_version != self._model.version:
            self._refresh_accepted()
        return self._accepted[source_row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The source sorts with Python keys; the proxy keeps its order (its own sort column stays -1).
        self._model.sort(column, order)

    # -- reading the view -------------------------------------------------------------------
    def task_id_at(self, proxy_row: int) -> int:
        return self._model.rows[self.mapToSource(self.index(proxy_row, 0)).row()].id

    def visible_rows(self) -> list[TaskRow]:
        """The accepted rows in view order (one pass over the model, not 10,000 mapToSource calls)."""
        accepted = self._refresh_accepted()
        return [row for ok, row in zip(accepted, self._model.rows, strict=True) if ok]

    def proxy_row_of(self, task_id: int) -> int | None:
        pos = self._model.position_of(task_id)
        if pos is None:
            return None
        index = self.mapFromSource(self._model.index(pos, 0))
        return index.row() if index.isValid() else None

    def counts(self) -> FilterCounts:
        """共 N 项,滞后 M 项 of the filtered set (computed with the accepted rows)."""
        self._refresh_accepted()
        return self._counts


def _tsv_cell(text: str) -> str:
    """Excel's clipboard quoting: a cell with a tab, line break or quote is wrapped in quotes, quotes doubled."""
    if any(c in text for c in '\t\n\r"'):
        return '"' + text.replace('"', '""') + '"'
    return text


def rows_to_tsv(rows: Iterable[TaskRow], columns: Iterable[int] = range(len(HEADERS))) -> str:
    """Tab-separated text with a header line, as Excel pastes it; 问题摘要 carries the full description."""
    columns = list(columns)
    header = ["问题描述" if c == COL_SUMMARY else HEADERS[c] for c in columns]
    lines = ["\t".join(header)]
    for row in rows:
        cells = [row.description if c == COL_SUMMARY else cell_text(row, c) for c in columns]
        lines.append("\t".join(_tsv_cell(cell) for cell in cells))
    return "\n".join(lines) + "\n"
