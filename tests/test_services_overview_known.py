"""ledger.overview on a small hand-built ledger (issue 24): which tasks and units each figure reads,
the days the month series takes from the records, the letters sent, and the progress report's
settings; every expected figure worked out by hand in the comments."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from ledger_app.domain.errors import LedgerError, ValidationError
from ledger_app.domain.model import NoticeKind, ProblemKind, ReviewResult, RoundLevel, TaskStatus
from ledger_app.domain.overview import SentNotice
from ledger_app.services import Ledger

S = TaskStatus
A, B = "第一轮中央生态环境保护督察", "第二轮省生态环境保护督察"
AS_OF = date(2026, 6, 30)


def close(ledger: Ledger, task_id: int, closed_on: date) -> None:
    ledger.lifecycle.transition(task_id, S.IN_PROGRESS, on=closed_on - timedelta(days=10))
    ledger.lifecycle.transition(task_id, S.COMPLETED, on=closed_on - timedelta(days=10))
    ledger.lifecycle.record_acceptance(
        task_id, accepted_on=closed_on - timedelta(days=10), unit="区生态环境局"
    )
    ledger.lifecycle.transition(task_id, S.ACCEPTED, on=closed_on - timedelta(days=10))
    ledger.lifecycle.record_public_notice(
        task_id, start=closed_on - timedelta(days=9), end=closed_on - timedelta(days=1)
    )
    ledger.lifecycle.transition(task_id, S.PUBLIC_NOTICE, on=closed_on - timedelta(days=9))
    ledger.lifecycle.close_out(task_id, closed_on=closed_on)


@pytest.fixture
def ids(ledger: Ledger) -> dict[str, int]:
    """Round A (feedback 2026-01-15): closed (甲局), lagging (乙局 responsible only, no lead),
    long-term petition (丙局, 第2批), petition without batch (丙局), relapsed (甲局); round B (no
    feedback date): one task of 甲局 due soon."""
    a = ledger.directory.create_round(name=A, level=RoundLevel.CENTRAL, feedback_date=date(2026, 1, 15))
    b = ledger.directory.create_round(name=B, level=RoundLevel.PROVINCIAL)

    def task(
        round_id: int, desc: str, deadline: str, kind: ProblemKind = ProblemKind.SPECIFIC, **extra: object
    ) -> int:
        return ledger.tasks.create_task(
            round_id=round_id, kind=kind, description=desc, deadline=deadline, **extra
        )

    found = {
        "closed": task(a, "已销号", "2026年3月底前", lead_units=["区甲局"]),
        "lagging": task(
            a, "滞后", "2026年5月底前", responsible_units=["区乙局"], cooperating_units=["区丁局"]
        ),
        "long": task(
            a, "长期", "立行立改、长期坚持", ProblemKind.PETITION, lead_units=["区丙局"], batch="第2批"
        ),
        "nobatch": task(a, "无批次", "2026年12月底前", ProblemKind.PETITION, lead_units=["区丙局"]),
        "relapsed": task(a, "反弹", "2026年2月底前", lead_units=["区甲局"]),
        "other": task(b, "别的批次", "2026年7月5日", lead_units=["区甲局"]),
    }
    close(ledger, found["closed"], date(2026, 3, 20))
    close(ledger, found["relapsed"], date(2026, 2, 20))
    ledger.lifecycle.add_review(
        found["relapsed"], review_date=date(2026, 4, 10), result=ReviewResult.RELAPSE, text="回头看发现反弹"
    )
    ledger.lifecycle.transition(found["lagging"], S.IN_PROGRESS, on=date(2026, 2, 1))
    return found


def test_one_round_its_units_and_its_months(ledger: Ledger, ids: dict[str, int]) -> None:
    ov = ledger.overview.build(round_name=A, today=AS_OF)
    assert (ov.as_of, ov.round_name) == (AS_OF, A)
    assert sorted(i.task_id for i in ov.items) == sorted(
        ids[k] for k in ("closed", "lagging", "long", "nobatch", "relapsed")
    )
    by_id = {i.task_id: i for i in ov.items}
    # The units that answer: the lead units, else the responsible ones (cooperating ones never).
    assert by_id[ids["lagging"]].units == ("区乙局",)
    assert by_id[ids["closed"]].units == ("区甲局",)
    # A long-term task has no dated deadline; a petition without a batch has "".
    assert by_id[ids["long"]].deadline is None and by_id[ids["long"]].batch == "第2批"
    assert by_id[ids["nobatch"]].batch == "" and by_id[ids["nobatch"]].deadline == date(2026, 12, 31)
    assert by_id[ids["closed"]].deadline == date(2026, 3, 31)
    assert [(b.label, b.tally.total) for b in ov.petition_batches] == [("第2批", 1), ("未填批次", 1)]
    # Months from the feedback date (January) to June. The closed task: completed 3-05, accepted 3-10,
    # closed 3-20. The relapsed one: closed 2-20, reopened by the review on 4-10 (deadline 2-28: lagging
    # from the end of April). The lagging one (deadline 5-31): lagging at the end of June only.
    assert [(p.month, p.completed, p.closed, p.lagging) for p in ov.months] == [
        (date(2026, 1, 1), 0, 0, 0),
        (date(2026, 2, 1), 1, 1, 0),
        (date(2026, 3, 1), 2, 2, 0),
        (date(2026, 4, 1), 1, 1, 1),
        (date(2026, 5, 1), 1, 1, 1),
        (date(2026, 6, 1), 1, 1, 2),
    ]
    assert ov.summary.startswith("反馈问题涉及我区的有3项")


def test_a_round_by_id_the_callers_rows_and_all_rounds(ledger: Ledger, ids: dict[str, int]) -> None:
    rounds = {r.name: r.id for r in ledger.directory.list_rounds()}
    ov = ledger.overview.build(round_id=rounds[B], today=AS_OF)
    assert ov.round_name == B and [i.task_id for i in ov.items] == [ids["other"]]
    assert ov.months == []  # no feedback date and no recorded change: no chart
    rows = ledger.queries.list_tasks(today=AS_OF)
    assert [i.task_id for i in ledger.overview.build(round_id=rounds[B], rows=rows, today=AS_OF).items] == [
        ids["other"]
    ]
    everything = ledger.overview.build(rows=rows, today=AS_OF)
    assert everything.round_name is None and len(everything.items) == 6
    # Months from the earliest feedback date of the rounds shown.
    assert everything.months[0].month == date(2026, 1, 1)
    assert ledger.overview.build(today=AS_OF).total.total == 6
    assert ledger.overview.build().as_of == date.today()


def test_the_place_in_the_summary_comes_from_the_settings(ledger: Ledger, ids: dict[str, int]) -> None:
    ledger.settings.update(place="我县")
    assert ledger.overview.build(round_name=A, today=AS_OF).summary.startswith("反馈问题涉及我县的有3项")


def test_a_task_whose_records_end_in_another_status(ledger: Ledger, tmp_path: Path) -> None:
    """Imported already completed (no recorded change): completed from its latest progress report's day,
    or from its round's feedback date, or (no round date) from its last recorded change."""
    r = ledger.directory.create_round(name=A, level=RoundLevel.CENTRAL, feedback_date=date(2026, 2, 10))
    first = ledger.tasks.create_task(
        round_id=r, kind=ProblemKind.SPECIFIC, description="有进展", lead_units=["区甲局"]
    )
    second = ledger.tasks.create_task(
        round_id=r, kind=ProblemKind.SPECIFIC, description="无进展", lead_units=["区甲局"]
    )
    ledger.tasks.add_progress(first, entry_date=date(2026, 4, 3), text="已完成")
    with sqlite3.connect(ledger.path) as conn:  # as an import writes them: the status without a dated step
        conn.execute("UPDATE problems SET status = 'completed' WHERE id IN (?, ?)", (first, second))
    ov = ledger.overview.build(round_name=A, today=AS_OF)
    # February: the second (from its round's feedback date 2-10); April: the first as well.
    assert [(p.month.month, p.completed) for p in ov.months] == [(2, 1), (3, 1), (4, 2), (5, 2), (6, 2)]


