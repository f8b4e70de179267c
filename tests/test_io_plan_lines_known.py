"""The small text rules of the plan reader (io/plan/lines.py, drafts.py, furniture.py), one known answer
each: numbering styles, field labels, brackets at a line's end, unit-like names, joins, role clauses,
deadlines inside a unit bracket, page furniture (issue 24)."""

from __future__ import annotations

from datetime import date

import pytest

from ledger_app.domain.deadlines import Deadline
from ledger_app.domain.model import ProblemKind
from ledger_app.io.import_plan import ParsedMeasure, ParsedTask
from ledger_app.io.plan.drafts import MeasureDraft, Numbered
from ledger_app.io.plan.furniture import furniture_reason, running_heads
from ledger_app.io.plan.lines import (
    _bracket_depth,
    _clause_before,
    _cn_number,
    _deadline_clause,
    _deadline_from_measures,
    _join,
    _looks_like_unit,
    _roles_from_measures,
    _tail_paren,
    _trim_role_clauses,
    line_label,
    numbered,
    split_labels,
)
from ledger_app.io.plan.source import SourceLine


@pytest.mark.parametrize(
    ("text", "style", "number", "body"),
    [
        ("一、问题", "cn_dun", 1, "问题"),
        ("十二、问题", "cn_dun", 12, "问题"),
        ("二十、x", "cn_dun", 20, "x"),
        ("一.x", "cn_dun", 1, "x"),
        ("(三)x", "cn_paren", 3, "x"),
        ("（十一）x", "cn_paren", 11, "x"),
        ("㈠x", "cn_paren", 1, "x"),
        ("㈩x", "cn_paren", 10, "x"),
        ("1.x", "dot", 1, "x"),
        ("12．x", "dot", 12, "x"),
        ("3、x", "dot", 3, "x"),
        ("(2)x", "paren", 2, "x"),
        ("（12）x", "paren", 12, "x"),
        ("⑴x", "paren", 1, "x"),
        ("⒇x", "paren", 20, "x"),
        ("3)x", "half", 3, "x"),
        ("①x", "circled", 1, "x"),
        ("⑳x", "circled", 20, "x"),
        ("  （一）  标题  ", "cn_paren", 1, "标题"),
        ("\u3000\t1. 全角空格", "dot", 1, "全角空格"),
    ],
)
def test_numbering_styles(text: str, style: str, number: int, body: str) -> None:
    assert numbered(text) == Numbered(style, number, body)


@pytest.mark.parametrize(
    "text", ["1.5万吨", "1..x", "1.2x", "一.5", "1000.x", "十十十十、x", "一、", "(一)  ", "x1.", ""]
)
def test_not_numbered(text: str) -> None:
    assert numbered(text) is None


def test_chinese_numbers() -> None:
    assert [_cn_number(x) for x in ("一", "九", "十", "十一", "二十", "二十三", "九十九", "零", "十x")] == [
        1,
        9,
        10,
        11,
        20,
        23,
        99,
        0,
        10,
    ]


def test_labels_at_the_start_of_a_line() -> None:
    assert line_label("责任单位:甲") == ("responsible_units", "责任单位", 5)
    assert line_label("【整改时限】2023") == ("deadline", "整改时限", 6)
    assert line_label("责 任 单 位：甲") == ("responsible_units", "责任单位", 8)
    assert line_label("牵头责任单位:乙") == ("lead_units", "牵头责任单位", 7)  # not 责任单位
    assert line_label("目标:x") == ("goal", "目标", 3)
    assert line_label("问题描述 : x") == ("description", "问题描述", 6)
    assert line_label("  具体措施：") == ("measures", "具体措施", 7)
    assert line_label("包案领导:张") == ("leader", "包案领导", 5)
    assert line_label("联系人:李") == ("contact", "联系人", 4)
    assert line_label("联系方式:1") == ("contact_phone", "联系方式", 5)
    assert line_label("督办单位:丙") == ("supervising_units", "督办单位", 5)
    assert line_label("协办单位:丁") == ("cooperating_units", "协办单位", 5)
    assert line_label("责任单位甲") is None
    assert line_label("甲责任单位:乙") is None


