"""整改落实情况 condensed to fit the sign-off form, and the words the forms take from io/pdf/inputs.py,
with known answers: every text and number is written out here.

How the summary is cut (inputs.progress_summary): each report takes a line "2026年3月：…", so a line
costs its label + 2 characters. When the whole is over the limit (600 by default), what is left after
the labels is shared out equally, never less than 12 in all; what a short report does not use goes to
the longer ones in equal parts. A report over its share keeps its whole sentences; when not even its
first sentence fits, it ends at the last comma past half the share, or is cut two short of the share,
with …… after it."""

from __future__ import annotations

from datetime import date

import pytest

from ledger_app.domain.deadlines import parse_deadline
from ledger_app.domain.model import NoticeKind, ProblemKind
from ledger_app.domain.records import ProgressRecord, TaskRecord
from ledger_app.io.pdf.fonts import FontSet, load_fonts
from ledger_app.io.pdf.inputs import (
    FormContext,
    SignoffInput,
    UnitNoticeInput,
    default_implementation_text,
    progress_summary,
)
from ledger_app.io.pdf.notice import notice_flowables
from ledger_app.io.pdf.signoff import signoff_flowables
from ledger_app.io.pdf.styles import letter_styles
from ledger_app.io.pdf.table import RuledTable

# 46 characters without a sentence end or a comma: it can only be cut inside.
RUN = "已完成城区十二条黑臭水体排查并制定一河一策整治方案正在组织施工单位进场施工预计年底前全部完工"
TAIL = "县住建局牵头组织城关镇对沿河排口逐一封堵并建立巡查台账每月复查一次确保不反弹"  # 38, the same


def task(*reports: tuple[date, str], kind: ProblemKind = ProblemKind.SPECIFIC) -> TaskRecord:
    return TaskRecord(
        seq="12",
        kind=kind,
        description="城区黑臭水体整治不到位",
        round_name="第二轮中央生态环境保护督察",
        lead_units=["县住建局"],
        deadline=parse_deadline("2026年6月底前"),
        progress=[ProgressRecord(day, text) for day, text in reports],
    )


def one(text: str) -> TaskRecord:
    return task((date(2026, 3, 10), text))


def test_the_inputs_are_as_long_as_the_cases_below_say() -> None:
    assert (len(RUN), len(TAIL)) == (46, 38)


# -- the 600-character limit of the form ------------------------------------------------------------
FIFTY = "".join(f"已完成管网改造第{n}段。" for n in range(1, 51))  # 9 × 11 + 41 × 12 = 591 characters


def test_a_report_that_just_fits_600_characters_is_printed_whole() -> None:
    assert len(FIFTY) == 591  # + "2026年3月：" (7 + 1) and the line end: exactly 600
    assert default_implementation_text(one(FIFTY)) == "2026年3月：" + FIFTY


def test_one_character_more_and_its_last_sentence_goes() -> None:
    text = "现" + FIFTY  # 592: 601 in all. 591 left for the text; sentences 1-49 are 580 of them
    expected = "2026年3月：现" + "".join(f"已完成管网改造第{n}段。" for n in range(1, 50))
    assert default_implementation_text(one(text)) == expected
    assert default_implementation_text(one(text), "all") == expected


def test_reports_that_together_just_fit_are_not_cut_unevenly() -> None:
    # Two lines: 18 for the labels, 10 + 21 for the texts: 49, the limit. Shared out, the second would
    # get 15 + 5 = 20 and lose its last sentence; at the limit nothing is shared out.
    record = task(
        (date(2026, 3, 10), "已完成管网改造一段。"),
        (date(2026, 4, 10), "已完成管网改造第二段。正在组织第三方验收。"),
    )
    assert progress_summary(record, limit=49) == (
        "2026年3月：已完成管网改造一段。\n2026年4月：已完成管网改造第二段。正在组织第三方验收。"
    )


def test_a_sentence_that_exactly_fills_the_share_is_kept() -> None:
    sentences = [f"完成第{n}批管网改造工程验收。" for n in "一二三四五六七"]  # 14 characters each
    text = "".join(sentences)  # 98
    # Limit 93: 9 for the label, 84 for the text, which six sentences fill exactly.
    assert progress_summary(one(text), limit=93) == "2026年3月：" + "".join(sentences[:6])


# -- cutting inside a sentence (limit 39: 30 characters for the one report) -------------------------
@pytest.mark.parametrize(
    ("text", "summary"),
    [
        # No comma: 28 characters and ……, 30 in all.
        (RUN, "已完成城区十二条黑臭水体排查并制定一河一策整治方案正在组……"),
        # A comma at character 15, exactly half the share: the cut is made there.
        ("群众反映城区污水直排问题已查实，" + TAIL, "群众反映城区污水直排问题已查实……"),
        # A comma at character 12, short of half: the text is cut at 28 instead.
        ("城区污水直排问题已经查实，" + TAIL, "城区污水直排问题已经查实，县住建局牵头组织城关镇对沿河排……"),
    ],
)
def test_a_first_sentence_longer_than_the_share_is_cut(text: str, summary: str) -> None:
    assert progress_summary(one(text), limit=39) == "2026年3月：" + summary


