"""Rectification plans written the ways offices write them, for the plan reader's tests and fuzzing.

``PlanTask`` is what a plan says about one task; ``fields_plan`` writes tasks in the labelled-field
shape, ``inline_plan`` as measures naming their units in a bracket, ``docx_plan`` as Word (paragraphs
and/or a table), each with switches for the variants real plans show.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

CN_NUMBERS = "一二三四五六七八九十"


def cn(n: int) -> str:
    if n <= 10:
        return CN_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_NUMBERS[tens - 1]) + "十" + (CN_NUMBERS[ones - 1] if ones else "")


def marker(style: str, n: int) -> str:
    if style.startswith("cn_"):
        return {"cn_dun": f"{cn(n)}、", "cn_paren": f"（{cn(n)}）", "cn_paren_half": f"({cn(n)})"}[style]
    return {
        "dot": f"{n}.",
        "dot_full": f"{n}．",
        "dun": f"{n}、",
        "paren": f"（{n}）",
        "circled": chr(0x2460 + n - 1),
    }[style]


@dataclass
class PlanMeasure:
    text: str
    lead: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    hedge: bool = False  # "(X、Y按职责分工负责)" instead of "(X牵头,Y配合)"


@dataclass
class PlanTask:
    description: str
    responsible: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    supervising: list[str] = field(default_factory=list)
    leader: str = ""
    deadline: str = ""
    goal: str = ""
    measures: list[PlanMeasure] = field(default_factory=list)


def unit_bracket(m: PlanMeasure, *, full_width: bool = True) -> str:
    o, c, comma = ("（", "）", "，") if full_width else ("(", ")", ",")
    if m.hedge:
        return f"{o}{'、'.join(m.lead)}按职责分工负责{c}"
    if not m.cooperating:
        return f"{o}{'、'.join(m.lead)}牵头负责{c}"
    return f"{o}{'、'.join(m.lead)}牵头{comma}{'、'.join(m.cooperating)}配合{c}"


def fields_plan(
    tasks: list[PlanTask],
    *,
    numbering: str = "cn_dun",
    measure_numbering: str = "dot",
    colon: str = "：",
    inline: bool = False,
    order: tuple[str, ...] = (
        "responsible",
        "lead",
        "cooperating",
        "supervising",
        "leader",
        "deadline",
        "goal",
    ),
    blank: int = 1,
    title: bool = True,
    furniture: bool = False,
    measures_inline: bool = False,
    measure_units: bool = False,
    bracket_labels: bool = False,
) -> str:
    out: list[str] = []
    gap = [""] * blank
    if title:
        out += ["附件", "", "XX县第二轮省生态环境保护督察反馈问题整改措施清单", ""]
    page = 1
    labels = {
        "responsible": "责任单位", "lead": "牵头单位", "cooperating": "配合单位", "supervising": "督导单位",
        "leader": "责任领导", "deadline": "整改时限", "goal": "整改目标",
    }  # fmt: skip

    def label(word: str, value: str) -> str:
        return f"【{word}】{value}" if bracket_labels else f"{word}{colon}{value}"

    for n, task in enumerate(tasks, 1):
        values = {
            "responsible": "、".join(task.responsible), "lead": "、".join(task.lead),
            "cooperating": "、".join(task.cooperating), "supervising": "、".join(task.supervising),
            "leader": task.leader, "deadline": task.deadline, "goal": task.goal,
        }  # fmt: skip
        fields = [label(labels[k], values[k]) for k in order if values[k]]
        head = f"{marker(numbering, n)}{task.description}"
        if inline and fields:
            out.append(head + " " + ";".join(fields))
        else:
            out.append(head)
            out += gap
            for f in fields:
                out.append(f)
                out += gap
        if task.measures:
            texts = [m.text + (unit_bracket(m) if measure_units and m.lead else "") for m in task.measures]
            if measures_inline:
                out.append(label("整改措施", "".join(f"{i}.{t}" for i, t in enumerate(texts, 1))))
            else:
                out.append(label("整改措施", ""))
                for i, text in enumerate(texts, 1):
                    out.append(f"{marker(measure_numbering, i)}{text}")
                    if furniture and i == 1:
                        # A page ends: its number, then the next page's running head (the title).
                        out += ["", f"- {page} -", ""] + (
                            ["XX县第二轮省生态环境保护督察反馈问题整改措施清单", ""] if title else []
                        )
                        page += 1
        out += gap
    return "\n".join(out) + "\n"


def inline_plan(
    sections: list[tuple[str, list[PlanMeasure]]],
    *,
    heading: str = "cn_paren",
    numbering: str = "dot",
    full_width: bool = True,
    unit_on_own_line: bool = False,
    preamble: bool = True,
    closing: bool = True,
) -> str:
    out: list[str] = []
    if preamble:
        out += [
            "XX县贯彻落实省生态环境保护督察反馈意见整改方案",
            "",
            "为切实抓好省生态环境保护督察反馈意见整改落实工作,制定本方案。",
            "一、总体要求",
            "坚持问题导向,压实整改责任。",
            "二、整改措施",
        ]
    for s, (title, measures) in enumerate(sections, 1):
        out.append(f"{marker(heading, s)}{title}")
        for i, m in enumerate(measures, 1):
            bracket = unit_bracket(m, full_width=full_width)
            if unit_on_own_line:
                out += [f"{marker(numbering, i)}{m.text}", bracket]
            else:
                out.append(f"{marker(numbering, i)}{m.text}{bracket}")
    if closing:
        out += ["三、保障措施", "（一）加强组织领导。", "各乡镇要高度重视,确保整改取得实效。"]
    return "\n".join(out) + "\n"


def docx_bytes(build) -> bytes:  # type: ignore[no-untyped-def]
    """A .docx made by ``build(document)`` (python-docx), as bytes."""
    import docx

    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_table(
    document,
    header: list[str],
    rows: list[list[str]],
    merge_down: dict[int, list[tuple[int, int]]] | None = None,
):  # type: ignore[no-untyped-def]
    """A table with ``header`` and ``rows``; ``merge_down[col]`` = [(first_row, last_row), …] (data rows,
    0-based) merged vertically; merged cells keep the first row's text."""
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    for c, text in enumerate(header):
        table.cell(0, c).text = text
    for r, row in enumerate(rows, 1):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for col, spans in (merge_down or {}).items():
        for first, last in spans:
            top = table.cell(first + 1, col)
            keep = top.text
            merged = top.merge(table.cell(last + 1, col))
            merged.text = keep
    return table