def test_labels_inside_a_line() -> None:
    assert split_labels("问题。责任单位:甲局;整改时限:2023年底") == (
        "问题。",
        [("responsible_units", "责任单位", "甲局"), ("deadline", "整改时限", "2023年底")],
    )
    # Inside a bracket: the measure's own units, not the task's field.
    assert split_labels("问题(责任单位:甲;完成时限:乙)。") == ("问题(责任单位:甲;完成时限:乙)。", [])
    assert split_labels("问题 工作目标:x") == ("问题 ", [("goal", "工作目标", "x")])
    assert split_labels("问题目标:x") == ("问题目标:x", [])  # a short label inside a sentence is no label
    assert split_labels("责任单位:甲。牵头单位:乙") == (
        "",
        [("responsible_units", "责任单位", "甲。"), ("lead_units", "牵头单位", "乙")],
    )
    # Fixed in issue 24: a 【】 label needs no punctuation before it.
    assert split_labels("【责任单位】县水利局【整改时限】2023年底前") == (
        "",
        [("responsible_units", "责任单位", "县水利局"), ("deadline", "整改时限", "2023年底前")],
    )
    assert split_labels("问题【整改目标】达标") == ("问题", [("goal", "整改目标", "达标")])
    assert split_labels("没有标注") == ("没有标注", [])


def test_bracket_depth() -> None:
    assert _bracket_depth("a(b(c)d", 7) == 1
    assert _bracket_depth("a(b(c", 5) == 2
    assert _bracket_depth("a)b(", 4) == 1  # a closing bracket with none open counts nothing
    assert _bracket_depth("（a）(b", 5) == 1
    assert _bracket_depth("(a)", 3) == 0


def test_brackets_at_the_end_of_a_line() -> None:
    assert _tail_paren("措施(甲局牵头)。") == ("措施", "甲局牵头")
    assert _tail_paren("措施 （甲局牵头） ;") == ("措施", "甲局牵头")
    assert _tail_paren("措施(甲(乙)丙).") == ("措施", "甲(乙)丙")
    assert _tail_paren("措施（甲）；") == ("措施", "甲")
    assert _tail_paren("(甲)") == ("", "甲")
    assert _tail_paren("措施((甲)") == ("措施(", "甲")
    assert _tail_paren("措施甲局牵头)") is None
    assert _tail_paren("措施(甲)x") is None
    assert _tail_paren("措施(甲)、") is None  # one of a list "A(x)、B(y)", not the line's end


def test_unit_like_names() -> None:
    for name in ("县住建局", "各县(区)", "县住建局(县人防办)", "县委", "各乡镇", "某某有限公司", "管委会"):
        assert _looks_like_unit(name), name
    for name in ("局", "X", "加强监测", "(县住建局)"):
        assert not _looks_like_unit(name), name


def test_joining_lines() -> None:
    assert _join("", " x ") == "x"
    assert _join("甲。", " 乙") == "甲。\n乙"  # after a sentence's end: a new line
    assert _join("甲)", "乙") == "甲)\n乙"
    assert _join("甲:", "乙") == "甲:\n乙"
    assert _join("甲", "乙") == "甲乙"  # a wrapped line
    assert _join("甲 ", "乙") == "甲 乙"


def test_the_clause_before_a_definition() -> None:
    text = "甲,乙、丙(以上简称X)"
    assert _clause_before(text, text.index("(")) == "乙、丙"
    assert _clause_before("1. 甲乙(以上)", 5) == "甲乙"
    assert _clause_before("甲：乙;丙", 5) == "丙"
    assert _clause_before("甲乙", 2) == "甲乙"


