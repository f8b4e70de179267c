"""Benchmark: read a 10,000-task office ledger with read_ledger_workbook, next to the floor.

The floor is python-calamine reading every cell of the same sheet (shared/stack-notes.md: 0.23 s for
.xlsx, 0.13 s for .xls at 10k rows). The workbook has the shape offices keep: a title row, a
填报单位 line, a two-row header with merged cells, section rows, measures numbered inside one cell
(~4.5 a task, 200–850 characters), descriptions of 100–400 characters.

    .venv/bin/python bench/bench_excel_import.py [--tasks 10000] [--runs 5] [--keep DIR]

Each timing runs in a fresh process (min and median of --runs), as the stack notes do.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PHRASES = [
    "部分乡镇生活污水处理设施建成后长期不能正常运行", "污水收集管网不完善,雨污分流改造滞后",
    "城区黑臭水体整治不彻底,部分河段返黑返臭", "工业园区污水处理厂超标排放问题突出",
    "畜禽养殖污染治理不到位,粪污直排现象时有发生", "非法采砂、破坏河道生态问题屡禁不止",
    "建筑工地扬尘管控措施落实不到位", "餐饮油烟净化设施未正常使用", "历史遗留废弃矿山生态修复推进缓慢",
    "饮用水水源保护区内仍有违规建筑和排污口", "危险废物贮存场所不规范,转移联单管理混乱",
    "秸秆露天焚烧现象仍有发生", "自然保护区内违规开发建设问题整改不彻底",
]  # fmt: skip
MEASURE_PHRASES = [
    "开展全面排查,建立问题清单和整改台账,逐一销号", "加快推进污水处理厂扩容提标改造工程建设",
    "加强日常执法检查,对违法排污行为依法从严查处", "制定年度治理计划,积极争取中央和省级专项资金",
    "建立长效监管机制,将整改情况纳入年度目标责任考核", "组织专家开展评估论证,编制“一河一策”整治方案",
    "强化部门联动,定期会商研判,及时协调解决突出问题", "加大宣传引导力度,畅通群众投诉举报渠道",
]  # fmt: skip
UNITS = [
    "县生态环境局", "县住建局", "县水利局", "县自然资源和规划局", "县农业农村局", "县城管局", "县交通运输局",
    "县发改委", "县工信局", "县林业局", "青溪镇人民政府", "白沙乡人民政府", "城关街道办事处", "各乡镇人民政府",
]  # fmt: skip
STATUSES = ["已完成", "序时推进", "滞后", "已销号", "整改中", "未启动", "已验收", "基本完成"]
HEADER_TOP = ["序号", "督察反馈问题", "责任单位", "", "督导单位", "责任领导", "整改时限", "整改目标", "整改措施",
              "整改进展", "完成情况", "备注"]  # fmt: skip
HEADER_BOTTOM = ["", "", "牵头单位", "配合单位"]
SECTIONS = [(0.0, ["一、反馈问题", "(一)个性问题"]), (0.35, ["(二)共性问题"]), (0.5, ["二、交办信访件"]),
            (0.9, ["三、自查问题"])]  # fmt: skip


def _text(rng: random.Random, phrases: list[str], low: int, high: int) -> str:
    target = rng.randint(low, high)
    parts: list[str] = []
    while sum(map(len, parts)) < target:
        parts.append(rng.choice(phrases))
    return ",".join(parts)[:target] + "。"


def ledger_rows(n: int, seed: int = 12) -> list[tuple[str, list[object]]]:
    """("section", [title]) and ("task", cells) rows of a realistic ledger."""
    rng = random.Random(seed)
    rows: list[tuple[str, list[object]]] = []
    boundaries = [(int(share * n), titles) for share, titles in SECTIONS]
    seq = 0
    for i in range(n):
        for start, titles in boundaries:
            if i == start:
                rows.extend(("section", [t]) for t in titles)
                if titles[0].startswith(("二", "三")):
                    seq = 0
        seq += 1
        units = rng.sample(UNITS, rng.randint(1, 4))
        total = rng.randint(200, 850)
        n_measures = rng.randint(2, 7)
        measures = "\n".join(
            f"{k}.{_text(rng, MEASURE_PHRASES, total // n_measures - 10, total // n_measures + 10)}"
            for k in range(1, n_measures + 1)
        )
        deadline: object = rng.choice(
            [f"{rng.randint(2023, 2026)}年{rng.randint(1, 12)}月底前", "立行立改、长期坚持",
             date(rng.randint(2023, 2026), rng.randint(1, 12), 28)]
        )  # fmt: skip
        rows.append(
            (
                "task",
                [
                    seq,
                    _text(rng, PHRASES, 100, 400),
                    units[0],
                    "、".join(units[1:]),
                    "县委督查室、县政府督查室",
                    rng.choice(["张建国", "李明", "王红梅"]),
                    deadline,
                    "问题得到彻底整改,环境质量明显改善。",
                    measures,
                    _text(rng, PHRASES, 30, 200),
                    rng.choice(STATUSES),
                    rng.choice(["", "", "已约谈"]),
                ],
            )
        )
    return rows


def write_xlsx(path: Path, n: int) -> None:
    from openpyxl import Workbook
    from openpyxl.worksheet.cell_range import CellRange

    book = Workbook(write_only=True)
    ws = book.create_sheet("整改台账")
    width = len(HEADER_TOP)
    merges = [f"A1:{chr(64 + width)}1", "C3:D3"] + [
        f"{chr(65 + c)}3:{chr(65 + c)}4" for c in (0, 1, *range(4, width))
    ]
    ws.append(["青溪县第二轮中央生态环境保护督察反馈问题整改落实情况台账"])
    ws.append(["填报单位:青溪县整改办", "", "", "", "", "", "", "", "填报日期:2026年3月5日"])
    ws.append(HEADER_TOP)
    ws.append(HEADER_BOTTOM)
    row = 5
    for kind, cells in ledger_rows(n):
        ws.append(cells)
        if kind == "section":
            merges.append(f"A{row}:{chr(64 + width)}{row}")
        row += 1
    for ref in merges:
        ws.merged_cells.add(CellRange(ref))
    book.save(path)


def write_xls(path: Path, n: int) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("整改台账")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    width = len(HEADER_TOP)
    ws.write_merge(0, 0, 0, width - 1, "青溪县第二轮中央生态环境保护督察反馈问题整改落实情况台账")
    ws.write(1, 0, "填报单位:青溪县整改办")
    for c, text in enumerate(HEADER_TOP):
        if c not in (2, 3):
            ws.write_merge(2, 3, c, c, text)
    ws.write_merge(2, 2, 2, 3, "责任单位")
    ws.write(3, 2, "牵头单位")
    ws.write(3, 3, "配合单位")
    for r, (kind, cells) in enumerate(ledger_rows(n), start=4):
        if kind == "section":
            ws.write_merge(r, r, 0, width - 1, cells[0])
            continue
        for c, value in enumerate(cells):
            if isinstance(value, date):
                ws.write(r, c, value, date_style)
            elif value != "":
                ws.write(r, c, value)
    book.save(str(path))


def child(mode: str, path: str) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    if mode == "floor":
        import python_calamine

        book = python_calamine.CalamineWorkbook.from_path(path)
        sheet = book.get_sheet_by_name(book.sheet_names[0])
        cells = sheet.to_python()
        merged = sheet.merged_cell_ranges
        count = sum(len(r) for r in cells) + len(merged or [])
    else:
        from ledger_app.io.excel_in.workbook import read_ledger_workbook

        plan = read_ledger_workbook(Path(path))
        count = len(plan.tasks)
        if mode == "detail":
            summary = plan.summary
            print(
                f"tasks {summary.tasks}, measures {summary.measures}, units {summary.units}, "
                f"deadlines {summary.deadlines_parsed} parsed / {summary.deadlines_not_understood} not understood, "
                f"refused {summary.refused_rows}, warnings {summary.warnings}",
                file=sys.stderr,
            )
    print(f"{time.perf_counter() - started:.4f} {time.process_time() - cpu:.4f} {count}")


def timed(mode: str, path: Path, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of ``runs`` fresh processes (CPU time is steadier on a busy machine)."""
    wall, cpu = [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, "--child", mode, str(path)], capture_output=True, text=True, check=True
        )
        fields = out.stdout.split()
        wall.append(float(fields[0]))
        cpu.append(float(fields[1]))
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the workbooks here and keep them")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    directory = args.keep or Path(tempfile.mkdtemp(prefix="bench_import_"))
    directory.mkdir(parents=True, exist_ok=True)
    print(f"{args.tasks} tasks, {args.runs} fresh processes each, in {directory}")
    for fmt, writer in (("xlsx", write_xlsx), ("xls", write_xls)):
        path = directory / f"ledger_{args.tasks}.{fmt}"
        started = time.perf_counter()
        writer(path, args.tasks)
        print(
            f"\n.{fmt}: {path.stat().st_size / 1e6:.1f} MB, written in {time.perf_counter() - started:.1f} s"
        )
        subprocess.run(
            [sys.executable, __file__, "--child", "detail", str(path)], check=True, stdout=subprocess.DEVNULL
        )
        floor_wall, floor_cpu = timed("floor", path, args.runs)
        ours_wall, ours_cpu = timed("import", path, args.runs)
        print(f"  {'seconds':28}{'wall min':>9}{'median':>8}{'cpu min':>9}{'median':>8}")
        for label, wall, cpu in (
            ("calamine, all cells (floor)", floor_wall, floor_cpu),
            ("read_ledger_workbook", ours_wall, ours_cpu),
        ):
            print(
                f"  {label:28}{min(wall):9.3f}{statistics.median(wall):8.3f}"
                f"{min(cpu):9.3f}{statistics.median(cpu):8.3f}"
            )
        print(
            f"  ratio (median): wall {statistics.median(ours_wall) / statistics.median(floor_wall):.1f}x, "
            f"cpu {statistics.median(ours_cpu) / statistics.median(floor_cpu):.1f}x"
        )


if __name__ == "__main__":
    main()
