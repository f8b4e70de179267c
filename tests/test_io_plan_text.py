"""The plan reader on text: the three shapes in their variants, mixed, with page furniture and encodings."""

from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest

from ledger_app.io.plan import PlanRefused, read_plan, read_plan_text
from tests.plan_factory import PlanMeasure, PlanTask, fields_plan, inline_plan

EXAMPLES = Path("/work/shared/examples")
HERE_EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "examples"

TASKS = [
    PlanTask(
        "县城污水处理厂长期超负荷运行,部分时段出水氨氮超标。",
        responsible=["县住建局", "县水利局"],
        supervising=["县委督查室", "县政府督查室"],
        leader="王副县长",
        deadline="2023年12月底前",
        goal="污水处理厂稳定达标运行。",
        measures=[PlanMeasure("加快推进污水处理厂扩容提标工程。"), PlanMeasure("开展老城区雨污混接点排查。")],
    ),
    PlanTask(
        "部分矿山生态修复不到位,历史遗留废弃矿山治理推进缓慢。",
        lead=["县自然资源和规划局"],
        cooperating=["各乡镇人民政府"],
        deadline="立行立改、长期坚持",
        measures=[
            PlanMeasure("建立历史遗留矿山台账。"),
            PlanMeasure("积极争取专项资金。"),
            PlanMeasure("优先治理交通干线沿线矿山。"),
        ],
    ),
    PlanTask("秸秆露天焚烧时有发生。", responsible=["县农业农村局"], deadline="2024年6月30日"),
]


def _check(reading, tasks=TASKS) -> None:  # type: ignore[no-untyped-def]
    assert [t.description for t in reading.tasks] == [t.description for t in tasks]
    for got, want in zip(reading.tasks, tasks, strict=True):
        assert got.responsible_units == want.responsible
        assert got.lead_units == want.lead
        assert got.cooperating_units == want.cooperating
        assert got.supervising_units == want.supervising
        assert got.leader == want.leader
        assert got.deadline.text == want.deadline
        assert got.deadline.understood
        assert got.goal == want.goal
        assert [m.text for m in got.measures] == [m.text for m in want.measures]
    assert [t.seq for t in reading.tasks] == [str(i) for i in range(1, len(tasks) + 1)]


def _example(name: str) -> Path:
    for folder in (EXAMPLES, HERE_EXAMPLES):
        if (folder / name).exists():
            return folder / name
    pytest.skip("shared/examples not here")


# -- the two samples ----------------------------------------------------------------------------------
def test_sample_with_labelled_fields() -> None:
    reading = read_plan(_example("plan_list_fields.txt"))
    assert reading.issues == []
    assert reading.title == "青溪县贯彻落实第二轮省生态环境保护督察反馈问题整改措施清单"
    first, second = reading.tasks
    assert first.responsible_units == ["县住建局", "县水利局", "各乡镇人民政府"]
    assert first.supervising_units == ["县委督查室", "县政府督查室"]
    assert first.deadline.date is not None and first.deadline.date.isoformat() == "2023-12-31"
    assert len(first.measures) == 3 and first.measures[0].deadline.text == "2023年6月底前"
    assert second.deadline.long_term and len(second.measures) == 2
    assert second.goal == "历史遗留矿山“应治尽治”。"


def test_sample_with_inline_units() -> None:
    reading = read_plan(_example("plan_measures_inline.txt"))
    assert [t.description for t in reading.tasks] == [
        "压实生态环境保护责任。",
        "持续改善水环境质量。",
        "加强固体废物监管。",
    ]
    duty, water, waste = reading.tasks
    assert duty.measures[0].lead_units == ["县委办", "县政府办"]
    assert duty.measures[0].cooperating_units == ["各乡镇", "县直各部门"]
    assert duty.measures[0].text.endswith("负总责。") and "牵头" not in duty.measures[0].text
    assert duty.measures[1].lead_units == ["县委组织部", "县纪委监委"]  # 按职责分工负责: each answers
    assert (
        water.measures[1].lead_units == ["县生态环境局"]
        and water.measures[1].text == "开展入河排污口排查整治,建立“一口一档”。"
    )
    assert water.measures[0].deadline.text == "2023年底前"
    assert waste.measures[0].lead_units == ["县城管局", "各乡镇"]  # "各乡镇负责具体问题整改"
    assert water.lead_units == ["县住建局", "县生态环境局"] and water.cooperating_units == [
        "县水利局",
        "各乡镇",
    ]
    assert "三、整改措施" not in [t.description for t in reading.tasks]


