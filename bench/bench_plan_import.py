"""Benchmark: reading a 500-task rectification plan (整改方案), in each shape, and importing it.

    .venv/bin/python bench/bench_plan_import.py [--tasks 500] [--repeat 5]

Plans are written by tests/plan_factory.py with realistic lengths (a description of 100–400
characters, 3–6 measures of 40–150 characters naming their units, deadlines, supervising units):
labelled fields as .txt (UTF-8 and GB18030) and as Word paragraphs, measures with inline units as .txt,
and a Word table. Reported: min / median seconds of ``read_plan`` in this process (after one warm-up),
one fresh process (python start + imports + read), and the import of the labelled-field plan into an
empty ledger (``import_plan``, backup included).
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ledger_app.io.plan import read_plan  # noqa: E402
from tests.plan_factory import PlanMeasure, PlanTask, add_table, docx_bytes, fields_plan, inline_plan  # noqa: E402

CLAUSES = [
    "县城污水处理厂长期超负荷运行", "部分时段出水氨氮超标", "雨污分流改造进度滞后", "老城区仍有约12公里管网雨污混接",
    "部分矿山生态修复不到位", "历史遗留废弃矿山治理推进缓慢", "秸秆露天焚烧时有发生", "建筑工地扬尘管控措施落实不到位",
    "入河排污口排查整治底数不清", "城区黑臭水体出现反弹", "畜禽养殖废弃物资源化利用率偏低", "垃圾填埋场渗滤液处理能力不足",
]  # fmt: skip
ACTIONS = [
    "加快推进污水处理厂扩容提标工程建设", "开展雨污混接点排查并建立问题清单", "逐一销号整改并开展回头看",
    "加强进水水质监测对超标排放行为依法查处", "建立历史遗留矿山台账制定年度治理计划", "积极争取中央和省级专项资金",
    "落实河长制湖长制压实属地责任", "开展专项执法检查形成高压态势", "完善长效管理机制定期通报进展",
]  # fmt: skip
UNITS = [
    "县住建局",
    "县水利局",
    "县生态环境局",
    "县自然资源和规划局",
    "县农业农村局",
    "县城管局",
    "各乡镇人民政府",
    "县林业局",
]


def tasks(n: int, rng: random.Random) -> list[PlanTask]:
    out = []
    for _ in range(n):
        description = ""
        while len(description) < rng.randint(100, 400):
            description += rng.choice(CLAUSES) + ","
        measures = []
        for _ in range(rng.randint(3, 6)):
            text = ",".join(rng.sample(ACTIONS, rng.randint(1, 3))) + "。"
            lead = rng.sample(UNITS, rng.randint(1, 2))
            measures.append(PlanMeasure(text, lead, [u for u in rng.sample(UNITS, 2) if u not in lead]))
        out.append(
            PlanTask(
                description.rstrip(",") + "。",
                responsible=rng.sample(UNITS, rng.randint(1, 3)),
                supervising=["县委督查室", "县政府督查室"],
                deadline=rng.choice(["2023年12月底前", "立行立改、长期坚持", "2024年6月30日", "2025年底前"]),
                goal="问题整改到位,群众满意度明显提升。",
                measures=measures,
            )
        )
    return out


def write_plans(folder: Path, n: int) -> dict[str, Path]:
    rng = random.Random(7)
    plan = tasks(n, rng)
    # 500 problems are numbered 1. 2. …; their measures (1) (2) ….
    text = fields_plan(plan, numbering="dot", measure_numbering="paren", measure_units=True, furniture=True)
    paths = {
        "fields .txt UTF-8": folder / "fields.txt",
        "fields .txt GB18030": folder / "fields-gb.txt",
        "inline .txt (measures)": folder / "inline.txt",
        "fields .docx paragraphs": folder / "fields.docx",
        "table .docx": folder / "table.docx",
    }
    paths["fields .txt UTF-8"].write_text(text, encoding="utf-8")
    paths["fields .txt GB18030"].write_text(text, encoding="gb18030")
    # Inline units: the measures of all tasks, ten to a heading (headings run (一) … (五十)).
    measures = [m for t in plan for m in t.measures][: n * 10 // 2]
    sections = [
        (f"第{i + 1}组整改任务", measures[i * 10 : i * 10 + 10]) for i in range(min(99, len(measures) // 10))
    ]
    paths["inline .txt (measures)"].write_text(
        inline_plan(sections, heading="cn_paren_half"), encoding="utf-8"
    )
    paths["fields .docx paragraphs"].write_bytes(
        docx_bytes(lambda d: [d.add_paragraph(line) for line in text.splitlines()])
    )
    rows = [
        [str(i), t.description, "、".join(t.responsible), t.deadline, t.goal,
         "\n".join(f"{j}.{m.text}" for j, m in enumerate(t.measures, 1))]
        for i, t in enumerate(plan, 1)
    ]  # fmt: skip
    header = ["序号", "反馈问题", "责任单位", "整改时限", "整改目标", "整改措施"]
    paths["table .docx"].write_bytes(docx_bytes(lambda d: add_table(d, header, rows)))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        paths = write_plans(folder, args.tasks)
        print(f"{args.tasks} tasks; seconds: in-process min / median of {args.repeat}, and one fresh process")
        for name, path in paths.items():
            read_plan(path)  # warm-up: imports, regex compilation
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                reading = read_plan(path)
                times.append(time.perf_counter() - started)
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
                 f"from ledger_app.io.plan import read_plan; read_plan({str(path)!r})"],
                check=True,
            )  # fmt: skip
            fresh = time.perf_counter() - started
            size = path.stat().st_size / 1024
            print(
                f"  {name:26s} {size:7.0f} KB  {min(times):.3f} / {statistics.median(times):.3f} s   fresh {fresh:.2f} s"
                f"   → {len(reading.tasks)} tasks, {reading.summary.measures} measures, {len(reading.issues)} issues"
            )
        from ledger_app.services import Ledger

        with Ledger.open(folder / "bench.sqlite3", create=True) as ledger:
            started = time.perf_counter()
            reading = ledger.imports.read_plan(path=paths["fields .txt UTF-8"])
            result = ledger.imports.import_plan(reading, target="基准批次")
            print(
                f"  read + import into an empty ledger: {time.perf_counter() - started:.2f} s ({len(result.created)} tasks)"
            )


if __name__ == "__main__":
    main()