def test_what_a_unit_does_is_no_part_of_its_name() -> None:
    assert _trim_role_clauses("各乡镇负责具体问题整改") == "各乡镇负责"
    assert _trim_role_clauses("甲局配合，乙局负责落实整改") == "甲局配合，乙局负责"
    assert _trim_role_clauses("县住建局牵头,各乡镇配合") == "县住建局牵头,各乡镇配合"
    assert _trim_role_clauses("县住建局牵头负责") == "县住建局牵头负责"
    assert _trim_role_clauses("甲局负责乙局") == "甲局负责乙局"  # what follows is a unit
    assert _trim_role_clauses("负责甲") == "负责甲"  # the role word first: nothing before it to keep
    assert _trim_role_clauses("甲局牵头配合乙") == "甲局牵头配合乙"


def test_a_deadline_inside_the_unit_bracket() -> None:
    assert _deadline_clause("县住建局牵头,2023年底前完成") == (
        "县住建局牵头",
        Deadline("2023年底前完成", date(2023, 12, 31)),
    )
    assert _deadline_clause("县住建局牵头;完成时限:2024年6月") == (
        "县住建局牵头",
        Deadline("2024年6月", date(2024, 6, 30)),
    )
    assert _deadline_clause("县住建局牵头,立行立改") == ("县住建局牵头", Deadline("立行立改", None, True))
    assert _deadline_clause("2023年底完成") == ("", Deadline("2023年底完成", date(2023, 12, 31)))
    assert _deadline_clause("甲局,乙局") == ("甲局,乙局", Deadline(""))
    assert _deadline_clause("县住建局牵头,明年春天完成") == ("县住建局牵头,明年春天完成", Deadline(""))
    assert _deadline_clause("县住建局牵头，乙局配合") == ("县住建局牵头,乙局配合", Deadline(""))


def _task(**fields: object) -> ParsedTask:
    return ParsedTask(rows=[1], kind=ProblemKind.SPECIFIC, seq="1", description="x", **fields)  # type: ignore[arg-type]


def test_a_task_without_units_answers_through_its_measures() -> None:
    measures = [
        ParsedMeasure(1, "a", 2, ["甲局"], ["乙局"]),
        ParsedMeasure(2, "b", 3, ["乙局", "丙局"], ["丁局", "甲局"]),
        ParsedMeasure(3, "c", 4, [], ["丁局", "戊局"]),
    ]
    task = _task(measures=measures)
    _roles_from_measures(task)
    assert (task.lead_units, task.cooperating_units) == (["甲局", "乙局", "丙局"], ["丁局", "戊局"])
    for own in ({"lead_units": ["己局"]}, {"responsible_units": ["己局"]}, {"cooperating_units": ["己局"]}):
        task = _task(measures=measures, **own)
        _roles_from_measures(task)
        assert task.all_units == ["己局"], own


def test_a_task_without_deadline_takes_its_measures_latest() -> None:
    early, late = Deadline("2023年底前", date(2023, 12, 31)), Deadline("2024年6月底前", date(2024, 6, 30))
    long_term, other_long = Deadline("长期坚持", None, True), Deadline("立行立改", None, True)
    task = _task(measures=[ParsedMeasure(1, "a", 2, deadline=early), ParsedMeasure(2, "b", 3, deadline=late)])
    _deadline_from_measures(task)
    assert task.deadline == late
    task = _task(measures=[ParsedMeasure(1, "a", 2, deadline=late), ParsedMeasure(2, "b", 3, deadline=early)])
    _deadline_from_measures(task)
    assert task.deadline == late
    task = _task(
        measures=[ParsedMeasure(1, "a", 2, deadline=long_term), ParsedMeasure(2, "b", 3, deadline=late)]
    )
    _deadline_from_measures(task)
    assert task.deadline == late  # a date wins over a long-term measure
    task = _task(
        measures=[
            ParsedMeasure(1, "a", 2),
            ParsedMeasure(2, "b", 3, deadline=long_term),
            ParsedMeasure(3, "c", 4, deadline=other_long),
        ]
    )
    _deadline_from_measures(task)
    assert task.deadline == long_term
    task = _task(measures=[ParsedMeasure(1, "a", 2, deadline=Deadline("明年"))])
    _deadline_from_measures(task)
    assert task.deadline == Deadline("")


