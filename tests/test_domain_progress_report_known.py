"""The progress report's text (整改落实情况报告) on hand-made tasks: every heading, figure sentence and
task line written out in full below, worked out by hand (issue 24: the report goes to leaders)."""

from __future__ import annotations

from datetime import date

from ledger_app.domain.deadlines import Deadline
from ledger_app.domain.model import ProblemKind, ScheduleFlag, TaskStatus
from ledger_app.domain.overview import OverviewItem, build_overview
from ledger_app.domain.progress_report import (
    PLACEHOLDER,
    Block,
    build_progress_report,
    cn_date,
    official_punctuation,
)
from ledger_app.domain.records import ProgressRecord, TaskRecord

S, F, K = TaskStatus, ScheduleFlag, ProblemKind
ROUND = "第一轮省生态环境保护督察"
TODAY = date(2026, 7, 1)
FULL = str.maketrans({",": "\uff0c", ";": "\uff1b", ":": "\uff1a", "(": "\uff08", ")": "\uff09"})


def fw(text: str) -> str:
    """The expected text with every , ; : ( ) full-width (none of the texts below keeps an ASCII one)."""
    return text.translate(FULL)


def item(
    task_id: int, kind: ProblemKind, status: TaskStatus, flag: ScheduleFlag | None, batch: str = ""
) -> OverviewItem:
    return OverviewItem(ROUND, kind, status, flag, ("区水利局",), task_id, date(2026, 12, 31), batch)


# 7 tasks: feedback 1 (closed), 2 (lagging), 3 (long-term); petitions 4 (completed, 第2批), 5 (closed,
# 第10批), 6 (open, no batch); self-check 7 (due soon).
ITEMS = [
    item(1, K.SPECIFIC, S.CLOSED, None),
    item(2, K.SPECIFIC, S.IN_PROGRESS, F.LAGGING),
    item(3, K.COMMON, S.IN_PROGRESS, F.LONG_TERM),
    item(4, K.PETITION, S.COMPLETED, None, "第2批"),
    item(5, K.PETITION, S.CLOSED, None, "第10批"),
    item(6, K.PETITION, S.IN_PROGRESS, F.ON_SCHEDULE, ""),
    item(7, K.SELF_CHECK, S.IN_PROGRESS, F.DUE_SOON),
]
LONG_DESCRIPTION = "甲" * 85 + "\n第二段"
RECORDS = [
    TaskRecord(
        "1", K.SPECIFIC, "已销号的任务", ROUND, lead_units=["区水利局"], status=S.CLOSED
    ),  # closed: never listed, even when handed in
    TaskRecord(
        "2",
        K.SPECIFIC,
        "  污水管网建设滞后\n第二段说明",
        ROUND,
        lead_units=["区水利局", "区住建局"],
        responsible_units=["区财政局"],
        deadline=Deadline("2026年6月底前 ", date(2026, 6, 30)),
        status=S.IN_PROGRESS,
        schedule=F.LAGGING,
        progress=[
            ProgressRecord(date(2026, 5, 20), "旧的进展"),
            ProgressRecord(date(2026, 6, 20), " 管网已完成80% "),
        ],
    ),
    TaskRecord(
        "3",
        K.COMMON,
        "秸秆禁烧长效管理",
        ROUND,
        responsible_units=["区农业农村局"],
        deadline=Deadline("立行立改、长期坚持", None, True),
        status=S.IN_PROGRESS,
        schedule=F.LONG_TERM,
    ),
    TaskRecord(
        "4",
        K.PETITION,
        LONG_DESCRIPTION,
        ROUND,
        responsible_units=["区城管局"],
        status=S.COMPLETED,
        schedule=F.ON_SCHEDULE,  # a done task shows its status, whatever flag it carries
    ),
    TaskRecord("6", K.PETITION, "", ROUND, status=S.IN_PROGRESS, schedule=None),
    TaskRecord(
        "7",
        K.SELF_CHECK,
        "自查发现的问题",
        ROUND,
        lead_units=["区教育局"],
        deadline=Deadline("2026年7月15日", date(2026, 7, 15)),
        status=S.IN_PROGRESS,
        schedule=F.DUE_SOON,
    ),
]

SUMMARY = (
    "反馈问题涉及我县的有3项,其中已完成整改并销号1项,其余2项正在推进整改中(其中1项滞后);"
    "交办信访件3件,已完成整改2件,已验收销号1件,正在整改1件,整改率66.7%、销号率33.3%;"
    "自查问题1项,正在整改1项,整改率0%、销号率0%。"
)