def test_letters_counted_this_month_and_in_all(ledger: Ledger, ids: dict[str, int], tmp_path: Path) -> None:
    forms = ledger.forms
    forms.issue_unit_notice(
        unit="区乙局",
        kind=NoticeKind.SUPERVISION_ORDER,
        out=tmp_path / "1.pdf",
        issued_on=date(2026, 5, 3),
        task_ids=[ids["lagging"]],
    )
    forms.issue_unit_notice(
        unit="区甲局",
        kind=NoticeKind.REMINDER,
        out=tmp_path / "2.pdf",
        issued_on=date(2026, 6, 2),
        task_ids=[ids["other"]],
    )
    forms.issue_unit_notice(
        unit="区乙局",
        kind=NoticeKind.SUPERVISION_ORDER,
        out=tmp_path / "3.pdf",
        issued_on=date(2026, 6, 5),
        task_ids=[ids["lagging"]],
    )
    ov = ledger.overview.build(round_name=A, today=AS_OF)
    assert ov.notices_month == {NoticeKind.SUPERVISION_ORDER: 1, NoticeKind.REMINDER: 0}
    assert ov.notices_total == {NoticeKind.SUPERVISION_ORDER: 2, NoticeKind.REMINDER: 0}
    sent = ledger.overview.sent_notices()
    assert [(n.kind, n.issued_on, n.task_ids) for n in sent] == [
        (NoticeKind.SUPERVISION_ORDER, date(2026, 5, 3), frozenset({ids["lagging"]})),
        (NoticeKind.REMINDER, date(2026, 6, 2), frozenset({ids["other"]})),
        (NoticeKind.SUPERVISION_ORDER, date(2026, 6, 5), frozenset({ids["lagging"]})),
    ]
    assert ledger.overview.sent_notices(ids["other"]) == [
        SentNotice(NoticeKind.REMINDER, date(2026, 6, 2), frozenset({ids["other"]}))
    ]
    assert ledger.overview.sent_notices(ids["closed"]) == []


