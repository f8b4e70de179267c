"""Shape 2 of a plan: measures that name their units in a closing bracket, under a heading.

"(一)压实生态环境保护责任" then "1. …(市委办、市政府办牵头,各县(区)、各管委会配合)": the heading is the
task, the items its measures. A heading whose items name no units is prose (总体要求, 基本原则) and,
after the first task, reported; the plan's closing part (保障措施 …) is reported once, as a block.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ledger_app.io.import_plan import ParsedTask

from .drafts import MeasureDraft, Numbered
from .lines import _CLOSING_RE, _EDGE, _HEADING_STYLES, _RANK, _roles_from_measures, numbered
from .reading import issue
from .source import SourceLine


@dataclass(slots=True)
class _Group:
    """A heading and the items under it; a task only if some item names its units."""

    heading: SourceLine | None
    number: Numbered | None
    items: list[MeasureDraft] = field(default_factory=list)
    prose: list[SourceLine] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


class InlineMixin:
    """The shape-2 reader of PlanParser (it shares the parser's state)."""

    def _end_closing(self) -> None:
        lines = self._closing
        self._closing = []
        if lines:
            title = self.lines[lines[0] - 1].text.strip()
            self.issues.append(
                issue(
                    lines[0],
                    f"第{lines[0]}–{lines[-1]}行「{title[:20]}」是方案的保障要求,不是整改任务,未导入。",
                )
            )

    def _free_line(
        self, index: int, line: SourceLine, text: str, num: Numbered | None, furniture: dict[int, str]
    ) -> None:
        if num is not None and num.style == "cn_dun" and _CLOSING_RE.search(num.body) and len(num.body) <= 20:
            # "四、保障措施": the plan's closing part (organisation, supervision, accountability).
            self._close_group()
            self._closing = [line.no]
            return
        if num is not None and num.style in _HEADING_STYLES and not self._unit_tail(text):
            group = self._group
            if (
                group is not None
                and group.number is not None
                and _RANK[num.style] > _RANK[group.number.style]
            ):
                # "(一)" under "三、整改措施": the outer heading is a container; the inner one leads.
                self._headings.append((group.number, group.heading))  # type: ignore[arg-type]
            self._close_group()
            while self._headings and _RANK[self._headings[-1][0].style] >= _RANK[num.style]:
                self._headings.pop()
            self.section = self._headings[-1][1].text.strip() if self._headings else ""
            self._group = _Group(line, num, lines=[line.no])
            self._heading_log.append((line.no, _RANK[num.style]))
            return
        if (
            text.startswith(("(", "（"))
            and text.rstrip("。").endswith((")", "）"))
            and ("简称" in text or "统称" in text)
        ):
            return  # a definition on its own line, remembered by _definitions
        group = self._group
        if num is not None and num.style in _HEADING_STYLES:  # a heading with its own units: a scope's end
            self._heading_log.append((line.no, _RANK[num.style]))
        if (
            num is not None
            and num.style in _HEADING_STYLES
            and group is not None
            and group.number is not None
            and _RANK[num.style] <= _RANK[group.number.style]
        ):
            # "(三)整治黑臭水体。(县住建局牵头)" after "(二)…": a heading that names its own units.
            self._close_group()
            group = None
        if group is None:
            group = self._group = _Group(None, None)
        group.lines.append(line.no)
        if num is not None and (group.number is None or _RANK[num.style] > _RANK[group.number.style]):
            group.items.append(MeasureDraft(line.no, num.body, num))
        elif (
            group.items
            and self._unit_tail(group.items[-1].text) is None
            and not group.prose
            and (group.items[-1].text.rstrip()[-1:] not in "。;；" or text.startswith(("(", "（")))
        ):
            group.items[-1].add(text, line.no)  # a wrapped line, or the units' bracket on a line of its own
        elif self._unit_tail(text) is not None or (group.items and not group.prose):
            group.items.append(MeasureDraft(line.no, text, num))
        else:
            group.prose.append(line)
            self._unclaimed_line(line, None)

    def _group_has_units(self, group: _Group) -> bool:
        return any(self._unit_tail(item.text) is not None for item in group.items)

    def _close_group(self) -> None:
        group = self._group
        self._group = None
        if group is None:
            return
        if not group.items:
            if group.heading is not None:
                self._empty_headings.append(group.heading)
                # Tasks with labelled fields under it ("一、水污染问题" over "1. 问题…" "责任单位:…") are in its part.
                rank = _RANK[group.number.style] if group.number is not None else -1
                self._field_section = (group.heading.text.strip(), rank)
            return
        if not self._group_has_units(group):
            if group.heading is not None:
                self._empty_headings.append(group.heading)
            for item in group.items:
                self._unclaimed_line(SourceLine(item.row, item.text), None)
            return
        if group.heading is None or group.number is None:
            # Measures naming their units with no heading above: each one a task of its own.
            for item in group.items:
                body = self._split_item(item)[0]
                task = self._new_inline_task(item.row, item.number.number if item.number else 0, body)
                self._add_measure(task, item)
                _roles_from_measures(task)
            return
        heading_text = group.number and numbered(group.heading.text.strip())
        description = heading_text.body if heading_text else group.heading.text.strip()
        task = self._new_inline_task(group.heading.no, group.number.number, description)
        for item in group.items:
            task.rows.append(item.row)
            self._add_measure(task, item)
        _roles_from_measures(task)

    def _new_inline_task(self, row: int, number: int, description: str) -> ParsedTask:
        if self.first_task_line is None:
            self.first_task_line = row
        task = ParsedTask(
            rows=[row], kind=self.kind, seq=str(number) if number else "", description=description.strip(_EDGE[:3]),
            seq_auto=not number, section=self.section,
        )  # fmt: skip
        self.tasks.append(task)
        self.shapes[id(task)] = "inline"
        return task
