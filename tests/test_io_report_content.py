"""What the monthly report says (io/report_content.py), checked on hand-made ledgers with known answers.

Every expected figure and text is written here by hand: the report is what an office hands in, so a
test that took its expectation from the code under test would let a wrong figure through.
"""

from __future__ import annotations

from datetime import date

import pytest

from ledger_app.domain.deadlines import Deadline, parse_deadline
from ledger_app.domain.model import ProblemKind, ScheduleFlag, TaskStatus
from ledger_app.domain.records import (
    AcceptanceRecord,
    CloseOutRecord,
    MeasureRecord,
    ProgressRecord,
    PublicNoticeRecord,
    TaskRecord,
)
from ledger_app.io.report_content import (
    MonthlyReport,
    build_monthly_report,
    measures_text,
    month_end,
    progress_text,
    stat_item,
    status_at,
    units_text,
)

K = ProblemKind
S = TaskStatus
ROUND = "第二轮中央生态环境保护督察"
SEPT_END = date(2026, 9, 30)


def task(seq: str = "1", **fields: object) -> TaskRecord:
    fields.setdefault("round_name", ROUND)
    fields.setdefault("kind", K.SPECIFIC)
    fields.setdefault("description", f"问题{seq}")
    return TaskRecord(seq=seq, **fields)  # type: ignore[arg-type]


def closed_task(*, accepted: date, notice_start: date | None, closed: date) -> TaskRecord:
    notice = PublicNoticeRecord(notice_start, None) if notice_start else None
    return task(
        status=S.CLOSED,
        deadline=parse_deadline("2026年6月底前"),
        acceptance=AcceptanceRecord(accepted),
        public_notice=notice,
        close_out=CloseOutRecord(closed),
    )


def september(
    tasks: list[TaskRecord], *, warning_days: int = 15, title: str = "某区整改落实情况台账"
) -> MonthlyReport:
    return build_monthly_report(
        tasks,
        year=2026,
        month=9,
        title=title,
        reporting_unit="某区整改办",
        report_date=date(2026, 10, 8),
        warning_days=warning_days,
        place="我区",
    )


def completions(report: MonthlyReport) -> list[str]:
    return [row.completion for section in report.sections for row in section.rows]


# -- the status a task had at the month's end -----------------------------------------------------------
@pytest.mark.parametrize(
    ("accepted", "notice_start", "closed", "expected_status", "expected_text"),
    [
        # Closed in October, its public notice started in September: 公示中 at the end of September.
        (date(2026, 9, 10), date(2026, 9, 20), date(2026, 10, 5), S.PUBLIC_NOTICE, "已完成(公示中)"),
        # The notice started on the month's last day: still 公示中, not 已验收.
        (date(2026, 9, 10), date(2026, 9, 30), date(2026, 10, 5), S.PUBLIC_NOTICE, "已完成(公示中)"),
        # The notice started in October: only accepted at the end of September.
        (date(2026, 9, 10), date(2026, 10, 1), date(2026, 10, 9), S.ACCEPTED, "已完成(已验收)"),
        # Accepted on the month's last day, notice and close-out later.
        (date(2026, 9, 30), date(2026, 10, 1), date(2026, 10, 9), S.ACCEPTED, "已完成(已验收)"),
        # Closed on the month's last day: 已销号.
        (date(2026, 9, 10), date(2026, 9, 20), date(2026, 9, 30), S.CLOSED, "已销号"),
        # Everything after the month: still in progress, and past its June deadline, so 滞后.
        (date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 9), S.IN_PROGRESS, "滞后"),
        # Closed in October without any public notice: accepted at the month's end.
        (date(2026, 9, 10), None, date(2026, 10, 5), S.ACCEPTED, "已完成(已验收)"),
    ],
)
def test_a_task_closed_after_the_month_reports_the_step_it_had_reached(
    accepted: date, notice_start: date | None, closed: date, expected_status: TaskStatus, expected_text: str
) -> None:
    record = closed_task(accepted=accepted, notice_start=notice_start, closed=closed)
    assert status_at(record, SEPT_END) is expected_status
    assert completions(september([record])) == [expected_text]


