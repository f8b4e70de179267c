"""Benchmark: the monthly report (月报) export of 10,000 tasks, side by side with its openpyxl floor.

Measures, each in a fresh forked process (so peak RSS is per variant), min and median of --repeat runs:
  export         build_monthly_report + write_monthly_report, what `ledger-cli export` does after loading
  floor/named    openpyxl alone: the same cell values, named styles (cell.style = name), the same
                 merged cells, row heights, column widths and page setup; no content building, no checks
  floor/objects  the same with one shared Font/Border/Alignment/PatternFill per kind, set per cell
The floors write only the 台账 sheet (the 统计 sheet is ~100 cells).

Run:  .venv/bin/python bench/bench_excel_export.py [--tasks 10000] [--repeat 3]
      .venv/bin/python bench/bench_excel_export.py --sample 40 --out report.xlsx [--scale 0.3]   (a sample report)

Texts follow shared/stack-notes.md: description 100–400 characters, measures 200–850 in all (about
4.5 a task), a dozen progress entries a task spread over the year.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook
from openpyxl.styles import NamedStyle

from ledger_app.domain.deadlines import Deadline
from ledger_app.domain.model import ProblemKind, TaskStatus
from ledger_app.domain.records import (
    AcceptanceRecord,
    CloseOutRecord,
    MeasureRecord,
    ProgressRecord,
    TaskRecord,
)
from ledger_app.io.excel_out.export import LEDGER_COLUMNS, ledger_row_texts, write_monthly_report
from ledger_app.io.excel_out.styles import (
    LINE_HEIGHT,
    TITLE_HEIGHT,
    named_styles,
    set_print_layout,
)
from ledger_app.io.excel_out.text import height_for_lines, wrapped_lines
from ledger_app.io.report_content import MonthlyReport, build_monthly_report

YEAR, MONTH = 2026, 9
TITLE = "XX县第二轮中央生态环境保护督察反馈问题整改落实情况台账"
UNIT = "XX县生态环境保护督察整改工作领导小组办公室"

PHRASES = [
    "部分乡镇生活污水处理设施建成后长期不能正常运行",
    "污水收集管网不完善,雨污分流改造滞后",
    "城区黑臭水体整治不彻底,部分河段返黑返臭",
    "工业园区污水处理厂超标排放问题突出",
    "畜禽养殖污染治理不到位,粪污直排现象时有发生",
    "非法采砂、破坏河道生态问题屡禁不止",
    "建筑工地扬尘管控措施落实不到位",
    "餐饮油烟净化设施未正常使用",
    "生活垃圾填埋场渗滤液处理能力不足",
    "饮用水水源保护区内仍存在违规建筑",
    "矿山生态修复进度缓慢,历史遗留矿山治理欠账较多",
    "秸秆露天焚烧现象仍有发生,禁烧监管存在盲区",
    "危险废物规范化管理水平不高,台账记录不全",
    "自然保护区内违规开发旅游项目",
    "河道两岸垃圾随意堆放,清理不及时",
    "企业环评手续不全即开工建设",
    "机动车尾气排放监管薄弱",
    "重点排污单位在线监测数据造假",
    "农村环境综合整治项目建成后管护缺位",
    "县城集中供热替代分散燃煤锅炉工作推进迟缓",
]
MEASURE_PHRASES = [
    "开展专项排查整治行动,建立问题清单、责任清单、整改清单",
    "加快推进污水管网建设,2026年底前完成雨污分流改造",
    "落实河长制、湖长制,加强日常巡查和执法监管",
    "对超标排放企业依法查处,责令限期整改",
    "完善长效管护机制,明确运维主体和经费保障",
    "实施生态修复工程,恢复植被覆盖",
    "加强宣传教育,引导群众积极参与环境保护",
    "建立定期调度和通报制度,对进展缓慢的单位进行约谈",
    "委托第三方机构开展评估,确保整改质量",
    "强化部门联动,形成齐抓共管的工作格局",
]
UNITS = [
    "县住建局", "县水利局", "市生态环境局县分局", "县农业农村局", "县自然资源局",
    "县城管局", "县交通运输局", "县工信局", "县发改局", "县林业局", "城关镇", "河西乡",
    "东坝镇", "南山乡", "经开区管委会", "县公安局", "县市场监管局", "各乡镇",
]  # fmt: skip
LEADERS = ["张建国", "李明", "王红梅", "赵志强", "刘洋", "陈静", "杨帆", "黄伟"]
ROUND_NAMES = ["第二轮中央生态环境保护督察", "第三轮省级生态环境保护督察"]


def chinese_text(rng: random.Random, phrases: list[str], low: int, high: int) -> str:
    """Sentences of ``phrases`` joined until the text is between ``low`` and ``high`` characters long."""
    target = rng.randint(low, high)
    parts: list[str] = []
    length = 0
    while length < target:
        phrase = rng.choice(phrases)
        parts.append(phrase + rng.choice([",", "。", ";"]))
        length += len(phrase) + 1
    text = "".join(parts)[:target]
    return text.rstrip(",;") + "。"


def make_tasks(n: int, *, seed: int = 12, year: int = 2026, scale: float = 1.0) -> list[TaskRecord]:
    """``n`` tasks in two rounds; ``scale`` shrinks the texts (a picture of a page wants several rows)."""
    rng = random.Random(seed)
    tasks: list[TaskRecord] = []
    kinds = [ProblemKind.SPECIFIC, ProblemKind.COMMON, ProblemKind.PETITION, ProblemKind.SELF_CHECK]
    counters: dict[tuple[str, ProblemKind], int] = {}
    for _ in range(n):
        round_name = rng.choice(ROUND_NAMES)
        kind = rng.choices(kinds, weights=[4, 1, 4, 1])[0]
        section_key = (round_name, ProblemKind.SPECIFIC if kind is ProblemKind.COMMON else kind)
        counters[section_key] = counters.get(section_key, 0) + 1
        n_measures = rng.randint(2, 7 if scale >= 1 else 3)
        measure_total = int(rng.randint(200, 850) * scale)
        measures = [
            MeasureRecord(seq=i + 1, text=chinese_text(rng, MEASURE_PHRASES, 20, measure_total // n_measures))
            for i in range(n_measures)
        ]
        start = date(year, 1, 5)
        progress = [
            ProgressRecord(
                date=start + timedelta(days=30 * i + rng.randint(0, 20)),
                text=chinese_text(rng, MEASURE_PHRASES, 30, 120),
            )
            for i in range(12)
        ]
        deadline_day = date(year, 1, 1) + timedelta(days=rng.randint(0, 540))
        deadline = (
            Deadline("立行立改、长期坚持", long_term=True)
            if rng.random() < 0.15
            else Deadline(f"{deadline_day.year}年{deadline_day.month}月底前", deadline_day)
        )
        status = rng.choices(list(TaskStatus), weights=[1, 5, 1, 1, 1, 3])[0]
        acceptance = close_out = None
        if status.order >= TaskStatus.ACCEPTED.order:
            acceptance = AcceptanceRecord(date(year, rng.randint(1, 12), 10), unit="县督察整改办")
        if status is TaskStatus.CLOSED:
            close_out = CloseOutRecord(date(year, rng.randint(1, 12), 20))
        units = rng.sample(UNITS, rng.randint(1, 4))
        tasks.append(
            TaskRecord(
                seq=str(counters[section_key]),
                kind=kind,
                description=chinese_text(rng, PHRASES, int(100 * scale), int(400 * scale)),
                round_name=round_name,
                lead_units=units[:1],
                cooperating_units=units[1:],
                leader=rng.choice(LEADERS),
                deadline=deadline,
                goal=chinese_text(rng, MEASURE_PHRASES, 20, 80),
                status=status,
                batch=f"第{rng.randint(1, 30)}批" if kind is ProblemKind.PETITION else "",
                case_no=f"X{rng.randint(100000, 999999)}" if kind is ProblemKind.PETITION else "",
                measures=measures,
                progress=progress,
                acceptance=acceptance,
                close_out=close_out,
            )
        )
    return tasks


def build(tasks: list[TaskRecord]) -> MonthlyReport:
    return build_monthly_report(
        tasks,
        year=YEAR,
        month=MONTH,
        title=TITLE,
        reporting_unit=UNIT,
        report_date=date(YEAR, MONTH + 1, 5),
        warning_days=15,
        place="我县",
    )


# --- the floor: the same sheet, written the plain openpyxl way ------------------------------------------

Row = tuple[list[str | None], list[str], float]  # values, style name per cell, height


def floor_rows(report: MonthlyReport) -> tuple[list[Row], list[str]]:
    """The 台账 sheet's cells, styles, heights and merged ranges, as the export lays them out."""
    ncols = len(LEDGER_COLUMNS)
    last = chr(ord("A") + ncols - 1)
    widths = [c[1] for c in LEDGER_COLUMNS]
    rows: list[Row] = [
        ([TITLE] + [None] * (ncols - 1), ["台账标题"] * ncols, TITLE_HEIGHT),
        (
            [f"填报单位:{UNIT}    报告期:{YEAR}年{MONTH}月"] + [None] * 6 + ["填报日期:…", None, None],
            ["台账填报信息"] * 7 + ["台账填报日期"] * 3,
            22.0,
        ),
        ([c[0] for c in LEDGER_COLUMNS], ["台账表头"] * ncols, 30.0),
    ]
    merges = [f"A1:{last}1", "A2:G2", f"H2:{last}2"]
    for section in report.sections:
        rows.append(([section.heading] + [None] * (ncols - 1), ["台账分组"] * ncols, 24.0))
        merges.append(f"A{len(rows)}:{last}{len(rows)}")
        for row in section.rows:
            texts = ledger_row_texts(row)
            kind = "台账滞后" if row.lagging else "台账正文"
            names = [kind + ("居中" if c[2] else "") for c in LEDGER_COLUMNS]
            lines = max(wrapped_lines(t, w) for t, w in zip(texts, widths, strict=True))
            rows.append((list(texts), names, height_for_lines(lines, LINE_HEIGHT)))
    return rows, merges


