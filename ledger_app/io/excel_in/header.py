"""Finding the table in a sheet: its header rows, and which column holds which field.

The header is the row (among the first rows) that names the most known fields; a second header row
is taken above or below it only where merged cells say the two belong together ("责任单位" spread
over "牵头单位 | 配合单位", or "序号" merged down over both rows). Header text is compared without
spaces and newlines ("序 号", "整改\\n时限"), first whole, then by the words it contains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ledger_app.io.excel_in.cells import cell_text, col_letter, header_key
from ledger_app.io.excel_in.reader import SheetData
from ledger_app.io.excel_in.status import looks_like_status

HEADER_SEARCH_ROWS = 40
MAX_HEADER_CHARS = 40  # a longer cell is a title or data, not a column name
MAX_CONTAINS_CHARS = 20  # longest header still read by the words inside it

_EXACT: dict[str, str] = {
    **dict.fromkeys(["序号", "编号", "序列号", "问题序号", "问题编号", "任务序号", "NO", "NO.", "No", "No."], "seq"),
    **dict.fromkeys(
        ["督察反馈问题", "反馈问题", "问题描述", "存在问题", "反映问题", "问题", "问题内容", "主要问题", "具体问题",
         "反馈意见", "督察反馈意见", "交办问题", "信访内容", "反映内容", "信访问题", "投诉内容", "举报内容",
         "问题名称", "问题清单", "问题表现", "整改问题", "整改任务", "任务内容", "问题及整改任务"],
        "description",
    ),
    **dict.fromkeys(["牵头单位", "牵头部门", "主责单位", "牵头责任单位", "牵头", "主责部门"], "lead_units"),
    **dict.fromkeys(
        ["责任单位", "责任部门", "责任主体", "承办单位", "办理单位", "整改单位", "整改责任单位", "责任单位(部门)",
         "主体责任单位", "落实单位", "整改主体", "实施主体", "责任科室"],
        "responsible_units",
    ),
    **dict.fromkeys(["配合单位", "配合部门", "协办单位", "协同单位", "配合"], "cooperating_units"),
    **dict.fromkeys(["督导单位", "督办单位", "督导部门", "督查单位", "督导"], "supervising_units"),
    **dict.fromkeys(
        ["责任领导", "领办领导", "包案领导", "分管领导", "牵头领导", "包抓领导", "挂点领导", "县级领导",
         "责任县领导", "责任区领导", "包保领导", "分管县领导", "分管区领导"],
        "leader",
    ),
    # 责任人 is the person who reports for the task (domain.md), shown as such in the task panel.
    **dict.fromkeys(
        ["责任人", "联系人", "具体责任人", "经办人", "联络员", "责任人及联系方式", "联系人及联系方式",
         "联系人及电话", "责任人及电话", "联系人(电话)", "联系人/电话"],
        "contact",
    ),
    **dict.fromkeys(["联系电话", "电话", "联系方式", "手机", "手机号码", "办公电话", "联系电话(手机)"], "contact_phone"),
    **dict.fromkeys(
        ["整改时限", "完成时限", "时限", "整改期限", "完成时间", "办结时限", "整改时间", "完成期限", "计划完成时间"],
        "deadline",
    ),
    **dict.fromkeys(["整改目标", "目标", "整改要求", "工作目标", "整改标准", "整改目标及标准", "完成标准"], "goal"),
    **dict.fromkeys(["整改措施", "措施", "整改举措", "工作措施", "具体措施", "主要措施"], "measures"),
    **dict.fromkeys(
        ["整改进展", "进展情况", "本月进展", "完成情况", "整改情况", "落实情况", "推进情况", "办理情况", "工作进展",
         "进展", "整改落实情况", "整改进展情况", "办理结果", "处理情况", "调查处理情况", "整改完成情况",
         "整改成效", "目前进展", "目前进展情况", "整改推进情况", "工作推进情况", "进展及成效"],
        "progress",
    ),
    **dict.fromkeys(["状态", "完成状态", "整改状态", "办理状态", "进度状态", "整改进度"], "status"),
    **dict.fromkeys(["是否销号", "是否已销号", "销号情况"], "closed_flag"),
    **dict.fromkeys(["是否完成整改", "是否完成", "是否整改完成", "是否整改到位", "是否已完成", "完成整改"], "done_flag"),
    **dict.fromkeys(["备注", "说明"], "note"),
    **dict.fromkeys(["问题类型", "类型", "问题类别", "类别", "问题分类"], "kind"),
    **dict.fromkeys(["批次", "交办批次"], "batch"),
    **dict.fromkeys(["受理编号", "信访编号", "交办编号", "案件编号", "信访件编号", "转办编号"], "case_no"),
}  # fmt: skip

# Containment, most specific first: "问题类型" before "问题", "是否销号" before "销号".
_CONTAINS: tuple[tuple[str, str], ...] = (
    ("类型", "kind"), ("类别", "kind"),
    ("是否销号", "closed_flag"), ("是否完成", "done_flag"), ("是否整改", "done_flag"),
    ("批次", "batch"),
    ("受理编号", "case_no"), ("信访编号", "case_no"), ("交办编号", "case_no"),
    ("序号", "seq"),
    ("督导", "supervising_units"), ("督办单位", "supervising_units"),
    ("领导", "leader"), ("责任人", "contact"), ("联系人", "contact"),
    ("电话", "contact_phone"), ("联系方式", "contact_phone"),
    ("配合", "cooperating_units"), ("协办", "cooperating_units"),
    ("牵头", "lead_units"),
    ("责任单位", "responsible_units"), ("责任部门", "responsible_units"), ("责任主体", "responsible_units"),
    ("时限", "deadline"), ("期限", "deadline"), ("完成时间", "deadline"),
    ("目标", "goal"), ("标准", "goal"),
    ("措施", "measures"),
    ("进展", "progress"), ("完成情况", "progress"), ("落实情况", "progress"), ("整改情况", "progress"),
    ("办理情况", "progress"), ("办理结果", "progress"), ("成效", "progress"),
    ("状态", "status"),
    ("备注", "note"),
    ("问题", "description"), ("反馈意见", "description"), ("信访内容", "description"),
)  # fmt: skip
_BRACKETS_RE = re.compile(r"\([^()]*\)|【[^【】]*】|\[[^\[\]]*\]")


def match_header(text: str) -> tuple[str | None, int]:
    """The field a header text names and how surely: 2 for a known name, 1 for a word inside it."""
    key = header_key(text)
    if not key or len(key) > MAX_HEADER_CHARS:
        return None, 0
    found = _EXACT.get(key)
    if found is not None:
        return found, 2
    # "责任单位(牵头单位、配合单位)" and "牵头单位/配合单位" name units of both roles in one column.
    if "牵头" in key and "配合" in key:
        return "units", 2
    bare = _BRACKETS_RE.sub("", key)
    if bare and bare != key:
        found = _EXACT.get(bare)
        if found is not None:
            return found, 2
    if len(bare) > MAX_CONTAINS_CHARS:  # a title line ("…整改落实情况台账") names no column
        return None, 0
    for word, name in _CONTAINS:
        if word in bare:
            return name, 1
    return None, 0


def field_for(text: str) -> str | None:
    """The field a header text names, or None."""
    return match_header(text)[0]


@dataclass(slots=True)
class Column:
    index: int
    header: str  # as written; two rows joined by "/"
    field: str | None
    sureness: int = 0  # see match_header
    reason: str = ""  # why a column with a header has no field ("ignored" when the wizard said so)
    overridden: bool = False  # set by the caller's column_overrides


@dataclass(slots=True)
class Table:
    header_rows: list[int]  # 0-based
    columns: list[Column]
    first_data_row: int  # 0-based
    title_lines: list[str] = field(default_factory=list)

    @property
    def fields(self) -> set[str]:
        return {c.field for c in self.columns if c.field}

    @property
    def score(self) -> int:
        return len(self.fields)


def _row_fields(sheet: SheetData, row: int) -> dict[int, str]:
    found: dict[int, str] = {}
    for col in range(sheet.width):
        if sheet.anchor(row, col) is not None and sheet.anchor(row, col)[1] != col:
            continue  # the same text again, from a horizontal merge
        text = sheet.shown(row, col)
        if isinstance(text, str) and text:
            name = field_for(text)
            if name is not None:
                found[col] = name
    return found


def _merged_down(sheet: SheetData, top: int) -> bool:
    return any(r0 == top and r1 > top for r0, _, r1, _ in sheet.merges)


def _spans_across(sheet: SheetData, top: int) -> list[tuple[int, int]]:
    return [(c0, c1) for r0, c0, r1, c1 in sheet.merges if r0 == top and r1 == top and c1 > c0]


def _second_row_fits(sheet: SheetData, top: int, *, above: bool = False) -> bool:
    """The row under ``top`` continues the header: merges tie them and it holds only short names.

    ``above``: ``top`` is the row above the best header row, so it must hold names too.
    """
    bottom = top + 1
    if bottom >= sheet.end or (above and not _short_names_only(sheet, top)):
        return False
    spans = _spans_across(sheet, top)
    if not (_merged_down(sheet, top) or spans):
        return False
    texts = []
    for col in range(sheet.width):
        if sheet.anchor(bottom, col) is not None:
            continue
        value = sheet.raw(bottom, col)
        if value == "":
            continue
        if not isinstance(value, str) or len(header_key(value)) > 20:
            return False
        texts.append((col, value))
    if not texts:
        return False
    if above and len(texts) >= 4 and any(c0 <= texts[0][0] and texts[-1][0] <= c1 for c0, c1 in spans):
        return False  # one cell over the whole header is the table's title ("整改台账"), not a group name
    # Under a spanning cell, or naming a field itself.
    return all(any(c0 <= col <= c1 for c0, c1 in spans) or field_for(text) for col, text in texts)


_INFO_LINE_RE = re.compile(r"[:：]\s*\S")  # "填报单位:XX区整改办", "报告期:2026年10月"


def _short_names_only(sheet: SheetData, row: int) -> bool:
    """A header row holds column names: short texts, none of them a "label:value" line. The 填报单位 /
    填报日期 line above a header is merged across columns too, but it is information, not names."""
    found = False
    for col in range(sheet.width):
        if sheet.anchor(row, col) is not None:
            continue
        value = sheet.raw(row, col)
        if value == "":
            continue
        if not isinstance(value, str):
            return False
        key = header_key(value)
        if len(key) > 20 or _INFO_LINE_RE.search(value):
            return False
        found = True
    return found


def _columns(sheet: SheetData, rows: list[int]) -> list[Column]:
    top = rows[0]
    columns = []
    for col in range(sheet.width):
        top_text = sheet.shown_text(top, col)
        bottom_text = ""
        if len(rows) == 2:
            anchor = sheet.anchor(rows[1], col)
            if anchor is None or anchor[0] != top:
                bottom_text = sheet.shown_text(rows[1], col)
        if bottom_text and bottom_text != top_text:
            name, sureness = match_header(bottom_text)
            if name is None:
                name, sureness = match_header(top_text + bottom_text)
            if name is None:
                name, sureness = match_header(top_text)
            header = f"{top_text}/{bottom_text}" if top_text else bottom_text
        else:
            name, sureness = match_header(top_text)
            header = top_text
        header = " ".join(header.split())
        columns.append(Column(col, header, name, sureness))
    return columns


def resolve_duplicates(columns: list[Column]) -> None:
    """One column per field (the others go to 备注, with the reason)."""
    # "编号" next to "序号" is the petition's case number, not a second 序号.
    seq_cols = [c for c in columns if c.field == "seq"]
    if len(seq_cols) > 1:
        for column in seq_cols:
            if "序号" not in header_key(column.header):
                column.field = "case_no"
                break
    # One column per field: a known name beats a word inside a name, then the leftmost wins.
    keep: dict[str, Column] = {}
    for column in columns:
        if column.field is not None:
            kept = keep.get(column.field)
            if kept is None or column.sureness > kept.sureness:
                keep[column.field] = column
    for column in columns:
        if column.field is not None and keep[column.field] is not column:
            kept = keep[column.field]
            column.reason = f"与{col_letter(kept.index)}列「{kept.header}」重复"
            column.field = None


def find_table(sheet: SheetData) -> Table | None:
    """The header of the ledger table in ``sheet``, or None when no row names two fields."""
    best_row, best_fields = None, 0
    for row in range(sheet.row0, min(sheet.end, sheet.row0 + HEADER_SEARCH_ROWS)):
        count = len(set(_row_fields(sheet, row).values()))
        if count > best_fields:
            best_row, best_fields = row, count
    if best_row is None or best_fields < 2:
        return None
    candidates = [[best_row]]
    if _second_row_fits(sheet, best_row):
        candidates.append([best_row, best_row + 1])
    if best_row - 1 >= sheet.row0 and _second_row_fits(sheet, best_row - 1, above=True):
        candidates.append([best_row - 1, best_row])
    best: Table | None = None
    for rows in candidates:
        # Duplicates stay until the caller has looked at the content (refine_by_content).
        table = Table(rows, _columns(sheet, rows), rows[-1] + 1)
        # A second row must add something; on a tie the merged layout wins (it explains the merges).
        if best is None or table.score >= best.score:
            best = table
    assert best is not None
    _skip_number_row(sheet, best)
    best.title_lines = _lines_above(sheet, best.header_rows[0])
    return best


def _skip_number_row(sheet: SheetData, table: Table) -> None:
    """Printed ledgers often number their columns under the header (1 2 3 …): not a task."""
    row = table.first_data_row
    values = [sheet.raw(row, c) for c in range(sheet.width) if sheet.anchor(row, c) is None]
    numbers = [cell_text(v) for v in values if v != ""]
    if len(numbers) >= 3 and all(n.isascii() and n.isdigit() for n in numbers):
        ints = [int(n) for n in numbers]
        if ints == sorted(ints) and len(set(ints)) == len(ints):
            table.first_data_row += 1


def _lines_above(sheet: SheetData, header_row: int) -> list[str]:
    lines = []
    for row in range(sheet.row0, header_row):
        parts = []
        for col in range(sheet.width):
            if sheet.anchor(row, col) is None:
                text = cell_text(sheet.raw(row, col))
                if text:
                    parts.append(text)
        if parts:
            lines.append(" ".join(parts))
    return lines


def settle_columns(table: Table, samples: dict[int, list[str]]) -> None:
    """Final mapping: content decides between progress and status, then one column per field."""
    refine_by_content(table, samples)
    resolve_duplicates(table.columns)
    for column in table.columns:
        if column.field is None and not column.reason:
            column.reason = "未能识别的列名" if column.header else "没有列名"


def refine_by_content(table: Table, samples: dict[int, list[str]]) -> None:
    """A "完成情况" column of status words is the status, not progress (and a status column of
    paragraphs is progress): decided by what the column holds. With two progress columns ("本月进展"
    and "完成情况"), the one more like status words becomes the status."""
    progress_columns = sum(1 for c in table.columns if c.field == "progress")
    likeness: dict[int, float] = {}
    for column in table.columns:
        values = [v for v in samples.get(column.index, []) if v]
        # One value decides only between two progress columns ("本月进展" and "完成情况" of a
        # one-task report): one of them must give way anyway.
        if len(values) >= (1 if progress_columns > 1 else 2):
            likeness[column.index] = sum(looks_like_status(v) for v in values) / len(values)
    fields = table.fields
    candidates = [c for c in table.columns if c.field == "progress" and likeness.get(c.index, 0.0) >= 0.6]
    if candidates and "status" not in fields:
        # On a tie, a column named for progress ("整改进展") keeps the progress; the first of equals else.
        best = max(candidates, key=lambda c: (likeness[c.index], "进展" not in c.header))
        best.field = "status"
        fields = table.fields
    for column in table.columns:
        values = [v for v in samples.get(column.index, []) if v]
        if (
            column.index in likeness
            and column.field == "status"
            and "progress" not in fields
            and likeness[column.index] < 0.3
            and sum(len(v) for v in values) / len(values) > 20
        ):
            column.field = "progress"
            fields = table.fields
