"""import_records: tasks of several rounds in one import, the default round, the report per round."""

from __future__ import annotations

from datetime import date

import pytest

from ledger_app.domain.deadlines import parse_deadline
from ledger_app.domain.errors import ValidationError
from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.domain.records import MeasureRecord, ProgressRecord, TaskRecord
from ledger_app.io.import_plan import ImportPlan
from ledger_app.services import Ledger, TaskFilter
from ledger_app.services.import_rounds import guess_new_round

CENTRAL = "第二轮中央生态环境保护督察"
PROVINCIAL = "第三轮省生态环境保护督察"


def record(
    seq: str, round_name: str = "", kind: ProblemKind = ProblemKind.SPECIFIC, **fields: object
) -> TaskRecord:
    base: dict[str, object] = {
        "description": f"问题{seq}",
        "lead_units": ["区住房和城乡建设局"],
        "deadline": parse_deadline("2026年底前"),
        "measures": [MeasureRecord(1, "开展排查", ["区自然资源和规划局"], [], parse_deadline("2025年底前"))],
        "progress": [ProgressRecord(date(2026, 10, 3), "完成招标")],
    }
    base.update(fields)
    return TaskRecord(seq=seq, kind=kind, round_name=round_name, **base)  # type: ignore[arg-type]


def tasks_by_round(ledger: Ledger) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for row in ledger.records.task_records():
        found.setdefault(row.round_name, []).append(f"{row.kind.section.label} {row.seq}")
    return found


def test_each_record_goes_to_the_round_it_names(ledger: Ledger) -> None:
    existing = ledger.directory.create_round(name=CENTRAL, level=RoundLevel.CENTRAL)
    records = [
        record("1", CENTRAL),
        record("1", PROVINCIAL),
        record("2"),
        record("1", "", ProblemKind.PETITION),
    ]
    result = ledger.imports.import_records(
        records, new_round=("区级专项督察", RoundLevel.DISTRICT), source="月报.xlsx"
    )
    assert [(r.name, r.new, r.created) for r in result.rounds] == [
        (CENTRAL, False, 1),
        (PROVINCIAL, True, 1),
        ("区级专项督察", True, 2),
    ]
    assert result.rounds_created == [PROVINCIAL, "区级专项督察"]
    # Several rounds: each task is named with its round.
    assert f"{PROVINCIAL} 反馈问题 1" in result.created and "区级专项督察 交办信访件 1" in result.created
    assert tasks_by_round(ledger) == {
        CENTRAL: ["反馈问题 1"],
        PROVINCIAL: ["反馈问题 1"],
        "区级专项督察": ["反馈问题 2", "交办信访件 1"],
    }
    levels = {r.name: r.level for r in ledger.directory.list_rounds()}
    assert levels[PROVINCIAL] is RoundLevel.PROVINCIAL  # guessed from the name
    assert levels["区级专项督察"] is RoundLevel.DISTRICT
    assert next(r.id for r in ledger.directory.list_rounds() if r.name == CENTRAL) == existing
    imported = next(r for r in ledger.records.task_records() if r.round_name == PROVINCIAL)
    assert [m.lead_units for m in imported.measures] == [["区自然资源和规划局"]]
    assert [(p.date, p.text) for p in imported.progress] == [(date(2026, 10, 3), "完成招标")]


def test_the_round_given_for_a_name_the_records_use_keeps_its_level(ledger: Ledger) -> None:
    result = ledger.imports.import_records(
        [record("1", "专项督察"), record("2")], new_round=("专项督察", RoundLevel.CITY)
    )
    [info] = ledger.directory.list_rounds()
    assert (info.name, info.level, info.task_count) == ("专项督察", RoundLevel.CITY, 2)
    assert [(r.name, r.new, r.created) for r in result.rounds] == [("专项督察", True, 2)]
    assert result.created == ["反馈问题 1", "反馈问题 2"]  # one round: no round in the names


def test_records_without_a_round_need_one(ledger: Ledger) -> None:
    with pytest.raises(ValidationError, match="督察批次"):
        ledger.imports.import_records([record("1", CENTRAL), record("2")])
    round_id = ledger.directory.create_round(name=CENTRAL, level=RoundLevel.CENTRAL)
    with pytest.raises(ValidationError):
        ledger.imports.import_records([record("1")], round_id=round_id, new_round=("x", RoundLevel.CITY))
    with pytest.raises(ValidationError, match="已存在"):
        ledger.imports.import_records([record("1")], new_round=(CENTRAL, RoundLevel.CENTRAL))
    # Every record names its round: no default needed.
    assert ledger.imports.import_records([record("1", CENTRAL)]).rounds[0].created == 1