def test_steps_without_a_date_are_trusted_as_they_are_now() -> None:
    record = task(status=S.CLOSED, acceptance=AcceptanceRecord(None), close_out=CloseOutRecord(None))
    assert status_at(record, SEPT_END) is S.CLOSED
    record = task(status=S.PUBLIC_NOTICE, public_notice=PublicNoticeRecord(None, None))
    assert status_at(record, SEPT_END) is S.PUBLIC_NOTICE
    assert status_at(task(status=S.COMPLETED), SEPT_END) is S.COMPLETED


def test_the_month_end_figures_count_each_step_once() -> None:
    tasks = [
        closed_task(accepted=date(2026, 8, 1), notice_start=date(2026, 8, 5), closed=date(2026, 8, 20)),
        closed_task(accepted=date(2026, 9, 1), notice_start=date(2026, 9, 5), closed=date(2026, 10, 3)),
        closed_task(accepted=date(2026, 10, 1), notice_start=date(2026, 10, 5), closed=date(2026, 10, 20)),
    ]
    for seq, record in zip("123", tasks, strict=True):
        record.seq = seq
    report = september(tasks)
    stats = report.summary.stats
    assert stats.by_status == {S.CLOSED: 1, S.PUBLIC_NOTICE: 1, S.IN_PROGRESS: 1}
    assert (stats.total.total, stats.total.completed, stats.total.closed, stats.total.lagging) == (3, 2, 1, 1)
    assert completions(report) == ["已销号", "已完成(公示中)", "滞后"]
    assert report.summary.as_of == SEPT_END


# -- 临期: the warning window ends exactly ``warning_days`` after the month's end -----------------------
@pytest.mark.parametrize(
    ("deadline", "flag", "text"),
    [
        (date(2026, 10, 16), ScheduleFlag.ON_SCHEDULE, "序时推进"),  # 16 days after 30 September
        (date(2026, 10, 15), ScheduleFlag.DUE_SOON, "临期"),  # 15 days: inside the window
        (date(2026, 9, 30), ScheduleFlag.DUE_SOON, "临期"),  # due on the month's last day
        (date(2026, 9, 29), ScheduleFlag.LAGGING, "滞后"),
    ],
)
def test_due_soon_window_is_warning_days_after_the_month_end(
    deadline: date, flag: ScheduleFlag, text: str
) -> None:
    record = task(status=S.IN_PROGRESS, deadline=Deadline(deadline.isoformat(), deadline))
    item = stat_item(record, as_of=SEPT_END, warning_days=15)
    assert item.schedule is flag
    report = september([record], warning_days=15)
    (row,) = report.sections[0].rows
    assert row.completion == text
    assert row.lagging is (flag is ScheduleFlag.LAGGING)


def test_warning_days_come_from_the_caller() -> None:
    record = task(status=S.NOT_STARTED, deadline=Deadline("2026-10-10", date(2026, 10, 10)))
    assert completions(september([record], warning_days=10)) == ["临期(未启动)"]
    assert completions(september([record], warning_days=9)) == ["序时推进(未启动)"]


# -- 本月进展: the month runs from its 1st to its last day -----------------------------------------------
def test_progress_of_the_month_includes_its_first_and_last_day() -> None:
    progress = [
        ProgressRecord(date(2026, 8, 31), "八月底"),
        ProgressRecord(date(2026, 9, 30), "九月底"),
        ProgressRecord(date(2026, 9, 1), "九月一日"),
        ProgressRecord(date(2026, 10, 1), "十月一日"),
    ]
    assert progress_text(progress, date(2026, 9, 1), SEPT_END) == "9月1日:九月一日\n9月30日:九月底"
    record = task(status=S.IN_PROGRESS, progress=progress)
    (row,) = september([record]).sections[0].rows
    assert row.progress_text == "9月1日:九月一日\n9月30日:九月底"