# -- labelled fields: variants -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "numbering", ["cn_dun", "cn_paren", "cn_paren_half", "dot", "dot_full", "dun", "paren"]
)
@pytest.mark.parametrize("colon", ["：", ":"])
def test_fields_numbering_and_colons(numbering: str, colon: str) -> None:
    measure_numbering = "paren" if numbering in ("dot", "dot_full", "dun") else "dot"
    text = fields_plan(TASKS, numbering=numbering, colon=colon, measure_numbering=measure_numbering)
    reading = read_plan_text(text)
    _check(reading)
    assert reading.issues == []


@pytest.mark.parametrize(
    "order",
    [
        ("deadline", "goal", "responsible", "lead", "cooperating", "supervising", "leader"),
        ("leader", "supervising", "cooperating", "lead", "responsible", "goal", "deadline"),
    ],
)
def test_fields_in_another_order(order: tuple[str, ...]) -> None:
    _check(read_plan_text(fields_plan(TASKS, order=order)))


@pytest.mark.parametrize("blank", [0, 1, 3])
def test_fields_with_stray_blank_lines(blank: int) -> None:
    _check(read_plan_text(fields_plan(TASKS, blank=blank)))


def test_fields_inline_on_the_problem_line() -> None:
    _check(read_plan_text(fields_plan(TASKS, inline=True)))


def test_fields_in_bracket_labels() -> None:
    _check(read_plan_text(fields_plan(TASKS, bracket_labels=True)))


def test_measures_inline_after_the_label() -> None:
    _check(read_plan_text(fields_plan(TASKS, measures_inline=True)))


@pytest.mark.parametrize("measure_numbering", ["dot", "paren", "circled", "dun"])
def test_measure_list_continues_over_a_page_break(measure_numbering: str) -> None:
    text = fields_plan(TASKS, furniture=True, measure_numbering=measure_numbering)
    reading = read_plan_text(text)
    _check(reading)
    assert reading.issues == []
    skipped = {reading.lines[n - 1].text for n in reading.skipped}
    assert "- 1 -" in skipped and "附件" in skipped


def test_same_numbering_for_tasks_and_measures() -> None:
    text = fields_plan(TASKS, numbering="dot", measure_numbering="dot")
    _check(read_plan_text(text))


def test_missing_fields_are_flagged_not_invented() -> None:
    text = "一、河道有垃圾。\n整改时限:2024年底前\n二、噪声扰民。\n责任单位:县生态环境局\n整改时限:明年春天\n"
    reading = read_plan_text(text)
    first, second = reading.tasks
    assert first.all_units == [] and first.deadline.text == "2024年底前"
    assert second.deadline.text == "明年春天" and not second.deadline.understood
    reasons = [(i.row, i.reason_zh) for i in reading.issues]
    assert (1, "该任务没有写明责任单位(或牵头单位)。") in reasons
    assert any(row == 5 and "未能识别为日期" in why for row, why in reasons)


def test_value_on_the_line_after_its_label() -> None:
    text = "1. 扬尘管控不到位。\n责任单位:\n县住建局、县城管局\n整改目标:\n工地扬尘得到有效控制,\n群众投诉明显减少。\n"
    task = read_plan_text(text).tasks[0]
    assert task.responsible_units == ["县住建局", "县城管局"]
    assert task.goal == "工地扬尘得到有效控制,群众投诉明显减少。"


def test_stray_line_after_a_filled_field_goes_to_the_note_and_is_flagged() -> None:
    text = "一、问题甲。\n责任单位:县水利局\n整改时限:2024年底前\n(此项由县领导包案)\n"
    reading = read_plan_text(text)
    assert reading.tasks[0].note == "(此项由县领导包案)"
    assert any(i.row == 4 for i in reading.issues)


