"""整改措施 cells: numbered items in one cell, and the units and deadline an item names itself.

Numbering styles: "1." "1、" "(1)" "1)" "①" "一、" "(一)" "一是". An item starts at the start of
the cell, of a line, or after 。;; (circled numbers anywhere); numbers must run on (1, 2, 3 …), so
"1.5万吨" or a "2023." inside a sentence never splits. Text before the first item is kept as an item
of its own, unless it only introduces the list ("整改措施:", "采取以下措施:").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ledger_app.domain.deadlines import Deadline, parse_deadline

from .xl_units import UnitReader

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_START = r"(?:^|(?<=[\n。;;]))[ \t\u3000]*"
_CN = "[一二三四五六七八九十]{1,3}"
_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dot", re.compile(_START + r"(\d{1,2})[.．](?![\d.．])")),
    ("dun", re.compile(_START + r"(\d{1,2})[、,,](?!\d)")),
    ("paren", re.compile(_START + r"[((](\d{1,2})[))]")),
    ("half", re.compile(_START + r"(\d{1,2})[))]")),
    ("circled", re.compile(r"[ \t\u3000]*([\u2460-\u2473])")),
    ("cn_dun", re.compile(_START + rf"({_CN})[、.．]")),
    ("cn_paren", re.compile(_START + rf"[((]({_CN})[))]")),
    ("cn_shi", re.compile(_START + rf"({_CN})是")),
)
_INTRO_RE = re.compile(r"[::]\s*$")
_TRAIL_EDGE = " \t\n\u3000;;,,"

_PAREN_TAIL_RE = re.compile(r"[((]([^()()]{2,300})[))][\s。.;;,,]*$")
_ROLE_WORD_RE = re.compile("牵头|配合|负责|协办|协助|责任单位|牵头单位|责任部门")
_DEADLINE_LABEL_RE = re.compile(r"(?:完成时限|整改时限|完成时间|时限)\s*[::]\s*([^,,;;。)\)\n]+)")
_DEADLINE_IN_TEXT_RE = re.compile(
    r"\d{4}\s*年\s*(?:\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?\s*[底末]?|[底末]|[上下]半年)\s*(?:以前|之前|前)"
)


def _number(style: str, token: str) -> int:
    if style == "circled":
        return ord(token) - 0x2460 + 1
    if style.startswith("cn"):
        return _cn_number(token)
    return int(token)


def _cn_number(token: str) -> int:
    if token == "十":
        return 10
    if "十" in token:
        tens, _, ones = token.partition("十")
        return _CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(ones, 0)
    return _CN_DIGITS.get(token, 0) if len(token) == 1 else 0


def _run(style: str, pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """(start of marker, start of item text) for the markers that count on from the first."""
    marks: list[tuple[int, int]] = []
    expected = None
    for match in pattern.finditer(text):
        number = _number(style, match.group(1))
        if number <= 0:
            continue
        if expected is None or number == expected:
            marks.append((match.start(), match.end()))
            expected = number + 1
    return marks


def split_measures(text: str) -> list[str]:
    """The items of a 整改措施 cell, numbering removed; an unnumbered cell is one item."""
    text = text.strip()
    if not text:
        return []
    best: list[tuple[int, int]] = []
    for style, pattern in _STYLES:
        marks = _run(style, pattern, text)
        if not marks:
            continue
        # The earliest list wins (a "(1)" inside item "1." is a sub-point); then the longer one.
        if not best or (marks[0][0], -len(marks)) < (best[0][0], -len(best)):
            best = marks
    if not best or (len(best) == 1 and text[: best[0][0]].strip()):
        return [text]
    items: list[str] = []
    intro = text[: best[0][0]].strip(_TRAIL_EDGE)
    if intro and not _INTRO_RE.search(intro):
        items.append(intro)
    for i, (_, body_start) in enumerate(best):
        end = best[i + 1][0] if i + 1 < len(best) else len(text)
        item = text[body_start:end].strip(_TRAIL_EDGE)
        if item:
            items.append(item)
    return items or [text]


@dataclass(frozen=True, slots=True)
class MeasureDetails:
    lead_units: list[str]
    cooperating_units: list[str]
    deadline: Deadline


def measure_details(text: str, units: UnitReader) -> MeasureDetails:
    """Units and deadline an item names itself: "…(县住建局牵头,县水利局配合)", "2023年6月底前完成…"."""
    lead: list[str] = []
    cooperating: list[str] = []
    deadline = Deadline("")
    tail = _PAREN_TAIL_RE.search(text)
    if tail is not None:
        inner = tail.group(1)
        label = _DEADLINE_LABEL_RE.search(inner)
        if label is not None:
            deadline = parse_deadline(label.group(1).strip())
            inner = inner[: label.start()] + inner[label.end() :]
        if _ROLE_WORD_RE.search(inner):
            roles = units.roles(inner, "responsible")
            lead = roles.lead + [u for u in roles.responsible if u not in roles.lead]
            cooperating = roles.cooperating
        elif deadline.is_empty:
            whole = parse_deadline(inner)
            if whole.understood and not whole.is_empty:
                deadline = whole
    if deadline.is_empty:
        label = _DEADLINE_LABEL_RE.search(text)
        found = label.group(1).strip() if label else None
        if found is None:
            in_text = _DEADLINE_IN_TEXT_RE.search(text)
            found = in_text.group(0) if in_text else None
        if found is not None:
            candidate = parse_deadline(found)
            if candidate.understood:
                deadline = candidate
    return MeasureDetails(lead, cooperating, deadline)
