"""The plan reader on hand-written plans, every task, field, measure and issue written out (tests/plan_known.py
writes a reading line by line): what a clerk gets from a plan, worked out by reading the plan (issue 24)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ledger_app.io.plan import read_plan, read_plan_text
from ledger_app.io.plan.reading import deadline_json
from tests.plan_known import dump

FIELDS_PLAN = """附件1

某某县第二轮中央生态环境保护督察反馈问题整改方案

为抓好整改落实,制定本方案。

一、县城污水处理厂超负荷运行(以下简称“县污水厂”)。
责任单位:县住建局、县水利局
牵头单位:县发展改革局
配合单位:各乡镇
督导单位:县委督查室
责任领导:王副县长
责任人:李四
联系电话:0123-4567890
整改时限:2023年12月底前
整改目标:稳定达标运行。
出水水质达到一级A。
整改措施:
1. 加快扩容提标工程,2023年6月底前完成。
2. 开展雨污混接点排查
建立问题清单。
3. 加强监测(县生态环境局牵头,县水利局配合)。
- 2 -
二、矿山修复不到位。责任单位:县自然资源局。整改时限:立行立改、长期坚持
【整改目标】应治尽治
整改措施:建立矿山台账;争取专项资金。
多余的一行说明文字。
三、秸秆焚烧时有发生。
责 任 单 位:县农业农村局
整改时限:明年春天
整改时限:2024年6月30日
责任领导:张副县长
责任领导:赵副县长
"""

FIELDS_READING = [
    "任务 1 fields 行[7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22] specific",
    "  描述:县城污水处理厂超负荷运行(以下简称“县污水厂”)。",
    "  牵头:县发展改革局",
    "  责任:县住建局、县水利局",
    "  配合:各乡镇",
    "  督导:县委督查室",
    "  领导:王副县长",
    "  责任人:李四",
    "  电话:0123-4567890",
    "  时限:2023年12月底前|2023-12-31|",
    "  目标:稳定达标运行。\n出水水质达到一级A。",
    "  措施1 行19:加快扩容提标工程,2023年6月底前完成。 [时限 2023年6月底前|2023-06-30]",
    # A line without a full stop goes on on the next line: one measure (line 21 is its second line).
    "  措施2 行20:开展雨污混接点排查建立问题清单。",
    "  措施3 行22:加强监测。 [牵头 县生态环境局] [配合 县水利局]",
    # Labels inline on the problem's line, a 【】 label, measures after their label on one line.
    "任务 2 fields 行[24, 25, 26, 27] specific",
    "  描述:矿山修复不到位。",
    "  责任:县自然资源局",
    "  时限:立行立改、长期坚持||长期",
    "  目标:应治尽治",
    "  措施1 行26:建立矿山台账;争取专项资金。",
    "  措施2 行27:多余的一行说明文字。",
    # A spaced-out label; a deadline written twice (the first kept, the second noted); two leaders.
    "任务 3 fields 行[28, 29, 30, 31, 32, 33] specific",
    "  描述:秸秆焚烧时有发生。",
    "  责任:县农业农村局",
    "  领导:张副县长、赵副县长",
    "  时限:明年春天||",
    "  备注:整改时限:2024年6月30日",
    "! 30 warning:整改时限「明年春天」未能识别为日期,按原文保存。",
    "! 31 warning:整改时限写了两次,采用「明年春天」,另一处「2024年6月30日」记入备注。",
    "标题:某某县第二轮中央生态环境保护督察反馈问题整改方案",
    "导语:某某县第二轮中央生态环境保护督察反馈问题整改方案",
    "导语:为抓好整改落实,制定本方案。",
    "略过的行:[1, 23]",  # 附件1 and the page number
    "简称:县污水厂=县城污水处理厂超负荷运行",
]


def test_a_plan_with_labelled_fields() -> None:
    assert dump(read_plan_text(FIELDS_PLAN)) == FIELDS_READING


def test_what_the_reading_tells_the_clerk_and_the_import_service(tmp_path: Path) -> None:
    path = tmp_path / "方案.txt"
    path.write_bytes(FIELDS_PLAN.encode("gb18030"))
    reading = read_plan(path)
    assert dump(reading) == FIELDS_READING
    assert reading.describe() == [
        f"文件:{path}  格式:txt  编码:GB18030  共 34 行",
        "标题:某某县第二轮中央生态环境保护督察反馈问题整改方案",
        "识别的形式:标注字段(责任单位:/整改时限:…) 3 项",
        "任务 3 项,措施 5 条,单位 8 个;整改时限识别 2 项,未能识别 1 项,空白 0 项;未导入的文字 0 行,提示 2 条。",
        "标题和导语 2 行、页眉页脚页码等 2 行未作为任务。",
        "简称:「县污水厂」= 县城污水处理厂超负荷运行",
        "  [提示] 第30行:整改时限「明年春天」未能识别为日期,按原文保存。",
        "  [提示] 第31行:整改时限写了两次,采用「明年春天」,另一处「2024年6月30日」记入备注。",
    ]
    data = reading.to_json()
    assert {k: v for k, v in data.items() if k not in ("tasks", "issues")} == {
        "path": str(path),
        "format": "txt",
        "encoding": "GB18030",
        "title": "某某县第二轮中央生态环境保护督察反馈问题整改方案",
        "preamble": ["某某县第二轮中央生态环境保护督察反馈问题整改方案", "为抓好整改落实,制定本方案。"],
        "aliases": {"县污水厂": "县城污水处理厂超负荷运行"},
        "lines": 34,
        "skipped_lines": [1, 23],
        "summary": {
            "tasks": 3,
            "measures": 5,
            "units": 8,
            "deadlines_parsed": 2,
            "deadlines_not_understood": 1,
            "deadlines_empty": 0,
            "refused_rows": 0,
            "warnings": 2,
            "status_map": [],
        },
    }
    assert [i["row"] for i in data["issues"]] == [30, 31]
    assert [(t["seq"], t["shape"], t["leader"], t["note"]) for t in data["tasks"]] == [
        ("1", "fields", "王副县长", ""),
        ("2", "fields", "", ""),
        ("3", "fields", "张副县长、赵副县长", "整改时限:2024年6月30日"),
    ]
    first = reading.records(round_name="第二轮", progress_date=date(2024, 1, 1))[0]
    assert (first.round_name, first.seq, first.contact, first.contact_phone) == (
        "第二轮",
        "1",
        "李四",
        "0123-4567890",
    )
    assert [(m.seq, m.text, m.lead_units) for m in first.measures] == [
        (1, "加快扩容提标工程,2023年6月底前完成。", []),
        (2, "开展雨污混接点排查建立问题清单。", []),
        (3, "加强监测。", ["县生态环境局"]),
    ]
    assert reading.text.splitlines()[6] == "一、县城污水处理厂超负荷运行(以下简称“县污水厂”)。"
    assert (reading.refused, len(reading.warnings)) == ([], 2)


INLINE_PLAN = """某某市贯彻落实省生态环境保护督察反馈意见整改方案
一、总体要求
坚持问题导向,举一反三。高新区管委会、经开区管委会(以上园区管委会简称各管委会)要落实属地责任。
二、整改措施
(一)压实生态环境保护责任。
1. 严格落实党政同责、一岗双责(市委办、市政府办牵头,各县(区)、各管委会配合)。
2. 健全考核机制(市委组织部负责,2023年底前完成)。
(二)持续改善水环境质量
1. 推进城镇污水处理设施建设
(市住建局牵头,市水务局配合)
2. 开展入河排污口排查整治,建立“一口一档”(市生态环境局牵头)。
3. 加强饮用水水源地保护。
(三)整治黑臭水体。(县住建局牵头)
三、保障措施
(一)加强组织领导
各级各部门要高度重视。
(二)强化督查问责
市委督查室定期督查。
"""


def test_a_plan_of_measures_naming_their_units() -> None:
    """The title names 反馈意见: the tasks are feedback problems, though the lead-in says 举一反三."""
    assert dump(read_plan_text(INLINE_PLAN)) == [
        "任务 1 inline 行[5, 6, 7] specific 分组:二、整改措施",
        "  描述:压实生态环境保护责任。",
        "  牵头:市委办、市政府办、市委组织部",
        "  配合:各县(区)、各管委会",
        "  时限:2023年底前完成|2023-12-31|",  # the latest of its measures' deadlines
        "  措施1 行6:严格落实党政同责、一岗双责。 [牵头 市委办、市政府办] [配合 各县(区)、各管委会]",
        "  措施2 行7:健全考核机制。 [牵头 市委组织部] [时限 2023年底前完成|2023-12-31]",
        "任务 2 inline 行[8, 9, 10, 11, 12] specific 分组:二、整改措施",
        "  描述:持续改善水环境质量",
        "  牵头:市住建局、市生态环境局",
        "  配合:市水务局",
        "  措施1 行9:推进城镇污水处理设施建设。 [牵头 市住建局] [配合 市水务局]",
        "  措施2 行11:开展入河排污口排查整治,建立“一口一档”。 [牵头 市生态环境局]",
        "  措施3 行12:加强饮用水水源地保护。",
        "任务 3 inline 行[13] specific 分组:二、整改措施",
        "  描述:整治黑臭水体。",
        "  牵头:县住建局",
        "  措施1 行13:整治黑臭水体。 [牵头 县住建局]",
        "! 12 warning:这条措施没有写明责任单位,按所在任务的单位导入。请核对。",
        "! 14 warning:第14–18行「三、保障措施」是方案的保障要求,不是整改任务,未导入。",
        "标题:某某市贯彻落实省生态环境保护督察反馈意见整改方案",
        "导语:某某市贯彻落实省生态环境保护督察反馈意见整改方案",
        "导语:一、总体要求",
        "导语:坚持问题导向,举一反三。高新区管委会、经开区管委会(以上园区管委会简称各管委会)要落实属地责任。",
        "简称:各管委会=高新区管委会、经开区管委会",
    ]


UNNUMBERED_PLAN = """整改任务清单
河道垃圾堆放问题突出。
责任单位:县水利局
整改措施:
清理河道垃圾。
建立长效机制
县城扬尘污染严重。
责任单位:县住建局
问题描述:工业园区废气超标。
牵头单位:县生态环境局
责任领导:
刘副县长
多出来的一行。
问题描述:第三个问题。
整改时限:2024年底
"""


def test_unnumbered_tasks_values_on_the_next_line_and_stray_lines() -> None:
    """Unnumbered problems before their labels; the next one found when a label of a field already
    filled follows a line; "问题描述:" opening a task; a value on the line after its label; a stray line
    kept in 备注."""
    assert dump(read_plan_text(UNNUMBERED_PLAN)) == [
        "任务 1(自动) fields 行[2, 3, 4, 5, 6] specific",
        "  描述:河道垃圾堆放问题突出。",
        "  责任:县水利局",
        "  措施1 行5:清理河道垃圾。",
        "  措施2 行6:建立长效机制",
        "任务 2(自动) fields 行[7, 8] specific",
        "  描述:县城扬尘污染严重。",
        "  责任:县住建局",
        "任务 3(自动) fields 行[9, 10, 11, 12, 13] specific",
        "  描述:工业园区废气超标。",
        "  牵头:县生态环境局",
        "  领导:刘副县长",
        "  备注:多出来的一行。",
        "任务 4(自动) fields 行[14, 15] specific",
        "  描述:第三个问题。",
        "  时限:2024年底|2024-12-31|",
        "! 13 warning:「多出来的一行。」不属于任何字段,已记入该任务的备注。请核对。",
        "! 14 warning:该任务没有写明责任单位(或牵头单位)。",
        "标题:整改任务清单",
        "导语:整改任务清单",
    ]


DUPLICATE_PLAN = """(一)第一个问题。
责任单位:甲局
(二)第二个问题。
责任单位:乙局
(一)序号重复的问题。
责任单位:丙局
问题描述:没有序号的问题。
责任单位:丁局
"""


def test_serial_numbers_written_twice_are_all_renumbered() -> None:
    """(一) twice: every task numbered 1, 2, 3 … in the order of the plan, with a warning."""
    assert dump(read_plan_text(DUPLICATE_PLAN)) == [
        "任务 1(自动) fields 行[1, 2] specific",
        "  描述:第一个问题。",
        "  责任:甲局",
        "任务 2(自动) fields 行[3, 4] specific",
        "  描述:第二个问题。",
        "  责任:乙局",
        "任务 3(自动) fields 行[5, 6] specific",
        "  描述:序号重复的问题。",
        "  责任:丙局",
        "任务 4(自动) fields 行[7, 8] specific",
        "  描述:没有序号的问题。",
        "  责任:丁局",
        "! None warning:方案中的序号有重复(几种编号混在一起),已按出现顺序重新编号为 1、2、3……。",
    ]


FAULTY_PLAN = """问题描述:
责任单位:甲局
整改措施:
1. 只有措施的任务。
三、有单位很长的任务。
责任单位:某某县某某乡镇某某村民委员会下属的某某合作社以及其他有关方面
整改措施:
(县水利局牵头)
2. 真正的措施(县水利局牵头,2024年6月底前完成)。
四、问题四。
责任单位:丁局
1. 没有标注的措施一。
2. 没有标注的措施二。
五、责任单位:戊局
整改时限:2025年底
六、最后的标题
"""


def test_tasks_without_description_units_only_measures_and_empty_headings() -> None:
    """No description: the first measure stands for it, or the task is refused; a measure that is only
    its units is refused; measures without their label; a long "unit"; a heading with nothing under it."""
    assert dump(read_plan_text(FAULTY_PLAN)) == [
        "任务 1(自动) fields 行[1, 2, 3, 4] specific",
        "  描述:只有措施的任务。",
        "  责任:甲局",
        "  措施1 行4:只有措施的任务。",
        "任务 3 fields 行[5, 6, 7, 8, 9] specific",
        "  描述:有单位很长的任务。",
        "  责任:某某县某某乡镇某某村民委员会下属的某某合作社以及其他有关方面",
        "  时限:2024年6月底前完成|2024-06-30|",
        "  措施1 行9:真正的措施。 [牵头 县水利局] [时限 2024年6月底前完成|2024-06-30]",
        "任务 4 fields 行[10, 11, 12, 13] specific",
        "  描述:问题四。",
        "  责任:丁局",
        "  措施1 行12:没有标注的措施一。",
        "  措施2 行13:没有标注的措施二。",
        "! 1 warning:没有问题描述,取第一条措施作为描述。请核对。",
        "! 6 warning:单位「某某县某某乡镇某某村民委员会下属的某某合…」过长,可能不是单位名称,请核对。",
        "! 8 refused:措施只有单位、没有内容,已跳过。",
        "! 12 warning:措施前没有“整改措施:”标注,按整改措施读取。",
        "! 14 refused:有序号但没有问题描述,该任务未导入。",
        "! 16 refused:标题「六、最后的标题」下面没有读到任务或措施,未导入。",
    ]


SAME_STYLE_PLAN = """1. 第一个问题。
责任单位:甲局
整改措施:
1. 措施甲。
2. 措施乙。
2. 第二个问题。
责任单位:乙局
问题描述:没有序号的问题,取它在方案中的位置。
责任单位:丙局
3. 第三个问题。
责任单位:丁局
"""


def test_tasks_and_measures_numbered_alike_and_an_unnumbered_task_among_them() -> None:
    """1. tasks with 1. measures; a task without a number takes its place in the plan (3), and as 3 is
    taken, 3-1."""
    assert dump(read_plan_text(SAME_STYLE_PLAN)) == [
        "任务 1 fields 行[1, 2, 3, 4, 5] specific",
        "  描述:第一个问题。",
        "  责任:甲局",
        "  措施1 行4:措施甲。",
        "  措施2 行5:措施乙。",
        "任务 2 fields 行[6, 7] specific",
        "  描述:第二个问题。",
        "  责任:乙局",
        "任务 3-1(自动) fields 行[8, 9] specific",
        "  描述:没有序号的问题,取它在方案中的位置。",
        "  责任:丙局",
        "任务 3 fields 行[10, 11] specific",
        "  描述:第三个问题。",
        "  责任:丁局",
    ]


LABELLED_DESCRIPTIONS = """问题描述:河道垃圾堆放。
责任单位:县水利局
整改措施:
1. 清理垃圾。
2. 建立机制。
问题描述:扬尘污染。
责任单位:县住建局
整改措施:
1. 洒水降尘。
2. 围挡施工。
"""


def test_the_last_numbered_measure_before_a_problem_label_stays_a_measure() -> None:
    """Fixed in issue 24: "2. 建立机制。" followed by "问题描述:" was read as a task of its own (no units),
    and the task above it lost its last measure."""
    assert dump(read_plan_text(LABELLED_DESCRIPTIONS)) == [
        "任务 1(自动) fields 行[1, 2, 3, 4, 5] specific",
        "  描述:河道垃圾堆放。",
        "  责任:县水利局",
        "  措施1 行4:清理垃圾。",
        "  措施2 行5:建立机制。",
        "任务 2(自动) fields 行[6, 7, 8, 9, 10] specific",
        "  描述:扬尘污染。",
        "  责任:县住建局",
        "  措施1 行9:洒水降尘。",
        "  措施2 行10:围挡施工。",
    ]


def test_the_kind_of_the_tasks_is_the_one_the_title_names_first() -> None:
    """Fixed in issue 24: the first six lines were read as one text, so a stock phrase of the lead-in
    ("举一反三", "群众举报") outweighed the title's 反馈意见, and every task became 自查问题 or 交办信访件."""
    body = "一、问题一。\n责任单位:甲局\n"

    def kind(head: str) -> str:
        return read_plan_text(head + body).tasks[0].kind.value

    assert kind("某县督察反馈意见整改方案\n坚持问题导向,举一反三。\n") == "specific"
    assert kind("某县督察反馈意见整改方案\n及时回应群众投诉举报。\n") == "specific"
    assert kind("某县第二轮督察\n交办信访件整改方案\n") == "petition"  # a title over two lines
    assert kind("某县举一反三自查问题整改方案\n") == "self-check"
    assert kind("某县整改方案\n") == "specific"  # no word for a kind: 反馈问题 (个性)
    # Only the first six lines are the title block.
    assert kind("一\n二\n三\n四\n五\n六\n七:信访件\n") == "specific"
    assert kind("一\n二\n三\n四\n五\n六:信访件\n") == "petition"


