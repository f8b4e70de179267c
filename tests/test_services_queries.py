"""The task list: filters, text search (two-character Chinese words included) and statistics."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from ledger_app.domain.model import ProblemKind, RoundLevel, ScheduleFlag, TaskStatus
from ledger_app.services import Ledger, TaskFilter

K, S, F = ProblemKind, TaskStatus, ScheduleFlag
TODAY = date(2026, 5, 1)


@dataclass
class Sample:
    ledger: Ledger
    central: int
    provincial: int
    ids: dict[str, int]


def _walk(ledger: Ledger, task_id: int, target: TaskStatus) -> None:
    """Take a task along the lifecycle to ``target`` with the records each step needs."""
    steps = [S.IN_PROGRESS, S.COMPLETED, S.ACCEPTED, S.PUBLIC_NOTICE, S.CLOSED]
    for step in steps[: steps.index(target) + 1]:
        if step is S.ACCEPTED:
            ledger.lifecycle.record_acceptance(task_id, accepted_on=date(2026, 3, 1), unit="区生态环境局")
        if step is S.PUBLIC_NOTICE:
            ledger.lifecycle.record_public_notice(task_id, start=date(2026, 3, 2), end=date(2026, 3, 8))
        if step is S.CLOSED:
            ledger.lifecycle.close_out(task_id, closed_on=date(2026, 3, 9))
        else:
            ledger.lifecycle.transition(task_id, step)


def _build(ledger: Ledger) -> Sample:
    central = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
    provincial = ledger.directory.create_round(name="第二轮省生态环境保护督察", level=RoundLevel.PROVINCIAL)
    ids: dict[str, int] = {}
    ids["sewage"] = ledger.tasks.create_task(
        round_id=central, kind=K.SPECIFIC, seq="1", description="城区污水处理厂长期超负荷运行,PM2.5与异味扰民。",
        deadline="2026年5月10日", lead_units=["区住建局"], cooperating_units=["城关街道"],
    )  # fmt: skip
    ledger.tasks.add_measure(ids["sewage"], text="实施雨污分流改造,由彭红同志牵头督办。")
    ledger.tasks.add_progress(ids["sewage"], entry_date=date(2026, 4, 25), text="完成管网排查12公里。")
    ids["dust"] = ledger.tasks.create_task(
        round_id=central, kind=K.COMMON, seq="2", description="建筑工地扬尘管控措施落实不到位。",
        deadline="立行立改、长期坚持", lead_units=["区城管局"], cooperating_units=["区住建局"],
    )  # fmt: skip
    ledger.tasks.add_progress(ids["dust"], entry_date=date(2026, 4, 20), text="彭红带队检查工地18处。")
    ids["noise"] = ledger.tasks.create_task(
        round_id=central, kind=K.PETITION, seq="1", description="群众反映夜间施工噪声扰民。",
        deadline="2026年1月底前", responsible_units=["城关街道"], supervising_units=["区水利局"],
    )  # fmt: skip
    ids["mine"] = ledger.tasks.create_task(
        round_id=provincial, kind=K.SPECIFIC, seq="1", description="历史遗留矿山生态修复进度缓慢。",
        deadline="2025年底前", lead_units=["区自然资源和规划局"], supervising_units=["区委督查室"],
    )  # fmt: skip
    ids["water"] = ledger.tasks.create_task(
        round_id=provincial, kind=K.SELF_CHECK, seq="1", description="饮用水水源保护区内仍有违规建筑。",
        deadline="2026年12月底前", lead_units=["区水利局"], leader="曾勇(副区长)",
    )  # fmt: skip
    ids["trash"] = ledger.tasks.create_task(
        round_id=provincial, kind=K.SPECIFIC, seq="2", description="彭红反映的问题(误录,已删除)。",
        lead_units=["区住建局"],
    )  # fmt: skip
    ledger.tasks.delete_task(ids["trash"])
    _walk(ledger, ids["sewage"], S.IN_PROGRESS)
    _walk(ledger, ids["noise"], S.IN_PROGRESS)
    _walk(ledger, ids["mine"], S.CLOSED)
    _walk(ledger, ids["water"], S.COMPLETED)
    return Sample(ledger, central, provincial, ids)


@pytest.fixture(scope="module")
def sample_template(template_ledger: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Sample]:
    """Built once (a few dozen committed changes); each test gets its own copy of the file."""
    path = tmp_path_factory.mktemp("queries") / "sample.sqlite3"
    shutil.copyfile(template_ledger, path)
    with Ledger.open(path, actor="测试员") as ledger:
        return path, _build(ledger)


@pytest.fixture
def sample(sample_template: tuple[Path, Sample], tmp_path: Path) -> Iterator[Sample]:
    source, built = sample_template
    path = tmp_path / "sample.sqlite3"
    shutil.copyfile(source, path)
    with Ledger.open(path, actor="测试员") as ledger:
        yield Sample(ledger, built.central, built.provincial, built.ids)


def found(sample: Sample, flt: TaskFilter) -> set[str]:
    names = {v: k for k, v in sample.ids.items()}
    return {names[row.id] for row in sample.ledger.queries.list_tasks(flt, today=TODAY)}


def test_list_all_in_ledger_order_with_flags(sample: Sample) -> None:
    rows = sample.ledger.queries.list_tasks(today=TODAY)
    names = {v: k for k, v in sample.ids.items()}
    assert [(names[r.id], r.seq, r.status, r.schedule) for r in rows] == [
        ("sewage", "1", S.IN_PROGRESS, F.DUE_SOON),
        ("dust", "2", S.NOT_STARTED, F.LONG_TERM),
        ("noise", "1", S.IN_PROGRESS, F.LAGGING),
        ("mine", "1", S.CLOSED, None),
        ("water", "1", S.COMPLETED, None),
    ]
    assert [r.latest_progress for r in rows[:3]] == [date(2026, 4, 25), date(2026, 4, 20), None]
    assert rows[0].summary == "城区污水处理厂长期超负荷运行,PM2.5与异味扰民。"
    assert rows[2].round_name == "第二轮中央生态环境保护督察"


def test_the_flags_depend_on_the_day(sample: Sample) -> None:
    rows = {r.id: r.schedule for r in sample.ledger.queries.list_tasks(today=date(2026, 5, 11))}
    assert rows[sample.ids["sewage"]] is F.LAGGING
    rows = {r.id: r.schedule for r in sample.ledger.queries.list_tasks(today=date(2026, 4, 1))}
    assert rows[sample.ids["sewage"]] is F.ON_SCHEDULE


def test_warning_window_comes_from_the_settings(sample: Sample) -> None:
    sample.ledger.settings.update(warning_days=5)
    rows = {r.id: r.schedule for r in sample.ledger.queries.list_tasks(today=TODAY)}
    assert rows[sample.ids["sewage"]] is F.ON_SCHEDULE


@pytest.mark.parametrize("bad", [True, -1, 366, "15", 7.5])
def test_a_bad_warning_window_is_refused_and_the_ledger_stays_readable(sample: Sample, bad: object) -> None:
    from ledger_app.domain.errors import ValidationError

    with pytest.raises(ValidationError) as refused:
        sample.ledger.settings.update(warning_days=bad)
    assert refused.value.message_zh == "临期提醒天数应为 0 到 365 之间的整数。"
    assert sample.ledger.settings.current().warning_days == 15
    assert len(sample.ledger.queries.list_tasks(today=TODAY)) == 5


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (TaskFilter(), {"sewage", "dust", "noise", "mine", "water"}),
        (TaskFilter(kind=K.SPECIFIC), {"sewage", "mine"}),
        (TaskFilter(kind=K.PETITION), {"noise"}),
        (TaskFilter(status=S.IN_PROGRESS), {"sewage", "noise"}),
        (TaskFilter(status=S.CLOSED), {"mine"}),
        (TaskFilter(schedule=F.LAGGING), {"noise"}),
        (TaskFilter(schedule=F.DUE_SOON), {"sewage"}),
        (TaskFilter(schedule=F.LONG_TERM), {"dust"}),
        (TaskFilter(schedule=F.ON_SCHEDULE), set()),
        # A unit in any role but 督导: lead, responsible or cooperating.
        (TaskFilter(unit="区住建局"), {"sewage", "dust"}),
        (TaskFilter(unit="城关街道"), {"sewage", "noise"}),
        (TaskFilter(unit="区水利局"), {"water"}),  # its 督导 link on "noise" does not count
        (TaskFilter(unit="区委督查室"), set()),
        (TaskFilter(unit="区住建局", status=S.NOT_STARTED), {"dust"}),
    ],
)
def test_filters(sample: Sample, flt: TaskFilter, expected: set[str]) -> None:
    assert found(sample, flt) == expected


def test_filter_by_round(sample: Sample) -> None:
    assert found(sample, TaskFilter(round_id=sample.central)) == {"sewage", "dust", "noise"}
    assert found(sample, TaskFilter(round_id=sample.provincial)) == {"mine", "water"}
    assert found(sample, TaskFilter(round_id=sample.provincial, kind=K.SELF_CHECK)) == {"water"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "彭红",
            {"sewage", "dust"},
        ),  # two characters: in a measure, in a progress entry; not the trashed task
        ("噪声", {"noise"}),  # description
        ("管网排查", {"sewage"}),  # progress
        ("雨污分流", {"sewage"}),  # measure
        ("城管", {"dust"}),  # a unit's name
        ("水利", {"noise", "water"}),  # unit names, 督导 included
        ("曾勇", {"water"}),  # leader
        ("长期坚持", {"dust"}),  # deadline text
        ("彭红 工地", {"dust"}),  # every word must be found
        ("彭红  城关", {"sewage"}),  # words in different places of one task
        ("彭红\u3000工地", {"dust"}),  # ideographic space separates words too
        ("pm2.5", {"sewage"}),  # ASCII, any case
        ("不存在的词", set()),
        ("彭红 不存在", set()),
        ("%", set()),  # LIKE wildcards are plain characters
        ("_", set()),
    ],
)
def test_text_search(sample: Sample, text: str, expected: set[str]) -> None:
    assert found(sample, TaskFilter(text=text)) == expected


def test_text_search_combines_with_filters(sample: Sample) -> None:
    assert found(sample, TaskFilter(text="彭红", kind=K.COMMON)) == {"dust"}
    assert found(sample, TaskFilter(text="彭红", schedule=F.DUE_SOON)) == {"sewage"}
    assert found(sample, TaskFilter(text="  ")) == found(sample, TaskFilter())


def test_search_texts_one_lower_cased_text_per_live_task(sample: Sample) -> None:
    texts = sample.ledger.queries.search_texts()
    assert set(texts) == {sample.ids[k] for k in ("sewage", "dust", "noise", "mine", "water")}
    sewage = texts[sample.ids["sewage"]]
    for part in (
        "城区污水处理厂",
        "pm2.5",
        "彭红同志",
        "完成管网排查",
        "区住建局",
        "城关街道",
        "2026年5月10日",
    ):
        assert part in sewage
    assert "PM2.5" not in sewage
    assert "区水利局" in texts[sample.ids["noise"]]
    # The in-memory search agrees with the database search.
    for word in ("彭红", "水利", "噪声", "城关", "2026"):
        by_memory = {pid for pid, text in texts.items() if word in text}
        assert by_memory == {r.id for r in sample.ledger.queries.list_tasks(TaskFilter(text=word))}, word


def test_stats_equal_the_hand_count(sample: Sample) -> None:
    stats = sample.ledger.queries.stats(today=TODAY)
    t = stats.total
    assert (t.total, t.completed, t.closed, t.open) == (5, 2, 1, 3)
    assert (t.on_schedule, t.due_soon, t.lagging, t.long_term) == (0, 1, 1, 1)
    assert dict(stats.by_status) == {S.IN_PROGRESS: 2, S.NOT_STARTED: 1, S.CLOSED: 1, S.COMPLETED: 1}
    assert dict(stats.by_schedule) == {F.DUE_SOON: 1, F.LAGGING: 1, F.LONG_TERM: 1}
    central, provincial = (
        stats.by_round["第二轮中央生态环境保护督察"],
        stats.by_round["第二轮省生态环境保护督察"],
    )
    assert (central.total, central.completed, central.lagging) == (3, 0, 1)
    assert (provincial.total, provincial.completed, provincial.closed) == (2, 2, 1)
    # By main unit: the lead units, else the responsible ones.
    assert {u: x.total for u, x in stats.by_unit.items()} == {
        "区住建局": 1,
        "区城管局": 1,
        "城关街道": 1,
        "区自然资源和规划局": 1,
        "区水利局": 1,
    }
    assert stats.by_unit["城关街道"].lagging == 1
    assert t.rectification_rate == 0.4 and t.close_out_rate == 0.2


def test_stats_of_a_filtered_list(sample: Sample) -> None:
    stats = sample.ledger.queries.stats(TaskFilter(round_id=sample.provincial), today=TODAY)
    assert (stats.total.total, stats.total.completed, stats.total.closed) == (2, 2, 1)
    assert list(stats.by_round) == ["第二轮省生态环境保护督察"]


def test_empty_ledger(ledger: Ledger) -> None:
    assert ledger.queries.list_tasks() == []
    assert ledger.queries.list_tasks(TaskFilter(text="彭红")) == []
    assert ledger.queries.search_texts() == {}
    assert ledger.queries.stats().total.total == 0


def test_demo_search_agrees_with_a_plain_scan(demo_ledger: Ledger) -> None:
    texts = demo_ledger.queries.search_texts()
    assert len(texts) == 120
    for word in ("彭红", "污水处理厂", "立行立改", "区住建局"):
        expected = {pid for pid, text in texts.items() if word in text}
        assert expected, word
        assert {r.id for r in demo_ledger.queries.list_tasks(TaskFilter(text=word))} == expected, word