def test_unit_lists_keep_directory_names_whole() -> None:
    text = "一、问题甲。\n责任单位:县自然资源和规划局、县住建局和县水利局及各乡镇\n"
    task = read_plan_text(text, known_units=["县自然资源和规划局"]).tasks[0]
    assert task.responsible_units == ["县自然资源和规划局", "县住建局", "县水利局", "各乡镇"]


def test_lead_and_cooperating_in_one_responsible_field() -> None:
    text = "一、问题甲。\n责任单位:县住建局牵头,县水利局、各乡镇配合\n"
    task = read_plan_text(text).tasks[0]
    assert task.lead_units == ["县住建局"] and task.cooperating_units == ["县水利局", "各乡镇"]


def test_unnumbered_problem_paragraph_before_labels() -> None:
    text = "整改措施清单\n\n城区黑臭水体反弹。\n责任单位:县住建局\n整改时限:2024年底前\n"
    reading = read_plan_text(text)
    assert [t.description for t in reading.tasks] == ["城区黑臭水体反弹。"]
    assert reading.tasks[0].seq == "1" and reading.preamble == ["整改措施清单"]


def test_numbered_description_points_stay_in_the_description() -> None:
    text = "一、问题甲:\n1. 表现一;\n2. 表现二。\n责任单位:县水利局\n整改措施:\n(1)措施一。\n(2)措施二。\n"
    task = read_plan_text(text).tasks[0]
    assert "表现一" in task.description and "表现二" in task.description
    assert [m.text for m in task.measures] == ["措施一。", "措施二。"]


def test_measures_without_label_are_read_and_flagged() -> None:
    text = "一、问题甲。\n责任单位:县水利局\n整改时限:2024年底前\n1. 措施一。\n2. 措施二。\n"
    reading = read_plan_text(text)
    assert [m.text for m in reading.tasks[0].measures] == ["措施一。", "措施二。"]
    assert any("整改措施" in i.reason_zh for i in reading.issues)


def test_measure_with_its_own_units_in_the_fields_shape() -> None:
    text = fields_plan(
        [
            PlanTask(
                "问题甲。",
                responsible=["县水利局"],
                measures=[PlanMeasure("清淤。", ["县水利局"], ["各乡镇"])],
            )
        ],
        measure_units=True,
    )
    measure = read_plan_text(text).tasks[0].measures[0]
    assert (
        measure.text == "清淤。"
        and measure.lead_units == ["县水利局"]
        and measure.cooperating_units == ["各乡镇"]
    )


# -- inline units: variants ----------------------------------------------------------------------------
SECTIONS = [
    ("压实生态环境保护责任", [
        PlanMeasure("严格落实党政同责。", ["市委办", "市政府办"], ["各县(区)", "各管委会"]),
        PlanMeasure("将督察整改纳入考核。", ["县委组织部", "县纪委监委"], hedge=True),
    ]),
    ("持续改善水环境质量", [
        PlanMeasure("加快城区污水管网建设。", ["县住建局"], ["县水利局", "各乡镇"]),
        PlanMeasure("开展入河排污口排查整治。", ["县生态环境局"]),
    ]),
]  # fmt: skip


@pytest.mark.parametrize("heading", ["cn_paren", "cn_paren_half", "cn_dun"])
@pytest.mark.parametrize("numbering", ["dot", "dun", "paren", "circled"])
@pytest.mark.parametrize("full_width", [True, False])
def test_inline_units_variants(heading: str, numbering: str, full_width: bool) -> None:
    text = inline_plan(
        SECTIONS, heading=heading, numbering=numbering, full_width=full_width, preamble=heading != "cn_dun"
    )
    reading = read_plan_text(text)
    assert [t.description for t in reading.tasks] == [s[0] for s in SECTIONS]
    for task, (_, measures) in zip(reading.tasks, SECTIONS, strict=True):
        assert [m.text for m in task.measures] == [m.text for m in measures]
        for got, want in zip(task.measures, measures, strict=True):
            assert got.lead_units == want.lead
            assert got.cooperating_units == want.cooperating
    if heading != "cn_dun":
        assert reading.title.startswith("XX县")
        assert "坚持问题导向,压实整改责任。" in reading.preamble
    # The closing part (三、保障措施 …) is reported once, as plan prose, not line by line.
    assert not reading.refused
    (closing,) = [i for i in reading.issues if "保障" in i.reason_zh]
    last = len(reading.lines) - 1
    assert closing.row == last - 2 and f"第{last - 2}–{last}行「三、保障措施」" in closing.reason_zh