INLINE_EDGES_PLAN = """某县生态环境保护督察整改方案
- 1 -
(一)总体要求
坚持问题导向。
(以下简称“督察组”)
(二)整治工业污染。
1. 排查涉水企业(县生态环境局牵头)
2. 关停落后产能,
(县工信局牵头)
3. 建立台账(简称“一企一档”)。
4. 加强执法(县生态环境局、县公安局按职责分工负责)。
5. 规范入河排污口,2024年6月底前完成(县水利局牵头,各乡镇配合)。
某县生态环境保护督察整改方案
- 2 -
6. 开展联合检查(县自然资源局)。
三、第三部分(县林业局负责)
(三)改善农村环境
1. 开展农村生活垃圾治理。
2. 推进厕所革命。
说明文字:暂无。
一、组织实施
(一)明确分工
各单位按分工落实。
"""


def test_inline_measures_wrapped_defined_names_running_heads_and_prose() -> None:
    """Running heads and page numbers left out (the title's first showing kept), a definition on its
    own line, a unit bracket on the next line, "按职责分工负责", a heading naming its own units, items
    without units reported line by line, the closing part reported once."""
    assert dump(read_plan_text(INLINE_EDGES_PLAN)) == [
        "任务 2 inline 行[6, 7, 8, 9, 10, 11, 12, 15] specific",
        "  描述:整治工业污染。",
        "  牵头:县生态环境局、县工信局、县公安局、县水利局、县自然资源局",
        "  配合:各乡镇",
        "  时限:2024年6月底前|2024-06-30|",
        "  措施1 行7:排查涉水企业。 [牵头 县生态环境局]",
        "  措施2 行8:关停落后产能。 [牵头 县工信局]",
        "  措施3 行10:建立台账(简称“一企一档”)。",
        "  措施4 行11:加强执法。 [牵头 县生态环境局、县公安局]",
        "  措施5 行12:规范入河排污口,2024年6月底前完成。 [牵头 县水利局] [配合 各乡镇] [时限 2024年6月底前|2024-06-30]",
        "  措施6 行15:开展联合检查。 [牵头 县自然资源局]",
        "任务 3 inline 行[16] specific",
        "  描述:第三部分。",
        "  牵头:县林业局",
        "  措施1 行16:第三部分。 [牵头 县林业局]",
        "! 10 warning:这条措施没有写明责任单位,按所在任务的单位导入。请核对。",
        "! 17 refused:标题「(三)改善农村环境」下面没有读到任务或措施,未导入。",
        "! 18 refused:「开展农村生活垃圾治理。」未能识别为任务或措施,未导入。",
        "! 19 refused:「推进厕所革命。」未能识别为任务或措施,未导入。",
        "! 20 refused:「说明文字:暂无。」未能识别为任务或措施,未导入。",
        "! 21 warning:第21–23行「一、组织实施」是方案的保障要求,不是整改任务,未导入。",
        "标题:某县生态环境保护督察整改方案",
        "导语:某县生态环境保护督察整改方案",
        "导语:(一)总体要求",
        "导语:坚持问题导向。",
        "略过的行:[2, 13, 14]",
        "简称:督察组=",
        "简称:一企一档=建立台账",
    ]


