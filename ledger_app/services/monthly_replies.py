"""The monthly round, part two: reading the units' replies into a review, then taking what the clerk accepts
(``ledger.monthly.read_replies`` and ``collect_replies`` call these).

``read_replies`` writes nothing. Each row is matched to a task by its identity (hidden column: task id
and checksum, checked against this ledger and the task's round, section and 序号, and against the
row's own 序号 / 问题 so that a sort that left the hidden column behind is caught); without it, by the
round and section heading above the row, its 序号 and the similarity of its 问题 text, among the tasks
sent to that unit. Every answer gets a state:

- new: will become a progress entry; already: the same entry (date, text, reporter) is in the ledger;
- duplicate: the same answer twice in this batch (the same file given twice);
- conflict: two answers for one task disagree (lead and cooperating unit report different 完成情况,
  or one unit gives two different texts): taken only when the clerk accepts it explicitly;
- empty / status-only: nothing to enter (a 完成情况 alone is listed as a proposal);
- unmatched: no task could be found, with the reason; other-month: the file is for another month.

What units do to a sheet, and how it is read:
- understood (the right task gets the answer): rows reordered or sorted with the whole row; rows sorted
  with the hidden column left behind (the identity no longer fits the row's 序号/问题: matched by
  content, noted); inserted empty rows and inserted or moved columns (columns are found by header);
  the hidden column deleted, or the rows pasted into a workbook of their own (round heading + 序号 +
  问题 text among the tasks sent to the unit; the unit from the title or the file name); the sheet
  renamed; saved as .xls; typing into 序号/问题 after lifting the protection (ignored, noted);
  an answer cell merged down over several task rows (each row gets the text, noted);
- only reported: inserted rows with content that fits no task; a 完成情况 word not in the list;
  another month's file (nothing taken); a file of another ledger, of an unknown unit, or unreadable
  (refused); two units, or two rows of one unit, answering one task differently (conflict: taken
  only when the clerk accepts it); status proposals (never applied).

``collect_replies`` takes the accepted answers as dated progress entries reported by the unit, all in
one transaction after a backup, audited like every edit. Status proposals are never applied here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from ledger_app.domain.errors import CancelledError, ValidationError
from ledger_app.domain.progress import CancelFn, ProgressFn
from ledger_app.io.excel_in.unit_reply import ParsedReply, ReplyRow, read_unit_reply
from ledger_app.io.excel_out.unit_sheet import STATUS_CHOICES
from ledger_app.io.import_plan import WorkbookRefused
from ledger_app.io.report_content import month_end
from ledger_app.store import models as m

from .backups import take_backup
from .directory import clean_name
from .monthly_log import REPLIED_KEY, check_month, month_key, store_text, stored_log, task_checksum
from .queries import TaskRow
from .tasks import check_entry_date

if TYPE_CHECKING:
    from . import Ledger

REPLY_SUFFIXES = (".xlsx", ".xlsm", ".xls")
MAX_REPORTER = 200
SAME_TEXT = 0.6  # 问题 similarity for a row matched by 序号
TEXT_ONLY = 0.85  # …and for one matched by its text alone
TAKEN_STATES = ("new",)
ACCEPTABLE_STATES = ("new", "conflict")


@dataclass(slots=True)
class ReplyAnswer:
    key: int  # index in the review: what ``accept`` names
    file: str
    row: int
    unit: str
    state: str
    task_id: int | None = None
    round_name: str = ""
    seq: str = ""
    summary: str = ""
    matched_by: str = ""  # identity / content
    progress: str = ""
    status: str = ""
    difficulties: str = ""
    next_steps: str = ""
    evidence: str = ""
    filler: str = ""
    phone: str = ""
    entry_text: str = ""
    reporter: str = ""
    current_status: str = ""
    status_proposal: str = ""  # a 完成情况 the clerk may want to confirm ("" when none or no change)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ReplyFile:
    path: str
    unit: str = ""
    unit_from: str = ""  # 标识 / 标题 / 文件名
    month: str = ""
    format: str = ""
    refused: str = ""
    notes: list[str] = field(default_factory=list)
    answers: list[ReplyAnswer] = field(default_factory=list)


@dataclass(slots=True)
class RepliesReview:
    month: tuple[int, int]
    progress_date: date
    files: list[ReplyFile] = field(default_factory=list)

    @property
    def answers(self) -> list[ReplyAnswer]:
        return [a for f in self.files for a in f.answers]

    def count(self, state: str) -> int:
        return sum(1 for a in self.answers if a.state == state)

    @property
    def to_take(self) -> list[ReplyAnswer]:
        return [a for a in self.answers if a.state in TAKEN_STATES]

    @property
    def left_for_review(self) -> list[ReplyAnswer]:
        """Answers with something in them that the automatic collect does not take."""
        return [a for a in self.answers if a.state in ("conflict", "unmatched", "other-month")]

    @property
    def status_proposals(self) -> list[ReplyAnswer]:
        return [a for a in self.answers if a.status_proposal and a.state not in ("unmatched", "other-month")]

    def to_dict(self) -> dict[str, object]:
        return {
            "month": month_key(self.month),
            "progress_date": self.progress_date.isoformat(),
            "counts": {
                s: self.count(s)
                for s in (
                    "new",
                    "already",
                    "duplicate",
                    "conflict",
                    "empty",
                    "status-only",
                    "unmatched",
                    "other-month",
                )
            },
            "files": [asdict(f) for f in self.files],
        }


@dataclass(slots=True)
class CollectResult:
    added: int
    skipped_existing: int
    backup: Path | None
    units: list[str]


def reply_files(paths: Iterable[Path | str]) -> list[Path]:
    """The files named, and the workbooks directly inside the folders named (not Excel's ~$ lock files)."""
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found += sorted(
                p
                for p in path.iterdir()
                if p.suffix.lower() in REPLY_SUFFIXES and not p.name.startswith(("~$", ".")) and p.is_file()
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))


