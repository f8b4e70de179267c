"""What the plan reader understood: tasks in the Excel importer's shape, and what it left out and why.

``PlanReading.records()`` gives the same TaskRecords as ``ImportPlan.records()``, so one service call
(``Ledger.imports.import_records``) writes both. ``rows`` of a task and ``row`` of a measure and of an issue are
line numbers of the source text as the preview shows it (``lines``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ledger_app.domain.records import TaskRecord
from ledger_app.io.import_plan import (
    ImportIssue,
    ImportSummary,
    ParsedTask,
    Severity,
    _deadline_json,
    count_tasks,
)

from .source import SourceLine

SHAPE_LABELS = {
    "fields": "标注字段(责任单位:/整改时限:…)",
    "inline": "措施后括号注明单位",
    "table": "Word表格",
}


@dataclass(slots=True)
class PlanReading:
    path: str
    format: str  # "txt", "docx" or "paste"
    lines: list[SourceLine]
    tasks: list[ParsedTask]
    issues: list[ImportIssue]
    encoding: str = ""
    title: str = ""
    preamble: list[str] = field(default_factory=list)  # title block and lead-in lines, left out
    skipped: list[int] = field(default_factory=list)  # lines recognised as page furniture, left out
    aliases: dict[str, str] = field(default_factory=dict)  # 简称 → what the plan says it stands for
    shapes: dict[int, str] = field(default_factory=dict)  # id(task) → "fields" | "inline" | "table"

    # -- what the import service takes ------------------------------------------------------
    def records(self, *, round_name: str = "", progress_date: date | None = None) -> list[TaskRecord]:
        return [t.to_record(round_name=round_name, progress_date=progress_date) for t in self.tasks]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def refused(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.severity == "refused"]

    @property
    def warnings(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.severity == "warning"]

    def shape_of(self, task: ParsedTask) -> str:
        return self.shapes.get(id(task), "")

    @property
    def summary(self) -> ImportSummary:
        return ImportSummary(
            **count_tasks(self.tasks),
            refused_rows=len({i.row for i in self.refused}),
            warnings=len(self.warnings),
            status_map=(),
        )

    def describe(self) -> list[str]:
        """The reading in Chinese, line by line (the CLI prints it; the GUI shows it in its report)."""
        s = self.summary
        shapes: dict[str, int] = {}
        for task in self.tasks:
            label = SHAPE_LABELS.get(self.shape_of(task), "")
            if label:
                shapes[label] = shapes.get(label, 0) + 1
        lines = [
            f"文件:{self.path or '(粘贴的文本)'}  格式:{self.format}"
            + (f"  编码:{self.encoding}" if self.encoding else "")
            + f"  共 {len(self.lines)} 行",
        ]
        if self.title:
            lines.append(f"标题:{self.title}")
        if shapes:
            lines.append("识别的形式:" + ";".join(f"{k} {v} 项" for k, v in shapes.items()))
        lines.append(
            f"任务 {s.tasks} 项,措施 {s.measures} 条,单位 {s.units} 个;整改时限识别 {s.deadlines_parsed} 项,"
            f"未能识别 {s.deadlines_not_understood} 项,空白 {s.deadlines_empty} 项;"
            f"未导入的文字 {s.refused_rows} 行,提示 {s.warnings} 条。"
        )
        if self.preamble:
            lines.append(
                f"标题和导语 {len(self.preamble)} 行、页眉页脚页码等 {len(self.skipped)} 行未作为任务。"
            )
        for alias, meaning in self.aliases.items():
            lines.append(f"简称:「{alias}」= {meaning}")
        for issue in self.issues:
            kind = "未导入" if issue.severity == "refused" else "提示"
            where = f"第{issue.row}行" if issue.row else "全文"
            lines.append(f"  [{kind}] {where}:{issue.reason_zh}")
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "encoding": self.encoding,
            "title": self.title,
            "preamble": self.preamble,
            "aliases": self.aliases,
            "lines": len(self.lines),
            "skipped_lines": self.skipped,
            "tasks": [{**t.to_json(), "shape": self.shape_of(t)} for t in self.tasks],
            "issues": [i.to_json() for i in self.issues],
            "summary": self.summary.to_json(),
        }


def issue(line: int | None, reason: str, severity: Severity = "warning") -> ImportIssue:
    """An issue of the plan: ``line`` is the source line (1-based); ``sheet`` and ``column`` stay empty."""
    return ImportIssue("", line, None, reason, severity)


def deadline_json(task: ParsedTask) -> dict[str, Any]:
    return _deadline_json(task.deadline)


def unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(n for n in names if n))
