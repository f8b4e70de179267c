"""The import report as words: shown on the report page and saved by 导出报告… as .txt or .csv.

No Qt here: plain functions over the ImportPlan (what the reader understood and refused) and the
dry run's ImportResult (what the import will change in the ledger).
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ledger_app.domain.model import ProblemKind
from ledger_app.io.import_plan import FIELD_LABELS, ImportIssue, ImportPlan, ImportSummary
from ledger_app.services import ImportResult

SEVERITY_LABELS = {"refused": "拒绝", "warning": "提示"}


@dataclass(frozen=True, slots=True)
class ReportContext:
    round_name: str
    progress_date: date | None
    new_round: bool = False


def rows_text(rows: list[int]) -> str:
    if not rows:
        return "?"
    return f"第{rows[0]}行" if len(rows) == 1 else f"第{rows[0]}–{rows[-1]}行"


def kind_counts(plan: ImportPlan) -> list[tuple[ProblemKind, int]]:
    counts = Counter(task.kind for task in plan.tasks)
    return [(kind, counts[kind]) for kind in ProblemKind if counts[kind]]


def summary_lines(
    plan: ImportPlan, diff: ImportResult | None, summary: ImportSummary | None = None
) -> list[str]:
    """What the reader understood, one fact a line (``summary``: plan.summary if already computed)."""
    s = summary or plan.summary
    kinds = "、".join(f"{kind.label} {n}" for kind, n in kind_counts(plan))
    units = f"涉及单位:{s.units} 个"
    if diff is not None:
        units += f",其中台账单位名录中没有、将新建 {len(diff.units_created)} 个"
    return [
        f"任务:{s.tasks} 项" + (f"({kinds})" if kinds else ""),
        f"整改措施:{s.measures} 条",
        units,
        f"整改时限:认出 {s.deadlines_parsed} 项,未认出(按原文保存) {s.deadlines_not_understood} 项,"
        f"空白 {s.deadlines_empty} 项",
        f"拒绝的行:{s.refused_rows} 行(不导入);提示:{s.warnings} 条",
    ]


def status_lines(summary: ImportSummary) -> list[str]:
    return [f"“{item.raw or '(空白)'}” → {item.status.label}:{item.count} 项" for item in summary.status_map]


def diff_counts_line(diff: ImportResult) -> str:
    return (
        f"新增 {len(diff.created)} 项,有变化 {len(diff.changed)} 项,无变化 {diff.unchanged} 项,"
        f"台账中有而文件中没有 {len(diff.missing)} 项"
    )


def round_lines(diff: ImportResult) -> list[str]:
    """One line per round the import goes into, when the file's section rows name several."""
    if len(diff.rounds) < 2:
        return []
    return [
        f"督察批次「{r.name}」{'(新建)' if r.new else ''}:新增 {r.created} 项,有变化 {r.changed} 项,"
        f"无变化 {r.unchanged} 项,台账中有而文件中没有 {r.missing} 项"
        for r in diff.rounds
    ]


def diff_lines(diff: ImportResult) -> list[str]:
    lines = [diff_counts_line(diff) + "。"]
    if len(diff.rounds) > 1:
        lines += [
            "",
            "文件按督察批次分组,各任务导入到所在的批次:",
            *(f"  {line}" for line in round_lines(diff)),
        ]
    if diff.created:
        lines += ["", f"新增的任务({len(diff.created)} 项):", *(f"  {label}" for label in diff.created)]
    if diff.changed:
        lines += ["", f"有变化的任务({len(diff.changed)} 项):"]
        lines += [f"  {label}:{'、'.join(fields)}" for label, fields in diff.changed]
    if diff.missing:
        lines += ["", f"台账中有、文件中没有的任务({len(diff.missing)} 项,导入不会删除它们):"]
        lines += [f"  {label}" for label in diff.missing]
    if diff.units_created:
        lines += ["", f"将新建的单位({len(diff.units_created)} 个):", "  " + "、".join(diff.units_created)]
    return lines


def issue_cells(issue: ImportIssue) -> list[str]:
    return [
        SEVERITY_LABELS.get(issue.severity, issue.severity),
        issue.sheet,
        "" if issue.row is None else str(issue.row),
        issue.column or "",
        issue.reason_zh,
    ]