NEXT_TASK_PLAN = """整改时限:2023年底
一、第一个问题。
责任单位:甲局
整改时限:2023年底前
整改措施:
1. 措施一。
第二个问题没有序号。
整改时限:2024年底前
责任领导:王
整改措施:
1. 措施二。
第三个问题没有序号。
责任领导:李
整改措施:
1. 措施三。
补充说明没有句号
整改目标:目标三
问题描述:第四个问题的描述
继续描述。
整改目标:目标一
目标二。
整改措施:措施四甲;措施四乙
"""


def test_the_next_unnumbered_task_is_found_by_a_field_already_filled() -> None:
    """Fixed in issue 24: "1. 措施二。" under an unnumbered task was read as a task of its own when a
    label followed the next paragraph. A label before any problem is refused; a paragraph followed by a
    label of a field already filled (整改时限, 责任领导) is the next task; one followed by 整改目标 is not."""
    assert dump(read_plan_text(NEXT_TASK_PLAN)) == [
        "任务 1 fields 行[2, 3, 4, 5, 6] specific",
        "  描述:第一个问题。",
        "  责任:甲局",
        "  时限:2023年底前|2023-12-31|",
        "  措施1 行6:措施一。",
        "任务 2(自动) fields 行[7, 8, 9, 10, 11] specific",
        "  描述:第二个问题没有序号。",
        "  领导:王",
        "  时限:2024年底前|2024-12-31|",
        "  措施1 行11:措施二。",
        "任务 3(自动) fields 行[12, 13, 14, 15, 16, 17] specific",
        "  描述:第三个问题没有序号。",
        "  领导:李",
        "  目标:目标三",
        "  措施1 行15:措施三。",
        "  措施2 行16:补充说明没有句号",
        "任务 4(自动) fields 行[18, 19, 20, 21, 22] specific",
        "  描述:第四个问题的描述继续描述。",
        "  目标:目标一目标二。",
        "  措施1 行22:措施四甲;措施四乙",
        "! 1 refused:字段标注前面没有对应的问题描述",
        "! 7 warning:该任务没有写明责任单位(或牵头单位)。",
        "! 12 warning:该任务没有写明责任单位(或牵头单位)。",
        "! 18 warning:该任务没有写明责任单位(或牵头单位)。",
    ]