def test_a_report_keeps_at_least_twelve_characters_however_small_the_limit() -> None:
    # Limit 15 leaves 6 after the label; the floor of 12 holds: 10 characters and …….
    assert progress_summary(one(RUN), limit=15) == "2026年3月：已完成城区十二条黑臭……"
    # A 10-character report fits the floor and is printed whole, though the line is over 15.
    assert progress_summary(one("已完成管网改造一段。"), limit=15) == "2026年3月：已完成管网改造一段。"


def test_ten_reports_in_a_hundred_characters_keep_every_date() -> None:
    # Labels: nine of 7 + 2 and 2026年10月 of 8 + 2 = 91. The floor of 12 shared by ten: 1 each.
    record = task(*((date(2026, m, 20), f"完成第{m}轮排查。") for m in range(1, 11)))
    assert progress_summary(record, limit=100) == "\n".join(f"2026年{m}月：完……" for m in range(1, 11))


def test_what_a_short_report_leaves_goes_to_the_longer_ones_in_equal_parts() -> None:
    # Limit 117: 3 × 9 for the labels, 90 for the texts, 30 each. 完成招标。 uses 5: 25 spare, 12 to
    # each of the two long ones, which get 42: 40 characters and …….
    record = task(
        (date(2026, 3, 10), "完成招标。"),
        (date(2026, 4, 10), RUN + "并同步推进"),
        (date(2026, 5, 10), TAIL + "已完成三轮复查"),
    )
    assert progress_summary(record, limit=117) == (
        "2026年3月：完成招标。\n"
        "2026年4月：已完成城区十二条黑臭水体排查并制定一河一策整治方案正在组织施工单位进场施工预计年……\n"
        "2026年5月：县住建局牵头组织城关镇对沿河排口逐一封堵并建立巡查台账每月复查一次确保不反弹已完……"
    )


def test_a_report_exactly_its_share_takes_nothing_from_the_spare() -> None:
    # As above, but the April report is exactly 30: it is whole, and the May one alone gets the 25
    # spare: 55, so 53 characters and …….
    april = "县住建局组织排查城区黑臭水体，已完成全部十二条水体清淤工作。"
    assert len(april) == 30
    record = task(
        (date(2026, 3, 10), "完成招标。"),
        (date(2026, 4, 10), april),
        (date(2026, 5, 10), TAIL + RUN),
    )
    assert progress_summary(record, limit=117) == (
        "2026年3月：完成招标。\n"
        f"2026年4月：{april}\n"
        "2026年5月：县住建局牵头组织城关镇对沿河排口逐一封堵并建立巡查台账每月复查一次确保不反弹"
        "已完成城区十二条黑臭水体排查并……"
    )


# -- words the forms take from inputs ---------------------------------------------------------------
@pytest.fixture(scope="module")
def fonts() -> FontSet:
    return load_fonts()


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        (ProblemKind.SPECIFIC, "反馈问题"),
        (ProblemKind.COMMON, "反馈问题"),
        (ProblemKind.PETITION, "信访问题"),
        (ProblemKind.SELF_CHECK, "自查问题"),
    ],
)
def test_the_sign_off_form_names_the_kind_of_problem(kind: ProblemKind, label: str, fonts: FontSet) -> None:
    _, _, table = signoff_flowables(SignoffInput(task(kind=kind)), FormContext(), fonts)
    assert isinstance(table, RuledTable)
    first = table.rows[0].cells
    assert [first[0].content.text, first[1].content.text] == [label, "城区黑臭水体整治不到位"]


def test_a_notice_without_the_ledger_settings_names_the_placeholder_office(fonts: FontSet) -> None:
    description = "群众反映城区污水直排问题已查实" * 8  # 120 characters: the table shows 100
    notice = UnitNoticeInput(
        kind=NoticeKind.SUPERVISION_ORDER,
        number="督办〔2026〕3号",
        unit="县住建局",
        issued_on=date(2026, 10, 8),
        reply_by=date(2026, 10, 15),
        tasks=[TaskRecord(seq="5", kind=ProblemKind.SPECIFIC, description=description)],
    )
    flowables = notice_flowables(notice, FormContext(), letter_styles(fonts))
    assert flowables[0].block.text == "XX区生态环境保护督察整改工作督办单"
    table = flowables[4]
    assert isinstance(table, RuledTable)
    assert (
        table.rows[1].cells[1].content.text == "群众反映城区污水直排问题已查实" * 6 + "群众反映城区污水直排……"
    )
    closing = flowables[5].block.text
    assert closing.endswith("书面报送XX区生态环境保护督察整改工作领导小组办公室。")