def test_reminders_in_one_step_numbered_and_reported(
    ledger: Ledger, ids: dict[str, int], tmp_path: Path
) -> None:
    # On 6-30 in round A: 区乙局 lags (5-31) and 区甲局 lags (the relapsed task, 2-28): two 督办单, by name
    # within red (甲 before 乙); round B's task due 7-5 is not in round A.
    calls: list[tuple[int, int, str]] = []
    issued = ledger.overview.issue_reminders(
        tmp_path / "letters",
        issued_on=AS_OF,
        round_name=A,
        progress=lambda d, t, text: calls.append((d, t, text)),
    )
    assert [(n.unit, n.number, n.task_count, n.path.name) for n in issued] == [
        ("区乙局", "督办〔2026〕1号", 1, "01-督办单-区乙局.pdf"),
        ("区甲局", "督办〔2026〕2号", 1, "02-督办单-区甲局.pdf"),
    ]
    assert calls == [(0, 2, "督办单:区乙局"), (1, 2, "督办单:区甲局"), (2, 2, "已完成")]
    # Round B on 6-30: 区甲局's task is due 7-5 (临期): a 提醒函 listing it.
    (letter,) = ledger.overview.issue_reminders(tmp_path / "b", issued_on=AS_OF, round_name=B)
    assert (letter.unit, letter.number, letter.path.name) == (
        "区甲局",
        "提醒〔2026〕1号",
        "01-提醒函-区甲局.pdf",
    )
    assert ledger.overview.sent_notices(ids["other"])[0].kind is NoticeKind.REMINDER


def test_reminders_cancelled_refused_or_unwritable(
    ledger: Ledger, ids: dict[str, int], tmp_path: Path
) -> None:
    assert (
        ledger.overview.issue_reminders(tmp_path / "x", issued_on=AS_OF, round_name=A, cancelled=lambda: True)
        == []
    )
    assert ledger.overview.sent_notices() == []
    with pytest.raises(ValidationError) as caught:
        ledger.overview.issue_reminders(tmp_path / "y", issued_on=date(2026, 1, 20), round_name=A)
    assert caught.value.message_zh == "没有滞后或临期的任务,无需发督办单或提醒函。"
    (tmp_path / "file").write_text("x")
    with pytest.raises(LedgerError) as caught:
        ledger.overview.issue_reminders(tmp_path / "file" / "letters", issued_on=AS_OF, round_name=A)
    assert caught.value.message_zh.startswith(f"无法创建文件夹 {tmp_path / 'file' / 'letters'}:")


def test_the_progress_report_takes_the_settings_unless_given(
    ledger: Ledger, ids: dict[str, int], tmp_path: Path
) -> None:
    ledger.settings.update(
        organisation="某某区",
        rectification_office="",
        report_practices="存着的做法",
        report_next_steps="存着的下一步",
    )
    report = ledger.overview.progress_report(round_name=A, as_of=AS_OF)
    texts = [b.text for b in report.blocks]
    assert report.title == "关于某某区第一轮中央生态环境保护督察反馈问题整改落实情况的报告"
    assert report.issuer == "某某区"  # no office set: the organisation signs
    assert (texts[1], texts[-1]) == ("存着的做法", "存着的下一步")
    # Not closed: the lagging, long-term, unbatched and relapsed tasks (the closed one left out).
    listed = [t for t in texts if t[:2] in ("1.", "2.", "3.")]
    assert len(listed) == 4 and not any("已销号" in t for t in listed)
    ledger.settings.update(rectification_office="某某区整改办")
    report = ledger.overview.progress_report(round_name=A, as_of=AS_OF, practices="给的做法", next_steps="")
    assert report.issuer == "某某区整改办"
    assert [b.text for b in report.blocks][1] == "给的做法"
    assert report.blocks[-1].text == "(请填写)"
    assert ledger.overview.progress_report(round_name=A).as_of == date.today()
    # Exported: the texts given are kept for next time; those not given stay as they were.
    exported = ledger.overview.export_progress_report(
        tmp_path / "r.docx", round_name=A, as_of=AS_OF, practices="新的做法"
    )
    assert (exported.title, exported.blocks[1].text) == (report.title, "新的做法")
    settings = ledger.settings.current()
    assert (settings.report_practices, settings.report_next_steps) == ("新的做法", "存着的下一步")
    ledger.overview.export_progress_report(tmp_path / "r2.docx", round_name=A, as_of=AS_OF)
    assert ledger.settings.current().report_practices == "新的做法"
    assert (tmp_path / "r.docx").stat().st_size > 0 and (tmp_path / "r2.docx").exists()