SECTIONED_PLAN = """某县督察反馈问题整改措施清单
一、水污染问题
1. 河道垃圾堆放。
责任单位:甲局
2. 污水直排。
责任单位:乙局
二、大气污染问题
说明:本部分两项。
1. 工地扬尘。
责任单位:丙局
三、问题丙:
1. 表现一。
责任单位:丁局
四、问题丁
(一)表现一;
(二)表现二。
责任单位:戊局
"""


def test_headings_over_tasks_with_labelled_fields() -> None:
    """Fixed in issue 24: "一、水污染问题" over "1. 问题" "责任单位:…" was read as one task holding every
    task of its part. The heading is now the tasks' part; a line ending in a colon, or two points
    numbered below it, still make a task's description."""
    assert dump(read_plan_text(SECTIONED_PLAN)) == [
        "任务 1(自动) fields 行[3, 4] specific 分组:一、水污染问题",
        "  描述:河道垃圾堆放。",
        "  责任:甲局",
        "任务 2(自动) fields 行[5, 6] specific 分组:一、水污染问题",
        "  描述:污水直排。",
        "  责任:乙局",
        "任务 3(自动) fields 行[9, 10] specific 分组:二、大气污染问题",
        "  描述:工地扬尘。",
        "  责任:丙局",
        "任务 4(自动) fields 行[11, 12, 13] specific",
        "  描述:问题丙:\n1. 表现一。",
        "  责任:丁局",
        "任务 5(自动) fields 行[14, 15, 16, 17] specific",
        "  描述:问题丁(一)表现一;\n(二)表现二。",
        "  责任:戊局",
        "! None warning:方案中的序号有重复(几种编号混在一起),已按出现顺序重新编号为 1、2、3……。",
        "! 8 refused:「说明:本部分两项。」未能识别为任务或措施,未导入。",
        "标题:某县督察反馈问题整改措施清单",
        "导语:某县督察反馈问题整改措施清单",
    ]


