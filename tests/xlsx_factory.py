"""Builds test workbooks in the shapes offices keep their ledgers in, as .xlsx and as .xls.

A ``SheetSpec`` is cells plus merged ranges; writers turn it into a file with openpyxl (.xlsx, inline
strings), a hand-made writer (.xlsx with shared strings and date styles, the way Excel saves) or
xlwt (.xls, BIFF8). Four office layouts are built from ``TaskSpec`` lists, each with the tasks the
importer should read back, so tests compare against the data they wrote, never against constants.
Hostile files (truncated, encrypted, zip bombs, absurd ranges) are made here too.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

from ledger_app.domain.model import ProblemKind, TaskStatus

K = ProblemKind
S = TaskStatus


# -- sheets and writers ------------------------------------------------------------------------------
@dataclass
class SheetSpec:
    name: str
    cells: dict[tuple[int, int], object] = field(default_factory=dict)  # 0-based (row, col)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 inclusive
    hidden: bool = False

    def put(self, row: int, col: int, value: object) -> None:
        if value not in ("", None):
            self.cells[(row, col)] = value

    def row(self, row: int, values: list[object], start: int = 0) -> None:
        for offset, value in enumerate(values):
            self.put(row, start + offset, value)

    def merge(self, r0: int, c0: int, r1: int, c1: int, value: object = None) -> None:
        if value is not None:
            self.put(r0, c0, value)
        if (r0, c0) != (r1, c1):
            self.merges.append((r0, c0, r1, c1))

    @property
    def height(self) -> int:
        rows = [r for r, _ in self.cells] + [m[2] for m in self.merges]
        return max(rows, default=-1) + 1


def col_name(col: int) -> str:
    """0 → "A": openpyxl's letters, not the reader's own col_letter (the factory must not share its bugs)."""
    return get_column_letter(col + 1)


def write_xlsx(path: Path, sheets: list[SheetSpec]) -> Path:
    """Through openpyxl (which writes inline strings)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for spec in sheets:
        ws = book.create_sheet(spec.name)
        for (row, col), value in spec.cells.items():
            cell = ws.cell(row=row + 1, column=col + 1, value=value)
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
        for r0, c0, r1, c1 in spec.merges:
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
        if spec.hidden:
            ws.sheet_state = "hidden"
    book.save(path)
    return path


