"""整改任务销号审批表: the approval form a task needs, with signatures and seals, before it is closed."""

from __future__ import annotations

from reportlab.lib.units import cm, mm
from reportlab.platypus import Flowable

from ledger_app.io.pdf.doc import TEXT_HEIGHT, TEXT_WIDTH, Numbering, Section
from ledger_app.io.pdf.fonts import FontSet
from ledger_app.io.pdf.inputs import (
    PROBLEM_LABEL,
    FormContext,
    SignoffInput,
    acceptance_text,
    attachments_text,
    default_implementation_text,
    joined,
    measures_text,
    public_notice_text,
    task_heading,
    units_text,
)
from ledger_app.io.pdf.styles import FORM_SIZES, FormStyles, form_styles
from ledger_app.io.pdf.table import Cell, CellKind, Row, RuledTable, Rules, Signature, VAlign
from ledger_app.io.pdf.text import TextBlock, TextFlowable

TITLE = "整改任务销号审批表"
LABEL_WIDTH = 2.5 * cm
# Five columns: the two signature halves are equal (spans 0-1 and 2-4) while the 责任单位 cell
# (columns 1-2) gets more room than the usually short 督导单位 one (column 4).
_HALF = TEXT_WIDTH / 2
COLUMNS = (LABEL_WIDTH, _HALF - LABEL_WIDTH, 1.2 * cm, LABEL_WIDTH, _HALF - 1.2 * cm - LABEL_WIDTH)
FULL = 4  # a text cell across the form, right of its label
UNIT_SIGN_HEIGHT = 4.0 * cm  # a 4.2 cm seal fits, pressing on the date as offices stamp it
LEADER_SIGN_HEIGHT = 3.6 * cm  # signature, seal and date: a little less room than a unit's seal
# A form just over one page is set once more with this much less room to sign (the seal then presses
# on the signing lines, as it often does anyway) before it is let run onto a second page.
COMPACT = 0.8
# Tight padding: at 五号 a six-character label (整改落实情况) then fits the 2.5 cm column on one line.
RULES = Rules(pad_x=3.5, pad_y=2.5)
DATE_LINE = "年\u3000\u3000月\u3000\u3000日\u3000"


def _label(text: str, styles: FormStyles) -> Cell:
    return Cell(TextBlock(text, styles.label), CellKind.LABEL)


def _text(text: str, styles: FormStyles, span: int = FULL) -> Cell:
    return Cell(TextBlock(text, styles.cell), CellKind.TEXT, span, VAlign.MIDDLE)


def _signature(heading: str, lines: list[str], height: float, styles: FormStyles, span: int) -> Cell:
    footer = [TextBlock(line, styles.sign_line) for line in lines]
    block = Signature(TextBlock(heading, styles.sign_heading), footer, height - 2 * RULES.pad_y)
    return Cell(block, CellKind.SIGNATURE, span, VAlign.TOP)


def _header(item: SignoffInput, styles: FormStyles) -> RuledTable:
    task = item.task
    left = [f"督察批次：{task.round_name}"] if task.round_name.strip() else []
    if task.batch.strip():
        left.append(f"交办批次：{task.batch.strip()}")
    if task.case_no.strip():
        left.append(f"受理编号：{task.case_no.strip()}")
    row = Row(
        [
            Cell(TextBlock("\u3000\u3000".join(left), styles.header), CellKind.TEXT, 3, VAlign.TOP),
            Cell(TextBlock(f"序号：{task.seq}", styles.header_right), CellKind.TEXT, 1, VAlign.TOP),
        ],
        splittable=False,
    )
    grid = (TEXT_WIDTH - 3.5 * cm, 0, 0, 3.5 * cm)
    table = RuledTable([row], grid, rules=Rules(outer=0, inner=0, pad_x=0, pad_y=1.5))
    table.spaceAfter = 1 * mm
    return table