FIELD_DETAILS_PLAN = """某县整改方案
1. 第一个问题。问题描述:补充说明。
责任单位:甲局。
责任领导:王副县长。
整改时限:明年春天再说明年春天再说明年春天再说明年春天再说明年春天再说明年春天再说明年春天再说明年春天再说
整改目标:目标甲。
【整改目标】目标乙
(1)第一点。
(2)第二点。
整改措施:
1. 措施(某某县某某乡镇某某村民委员会下属的某某合作社以及其他有关方面牵头)。
一、第一部分
说明文字很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长。
(一)空标题很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长
(二)有措施的标题
1. 措施(乙局牵头)。
"""


def test_field_values_long_texts_in_messages_and_an_empty_heading_after_the_tasks() -> None:
    """A second 问题描述 on the task's line, a unit's full stop, a deadline cut at 40 characters in its
    message, two goals, goal points numbered below the task, a long unit in a measure, prose and a heading
    with nothing under it (cut at 30 characters), an inline task under a part."""
    assert (
        dump(read_plan_text(FIELD_DETAILS_PLAN))
        == [
            "任务 1 fields 行[2, 3, 4, 5, 6, 7, 8, 9, 10, 11] specific",
            "  描述:第一个问题。\n补充说明。",
            "  责任:甲局",
            "  领导:王副县长",
            "  时限:明年春天再说明年春天再说明年春天再说明年春天再说明年春天再说明年春天再说明年春天再说明年春天再说||",
            "  目标:目标甲。\n目标乙(1)第一点。\n(2)第二点。",
            "  措施1 行11:措施。 [牵头 某某县某某乡镇某某村民委员会下属的某某合作社以及其他有关方面]",
            "任务 2 inline 行[15, 16] specific 分组:一、第一部分",
            "  描述:有措施的标题",
            "  牵头:乙局",
            "  措施1 行16:措施。 [牵头 乙局]",
            "! 5 warning:整改时限「明年春天再说明年春天再说明年春天再说明年春天再说明年春天再说明年春天再说明年春天」未能识别为日期,按原文保存。",  # 40 characters of 48
            "! 11 warning:单位「某某县某某乡镇某某村民委员会下属的某某合…」过长,可能不是单位名称,请核对。",
            "! 13 refused:「说明文字很长很长很长很长很长很长很长很长很长很长很长很长很长」未能识别为任务或措施,未导入。",
            "! 14 refused:标题「(一)空标题很长很长很长很长很长很长很长很长很长很长很长很长」下面没有读到任务或措施,未导入。",
            "标题:某县整改方案",
            "导语:某县整改方案",
        ]
    )


FIELD_TASKS_PLAN = """问题描述:问题一。
责任单位:甲局
整改措施:
1. 措施一(甲局牵头)。
2. 措施二(乙局牵头,丙局配合)。
第二个问题。

督导单位:丁局
整改措施:
(1)措施三。
(2)措施四。
第三个问题。
牵头单位:戊局
整改措施:
1. 措施五。
第四个问题。
配合单位:己局
(一)小标题
问题描述:第五个问题。
责任单位:庚局
"""


def test_unnumbered_tasks_told_apart_by_every_kind_of_unit_label() -> None:
    """The next unnumbered task found by 督导单位 (after a blank line), 牵头单位 and 配合单位 when the task
    has its units; each task's measure list numbered its own way; a heading ends an unnumbered task."""
    assert dump(read_plan_text(FIELD_TASKS_PLAN)) == [
        "任务 1(自动) fields 行[1, 2, 3, 4, 5] specific",
        "  描述:问题一。",
        "  责任:甲局",
        "  措施1 行4:措施一。 [牵头 甲局]",
        "  措施2 行5:措施二。 [牵头 乙局] [配合 丙局]",
        "任务 2(自动) fields 行[6, 8, 9, 10, 11] specific",
        "  描述:第二个问题。",
        "  督导:丁局",
        "  措施1 行10:措施三。",
        "  措施2 行11:措施四。",
        "任务 3(自动) fields 行[12, 13, 14, 15] specific",
        "  描述:第三个问题。",
        "  牵头:戊局",
        "  措施1 行15:措施五。",
        "任务 4(自动) fields 行[16, 17] specific",
        "  描述:第四个问题。",
        "  配合:己局",
        "任务 5(自动) fields 行[19, 20] specific 分组:(一)小标题",
        "  描述:第五个问题。",
        "  责任:庚局",
    ]


NAMES_PLAN = """一、单位名称的长短。
责任单位:一二三四五六七八九十一二三四五六七八方面、一二三四五六七八九十一二三四五六七八九方面、一二三四五六七八九十一二三四五六七八九十局
二、别名,县水利局和县住建局(以下统称“两局”),水利局、住建局(以下统称“水利、住建部门”)。
责任单位:县住房和城乡建设局(以下简称“县住建局”)
整改措施:
1. 措施甲(县发改局、县财政局统称相关部门)。
2. 措施乙(水利、住建部门牵头)。
3. 措施丁(县住建局牵头,两局配合)。
三、另一个问题,县建设管理局(以下简称“县住建局”)。
责任单位:县住建局
"""


