"""Reading the Excel ledgers offices already keep (.xlsx, .xlsm, .xls) into an ImportPlan.

``read_ledger_workbook`` only reads: it returns what it understood (tasks, the column mapping, the
status words met) and what it did not (issues with sheet, row, column and a reason in Chinese). The
import service writes the plan; the GUI wizard shows it and may correct the column mapping with
``column_overrides`` and read again.

Finding the table: every worksheet is scored by how many known fields its best header row names
(excel_in.header); the best sheet with a 问题描述 column is used, unless the caller names one. Title and
填报单位 lines above the header are kept in ``ImportPlan.title`` / ``preamble``; the date the sheet
was filled in (填报时间 / 截至…, above or under the table) in ``ImportPlan.report_date``.

Rows refused (listed with severity "refused", never imported, never silently dropped):
- a task with a 问题描述 but no 序号, when other tasks of its section have one (a section where no
  task has a 序号 at all is numbered 1, 2, 3 … in order, with a warning);
- a task with a 序号 and other content but no 问题描述 (a row with only a 序号 is an empty template
  row: skipped with a warning);
- a task whose 序号 is already used in the same section (反馈问题 / 交办信访件 / 自查问题, the
  sections of domain.model.Section: 个性 and 共性问题 share the 反馈问题 numbering, as in the ledger);
- a task with a cell at Excel's own limit of 32,767 characters: the reader cuts longer texts there, so
  reaching it means text was lost (a 50,000-character cell did not come from Excel anyway);
- a task whose unit cell holds over 2,000 characters (a paragraph, not a list of units);
- a row with content that belongs to no task (no 序号, no 问题描述, no task above it).
A refused task is reported once, at its first row, with the rows it spans.

A task over several rows (one measure a row): units are the union of its rows, each measure keeps
its own row's units and deadline, the task's deadline is the latest, its status the least advanced.
No status written: 整改中 when there is progress text, else 未启动. 是否销号 "是" means 已销号.

Warnings (imported, but the clerk should look): deadlines not understood (kept as text), status
words not understood (read as 整改中), tasks without a responsible unit, columns not understood
(their text goes to 备注 as "列名:值"), formulas whose value Excel never saved (read as empty),
links to other workbooks (their saved values are used), macros (never run), content left unread
after 2,000 empty rows or beyond column IV, 合计 rows and empty template rows skipped.

The monthly report this app exports (report_content) reads back whole: section rows naming a round
("第二轮中央生态环境保护督察 一、反馈问题") put each task in its round (ParsedTask.round_name),
本月进展 "M月D日:…" / "(截至YYYY年M月D日)…" become dated entries (the year from 报告期), a measure's
"(牵头:…;配合:…;时限:…)" gives its units and deadline, 完成情况 "已完成(已验收)" its status, and
备注 "批次:…\n编号:…" a petition's batch and case number.

Hostile or broken files (not a workbook, truncated, password-protected, zip bombs, absurd cell
ranges, loops inside an .xls) raise WorkbookRefused with a Chinese reason before the Rust reader
sees them (excel_in.safety, excel_in.extent, excel_in.cfb); the file is read once into memory and never changed.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from ledger_app.domain.errors import ValidationError
from ledger_app.domain.model import ProblemKind
from ledger_app.gcpause import gc_paused
from ledger_app.io.excel_in.cells import cell_text, col_letter
from ledger_app.io.excel_in.header import Column, Table, find_table, settle_columns
from ledger_app.io.excel_in.reader import (
    MAX_COLS,
    MAX_EMPTY_RUN,
    MAX_ROWS,
    STRIDE,
    SheetData,
    Workbook,
    open_workbook,
)
from ledger_app.io.excel_in.report_date import find_report_date
from ledger_app.io.excel_in.row_kinds import kind_from_text
from ledger_app.io.excel_in.safety import MAX_FILE_BYTES
from ledger_app.io.excel_in.tasks import read_tasks
from ledger_app.io.excel_in.units import UnitReader
from ledger_app.io.import_plan import (
    AS_NOTE,
    FIELD_LABELS,
    IGNORE,
    OVERRIDE_KEYS,
    ColumnMapping,
    ImportIssue,
    ImportPlan,
    ParsedMeasure,
    ParsedTask,
    SheetScore,
    UnmappedColumn,
    WorkbookRefused,
)

__all__ = [
    "FIELD_LABELS",
    "ImportIssue",
    "ImportPlan",
    "ParsedMeasure",
    "ParsedTask",
    "WorkbookRefused",
    "read_ledger_workbook",
]

MAX_SHEETS_SCORED = 30
_SAMPLE_ROWS = 300


def read_ledger_workbook(
    path: Path,
    *,
    sheet: str | None = None,
    known_units: Collection[str] = (),
    column_overrides: dict[int, str] | None = None,
) -> ImportPlan:
    """Read an office's Excel ledger. Raises WorkbookRefused when the file cannot be a ledger.

    ``known_units``: the ledger's unit directory; these names are never split.
    ``column_overrides``: 0-based column index → a FIELD_LABELS key, "ignore" (drop the column) or
    "" (no field: its text goes to 备注 as "列名:值"); it replaces what the reader guessed.
    """
    path = Path(path)
    data = _read_file(path)
    with gc_paused():
        book = open_workbook(data)
        try:
            return _plan(book, path, sheet, known_units, column_overrides)
        finally:
            book.close()


def _plan(
    book: Workbook,
    path: Path,
    sheet: str | None,
    known_units: Collection[str],
    column_overrides: dict[int, str] | None,
) -> ImportPlan:
    scores, sheet_data, table = _choose_sheet(book, sheet)
    issues: list[ImportIssue] = [ImportIssue("", None, None, text) for text in book.safety.warnings]
    _settle(sheet_data, table)
    if column_overrides:
        _apply_overrides(table, column_overrides)
    kind = kind_from_text(" ".join([sheet_data.name, *table.title_lines])) or ProblemKind.SPECIFIC
    read = read_tasks(sheet_data, table, UnitReader(known_units), kind, issues)
    tasks = read.tasks
    if not tasks:
        issues.append(ImportIssue(sheet_data.name, None, None, "表头下面没有读到任何任务。"))
    issues[:0] = _sheet_issues(book, sheet_data, table, scores)
    # Workbook and sheet first, then row by row as the clerk reads the table.
    issues.sort(key=lambda i: (i.row is not None, i.row or 0))
    columns = [
        ColumnMapping(c.index, col_letter(c.index), c.header, c.field, "override" if c.overridden else "auto")
        for c in table.columns
        if c.field
    ]
    return ImportPlan(
        path=str(path),
        format=book.format,
        sheet=sheet_data.name,
        sheets=scores,
        header_rows=[r + 1 for r in table.header_rows],
        columns=columns,
        unmapped=_unmapped(sheet_data, table),
        tasks=tasks,
        issues=issues,
        title=_title(table.title_lines),
        preamble=table.title_lines,
        report_date=find_report_date([*table.title_lines, *read.footer_lines]),
    )


# Lines printed above a ledger's title: "附件1", "附件2:", the plan's document number "青政办〔2024〕12号".
_ANNEX_LINE_RE = re.compile(
    r"附件\s*[\d一二三四五六七八九十]*\s*[:：]?|\S{0,12}[〔\[(（]\d{4}[〕\])）]\s*\d+\s*号"
)


def _title(lines: list[str]) -> str:
    """The table's title: the first line above the header that is not an annex mark or a document number."""
    for line in lines:
        if not _ANNEX_LINE_RE.fullmatch(line.strip()):
            return line
    return lines[0] if lines else ""