def test_the_whole_report_of_all_rounds() -> None:
    ov = build_overview(ITEMS, today=TODAY, feedback_dates={ROUND: date(2026, 1, 1)}, place="我县")
    assert ov.summary == SUMMARY
    report = build_progress_report(
        ov,
        RECORDS,
        organisation="某某县",
        issuer="某某县整改办",
        practices="  第一条做法\n\n  第二条做法  \n",
        next_steps="",
    )
    assert report.title == fw("关于某某县生态环境保护督察反馈问题整改落实情况的报告")
    assert (report.as_of, report.issuer) == (TODAY, "某某县整改办")
    expected = [
        ("一、主要做法", 1),
        ("第一条做法", 0),
        ("第二条做法", 0),
        ("二、落实情况", 1),
        (fw("(一)总体情况"), 2),
        (fw("截至2026年7月1日," + SUMMARY), 0),
        (fw("整改任务共7项,已完成整改3项,已销号2项,未完成4项,其中滞后1项,整改率42.9%、销号率28.6%。"), 0),
        (fw("(二)反馈问题"), 2),
        (fw("反馈问题共3项,已完成整改1项,已销号1项,未完成2项,其中滞后1项,整改率33.3%、销号率33.3%。"), 0),
        (fw("(三)交办信访件"), 2),
        (
            fw(
                "交办信访件共3件,已完成整改2件,已销号1件,未完成1件,整改率66.7%、销号率33.3%,分3批交办:"
                "第2批1件,已完成1件、已销号0件;第10批1件,已完成1件、已销号1件;未填批次1件,已完成0件、已销号0件。"
            ),
            0,
        ),
        (fw("(四)自查问题"), 2),
        (fw("自查问题共1项,已完成整改0项,已销号0项,未完成1项,整改率0%、销号率0%。"), 0),
        (fw("(五)尚未销号的整改任务"), 2),
        (fw("尚未销号的整改任务4项(不含长期坚持的任务),具体如下:"), 0),
        (
            fw(
                f"1.{ROUND}第2项:污水管网建设滞后(责任单位:区水利局、区住建局;整改时限:2026年6月底前;滞后)。"
                "最新进展(2026年6月20日):管网已完成80%"
            ),
            0,
        ),
        (
            fw(f"2.{ROUND}第4项:{'甲' * 79}…(责任单位:区城管局;整改时限:未填写;已完成)。尚无进展记录。"),
            0,
        ),
        (fw(f"3.{ROUND}第6项:(责任单位:未填写;整改时限:未填写;整改中)。尚无进展记录。"), 0),
        (
            fw(
                f"4.{ROUND}第7项:自查发现的问题(责任单位:区教育局;整改时限:2026年7月15日;临期)。尚无进展记录。"
            ),
            0,
        ),
        (fw("(六)长期坚持的整改任务"), 2),
        (fw("剩余1项立行立改、长期坚持的整改任务正序时推进中:"), 0),
        (
            fw(
                f"1.{ROUND}第3项:秸秆禁烧长效管理(责任单位:区农业农村局;整改时限:立行立改、长期坚持;长期坚持)。"
                "尚无进展记录。"
            ),
            0,
        ),
        ("三、下一步工作", 1),
        (PLACEHOLDER, 0),
    ]
    assert [(b.text, b.level) for b in report.blocks] == expected
    assert report.text() == "\n".join([report.title, *(text for text, _ in expected)])