def _rows(item: SignoffInput, ctx: FormContext, styles: FormStyles, squeeze: float = 1.0) -> list[Row]:
    task = item.task
    implementation = item.implementation_text
    if implementation is None:
        implementation = default_implementation_text(task, item.progress)
    rows = [
        Row([_label(PROBLEM_LABEL[task.kind], styles), _text(task.description, styles)]),
        Row(
            [
                _label("责任单位", styles),
                _text(units_text(task), styles, 2),
                _label("督导单位", styles),
                _text(joined(task.supervising_units), styles, 1),
            ]
        ),
        Row([_label("整改时限", styles), _text(task.deadline.text, styles)]),
        Row([_label("整改目标", styles), _text(task.goal, styles)]),
        Row([_label("整改措施", styles), _text(measures_text(task), styles)]),
        Row([_label("整改落实情况", styles), _text(implementation, styles)]),
        Row([_label("佐证材料清单", styles), _text(attachments_text(task), styles)]),
        Row([_label("验收情况", styles), _text(acceptance_text(task), styles)]),
        # The signatures are never printed on a page of their own: the notice row goes with them.
        Row([_label("公示情况", styles), _text(public_notice_text(task), styles)], keep_with_next=True),
    ]
    unit_height, leader_height = UNIT_SIGN_HEIGHT * squeeze, LEADER_SIGN_HEIGHT * squeeze
    # A one-line value still gets a row that does not look cramped (a little less when squeezed).
    min_h = styles.label.leading * (1.6 if squeeze == 1.0 else 1.2) + 7
    for row in rows:
        row.min_height = min_h
    unit_lines = [
        "负责人（签字）：\u3000\u3000\u3000\u3000\u3000\u3000",
        "（盖章）\u3000\u3000\u3000\u3000",
        DATE_LINE,
    ]
    leader_lines = [
        "签字：\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000",
        "（盖章）\u3000\u3000\u3000\u3000",
        DATE_LINE,
    ]
    rows.append(
        Row(
            [
                _signature("责任单位意见：", unit_lines, unit_height, styles, 2),
                _signature("督导单位意见：", unit_lines, unit_height, styles, 3),
            ],
            min_height=unit_height,
            keep_with_next=True,
            splittable=False,
        )
    )
    rows.append(
        Row(
            [
                _signature(f"{ctx.party_leader}意见：", leader_lines, leader_height, styles, 2),
                _signature(f"{ctx.government_leader}意见：", leader_lines, leader_height, styles, 3),
            ],
            min_height=leader_height,
            splittable=False,
        )
    )
    return rows


def _flowables(
    item: SignoffInput, ctx: FormContext, styles: FormStyles, squeeze: float = 1.0
) -> list[Flowable]:
    table = RuledTable(_rows(item, ctx, styles, squeeze), COLUMNS, rules=RULES)
    return [TextFlowable(TITLE, styles.title), _header(item, styles), table]


def _height(flowables: list[Flowable]) -> float:
    total = 0.0
    for f in flowables:
        total += f.wrap(TEXT_WIDTH, TEXT_HEIGHT)[1] + f.getSpaceBefore() + f.getSpaceAfter()
    return total


def _pages(flowables: list[Flowable]) -> tuple[int, float]:
    """Pages a form longer than one page takes, and how much of page 1 it fills (split as printed)."""
    *top, table = flowables
    used = _height(top)
    first_fill, pages, rest = used, 0, table
    while True:
        pages += 1
        avail = TEXT_HEIGHT - used
        if rest.wrap(TEXT_WIDTH, avail)[1] <= avail or pages > 20:
            return pages, first_fill if pages > 1 else used + rest.height
        parts = rest.split(TEXT_WIDTH, avail)
        if len(parts) < 2:
            return pages + 1, first_fill
        if pages == 1:
            first_fill = used + parts[0].wrap(TEXT_WIDTH, avail)[1]
        rest, used = parts[1], 0.0  # the running head of later pages is in the page margin


def signoff_flowables(item: SignoffInput, ctx: FormContext, fonts: FontSet) -> list[Flowable]:
    """The form in 小四; in 五号 if that keeps it on one page, or 五号 with less room to sign.

    A form that needs more pages anyway takes the size with fewer pages, then the one whose first page
    is fuller (小四 on a tie): in 五号 the content alone can fit page 1 while the signatures cannot,
    which would leave a quarter of it empty."""
    best: tuple[int, float, list[Flowable]] | None = None
    for size in FORM_SIZES:
        flowables = _flowables(item, ctx, form_styles(fonts, size))
        if _height(flowables) <= TEXT_HEIGHT:
            return flowables
        pages, fill = _pages(flowables)
        if best is None or (pages, -fill) < (best[0], -best[1] - 0.5 * cm):
            best = (pages, fill, flowables)
    compact = _flowables(item, ctx, form_styles(fonts, FORM_SIZES[-1]), COMPACT)
    if _height(compact) <= TEXT_HEIGHT:
        return compact
    assert best is not None
    return best[2]


def signoff_section(item: SignoffInput, ctx: FormContext, fonts: FontSet) -> Section:
    heading = task_heading(item.task)
    return Section(
        build=lambda: signoff_flowables(item, ctx, fonts),
        label=heading,
        numbering=Numbering.FORM,
        running_head=f"{TITLE}（续）\u3000{heading}",
    )