def _read_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise WorkbookRefused(f"「{path.name}」是文件夹,不是Excel文件。", "The path is a folder.")
        if size > MAX_FILE_BYTES:
            raise WorkbookRefused(
                f"文件过大({size // (1024 * 1024)} MB),不像是整改台账。",
                "The file is too large to be a ledger.",
            )
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise WorkbookRefused(f"找不到文件「{path}」。", "File not found.") from exc
    except PermissionError as exc:
        raise WorkbookRefused(
            f"没有权限读取「{path.name}」,或文件正被其他程序占用。", "The file cannot be read (permission)."
        ) from exc
    except OSError as exc:
        raise WorkbookRefused(
            f"无法读取「{path.name}」:{exc.strerror or exc}", "The file cannot be read."
        ) from exc


def _choose_sheet(book: Workbook, wanted: str | None) -> tuple[list[SheetScore], SheetData, Table]:
    if wanted is not None and wanted not in book.sheet_names:
        listed = "、".join(f"「{n}」" for n in book.sheet_names) or "(没有工作表)"
        raise WorkbookRefused(
            f"工作簿中没有名为「{wanted}」的工作表。现有工作表:{listed}。", f"No sheet named {wanted!r}."
        )
    scores: list[SheetScore] = []
    best: tuple[int, SheetData, Table] | None = None
    for position, name in enumerate(book.sheet_names):
        if position >= MAX_SHEETS_SCORED and name != wanted:
            scores.append(SheetScore(name, 0, visible=book.visible[name], note="工作表过多,未查看"))
            continue
        data = book.read_sheet(name)
        table = find_table(data)
        score, note = _score(data, table)
        scores.append(
            SheetScore(
                name,
                score,
                tuple(sorted(table.fields)) if table else (),
                table.header_rows[0] + 1 if table else None,
                book.visible[name],
                note,
            )
        )
        usable = table is not None and not note
        if wanted is not None:
            if name == wanted:
                if not usable:
                    raise WorkbookRefused(
                        f"工作表「{name}」不像整改台账:{note}。",
                        f"Sheet {name!r} does not look like a ledger.",
                    )
                best = (score, data, table)
        elif usable and (best is None or _better(score, data, best)):
            best = (score, data, table)
    if best is None:
        looked = "、".join(f"「{s.name}」({s.note or '没有问题描述列'})" for s in scores) or "(没有工作表)"
        raise WorkbookRefused(
            "没有找到像整改台账的工作表。查看过的工作表:"
            f"{looked}。台账的表头要有“问题描述”(或“反馈问题”“存在问题”等)一列,"
            "以及序号、责任单位、整改时限、整改措施等列中的至少一列。",
            "No sheet looks like a ledger.",
        )
    return scores, best[1], best[2]