def test_unit_bracket_on_its_own_line() -> None:
    reading = read_plan_text(inline_plan(SECTIONS, unit_on_own_line=True))
    assert [m.lead_units for m in reading.tasks[1].measures] == [["县住建局"], ["县生态环境局"]]
    assert reading.tasks[1].measures[0].text == "加快城区污水管网建设。"


def test_short_names_defined_in_the_plan_are_remembered() -> None:
    text = (
        "（一）强化园区监管\n"
        "1. 高新区管委会、经开区管委会（以上园区管委会简称各管委会）要加快园区污水管网建设。（市生态环境局牵头，各县（区）、各管委会配合）\n"
        "2. 开展园区环境风险排查。（各管委会负责）\n"
    )
    reading = read_plan_text(text)
    assert reading.aliases == {"各管委会": "高新区管委会、经开区管委会"}
    first, second = reading.tasks[0].measures
    assert first.cooperating_units == ["各县（区）", "各管委会"]
    assert second.lead_units == ["各管委会"]


def test_wrapped_measure_lines_join() -> None:
    text = (
        "（一）治理扬尘\n1. 加强建筑工地扬尘管控,\n严格落实六个百分之百。（县住建局牵头，\n县城管局配合）\n"
    )
    measure = read_plan_text(text).tasks[0].measures[0]
    assert measure.text == "加强建筑工地扬尘管控,严格落实六个百分之百。"
    assert measure.lead_units == ["县住建局"] and measure.cooperating_units == ["县城管局"]


def test_deadline_inside_the_unit_bracket() -> None:
    text = "（一）治理扬尘\n1. 加强工地管控。（县住建局牵头，2024年6月底前完成）\n"
    measure = read_plan_text(text).tasks[0].measures[0]
    assert measure.lead_units == ["县住建局"] and measure.deadline.date is not None
    assert read_plan_text(text).tasks[0].deadline.date == measure.deadline.date


def test_measures_without_heading_are_tasks_of_their_own() -> None:
    text = "1. 开展排查。（县水利局牵头负责）\n2. 加强巡查。（县城管局牵头，各乡镇配合）\n"
    reading = read_plan_text(text)
    assert [t.description for t in reading.tasks] == ["开展排查。", "加强巡查。"]
    assert reading.tasks[1].cooperating_units == ["各乡镇"]


def test_brackets_that_name_no_units_stay_in_the_text() -> None:
    text = "（一）治水\n1. 建设污水管网（含雨污分流）。（县住建局牵头负责）\n2. 推进“河长制”（试行）。\n"
    task = read_plan_text(text).tasks[0]
    assert task.measures[0].text == "建设污水管网（含雨污分流）。"
    assert task.measures[1].text == "推进“河长制”（试行）。" and task.measures[1].lead_units == []


# -- mixed documents and furniture -------------------------------------------------------------------------
def test_a_document_that_mixes_the_shapes() -> None:
    text = fields_plan(TASKS[:2]) + "\n" + inline_plan(SECTIONS, preamble=False, closing=False)
    reading = read_plan_text(text)
    assert [reading.shape_of(t) for t in reading.tasks] == ["fields", "fields", "inline", "inline"]
    assert len({t.seq for t in reading.tasks}) == 4  # renumbered where the numbering repeats