def _floor_sheet(wb: Workbook) -> object:
    ws = wb.active
    ws.title = "台账"
    for index, column in enumerate(LEDGER_COLUMNS, 1):
        ws.column_dimensions[chr(ord("A") + index - 1)].width = column[1]
    set_print_layout(ws, title_rows="3:3")
    ws.freeze_panes = "A4"
    return ws


def floor_named(rows: list[Row], merges: list[str], out: Path) -> None:
    wb = Workbook()
    for style in named_styles():
        wb.add_named_style(style)
    ws = _floor_sheet(wb)
    for r, (values, names, height) in enumerate(rows, 1):
        for c, (value, name) in enumerate(zip(values, names, strict=True), 1):
            ws.cell(r, c, value).style = name
        ws.row_dimensions[r].height = height
    for ref in merges:
        ws.merged_cells.add(ref)
    wb.save(out)


def floor_objects(rows: list[Row], merges: list[str], out: Path) -> None:
    wb = Workbook()
    looks: dict[str, NamedStyle] = {s.name: s for s in named_styles()}  # only as holders of shared objects
    ws = _floor_sheet(wb)
    for r, (values, names, height) in enumerate(rows, 1):
        for c, (value, name) in enumerate(zip(values, names, strict=True), 1):
            cell = ws.cell(r, c, value)
            look = looks[name]
            cell.font = look.font
            cell.border = look.border
            cell.alignment = look.alignment
            cell.fill = look.fill
        ws.row_dimensions[r].height = height
    for ref in merges:
        ws.merged_cells.add(ref)
    wb.save(out)