def test_a_measure_over_several_lines() -> None:
    draft = MeasureDraft(3, "")
    draft.add(" 第一行", 0)
    assert (draft.text, draft.more_rows) == ("第一行", [])
    draft.add("接着写", 4)  # no sentence end: joined as one
    draft.add("(县水利局牵头)", 5)  # a bracket after a sentence's end stays on the line
    assert (draft.text, draft.more_rows) == ("第一行接着写(县水利局牵头)", [4, 5])
    draft = MeasureDraft(3, "第一句。")
    draft.add(" 第二句 ", 6)
    assert (draft.text, draft.more_rows) == ("第一句。\n第二句", [6])
    draft = MeasureDraft(3, "第一句。")
    draft.add("（县水利局牵头）", 7)
    assert draft.text == "第一句。（县水利局牵头）"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("- 3 -", "页码"),
        ("—3—", "页码"),
        ("3", "页码"),
        ("第3页", "页码"),
        ("第 3 页 共 10 页", "页码"),
        ("第3页,共10页", "页码"),
        ("共10页 第3页", "页码"),
        ("3/10", "页码"),
        ("Page 3 of 10", "页码"),
        ("page3", "页码"),
        ("附件", "附件标注"),
        ("附 件 2", "附件标注"),
        ("附件一:某县整改措施清单", "附件标注"),
        ("抄送:市委办公室", "版记"),
        ("某某县人民政府办公室 2023年5月6日印发", "版记"),
        ("  ", None),
        ("一、问题", None),
        ("12345", None),
        ("附件1:" + "长" * 61, None),
    ],
)
def test_page_furniture(text: str, reason: str | None) -> None:
    assert furniture_reason(text) == reason


def test_running_heads() -> None:
    def lines(*texts: str, breaks: tuple[int, ...] = ()) -> list[SourceLine]:
        return [SourceLine(n, t, page_break=n in breaks) for n, t in enumerate(texts, 1)]

    never = lambda text: False  # noqa: E731
    # Three times: a running head, wherever it stands; twice: only next to a page number or break.
    assert running_heads(lines("页眉", "a", "页眉", "b", "页眉"), never) == {"页眉"}
    assert running_heads(lines("页眉", "a", "b", "c", "d", "页眉"), never) == set()
    assert running_heads(lines("页眉", "a", "b", "- 2 -", "c", "页眉"), never) == {"页眉"}
    assert running_heads(lines("x", "页眉", "a", "b", "c", "页眉", breaks=(4,)), never) == {"页眉"}
    assert running_heads(lines("页眉", "a", "b", "c", "页眉", "d", breaks=(2,)), never) == {"页眉"}
    # Two lines past the page number on either side, not three.
    assert running_heads(lines("页眉", "a", "b", "c", "- 2 -", "d", "e", "f", "页眉"), never) == set()
    # Never: lines that may repeat as content, long lines, bracketed lines, table rows.
    assert running_heads(lines("整改措施:", "整改措施:", "整改措施:"), lambda t: t.endswith(":")) == set()
    long = "长" * 41
    assert running_heads(lines(long, long, long), never) == set()
    assert running_heads(lines("（县水利局牵头）", "（县水利局牵头）", "（县水利局牵头）"), never) == set()
    assert running_heads(lines("长" * 40, "长" * 40, "长" * 40), never) == {"长" * 40}
    table = [SourceLine(n, "甲 | 乙", cells=("甲", "乙")) for n in (1, 2, 3)]
    assert running_heads(table, never) == set()