def test_unit_names_long_and_short_and_names_the_plan_defines() -> None:
    """20 characters that are not a unit name pass, 21 are flagged, a long name ending like a unit passes.
    Fixed in issue 24: "县住房和城乡建设局(以下简称“县住建局”)" was taken whole as the unit's name. A name
    defined with 统称 or with what it stands for, a name with "、" kept whole, a name defined twice."""
    assert dump(read_plan_text(NAMES_PLAN)) == [
        "任务 1 fields 行[1, 2] specific",
        "  描述:单位名称的长短。",
        "  责任:一二三四五六七八九十一二三四五六七八方面、一二三四五六七八九十一二三四五六七八九方面、一二三四五六七八九十一二三四五六七八九十局",
        "任务 2 fields 行[3, 4, 5, 6, 7, 8] specific",
        "  描述:别名,县水利局和县住建局(以下统称“两局”),水利局、住建局(以下统称“水利、住建部门”)。",
        "  责任:县住房和城乡建设局",
        "  措施1 行6:措施甲(县发改局、县财政局统称相关部门)。",
        "  措施2 行7:措施乙。 [牵头 「水利、住建部门」]",
        "  措施3 行8:措施丁。 [牵头 县住建局] [配合 两局]",
        "任务 3 fields 行[9, 10] specific",
        "  描述:另一个问题,县建设管理局(以下简称“县住建局”)。",
        "  责任:县住建局",
        "! 2 warning:单位「一二三四五六七八九十一二三四五六七八九方…」过长,可能不是单位名称,请核对。",
        "简称:两局=县水利局和县住建局",
        "简称:水利、住建部门=水利局、住建局",
        "简称:县住建局=县住房和城乡建设局",
        "简称:相关部门=县发改局、县财政局",
    ]


LABEL_FIRST_PLAN = """整改时限:2024年底
一、问题一。
责任单位:甲局
一、问题二。
责任单位:乙局
"""


def test_a_label_before_any_task_and_issues_of_the_whole_plan_first() -> None:
    """Issues of the whole plan (no line) come before those of line 1."""
    assert dump(read_plan_text(LABEL_FIRST_PLAN)) == [
        "任务 1(自动) fields 行[2, 3] specific",
        "  描述:问题一。",
        "  责任:甲局",
        "任务 2(自动) fields 行[4, 5] specific",
        "  描述:问题二。",
        "  责任:乙局",
        "! None warning:方案中的序号有重复(几种编号混在一起),已按出现顺序重新编号为 1、2、3……。",
        "! 1 refused:字段标注前面没有对应的问题描述",
    ]


RUNNING_HEAD_PLAN = """说明一
说明二
说明三
说明四
某县整改方案
说明六
某县整改方案
一、问题一。
责任单位:甲局
- 2 -
某县整改方案
说明六
"""


def test_the_title_as_a_running_head_is_kept_once_from_the_first_five_lines() -> None:
    """ "某县整改方案" repeated as the running head: its first showing, the fifth line, stays; "说明六",
    repeated next to a page number, is a running head from the sixth line on."""
    assert dump(read_plan_text(RUNNING_HEAD_PLAN)) == [
        "任务 1 fields 行[8, 9] specific",
        "  描述:问题一。",
        "  责任:甲局",
        "标题:说明一",
        "导语:说明一",
        "导语:说明二",
        "导语:说明三",
        "导语:说明四",
        "导语:某县整改方案",
        "略过的行:[6, 7, 10, 11, 12]",
    ]


CLOSING_PLAN = """一、问题一。
责任单位:甲局
二、保障措施
加强领导。
三、第三部分
(一)措施(乙局牵头)。
"""


def test_the_closing_part_ends_at_the_next_part() -> None:
    """三、 after 二、保障措施 is read again: here an inline task."""
    assert dump(read_plan_text(CLOSING_PLAN)) == [
        "任务 1 fields 行[1, 2] specific",
        "  描述:问题一。",
        "  责任:甲局",
        "任务 3 inline 行[5, 6] specific",
        "  描述:第三部分",
        "  牵头:乙局",
        "  措施1 行6:措施。 [牵头 乙局]",
        "! 3 warning:第3–4行「二、保障措施」是方案的保障要求,不是整改任务,未导入。",
    ]


WINDOW_PLAN = """一、第一部分
问题描述:问题一。
责任单位:甲局
问题描述:问题二
补充的一句话。
责任单位:乙局
这一行不属于任何字段而且很长很长很长很长很长很长很长很长很长很长。
整改措施:
(1)措施甲(丙局牵头)。
(2)措施乙(丁局牵头)。
第三个问题。


责任单位:戊局
整改措施:
(1)措施丙。
第四个问题。



责任单位:己局
"""


def test_the_next_task_label_is_looked_for_three_lines_down() -> None:
    """A label two blank lines down still marks the paragraph as the next task; three blank lines down it
    does not. A heading above "问题描述:" tasks is their part, not a task."""
    assert dump(read_plan_text(WINDOW_PLAN)) == [
        "任务 1(自动) fields 行[2, 3] specific 分组:一、第一部分",
        "  描述:问题一。",
        "  责任:甲局",
        "任务 2(自动) fields 行[4, 5, 6, 7, 8, 9, 10] specific 分组:一、第一部分",
        "  描述:问题二补充的一句话。",
        "  责任:乙局",
        "  备注:这一行不属于任何字段而且很长很长很长很长很长很长很长很长很长很长。",
        "  措施1 行9:措施甲。 [牵头 丙局]",
        "  措施2 行10:措施乙。 [牵头 丁局]",
        "任务 3(自动) fields 行[11, 14, 15, 16, 17, 21] specific 分组:一、第一部分",
        "  描述:第三个问题。",
        "  责任:戊局、己局",
        "  措施1 行16:措施丙。",
        "  措施2 行17:第四个问题。",
        "! 7 warning:「这一行不属于任何字段而且很长很长很长很长很长很长很长很长很长」不属于任何字段,已记入该任务的备注。请核对。",
    ]


