"""Benchmark: 销号审批表 PDFs, one form and a batch of 1,000, beside the stack-notes floor.

    .venv/bin/python bench/bench_pdf_forms.py [--count 1000] [--out DIR]

Builds realistic TaskRecords in memory (Chinese text of 100-800 characters, 3-8 measures,
progress entries, attachments, acceptance, public notice), then times:
  fonts      loading and registering the CJK fonts (once per process)
  one form   one 销号审批表 after the fonts are loaded (median of 20)
  batch      COUNT forms in one PDF, with a progress callback
  floor      the stack-notes floor workload on this machine: COUNT one-page reportlab forms,
             a 10-row platypus Table of CJK Paragraphs (9.1 s for 1,000 where the notes were taken)
Target: one form <= 0.1 s, 1,000 forms <= 60 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ledger_app.domain.deadlines import parse_deadline
from ledger_app.domain.model import ProblemKind, TaskStatus
from ledger_app.domain.records import (
    AcceptanceRecord,
    AttachmentRecord,
    MeasureRecord,
    ProgressRecord,
    PublicNoticeRecord,
    TaskRecord,
)
from ledger_app.io.pdf.fonts import load_fonts
from ledger_app.io.pdf.forms import FormContext, SignoffInput, write_signoff_forms

PHRASES = [
    "部分沿江化工企业违规占用岸线，码头非法采砂、堆砂问题突出",
    "区内某工业园区污水处理厂长期超负荷运行，出水氨氮不能稳定达标",
    "园区雨污管网混接错接，雨天大量污水溢流入河",
    "2020年以来累计超标排放46天，群众反映强烈",
    "建筑工地扬尘管控措施落实不到位，渣土运输车辆未密闭",
    "部分乡镇生活垃圾填埋场渗滤液收集处理设施不完善",
    "畜禽养殖废弃物资源化利用率偏低，散养户粪污直排现象仍有发生",
    "饮用水水源保护区内仍存在违规建设项目",
    "督察组交办的信访件办理质量不高，个别问题整改不彻底",
    "重点行业挥发性有机物治理设施运行不正常，在线监测数据异常",
    "河道“清四乱”工作推进缓慢，部分河段存在违建和垃圾堆放",
    "矿山生态修复进度滞后于计划，部分废弃矿山未完成复绿",
    "城区黑臭水体整治成效不稳固，存在返黑返臭风险",
    "工业固体废物贮存场所“三防”措施不到位",
    "秸秆禁烧工作压力传导不够，个别地方仍有焚烧现象",
]
MEASURE_PHRASES = [
    "开展园区管网全面排查，完成雨污分流改造",
    "实施污水处理厂提标改造，出水稳定达到一级A标准",
    "建立管网运维长效机制，落实专人巡查",
    "依法关停取缔违规企业，拆除非法码头设施",
    "完善在线监测系统，数据实时上传监管平台",
    "组织开展专项执法检查，依法查处环境违法行为",
    "编制生态修复方案，分年度推进实施",
    "加强宣传引导，畅通群众投诉举报渠道",
]
UNITS = ["区住房和城乡建设局", "区生态环境局", "区水务局", "区自然资源局", "区农业农村局", "XX街道办事处"]


def chinese_text(rng: random.Random, low: int, high: int, pool: list[str]) -> str:
    target = rng.randint(low, high)
    parts: list[str] = []
    size = 0
    while size < target:
        p = rng.choice(pool) + rng.choice("，；。")
        parts.append(p)
        size += len(p)
    text = "".join(parts)[:target].rstrip("，；") + "。"
    if rng.random() < 0.3 and len(text) > 200:
        cut = len(text) // 2
        text = text[:cut] + "\n\u3000\u3000" + text[cut:]  # a second paragraph, as clerks indent it
    return text


def make_task(rng: random.Random, seq: int) -> TaskRecord:
    lead = rng.sample(UNITS, 1)
    coop = rng.sample([u for u in UNITS if u not in lead], rng.randint(0, 2))
    measures = [
        MeasureRecord(
            i, chinese_text(rng, 30, 120, MEASURE_PHRASES), lead, coop, parse_deadline("2023年12月底前")
        )
        for i in range(1, rng.randint(3, 8) + 1)
    ]
    start = date(2022, 1, 31)
    progress = [
        ProgressRecord(start + timedelta(days=30 * m), chinese_text(rng, 60, 300, MEASURE_PHRASES))
        for m in range(rng.randint(1, 12))
    ]
    accepted = date(2023, 3, 1) + timedelta(days=rng.randint(0, 200))
    return TaskRecord(
        seq=str(seq),
        kind=ProblemKind.SPECIFIC,
        description=chinese_text(rng, 100, 800, PHRASES),
        round_name="第二轮中央生态环境保护督察",
        lead_units=lead,
        cooperating_units=coop,
        supervising_units=["区委督查室", "区政府督查室"],
        deadline=parse_deadline(rng.choice(["2022年6月底前", "2023年12月底前", "立行立改、长期坚持"])),
        goal=chinese_text(rng, 20, 120, MEASURE_PHRASES),
        status=TaskStatus.ACCEPTED,
        measures=measures,
        progress=progress,
        attachments=[
            AttachmentRecord(f"佐证材料{i}（现场照片及验收资料）.pdf", 1000, "0" * 64)
            for i in range(rng.randint(0, 6))
        ],
        acceptance=AcceptanceRecord(accepted, "区生态环境保护督察整改工作领导小组办公室", "符合销号条件"),
        public_notice=PublicNoticeRecord(
            accepted + timedelta(days=3),
            accepted + timedelta(days=9),
            "李四",
            "0571-88888888",
            "公示期间未收到异议。",
        ),
    )


def floor_workload(tasks: list[TaskRecord], path: Path) -> None:
    """The stack-notes floor: one A4 page per task with a 10-row table of CJK Paragraphs."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    font = load_fonts().body.name
    style = ParagraphStyle("cell", fontName=font, fontSize=10.5, leading=14, wordWrap="CJK")
    story = []
    for t in tasks:
        rows = [
            [Paragraph(label, style), Paragraph(value[:120], style)]
            for label, value in [
                ("反馈问题", t.description),
                ("责任单位", "、".join(t.main_units)),
                ("督导单位", "、".join(t.supervising_units)),
                ("整改时限", t.deadline.text),
                ("整改目标", t.goal),
                ("整改措施", t.measures[0].text),
                ("落实情况", t.progress[-1].text if t.progress else ""),
                ("验收情况", "符合销号条件"),
                ("公示情况", "公示期间未收到异议"),
                ("备注", ""),
            ]
        ]
        table = Table(rows, colWidths=[70, 370])
        table.setStyle(
            TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("FONTNAME", (0, 0), (-1, -1), font)])
        )
        story += [table, PageBreak()]
    SimpleDocTemplate(str(path), pagesize=A4, initialFontName=font).build(story)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=None, help="keep the PDFs in this folder")
    parser.add_argument("--no-floor", action="store_true", help="skip the floor workload")
    args = parser.parse_args()

    rng = random.Random(20260510)
    tasks = [make_task(rng, i + 1) for i in range(args.count)]
    chars = [len(t.description) for t in tasks]
    print(
        f"{args.count} tasks, description {min(chars)}-{max(chars)} chars (mean {statistics.mean(chars):.0f})"
    )

    out_dir = args.out or Path(tempfile.mkdtemp(prefix="bench_pdf_"))
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = FormContext()

    t0 = time.perf_counter()
    load_fonts()
    print(f"fonts      {time.perf_counter() - t0:7.3f} s  (load and register, once per process)")

    times = []
    for t in tasks[:20]:
        t0 = time.perf_counter()
        write_signoff_forms([SignoffInput(t)], out_dir / "one.pdf", context=ctx)
        times.append(time.perf_counter() - t0)
    print(
        f"one form   {statistics.median(times):7.3f} s  median of 20 (max {max(times):.3f}; target <= 0.1 s)"
    )

    done = [0]

    def progress(n: int, total: int, text: str) -> None:
        done[0] = n

    batch = out_dir / "batch.pdf"
    t0 = time.perf_counter()
    write_signoff_forms([SignoffInput(t) for t in tasks], batch, context=ctx, progress=progress)
    elapsed = time.perf_counter() - t0
    from pypdf import PdfReader

    pages = len(PdfReader(batch).pages)
    size = batch.stat().st_size / 1e6
    print(
        f"batch      {elapsed:7.3f} s  {args.count} forms, {pages} pages, {size:.1f} MB, "
        f"progress reached {done[0]} (target <= 60 s for 1,000)"
    )

    if not args.no_floor:
        floor = out_dir / "floor.pdf"
        t0 = time.perf_counter()
        floor_workload(tasks, floor)
        elapsed = time.perf_counter() - t0
        print(
            f"floor      {elapsed:7.3f} s  {args.count} one-page reportlab Table forms, "
            f"{floor.stat().st_size / 1e6:.1f} MB (stack-notes: 9.1 s, 3.4 MB for 1,000)"
        )
    print(f"PDFs in {out_dir}")


if __name__ == "__main__":
    main()