def test_page_furniture_is_left_out() -> None:
    text = (
        "附件2\n\nXX县整改措施清单\n\n一、问题甲。\n责任单位:县水利局\n\n— 2 —\n\n第2页 共5页\n3/5\n"
        "整改措施:\n1. 措施一。\n\f2. 措施二。\nPage 3 of 5\n二、问题乙。\n责任单位:县林业局\n"
        "抄送:市生态环境局。\nXX县人民政府办公室 2023年5月10日印发\n"
    )
    reading = read_plan_text(text)
    assert [len(t.measures) for t in reading.tasks] == [2, 0]
    assert reading.issues == [i for i in reading.issues if i.severity != "refused"]
    skipped = {reading.lines[n - 1].text.strip() for n in reading.skipped}
    assert {"附件2", "— 2 —", "第2页 共5页", "3/5", "Page 3 of 5", "抄送:市生态环境局。"} <= skipped


def test_running_heads_repeated_on_pages_are_left_out() -> None:
    head = "XX县环保督察整改专报"
    body = [
        f"{head}\n一、问题甲。\n责任单位:县水利局",
        f"{head}\n二、问题乙。\n责任单位:县林业局",
        f"{head}\n三、问题丙。\n责任单位:县住建局",
    ]
    reading = read_plan_text("\n".join(body))
    assert len(reading.tasks) == 3 and reading.issues == []
    assert all(t.description != head for t in reading.tasks)


def test_prose_after_the_tasks_is_reported_line_by_line() -> None:
    reading = read_plan_text(
        "一、问题甲。\n责任单位:县水利局\n二、其他事项\n（一）加强宣传。\n要高度重视。\n"
    )
    refused = [(i.row, i.severity) for i in reading.issues]
    assert refused == [(3, "refused"), (4, "refused"), (5, "refused")]


def test_empty_and_task_free_text() -> None:
    reading = read_plan_text("为落实督察反馈意见,制定本方案。\n")
    assert reading.tasks == [] and reading.refused and reading.preamble


# -- encodings and hostile text -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("encode", "name"),
    [
        (lambda t: t.encode("utf-8"), "UTF-8"),
        (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "UTF-8(带BOM)"),
        (lambda t: t.encode("gb18030"), "GB18030"),
        (lambda t: t.encode("gbk"), "GB18030"),
        (lambda t: t.encode("utf-16"), "UTF-16"),
    ],
)
def test_encodings(tmp_path: Path, encode, name: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "方案.txt"
    path.write_bytes(encode(fields_plan(TASKS).replace("\n", "\r\n")))
    reading = read_plan(path)
    assert reading.encoding == name
    _check(reading)


def test_gb18030_characters_outside_gbk(tmp_path: Path) -> None:
    path = tmp_path / "方案.txt"
    path.write_bytes("一、𠮷家村河道有垃圾。\n责任单位:县水利局\n".encode("gb18030"))
    assert read_plan(path).tasks[0].description == "𠮷家村河道有垃圾。"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (bytes(range(256)) * 40, "不是文字"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".doc"),
        (b"%PDF-1.7\n" + b"x" * 100, "PDF"),
        (b"{\\rtf1\\ansi hello}", "RTF"),
        (b"   \n  ", "空的"),
        (b"\xff\xfe\xfd\x81" * 500, ""),
    ],
)
def test_refusals_are_clear(tmp_path: Path, data: bytes, words: str) -> None:
    path = tmp_path / "方案.txt"
    path.write_bytes(data)
    with pytest.raises(PlanRefused) as refused:
        read_plan(path)
    assert words in refused.value.message_zh
    assert refused.value.message_en


