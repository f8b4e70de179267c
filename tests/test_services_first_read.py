"""The GUI's start-up read (services/first_read.py): the list ``list_tasks`` gives, read with sqlite3 alone,
and the same refusals as ``Ledger.open`` (lock, read-only, crash recovery, damaged or older files)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ledger_app.domain.errors import LedgerLockedError, NotALedgerError, ReadOnlyStorageError
from ledger_app.services import Ledger
from ledger_app.services import first_read as first_read_module
from ledger_app.services.first_read import FirstRead, first_read
from ledger_app.store.lock import lock_path, read_holder

from .test_store_lock import write_lock

TODAYS = (date(2026, 11, 23), date(2025, 3, 1), date(2027, 6, 30))

# Each a different ledger: what the list's order, units and flags depend on, changed in the file itself.
VARIATIONS = {
    "demo as made": [],
    "tasks in the trash": [
        "UPDATE problems SET deleted_at = '2026-11-01 09:30:00.000000' WHERE id % 7 = 0",
    ],
    "unknown and long-term deadlines": [
        "UPDATE problems SET deadline_text = '待定', deadline_date = NULL, deadline_long_term = 0"
        " WHERE id % 5 = 0",
        "UPDATE problems SET deadline_text = '', deadline_date = NULL, deadline_long_term = 0 WHERE id % 9 = 0",
        "UPDATE problems SET deadline_text = '长期坚持', deadline_date = NULL, deadline_long_term = 1"
        " WHERE id % 8 = 0",
    ],
    "序号 that sort naturally, rounds reordered and tied": [
        "UPDATE problems SET seq = CASE id % 6 WHEN 0 THEN '10' WHEN 1 THEN '2' WHEN 2 THEN '1-1'"
        " WHEN 3 THEN '（三）' WHEN 4 THEN '' ELSE 'A' || id END",
        "UPDATE rounds SET position = 5 - position",
        "UPDATE rounds SET position = 3 WHERE id = (SELECT max(id) FROM rounds)",
        "INSERT INTO rounds (name, level, plan_document_no, position) VALUES ('空批次', 'district', '', 0)",
    ],
    "units: none, unused, renamed, every role": [
        "DELETE FROM problem_units WHERE problem_id % 4 = 0",
        "INSERT INTO units (name, note) VALUES ('一个没有任务的单位', '')",
        "UPDATE units SET name = '甲' || name WHERE id % 3 = 0",
        "UPDATE problem_units SET position = 10 - position WHERE problem_id % 3 = 0",
    ],
    "a wider 临期 window, progress on the last day": [
        "INSERT INTO settings (\"key\", value) VALUES ('warning_days', '45')",
        "UPDATE progress_entries SET entry_date = '2026-11-23' WHERE id % 10 = 0",
    ],
}


def sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    return path


@pytest.fixture
def read(demo_path: Path) -> Iterator[FirstRead]:
    found = first_read(demo_path, actor="测试员", today=TODAYS[0])
    assert found is not None
    yield found
    found.release()


@pytest.mark.parametrize("variation", VARIATIONS)
def test_the_first_read_gives_the_list_list_tasks_gives(demo_path: Path, variation: str) -> None:
    sql(demo_path, *VARIATIONS[variation])
    for today in TODAYS:
        found = first_read(demo_path, actor="测试员", today=today)
        assert found is not None
        try:
            with Ledger.open(demo_path, actor="测试员") as ledger:
                expected = ledger.queries.list_tasks(today=today)
                rounds = ledger.directory.list_rounds()
                units = ledger.directory.list_units()
                warning_days = ledger.settings.current().warning_days
        finally:
            found.release()
        assert found.rows == expected  # the same TaskRow class, field by field
        assert [(r.id, r.name) for r in found.rounds] == [(r.id, r.name) for r in rounds]
        assert found.unit_names == [u.name for u in units]
        assert found.warning_days == warning_days
        assert found.today == today
    # The ledger had something of each kind to compare.
    flags = {r.schedule for r in expected}
    assert len(expected) > 50 and len(flags) >= 3
    assert any(r.units for r in expected) and len({r.round_id for r in expected}) >= 2


def test_the_read_holds_the_lock_and_hands_it_to_the_ledger(demo_path: Path, read: FirstRead) -> None:
    holder = read_holder(demo_path)
    assert holder is not None and holder.user == "测试员"
    ledger = read.open_ledger()
    try:
        assert read_holder(demo_path) == holder  # the same lock, not a second one
        read.release()  # already handed over: nothing more to give back
        assert lock_path(demo_path).exists()
        assert ledger.queries.list_tasks(today=read.today)[0].id == read.rows[0].id
    finally:
        ledger.close()
    assert not lock_path(demo_path).exists()


def test_a_read_given_up_leaves_no_lock(demo_path: Path, read: FirstRead) -> None:
    read.release()
    assert not lock_path(demo_path).exists()


def test_a_ledger_another_program_holds_is_refused_as_ledger_open_refuses_it(demo_path: Path) -> None:
    write_lock(demo_path)
    before = demo_path.read_bytes()
    with pytest.raises(LedgerLockedError) as refused:
        first_read(demo_path, actor="测试员")
    assert "李四" in refused.value.message_zh and "只读" in refused.value.message_zh
    assert demo_path.read_bytes() == before
    assert read_holder(demo_path).token == "other"  # type: ignore[union-attr]


def test_read_only_media_is_refused_as_ledger_open_refuses_it(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(first_read_module, "is_writable", lambda _path: False)
    with pytest.raises(ReadOnlyStorageError, match="只读"):
        first_read(demo_path, actor="测试员")
    assert not lock_path(demo_path).exists()


def test_a_crashed_save_is_rolled_back_before_the_list_is_read(demo_path: Path) -> None:
    clean = first_read(demo_path, actor="测试员", today=TODAYS[0])
    assert clean is not None
    clean.release()
    # A writer killed mid-transaction, its changed pages already in the file: a hot journal.
    child = textwrap.dedent(
        """
        import os, sqlite3, sys
        conn = sqlite3.connect(sys.argv[1], isolation_level=None)
        conn.execute("PRAGMA cache_size=1")  # spill the changed pages into the file itself
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE problems SET description = '写了一半'")
        os._exit(0)
        """
    )
    subprocess.run([sys.executable, "-c", child, str(demo_path)], check=True)
    journal = demo_path.with_name(demo_path.name + "-journal")
    assert journal.exists() and journal.stat().st_size > 0
    found = first_read(demo_path, actor="测试员", today=TODAYS[0])
    assert found is not None
    found.release()
    assert found.rows == clean.rows
    assert not journal.exists() or journal.stat().st_size == 0


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(b""),
        lambda path: path.write_bytes(b"PK\x03\x04 a zip, not a ledger"),
        lambda path: path.write_bytes(path.read_bytes()[:100] + b"\x00" * 4000),
    ],
    ids=["empty", "not SQLite", "damaged pages"],
)
def test_a_file_that_is_no_ledger_is_refused_as_ledger_open_refuses_it(
    demo_path: Path, damage: object
) -> None:
    damage(demo_path)  # type: ignore[operator]
    with pytest.raises(NotALedgerError) as expected:
        Ledger.open(demo_path, actor="测试员")
    with pytest.raises(type(expected.value)) as refused:
        first_read(demo_path, actor="测试员")
    assert refused.value.message_zh == expected.value.message_zh
    assert not lock_path(demo_path).exists()


@pytest.mark.parametrize("version", ["0002", "9999"])
def test_an_older_or_newer_schema_takes_the_ordinary_path(demo_path: Path, version: str) -> None:
    sql(demo_path, f"UPDATE alembic_version SET version_num = '{version}'")
    assert first_read(demo_path, actor="测试员") is None
    assert not lock_path(demo_path).exists()


def test_a_missing_file_takes_the_ordinary_path(tmp_path: Path) -> None:
    assert first_read(tmp_path / "新台账.sqlite3", actor="测试员") is None
    assert not list(tmp_path.iterdir())


def test_the_first_read_loads_no_sqlalchemy(demo_path: Path) -> None:
    # What start-up imports and runs before the list is painted: SQLAlchemy and the models come after.
    code = (
        "import sys\n"
        "from ledger_app.services import Ledger, TaskFilter, TaskRow, default_actor\n"
        "from ledger_app.services.first_read import first_read\n"
        "found = first_read(sys.argv[1], actor=default_actor())\n"
        "found.release()\n"
        "print(len(found.rows), sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'alembic'}),\n"
        "      'ledger_app.store.models' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(demo_path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["120", "[]", "False"]
