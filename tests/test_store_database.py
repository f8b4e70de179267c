"""Opening a ledger file: creation and migration, SQLite safety settings, and refusing files that are no ledger."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from ledger_app.domain.errors import NewerLedgerError, NotALedgerError
from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.resources import migrations_path
from ledger_app.services import Ledger
from ledger_app.store import database
from ledger_app.store.backup import backups_dir
from ledger_app.store.models import Base


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sql(path: Path, statement: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(statement).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


# -- a new ledger ---------------------------------------------------------------------------------
def test_a_new_ledger_is_created_at_the_newest_schema(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "folder" / "new.sqlite3"
    with Ledger.open(path, create=True) as ledger:
        assert ledger.directory.list_rounds() == []
        assert ledger.tasks.count_tasks() == 0
    assert sql(path, "SELECT version_num FROM alembic_version") == [(database.SCHEMA_HEAD,)]
    assert sql(path, "PRAGMA application_id") == [(database.APPLICATION_ID,)]
    tables = {row[0] for row in sql(path, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {*Base.metadata.tables, "alembic_version"}
    assert not backups_dir(path).exists()  # nothing to back up


def test_the_migrated_schema_matches_the_models(ledger: Ledger) -> None:
    # Catches a model change that was not given a migration.
    with ledger.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_schema_head_is_alembics_head() -> None:
    script = ScriptDirectory(str(migrations_path()))
    assert script.get_current_head() == database.SCHEMA_HEAD
    assert database.SCHEMA_HEAD in database.known_revisions()
    assert set(database.known_revisions()) == {rev.revision for rev in script.walk_revisions()}


def test_an_empty_file_becomes_a_ledger_only_when_creating(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.write_bytes(b"")
    with pytest.raises(NotALedgerError) as refused:
        Ledger.open(path)
    assert refused.value.message_zh == f"台账文件是空的(0 字节):{path}"
    assert path.read_bytes() == b""
    with Ledger.open(path, create=True) as ledger:
        assert ledger.tasks.count_tasks() == 0
    assert sql(path, "SELECT version_num FROM alembic_version") == [(database.SCHEMA_HEAD,)]


# -- reopening --------------------------------------------------------------------------------------
def test_reopening_an_up_to_date_ledger_skips_alembic(ledger_path: Path) -> None:
    # The fast path: an up-to-date ledger opens without importing alembic or parsing migration scripts.
    code = (
        "import sys\n"
        "from ledger_app.services import Ledger\n"
        f"ledger = Ledger.open({str(ledger_path)!r})\n"
        "ledger.tasks.count_tasks()\n"
        "ledger.close()\n"
        "print('alembic' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "False"


def test_a_populated_ledger_at_head_stays_intact(ledger_path: Path) -> None:
    with Ledger.open(ledger_path, actor="甲") as ledger:
        round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
        task_id = ledger.tasks.create_task(
            round_id=round_id, kind=ProblemKind.SPECIFIC, description="污水直排", lead_units=["区住建局"]
        )
        ledger.tasks.add_measure(task_id, text="雨污分流改造")
        ledger.tasks.add_progress(task_id, entry_date=date(2026, 5, 25), text="已完成30%", percent=30)
        before = ledger.records.task_record(task_id, today=date(2026, 6, 1))
    digest = sha256(ledger_path)
    for create in (False, True):
        with Ledger.open(ledger_path, create=create) as again:
            assert again.records.task_record(task_id, today=date(2026, 6, 1)) == before
    assert sha256(ledger_path) == digest  # reading did not rewrite anything
    assert not backups_dir(ledger_path).exists()


def test_an_older_ledger_is_backed_up_then_upgraded(ledger_path: Path) -> None:
    revisions = database.known_revisions()
    if len(revisions) < 2:
        pytest.skip(
            f"only one migration ({revisions[0]}) exists: there is no older schema to upgrade from yet; "
            "this test runs by itself once a second migration is added"
        )
    from alembic import command
    from alembic.config import Config

    with Ledger.open(ledger_path, actor="甲") as ledger:
        ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_path()))
    engine = database.make_engine(ledger_path)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "-1")
    engine.dispose()
    (old_version,) = sql(ledger_path, "SELECT version_num FROM alembic_version")[0]
    assert old_version != database.SCHEMA_HEAD
    old_digest = sha256(ledger_path)

    with Ledger.open(ledger_path) as ledger:
        assert [r.name for r in ledger.directory.list_rounds()] == ["第二轮中央生态环境保护督察"]
    assert sql(ledger_path, "SELECT version_num FROM alembic_version") == [(database.SCHEMA_HEAD,)]
    (backup,) = backups_dir(ledger_path).iterdir()
    assert backup.name.endswith(f"-before-upgrade-{old_version}.sqlite3")
    assert sql(backup, "SELECT version_num FROM alembic_version") == [(old_version,)]
    assert sha256(ledger_path) != old_digest


# -- SQLite settings ----------------------------------------------------------------------------------
def test_sqlite_safety_settings_are_in_force(ledger: Ledger) -> None:
    with ledger.engine.connect() as conn:

        def pragma(name: str) -> object:
            return conn.exec_driver_sql(f"PRAGMA {name}").scalar()

        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2  # FULL
        assert pragma("journal_mode") == "delete"
        assert pragma("busy_timeout") == 5000
        assert pragma("application_id") == database.APPLICATION_ID


def test_foreign_keys_are_enforced(ledger: Ledger) -> None:
    with ledger.engine.connect() as conn:
        with pytest.raises(Exception, match="FOREIGN KEY"):
            conn.exec_driver_sql(
                "INSERT INTO problem_units (problem_id, unit_id, role, position) VALUES (999, 999, 'lead', 0)"
            )
        conn.rollback()


def test_a_failed_change_is_rolled_back_whole(ledger: Ledger) -> None:
    from ledger_app.store import models as m

    round_id = ledger.directory.create_round(name="R", level=RoundLevel.DISTRICT)
    ledger.directory.create_unit("区住建局")
    with pytest.raises(RuntimeError), ledger.changing("试验") as session:
        session.add(m.Unit(name="区水利局"))
        session.get(m.InspectionRound, round_id).name = "改名"  # type: ignore[union-attr]
        session.flush()
        raise RuntimeError("boom")
    assert [u.name for u in ledger.directory.list_units()] == ["区住建局"]
    assert [(r.id, r.name) for r in ledger.directory.list_rounds()] == [(round_id, "R")]


# -- files that are not ledgers ---------------------------------------------------------------------------
def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.sqlite3"
    with pytest.raises(NotALedgerError) as refused:
        Ledger.open(path)
    assert refused.value.message_zh == f"找不到台账文件:{path}"
    assert refused.value.message_en == f"ledger file not found: {path}"
    assert not path.exists()


def test_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "empty-dir"
    folder.mkdir()
    for create in (False, True):
        with pytest.raises(NotALedgerError) as refused:
            Ledger.open(folder, create=create)
        assert refused.value.message_zh == f"这是一个文件夹,不是台账文件:{folder}"
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04 an xlsx workbook, really", "整改台账\n序号,问题描述\n".encode(), b"x" * 5000],
)
def test_a_file_that_is_not_sqlite(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "ledger.sqlite3"
    path.write_bytes(content)
    for create in (False, True):
        with pytest.raises(NotALedgerError) as refused:
            Ledger.open(path, create=create)
        assert refused.value.message_zh == f"不是整改台账文件(文件格式不对):{path}"
    assert path.read_bytes() == content


def test_a_damaged_sqlite_file(ledger_path: Path) -> None:
    data = bytearray(ledger_path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # keep the magic, wreck the schema page
    ledger_path.write_bytes(bytes(data))
    with pytest.raises(NotALedgerError) as refused:
        Ledger.open(ledger_path)
    assert refused.value.message_zh.startswith(f"台账文件已损坏或不是台账文件:{ledger_path}")
    assert ledger_path.read_bytes() == bytes(data)


def test_an_sqlite_database_of_another_program(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    sql(path, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    sql(path, "INSERT INTO moz_places (url) VALUES ('https://example.org')")
    digest = sha256(path)
    for create in (False, True):
        with pytest.raises(NotALedgerError) as refused:
            Ledger.open(path, create=create)
        assert refused.value.message_zh == f"这个数据库不是整改台账文件:{path}"
        assert refused.value.message_en == f"an SQLite database, but not a ledger: {path}"
    assert sha256(path) == digest


def test_an_alembic_database_of_another_program(ledger_path: Path) -> None:
    # Another alembic-managed program's file has a version table too, but not our application id.
    sql(ledger_path, "PRAGMA application_id=12345")
    with pytest.raises(NotALedgerError, match="这个数据库不是整改台账文件"):
        Ledger.open(ledger_path)


def test_a_ledger_of_a_newer_release_is_refused_untouched(ledger_path: Path) -> None:
    sql(ledger_path, "UPDATE alembic_version SET version_num = '0099_future'")
    digest = sha256(ledger_path)
    for create in (False, True):
        with pytest.raises(NewerLedgerError) as refused:
            Ledger.open(ledger_path, create=create)
        assert refused.value.message_zh == (
            "此台账由更新版本的软件创建(数据库版本 0099_future),请升级本软件后再打开。"
        )
        assert "newer release" in refused.value.message_en
    assert sha256(ledger_path) == digest
    assert not backups_dir(ledger_path).exists()