@pytest.mark.parametrize(("token", "number"), list(zip("一二三四五六七八九", range(1, 10), strict=True)))
def test_every_chinese_digit(token: str, number: int) -> None:
    assert numbered(f"{token}、问题") == Numbered("cn_dun", number, "问题")
    assert numbered(f"（{token}十{token}）问题") == Numbered("cn_paren", number * 11, "问题")


LABELS = {
    "lead_units": ["牵头单位", "牵头部门", "主责单位", "牵头责任单位", "主责部门"],
    "responsible_units": ["责任单位", "责任部门", "责任主体", "整改责任单位", "整改单位", "承办单位"],
    "cooperating_units": ["配合单位", "配合部门", "协办单位", "协同单位"],
    "supervising_units": ["督导单位", "督办单位", "督导部门", "督查单位"],
    "leader": [
        "责任领导",
        "领办领导",
        "牵头领导",
        "包案领导",
        "分管领导",
        "责任县领导",
        "责任区领导",
        "牵头县领导",
        "牵头区领导",
        "包抓领导",
    ],
    "contact": ["责任人", "联系人", "具体责任人"],
    "contact_phone": ["联系电话", "联系方式"],
    "deadline": ["整改时限", "完成时限", "整改期限", "完成时间", "时限", "整改时间"],
    "goal": ["整改目标", "目标", "整改要求", "工作目标", "整改标准"],
    "measures": ["整改措施", "具体措施", "工作措施", "主要措施", "措施"],
    "description": ["问题描述", "存在问题", "反馈问题", "具体问题", "问题表现"],
}


@pytest.mark.parametrize(("field", "word"), [(f, w) for f, words in LABELS.items() for w in words])
def test_every_label_word(field: str, word: str) -> None:
    assert line_label(f"{word}:甲") == (field, word, len(word) + 1)
    assert line_label(f"【{word}】甲") == (field, word, len(word) + 2)
    spaced = " ".join(word)
    assert line_label(f"{spaced}：甲") == (field, word, len(spaced) + 1)
    if len(word) >= 4:  # inside a line only the long ones
        assert split_labels(f"问题。{word}:甲")[1] == [(field, word, "甲")]
    else:
        assert split_labels(f"问题。{word}:甲") == (f"问题。{word}:甲", [])


def test_more_role_clauses_and_deadlines_in_brackets() -> None:
    assert _trim_role_clauses("甲负责具体整改") == "甲负责"  # a one-character name before the role word
    # The first deadline found stays; a second one is left in the text for the units.
    assert _deadline_clause("2023年底前,2024年底前") == (
        "2024年底前",
        Deadline("2023年底前", date(2023, 12, 31)),
    )
    # "完成" becomes "前" only when no 前 is there: "立行立改完成" is then no deadline the reader knows.
    assert _deadline_clause("县住建局牵头,立行立改完成") == ("县住建局牵头,立行立改完成", Deadline(""))
    assert _deadline_clause("县住建局牵头,2024年6月前完成") == (
        "县住建局牵头",
        Deadline("2024年6月前完成", date(2024, 6, 30)),
    )


def test_a_measure_line_added_without_its_row() -> None:
    draft = MeasureDraft(3, "第一句")
    draft.add("接着")
    assert (draft.text, draft.more_rows) == ("第一句接着", [])


def test_running_heads_two_lines_from_a_page_number_not_three() -> None:
    def lines(*texts: str) -> list[SourceLine]:
        return [SourceLine(n, t) for n, t in enumerate(texts, 1)]

    never = lambda text: False  # noqa: E731
    far = ("a", "b", "c", "d", "e", "f")
    assert running_heads(lines("页眉", "x", "- 2 -", *far, "页眉"), never) == {"页眉"}  # two before
    assert running_heads(lines("页眉", "x", "y", "- 2 -", *far, "页眉"), never) == set()  # three before
    assert running_heads(lines("页眉", *far, "- 2 -", "x", "页眉"), never) == {"页眉"}  # two after
    assert running_heads(lines("页眉", *far, "- 2 -", "x", "y", "页眉"), never) == set()  # three after