def test_one_round_with_petitions_only_and_everything_closed_but_the_long_term() -> None:
    """No feedback problems: the petitions are (二); the task lines do not repeat the round's name; the
    clerk's own text is kept exactly as typed (ASCII punctuation included)."""
    items = [
        item(1, K.PETITION, S.CLOSED, None, "第1批"),
        item(2, K.PETITION, S.IN_PROGRESS, F.LONG_TERM, "第1批"),
    ]
    ov = build_overview(items, today=TODAY, feedback_dates={}, round_name=ROUND)
    long_term = TaskRecord(
        "2",
        K.PETITION,
        "油烟扰民\n长期管控",
        ROUND,
        lead_units=["区城管局"],
        deadline=Deadline("长期坚持", None, True),
        status=S.IN_PROGRESS,
        schedule=F.LONG_TERM,
        progress=[ProgressRecord(date(2026, 6, 3), "每月巡查")],
    )
    report = build_progress_report(
        ov,
        [long_term],
        organisation="某区",
        issuer="某区整改办",
        practices="做法(一),见附件;",
        next_steps="下一步:继续",
    )
    assert report.title == fw(f"关于某区{ROUND}反馈问题整改落实情况的报告")
    assert [(b.text, b.level) for b in report.blocks] == [
        ("一、主要做法", 1),
        ("做法(一),见附件;", 0),
        ("二、落实情况", 1),
        (fw("(一)总体情况"), 2),
        (
            fw(
                "截至2026年7月1日,交办信访件2件,已完成整改1件,已验收销号1件,正在整改1件,整改率50%、销号率50%。"
            ),
            0,
        ),
        (fw("整改任务共2项,已完成整改1项,已销号1项,未完成1项,整改率50%、销号率50%。"), 0),
        (fw("(二)交办信访件"), 2),
        (
            fw(
                "交办信访件共2件,已完成整改1件,已销号1件,未完成1件,整改率50%、销号率50%,分1批交办:第1批2件,已完成1件、已销号1件。"
            ),
            0,
        ),
        (fw("(三)尚未销号的整改任务"), 2),
        (fw("除长期坚持的任务外,整改任务均已销号。"), 0),
        (fw("(四)长期坚持的整改任务"), 2),
        (fw("剩余1项立行立改、长期坚持的整改任务正序时推进中:"), 0),
        (
            fw(
                "1.第2项:油烟扰民(责任单位:区城管局;整改时限:长期坚持;长期坚持)。最新进展(2026年6月3日):每月巡查"
            ),
            0,
        ),
        ("三、下一步工作", 1),
        ("下一步:继续", 0),
    ]


def test_self_check_only_and_nothing_open() -> None:
    items = [item(1, K.SELF_CHECK, S.ACCEPTED, None)]
    ov = build_overview(items, today=TODAY, feedback_dates={})
    report = build_progress_report(ov, [], organisation="某区", issuer="", practices="", next_steps="")
    texts = [b.text for b in report.blocks]
    assert texts[5:] == [
        fw("整改任务共1项,已完成整改1项,已销号0项,整改率100%、销号率0%。"),
        fw("(二)自查问题"),
        fw("自查问题共1项,已完成整改1项,已销号0项,整改率100%、销号率0%。"),
        fw("(三)尚未销号的整改任务"),
        fw("除长期坚持的任务外,整改任务均已销号。"),
        "三、下一步工作",
        PLACEHOLDER,
    ]


def test_official_punctuation_at_the_edges() -> None:
    # The first and the last character have only one neighbour.
    assert official_punctuation(",甲,") == "\uff0c甲\uff0c"
    assert official_punctuation("(a)") == "(a)"
    assert official_punctuation(":a") == ":a"
    # After a rate the comma and the semicolon are the sentence's; a colon or a bracket is not.
    assert official_punctuation("5%,5%;5%:5%)") == "5%\uff0c5%\uff1b5%:5%)"
    # The CJK ranges: 〇 (U+3007) and 鿿 (U+9FFF) at the ends of one, full-width forms in the other.
    assert official_punctuation("\u3000,") == "\u3000\uff0c"
    assert official_punctuation("\u9fff,") == "\u9fff\uff0c"
    assert official_punctuation("\uff01,") == "\uff01\uff0c"
    assert official_punctuation("\uff00,") == "\uff00\uff0c"
    assert official_punctuation("a,甲") == "a\uff0c甲"  # the next character decides too
    assert official_punctuation("\uffef,") == "\uffef\uff0c"
    assert official_punctuation("\u2fff,") == "\u2fff,"
    assert official_punctuation("\ua000,") == "\ua000,"
    assert official_punctuation("\ufeff,") == "\ufeff,"
    assert official_punctuation("\ufff0,") == "\ufff0,"
    assert cn_date(date(2026, 1, 5)) == "2026年1月5日"
    assert Block("x").level == 0


def test_a_task_name_is_cut_after_80_characters() -> None:
    ov = build_overview([item(1, K.SPECIFIC, S.IN_PROGRESS, F.ON_SCHEDULE)], today=TODAY, feedback_dates={})
    records = [
        TaskRecord("1", K.SPECIFIC, "乙" * 80, ROUND, status=S.IN_PROGRESS),
        TaskRecord("2", K.SPECIFIC, "丙" * 81, ROUND, status=S.IN_PROGRESS),
    ]
    report = build_progress_report(ov, records, organisation="某区", issuer="", practices="", next_steps="")
    lines = [b.text for b in report.blocks if b.text.startswith(("1.", "2."))]
    assert lines == [
        fw(f"1.{ROUND}第1项:{'乙' * 80}(责任单位:未填写;整改时限:未填写;整改中)。尚无进展记录。"),
        fw(f"2.{ROUND}第2项:{'丙' * 79}…(责任单位:未填写;整改时限:未填写;整改中)。尚无进展记录。"),
    ]