def test_a_dry_run_of_several_rounds_leaves_the_ledger_as_it_was(ledger: Ledger) -> None:
    result = ledger.imports.import_records([record("1", CENTRAL), record("1", PROVINCIAL)], dry_run=True)
    assert result.dry_run and len(result.created) == 2 and result.rounds_created == [CENTRAL, PROVINCIAL]
    assert ledger.directory.list_rounds() == [] and ledger.queries.list_tasks(TaskFilter()) == []


def test_the_same_seq_twice_in_one_round_is_refused_whole(ledger: Ledger) -> None:
    with pytest.raises(ValidationError, match="出现了两次"):
        ledger.imports.import_records([record("1", CENTRAL), record("1", PROVINCIAL), record("1", CENTRAL)])
    assert ledger.directory.list_rounds() == []  # all or nothing: not even the rounds


def test_reimport_reports_per_round_and_missing_tasks_in_counting_order(ledger: Ledger) -> None:
    seqs = ["1", "2", "3", "10", "11", "2-1"]
    first = [record(s, CENTRAL) for s in seqs] + [record("1", CENTRAL, ProblemKind.PETITION)]
    first += [record("1", PROVINCIAL)]
    ledger.imports.import_records(first)
    later = [record("1", CENTRAL, progress=[ProgressRecord(date(2026, 11, 2), "已完工")])]
    later += [record("1", PROVINCIAL)]
    result = ledger.imports.import_records(later, source="v2.xlsx")
    assert [(r.name, r.created, r.changed, r.unchanged, r.missing) for r in result.rounds] == [
        (CENTRAL, 0, 1, 0, 6),
        (PROVINCIAL, 0, 0, 1, 0),
    ]
    assert result.changed == [(f"{CENTRAL} 反馈问题 1", ["整改进展"])]
    # By section, then 序号 as a person counts (not "10" before "2").
    assert result.missing == [f"{CENTRAL} 反馈问题 {s}" for s in ["2", "2-1", "3", "10", "11"]] + [
        f"{CENTRAL} 交办信访件 1"
    ]


def test_reimporting_the_same_records_changes_nothing(ledger: Ledger) -> None:
    records = [record(str(n), CENTRAL) for n in range(1, 30)]
    ledger.imports.import_records(records)
    before = ledger.records.task_records()
    result = ledger.imports.import_records(records)
    assert (result.created, result.changed, result.unchanged) == ([], [], len(records))
    assert ledger.records.task_records() == before


def test_a_later_file_updates_who_answers_for_a_task(ledger: Ledger) -> None:
    first = [record("1", CENTRAL, contact="张三", contact_phone="13900001111"), record("2", CENTRAL)]
    ledger.imports.import_records(first)
    later = [record("1", CENTRAL, contact="李四", contact_phone=""), record("2", CENTRAL, contact="王五")]
    dry = ledger.imports.import_records(later, dry_run=True)
    assert dry.changed == [("反馈问题 1", ["责任人"]), ("反馈问题 2", ["责任人"])]
    ledger.imports.import_records(later)
    # An empty cell in the later file never blanks what the ledger has.
    assert [(t.seq, t.contact, t.contact_phone) for t in ledger.records.task_records()] == [
        ("1", "李四", "13900001111"),
        ("2", "王五", ""),
    ]


@pytest.mark.parametrize(
    ("title", "name", "level"),
    [
        (
            "青溪区第二轮中央生态环境保护督察反馈问题整改落实情况台账",
            "第二轮中央生态环境保护督察",
            RoundLevel.CENTRAL,
        ),
        (
            "青溪区2024年市级生态环境保护督察回头看反馈问题整改台账",
            "2024年市级生态环境保护督察回头看",
            RoundLevel.CITY,
        ),
        ("整改落实情况台账", "", RoundLevel.DISTRICT),
    ],
)
def test_a_new_round_is_named_from_the_title(title: str, name: str, level: RoundLevel) -> None:
    plan = ImportPlan("f.xlsx", "xlsx", "台账", [], [2], [], [], [], [], title=title, preamble=[title])
    assert guess_new_round(plan) == (name, level)