HEADINGS_PLAN = """一、问题一。
责任单位:甲局
二、第二部分
三、第三部分
整改时限:2025年底
问题描述:
整改措施:
1. 措施一(丙局牵头)。
2. 措施二(丁局牵头)。
"""


def test_a_heading_followed_by_a_task_of_its_own_level_is_reported() -> None:
    """Fixed in issue 24: "二、第二部分" followed by the task "三、…" was taken for a heading over it and
    dropped without a word. A task without description takes its first measure's text and its measures' units."""
    assert dump(read_plan_text(HEADINGS_PLAN)) == [
        "任务 1 fields 行[1, 2] specific",
        "  描述:问题一。",
        "  责任:甲局",
        "任务 3 fields 行[4, 5] specific",
        "  描述:第三部分",
        "  时限:2025年底|2025-12-31|",
        "任务 3-1(自动) fields 行[6, 7, 8, 9] specific",
        "  描述:措施一。",
        "  牵头:丙局、丁局",
        "  措施1 行8:措施一。 [牵头 丙局]",
        "  措施2 行9:措施二。 [牵头 丁局]",
        "! 3 refused:标题「二、第二部分」下面没有读到任务或措施,未导入。",
        "! 4 warning:该任务没有写明责任单位(或牵头单位)。",
        "! 6 warning:没有问题描述,取第一条措施作为描述。请核对。",
    ]


def _long_plan(n: int) -> str:
    return "\n".join(
        [
            "(一)问题一。",
            "责任单位:甲局",
            "二、第二部分",
            *(f"说明{i}。" for i in range(1, n + 1)),
            "责任单位:乙局",
        ]
    )


def test_a_label_is_looked_for_forty_lines_down() -> None:
    """39 lines then a label: "二、第二部分" is a task. 40 lines: it is not; the lines are reported, and the
    last, right above the label, becomes the task (its report taken back)."""
    reading = read_plan_text(_long_plan(39))
    assert [(t.seq, t.rows[0], t.rows[-1], t.responsible_units) for t in reading.tasks] == [
        ("1", 1, 1 + 1, ["甲局"]),
        ("2", 3, 43, ["乙局"]),
    ]
    assert reading.tasks[1].description == "第二部分说明1。\n" + "\n".join(f"说明{i}。" for i in range(2, 40))
    assert reading.issues == []
    reading = read_plan_text(_long_plan(40))
    assert dump(reading)[:6] == [
        "任务 1 fields 行[1, 2] specific",
        "  描述:问题一。",
        "  责任:甲局",
        "任务 2(自动) fields 行[43, 44] specific",
        "  描述:说明40。",
        "  责任:乙局",
    ]
    assert [(i.row, i.severity, i.reason_zh) for i in reading.issues] == [
        (n + 3, "refused", f"「说明{n}。」未能识别为任务或措施,未导入。") for n in range(1, 40)
    ]


def test_a_plan_with_no_task() -> None:
    assert dump(read_plan_text("只有一行说明。")) == [
        "! None refused:没有读到任何整改任务。",
        "标题:只有一行说明。",
        "导语:只有一行说明。",
    ]


MEASURES_THEN_TASK_PLAN = """问题描述:问题一。
责任单位:甲局
整改措施:
清理垃圾。
2. 新的问题。
责任单位:乙局
问题描述:问题三。
责任单位:丙局
整改措施:
(一)措施甲。
(二)措施乙。
"""


def test_after_unnumbered_measures_a_numbered_line_may_start_a_task() -> None:
    """ "2. 新的问题。" after the unnumbered measure of a task opened by 问题描述 is the next task (a label
    follows); "(一)措施甲。" right after 整改措施: is a measure, not a heading that ends the task."""
    assert dump(read_plan_text(MEASURES_THEN_TASK_PLAN)) == [
        "任务 1(自动) fields 行[1, 2, 3, 4] specific",
        "  描述:问题一。",
        "  责任:甲局",
        "  措施1 行4:清理垃圾。",
        "任务 2 fields 行[5, 6] specific",
        "  描述:新的问题。",
        "  责任:乙局",
        "任务 3(自动) fields 行[7, 8, 9, 10, 11] specific",
        "  描述:问题三。",
        "  责任:丙局",
        "  措施1 行10:措施甲。",
        "  措施2 行11:措施乙。",
    ]


def test_blank_lines_do_not_count_in_the_forty() -> None:
    text = "\n".join(
        [
            "(一)问题一。",
            "责任单位:甲局",
            "二、第二部分",
            *(f"说明{i}。" for i in range(1, 40)),
            "",
            "",
            "",
            "责任单位:乙局",
        ]
    )
    reading = read_plan_text(text)
    assert [(t.seq, t.rows[0], t.responsible_units) for t in reading.tasks] == [
        ("1", 1, ["甲局"]),
        ("2", 3, ["乙局"]),
    ]


INLINE_GROUPS_PLAN = """某县整改方案
（以下简称“督察组”）。
(以下统称“各部门”)
（以下简称“县委”）
整治黑臭水体(县住建局牵头)。
(一)空的标题
(二)整治扬尘。(县生态环境局牵头)
(三)强化治理
措施甲(县水利局牵头)
1. 措施乙。
补充说明。
2. 措施丙(县林业局牵头)。
(四)另一个
说明二。
1. 措施丁(县林业局牵头)。
再说明。
(以下简称“督导组”)负责督导。
五、保障措施一二三四五六七八九十一二三四五六
加强领导。
"""


