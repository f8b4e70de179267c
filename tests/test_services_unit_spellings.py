"""One unit however its brackets are typed: "各乡镇（街道）" and "各乡镇(街道)" are the same unit."""

from __future__ import annotations

import pytest

from ledger_app.domain.errors import ValidationError
from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.domain.records import TaskRecord
from ledger_app.services import Ledger

FULL = "各乡镇\uff08街道\uff09"  # 各乡镇（街道）, as a Chinese input method types it
HALF = "各乡镇(街道)"


def test_a_task_naming_another_spelling_links_the_directory_unit(ledger: Ledger) -> None:
    round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
    ledger.directory.create_unit(HALF)
    task_id = ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, seq="1", description="污水直排",
        lead_units=[FULL, "区住建局", HALF],
    )  # fmt: skip
    assert [u.name for u in ledger.directory.list_units() if "街道" in u.name] == [HALF]
    assert ledger.records.task_record(task_id).lead_units == [HALF, "区住建局"]


def test_the_directory_refuses_a_second_spelling(ledger: Ledger) -> None:
    ledger.directory.create_unit(HALF)
    with pytest.raises(ValidationError) as refused:
        ledger.directory.create_unit(FULL)
    assert f"写作「{HALF}」" in refused.value.message_zh
    other = ledger.directory.create_unit("区水利局")
    with pytest.raises(ValidationError, match="合并"):
        ledger.directory.rename_unit(other, FULL)
    # Retyping a unit's own brackets is a rename, not a clash.
    unit = next(u.id for u in ledger.directory.list_units() if u.name == HALF)
    ledger.directory.rename_unit(unit, FULL)
    assert FULL in [u.name for u in ledger.directory.list_units()]


def test_an_import_uses_the_directory_spelling_and_creates_one_unit_per_name(ledger: Ledger) -> None:
    ledger.directory.create_unit(HALF)
    records = [
        TaskRecord(seq="1", kind=ProblemKind.SPECIFIC, description="甲", round_name="第二轮", lead_units=[FULL]),
        TaskRecord(
            seq="2", kind=ProblemKind.SPECIFIC, description="乙", round_name="第二轮",
            lead_units=["城关镇\uff08开发区\uff09"], cooperating_units=["城关镇(开发区)"],
        ),
    ]  # fmt: skip
    result = ledger.imports.import_records(records)
    assert result.units_created == ["城关镇(开发区)"]
    assert sorted(u.name for u in ledger.directory.list_units()) == sorted([HALF, "城关镇(开发区)"])
    first, second = sorted(ledger.records.task_records(), key=lambda t: t.seq)
    assert first.lead_units == [HALF]
    assert (second.lead_units, second.cooperating_units) == (["城关镇(开发区)"], ["城关镇(开发区)"])
