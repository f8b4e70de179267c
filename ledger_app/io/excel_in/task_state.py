"""A task's deadline and status from its cells, as a clerk reads them.

Deadline: one cell is read as written; a paragraph (over 200 characters) is kept as text, unread.
A task over several rows with a deadline a row is due when its last dated measure is; with no date
among them, a long-term one (立行立改、长期坚持) stands for the task, else the first.

Status: the words of 完成状态 (excel_in.status). Over several rows the task is as far as its slowest
measure. 是否销号 "是" makes it 已销号 whatever the words say (the clerk is told when they disagree);
是否完成整改 holds 是 / 否 or status words of its own, "是" lifts the task to 已完成. Words not
understood are read as 整改中 (with a warning); no status at all is 整改中 when there is progress
text, else 未启动.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ledger_app.domain.deadlines import Deadline, parse_deadline
from ledger_app.domain.model import TaskStatus
from ledger_app.io.excel_in.cells import cell_text
from ledger_app.io.excel_in.drafts import TaskDraft
from ledger_app.io.excel_in.sheet_issues import SheetIssues
from ledger_app.io.excel_in.status import StatusReading, read_closed_flag, read_status

MAX_DEADLINE_CHARS = 200
_NO_DEADLINE = Deadline("")

StatusFound = tuple[TaskStatus, str, str]  # status, the cells' words as written, a note on how it was read


@dataclass(slots=True)
class TaskState:
    cols: dict[str, int]  # field → column
    issues: SheetIssues
    # Offices write the same deadlines and status words over and over: parse each once.
    _deadlines: dict[tuple[type, object], Deadline] = field(default_factory=dict, init=False)
    _statuses: dict[str, StatusReading] = field(default_factory=dict, init=False)

    def parse_deadline(self, value: object) -> Deadline:
        key = (type(value), value)
        found = self._deadlines.get(key)
        if found is None:
            # A paragraph in the deadline column is no date: keep it as text, unparsed.
            text = cell_text(value) if isinstance(value, str) else ""
            found = Deadline(text) if len(text) > MAX_DEADLINE_CHARS else parse_deadline(value)
            self._deadlines[key] = found
        return found

    def read_status(self, raw: str) -> StatusReading:
        found = self._statuses.get(raw)
        if found is None:
            found = self._statuses[raw] = read_status(raw)
        return found

    def deadline(self, draft: TaskDraft) -> Deadline:
        values = draft.cell_values("deadline")
        if not values:
            return _NO_DEADLINE
        if len(values) == 1:
            return self.parse_deadline(values[0])
        parsed = [self.parse_deadline(v) for v in values]
        parsed = [d for d in parsed if not d.is_empty]
        if not parsed:
            return Deadline("")
        if len(parsed) == 1:
            return parsed[0]
        # One deadline per measure row: the task is due when its last measure is.
        dated = [d for d in parsed if d.date is not None]
        if dated:
            return max(dated, key=lambda d: d.date)
        return next((d for d in parsed if d.long_term), parsed[0])

    def status(self, draft: TaskDraft) -> StatusFound:
        cols = self.cols
        if draft.count("status") == 1 and "closed_flag" not in cols and "done_flag" not in cols:
            # The usual row: one status word, no 是否销号 column.
            raw = draft.text("status")
            reading = self.read_status(raw) if raw else None
            if reading is not None and reading.status is not None:
                return reading.status, raw, reading.note
        raws = [r for r in map(cell_text, draft.cell_values("status")) if r]
        understood = [r for r in map(self.read_status, raws) if r.status is not None]
        notes = [r.note for r in understood if r.note]
        raw_text = "、".join(dict.fromkeys(raws))
        flag_raw = draft.text("closed_flag")
        if flag_raw:
            raw_text = f"{raw_text};是否销号:{flag_raw}" if raw_text else f"是否销号:{flag_raw}"
            if self._closed(draft, flag_raw, raws, understood):
                return TaskStatus.CLOSED, raw_text, ""
        done_raw = draft.text("done_flag")
        done = None
        if done_raw:
            raw_text = f"{raw_text};是否完成整改:{done_raw}" if raw_text else f"是否完成整改:{done_raw}"
            done = self._done(draft, done_raw, understood)
        if understood:
            # Several measure rows with their own status: the task is as far as its slowest measure.
            status = min((r.status for r in understood), key=lambda s: s.order)
            if done and status.order < TaskStatus.COMPLETED.order:
                status = TaskStatus.COMPLETED
            return status, raw_text, " ".join(dict.fromkeys(notes))
        return self._unread(draft, done, raw_text, bool(raws))

    def _closed(
        self, draft: TaskDraft, flag_raw: str, raws: list[str], understood: list[StatusReading]
    ) -> bool:
        """Whether 是否销号 says 已销号; the clerk is told when it cannot be read or the words disagree."""
        closed = read_closed_flag(flag_raw)
        if closed is None:
            self.issues.add(
                draft.first_row, self.cols.get("closed_flag"), f"是否销号「{flag_raw}」未能识别,已忽略。"
            )
            return False
        if closed:
            before = min((r.status for r in understood), key=lambda s: s.order, default=None)
            if before is not None and before is not TaskStatus.CLOSED:
                self.issues.add(
                    draft.first_row,
                    self.cols.get("closed_flag"),
                    f"是否销号为「{flag_raw}」,完成状态为「{'、'.join(raws)}」:按「已销号」导入。",
                )
        elif any(r.status is TaskStatus.CLOSED for r in understood):
            # The words win here (a clerk may not have updated the flag), but never silently.
            self.issues.add(
                draft.first_row,
                self.cols.get("closed_flag"),
                f"是否销号为「{flag_raw}」,完成状态为「{'、'.join(raws)}」:按完成状态导入,请核对。",
            )
        return closed

    def _done(self, draft: TaskDraft, done_raw: str, understood: list[StatusReading]) -> bool | None:
        """是否完成整改 as 是 / 否 (None when neither), or its status words added to ``understood``."""
        reading = self.read_status(done_raw)
        if reading.status is not None:
            understood.append(reading)
            return None
        done = read_closed_flag(done_raw)
        if done is None:
            self.issues.add(
                draft.first_row, self.cols.get("done_flag"), f"是否完成整改「{done_raw}」未能识别,已忽略。"
            )
        return done

    def _unread(self, draft: TaskDraft, done: bool | None, raw_text: str, has_words: bool) -> StatusFound:
        """No status word understood."""
        if done:
            return TaskStatus.COMPLETED, raw_text, ""
        if has_words:
            self.issues.add(
                draft.first_row,
                self.cols.get("status"),
                f"完成状态「{raw_text[:30]}」未能识别,按「{TaskStatus.IN_PROGRESS.label}」导入。",
            )
            return TaskStatus.IN_PROGRESS, raw_text, ""
        if draft.text("progress"):
            return TaskStatus.IN_PROGRESS, raw_text, "未填写状态,已有整改进展,按「整改中」导入。"
        return TaskStatus.NOT_STARTED, raw_text, ""