def test_without_progress_in_the_month_the_latest_earlier_one_is_shown_dated() -> None:
    progress = [
        ProgressRecord(date(2026, 7, 15), "七月"),
        ProgressRecord(date(2026, 8, 31), "八月底"),
        ProgressRecord(date(2026, 10, 1), "十月一日"),
    ]
    assert progress_text(progress, date(2026, 9, 1), SEPT_END) == "(截至2026年8月31日)八月底"
    (row,) = september([task(progress=progress)]).sections[0].rows
    assert row.progress_text == "(截至2026年8月31日)八月底"
    assert progress_text([ProgressRecord(date(2026, 10, 1), "十月")], date(2026, 9, 1), SEPT_END) == ""
    assert month_end(2028, 2) == date(2028, 2, 29) and month_end(2026, 2) == date(2026, 2, 28)


# -- 责任单位: each unit once, under its strongest role --------------------------------------------------
def test_a_unit_that_leads_is_not_listed_again_as_responsible_or_cooperating() -> None:
    record = task(
        lead_units=["县住建局"],
        responsible_units=["县住建局", "城关镇"],
        cooperating_units=["县水利局", "县住建局", "城关镇"],
        supervising_units=["县委督查室"],
    )
    assert units_text(record) == "牵头:县住建局\n责任:城关镇\n配合:县水利局\n督导:县委督查室"


def test_units_text_shapes() -> None:
    # Only responsible units: a bare list, as offices write the column.
    assert units_text(task(responsible_units=["城关镇", "东城街道"])) == "城关镇、东城街道"
    # A lead unit that is also the only responsible one: one line, not "责任:" with nothing after it.
    assert units_text(task(lead_units=["县住建局"], responsible_units=["县住建局"])) == "牵头:县住建局"
    assert units_text(task(cooperating_units=["县水利局"])) == "配合:县水利局"
    assert units_text(task(responsible_units=["城关镇"], supervising_units=["县委督查室"])) == (
        "责任:城关镇\n督导:县委督查室"
    )
    assert units_text(task()) == ""


# -- layout of the content: sections, order, headings ---------------------------------------------------
def test_sections_follow_rounds_then_kinds_and_rows_count_naturally() -> None:
    other = "省生态环境保护督察"
    tasks = [
        task("10", kind=K.SPECIFIC),
        task("2", kind=K.PETITION, batch="第3批", case_no="X2026-01"),
        task("1", kind=K.SELF_CHECK, round_name=other),
        task("2", kind=K.SPECIFIC),
        task("1", kind=K.COMMON),
    ]
    report = september(tasks)
    assert [s.heading for s in report.sections] == [
        f"{ROUND} 一、反馈问题",
        "(一)个性问题",
        "(二)共性问题",
        f"{ROUND} 二、交办信访件",
        f"{other} 一、自查问题",
    ]
    assert [[r.seq for r in s.rows] for s in report.sections] == [[], ["2", "10"], ["1"], ["2"], ["1"]]
    assert report.row_count == 5
    assert report.sections[3].rows[0].note == "批次:第3批\n编号:X2026-01"


def test_a_title_that_names_the_only_round_leaves_it_out_of_the_headings() -> None:
    tasks = [task("1"), task("1", kind=K.PETITION)]
    report = september(tasks, title=f"某区{ROUND}反馈问题整改落实情况台账")
    assert [s.heading for s in report.sections] == ["一、反馈问题", "二、交办信访件"]
    report = september(tasks, title="某区整改落实情况台账")
    assert [s.heading for s in report.sections] == [f"{ROUND} 一、反馈问题", f"{ROUND} 二、交办信访件"]
    no_round = september([task("1", round_name="")], title="某区整改落实情况台账")
    assert [s.heading for s in no_round.sections] == ["(未填督察批次) 一、反馈问题"]


