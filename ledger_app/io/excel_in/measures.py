"""整改措施 cells: numbered items in one cell, and the units and deadline an item names itself.

Numbering styles: "1." "1、" "(1)" "1)" "①" "一、" "(一)" "一是". An item starts at the start of
the cell, of a line, or after 。;； (circled numbers anywhere); numbers must run on (1, 2, 3 …), so
"1.5万吨" or a "2023." inside a sentence never splits. Text before the first item is kept as an item
of its own, unless it only introduces the list ("整改措施:", "采取以下措施:").

An item ending in the annotation the monthly report writes, "(牵头:X、Y;配合:Z;时限:2024年底前)",
has it taken off its text and read as the measure's own units and deadline. Otherwise units and a
deadline are read from the text as offices write them, which stays as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ledger_app.domain.deadlines import Deadline, parse_deadline
from ledger_app.io.excel_in.units import UnitReader, split_plain_list

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "[一二三四五六七八九十]{1,3}"
# Where an item may start: the start of the cell, of a line, or of a sentence.
_BREAK_RE = re.compile("[\n。;；]")
# One marker at such a place; the group that matched names its style.
_MARKER_RE = re.compile(
    r"[ \t\u3000]*(?:"
    r"(?P<dot>\d{1,2})[.．](?![\d.．])"
    r"|(?P<dun>\d{1,2})、(?!\d)"
    r"|[(（](?P<paren>\d{1,2})[)）]"
    r"|(?P<half>\d{1,2})[)）]"
    rf"|(?P<cn_dun>{_CN})[、.．]"
    rf"|[(（](?P<cn_paren>{_CN})[)）]"
    rf"|(?P<cn_shi>{_CN})是"
    r")"
)
_SENTENCE_MARK_RE = re.compile(
    rf"[。;；][ \t\u3000]*(?:\d{{1,2}}[.．、)）]|[(（](?:\d{{1,2}}|{_CN})[)）]|{_CN}[、.．是])"
)
_CIRCLED_RE = re.compile(r"[ \t\u3000]*([\u2460-\u2473])")
_INTRO_RE = re.compile(r"[:：]\s*$")
_TAIL_EDGE = " \t\n\u3000。.;；,，"
_EMPTY_DEADLINE = Deadline("")
_TRAIL_EDGE = " \t\n\u3000;；,，"

# A bracket may hold one level of brackets: "(市生态环境局牵头,各县(区)配合)".
_INNER = r"(?:[^()（）\n]|[(（][^()（）\n]*[)）])"
_PAREN_TAIL_RE = re.compile(rf"[(（]({_INNER}{{2,300}})[)）][\s。.;；,，]*$")
# The monthly report's own annotation (report_content.measure_annotation): labels in this order.
_ANNOTATION_RE = re.compile(
    r"[(（](?=牵头[:：]|配合[:：]|时限[:：])"
    rf"(?:牵头[:：](?P<lead>(?:(?![;；]){_INNER})+))?"
    rf"(?:[;；]?配合[:：](?P<coop>(?:(?![;；]){_INNER})+))?"
    rf"(?:[;；]?时限[:：](?P<deadline>{_INNER}*))?"
    r"[)）]"
)
_LABELS = ("牵头", "配合", "时限")
_CLOSERS = (")", "）")
_ROLE_WORD_RE = re.compile("牵头|配合|负责|协办|协助|责任单位|牵头单位|责任部门")
_DEADLINE_LABEL_RE = re.compile(r"(?:完成时限|整改时限|完成时间|时限)\s*[:：]\s*([^,，;；。）\)\n]+)")
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


def _starts(text: str) -> list[int]:
    """Where items may start: line starts, and sentence starts only when a marker follows one
    (most cells put one item a line; scanning every sentence of them would be wasted)."""
    if _SENTENCE_MARK_RE.search(text):
        return [0, *(m.end() for m in _BREAK_RE.finditer(text))]
    starts = [0]
    position = text.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


def _candidates(text: str) -> dict[str, list[tuple[int, int, int]]]:
    """Markers by style: (number, start of marker, start of item text), in text order."""
    found: dict[str, list[tuple[int, int, int]]] = {}
    for start in _starts(text):
        match = _MARKER_RE.match(text, start)
        if match is not None:
            style = match.lastgroup
            assert style is not None
            found.setdefault(style, []).append(
                (_number(style, match.group(style)), match.start(), match.end())
            )
    # A circled list has ①, or (one item a row) starts with its number: "in" is fast, a regex is not.
    if "①" in text or "\u2460" <= text[:1] <= "\u2473":
        found["circled"] = [
            (_number("circled", m.group(1)), m.start(), m.end()) for m in _CIRCLED_RE.finditer(text)
        ]
    return found


def _run(marks: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """(start of marker, start of item text) for the markers that count on from the first."""
    run: list[tuple[int, int]] = []
    expected = None
    for number, start, end in marks:
        if number <= 0:
            continue
        if expected is None or number == expected:
            run.append((start, end))
            expected = number + 1
    return run


# "1.…" on every line: the cell read in one pass (the monthly report writes its measures so).
_DOT_LINES_RE = re.compile(r"^[ \t\u3000]*(\d{1,2})[.．](?![\d.．])(.*)$", re.MULTILINE)


def _one_item_a_line(text: str) -> list[str] | None:
    """The usual cell, "1.…\n2.…\n3.…": every line starts with the next number of one style.
    Then no sentence can hide a further marker worth a look, and the general search is spared."""
    if _SENTENCE_MARK_RE.search(text) is None:
        if "\n" not in text:  # one measure: "1.…" is its number and text
            single = _DOT_LINES_RE.match(text)
            item = single.group(2).strip(_TRAIL_EDGE) if single is not None else ""
            return [item] if item else None
        found = _DOT_LINES_RE.findall(text)
        if len(found) == text.count("\n") + 1:
            first = int(found[0][0])
            items = [body.strip(_TRAIL_EDGE) for _, body in found]
            if all(int(n) == first + i for i, (n, _) in enumerate(found)) and all(items):
                return items
    lines = text.split("\n")
    if len(lines) < 2:
        return None
    items, style, expected = [], None, 0
    for line in lines:
        match = _MARKER_RE.match(line)
        if match is None or (style is not None and match.lastgroup != style):
            return None
        style = match.lastgroup
        assert style is not None
        number = _number(style, match.group(style))
        if expected and number != expected:
            return None
        expected = number + 1
        item = line[match.end() :].strip(_TRAIL_EDGE)
        if not item or _SENTENCE_MARK_RE.search(item):
            return None
        items.append(item)
    return items


def split_measures(text: str) -> list[str]:
    """The items of a 整改措施 cell, numbering removed; an unnumbered cell is one item."""
    text = text.strip()
    if not text:
        return []
    fast = _one_item_a_line(text)
    if fast is not None:
        return fast
    best: list[tuple[int, int]] = []
    for candidates in _candidates(text).values():
        marks = _run(candidates)
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


def _has_year(text: str) -> bool:
    """A digit (or a space) right before 年 ("2023年"): cheaper to look for than the date regex."""
    return "年" in text and _YEAR_RE.search(text) is not None


_YEAR_RE = re.compile(r"[\d ]年")


@dataclass(frozen=True, slots=True)
class MeasureDetails:
    lead_units: tuple[str, ...]
    cooperating_units: tuple[str, ...]
    deadline: Deadline


_NOTHING = MeasureDetails((), (), _EMPTY_DEADLINE)


def read_measures(text: str, units: UnitReader) -> list[tuple[str, MeasureDetails]]:
    """The items of a 整改措施 cell, each with the units and deadline it names itself (an item's
    text comes without the monthly report's annotation, which it was read from)."""
    items = split_measures(text)
    # Most cells name neither units nor dates: one look at the whole cell spares a look at each item.
    if (
        ")" not in text
        and "）" not in text
        and "时限" not in text
        and "完成时间" not in text
        and not _has_year(text)
    ):
        return [(item, _NOTHING) for item in items]
    read: list[tuple[str, MeasureDetails]] = []
    for item in items:
        annotation = _annotation(item) if item[-1:] in _CLOSERS else None
        if annotation is None:
            read.append((item, measure_details(item, units)))
            continue
        text, details, labelled = annotation
        if not labelled and _has_year(text):
            # As for any measure: a date the text gives ("2023年底前完成…") when no 时限 is labelled.
            found = measure_details(text, units).deadline
            details = MeasureDetails(details.lead_units, details.cooperating_units, found)
        read.append((text, details))
    return read


def _annotation(item: str) -> tuple[str, MeasureDetails, bool] | None:
    """(text, details, whether it names a 时限, even an empty one) when ``item`` ends in the monthly
    report's annotation, else None."""
    if item[-1:] not in _CLOSERS:
        return None
    # From the last bracket leftwards to one that opens with a label ("各乡镇(街道)" inside the
    # annotation opens none): a few string searches instead of a regex tried at every position.
    end = len(item)
    while True:
        start = max(item.rfind("(", 0, end), item.rfind("（", 0, end))
        if start <= 0:
            return None
        if item[start + 1 : start + 3] in _LABELS:
            annotation = item[start:]
            found = _ANNOTATIONS.get(annotation)  # met before: it matched then
            if found is not None:
                return item[:start], *found
            match = _ANNOTATION_RE.fullmatch(item, start)
            if match is not None:
                break
        end = start
    lead, coop, deadline = match.group("lead"), match.group("coop"), match.group("deadline")
    details = MeasureDetails(
        tuple(split_plain_list(lead)) if lead else (),
        tuple(split_plain_list(coop)) if coop else (),
        _deadline(deadline.strip()) if deadline else _EMPTY_DEADLINE,
    )
    if len(_ANNOTATIONS) < 20_000:  # the same units and deadline annotate many measures
        _ANNOTATIONS[annotation] = (details, deadline is not None)
    return item[:start], details, deadline is not None


_ANNOTATIONS: dict[str, tuple[MeasureDetails, bool]] = {}


_DEADLINES: dict[str, Deadline] = {}


def _deadline(text: str) -> Deadline:
    """parse_deadline, remembered: the same few deadlines come back on thousands of measures."""
    found = _DEADLINES.get(text)
    if found is None:
        found = parse_deadline(text)
        if len(_DEADLINES) < 10_000:
            _DEADLINES[text] = found
    return found


def strip_annotation(text: str) -> str:
    """``text`` without a trailing monthly-report annotation "(牵头:…;时限:…)" (unchanged when it has none)."""
    found = _annotation(text)
    return text if found is None else found[0]


def measure_details(text: str, units: UnitReader) -> MeasureDetails:
    """Units and deadline an item names itself: "…(县住建局牵头,县水利局配合)", "2023年6月底前完成…"."""
    # Plain substring tests (fast) spare the regexes for items that name neither.
    has_tail = text.rstrip(_TAIL_EDGE)[-1:] in (")", "）")
    has_label = "时限" in text or "完成时间" in text
    has_year = _has_year(text)
    if not (has_tail or has_label or has_year):
        return _NOTHING
    lead: tuple[str, ...] = ()
    cooperating: tuple[str, ...] = ()
    deadline = _EMPTY_DEADLINE
    tail = _PAREN_TAIL_RE.search(text) if has_tail else None
    if tail is not None:
        inner = tail.group(1)
        label = _DEADLINE_LABEL_RE.search(inner)
        if label is not None:
            deadline = parse_deadline(label.group(1).strip())
            inner = inner[: label.start()] + inner[label.end() :]
        if _ROLE_WORD_RE.search(inner):
            roles = units.roles(inner, "responsible")
            lead = tuple({**roles.lead, **roles.responsible})
            cooperating = tuple(roles.cooperating)
        elif deadline.is_empty:
            whole = parse_deadline(inner)
            if whole.understood and not whole.is_empty:
                deadline = whole
    if deadline.is_empty:
        label = _DEADLINE_LABEL_RE.search(text) if has_label else None
        found = label.group(1).strip() if label else None
        if found is None and has_year:
            in_text = _DEADLINE_IN_TEXT_RE.search(text)
            found = in_text.group(0) if in_text else None
        if found is not None:
            candidate = parse_deadline(found)
            if candidate.understood:
                deadline = candidate
    return MeasureDetails(lead, cooperating, deadline)
