"""The wording of the PDF forms (io/pdf/inputs.py) on hand-made tasks, every text written out here."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from ledger_app.domain.deadlines import parse_deadline
from ledger_app.domain.errors import ValidationError
from ledger_app.domain.model import NoticeKind, ProblemKind
from ledger_app.domain.records import (
    AcceptanceRecord,
    AttachmentRecord,
    MeasureRecord,
    ProgressRecord,
    PublicNoticeRecord,
    TaskRecord,
)
from ledger_app.io.pdf.inputs import (
    FormContext,
    ProgressChoice,
    UnitNoticeInput,
    acceptance_text,
    attachments_text,
    default_implementation_text,
    latest_progress_text,
    measure_text,
    measures_text,
    notice_period,
    progress_summary,
    public_notice_text,
    task_heading,
    units_text,
)

BLANK_DAY = "\u3000\u3000年\u3000\u3000月\u3000\u3000日"  # a date to fill in by hand


def task(**fields: object) -> TaskRecord:
    fields.setdefault("seq", "12")
    fields.setdefault("kind", ProblemKind.SPECIFIC)
    fields.setdefault("description", "城区污水管网未全覆盖")
    return TaskRecord(**fields)  # type: ignore[arg-type]


def test_units_text_by_role() -> None:
    full = task(
        lead_units=["县住建局"], responsible_units=["县住建局", "城关镇"], cooperating_units=["县水利局"]
    )
    assert units_text(full) == "牵头单位：县住建局\n责任单位：城关镇\n配合单位：县水利局"
    assert units_text(task(lead_units=["县住建局"], responsible_units=["城关镇"])) == (
        "牵头单位：县住建局\n责任单位：城关镇"
    )
    assert units_text(task(lead_units=["县住建局"], cooperating_units=["县水利局"])) == (
        "牵头单位：县住建局\n配合单位：县水利局"
    )
    assert (
        units_text(task(responsible_units=["城关镇"], cooperating_units=["县水利局"]))
        == "城关镇\n配合单位：县水利局"
    )
    assert units_text(task(lead_units=[" 县住建局 ", " "])) == "县住建局"
    assert units_text(task(cooperating_units=["县水利局"])) == "县水利局"
    assert units_text(task()) == ""


def test_measure_text_adds_only_what_differs_from_the_task() -> None:
    owner = task(lead_units=["县住建局"], cooperating_units=["城关镇"], deadline=parse_deadline("2026年底前"))
    own = MeasureRecord(
        2,
        "完成管网改造",
        lead_units=["县水利局"],
        cooperating_units=["东城街道"],
        deadline=parse_deadline("2026年6月底前"),
    )
    assert measure_text(own, 5, owner) == (
        "2.完成管网改造（牵头单位：县水利局；配合单位：东城街道；完成时限：2026年6月底前）"
    )
    same = MeasureRecord(
        3,
        "完成清淤",
        lead_units=["县住建局"],
        cooperating_units=["城关镇"],
        deadline=parse_deadline("2026年底前"),
    )
    assert measure_text(same, 3, owner) == "3.完成清淤"
    named = MeasureRecord(
        0,
        "（一）县水利局完成清淤，2026年6月底前完成",
        lead_units=["县水利局"],
        deadline=parse_deadline("2026年6月底前"),
    )
    assert measure_text(named, 4, owner) == "（一）县水利局完成清淤，2026年6月底前完成"
    assert measure_text(MeasureRecord(0, "完成清淤"), 4) == "4.完成清淤"
    two = task(
        measures=[MeasureRecord(1, "甲"), MeasureRecord(2, "乙", deadline=parse_deadline("2027年底前"))]
    )
    assert measures_text(two) == "1.甲\n2.乙（完成时限：2027年底前）"


def test_progress_summary_dates_each_report() -> None:
    record = task(
        progress=[
            ProgressRecord(date(2026, 4, 20), "完成管网改造60%。"),
            ProgressRecord(date(2026, 3, 5), "完成招标。"),
            ProgressRecord(date(2026, 3, 25), "开工建设，\n 完成20%。"),
            ProgressRecord(date(2026, 5, 1), "  "),
        ]
    )
    assert progress_summary(record) == (
        "2026年3月5日：完成招标。\n2026年3月25日：开工建设，完成20%。\n2026年4月：完成管网改造60%。"
    )
    assert latest_progress_text(record) == "完成管网改造60%。"
    assert default_implementation_text(record, ProgressChoice.LATEST) == "完成管网改造60%。"
    assert default_implementation_text(record, "all") == progress_summary(record)
    assert progress_summary(task()) == "" and latest_progress_text(task()) == ""
    assert (
        ProgressChoice.ALL.label == "全部进展汇总(按日期)" and ProgressChoice.LATEST.label == "仅最新一次进展"
    )


def test_a_long_progress_history_is_cut_to_whole_sentences_and_keeps_every_date() -> None:
    long = "第一句很长的进展说明。" * 10  # 110 characters, ten sentences
    record = task(progress=[ProgressRecord(date(2026, m, 10), long) for m in (3, 4, 5)])
    summary = progress_summary(record, limit=100)
    # 3 × len("2026年3月") + 2 = 27 characters of dates; 73 left, 24 each: two sentences of 11.
    assert summary == "\n".join(
        f"2026年{m}月：第一句很长的进展说明。第一句很长的进展说明。" for m in (3, 4, 5)
    )
    one_sentence = "没有句号的一长段话，一直写下去，写到很长很长，超过了限度，还在继续写，直到结束"
    cut = progress_summary(task(progress=[ProgressRecord(date(2026, 3, 10), one_sentence)]), limit=30)
    assert cut == "2026年3月：没有句号的一长段话，一直写下去……"


def test_attachments_acceptance_and_notice_texts() -> None:
    assert attachments_text(task()) == "无"
    files = [AttachmentRecord("现场照片.jpg", 1, "a", " 整改后 "), AttachmentRecord("验收意见.pdf", 2, "b")]
    assert attachments_text(task(attachments=files)) == "1.现场照片.jpg（整改后）\n2.验收意见.pdf"
    assert acceptance_text(task()) == f"验收日期：{BLANK_DAY}\u3000验收单位：\n评估结论："
    accepted = AcceptanceRecord(date(2026, 3, 5), " 县生态环境局 ", " 符合销号条件 ", " 同意销号 ")
    assert acceptance_text(task(acceptance=accepted)) == (
        "验收日期：2026年3月5日\u3000验收单位：县生态环境局\n评估结论：符合销号条件\n验收意见：同意销号"
    )
    plain = AcceptanceRecord(date(2026, 3, 5), "县生态环境局", "符合销号条件")
    assert acceptance_text(task(acceptance=plain)).count("\n") == 1
    assert notice_period(task()) == f"{BLANK_DAY}至{BLANK_DAY}"
    assert notice_period(task(public_notice=PublicNoticeRecord(None, None))) == f"{BLANK_DAY}至{BLANK_DAY}"
    notice = PublicNoticeRecord(date(2026, 4, 6), date(2026, 4, 12), outcome=" 公示期间未收到异议 ")
    assert notice_period(task(public_notice=notice)) == "2026年4月6日至2026年4月12日"
    assert public_notice_text(task(public_notice=notice)) == (
        "公示期：2026年4月6日至2026年4月12日\u3000公示结果：公示期间未收到异议"
    )
    half = PublicNoticeRecord(date(2026, 4, 6), None)
    assert notice_period(task(public_notice=half)) == f"2026年4月6日至{BLANK_DAY}"
    assert public_notice_text(task()) == f"公示期：{BLANK_DAY}至{BLANK_DAY}\u3000公示结果："
    assert task_heading(task(round_name="第二轮中央生态环境保护督察")) == "第二轮中央生态环境保护督察 序号12"
    assert task_heading(task()) == "序号12"


def test_the_leaders_named_after_the_area() -> None:
    def settings(organisation: str) -> SimpleNamespace:
        return SimpleNamespace(
            organisation=organisation,
            rectification_office=" 整改办 ",
            notice_contact=" 李明 ",
            notice_phone=" 0731 ",
        )

    county = FormContext.from_settings(settings(" 某某县 "))
    assert (county.organisation, county.rectification_office, county.notice_contact, county.notice_phone) == (
        "某某县",
        "整改办",
        "李明",
        "0731",
    )
    assert (county.party_leader, county.government_leader) == ("县委主要负责同志", "县政府主要负责同志")
    district = FormContext.from_settings(settings("某某开发区管委会"))
    assert district.party_leader == "县（区）党委主要负责同志"
    assert district.government_leader == "县（区）政府主要负责同志"
    assert FormContext.from_settings(settings("某某市"), area_word="区").party_leader == "区委主要负责同志"


def notice(**changes: object) -> UnitNoticeInput:
    fields: dict[str, object] = {
        "kind": NoticeKind.SUPERVISION_ORDER,
        "number": "督办〔2026〕1号",
        "unit": "县住建局",
        "issued_on": date(2026, 11, 23),
        "reply_by": date(2026, 11, 30),
        "tasks": [task()],
    }
    fields.update(changes)
    return UnitNoticeInput(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"unit": " "}, "督办单缺少收文单位。"),
        ({"number": ""}, "督办单缺少文号。"),
        ({"tasks": []}, "县住建局没有需要督办单的整改任务。"),
        (
            {"reply_by": date(2026, 11, 22)},
            "督办单的回复期限（2026年11月22日）早于发文日期（2026年11月23日）。",
        ),
    ],
)
def test_a_notice_missing_something_is_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        notice(**changes).validate()
    assert refused.value.message_zh == message


def test_a_complete_notice_is_accepted_even_due_the_same_day() -> None:
    notice().validate()
    notice(reply_by=date(2026, 11, 23)).validate()


def test_more_shapes_of_units_measures_and_notices() -> None:
    assert units_text(task(lead_units=["县住建局", "县水利局"])) == "县住建局、县水利局"
    unnumbered = task(measures=[MeasureRecord(0, "甲"), MeasureRecord(0, "乙")])
    assert measures_text(unnumbered) == "1.甲\n2.乙"
    only_end = PublicNoticeRecord(None, date(2026, 4, 12))
    assert notice_period(task(public_notice=only_end)) == f"{BLANK_DAY}至2026年4月12日"
    city = SimpleNamespace(organisation="某某市", rectification_office="", notice_contact="", notice_phone="")
    assert FormContext.from_settings(city).party_leader == "市委主要负责同志"