_SEQ_NORM = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})


def _seq(text: str) -> str:
    return re.sub(r"[.、,，\s]+$", "", text.translate(_SEQ_NORM).strip())


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def similarity(a: str, b: str) -> float:
    a, b = _squash(a)[:300], _squash(b)[:300]
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.ratio() if matcher.quick_ratio() >= 0.3 else 0.0


def entry_text(row: ReplyRow) -> str:
    parts = [row.get("progress")]
    for label, name in (("存在困难", "difficulties"), ("下步计划", "next_steps"), ("佐证材料", "evidence")):
        if row.get(name):
            parts.append(f"{label}:{row.get(name)}")
    return "\n".join(p for p in parts if p).strip()


def reporter_of(unit: str, row: ReplyRow) -> str:
    return " ".join(p for p in (unit, row.get("filler"), row.get("phone")) if p)[:MAX_REPORTER]


def status_word(text: str) -> str:
    """The 完成情况 word among the drop-down's, or "" (a word of the unit's own is reported as typed)."""
    squashed = _squash(text)
    return next((w for w in STATUS_CHOICES if squashed.startswith(w)), "")


def read_replies(
    ledger: Ledger,
    paths: Sequence[Path | str],
    *,
    month: tuple[int, int] | None = None,
    progress_date: date | None = None,
    today: date | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> RepliesReview:
    """Read the replies into a review; writes nothing. ``month`` None: the latest month sent.
    ``progress`` hears each file as it is read; ``cancelled`` is asked before each."""
    today = today or date.today()
    if month is None:
        sent = ledger.monthly.send_log()
        month = max((tuple(int(x) for x in e.month.split("-")) for e in sent), default=None)  # type: ignore[assignment]
    files = reply_files(paths)
    parsed: list[tuple[Path, ParsedReply | str]] = []
    for index, path in enumerate(files):
        if cancelled is not None and cancelled():
            raise CancelledError()
        if progress is not None:
            progress(index, len(files), f"正在读取 {path.name}")
        try:
            parsed.append((path, read_unit_reply(path)))
        except WorkbookRefused as refused:
            parsed.append((path, refused.message_zh))
    if month is None:  # nothing sent from this ledger: the month the files say
        month = next(
            (
                p.stamp_month or p.title_month or p.name_month
                for _, p in parsed
                if isinstance(p, ParsedReply) and (p.stamp_month or p.title_month or p.name_month)
            ),
            None,
        )
        if month is None:
            raise ValidationError("无法确定月份,请指定要收回的月份。", "cannot tell the month: give it")
    month = check_month(month)
    progress_date = progress_date or min(today, month_end(*month))
    review = RepliesReview(month, progress_date)
    context = _Context(ledger, month, progress_date)
    for path, reply in parsed:
        item = ReplyFile(str(path))
        review.files.append(item)
        if isinstance(reply, str):
            item.refused = reply
            continue
        context.read_file(item, reply, review)
    context.finish(review)
    return review


def collect_replies(
    ledger: Ledger,
    review: RepliesReview,
    *,
    accept: Iterable[int] | None = None,
    progress_date: date | None = None,
    confirm_future: bool = False,
) -> CollectResult:
    """Enter the accepted answers (``accept``: answer keys; None: every "new" one) as progress
    entries dated ``progress_date`` (the review's by default), all or nothing, after a backup."""
    ledger.check_writable()
    answers = {a.key: a for a in review.answers}
    if accept is None:
        chosen = review.to_take
    else:
        chosen = []
        for key in dict.fromkeys(accept):
            answer = answers.get(key)
            if answer is None:
                raise ValidationError(f"没有编号为 {key} 的填报内容。", f"no answer {key}")
            if answer.state not in ACCEPTABLE_STATES or answer.task_id is None:
                raise ValidationError(
                    f"第{answer.row}行({Path(answer.file).name})不能导入:{answer.state}。",
                    f"answer {key} is {answer.state}",
                )
            chosen.append(answer)
    day = check_entry_date(progress_date or review.progress_date, confirm_future=confirm_future)
    replied = [
        f
        for f in review.files
        # A sheet sent back untouched is no answer: its unit stays on the list of the missing.
        if f.unit
        and not f.refused
        and f.month == month_key(review.month)
        and any(a.state != "empty" for a in f.answers)
    ]
    if not chosen and not replied:
        return CollectResult(0, 0, None, [])
    backup = take_backup(ledger.path, "collect-replies").path if chosen else None
    added = skipped = 0
    now = datetime.now().replace(microsecond=0).isoformat(timespec="seconds")
    with ledger.changing("收回月报表") as session:
        ids = sorted({a.task_id for a in chosen if a.task_id is not None})
        existing = set(
            session.execute(
                select(m.ProgressEntry.problem_id, m.ProgressEntry.text, m.ProgressEntry.reporter).where(
                    m.ProgressEntry.entry_date == day
                )
            ).all()
        )
        live = (
            set(
                session.scalars(
                    select(m.Problem.id).where(m.Problem.id.in_(ids), m.Problem.deleted_at.is_(None))
                )
            )
            if ids
            else set()
        )
        for answer in chosen:
            key = (answer.task_id, answer.entry_text, answer.reporter)
            if answer.task_id not in live:
                raise ValidationError(
                    f"任务已被删除,不能导入第{answer.row}行({Path(answer.file).name})。",
                    f"task {answer.task_id} is gone",
                )
            if key in existing:
                skipped += 1
                continue
            existing.add(key)
            session.add(
                m.ProgressEntry(
                    problem_id=answer.task_id,
                    entry_date=day,
                    text=answer.entry_text,
                    reporter=answer.reporter,
                    created_at=session.info["now"],
                )
            )
            added += 1
        log = stored_log(session, REPLIED_KEY)
        counts: dict[str, int] = {}
        for answer in chosen:
            counts[answer.file] = counts.get(answer.file, 0) + 1
        for item in replied:
            log.append(
                {
                    "month": item.month,
                    "unit": item.unit,
                    "file": Path(item.path).name,
                    "collected_at": now,
                    "entries": counts.get(item.path, 0),
                }
            )
        store_text(session, REPLIED_KEY, json.dumps(log, ensure_ascii=False))
    return CollectResult(added, skipped, backup, sorted({f.unit for f in replied}))


class _Context:
    """What matching needs from the ledger, loaded once per review."""

    def __init__(self, ledger: Ledger, month: tuple[int, int], progress_date: date) -> None:
        self.ledger = ledger
        self.month = month
        self.next_key = 0  # answers are numbered across the review: what ``accept`` names
        self.ledger_id = ledger.monthly.ledger_identity()
        self.tasks: dict[int, TaskRow] = {row.id: row for row in ledger.queries.list_tasks()}
        self.units = {u.name for u in ledger.directory.list_units()}
        self.sent: dict[str, set[int]] = {}
        for entry in ledger.monthly.send_log(month):
            self.sent.setdefault(entry.unit, set()).update(entry.task_ids)
        with ledger.reading() as session:
            self.existing = set(
                session.execute(
                    select(m.ProgressEntry.problem_id, m.ProgressEntry.text, m.ProgressEntry.reporter).where(
                        m.ProgressEntry.entry_date == progress_date
                    )
                ).all()
            )

    def candidates(self, unit: str) -> list[TaskRow]:
        sent = self.sent.get(unit)
        if sent:
            return [self.tasks[i] for i in sent if i in self.tasks]
        return [t for t in self.tasks.values() if unit in t.all_units]

    def expected_check(self, task: TaskRow) -> str:
        return task_checksum(self.ledger_id, task.id, task.round_name, task.kind.section.label, task.seq)

    # -- one file ------------------------------------------------------------------------------
    def read_file(self, item: ReplyFile, reply: ParsedReply, review: RepliesReview) -> None:
        item.format = reply.format
        item.notes += reply.notes
        stamp_id = reply.stamp.get("台账标识", "")
        # A stamp from before this ledger's first send is another ledger's too (or a restored old copy).
        if stamp_id and stamp_id != self.ledger_id:
            item.refused = "这份表不是本台账发出的(标识属于另一个台账),没有读取。"
            return
        for unit, source in (
            (reply.stamp.get("单位", ""), "标识"),
            (reply.title_unit, "标题"),
            (reply.name_unit, "文件名"),
        ):
            unit = clean_name(unit)
            if unit in self.units:
                item.unit, item.unit_from = unit, source
                break
        if (
            reply.stamp.get("单位")
            and reply.title_unit
            and clean_name(reply.title_unit) != clean_name(reply.stamp["单位"])
        ):
            item.notes.append(
                f"标题中的单位「{reply.title_unit}」与表内标识的单位「{reply.stamp['单位']}」不同,按标识读取。"
            )
        file_month = reply.stamp_month or reply.title_month or reply.name_month
        item.month = month_key(file_month) if file_month else ""
        if not item.unit:
            shown = reply.stamp.get("单位") or reply.title_unit or reply.name_unit
            item.refused = (
                f"单位「{shown}」不在单位名录中,无法对应。"
                if shown
                else "看不出是哪个单位的表(没有标识、标题或文件名)。"
            )
            return
        if file_month is None:
            item.notes.append("表中看不出月份,按本次收回的月份读取。")
            item.month = month_key(self.month)
        other_month = item.month != month_key(self.month)
        if other_month:
            item.notes.append(
                f"这是{file_month[0]}年{file_month[1]}月的表,不是{self.month[0]}年{self.month[1]}月的,其内容不导入。"
            )  # type: ignore[index]
        if not reply.has_identity_column:
            item.notes.append("表中没有任务标识列(可能被删除或另存到了新表),按督察批次、序号和问题描述对应。")
        candidates = self.candidates(item.unit)
        candidate_ids = {t.id for t in candidates}
        for row in reply.rows:
            answer = ReplyAnswer(self.next_key, str(reply.path), row.row, item.unit, "")
            answer.notes += row.notes
            self.next_key += 1
            task = self.match(row, candidates, candidate_ids, answer)
            self.fill(answer, row, task, item.unit)
            if other_month and answer.state not in ("empty",):
                answer.state = "other-month"
            item.answers.append(answer)

    def match(
        self, row: ReplyRow, candidates: list[TaskRow], candidate_ids: set[int], answer: ReplyAnswer
    ) -> TaskRow | None:
        ident = row.parsed_identity()
        if ident is not None:
            task = self.tasks.get(ident[0])
            if task is None:
                answer.notes.append("标识中的任务已不在台账中(可能已删除)。")
            elif ident[1] != self.expected_check(task):
                answer.notes.append("任务标识校验不符(标识被改动,或任务的序号已变),按内容对应。")
            elif task.id not in candidate_ids:
                answer.notes.append("标识指向的任务不在发给本单位的表中,按内容对应。")
            elif self.consistent(row, task):
                answer.matched_by = "identity"
                self.note_fixed_edits(row, task, answer)
                return task
            else:
                answer.notes.append(
                    "任务标识与本行的序号、问题不符(可能排序时没有选中隐藏的标识列),按内容对应。"
                )
        elif row.identity:
            answer.notes.append(f"任务标识「{row.identity[:40]}」无法识别,按内容对应。")
        task = self.match_content(row, candidates, answer)
        if task is not None:
            answer.matched_by = "content"
        return task

    @staticmethod
    def consistent(row: ReplyRow, task: TaskRow) -> bool:
        # Strict on purpose: a row sorted away from its hidden identity must not keep it.
        seq, text = _seq(row.get("seq")), row.get("description")
        if text:
            return similarity(text, task.description) >= SAME_TEXT
        return not seq or seq == _seq(task.seq)

    @staticmethod
    def note_fixed_edits(row: ReplyRow, task: TaskRow, answer: ReplyAnswer) -> None:
        changed = []
        if row.get("seq") and _seq(row.get("seq")) != _seq(task.seq):
            changed.append("序号")
        if row.get("description") and _squash(row.get("description")) != _squash(task.description):
            changed.append("问题")
        if changed:
            answer.notes.append(f"单位改动了不可修改的列({'、'.join(changed)}),改动未导入。")

    def match_content(self, row: ReplyRow, candidates: list[TaskRow], answer: ReplyAnswer) -> TaskRow | None:
        seq, text = _seq(row.get("seq")), row.get("description")
        pools = [candidates]
        if row.group:
            grouped = [
                t for t in candidates if t.round_name in row.group and t.kind.section.label in row.group
            ]
            if grouped and len(grouped) < len(candidates):
                pools.insert(0, grouped)  # the heading above the row first; rows may have moved under another
        for pool in pools:
            task = self._by_seq(seq, text, pool) or self._by_text(seq, text, pool, answer, row)
            if task is not None:
                return task
        if row.has_answer:
            why = (
                "序号和问题描述都对不上发给本单位的任务"
                if seq or text
                else "这一行没有序号和问题描述(可能是插入的行)"
            )
            answer.notes.append(f"无法对应任务:{why}。")
        return None

    @staticmethod
    def _by_seq(seq: str, text: str, pool: list[TaskRow]) -> TaskRow | None:
        if not seq:
            return None
        same = [t for t in pool if _seq(t.seq) == seq]
        if not text:
            return same[0] if len(same) == 1 else None
        scored = sorted(((similarity(text, t.description), t.id, t) for t in same), reverse=True)
        if scored and scored[0][0] >= SAME_TEXT and (len(scored) == 1 or scored[1][0] < scored[0][0] - 0.1):
            return scored[0][2]
        return None

    @staticmethod
    def _by_text(
        seq: str, text: str, pool: list[TaskRow], answer: ReplyAnswer, row: ReplyRow
    ) -> TaskRow | None:
        if not text:
            return None
        scored = sorted(((similarity(text, t.description), t.id, t) for t in pool), reverse=True)
        if scored and scored[0][0] >= TEXT_ONLY and (len(scored) == 1 or scored[1][0] < scored[0][0] - 0.1):
            if seq:
                answer.notes.append(
                    f"序号「{row.get('seq')}」与台账不符,按问题描述对应到序号 {scored[0][2].seq}。"
                )
            return scored[0][2]
        return None

    def fill(self, answer: ReplyAnswer, row: ReplyRow, task: TaskRow | None, unit: str) -> None:
        for name in ("progress", "status", "difficulties", "next_steps", "evidence", "filler", "phone"):
            setattr(answer, name, row.get(name))
        answer.seq = row.get("seq")
        answer.summary = row.get("description")[:60]
        answer.entry_text = entry_text(row)
        answer.reporter = reporter_of(unit, row)
        if row.get("status"):
            word = status_word(row.get("status"))
            if not word:
                answer.notes.append(f"完成情况「{row.get('status')[:20]}」不是下拉列表中的选项,请人工判断。")
        if task is None:
            answer.state = "unmatched" if row.has_answer else "empty"
            return
        answer.task_id = task.id
        answer.round_name = task.round_name
        answer.seq = task.seq
        answer.summary = task.summary
        answer.current_status = task.status.label
        word = status_word(row.get("status"))
        if word and word not in (task.status.label, task.schedule.label if task.schedule else ""):
            answer.status_proposal = word
        elif row.get("status") and not word:
            answer.status_proposal = row.get("status")[:20]
        if not answer.entry_text:
            answer.state = "status-only" if row.get("status") else "empty"
        elif (task.id, answer.entry_text, answer.reporter) in self.existing:
            answer.state = "already"
        else:
            answer.state = "new"

    def finish(self, review: RepliesReview) -> None:
        """Duplicates and conflicts: they need every file read first."""
        by_task: dict[int, list[ReplyAnswer]] = {}
        for answer in review.answers:
            if answer.task_id is not None and answer.state in ("new", "already", "status-only"):
                by_task.setdefault(answer.task_id, []).append(answer)
        for answers in by_task.values():
            seen: dict[tuple[str, str, str], ReplyAnswer] = {}
            for answer in answers:
                key = (answer.entry_text, answer.reporter, status_word(answer.status) or answer.status)
                if key in seen:
                    answer.state = "duplicate" if answer.state == "new" else answer.state
                    answer.notes.append(f"与第{seen[key].row}行({Path(seen[key].file).name})相同。")
                else:
                    seen[key] = answer
            distinct = list(seen.values())
            statuses = {status_word(a.status) or a.status for a in distinct if a.status}
            texts_by_unit: dict[str, set[str]] = {}
            for a in distinct:
                if a.entry_text:
                    texts_by_unit.setdefault(a.unit, set()).add(a.entry_text)
            split_unit = any(len(t) > 1 for t in texts_by_unit.values())
            if len(statuses) > 1 or split_unit:
                why = (
                    "各单位填报的完成情况不一致("
                    + "、".join(f"{a.unit}:{a.status}" for a in distinct if a.status)
                    + ")"
                    if len(statuses) > 1
                    else "同一单位对这项任务填了不同的内容"
                )
                for a in distinct:
                    if a.state == "new":
                        a.state = "conflict"
                    a.notes.append(f"冲突:{why},请人工确认。")