def test_the_history_is_read_again_only_after_a_change(ledger: Ledger, ids: dict[str, int]) -> None:
    first = ledger.overview.build(round_name=A, today=AS_OF)
    assert first.months[-1].completed == 1
    again = ledger.overview.build(round_name=A, today=AS_OF)  # from the cache
    assert [p.completed for p in again.months] == [p.completed for p in first.months]
    assert [(b.label, b.tally.total) for b in again.petition_batches] == [("第2批", 1), ("未填批次", 1)]
    ledger.lifecycle.transition(ids["lagging"], S.COMPLETED, on=date(2026, 6, 10))
    ledger.lifecycle.record_acceptance(ids["lagging"], accepted_on=date(2026, 6, 10), unit="区生态环境局")
    ledger.lifecycle.transition(ids["lagging"], S.ACCEPTED, on=date(2026, 6, 10))
    after = ledger.overview.build(round_name=A, today=AS_OF)
    assert after.months[-1].completed == 2 and after.months[-1].lagging == 1


def test_status_changes_of_the_audit_log_on_the_day_they_were_made(ledger: Ledger) -> None:
    """Steps without a dated record (整改中, 已完成) count from the day the clerk recorded them (the audit
    log's time: today here); an undone step does not count, nor other entities' changes."""
    today = date.today()
    r = ledger.directory.create_round(
        name=A, level=RoundLevel.CENTRAL, feedback_date=today - timedelta(days=70)
    )

    def task(name: str) -> int:
        return ledger.tasks.create_task(
            round_id=r, kind=ProblemKind.SPECIFIC, description=name, lead_units=["区甲局"]
        )

    done, undone = task("已完成"), task("撤销了完成")
    for task_id in (done, undone):
        ledger.lifecycle.transition(task_id, S.IN_PROGRESS)
        ledger.lifecycle.transition(task_id, S.COMPLETED)
    ledger.history.undo_last()  # the second task's 已完成 taken back
    ledger.directory.create_unit("区乙局")
    months = ledger.overview.build(round_name=A, today=today).months
    assert [p.completed for p in months][-1] == 1
    assert sum(p.completed for p in months[:-1]) == 0


def test_the_day_a_status_without_its_record_is_counted_from(ledger: Ledger) -> None:
    """A status the records do not end in (written as an import writes it): from the latest recorded
    step's day when that is later than the round's feedback date; from the last recorded step when the
    round has no feedback date either."""
    today = date.today()
    a = ledger.directory.create_round(
        name=A, level=RoundLevel.CENTRAL, feedback_date=today - timedelta(days=40)
    )
    b = ledger.directory.create_round(name=B, level=RoundLevel.PROVINCIAL)
    first = ledger.tasks.create_task(
        round_id=a, kind=ProblemKind.SPECIFIC, description="甲", lead_units=["区甲局"]
    )
    second = ledger.tasks.create_task(
        round_id=b, kind=ProblemKind.SPECIFIC, description="乙", lead_units=["区甲局"]
    )
    # Completed today, accepted (a dated record) 45 days ago: the records end in 已完成 today.
    ledger.lifecycle.transition(first, S.IN_PROGRESS)
    ledger.lifecycle.transition(first, S.COMPLETED)
    ledger.lifecycle.record_acceptance(first, accepted_on=today - timedelta(days=45), unit="区生态环境局")
    ledger.lifecycle.transition(second, S.IN_PROGRESS)
    with sqlite3.connect(ledger.path) as conn:
        conn.execute("UPDATE problems SET status = 'closed' WHERE id = ?", (first,))
        conn.execute("UPDATE problems SET status = 'completed' WHERE id = ?", (second,))
    # Closed from today (after its last step), not from the feedback date 40 days ago.
    last = ledger.overview.build(round_name=A, today=today).months[-1]
    assert (last.completed, last.closed) == (1, 1)
    months = ledger.overview.build(round_name=B, today=today).months
    assert [(p.month, p.completed) for p in months] == [(today.replace(day=1), 1)]