def test_huge_file_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "大.txt"
    with path.open("wb") as fh:
        fh.truncate(25 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(PlanRefused, match="过大"):
        read_plan(path)
    assert time.perf_counter() - started < 1


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(PlanRefused, match="找不到"):
        read_plan(tmp_path / "无.txt")
    with pytest.raises(PlanRefused, match="文件夹"):
        read_plan(tmp_path)


def test_records_are_what_the_import_service_takes() -> None:
    reading = read_plan_text(fields_plan(TASKS))
    records = reading.records(round_name="第二轮省督察")
    assert [r.seq for r in records] == ["1", "2", "3"]
    assert records[1].lead_units == ["县自然资源和规划局"] and records[1].round_name == "第二轮省督察"
    assert [m.text for m in records[0].measures] == [m.text for m in TASKS[0].measures]
    assert reading.to_json()["summary"]["tasks"] == 3


def test_spaced_labels_description_labels_and_yi_shi_measures() -> None:
    text = (
        "问题描述:河道垃圾。\n责 任 单 位:县水利局\n整 改 时 限:2024年底前\n"
        "整改措施:一是加强巡查;二是建立台账;三是落实河长制。\n问题描述:扬尘污染。\n责任单位:县住建局\n"
    )
    reading = read_plan_text(text)
    river, dust = reading.tasks
    assert (river.seq, river.description, river.responsible_units) == ("1", "河道垃圾。", ["县水利局"])
    assert river.deadline.date is not None
    assert [m.text for m in river.measures] == ["加强巡查", "建立台账", "落实河长制。"]
    assert (dust.seq, dust.description) == ("2", "扬尘污染。") and reading.issues == []


def test_word_number_signs_and_labels_inside_the_unit_bracket() -> None:
    text = (
        "㈠治理扬尘\n⑴加强工地管控。(县住建局牵头,县城管局配合)\n"
        "㈡治水\n⑴截污纳管。(责任单位:县住建局;完成时限:2023年底前)\n"
    )
    dust, water = read_plan_text(text).tasks
    assert dust.description == "治理扬尘" and dust.measures[0].cooperating_units == ["县城管局"]
    assert water.description == "治水"
    assert water.measures[0].text == "截污纳管。" and water.measures[0].lead_units == ["县住建局"]
    assert water.measures[0].deadline.date is not None


def test_unnumbered_tasks_after_unnumbered_measures() -> None:
    text = "河道垃圾堆放。\n责任单位:县水利局\n整改措施:\n开展排查。\n建立台账。\n扬尘污染。\n责任单位:县住建局\n整改措施:\n开展排查。\n"
    reading = read_plan_text(text)
    assert [(t.seq, t.description, len(t.measures)) for t in reading.tasks] == [
        ("1", "河道垃圾堆放。", 2),
        ("2", "扬尘污染。", 1),
    ]


def test_fields_after_unnumbered_measures_stay_with_their_task() -> None:
    text = "一、问题一\n整改措施:\n措施甲。\n措施乙。\n责任单位:县水利局\n整改时限:2024年底前\n"
    (task,) = read_plan_text(text).tasks
    assert [m.text for m in task.measures] == ["措施甲。", "措施乙。"]
    assert task.responsible_units == ["县水利局"] and task.deadline.text == "2024年底前"


def test_a_whole_plan_body_then_its_annex() -> None:
    text = (
        "XX县贯彻落实中央生态环境保护督察反馈意见整改方案\n为坚决贯彻落实督察反馈意见,特制定本整改方案。\n"
        "一、总体要求\n(一)指导思想\n全面贯彻党的二十大精神。\n(二)基本原则\n——坚持问题导向、全面整改。\n"
        "二、整改目标\n2023年底前,反馈问题全部完成整改。\n三、整改措施\n(一)压实责任\n"
        "1. 严格落实党政同责。(县委办、县政府办牵头,各乡镇配合)\n四、保障措施\n(一)加强组织领导。成立领导小组。\n"
        "对整改不力的严肃问责。\n附件:XX县整改措施清单\n一、县城污水处理厂超负荷运行。\n责任单位:县住建局\n"
    )
    reading = read_plan_text(text)
    assert [t.description for t in reading.tasks] == ["压实责任", "县城污水处理厂超负荷运行。"]
    assert reading.preamble[:2] == [
        "XX县贯彻落实中央生态环境保护督察反馈意见整改方案",
        "为坚决贯彻落实督察反馈意见,特制定本整改方案。",
    ]
    assert "——坚持问题导向、全面整改。" in reading.preamble and not reading.refused
    assert [i.row for i in reading.issues if "保障" in i.reason_zh] == [13]
    assert 16 in reading.skipped  # 附件:XX县整改措施清单