def test_inline_groups_items_prose_and_definitions_on_their_own_lines() -> None:
    """Definitions on their own line (full-width, with a full stop, with 统称: fixed in issue 24, it was
    kept as text) are left out; a line naming its units with no heading above is a task numbered by the
    reader; an empty heading followed by a heading naming its own units is reported (fixed in issue 24);
    lines after a group's items are its measures until prose has begun; a closing heading of 20
    characters is the closing part."""
    assert dump(read_plan_text(INLINE_GROUPS_PLAN)) == [
        "任务 1(自动) inline 行[5] specific",
        "  描述:整治黑臭水体。",
        "  牵头:县住建局",
        "  措施1 行5:整治黑臭水体。 [牵头 县住建局]",
        "任务 2 inline 行[7] specific",
        "  描述:整治扬尘。",
        "  牵头:县生态环境局",
        "  措施1 行7:整治扬尘。 [牵头 县生态环境局]",
        "任务 3 inline 行[8, 9, 10, 11, 12] specific",
        "  描述:强化治理",
        "  牵头:县水利局、县林业局",
        "  措施1 行9:措施甲。 [牵头 县水利局]",
        "  措施2 行10:措施乙。",
        "  措施3 行11:补充说明。",
        "  措施4 行12:措施丙。 [牵头 县林业局]",
        "任务 4 inline 行[13, 15] specific",
        "  描述:另一个",
        "  牵头:县林业局",
        "  措施1 行15:措施丁。 [牵头 县林业局]",
        "! 6 refused:标题「(一)空的标题」下面没有读到任务或措施,未导入。",
        "! 10 warning:这条措施没有写明责任单位,按所在任务的单位导入。请核对。",
        "! 11 warning:这条措施没有写明责任单位,按所在任务的单位导入。请核对。",
        "! 14 refused:「说明二。」未能识别为任务或措施,未导入。",
        "! 16 refused:「再说明。」未能识别为任务或措施,未导入。",
        "! 17 refused:「(以下简称“督导组”)负责督导。」未能识别为任务或措施,未导入。",
        "! 18 warning:第18–19行「五、保障措施一二三四五六七八九十一二三四」是方案的保障要求,不是整改任务,未导入。",
        "标题:某县整改方案",
        "导语:某县整改方案",
        "简称:督察组=",
        "简称:各部门=",
        "简称:县委=",
        "简称:督导组=",
    ]


LONG_CLOSING_PLAN = """一、问题一。
责任单位:甲局
二、保障措施一二三四五六七八九十一二三四五六七
加强领导。
"""


def test_a_heading_of_more_than_twenty_characters_is_not_the_closing_part() -> None:
    """21 characters after 二、: an ordinary heading, reported as empty."""
    assert dump(read_plan_text(LONG_CLOSING_PLAN)) == [
        "任务 1 fields 行[1, 2] specific",
        "  描述:问题一。",
        "  责任:甲局",
        "! 3 refused:标题「二、保障措施一二三四五六七八九十一二三四五六七」下面没有读到任务或措施,未导入。",
        "! 4 refused:「加强领导。」未能识别为任务或措施,未导入。",
    ]


POINTS_PLAN = """(1)第一个问题:
①表现一；
②表现二。
责任单位:甲局
(2)第二个问题。
责任单位:乙局
整改措施:
1)措施一。
2)措施二。
"""


def test_points_numbered_below_a_task_and_measures_numbered_1_bracket() -> None:
    """①② under "(1)…:" and "1)" measures under "(2)": points of the description, measures."""
    assert dump(read_plan_text(POINTS_PLAN)) == [
        "任务 1 fields 行[1, 2, 3, 4] specific",
        "  描述:第一个问题:\n①表现一；\n②表现二。",
        "  责任:甲局",
        "任务 2 fields 行[5, 6, 7, 8, 9] specific",
        "  描述:第二个问题。",
        "  责任:乙局",
        "  措施1 行8:措施一。",
        "  措施2 行9:措施二。",
    ]


HALF_BRACKET_POINTS_PLAN = """1. 第一个问题。
1)表现一；
2)表现二。
责任单位:甲局
"""


def test_points_numbered_1_bracket_under_a_task_numbered_1_dot() -> None:
    assert dump(read_plan_text(HALF_BRACKET_POINTS_PLAN)) == [
        "任务 1 fields 行[1, 2, 3, 4] specific",
        "  描述:第一个问题。\n1)表现一；\n2)表现二。",
        "  责任:甲局",
    ]


PARTS_PLAN = """一、第一部分
(一)第一项
1. 措施一(甲局牵头)。
二、第二部分
1. 措施二(乙局牵头)。
"""


def test_an_inline_task_of_the_next_part_is_not_in_the_part_before() -> None:
    assert dump(read_plan_text(PARTS_PLAN)) == [
        "任务 1 inline 行[2, 3] specific 分组:一、第一部分",
        "  描述:第一项",
        "  牵头:甲局",
        "  措施1 行3:措施一。 [牵头 甲局]",
        "任务 2 inline 行[4, 5] specific",
        "  描述:第二部分",
        "  牵头:乙局",
        "  措施1 行5:措施二。 [牵头 乙局]",
    ]


def test_the_reading_described_for_pasted_text_with_every_shape_and_kind_of_issue() -> None:
    reading = read_plan_text(INLINE_GROUPS_PLAN)
    assert reading.describe()[:4] == [
        "文件:(粘贴的文本)  格式:paste  共 20 行",
        "标题:某县整改方案",
        "识别的形式:措施后括号注明单位 4 项",
        "任务 4 项,措施 7 条,单位 4 个;整改时限识别 0 项,未能识别 0 项,空白 4 项;未导入的文字 4 行,提示 3 条。",
    ]
    assert reading.describe()[-3:] == [
        "  [未导入] 第16行:「再说明。」未能识别为任务或措施,未导入。",
        "  [未导入] 第17行:「(以下简称“督导组”)负责督导。」未能识别为任务或措施,未导入。",
        "  [提示] 第18行:第18–19行「五、保障措施一二三四五六七八九十一二三四」是方案的保障要求,不是整改任务,未导入。",
    ]
    mixed = read_plan_text(DUPLICATE_PLAN + "(五)措施(戊局牵头)。\n")
    assert mixed.describe()[1:3] == [
        "识别的形式:标注字段(责任单位:/整改时限:…) 4 项;措施后括号注明单位 1 项",
        "任务 5 项,措施 1 条,单位 5 个;整改时限识别 0 项,未能识别 0 项,空白 5 项;未导入的文字 0 行,提示 1 条。",
    ]
    assert (
        mixed.describe()[-1]
        == "  [提示] 全文:方案中的序号有重复(几种编号混在一起),已按出现顺序重新编号为 1、2、3……。"
    )
    assert [mixed.shape_of(t) for t in mixed.tasks] == ["fields"] * 4 + ["inline"]
    assert deadline_json(mixed.tasks[0]) == {"text": "", "date": None, "long_term": False, "understood": True}
