"""Tasks, measures, progress, rounds and units through the Ledger facade."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from ledger_app.domain.deadlines import parse_deadline
from ledger_app.domain.errors import NotFoundError, ValidationError
from ledger_app.domain.model import ProblemKind, RoundLevel, TaskStatus, UnitRole
from ledger_app.services import Ledger
from ledger_app.store import models as m

K = ProblemKind
TODAY = date(2026, 5, 1)


@pytest.fixture
def round_id(ledger: Ledger) -> int:
    return ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)


def positions(ledger: Ledger, task_id: int) -> list[tuple[int, str]]:
    with ledger.reading() as session:
        return list(
            session.execute(
                select(m.Measure.position, m.Measure.text)
                .where(m.Measure.problem_id == task_id)
                .order_by(m.Measure.position)
            ).all()
        )


# -- tasks -------------------------------------------------------------------------------------------
def test_create_task_keeps_every_field(ledger: Ledger, round_id: int) -> None:
    task_id = ledger.tasks.create_task(
        round_id=round_id,
        kind=K.SPECIFIC,
        seq="3",
        description="  城区污水处理厂超负荷运行,出水氨氮超标。\n雨污分流改造滞后。  ",
        deadline="2026年6月底前",
        lead_units=["区住建局", " 区水利局 "],
        responsible_units=["城关街道"],
        cooperating_units=["区生态环境局"],
        supervising_units=["区委督查室", "区政府督查室"],
        leader="王建国(副区长)",
        contact="李明",
        contact_phone="0731-88880000",
        goal="出水稳定达标",
        note="重点",
    )
    record = ledger.records.task_record(task_id, today=TODAY)
    assert record.seq == "3"
    assert record.kind is K.SPECIFIC
    assert record.round_name == "第二轮中央生态环境保护督察"
    assert record.description == "城区污水处理厂超负荷运行,出水氨氮超标。\n雨污分流改造滞后。"
    assert record.deadline == parse_deadline("2026年6月底前")
    assert record.deadline.date == date(2026, 6, 30)
    assert record.lead_units == ["区住建局", "区水利局"]
    assert record.responsible_units == ["城关街道"]
    assert record.cooperating_units == ["区生态环境局"]
    assert record.supervising_units == ["区委督查室", "区政府督查室"]
    assert (record.leader, record.contact, record.contact_phone) == (
        "王建国(副区长)",
        "李明",
        "0731-88880000",
    )
    assert (record.goal, record.note) == ("出水稳定达标", "重点")
    assert record.status is TaskStatus.NOT_STARTED
    assert record.main_units == ["区住建局", "区水利局"]
    assert record.all_units == ["区住建局", "区水利局", "城关街道", "区生态环境局"]


def test_create_task_refuses_bad_input(ledger: Ledger, round_id: int) -> None:
    with pytest.raises(ValidationError, match="问题描述不能为空"):
        ledger.tasks.create_task(round_id=round_id, kind=K.SPECIFIC, description="  \n ")
    with pytest.raises(ValidationError, match="未知的字段:colour"):
        ledger.tasks.create_task(round_id=round_id, kind=K.SPECIFIC, description="x", colour="red")
    with pytest.raises(NotFoundError, match="督察批次不存在"):
        ledger.tasks.create_task(round_id=round_id + 99, kind=K.SPECIFIC, description="x", seq="1")
    assert ledger.tasks.count_tasks() == 0


def test_seq_is_unique_within_a_section_of_a_round(ledger: Ledger, round_id: int) -> None:
    ledger.tasks.create_task(round_id=round_id, kind=K.SPECIFIC, description="反馈问题一", seq=1)
    # 个性 and 共性 problems share the 反馈问题 numbering.
    with pytest.raises(ValidationError) as refused:
        ledger.tasks.create_task(round_id=round_id, kind=K.COMMON, description="共性问题", seq="1")
    assert refused.value.message_zh == "本批次的反馈问题中已有序号 1 的任务。"
    # Excel hands 序号 over as 1.0: the same number.
    with pytest.raises(ValidationError):
        ledger.tasks.create_task(round_id=round_id, kind=K.SPECIFIC, description="x", seq="1.0")
    # 交办信访件 1 and 自查问题 1 in the same round are fine, and so is 反馈问题 1 of another round.
    ledger.tasks.create_task(round_id=round_id, kind=K.PETITION, description="信访件一", seq="1")
    ledger.tasks.create_task(round_id=round_id, kind=K.SELF_CHECK, description="自查一", seq="1")
    other = ledger.directory.create_round(name="第二轮省生态环境保护督察", level=RoundLevel.PROVINCIAL)
    ledger.tasks.create_task(round_id=other, kind=K.SPECIFIC, description="省反馈一", seq="1")
    seen = {(t.round_id, t.kind, t.seq) for t in ledger.queries.list_tasks()}
    assert seen == {
        (round_id, K.SPECIFIC, "1"),
        (round_id, K.PETITION, "1"),
        (round_id, K.SELF_CHECK, "1"),
        (other, K.SPECIFIC, "1"),
    }


def test_next_seq_follows_the_section(ledger: Ledger, round_id: int) -> None:
    assert ledger.tasks.next_seq(round_id, K.SPECIFIC) == "1"
    ledger.tasks.create_task(round_id=round_id, kind=K.SPECIFIC, description="a", seq="7")
    ledger.tasks.create_task(round_id=round_id, kind=K.COMMON, description="b", seq="3-1")
    assert ledger.tasks.next_seq(round_id, K.COMMON) == "8"
    assert ledger.tasks.next_seq(round_id, K.PETITION) == "1"
    auto = ledger.tasks.create_task(round_id=round_id, kind=K.SPECIFIC, description="c")
    assert ledger.records.task_record(auto).seq == "8"


def test_list_tasks_counts_seq_naturally(ledger: Ledger, round_id: int) -> None:
    for seq in ["10", "2", "1", "3-1", "3", "11", "9"]:
        ledger.tasks.create_task(round_id=round_id, kind=K.SPECIFIC, description=f"问题{seq}", seq=seq)
    ledger.tasks.create_task(round_id=round_id, kind=K.PETITION, description="信访件", seq="1")
    assert [t.seq for t in ledger.queries.list_tasks()] == ["1", "2", "3", "3-1", "9", "10", "11", "1"]
    assert [t.seq for t in ledger.records.task_records()] == ["1", "2", "3", "3-1", "9", "10", "11", "1"]


def test_update_task_changes_fields_and_units(ledger: Ledger, round_id: int) -> None:
    task_id = ledger.tasks.create_task(
        round_id=round_id, kind=K.SPECIFIC, description="旧", seq="1", lead_units=["区住建局", "区水利局"]
    )
    ledger.tasks.create_task(round_id=round_id, kind=K.SPECIFIC, description="另一个", seq="2")
    ledger.tasks.update_task(
        task_id,
        description=" 新的描述 ",
        deadline="长期坚持",
        lead_units=["区水利局", "区城管局"],
        cooperating_units=["区住建局"],
        kind=K.COMMON,
    )
    record = ledger.records.task_record(task_id, today=TODAY)
    assert record.description == "新的描述"
    assert record.deadline.long_term and record.deadline.text == "长期坚持"
    assert record.lead_units == ["区水利局", "区城管局"]
    assert record.cooperating_units == ["区住建局"]
    assert record.kind is K.COMMON
    with pytest.raises(ValidationError, match="已有序号 2"):
        ledger.tasks.update_task(task_id, seq="2")
    with pytest.raises(ValidationError, match="问题描述不能为空"):
        ledger.tasks.update_task(task_id, description="")
    with pytest.raises(ValidationError, match="未知的字段"):
        ledger.tasks.update_task(task_id, status="closed")
    assert ledger.records.task_record(task_id).seq == "1"


def test_unit_links_by_role(ledger: Ledger, round_id: int) -> None:
    task_id = ledger.tasks.create_task(
        round_id=round_id,
        kind=K.SPECIFIC,
        description="x",
        lead_units=["区住建局"],
        responsible_units=["城关街道", "东城街道"],
        cooperating_units=["区住建局"],  # one unit may hold two roles
        supervising_units=["区委督查室"],
    )
    (row,) = ledger.queries.list_tasks()
    assert row.units == {
        UnitRole.LEAD: ["区住建局"],
        UnitRole.RESPONSIBLE: ["城关街道", "东城街道"],
        UnitRole.COOPERATING: ["区住建局"],
        UnitRole.SUPERVISING: ["区委督查室"],
    }
    assert row.main_units == ["区住建局"]
    assert row.all_units == ["区住建局", "城关街道", "东城街道"]
    # The directory holds each unit once, however many links.
    assert [(u.name, u.task_count) for u in ledger.directory.list_units()] == sorted(
        [("区住建局", 1), ("城关街道", 1), ("东城街道", 1), ("区委督查室", 1)]
    )
    ledger.tasks.update_task(task_id, lead_units=[])
    (row,) = ledger.queries.list_tasks()
    assert UnitRole.LEAD not in row.units
    assert row.main_units == ["城关街道", "东城街道"]


def test_delete_and_restore(ledger: Ledger, round_id: int) -> None:
    task_id = ledger.tasks.create_task(round_id=round_id, kind=K.SPECIFIC, description="x", seq="1")
    ledger.tasks.delete_task(task_id)
    assert ledger.queries.list_tasks() == []
    assert [t.id for t in ledger.queries.list_tasks(deleted=True)] == [task_id]
    assert ledger.tasks.count_tasks() == 0
    with pytest.raises(NotFoundError):
        ledger.records.task_record(task_id)
    with pytest.raises(NotFoundError):
        ledger.tasks.update_task(task_id, description="y")
    # The trash frees the number; restoring into a taken number is refused.
    other = ledger.tasks.create_task(round_id=round_id, kind=K.SPECIFIC, description="新的一号", seq="1")
    with pytest.raises(ValidationError, match="已有序号 1"):
        ledger.tasks.restore_task(task_id)
    ledger.tasks.update_task(other, seq="2")
    ledger.tasks.restore_task(task_id)
    assert [t.seq for t in ledger.queries.list_tasks()] == ["1", "2"]
    assert ledger.queries.list_tasks(deleted=True) == []


# -- measures ---------------------------------------------------------------------------------------
def test_measures_keep_positions_one_to_n(ledger: Ledger, round_id: int) -> None:
    task_id = ledger.tasks.create_task(round_id=round_id, kind=K.SPECIFIC, description="x")
    a = ledger.tasks.add_measure(task_id, text="甲", lead_units=["区住建局"], deadline="2026年底前")
    b = ledger.tasks.add_measure(task_id, text="乙")
    c = ledger.tasks.add_measure(task_id, text="丙", position=0)
    assert positions(ledger, task_id) == [(1, "丙"), (2, "甲"), (3, "乙")]
    ledger.tasks.move_measure(c, 3)
    assert positions(ledger, task_id) == [(1, "甲"), (2, "乙"), (3, "丙")]
    ledger.tasks.move_measure(b, 1)
    assert positions(ledger, task_id) == [(1, "乙"), (2, "甲"), (3, "丙")]
    ledger.tasks.move_measure(b, 99)
    assert positions(ledger, task_id) == [(1, "甲"), (2, "丙"), (3, "乙")]
    ledger.tasks.delete_measure(a)
    assert positions(ledger, task_id) == [(1, "丙"), (2, "乙")]
    record = ledger.records.task_record(task_id)
    assert [(ms.seq, ms.text) for ms in record.measures] == [(1, "丙"), (2, "乙")]


def test_measure_units_and_deadline(ledger: Ledger, round_id: int) -> None:
    task_id = ledger.tasks.create_task(round_id=round_id, kind=K.SPECIFIC, description="x")
    mid = ledger.tasks.add_measure(
        task_id,
        text="完成管网改造",
        lead_units=["区住建局"],
        cooperating_units=["城关街道"],
        deadline="2026.6.30",
    )
    ledger.tasks.update_measure(mid, text="完成管网改造(二期)", cooperating_units=["城关街道", "东城街道"])
    (measure,) = ledger.records.task_record(task_id).measures
    assert measure.text == "完成管网改造(二期)"
    assert measure.lead_units == ["区住建局"]
    assert measure.cooperating_units == ["城关街道", "东城街道"]
    assert measure.deadline.date == date(2026, 6, 30) and measure.deadline.text == "2026.6.30"
    with pytest.raises(ValidationError, match="整改措施内容不能为空"):
        ledger.tasks.update_measure(mid, text=" ")
    with pytest.raises(ValidationError, match="整改措施内容不能为空"):
        ledger.tasks.add_measure(task_id, text="")
    with pytest.raises(NotFoundError):
        ledger.tasks.update_measure(mid + 100, text="x")


# -- progress -----------------------------------------------------------------------------------------
def test_progress_add_edit_delete(ledger: Ledger, round_id: int) -> None:
    task_id = ledger.tasks.create_task(round_id=round_id, kind=K.SPECIFIC, description="x")
    later = ledger.tasks.add_progress(
        task_id, entry_date=date(2026, 4, 25), text="完成60%", percent=60, reporter="李明"
    )
    first = ledger.tasks.add_progress(task_id, entry_date=date(2026, 3, 25), text=" 完成30% ", percent=30)
    progress = ledger.records.task_record(task_id).progress
    assert [(p.date, p.text, p.percent, p.id) for p in progress] == [
        (date(2026, 3, 25), "完成30%", 30, first),
        (date(2026, 4, 25), "完成60%", 60, later),
    ]
    assert progress[1].reporter == "李明"
    (row,) = ledger.queries.list_tasks()
    assert row.latest_progress == date(2026, 4, 25)
    ledger.tasks.update_progress(first, text="完成35%", percent=35, entry_date=date(2026, 5, 20))
    assert [(p.date, p.percent) for p in ledger.records.task_record(task_id).progress] == [
        (date(2026, 4, 25), 60),
        (date(2026, 5, 20), 35),
    ]
    ledger.tasks.delete_progress(later)
    assert [p.id for p in ledger.records.task_record(task_id).progress] == [first]
    with pytest.raises(NotFoundError):
        ledger.tasks.delete_progress(later)


@pytest.mark.parametrize("percent", [-1, 101, 250])
def test_progress_percent_is_0_to_100(ledger: Ledger, round_id: int, percent: int) -> None:
    task_id = ledger.tasks.create_task(round_id=round_id, kind=K.SPECIFIC, description="x")
    with pytest.raises(ValidationError) as refused:
        ledger.tasks.add_progress(task_id, entry_date=date(2026, 3, 1), text="x", percent=percent)
    assert refused.value.message_zh == "完成百分比应在 0 到 100 之间。"
    ok = ledger.tasks.add_progress(task_id, entry_date=date(2026, 3, 1), text="x", percent=100)
    with pytest.raises(ValidationError):
        ledger.tasks.update_progress(ok, percent=percent)
    ledger.tasks.add_progress(task_id, entry_date=date(2026, 3, 1), text="y", percent=0)
    ledger.tasks.add_progress(task_id, entry_date=date(2026, 3, 1), text="z", percent=None)
    assert [p.percent for p in ledger.records.task_record(task_id).progress] == [100, 0, None]


def test_progress_refuses_empty_text_and_far_future_dates(ledger: Ledger, round_id: int) -> None:
    task_id = ledger.tasks.create_task(round_id=round_id, kind=K.SPECIFIC, description="x")
    with pytest.raises(ValidationError, match="进展内容不能为空"):
        ledger.tasks.add_progress(task_id, entry_date=date(2026, 3, 1), text=" ")
    with pytest.raises(ValidationError, match="进展日期太靠后"):
        ledger.tasks.add_progress(task_id, entry_date=date.today() + timedelta(days=400), text="x")
    ledger.tasks.add_progress(
        task_id, entry_date=date.today() + timedelta(days=30), text="计划", confirm_future=True
    )
    assert len(ledger.records.task_record(task_id).progress) == 1


def test_progress_date_check_works_on_29_february(
    ledger: Ledger, round_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ledger_app.services.tasks as tasks

    class LeapDay(date):
        @classmethod
        def today(cls) -> date:  # type: ignore[override]
            return date(2028, 2, 29)

    monkeypatch.setattr(tasks, "date", LeapDay)
    task_id = ledger.tasks.create_task(round_id=round_id, kind=K.SPECIFIC, description="x")
    ledger.tasks.add_progress(task_id, entry_date=date(2028, 2, 29), text="闰日填报")
    with pytest.raises(ValidationError, match="进展日期太靠后"):
        ledger.tasks.add_progress(task_id, entry_date=date(2029, 3, 2), text="x")


# -- rounds -------------------------------------------------------------------------------------------
def test_rounds_create_rename_delete(ledger: Ledger) -> None:
    first = ledger.directory.create_round(
        name=" 第二轮中央生态环境保护督察 ",
        level=RoundLevel.CENTRAL,
        on_site_start=date(2021, 4, 6),
        on_site_end=date(2021, 5, 6),
        feedback_date=date(2021, 7, 15),
        plan_document_no="宣委〔2023〕73号",
    )
    second = ledger.directory.create_round(name="区级自查", level=RoundLevel.DISTRICT)
    assert [(r.name, r.level, r.task_count) for r in ledger.directory.list_rounds()] == [
        ("第二轮中央生态环境保护督察", RoundLevel.CENTRAL, 0),
        ("区级自查", RoundLevel.DISTRICT, 0),
    ]
    info = ledger.directory.round_by_name("第二轮中央生态环境保护督察")
    assert (info.id, info.on_site_start, info.feedback_date, info.plan_document_no) == (
        first,
        date(2021, 4, 6),
        date(2021, 7, 15),
        "宣委〔2023〕73号",
    )
    with pytest.raises(ValidationError, match="已存在"):
        ledger.directory.create_round(name="区级自查", level=RoundLevel.DISTRICT)
    with pytest.raises(ValidationError, match="进驻结束日期早于开始日期"):
        ledger.directory.create_round(
            name="x", level=RoundLevel.CITY, on_site_start=date(2021, 5, 1), on_site_end=date(2021, 4, 1)
        )
    task_id = ledger.tasks.create_task(round_id=second, kind=K.SELF_CHECK, description="自查发现")
    ledger.directory.update_round(second, name="区级生态环境保护督察", level=RoundLevel.DISTRICT)
    assert ledger.records.task_record(task_id).round_name == "区级生态环境保护督察"  # tasks follow
    with pytest.raises(ValidationError, match="已存在"):
        ledger.directory.update_round(second, name="第二轮中央生态环境保护督察")
    with pytest.raises(ValidationError, match="下还有 1 项任务"):
        ledger.directory.delete_round(second)
    ledger.tasks.delete_task(task_id)
    with pytest.raises(ValidationError, match="含已删除的"):
        ledger.directory.delete_round(second)  # the trash still holds it
    ledger.directory.delete_round(first)
    assert [r.name for r in ledger.directory.list_rounds()] == ["区级生态环境保护督察"]
    with pytest.raises(NotFoundError, match="没有督察批次「第二轮中央生态环境保护督察」"):
        ledger.directory.round_by_name("第二轮中央生态环境保护督察")


# -- units --------------------------------------------------------------------------------------------
def test_rename_unit_is_followed_by_every_task_and_measure(ledger: Ledger, round_id: int) -> None:
    t1 = ledger.tasks.create_task(
        round_id=round_id, kind=K.SPECIFIC, description="a", lead_units=["区环保局"]
    )
    t2 = ledger.tasks.create_task(
        round_id=round_id, kind=K.SPECIFIC, description="b", cooperating_units=["区环保局"]
    )
    ledger.tasks.add_measure(t2, text="m", lead_units=["区环保局"])
    (unit,) = ledger.directory.list_units()
    ledger.directory.rename_unit(unit.id, "区生态环境局")
    assert ledger.records.task_record(t1).lead_units == ["区生态环境局"]
    assert ledger.records.task_record(t2).cooperating_units == ["区生态环境局"]
    assert ledger.records.task_record(t2).measures[0].lead_units == ["区生态环境局"]
    assert [(u.name, u.task_count) for u in ledger.directory.list_units()] == [("区生态环境局", 2)]
    other = ledger.directory.create_unit("区住建局")
    with pytest.raises(ValidationError, match="请使用“合并”"):
        ledger.directory.rename_unit(other, "区生态环境局")
    with pytest.raises(ValidationError, match="已在单位名录中"):
        ledger.directory.create_unit(" 区住建局 ")


def test_merge_units_moves_links_and_collapses_duplicates(ledger: Ledger, round_id: int) -> None:
    both = ledger.tasks.create_task(
        round_id=round_id, kind=K.SPECIFIC, description="a", lead_units=["区环保局", "区生态环境局"]
    )
    old_only = ledger.tasks.create_task(
        round_id=round_id,
        kind=K.SPECIFIC,
        description="b",
        lead_units=["区环保局"],
        cooperating_units=["区水利局"],
    )
    mid = ledger.tasks.add_measure(
        old_only, text="m", lead_units=["区环保局"], cooperating_units=["区生态环境局"]
    )
    units = {u.name: u.id for u in ledger.directory.list_units()}
    ledger.directory.merge_units(units["区环保局"], units["区生态环境局"])
    assert ledger.records.task_record(both).lead_units == ["区生态环境局"]
    assert ledger.records.task_record(old_only).lead_units == ["区生态环境局"]
    assert ledger.records.task_record(old_only).cooperating_units == ["区水利局"]
    (measure,) = ledger.records.task_record(old_only).measures
    assert measure.id == mid
    assert (measure.lead_units, measure.cooperating_units) == (["区生态环境局"], ["区生态环境局"])
    assert [(u.name, u.task_count) for u in ledger.directory.list_units()] == [
        ("区水利局", 1),
        ("区生态环境局", 2),
    ]
    with pytest.raises(ValidationError, match="不能把单位合并到它自己"):
        ledger.directory.merge_units(units["区水利局"], units["区水利局"])
    with pytest.raises(NotFoundError):
        ledger.directory.merge_units(units["区环保局"], units["区水利局"])


def test_delete_unit_is_refused_while_used(ledger: Ledger, round_id: int) -> None:
    task_id = ledger.tasks.create_task(
        round_id=round_id, kind=K.SPECIFIC, description="a", lead_units=["区住建局"]
    )
    mid = ledger.tasks.add_measure(task_id, text="m", lead_units=["区住建局"])
    (unit,) = ledger.directory.list_units()
    with pytest.raises(ValidationError) as refused:
        ledger.directory.delete_unit(unit.id)
    assert refused.value.message_zh == "单位「区住建局」仍被 2 处任务或措施引用,不能删除;可以合并到其他单位。"
    ledger.tasks.delete_measure(mid)
    ledger.tasks.update_task(task_id, lead_units=[])
    ledger.directory.delete_unit(unit.id)
    assert ledger.directory.list_units() == []
    with pytest.raises(NotFoundError):
        ledger.directory.delete_unit(unit.id)
