"""Inserting thousands of new tasks at once: many rows a statement, written on a second thread."""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest

from ledger_app.domain.deadlines import parse_deadline
from ledger_app.domain.model import ProblemKind, RoundLevel, TaskStatus
from ledger_app.domain.records import MeasureRecord, ProgressRecord, TaskRecord
from ledger_app.services import Ledger, import_bulk

ROUND = "第二轮中央生态环境保护督察"
UNITS = ["区住房和城乡建设局", "区水利局", "区自然资源和规划局", "青溪镇人民政府"]


def _record(n: int) -> TaskRecord:
    return TaskRecord(
        seq=str(n),
        kind=ProblemKind.PETITION if n % 3 == 0 else ProblemKind.SPECIFIC,
        description=f"问题{n}:河道两岸垃圾堆放,'引号'与\"双引号\"照存",
        round_name=ROUND,
        lead_units=[UNITS[n % 4]],
        cooperating_units=[UNITS[(n + 1) % 4], UNITS[(n + 2) % 4]],
        deadline=parse_deadline(f"{2024 + n % 3}年{n % 12 + 1}月底前"),
        status=TaskStatus.IN_PROGRESS if n % 2 else TaskStatus.NOT_STARTED,
        measures=[
            MeasureRecord(k, f"问题{n}的第{k}条措施", [UNITS[k % 4]], [], parse_deadline("2025年底前"))
            for k in range(1, n % 4 + 2)
        ],
        progress=[ProgressRecord(date(2026, 10, n % 28 + 1), f"问题{n}本月进展")],
    )


def _essentials(records: list[TaskRecord]) -> list[tuple[object, ...]]:
    """What a clerk would check of each task, in 序号 order."""
    rows = [
        (
            r.seq,
            r.kind,
            r.description,
            r.lead_units,
            r.cooperating_units,
            r.deadline.text,
            r.status,
            [(m.text, m.lead_units, m.deadline.date) for m in r.measures],
            [(p.date, p.text) for p in r.progress],
        )
        for r in records
    ]
    return sorted(rows, key=lambda row: int(str(row[0])))


def _import(ledger: Ledger, records: list[TaskRecord]) -> None:
    ledger.directory.create_round(name=ROUND, level=RoundLevel.CENTRAL)
    ledger.imports.import_records(records, source="台账.xlsx")


def test_thousands_of_tasks_are_stored_whole_and_in_order(ledger: Ledger) -> None:
    # More tasks than one hand-over to the writer, more rows than one statement takes.
    records = [_record(n) for n in range(1, 2_601)]
    _import(ledger, records)
    stored = _essentials(ledger.records.task_records())
    assert len(stored) == len(records)
    assert stored == _essentials(records)


def test_a_driver_with_few_parameters_gets_one_row_a_statement(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite before 3.32 allowed 999 parameters a statement; less than a row's worth still works.
    monkeypatch.setattr(import_bulk, "_max_params", lambda _dbapi: 5)
    records = [_record(n) for n in range(1, 40)]
    _import(ledger, records)
    assert _essentials(ledger.records.task_records()) == _essentials(records)


def test_a_failed_write_leaves_the_ledger_as_it_was(ledger: Ledger, ledger_path: Path) -> None:
    ledger.directory.create_round(name=ROUND, level=RoundLevel.CENTRAL)
    before = ledger.records.task_records()
    switch_interval = sys.getswitchinterval()
    records = [_record(n) for n in range(1, 1_500)]
    records[1_200].seq = None  # type: ignore[assignment]  # NOT NULL: fails in the writer thread
    with pytest.raises(sqlite3.IntegrityError):
        ledger.imports.import_records(records, source="台账.xlsx")
    assert ledger.records.task_records() == before
    assert sys.getswitchinterval() == switch_interval  # the writer's faster switching is undone
    with sqlite3.connect(ledger_path) as conn:
        assert conn.execute("SELECT count(*) FROM problems").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM measures").fetchone() == (0,)
    # The ledger still takes the same import once the record is put right.
    records[1_200].seq = "1201"
    ledger.imports.import_records(records, source="台账.xlsx")
    assert len(ledger.records.task_records()) == len(records)


def test_each_imported_task_has_the_audit_row_the_audit_hook_writes(ledger: Ledger) -> None:
    # Undo and the history tab read these rows: an imported task must look created like any other.
    from sqlalchemy import select

    from ledger_app.services.audit import snapshot
    from ledger_app.store import models as m

    records = [_record(n) for n in range(1, 30)]
    records[4].deadline = parse_deadline("长期坚持")
    records[5].note = '带"引号"\\和反斜杠\n第二行\t制表'
    _import(ledger, records)
    with ledger.reading() as session:
        rows = session.scalars(select(m.AuditEntry).where(m.AuditEntry.entity == "problem")).all()
        assert len(rows) == len(records)
        for row in rows:
            problem = session.get(m.Problem, row.entity_id)
            assert problem is not None
            assert (row.action, row.field, row.problem_id) == ("create", "*", problem.id)
            assert row.new_value == json.dumps(snapshot(problem), ensure_ascii=False)