def test_row_texts_of_one_task() -> None:
    record = task(
        "3",
        description="城区污水处理厂超负荷运行",
        leader="王建国",
        goal="出水稳定达标",
        note="重点",
        deadline=parse_deadline("2026年12月底前"),
        status=S.IN_PROGRESS,
        lead_units=["县住建局"],
        measures=[
            MeasureRecord(2, "2号池清淤"),
            MeasureRecord(1, "完成管网改造"),
        ],
    )
    (row,) = september([record]).sections[0].rows
    assert (row.seq, row.description, row.leader, row.goal, row.note) == (
        "3",
        "城区污水处理厂超负荷运行",
        "王建国",
        "出水稳定达标",
        "重点",
    )
    assert row.deadline_text == "2026年12月底前"
    assert row.units_text == "牵头:县住建局"
    assert row.completion == "序时推进"
    assert row.measures_text == "1.完成管网改造\n2. 2号池清淤"
    assert row.lagging is False


@pytest.mark.parametrize(
    ("deadline", "text"),
    [
        (Deadline("", long_term=True), "立行立改、长期坚持"),
        (Deadline("", date(2026, 6, 30)), "2026年6月30日"),
        (Deadline(""), ""),
        (Deadline("明年春天"), "明年春天"),
    ],
)
def test_deadline_cell_says_what_the_office_wrote_or_the_date(deadline: Deadline, text: str) -> None:
    (row,) = september([task(deadline=deadline)]).sections[0].rows
    assert row.deadline_text == text


def test_measure_annotation_is_added_only_when_the_text_does_not_say_it() -> None:
    said = MeasureRecord(1, "完成管网改造(县住建局牵头)", lead_units=["县住建局"])
    unsaid = MeasureRecord(
        2,
        "完成管网改造",
        lead_units=["县住建局"],
        cooperating_units=["城关镇"],
        deadline=parse_deadline("2026年底前"),
    )
    assert measures_text([said, unsaid]) == (
        "1.完成管网改造(县住建局牵头)\n2.完成管网改造(牵头:县住建局;配合:城关镇;时限:2026年底前)"
    )


def test_summary_sentence_of_a_known_ledger() -> None:
    tasks = [
        closed_task(accepted=date(2026, 8, 1), notice_start=date(2026, 8, 5), closed=date(2026, 8, 20)),
        task("2", status=S.IN_PROGRESS, deadline=parse_deadline("2026年12月底前")),
        task("3", status=S.IN_PROGRESS, deadline=parse_deadline("2026年6月底前"), lead_units=["县住建局"]),
        task("1", kind=K.PETITION, status=S.CLOSED, close_out=CloseOutRecord(date(2026, 9, 2))),
    ]
    report = september(tasks)
    assert report.summary.sentence == (
        "反馈问题涉及我区的有3项,其中已完成整改并销号1项,其余2项正在推进整改中(其中1项滞后);"
        "交办信访件1件,均已完成整改并验收销号,整改率、销号率均为100%。"
    )
    assert report.summary.stats.by_unit["县住建局"].lagging == 1


def test_measure_annotation_says_what_the_text_would_otherwise_suggest() -> None:
    # The text names a lead unit the measure does not have: an empty "时限:" keeps the importer from
    # taking the unit out of the text.
    assert (
        measures_text([MeasureRecord(1, "完成管网改造(县住建局牵头)")])
        == "1.完成管网改造(县住建局牵头)(时限:)"
    )
    # The text names a deadline the measure does not have: "时限:" says it has none of its own.
    assert measures_text([MeasureRecord(1, "2023年底前完成改造", lead_units=["县住建局"])]) == (
        "1. 2023年底前完成改造(牵头:县住建局;时限:)"
    )


def test_a_measure_starting_with_a_point_or_a_digit_is_kept_apart_from_its_number() -> None:
    assert measures_text([MeasureRecord(1, "．5公里管网"), MeasureRecord(2, "5公里管网")]) == (
        "1. ．5公里管网\n2. 5公里管网"
    )
    assert measures_text([MeasureRecord(3, ".5公里管网")]) == "3. .5公里管网"
