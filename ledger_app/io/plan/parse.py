"""Reading the plan's lines into tasks: three shapes, mixed freely in one document.

1. Labelled fields: a numbered problem paragraph (一、 (一) 1. (1) …) followed by 责任单位: 牵头单位:
   配合单位: 督导单位: 责任领导: 整改时限: 整改目标: 整改措施: (full- or half-width colon, or 【责任单位】),
   each on its own line or several in one, in any order, any of them missing; the measures after
   整改措施: numbered or not, over page breaks. A numbered line starts a task when a label follows it
   before the next line numbered in the same style.
2. Measures with inline units: numbered measures under a heading ((一) …), each ending in a
   parenthesis that names the units, "(市委办、市政府办牵头,各县(区)、各管委会配合)". The heading is the
   task, the items its measures; the parenthesis leaves the measure's text and gives its units. A
   heading whose items name no units is prose (总体要求, 保障措施), not a task.
3. A Word table with a header row (序号 / 反馈问题 / 责任单位 / 整改时限 / 整改目标 / 整改措施 …); a row
   whose 序号 cell is merged with the row above continues that task.

Definitions "(以下简称X)", "(以上园区管委会简称各管委会)" are remembered for the rest of the document:
the short name is a unit name that is never split. What is not understood after the first task is
reported line by line; nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from ledger_app.domain.deadlines import Deadline, parse_deadline
from ledger_app.domain.model import ProblemKind
from ledger_app.io.excel_in.measures import measure_details, split_measures
from ledger_app.io.excel_in.row_kinds import kind_from_text
from ledger_app.io.excel_in.units import UnitReader, UnitRoles
from ledger_app.io.import_plan import ImportIssue, ParsedMeasure, ParsedTask

from .drafts import MeasureDraft, Numbered, add_roles
from .furniture import furniture_reason, running_heads
from .inline import InlineMixin, _Group
from .lines import (
    _ALIAS_RE,
    _CLOSING_RE,
    _DEFINITION_RE,
    _EDGE,
    _HEADING_STYLES,
    _RANK,
    _ROLE_WORD_RE,
    MAX_LOOKAHEAD,
    _clause_before,
    _deadline_clause,
    _deadline_from_measures,
    _join,
    _looks_like_unit,
    _roles_from_measures,
    _tail_paren,
    _trim_role_clauses,
    line_label,
    numbered,
    split_labels,
)
from .reading import PlanReading, issue, unique
from .source import SourceDoc, SourceLine
from .table import TableMixin


class PlanParser(InlineMixin, TableMixin):
    def __init__(self, doc: SourceDoc, known_units: Collection[str] = ()) -> None:
        self.doc = doc
        self.lines = doc.lines
        self.known = [u for u in known_units if u]
        self.aliases: dict[str, str] = {}
        self.units = UnitReader(self.known)
        self.tasks: list[ParsedTask] = []
        self.shapes: dict[int, str] = {}
        self.issues: list[ImportIssue] = []
        self.skipped: list[int] = []
        self.preamble: list[str] = []
        self.first_task_line: int | None = None
        self.kind = ProblemKind.SPECIFIC
        self.section = ""
        self._unclaimed: list[SourceLine] = []  # prose before the first task: the preamble
        self._task: ParsedTask | None = None
        self._task_style = ""
        self._measure_style = ""
        self._field = ""  # the field a plain line continues
        self._field_filled = False
        self._items: list[MeasureDraft] = []
        self._group: _Group | None = None
        self._headings: list[tuple[Numbered, SourceLine]] = []
        # Every heading seen (line, rank), and those whose group held no measure: at the end, one with
        # no task in its scope is reported (after the first task) or is part of the preamble (before).
        self._heading_log: list[tuple[int, int]] = []
        self._empty_headings: list[SourceLine] = []
        self._closing: list[int] = []  # lines of the plan's closing part, once it has begun
        # The heading above tasks with labelled fields, and its level (inline._close_group).
        self._field_section: tuple[str, int] | None = None

    # -- driver ----------------------------------------------------------------------------
    def parse(self) -> PlanReading:
        content = [line for line in self.lines if line.text.strip() and line.cells is None]
        heads = running_heads(content, self._may_repeat)
        furniture: dict[int, str] = {}
        # The document's title repeated as the running head: its first showing stays, as the title.
        opening = {line.text.strip() for line in content[:5] if furniture_reason(line.text) is None}
        for line in content:
            text = line.text.strip()
            reason = furniture_reason(text)
            if reason is None and text in heads:
                if text in opening:
                    opening.discard(text)
                    continue
                reason = "页眉"
            if reason is not None:
                furniture[line.no] = reason
        self.skipped = sorted(furniture)
        # The kind the title names, line by line from the top: the title's "反馈意见" is not outweighed by a
        # stock phrase of the lead-in under it ("坚持问题导向,举一反三" does not make a plan 自查问题).
        kinds = (kind_from_text(line.text) for line in content[:6])
        self.kind = next((k for k in kinds if k is not None), ProblemKind.SPECIFIC)
        i = 0
        n = len(self.lines)
        while i < n:
            line = self.lines[i]
            if not line.text.strip() or line.no in furniture:
                i += 1
                continue
            if line.cells is not None:
                end = i
                while end < n and self.lines[end].table == line.table and self.lines[end].cells is not None:
                    end += 1
                self._close_all()
                self._table(self.lines[i:end])
                i = end
                continue
            self._line(i, line, furniture)
            i += 1
        self._close_all()
        self._finish()
        title = next((t for t in self.preamble if not furniture_reason(t)), "")
        return PlanReading(
            path="",
            format=self.doc.format,
            lines=self.lines,
            tasks=self.tasks,
            issues=sorted(self.issues, key=lambda x: x.row or 0),
            encoding=self.doc.encoding,
            title=title,
            preamble=self.preamble,
            skipped=self.skipped,
            aliases=self.aliases,
            shapes=self.shapes,
        )

    @staticmethod
    def _may_repeat(text: str) -> bool:
        return bool(line_label(text) or numbered(text) or text.endswith(("。", ";", "；", ")", "）")))

    # -- one line outside tables -----------------------------------------------------------
    def _line(self, index: int, line: SourceLine, furniture: dict[int, str]) -> None:
        text = line.text.strip()
        self._definitions(text)
        num = numbered(text)
        label = line_label(text)
        if self._closing:
            if num is None or num.style != "cn_dun" or _CLOSING_RE.search(num.body):
                self._closing.append(line.no)  # still inside 保障措施: plan prose
                return
            self._end_closing()
        if num is not None and self._starts_task(index, num, furniture):
            self._close_all()
            self._start_task(line, num)
            return
        if label is not None and label[0] == "description" and (self._task is None or self._task.description):
            # "问题描述:…" opens a task of its own when no numbered line did.
            self._close_all()
            self._start_task(line, None)
            return
        if self._task is not None:
            if label is not None:
                self._labels(line, text)
                return
            if num is None and self._field == "measures" and self._label_taken_next(index, furniture):
                # An unnumbered paragraph after the measures, followed by 责任单位: when this task has
                # its units already: the next task, numbered by Word or not at all.
                self._close_all()
                self._start_task(line, None)
                return
            if num is not None and self._ends_task(num):
                self._close_task()
            else:
                self._continue_task(line, text, num)
                return
        if label is not None:
            candidate = self._unnumbered_head()
            if candidate is not None:
                self._start_task(candidate, None)
                self._labels(line, text)
                return
            self._unclaimed_line(line, "字段标注前面没有对应的问题描述")
            return
        self._free_line(index, line, text, num, furniture)

    def _starts_task(self, index: int, num: Numbered, furniture: dict[int, str]) -> bool:
        """A numbered line whose own text or the lines after it hold a field label."""
        line = self.lines[index]
        in_measures = self._task is not None and self._field == "measures"
        if in_measures and self._task_style and num.style != self._task_style:
            return False  # inside a measure list only a line numbered like the tasks starts the next one
        if (
            in_measures
            and not self._task_style
            and (num.style == self._measure_style or not (self._measure_style or self._items))
        ):
            # An unnumbered task's measure list: its first numbered line and those numbered like it are its
            # measures, whatever label follows (the next task's paragraph is found by _label_taken_next).
            return False
        if self._task is not None and self._task_style and _RANK[num.style] > _RANK[self._task_style]:
            return False  # "1. 表现一" inside task "一、": a point of its description or a measure
        if split_labels(line.text.strip())[1] and not line_label(num.body):
            return True  # "1. 问题…。责任单位:…" in one line
        seen = 0
        deeper = 0  # lines numbered below this one's level, before the label
        for later in self.lines[index + 1 :]:
            text = later.text.strip()
            if not text or later.no in furniture:
                continue
            if later.cells is not None:
                return False
            seen += 1
            if seen > MAX_LOOKAHEAD:
                return False
            found = line_label(text)
            if found:
                # "问题描述:" opens a task of its own (_line): the numbered line above it is not one (the last
                # measure of a task that a "问题描述:" line opened, say).
                if found[0] == "description":
                    return False
                # "一、水污染问题" then "1. 问题…" then "责任单位:": the label is the nearer line's, and this one
                # a heading over the tasks; several such lines ("1. 表现一;" "2. 表现二。"), or this line
                # ending in a colon ("问题甲:"), are points of this task's description.
                return deeper != 1 or num.body.rstrip().endswith((":", "："))
            other = numbered(text)
            if other is not None and (
                other.style == num.style
                or (_RANK[other.style] < _RANK[num.style] and other.style in _HEADING_STYLES)
            ):
                return False
            if other is not None and _RANK[other.style] > _RANK[num.style]:
                deeper += 1
        return False

    def _label_taken_next(self, index: int, furniture: dict[int, str]) -> bool:
        """Whether the next line is a label of a field the current task has already filled."""
        task = self._task
        assert task is not None
        for later in self.lines[index + 1 : index + 4]:
            text = later.text.strip()
            if not text or later.no in furniture:
                continue
            label = line_label(text)
            if label is None or later.cells is not None:
                return False
            key = label[0]
            if key in ("lead_units", "responsible_units", "cooperating_units", "supervising_units"):
                return bool(task.all_units)
            if key == "deadline":
                return bool(task.deadline.text)
            return key == "leader" and bool(task.leader)
        return False

    def _unnumbered_head(self) -> SourceLine | None:
        """An unnumbered paragraph right before a label line, not yet used: the problem of a task."""
        if self._group is not None and len(self._group.items) == 1 and not self._group.prose:
            item = self._group.items[0]
            if _tail_paren(item.text) is None or not self._unit_tail(item.text):
                self._group.items.clear()
                heading = self._group.heading
                self._close_group()
                if heading is not None:
                    self._retract_prose(heading)
                return SourceLine(item.row, item.text)
        if self._group is not None and self._group.prose:
            last = self._group.prose.pop()
            self._retract_prose(last)
            return last
        if self._unclaimed and self.first_task_line is None:
            return self._unclaimed.pop()
        return None

    def _retract_prose(self, line: SourceLine) -> None:
        """A line reported (or kept as preamble) turns out to be a task's problem paragraph."""
        self.issues = [i for i in self.issues if i.row != line.no]
        self._unclaimed = [u for u in self._unclaimed if u.no != line.no]

    # -- shape 1: a task with labelled fields -----------------------------------------------
    def _start_task(self, line: SourceLine, num: Numbered | None) -> None:
        if self.first_task_line is None:
            self.first_task_line = line.no
        text = num.body if num is not None else line.text.strip()
        head, labels = split_labels(text)
        section = self.section
        if self._field_section is not None:
            if num is None or _RANK[num.style] > self._field_section[1]:
                section = self._field_section[0]
            else:
                self._field_section = None  # numbered like the heading: past its part
        task = ParsedTask(
            rows=[line.no],
            kind=self.kind,
            seq=str(num.number) if num is not None else "",
            description=head.strip(),
            seq_auto=num is None,
            section=section,
        )
        self.tasks.append(task)
        self.shapes[id(task)] = "fields"
        if num is not None:  # a task numbered like a heading above it ends that heading's scope
            self._heading_log.append((line.no, _RANK[num.style]))
        self._task = task
        self._task_style = num.style if num is not None else ""
        self._measure_style = ""
        self._items = []
        self._field, self._field_filled = "description", bool(head.strip())
        for key, word, value in labels:
            self._set_field(line, key, word, value)

    def _labels(self, line: SourceLine, text: str) -> None:
        assert self._task is not None
        self._task.rows.append(line.no)
        _, labels = split_labels(text)
        for key, word, value in labels:
            self._set_field(line, key, word, value)

    def _set_field(self, line: SourceLine, key: str, word: str, value: str) -> None:
        task = self._task
        assert task is not None
        self._field, self._field_filled = key, bool(value)
        if key == "measures":
            if value:
                for text in split_measures(value):
                    self._items.append(MeasureDraft(line.no, text))
            return
        if key not in ("description", "goal"):
            value = value.strip(_EDGE)
        if not value:
            return
        if key == "description":
            task.description = f"{task.description}\n{value}".strip()
        elif key == "goal":
            task.goal = f"{task.goal}\n{value}".strip() if task.goal else value
        elif key == "deadline":
            if task.deadline.text:
                self.issues.append(
                    issue(
                        line.no, f"整改时限写了两次,采用「{task.deadline.text}」,另一处「{value}」记入备注。"
                    )
                )
                self._note(task, f"{word}:{value}")
            else:
                task.deadline = parse_deadline(value)
                if not task.deadline.understood:
                    self.issues.append(issue(line.no, f"整改时限「{value[:40]}」未能识别为日期,按原文保存。"))
        elif key == "leader":
            task.leader = "、".join(unique([task.leader, value])) if task.leader else value
        elif key == "contact":
            task.contact = value
        elif key == "contact_phone":
            task.contact_phone = value
        else:
            role = {"lead_units": "lead", "responsible_units": "responsible",
                    "cooperating_units": "cooperating", "supervising_units": "supervising"}[key]  # fmt: skip
            roles = self._roles(value, role)
            add_roles(task, roles)
            self._check_units(line, roles)

    def _continue_task(self, line: SourceLine, text: str, num: Numbered | None) -> None:
        task = self._task
        assert task is not None
        task.rows.append(line.no)
        key = self._field
        if key == "measures" or (num is not None and key not in ("description", "goal")):
            if key != "measures":
                self.issues.append(issue(line.no, "措施前没有“整改措施:”标注,按整改措施读取。"))
                self._field = "measures"
            if num is not None:
                self._measure_style = self._measure_style or num.style
                self._items.append(MeasureDraft(line.no, num.body, num))
            elif self._items and self._items[-1].text.rstrip()[-1:] not in "。;；":
                self._items[-1].add(
                    text, line.no
                )  # a line wrapped inside a measure, or a measure over a page break
            else:
                self._items.append(MeasureDraft(line.no, text))
            return
        if key == "description":
            task.description = _join(task.description, text)
        elif key == "goal":
            task.goal = _join(task.goal, text)
        elif not self._field_filled:
            self._set_field(line, key, key, text.strip(_EDGE))
        else:
            self._note(task, text)
            self.issues.append(issue(line.no, f"「{text[:30]}」不属于任何字段,已记入该任务的备注。请核对。"))

    def _ends_task(self, num: Numbered) -> bool:
        if num.style == self._task_style:
            # "1." tasks with "1." measures: the first measure sets the list's style.
            return self._field != "measures" or self._measure_style not in ("", num.style)
        if num.style not in _HEADING_STYLES:
            return False
        if self._task_style and _RANK[num.style] < _RANK[self._task_style]:
            return True  # a heading above the tasks' own level
        if self._field == "measures" and self._measure_style and num.style != self._measure_style:
            return True  # "(一)…" after a "1." measure list: the next part of the plan
        return not self._task_style and self._field != "measures"

    def _close_task(self) -> None:
        task = self._task
        if task is None:
            return
        for item in self._items:
            self._add_measure(task, item)
        self._task = None
        self._items = []
        self._field = ""

    # -- measures ------------------------------------------------------------------------------
    def _unit_tail(self, text: str) -> str | None:
        """The inside of a closing bracket that names units ("…(县住建局牵头)"), else None."""
        found = _tail_paren(text)
        if found is None:
            return None
        inner = found[1]
        if not inner or "简称" in inner or "统称" in inner:
            return None
        if _ROLE_WORD_RE.search(inner):
            return inner
        names = self.units.split(inner)
        if names and all(_looks_like_unit(n) or n in self.aliases for n in names):
            return inner
        return None

    def _split_item(self, item: MeasureDraft) -> tuple[str, str | None]:
        inner = self._unit_tail(item.text)
        if inner is None:
            return item.text.strip(), None
        found = _tail_paren(item.text)
        assert found is not None
        body = found[0].rstrip(",，;；、 ")
        if body and body[-1] not in "。;；!！?？":
            body += "。"
        return body, inner

    def _add_measure(self, task: ParsedTask, item: MeasureDraft) -> None:
        body, inner = self._split_item(item)
        if not body:
            self.issues.append(issue(item.row, "措施只有单位、没有内容,已跳过。", "refused"))
            return
        lead: list[str] = []
        cooperating: list[str] = []
        deadline = Deadline("")
        if inner is not None:
            inner, deadline = _deadline_clause(inner)
            roles = self._roles(inner, "responsible")
            lead = unique([*roles.lead, *roles.responsible])
            cooperating = [n for n in roles.cooperating if n not in lead]
            self._check_units(SourceLine(item.row, item.text), roles)
        if deadline.is_empty:
            deadline = measure_details(body, self.units).deadline
        task.measures.append(
            ParsedMeasure(len(task.measures) + 1, body, item.row, lead, cooperating, deadline)
        )
        task.rows.extend(r for r in (item.row, *item.more_rows) if r not in task.rows)
        if inner is None and self.shapes.get(id(task)) == "inline":
            self.issues.append(issue(item.row, "这条措施没有写明责任单位,按所在任务的单位导入。请核对。"))

    # -- shared ----------------------------------------------------------------------------------
    def _roles(self, text: str, default: str) -> UnitRoles:
        # "县住房和城乡建设局(以下简称“县住建局”)": the unit is the name; the short name is remembered
        # (_definitions) and the bracket is no part of it.
        return self.units.roles(_trim_role_clauses(_DEFINITION_RE.sub("", text)), default)

    def _check_units(self, line: SourceLine, roles: UnitRoles) -> None:
        for name in roles.all():
            if len(name) > 20 and not _looks_like_unit(name):
                self.issues.append(issue(line.no, f"单位「{name[:20]}…」过长,可能不是单位名称,请核对。"))

    def _definitions(self, text: str) -> None:
        if "简称" not in text and "统称" not in text:
            return
        for match in re.finditer(r"[(（]([^()（）]{2,80})[)）]", text):
            found = _ALIAS_RE.search(match.group(1))
            if found is None:
                continue
            alias = found.group("alias").strip()
            what = found.group("what").strip(_EDGE)
            # "(以上园区管委会简称各管委会)": 以上 points at the names before the bracket.
            before = _clause_before(text, match.start())
            meaning = before if (match.group(1).startswith("以上") and before) or not what else what
            if alias and alias not in self.aliases:
                self.aliases[alias] = meaning
                self.units = UnitReader([*self.known, *self.aliases])

    def _note(self, task: ParsedTask, text: str) -> None:
        task.note = f"{task.note}\n{text}".strip() if task.note else text

    def _unclaimed_line(self, line: SourceLine, reason: str | None) -> None:
        if self.first_task_line is None and reason is None:
            self._unclaimed.append(line)
            return
        self.issues.append(
            issue(line.no, reason or f"「{line.text.strip()[:30]}」未能识别为任务或措施,未导入。", "refused")
        )

    def _close_all(self) -> None:
        self._close_task()
        self._close_group()
        self._end_closing()

    def _headings_without_tasks(self) -> None:
        starts = sorted(t.rows[0] for t in self.tasks)
        ranks = dict(self._heading_log)
        for heading in self._empty_headings:
            rank = ranks.get(heading.no, 0)
            end = next((no for no, r in self._heading_log if no > heading.no and r <= rank), None)
            if any(heading.no < start and (end is None or start < end) for start in starts):
                continue  # "三、整改措施" above "(一)…": a container of tasks
            if self.first_task_line is None or heading.no < self.first_task_line:
                self._unclaimed.append(heading)
            else:
                self._unclaimed_line(
                    heading, f"标题「{heading.text.strip()[:30]}」下面没有读到任务或措施,未导入。"
                )

    def _finish(self) -> None:
        self._headings_without_tasks()
        self.preamble = [u.text.strip() for u in sorted(self._unclaimed, key=lambda line: line.no)]
        kept: list[ParsedTask] = []
        for task in self.tasks:
            task.description = task.description.strip()
            if not task.description:
                if task.measures:
                    task.description = task.measures[0].text
                    self.issues.append(issue(task.rows[0], "没有问题描述,取第一条措施作为描述。请核对。"))
                else:
                    self.issues.append(issue(task.rows[0], "有序号但没有问题描述,该任务未导入。", "refused"))
                    continue
            _roles_from_measures(task)
            if not task.all_units:
                self.issues.append(issue(task.rows[0], "该任务没有写明责任单位(或牵头单位)。"))
            if task.deadline.is_empty:
                _deadline_from_measures(task)
            task.rows = sorted(set(task.rows))
            kept.append(task)
        self.tasks = kept
        written = [t.seq for t in kept if t.seq]
        if len(set(written)) != len(written):
            self.issues.append(
                issue(None, "方案中的序号有重复(几种编号混在一起),已按出现顺序重新编号为 1、2、3……。")
            )
            for number, task in enumerate(kept, 1):
                task.seq, task.seq_auto = str(number), True
        else:
            # Tasks the plan did not number (Word's automatic numbering, "问题描述:"): their place in it.
            taken = set(written)
            for number, task in enumerate(kept, 1):
                if not task.seq:
                    seq = str(number)
                    while seq in taken:
                        seq += "-1"
                    task.seq, task.seq_auto = seq, True
                    taken.add(seq)
        if not kept:
            self.issues.append(issue(None, "没有读到任何整改任务。", "refused"))