def _better(score: int, data: SheetData, best: tuple[int, SheetData, Table]) -> bool:
    # Hidden sheets are often old copies: a visible sheet wins a tie.
    return (score, data.visible) > (best[0], best[1].visible)


def _score(data: SheetData, table: Table | None) -> tuple[int, str]:
    if not data.rows:
        return 0, "空白工作表"
    if table is None:
        return 0, "没有找到表头"
    if "description" not in table.fields:
        return table.score, "没有问题描述列"
    if table.score < 2:
        return table.score, "表头只有问题描述一列"
    return table.score, ""


def _data_rows(data: SheetData, table: Table) -> Iterator[tuple[int, list[Any]]]:
    for index in range(table.first_data_row - data.row0, len(data.rows)):
        yield data.row0 + index, data.rows[index]


def _settle(data: SheetData, table: Table) -> None:
    samples: dict[int, list[str]] = {}
    wanted = [c.index for c in table.columns if c.field in ("progress", "status")]
    for count, (_, values) in enumerate(_data_rows(data, table)):
        if count >= _SAMPLE_ROWS:
            break
        for col in wanted:
            if col < len(values) and values[col] != "":
                samples.setdefault(col, []).append(cell_text(values[col]))
    settle_columns(table, samples)


def _apply_overrides(table: Table, overrides: dict[int, str]) -> None:
    by_index = {c.index: c for c in table.columns}
    assigned: dict[str, int] = {}
    for index, name in sorted(overrides.items()):
        if not isinstance(index, int) or not 0 <= index < MAX_COLS or name not in OVERRIDE_KEYS:
            raise ValidationError(
                f"列设置无效:第{index}列 → {name!r}。", f"Invalid column override {index!r} → {name!r}."
            )
        if name not in (IGNORE, AS_NOTE):
            if name in assigned:
                raise ValidationError(
                    f"{col_letter(assigned[name])}列和{col_letter(index)}列不能都设为「{FIELD_LABELS[name]}」。",
                    f"Two columns set to {name}.",
                )
            assigned[name] = index
    for index, name in overrides.items():
        column = by_index.get(index)
        if column is None:
            column = Column(index, "", None)
            table.columns.append(column)
            by_index[index] = column
        if name == IGNORE:
            column.field, column.reason = None, "ignored"
        elif name == AS_NOTE:
            column.field, column.reason = None, "已设为记入备注"
        else:
            for other in table.columns:
                if other.field == name and other.index not in overrides:
                    other.field, other.reason = None, f"已由{col_letter(index)}列取代"
            column.field, column.reason = name, ""
        column.overridden = True
    table.columns.sort(key=lambda c: c.index)