def write_xls(path: Path, sheets: list[SheetSpec]) -> Path:
    """Through xlwt: a BIFF8 .xls as Excel 97–2003 saved it."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for spec in sheets:
        ws = book.add_sheet(spec.name, cell_overwrite_ok=True)
        for (row, col), value in spec.cells.items():
            if isinstance(value, datetime | date):
                ws.write(row, col, value, date_style)
            else:
                ws.write(row, col, value)
        for r0, c0, r1, c1 in spec.merges:
            ws.merge(r0, r1, c0, c1)
        if spec.hidden:
            ws.visibility = 1
    book.save(str(path))
    return path


def _excel_serial(value: date) -> float:
    if isinstance(value, datetime):
        delta = value - datetime(1899, 12, 30)
        return delta.days + delta.seconds / 86400
    return float((value - date(1899, 12, 30)).days)


def _cell_xml(ref: str, value: object, strings: dict[str, int]) -> str:
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="1"><v>{_excel_serial(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, str) and value.startswith("="):
        return f'<c r="{ref}"><f>{escape(value[1:])}</f></c>'  # a formula Excel never calculated
    index = strings.setdefault(str(value), len(strings))
    return f'<c r="{ref}" t="s"><v>{index}</v></c>'


def sheet_xml(spec: SheetSpec, strings: dict[str, int], extra_rows: str = "") -> str:
    rows: dict[int, list[tuple[int, object]]] = {}
    for (row, col), value in spec.cells.items():
        rows.setdefault(row, []).append((col, value))
    body = []
    for row in sorted(rows):
        cells = "".join(_cell_xml(f"{col_name(c)}{row + 1}", v, strings) for c, v in sorted(rows[row]))
        body.append(f'<row r="{row + 1}">{cells}</row>')
    merges = ""
    if spec.merges:
        refs = "".join(
            f'<mergeCell ref="{col_name(c0)}{r0 + 1}:{col_name(c1)}{r1 + 1}"/>'
            for r0, c0, r1, c1 in spec.merges
        )
        merges = f'<mergeCells count="{len(spec.merges)}">{refs}</mergeCells>'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{''.join(body)}{extra_rows}</sheetData>{merges}</worksheet>"
    )


_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    "</styleSheet>"
)


def write_xlsx_raw(
    path: Path,
    sheets: list[SheetSpec],
    *,
    extra_members: dict[str, bytes] | None = None,
    extra_rows: dict[str, str] | None = None,
    sst_unique_count: int | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """An .xlsx the way Excel saves it: shared strings, a date style. Hooks let tests break it."""
    strings: dict[str, int] = {}
    xml_sheets = [sheet_xml(s, strings, (extra_rows or {}).get(s.name, "")) for s in sheets]
    sst_items = "".join(f'<si><t xml:space="preserve">{escape(t)}</t></si>' for t in strings)
    unique = len(strings) if sst_unique_count is None else sst_unique_count
    members: dict[str, str | bytes] = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for i in range(len(sheets))
            )
            + '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            + "".join(
                f'<sheet name="{escape(s.name)}" sheetId="{i + 1}" r:id="rId{i + 1}"'
                + (' state="hidden"' if s.hidden else "")
                + "/>"
                for i, s in enumerate(sheets)
            )
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{i + 1}" '
                'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                f'Target="worksheets/sheet{i + 1}.xml"/>'
                for i in range(len(sheets))
            )
            + f'<Relationship Id="rId{len(sheets) + 1}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
            'Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId{len(sheets) + 2}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
            'Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": _STYLES,
        "xl/sharedStrings.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{len(strings)}" uniqueCount="{unique}">{sst_items}</sst>'
        ),
    }
    for i, xml in enumerate(xml_sheets):
        members[f"xl/worksheets/sheet{i + 1}.xml"] = xml
    members.update(extra_members or {})
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content.encode("utf-8") if isinstance(content, str) else content)
    return path


# -- tasks and office layouts -------------------------------------------------------------------------
UNITS = [
    "县生态环境局", "县住建局", "县水利局", "县自然资源和规划局", "县农业农村局", "县城管局", "县交通运输局",
    "县发改委", "县工信局", "县林业局", "县市场监管局", "县卫健委", "青溪镇人民政府", "白沙乡人民政府",
    "城关街道办事处", "县工业园区管委会", "县水务投资有限公司", "各乡镇人民政府", "各县(市、区)人民政府",
]  # fmt: skip
SUPERVISORS = ["县委督查室", "县政府督查室", "县纪委监委"]
LEADERS = ["张建国", "李明", "王红梅", "赵志强", "刘洋", "陈静"]
PROBLEMS = [
    "县城污水处理厂长期超负荷运行,部分时段出水氨氮超标",
    "老城区约12公里管网雨污混接,雨季溢流污染河道",
    "部分矿山生态修复不到位,历史遗留废弃矿山治理推进缓慢",
    "畜禽养殖污染治理不到位,粪污直排现象时有发生",
    "建筑工地扬尘管控措施落实不到位,城区PM10浓度不降反升",
    "工业园区危险废物贮存不规范,台账记录不全",
    "群众反映某石材厂夜间生产噪声扰民、粉尘污染",
    "乡镇集中式饮用水水源保护区内仍有违规建筑",
]
MEASURES = [
    "开展全面排查,建立问题清单,逐一销号整改",
    "加快推进污水处理厂扩容提标工程,完成主体工程建设",
    "加强执法检查,对违法排放行为依法查处",
    "制定年度治理计划,积极争取中央和省级专项资金",
    "建立长效监管机制,纳入年度目标责任考核",
    "组织专家评估,编制“一厂一策”整治方案",
]
GOALS = ["问题得到彻底整改,群众满意", "污水处理厂稳定达标运行", "历史遗留矿山应治尽治"]
PROGRESS = [
    "已完成排查,建立问题清单23项,已整改18项。",
    "扩容工程主体已完工,正在进行设备调试。",
    "已立案查处3起,罚款共计12万元。",
    "",
]
# status word as written → status the importer must read
STATUS_WORDS: list[tuple[str, TaskStatus]] = [
    ("已完成", S.COMPLETED), ("完成", S.COMPLETED), ("已办结", S.COMPLETED), ("基本完成", S.COMPLETED),
    ("序时推进", S.IN_PROGRESS), ("推进中", S.IN_PROGRESS), ("正常推进", S.IN_PROGRESS),
    ("长效推进中", S.IN_PROGRESS), ("整改中", S.IN_PROGRESS), ("滞后", S.IN_PROGRESS),
    ("未完成", S.IN_PROGRESS), ("未启动", S.NOT_STARTED), ("已验收", S.ACCEPTED), ("已销号", S.CLOSED),
]  # fmt: skip


@dataclass
class TaskSpec:
    seq: str
    description: str
    kind: ProblemKind = K.SPECIFIC
    lead: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    supervising: list[str] = field(default_factory=list)
    leader: str = ""
    deadline: object = ""  # as written
    deadline_date: date | None = None  # as the importer must read it
    long_term: bool = False
    goal: str = ""
    measures: list[str] = field(default_factory=list)
    measure_units: list[list[str]] = field(default_factory=list)  # per measure (one-measure-per-row layouts)
    measure_deadlines: list[date] = field(default_factory=list)
    progress: str = ""
    status_word: str = ""
    status: TaskStatus = S.NOT_STARTED
    note: str = ""
    batch: str = ""
    case_no: str = ""


def _deadline(rng: random.Random, form: str) -> tuple[object, date | None, bool]:
    year = rng.choice([2023, 2024, 2025])
    month = rng.randint(1, 12)
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    end = date(year, month, last)
    if form == "long" or rng.random() < 0.15:
        return "立行立改、长期坚持", None, True
    if form == "text":
        return f"{year}年{month}月底前", end, False
    if form == "date":
        return end, end, False
    if form == "serial":
        return float((end - date(1899, 12, 30)).days), end, False
    raise ValueError(form)


def sample_tasks(
    n: int,
    *,
    seed: int = 1,
    kinds: tuple[ProblemKind, ...] = (K.SPECIFIC,),
    deadline_form: str = "text",
    max_measures: int = 4,
) -> list[TaskSpec]:
    rng = random.Random(seed)
    tasks = []
    counters: dict[object, int] = {}  # 序号 run on within a section (个性 and 共性 share one)
    for i in range(n):
        kind = kinds[i * len(kinds) // n]
        counters[kind.section] = counters.get(kind.section, 0) + 1
        units = rng.sample(UNITS, rng.randint(1, 4))
        deadline, deadline_date, long_term = _deadline(rng, deadline_form)
        word, status = rng.choice(STATUS_WORDS)
        n_measures = rng.randint(1, max_measures)
        tasks.append(
            TaskSpec(
                seq=str(counters[kind.section]),
                description=f"{rng.choice(PROBLEMS)}({i + 1})。",
                kind=kind,
                lead=units[:1],
                cooperating=units[1:],
                supervising=rng.sample(SUPERVISORS, rng.randint(1, 2)),
                leader=rng.choice(LEADERS),
                deadline=deadline,
                deadline_date=deadline_date,
                long_term=long_term,
                goal=rng.choice(GOALS),
                measures=[f"{m}({i + 1}-{k + 1})。" for k, m in enumerate(rng.sample(MEASURES, n_measures))],
                progress=rng.choice(PROGRESS),
                status_word=word,
                status=status,
                note=rng.choice(["", "", "已约谈责任单位"]),
                case_no=f"X{31000 + i}" if kind is K.PETITION else "",
            )
        )
    return tasks


@dataclass
class Layout:
    """A built workbook shape: its sheets and the tasks (as dicts) the importer must read back."""

    name: str
    sheets: list[SheetSpec]
    expected: list[dict[str, object]]

    def write(self, directory: Path, fmt: str = "xlsx") -> Path:
        path = directory / f"{self.name}.{fmt}"
        if fmt == "xls":
            return write_xls(path, self.sheets)
        if fmt == "raw.xlsx":
            return write_xlsx_raw(directory / f"{self.name}.raw.xlsx", self.sheets)
        return write_xlsx(path, self.sheets)


def expected_task(spec: TaskSpec, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "seq": spec.seq,
        "kind": spec.kind,
        "description": spec.description,
        "lead_units": spec.lead,
        "responsible_units": [],
        "cooperating_units": spec.cooperating,
        "supervising_units": spec.supervising,
        "leader": spec.leader,
        "deadline_date": spec.deadline_date,
        "long_term": spec.long_term,
        "goal": spec.goal,
        "measures": spec.measures,
        "progress": spec.progress,
        "status": spec.status if spec.status_word else (S.IN_PROGRESS if spec.progress else S.NOT_STARTED),
        "note": spec.note,
        "case_no": spec.case_no,
        "batch": spec.batch,
    }
    data.update(overrides)
    return data


def _numbered(measures: list[str], style: str = "dot") -> str:
    marks = {
        "dot": lambda i: f"{i}.",
        "dun": lambda i: f"{i}、",
        "paren": lambda i: f"({i})",
        "circled": lambda i: chr(0x2460 + i - 1),
    }[style]
    return "\n".join(f"{marks(i)}{m}" for i, m in enumerate(measures, start=1))


SECTION_TITLES = {
    K.SPECIFIC: ["一、反馈问题", "(一)个性问题"],
    K.COMMON: ["(二)共性问题"],
    K.PETITION: ["二、交办信访件"],
    K.SELF_CHECK: ["三、自查问题"],
}


def layout_county(tasks: list[TaskSpec], *, measure_style: str = "dot") -> Layout:
    """Layout A, a county office: title, 填报单位, two-row header with 责任单位 over 牵头|配合,
    section rows, measures numbered in one cell, a footer."""
    sheet = SheetSpec("整改台账")
    width = 11
    sheet.merge(0, 0, 0, width - 1, "青溪县第二轮省生态环境保护督察反馈问题整改落实情况台账")
    sheet.row(1, ["填报单位:青溪县整改办(盖章)", "", "", "", "", "", "", "", "填报时间:2024年3月5日"])
    header = ["序号", "督察反馈问题", "责任单位", "", "督导单位", "责任领导", "整改时限", "整改目标", "整改措施",
              "整改进展", "完成情况"]  # fmt: skip
    sheet.row(2, header)
    sheet.row(3, ["", "", "牵头单位", "配合单位"])
    for col in [0, 1, *range(4, width)]:
        sheet.merge(2, col, 3, col)
    sheet.merge(2, 2, 2, 3)
    row = 4
    kind = None
    for spec in tasks:
        if spec.kind is not kind:
            for title in SECTION_TITLES[spec.kind]:
                if kind is K.SPECIFIC and title.startswith("一、"):
                    continue
                sheet.merge(row, 0, row, width - 1, title)
                row += 1
            kind = spec.kind
        sheet.row(
            row,
            [
                int(spec.seq),
                spec.description,
                "、".join(spec.lead),
                "、".join(spec.cooperating),
                "、".join(spec.supervising),
                spec.leader,
                spec.deadline,
                spec.goal,
                _numbered(spec.measures, measure_style),
                spec.progress,
                spec.status_word,
            ],
        )
        row += 1
    row += 1
    sheet.row(row, ["填报人:李华", "", "", "审核人:王强", "", "", "联系电话:0571-88888888"])
    return Layout("county", [sheet], [expected_task(t, note="", case_no="") for t in tasks])


def layout_measure_rows(tasks: list[TaskSpec]) -> Layout:
    """Layout B, a bureau: one measure per row; 编号, 存在问题 and 状态 merged down over the task's rows,
    each row with its own 责任单位 and 完成时限 (Excel dates); blank rows between tasks; a 督察组
    column the importer does not know."""
    sheet = SheetSpec("Sheet1")
    sheet.row(0, ["编号", "存在问题", "整改措施", "责任单位", "完成时限", "进展情况", "状态", "督察组"])
    row = 1
    expected = []
    rng = random.Random(7)
    for spec in tasks:
        n = len(spec.measures)
        units = [rng.sample(UNITS, rng.randint(1, 2)) for _ in range(n)]
        days = [date(2024, rng.randint(1, 12), rng.randint(1, 28)) for _ in range(n)]
        for k in range(n):
            sheet.row(row + k, ["", "", f"{k + 1}.{spec.measures[k]}", "、".join(units[k]), days[k], "", ""])
        sheet.merge(row, 0, row + n - 1, 0, int(spec.seq))
        sheet.merge(row, 1, row + n - 1, 1, spec.description)
        sheet.merge(row, 5, row + n - 1, 5, spec.progress or None)
        sheet.merge(row, 6, row + n - 1, 6, spec.status_word)
        sheet.merge(row, 7, row + n - 1, 7, "省第三督察组")
        union = list(dict.fromkeys(u for group in units for u in group))
        expected.append(
            expected_task(
                spec,
                kind=K.SPECIFIC,
                lead_units=[],
                responsible_units=union,
                cooperating_units=[],
                supervising_units=[],
                leader="",
                deadline_date=max(days),
                long_term=False,
                goal="",
                note="督察组:省第三督察组",
                measure_units=units,
                measure_dates=days,
            )
        )
        row += n + 1  # a blank row between tasks
    return Layout("measure_rows", [sheet], expected)


def layout_petitions(tasks: list[TaskSpec]) -> Layout:
    """Layout C, petitions (交办信访件): sheet name gives the kind; header text with spaces and newlines;
    a row of column numbers under the header; 责任主体 as "X(牵头)、Y"; 整改时限 as serial numbers;
    是否销号 instead of a status."""
    sheet = SheetSpec("交办信访件")
    sheet.merge(0, 0, 0, 8, "第二轮省生态环境保护督察交办信访件办理情况")
    sheet.row(
        1,
        [
            "序 号",
            "受理编号",
            "交办\n批次",
            "反映问题",
            "责任主体",
            "整改\n时限",
            "办理情况",
            "是否销号",
            "备注",
        ],
    )
    sheet.row(2, list(range(1, 10)))
    row = 3
    expected = []
    for spec in tasks:
        units = [f"{spec.lead[0]}(牵头)", *spec.cooperating]
        closed = spec.status is S.CLOSED
        sheet.row(
            row,
            [
                int(spec.seq),
                spec.case_no,
                "第一批" if int(spec.seq) <= len(tasks) // 2 else "第二批",
                spec.description,
                "、".join(units),
                spec.deadline,
                spec.progress,
                "是" if closed else "否",
                spec.note,
            ],
        )
        status = S.CLOSED if closed else (S.IN_PROGRESS if spec.progress else S.NOT_STARTED)
        expected.append(
            expected_task(
                spec,
                kind=K.PETITION,
                supervising_units=[],
                leader="",
                goal="",
                measures=[],
                status=status,
                batch="第一批" if int(spec.seq) <= len(tasks) // 2 else "第二批",
            )
        )
        row += 1
    return Layout("petitions", [sheet], expected)


def layout_filled_down(tasks: list[TaskSpec]) -> Layout:
    """Layout D, a town: table starts at column B under two title lines; 序号 and 问题描述 repeated on
    every measure row (no merges); units in one column as "牵头单位:X\\n配合单位:Y"; 完成状态 and
    是否销号; a hidden old copy and a summary sheet beside it."""
    sheet = SheetSpec("2024年3月")
    sheet.put(0, 1, "白沙乡督察整改任务推进表")
    sheet.put(1, 1, "报送单位:白沙乡人民政府  2024年3月")
    sheet.row(
        3,
        [
            "序号",
            "问题描述",
            "责任单位",
            "领办领导",
            "整改时限",
            "整改措施",
            "本月进展",
            "完成状态",
            "是否销号",
        ],
        1,
    )
    row = 4
    expected = []
    for spec in tasks:
        units = f"牵头单位:{'、'.join(spec.lead)}\n配合单位:{'、'.join(spec.cooperating)}"
        for k, measure in enumerate(spec.measures):
            sheet.row(
                row,
                [
                    spec.seq,
                    spec.description,
                    units,
                    spec.leader,
                    spec.deadline,
                    f"{k + 1}、{measure}",
                    spec.progress if k == 0 else "",
                    spec.status_word if k == 0 else "",
                    "是" if spec.status is S.CLOSED and k == 0 else "",
                ],
                1,
            )
            row += 1
        expected.append(expected_task(spec, supervising_units=[], goal="", note=""))
    old = SheetSpec("旧台账", hidden=True)
    old.row(0, ["序号", "问题描述", "责任单位"])
    old.row(1, [1, "旧问题", "县住建局"])
    summary = SheetSpec("汇总")
    summary.row(0, ["责任单位", "任务数", "已完成", "完成率"])
    summary.row(1, ["县住建局", 3, 2, 0.67])
    return Layout("filled_down", [summary, sheet, old], expected)


# -- hostile files --------------------------------------------------------------------------------------
def minimal_ledger() -> list[SheetSpec]:
    sheet = SheetSpec("台账")
    sheet.row(0, ["序号", "问题描述", "责任单位", "整改时限"])
    sheet.row(1, [1, "污水处理厂超负荷运行", "县住建局", "2024年6月底前"])
    sheet.row(2, [2, "矿山生态修复不到位", "县自然资源和规划局", "立行立改、长期坚持"])
    return [sheet]


def truncated(source: Path, target: Path, keep: float = 0.5) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * keep)])
    return target


def _rename_ole_stream(data: bytes, old: str, new: str) -> bytes:
    """Rename a directory entry of a compound file in place (same sector layout)."""
    old_name = old.encode("utf-16-le") + b"\0\0"
    position = data.find(old_name)
    assert position > 0, old
    entry = bytearray(data[position : position + 128])
    entry[:64] = (new.encode("utf-16-le") + b"\0\0").ljust(64, b"\0")
    entry[64:66] = struct.pack("<H", len(new) * 2 + 2)
    return data[:position] + bytes(entry) + data[position + 128 :]


def encrypted_xlsx(path: Path, directory: Path) -> Path:
    """What Excel writes for a password-protected .xlsx: a compound file with an EncryptedPackage stream."""
    plain = write_xls(directory / "plain_for_encryption.xls", minimal_ledger())
    path.write_bytes(_rename_ole_stream(plain.read_bytes(), "Workbook", "EncryptedPackage"))
    return path


def xls_with_password(path: Path, directory: Path) -> Path:
    """An .xls whose globals carry a FILEPASS record (as "encrypt with password" writes)."""
    data = bytearray(write_xls(directory / "plain_for_filepass.xls", minimal_ledger()).read_bytes())
    codepage = data.find(b"\x42\x00\x02\x00")  # CODEPAGE record, two bytes of data (non-zero)
    assert codepage > 0
    data[codepage : codepage + 2] = b"\x2f\x00"
    path.write_bytes(bytes(data))
    return path


def zip_bomb(path: Path, megabytes: int = 60) -> Path:
    """A sheet padded with whitespace: small on disk, huge when inflated (ratio far above 200)."""
    sheets = minimal_ledger()
    strings: dict[str, int] = {}
    xml = sheet_xml(sheets[0], strings)
    padding = " " * (megabytes * 1024 * 1024)
    xml = xml.replace("</sheetData>", padding + "</sheetData>")
    write_xlsx_raw(path, sheets)
    data = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(data) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = xml.encode() if info.filename.endswith("sheet1.xml") else source.read(info.filename)
            target.writestr(info.filename, content)
    return path


def lying_sizes(source: Path, target: Path, claimed: int = 900 * 1024 * 1024) -> Path:
    """A zip whose central directory claims a member inflates to ``claimed`` bytes."""
    data = bytearray(source.read_bytes())
    position = data.find(b"PK\x01\x02")
    assert position >= 0
    data[position + 24 : position + 28] = struct.pack("<I", claimed)
    target.write_bytes(bytes(data))
    return target


def with_member(source: Path, target: Path, name: str, content: bytes) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info.filename))
        new.writestr(name, content)
    return target


def far_cell(path: Path, ref: str = "XFD1048576") -> Path:
    """A ledger with one stray value far away: the reader would lay out billions of cells."""
    sheets = minimal_ledger()
    row = int("".join(ch for ch in ref if ch.isdigit()))
    extra = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'
    return write_xlsx_raw(path, sheets, extra_rows={sheets[0].name: extra})


def million_rows(path: Path, kind: str = "formatted", rows: int = 1_000_000) -> Path:
    """A ledger followed by a million rows that are formatted, or hold empty strings."""
    sheets = minimal_ledger()
    start = sheets[0].height + 1
    if kind == "formatted":
        template = '<row r="{0}"><c r="A{0}" s="1"/><c r="B{0}" s="1"/></row>'
    elif kind == "height":
        template = '<row r="{0}" ht="20" customHeight="1"/>'
    else:
        template = '<row r="{0}"><c r="A{0}" t="inlineStr"><is><t></t></is></c></row>'
    extra = "".join(template.format(r) for r in range(start, start + rows))
    return write_xlsx_raw(path, sheets, extra_rows={sheets[0].name: extra}, compression=zipfile.ZIP_DEFLATED)
