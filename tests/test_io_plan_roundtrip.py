"""Round trip: a plan written from a known set of tasks reads back into the same tasks, measures, units
and deadlines, whatever numbering, colons, label order, blank lines and page furniture it is written with."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger_app.io.plan import read_plan_text
from tests.plan_factory import PlanMeasure, PlanTask, fields_plan, inline_plan

PHRASES = [
    "县城污水处理厂超负荷运行", "部分时段出水氨氮超标", "雨污分流改造进度滞后", "矿山生态修复不到位",
    "秸秆露天焚烧时有发生", "工地扬尘管控不严", "入河排污口底数不清", "黑臭水体出现反弹",
    "畜禽养殖污染治理滞后", "垃圾填埋场渗滤液处理不到位", "饮用水水源地保护区内仍有违规建筑",
]  # fmt: skip
ACTIONS = [
    "开展全面排查", "建立问题清单", "逐一销号整改", "加强日常监管", "依法查处违法行为", "完善长效机制",
    "加快工程建设进度", "落实河长制", "开展专项执法检查", "强化资金保障",
]  # fmt: skip
UNITS = [
    "县住建局", "县水利局", "县生态环境局", "县自然资源和规划局", "县农业农村局", "县城管局",
    "各乡镇人民政府", "各县(区)", "县委督查室", "县政府督查室", "县林业局", "高新区管委会",
]  # fmt: skip
DEADLINES = [
    "2023年12月底前",
    "2024年6月30日",
    "立行立改、长期坚持",
    "2025年底前",
    "长期坚持",
    "2024年9月底前",
]

sentence = st.lists(st.sampled_from(PHRASES), min_size=1, max_size=3, unique=True).map(
    lambda p: ",".join(p) + "。"
)
action = st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=2, unique=True).map(
    lambda p: ",".join(p) + "。"
)
units = st.lists(st.sampled_from(UNITS), min_size=1, max_size=3, unique=True)


@st.composite
def plan_tasks(draw):  # type: ignore[no-untyped-def]
    count = draw(st.integers(1, 12))
    tasks = []
    for _ in range(count):
        split_roles = draw(st.booleans())
        lead = draw(units) if split_roles else []
        cooperating = [
            u for u in draw(st.lists(st.sampled_from(UNITS), max_size=2, unique=True)) if u not in lead
        ]
        tasks.append(
            PlanTask(
                description=draw(sentence),
                responsible=[] if split_roles else draw(units),
                lead=lead,
                cooperating=cooperating if split_roles else [],
                supervising=draw(st.sampled_from([[], ["县委督查室", "县政府督查室"]])),
                leader=draw(st.sampled_from(["", "王副县长", "李四"])),
                deadline=draw(st.sampled_from(DEADLINES)),
                goal=draw(st.sampled_from(["", "问题整改到位。", "群众满意度明显提升。"])),
                measures=[PlanMeasure(t) for t in draw(st.lists(action, max_size=4))],
            )
        )
    return tasks


FIELD_ORDERS = st.permutations(
    ("responsible", "lead", "cooperating", "supervising", "leader", "deadline", "goal")
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tasks=plan_tasks(),
    numbering=st.sampled_from(["cn_dun", "cn_paren", "dot", "paren"]),
    measure_numbering=st.sampled_from(["dot", "paren", "circled", "dun"]),
    colon=st.sampled_from(["：", ":"]),
    order=FIELD_ORDERS,
    blank=st.integers(0, 2),
    inline=st.booleans(),
    furniture=st.booleans(),
    title=st.booleans(),
)
def test_fields_plan_round_trip(
    tasks, numbering, measure_numbering, colon, order, blank, inline, furniture, title
) -> None:  # type: ignore[no-untyped-def]
    text = fields_plan(
        tasks, numbering=numbering, measure_numbering=measure_numbering, colon=colon, order=tuple(order),
        blank=blank, inline=inline, furniture=furniture, title=title,
    )  # fmt: skip
    reading = read_plan_text(text, known_units=["县自然资源和规划局"])
    assert [t.description for t in reading.tasks] == [t.description for t in tasks], text
    assert [t.seq for t in reading.tasks] == [str(i) for i in range(1, len(tasks) + 1)]
    for got, want in zip(reading.tasks, tasks, strict=True):
        assert got.responsible_units == want.responsible
        assert got.lead_units == want.lead
        assert got.cooperating_units == want.cooperating
        assert got.supervising_units == want.supervising
        assert got.leader == want.leader
        assert got.deadline.text == want.deadline and got.deadline.understood
        assert got.goal == want.goal
        assert [m.text for m in got.measures] == [m.text for m in want.measures]
    assert not reading.refused


@st.composite
def inline_sections(draw):  # type: ignore[no-untyped-def]
    sections = []
    for _ in range(draw(st.integers(1, 8))):
        measures = []
        for _ in range(draw(st.integers(1, 4))):
            lead = draw(units)
            cooperating = [
                u for u in draw(st.lists(st.sampled_from(UNITS), max_size=2, unique=True)) if u not in lead
            ]
            measures.append(
                PlanMeasure(draw(action), lead, cooperating, hedge=not cooperating and draw(st.booleans()))
            )
        sections.append((draw(sentence), measures))
    return sections


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sections=inline_sections(),
    heading=st.sampled_from(["cn_paren", "cn_paren_half"]),
    numbering=st.sampled_from(["dot", "dun", "paren", "circled"]),
    full_width=st.booleans(),
    own_line=st.booleans(),
)
def test_inline_plan_round_trip(sections, heading, numbering, full_width, own_line) -> None:  # type: ignore[no-untyped-def]
    text = inline_plan(
        sections, heading=heading, numbering=numbering, full_width=full_width, unit_on_own_line=own_line
    )
    reading = read_plan_text(text, known_units=["县自然资源和规划局"])
    assert [t.description for t in reading.tasks] == [s[0] for s in sections], text
    for task, (_, measures) in zip(reading.tasks, sections, strict=True):
        assert [m.text for m in task.measures] == [m.text for m in measures]
        assert [m.lead_units for m in task.measures] == [m.lead for m in measures]
        assert [m.cooperating_units for m in task.measures] == [m.cooperating for m in measures]
        assert task.lead_units == list(dict.fromkeys(u for m in measures for u in m.lead))
