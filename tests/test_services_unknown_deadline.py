"""Issue 18: one rule for unknown deadlines, followed by every surface.

A hand-built ledger with known answers: six open tasks of one round, as of 2026-05-01 (warning
window 15 days):

    1  2022年6月30日   滞后 — then the clerk types 明年春天 over it
    2  2026年5月10日   临期
    3  2027年6月底前   序时推进
    4  立行立改、长期坚持 长期坚持
    5  (empty)        时限不明
    6  等上级通知      时限不明

Typing 明年春天 over task 1 is refused and keeps 2022-06-30 (滞后 stays 1); once confirmed, task 1
is 时限不明 (滞后 0, 时限不明 3) in the list, its filter, the statistics, the dump, the monthly
report (完成情况 and the 统计 sheet) and `ledger-cli stats`.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from ledger_app.cli.main import main
from ledger_app.domain.errors import UnreadableDeadlineError
from ledger_app.domain.model import ProblemKind, RoundLevel, ScheduleFlag, TaskStatus
from ledger_app.io.dump import ledger_to_dict
from ledger_app.services import Ledger, TaskFilter

F = ScheduleFlag
TODAY = date(2026, 5, 1)
ROUND = "第二轮中央生态环境保护督察"
DEADLINES = {
    "1": "2022年6月30日",
    "2": "2026年5月10日",
    "3": "2027年6月底前",
    "4": "立行立改、长期坚持",
    "5": "",
    "6": "等上级通知",
}


@pytest.fixture
def ids(ledger: Ledger) -> dict[str, int]:
    round_id = ledger.directory.create_round(name=ROUND, level=RoundLevel.CENTRAL)
    made = {}
    for seq, deadline in DEADLINES.items():
        made[seq] = ledger.tasks.create_task(
            round_id=round_id,
            kind=ProblemKind.SPECIFIC,
            seq=seq,
            description=f"问题{seq}",
            deadline=deadline,
            lead_units=["区住建局"],
        )
        # 整改中, so that 完成情况 is the flag alone (未启动 would add "(未启动)").
        ledger.lifecycle.transition(made[seq], TaskStatus.IN_PROGRESS, on=date(2026, 3, 1))
    return made


def flags(ledger: Ledger) -> dict[str, ScheduleFlag | None]:
    return {row.seq: row.schedule for row in ledger.queries.list_tasks(today=TODAY)}


def test_the_flags_before_any_edit(ledger: Ledger, ids: dict[str, int]) -> None:
    assert flags(ledger) == {
        "1": F.LAGGING,
        "2": F.DUE_SOON,
        "3": F.ON_SCHEDULE,
        "4": F.LONG_TERM,
        "5": F.UNKNOWN_DEADLINE,
        "6": F.UNKNOWN_DEADLINE,
    }


def test_unreadable_text_over_a_date_is_refused_and_the_date_kept(
    ledger: Ledger, ids: dict[str, int]
) -> None:
    with pytest.raises(UnreadableDeadlineError) as refused:
        ledger.tasks.update_task(ids["1"], deadline="明年春天")
    assert refused.value.text == "明年春天"
    assert refused.value.previous == "2022-06-30(2022年6月30日)"
    assert "明年春天" in refused.value.message_zh and "2022-06-30" in refused.value.message_zh
    record = ledger.records.task_record(ids["1"])
    assert (record.deadline.text, record.deadline.date) == ("2022年6月30日", date(2022, 6, 30))
    assert flags(ledger)["1"] is F.LAGGING
    assert ledger.queries.stats(today=TODAY).total.lagging == 1
    # Nothing was written: no change to undo, no audit row for the refused edit.
    assert ledger.records.task_record(ids["1"]).deadline.text == "2022年6月30日"


def test_confirmed_it_is_stored_as_text_without_a_date(ledger: Ledger, ids: dict[str, int]) -> None:
    ledger.tasks.update_task(ids["1"], deadline="明年春天", confirm_unknown_deadline=True)
    record = ledger.records.task_record(ids["1"])
    assert (record.deadline.text, record.deadline.date, record.deadline.long_term) == (
        "明年春天",
        None,
        False,
    )
    assert flags(ledger)["1"] is F.UNKNOWN_DEADLINE


def test_long_term_is_kept_too_and_readable_or_empty_text_is_not_asked(
    ledger: Ledger, ids: dict[str, int]
) -> None:
    with pytest.raises(UnreadableDeadlineError) as refused:
        ledger.tasks.update_task(ids["4"], deadline="看情况")
    assert refused.value.previous == "立行立改、长期坚持"
    ledger.tasks.update_task(ids["3"], deadline="2028年底前")  # readable: saved at once
    ledger.tasks.update_task(ids["2"], deadline="")  # cleared on purpose: 时限不明 without a question
    ledger.tasks.update_task(ids["6"], deadline="尽快")  # was unknown already: nothing readable to lose
    assert flags(ledger) == {
        "1": F.LAGGING,
        "2": F.UNKNOWN_DEADLINE,
        "3": F.ON_SCHEDULE,
        "4": F.LONG_TERM,
        "5": F.UNKNOWN_DEADLINE,
        "6": F.UNKNOWN_DEADLINE,
    }


@pytest.fixture
def confirmed(ledger: Ledger, ids: dict[str, int]) -> dict[str, int]:
    ledger.tasks.update_task(ids["1"], deadline="明年春天", confirm_unknown_deadline=True)
    return ids


def test_the_list_filter(ledger: Ledger, confirmed: dict[str, int]) -> None:
    rows = ledger.queries.list_tasks(TaskFilter(schedule=F.UNKNOWN_DEADLINE), today=TODAY)
    assert [r.seq for r in rows] == ["1", "5", "6"]
    assert ledger.queries.list_tasks(TaskFilter(schedule=F.LAGGING), today=TODAY) == []
    assert [r.seq for r in ledger.queries.list_tasks(TaskFilter(schedule=F.ON_SCHEDULE), today=TODAY)] == [
        "3"
    ]


def test_the_statistics_and_the_summary_sentence(ledger: Ledger, confirmed: dict[str, int]) -> None:
    from ledger_app.domain.stats import summary_sentence

    stats = ledger.queries.stats(today=TODAY)
    t = stats.total
    assert (t.total, t.open, t.on_schedule, t.due_soon, t.lagging, t.long_term, t.unknown_deadline) == (
        6, 6, 1, 1, 0, 1, 3,
    )  # fmt: skip
    assert stats.as_dict()["by_schedule"] == {
        "on-schedule": 1,
        "due-soon": 1,
        "lagging": 0,
        "long-term": 1,
        "unknown-deadline": 3,
    }
    assert stats.by_round[ROUND].unknown_deadline == 3
    assert stats.by_unit["区住建局"].unknown_deadline == 3
    # Not "均按序时进度推进整改中": three of them have no deadline anyone can check.
    assert (
        summary_sentence(stats)
        == "反馈问题涉及我区的有6项,均正在推进整改中(其中3项时限不明),整改率0%、销号率0%。"
    )


def test_the_dump(ledger: Ledger, confirmed: dict[str, int]) -> None:
    data = ledger_to_dict(ledger.records.round_records(today=TODAY), today=TODAY)
    tasks = {t["seq"]: t for t in data["rounds"][0]["tasks"]}
    assert {seq: t["schedule"] for seq, t in tasks.items()} == {
        "1": "unknown-deadline",
        "2": "due-soon",
        "3": "on-schedule",
        "4": "long-term",
        "5": "unknown-deadline",
        "6": "unknown-deadline",
    }
    assert (tasks["1"]["deadline"], tasks["1"]["deadline_text"]) == (None, "明年春天")


def test_the_monthly_report(ledger: Ledger, confirmed: dict[str, int], tmp_path: Path) -> None:
    out = tmp_path / "月报.xlsx"
    ledger.reports.export_monthly_report(out, year=2026, month=4)  # as of 2026-04-30: task 2 is 临期 too
    wb = openpyxl.load_workbook(out)
    ws = wb["台账"]
    header_row = next(r for r in range(1, 6) if ws.cell(r, 1).value == "序号")
    columns = {ws.cell(header_row, c).value: c for c in range(1, ws.max_column + 1)}
    completion = {}
    for r in range(header_row + 1, ws.max_row + 1):
        seq = ws.cell(r, columns["序号"]).value
        if seq is not None and str(seq) in DEADLINES:
            completion[str(seq)] = ws.cell(r, columns["完成情况"]).value
    assert completion == {
        "1": "时限不明",
        "2": "临期",
        "3": "序时推进",
        "4": "长期坚持",
        "5": "时限不明",
        "6": "时限不明",
    }
    stats = wb["统计"]
    heads = [c.value for c in stats[next(r for r in range(1, 20) if stats.cell(r, 1).value == "类别")]]
    total = next(row for row in stats.iter_rows(values_only=True) if row[0] == "合计")
    figures = dict(zip(heads, total, strict=False))
    assert (figures["任务数"], figures["未完成"], figures["滞后"], figures["时限不明"], figures["序时推进"]) == (
        6, 6, 0, 3, 1,
    )  # fmt: skip


def test_cli_stats(ledger: Ledger, confirmed: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    path = ledger.path
    assert main(["stats", "--db", str(path), "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "按进度:序时推进 1,临期 1,滞后 0,长期坚持 1,时限不明 3" in out
    assert main(["stats", "--db", str(path), "--today", TODAY.isoformat(), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["by_schedule"]["unknown-deadline"] == 3
    assert data["total"]["unknown_deadline"] == 3


@pytest.mark.parametrize(
    ("cell", "status"),
    [("时限不明", TaskStatus.IN_PROGRESS), ("时限不明(未启动)", TaskStatus.NOT_STARTED)],
)
def test_the_importer_reads_the_reports_word_back(cell: str, status: TaskStatus) -> None:
    from ledger_app.io.excel_in.status import read_status

    assert read_status(cell).status is status
