"""services/tasks.py with known answers: several tasks deleted in one change, and the progress date rules."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from ledger_app.domain.dates import FutureDateUnconfirmed
from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.services import Ledger
from ledger_app.services.tasks import check_entry_date


def three_tasks(ledger: Ledger) -> list[int]:
    round_id = ledger.directory.create_round(name="第三轮省生态环境保护督察", level=RoundLevel.PROVINCIAL)
    return [
        ledger.tasks.create_task(round_id=round_id, kind=ProblemKind.SPECIFIC, description=text)
        for text in ("河道黑臭", "扬尘污染", "油烟扰民")
    ]


def live_ids(ledger: Ledger) -> list[int]:
    return [row.id for row in ledger.queries.list_tasks()]


def test_deleting_several_tasks_is_one_change_after_a_backup(ledger: Ledger) -> None:
    a, b, c = three_tasks(ledger)
    assert ledger.tasks.delete_tasks([c, a, c]) == 2  # a repeated id counts once
    assert live_ids(ledger) == [b]
    assert ledger.history.undo_label() == "删除任务(2 项)"
    assert [info.reason for info in ledger.backups.list_backups()] == ["bulk"]
    ledger.history.undo_last()
    assert sorted(live_ids(ledger)) == sorted([a, b, c])  # one undo brings both back


def test_deleting_one_task_takes_no_backup_and_says_so_plainly(ledger: Ledger) -> None:
    a, b, c = three_tasks(ledger)
    assert ledger.tasks.delete_tasks([b]) == 1
    assert sorted(live_ids(ledger)) == sorted([a, c])
    assert ledger.history.undo_label() is not None and ledger.history.undo_label().startswith("删除任务")
    assert "项)" not in ledger.history.undo_label()
    assert ledger.backups.list_backups() == []


def test_deleting_nothing_changes_nothing(ledger: Ledger) -> None:
    three_tasks(ledger)
    before = ledger.history.undo_label()
    assert ledger.tasks.delete_tasks([]) == 0
    assert ledger.history.undo_label() == before
    assert len(live_ids(ledger)) == 3


def test_a_progress_date_after_today_needs_the_clerks_word() -> None:
    soon = date.today() + timedelta(days=5)
    with pytest.raises(FutureDateUnconfirmed):
        check_entry_date(soon)
    assert check_entry_date(soon, confirm_future=True) == soon


def test_editing_a_progress_date_keeps_the_day_of_a_date_and_time(ledger: Ledger) -> None:
    task_id = three_tasks(ledger)[0]
    entry_id = ledger.tasks.add_progress(task_id, entry_date=date(2026, 3, 20), text="已完成清淤", percent=40)
    ledger.tasks.update_progress(entry_id, entry_date=datetime(2026, 3, 21, 15, 30))
    [entry] = ledger.records.task_record(task_id).progress
    assert entry.date == date(2026, 3, 21) and type(entry.date) is date