# --- measuring -----------------------------------------------------------------------------------------


def _in_child(work: Callable[[], None], queue: multiprocessing.Queue) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    work()
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    queue.put((elapsed, cpu, after.ru_maxrss / 1024))


def measure(work: Callable[[], None]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of ``work`` in a forked child that inherits the ledger.

    CPU time is the steadier figure on a shared machine: other processes stretch wall time, not it.
    """
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_in_child, args=(work, queue))
    child.start()
    result = queue.get()
    child.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample", type=int, help="write one report of this many tasks to --out and stop")
    parser.add_argument("--out", type=Path, default=Path("monthly-report-sample.xlsx"))
    parser.add_argument("--scale", type=float, default=1.0, help="text length factor for --sample")
    args = parser.parse_args()

    if args.sample:
        warnings = write_monthly_report(build(make_tasks(args.sample, scale=args.scale)), args.out)
        print(f"wrote {args.out}", *warnings, sep="\n")
        return

    tasks = make_tasks(args.tasks)
    rows, merges = floor_rows(build(tasks))
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        variants: dict[str, Callable[[], None]] = {
            "export": lambda: write_monthly_report(build(tasks), out / "export.xlsx") and None,
            "floor/named": lambda: floor_named(rows, merges, out / "named.xlsx"),
            "floor/objects": lambda: floor_objects(rows, merges, out / "objects.xlsx"),
        }
        results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in variants}
        for _ in range(args.repeat):
            for name, work in variants.items():  # interleaved, so drift hits all variants alike
                results[name].append(measure(work))
        size = (out / "export.xlsx").stat().st_size / 1e6

    print(
        f"{args.tasks} tasks, {len(rows)} rows, {args.repeat} runs each; parent with the ledger: {base_rss:.0f} MB"
    )
    print(
        f"{'variant':<14} {'wall min':>9} {'wall med':>9} {'cpu min':>8} {'cpu med':>8} {'peak RSS MB':>12}"
    )
    for name, runs in results.items():
        walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
        print(
            f"{name:<14} {min(walls):>9.2f} {statistics.median(walls):>9.2f} {min(cpus):>8.2f}"
            f" {statistics.median(cpus):>8.2f} {max(r[2] for r in runs):>12.0f}"
        )
    for floor in ("floor/named", "floor/objects"):
        wall = min(r[0] for r in results["export"]) / min(r[0] for r in results[floor])
        cpu = min(r[1] for r in results["export"]) / min(r[1] for r in results[floor])
        print(f"export / {floor}: {wall:.2f}× wall, {cpu:.2f}× cpu")
    print(f"export file: {size:.1f} MB")


if __name__ == "__main__":
    main()