def test_steps_recorded_on_one_day_count_in_their_order(ledger: Ledger) -> None:
    """Closed today through every step, each one audited today: the day ends 已销号 (the later step
    last), not 公示中."""
    today = date.today()
    r = ledger.directory.create_round(
        name=A, level=RoundLevel.CENTRAL, feedback_date=today - timedelta(days=10)
    )
    task = ledger.tasks.create_task(
        round_id=r, kind=ProblemKind.SPECIFIC, description="甲", lead_units=["区甲局"]
    )
    close(ledger, task, today)
    last = ledger.overview.build(round_name=A, today=today).months[-1]
    assert (last.completed, last.closed) == (1, 1)


def test_letters_without_a_date_are_dated_today_and_list_only_their_kind_of_task(
    ledger: Ledger, tmp_path: Path
) -> None:
    today = date.today()
    r = ledger.directory.create_round(name=B, level=RoundLevel.PROVINCIAL)
    soon = (today + timedelta(days=5)).strftime("%Y年%m月%d日")
    later = (today + timedelta(days=200)).strftime("%Y年%m月%d日")
    ids = [
        ledger.tasks.create_task(
            round_id=r, kind=ProblemKind.SPECIFIC, description=d, deadline=dl, lead_units=["区甲局"]
        )
        for d, dl in (("临期", soon), ("不急", later))
    ]
    (letter,) = ledger.overview.issue_reminders(tmp_path / "letters", round_name=B)
    assert letter.task_count == 1  # the task due soon, not the unit's other task
    (sent,) = ledger.overview.sent_notices()
    assert (sent.issued_on, sent.task_ids) == (today, frozenset({ids[0]}))


def test_both_texts_kept_and_nothing_kept_by_a_read_only_ledger(
    ledger: Ledger, ids: dict[str, int], tmp_path: Path
) -> None:
    ledger.overview.export_progress_report(
        tmp_path / "r.docx", round_name=A, as_of=AS_OF, practices="做法", next_steps="下一步"
    )
    settings = ledger.settings.current()
    assert (settings.report_practices, settings.report_next_steps) == ("做法", "下一步")
    path = ledger.path
    ledger.close()
    with Ledger.open(path, read_only=True) as readonly:
        readonly.overview.export_progress_report(
            tmp_path / "r2.docx", round_name=A, as_of=AS_OF, practices="别的"
        )
        assert readonly.settings.current().report_practices == "做法"
    assert (tmp_path / "r2.docx").exists()


def test_two_steps_recorded_on_one_day_end_the_day_in_their_order(ledger: Ledger) -> None:
    """整改中 then 已完成 recorded on 3-10 (the audit log's days, set here), 已验收 on 4-02: completed at the end
    of March (the later step last within the day), whatever the alphabet says; a progress report in April
    changes nothing, the records ending in the task's own status."""
    r = ledger.directory.create_round(name=A, level=RoundLevel.CENTRAL, feedback_date=date(2026, 1, 1))
    task = ledger.tasks.create_task(
        round_id=r, kind=ProblemKind.SPECIFIC, description="甲", lead_units=["区甲局"]
    )

    def step(target: TaskStatus, at: str) -> None:
        ledger.lifecycle.transition(task, target, on=date(2026, 4, 2))
        with sqlite3.connect(ledger.path) as conn:
            conn.execute(
                "UPDATE audit_log SET at = ? WHERE id = (SELECT max(id) FROM audit_log WHERE field = 'status')",
                (at,),
            )

    step(S.IN_PROGRESS, "2026-03-10 10:00:00.000000")
    step(S.COMPLETED, "2026-03-10 11:00:00.000000")
    ledger.lifecycle.record_acceptance(task, accepted_on=date(2026, 4, 2), unit="区生态环境局")
    step(S.ACCEPTED, "2026-04-02 09:00:00.000000")
    ledger.tasks.add_progress(task, entry_date=date(2026, 4, 15), text="已通过验收")
    months = ledger.overview.build(round_name=A, today=date(2026, 4, 30)).months
    assert [(p.month.month, p.completed) for p in months] == [(1, 0), (2, 0), (3, 1), (4, 1)]