def issue_line(issue: ImportIssue) -> str:
    """ "[拒绝] 「整改台账」第13行 B列:…": the row in words, as a clerk looks it up in Excel."""
    severity = SEVERITY_LABELS.get(issue.severity, issue.severity)
    if issue.row is None:
        where = issue.where()
    else:
        where = f"「{issue.sheet}」第{issue.row}行" + (f" {issue.column}列" if issue.column else "")
    return f"[{severity}] {where}:{issue.reason_zh}"


def report_text(
    plan: ImportPlan, diff: ImportResult | None, context: ReportContext, summary: ImportSummary | None = None
) -> str:
    summary = summary or plan.summary
    target = context.round_name + ("(新建)" if context.new_round else "")
    lines = [
        "导入Excel台账 — 导入前检查报告",
        f"文件:{plan.path}",
        f"工作表:{plan.sheet}(表头在{rows_text(plan.header_rows)})",
    ]
    if plan.title:
        lines.append(f"标题:{plan.title}")
    lines.append(f"导入到督察批次:{target}")
    if context.progress_date is not None:
        lines.append(f"进展日期:{context.progress_date.isoformat()}")
    lines += ["", "一、读到的内容", *summary_lines(plan, diff, summary), "", "完成情况的写法 → 导入后的状态:"]
    lines += [f"  {line}" for line in status_lines(summary)] or ["  (无)"]
    lines += ["", "二、各列", *(f"  {c.letter}列「{c.header}」→ {_field(c.field)}" for c in plan.columns)]
    lines += [
        f"  {u.letter}列「{u.header}」→ {'忽略' if u.ignored else '未识别,内容记入备注'}"
        for u in plan.unmapped
    ]
    lines += ["", "三、与台账比对"]
    lines += diff_lines(diff) if diff is not None else ["(尚未比对)"]
    lines += ["", f"四、拒绝的行与提示({len(plan.refused)} / {len(plan.warnings)})"]
    lines += [f"  {issue_line(issue)}" for issue in sorted(plan.issues, key=_issue_order)]
    return "\n".join(lines) + "\n"


def report_rows(
    plan: ImportPlan, diff: ImportResult | None, context: ReportContext, summary: ImportSummary | None = None
) -> list[list[str]]:
    """The same report as a table: 部分, 类别, 工作表, 行, 列, 内容."""
    summary = summary or plan.summary
    rows = [["部分", "类别", "工作表", "行", "列", "内容"]]
    rows.append(["文件", "", plan.sheet, "", "", plan.path])
    rows.append(["目标", "", "", "", "", context.round_name + ("(新建)" if context.new_round else "")])
    rows += [["读到的内容", "", plan.sheet, "", "", line] for line in summary_lines(plan, diff, summary)]
    rows += [["状态对照", "", plan.sheet, "", "", line] for line in status_lines(summary)]
    if diff is not None:
        rows.append(["比对", "合计", "", "", "", diff_counts_line(diff)])
        rows += [["比对", "督察批次", "", "", "", line] for line in round_lines(diff)]
        rows += [["比对", "新增", "", "", "", label] for label in diff.created]
        rows += [["比对", "有变化", "", "", "", f"{label}:{'、'.join(f)}"] for label, f in diff.changed]
        rows += [["比对", "文件中没有", "", "", "", label] for label in diff.missing]
        rows += [["比对", "新建单位", "", "", "", name] for name in diff.units_created]
    rows += [["检查", *issue_cells(issue)] for issue in sorted(plan.issues, key=_issue_order)]
    return rows


def write_report(
    path: Path,
    plan: ImportPlan,
    diff: ImportResult | None,
    context: ReportContext,
    summary: ImportSummary | None = None,
) -> Path:
    """Save as CSV when ``path`` ends in .csv, as text otherwise; UTF-8 with a BOM so Excel and
    old Notepad on Windows read the Chinese correctly."""
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(report_rows(plan, diff, context, summary))
    else:
        path.write_text(report_text(plan, diff, context, summary), encoding="utf-8-sig", newline="\r\n")
    return path


def _issue_order(issue: ImportIssue) -> tuple[int, str, int, str]:
    return (0 if issue.severity == "refused" else 1, issue.sheet, issue.row or 0, issue.column or "")


def _field(key: str) -> str:
    return FIELD_LABELS.get(key, key)
