"""What the 整改任务销号审批表 says (io/pdf/signoff.py), read from the form's own table, on a hand-made task."""

from __future__ import annotations

from datetime import date

import pytest

from ledger_app.domain.deadlines import parse_deadline
from ledger_app.domain.model import ProblemKind
from ledger_app.domain.records import (
    AcceptanceRecord,
    MeasureRecord,
    ProgressRecord,
    PublicNoticeRecord,
    TaskRecord,
)
from ledger_app.io.pdf.fonts import FontSet, load_fonts
from ledger_app.io.pdf.inputs import FormContext, SignoffInput
from ledger_app.io.pdf.signoff import signoff_flowables, signoff_section
from ledger_app.io.pdf.table import Cell, CellKind, RuledTable, Signature

SP = "\u3000"  # an ideographic space: room to sign
BLANK_DATE = "年\u3000\u3000月\u3000\u3000日\u3000"
CTX = FormContext(organisation="某某县", area_word="县")


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    return load_fonts()


def petition(**changes: object) -> TaskRecord:
    fields: dict[str, object] = {
        "seq": "7",
        "kind": ProblemKind.PETITION,
        "description": "群众反映养殖场污水直排",
        "round_name": "第二轮中央生态环境保护督察",
        "batch": "第3批",
        "case_no": "X2026-01",
        "lead_units": ["县农业农村局"],
        "cooperating_units": ["城关镇"],
        "supervising_units": ["县委督查室", "县政府督查室"],
        "deadline": parse_deadline("2026年6月底前"),
        "goal": "污水不直排",
        "measures": [MeasureRecord(1, "关停直排口")],
        "progress": [ProgressRecord(date(2026, 3, 5), "已关停直排口。")],
        "acceptance": AcceptanceRecord(date(2026, 4, 1), "县生态环境局", "符合销号条件"),
        "public_notice": PublicNoticeRecord(date(2026, 4, 6), date(2026, 4, 12), outcome="无异议"),
    }
    fields.update(changes)
    return TaskRecord(**fields)  # type: ignore[arg-type]


def cell_text(cell: Cell) -> str:
    content = cell.content
    if isinstance(content, Signature):
        return "|".join([content.heading.text, *(line.text for line in content.footer)])
    return content.text if content is not None else ""


def form(
    task: TaskRecord, fonts: FontSet, text: str | None = None
) -> tuple[str, str, list[list[str]], RuledTable]:
    title, header, table = signoff_flowables(SignoffInput(task, text), CTX, fonts)
    assert isinstance(table, RuledTable)
    header_cells = [cell_text(c) for c in header.rows[0].cells]  # type: ignore[attr-defined]
    return (
        title.block.text,
        " / ".join(header_cells),
        [[cell_text(c) for c in row.cells] for row in table.rows],
        table,
    )


def test_every_row_of_the_form(fonts: FontSet) -> None:
    title, header, rows, table = form(petition(), fonts)
    assert title == "整改任务销号审批表"
    assert (
        header
        == "督察批次：第二轮中央生态环境保护督察\u3000\u3000交办批次：第3批\u3000\u3000受理编号：X2026-01 / 序号：7"
    )
    assert rows == [
        ["信访问题", "群众反映养殖场污水直排"],
        ["责任单位", "牵头单位：县农业农村局\n配合单位：城关镇", "督导单位", "县委督查室、县政府督查室"],
        ["整改时限", "2026年6月底前"],
        ["整改目标", "污水不直排"],
        ["整改措施", "1.关停直排口"],
        ["整改落实情况", "2026年3月：已关停直排口。"],
        ["佐证材料清单", "无"],
        ["验收情况", "验收日期：2026年4月1日\u3000验收单位：县生态环境局\n评估结论：符合销号条件"],
        ["公示情况", "公示期：2026年4月6日至2026年4月12日\u3000公示结果：无异议"],
        [
            f"责任单位意见：|负责人（签字）：{SP * 6}|（盖章）{SP * 4}|{BLANK_DATE}",
            f"督导单位意见：|负责人（签字）：{SP * 6}|（盖章）{SP * 4}|{BLANK_DATE}",
        ],
        [
            f"县委主要负责同志意见：|签字：{SP * 8}|（盖章）{SP * 4}|{BLANK_DATE}",
            f"县政府主要负责同志意见：|签字：{SP * 8}|（盖章）{SP * 4}|{BLANK_DATE}",
        ],
    ]
    spans = [[c.span for c in row.cells] for row in table.rows]
    assert spans == [[1, 4], [1, 2, 1, 1], *[[1, 4]] * 7, [2, 3], [2, 3]]
    kinds = {c.kind for row in table.rows[-2:] for c in row.cells}
    assert kinds == {CellKind.SIGNATURE}
    # The notice row goes with the signatures; the signature rows are never cut.
    assert table.rows[8].keep_with_next and table.rows[9].keep_with_next and not table.rows[10].keep_with_next
    assert not table.rows[9].splittable and not table.rows[10].splittable and table.rows[0].splittable


def test_the_clerks_own_text_and_a_task_without_batch(fonts: FontSet) -> None:
    plain = petition(kind=ProblemKind.SPECIFIC, batch="", case_no="", round_name="")
    _, header, rows, _ = form(plain, fonts, "已全部整改到位。")
    assert header == " / 序号：7"
    assert rows[0] == ["反馈问题", "群众反映养殖场污水直排"]
    assert rows[5] == ["整改落实情况", "已全部整改到位。"]


def test_a_long_form_is_set_smaller_to_keep_one_page(fonts: FontSet) -> None:
    short = signoff_flowables(SignoffInput(petition()), CTX, fonts)
    assert short[2].rows[0].cells[1].content.style.size == 12.0  # type: ignore[attr-defined]  # 小四 fits

    def set_in(goal_chars: int) -> tuple[float, float]:
        table = signoff_flowables(SignoffInput(petition(goal="目" * goal_chars)), CTX, fonts)[2]
        return table.rows[0].cells[1].content.style.size, table.rows[-1].min_height  # type: ignore[attr-defined]

    # Measured on this form: 五号 keeps 160 characters of goal on one page; 210 need the signature
    # rows squeezed to 0.8 of their height (3.6 cm -> 2.88 cm); 1,800 take several pages either way,
    # and 小四 then fills its first page better.
    assert set_in(160) == (10.5, pytest.approx(3.6 * 28.3465, abs=0.01))
    assert set_in(210) == (10.5, pytest.approx(0.8 * 3.6 * 28.3465, abs=0.01))
    assert set_in(1800)[0] == 12.0


def test_the_section_names_the_task(fonts: FontSet) -> None:
    section = signoff_section(SignoffInput(petition()), CTX, fonts)
    assert section.label == "第二轮中央生态环境保护督察 序号7"
    assert section.running_head == "整改任务销号审批表（续）\u3000第二轮中央生态环境保护督察 序号7"