def _unmapped(data: SheetData, table: Table) -> list[UnmappedColumn]:
    candidates = [c for c in table.columns if c.field is None]
    if not candidates:
        return []
    filled: set[int] = set()
    covered = data.covered
    for row, values in _data_rows(data, table):
        for column in candidates:
            col = column.index
            own = not covered or row * STRIDE + col not in covered
            if col not in filled and col < len(values) and values[col] != "" and own:
                filled.add(col)
    result = []
    for column in candidates:
        if column.header or column.index in filled:
            result.append(
                UnmappedColumn(
                    column.index,
                    col_letter(column.index),
                    column.header,
                    "已设为忽略" if column.reason == "ignored" else column.reason,
                    ignored=column.reason == "ignored",
                )
            )
    return result


def _sheet_issues(
    book: Workbook, data: SheetData, table: Table, scores: list[SheetScore]
) -> list[ImportIssue]:
    name = data.name
    issues: list[ImportIssue] = []
    header_row = table.header_rows[-1] + 1
    if not book.visible.get(name, True):
        issues.append(ImportIssue(name, None, None, f"工作表「{name}」是隐藏的工作表,请确认要导入的是它。"))
    others = [s.name for s in scores if s.name != name and not s.note and s.score >= 3]
    if others:
        listed = "、".join(f"「{n}」" for n in others)
        issues.append(
            ImportIssue(name, None, None, f"工作簿中还有像台账的工作表{listed},本次只读取「{name}」。")
        )
    for column in table.columns:
        # Columns the clerk set aside in the wizard need no warning about it.
        if column.field is None and not column.overridden and column.reason != "没有列名" and column.header:
            issues.append(
                ImportIssue(
                    name,
                    header_row,
                    col_letter(column.index),
                    f"列「{column.header}」{column.reason},其内容记入备注(「列名:值」)。",
                )
            )
    missing = book.safety.formulas_without_value.get(name)
    if missing:
        shown = "、".join(missing[:10]) + ("等" if len(missing) > 10 else "")
        issues.append(
            ImportIssue(
                name,
                None,
                None,
                f"有{len(missing)}个公式单元格没有保存计算结果({shown}),按空白读取;"
                "请在Excel中打开、保存后再导入。",
            )
        )
    if book.safety.formula_counts.get(name):
        issues.append(ImportIssue(name, None, None, "表中有公式:按Excel最后一次保存的计算结果导入。"))
    if data.resumes_at is not None:
        issues.append(
            ImportIssue(
                name,
                data.resumes_at + 1,
                None,
                f"连续{MAX_EMPTY_RUN}多行为空,其后第{data.resumes_at + 1}行起的内容没有读取;"
                "如果那里还有任务,请删去中间的空行后再导入。",
            )
        )
    if data.cut_rows:
        issues.append(
            ImportIssue(name, None, None, f"工作表超过{MAX_ROWS}行,之后的内容没有读取(台账不会有这么多行)。")
        )
    if data.cut_columns:
        issues.append(
            ImportIssue(
                name, None, col_letter(MAX_COLS), f"第{col_letter(MAX_COLS - 1)}列之后的内容没有读取。"
            )
        )
    return issues
