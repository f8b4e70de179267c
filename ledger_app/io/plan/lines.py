"""Recognising the lines of a plan: numbering (一、 (一) 1. (1) ① ㈠ ⑴), field labels (责任单位: 【整改时限】
责 任 单 位:), brackets at a line's end, and the small text rules the readers share."""

from __future__ import annotations

import re

from ledger_app.domain.deadlines import Deadline, parse_deadline
from ledger_app.io.excel_in.units import UNIT_SUFFIXES
from ledger_app.io.import_plan import ParsedTask

from .drafts import Numbered
from .reading import unique

_CN = "[一二三四五六七八九十]{1,3}"
_NUMBER_RE = re.compile(
    r"[ \t\u3000]*(?:"
    rf"(?P<cn_dun>{_CN})[、.．](?![\d])"
    rf"|[(（](?P<cn_paren>{_CN})[)）]|(?P<cn_paren_sign>[\u3220-\u3229])"  # (一) and Word's ㈠
    r"|(?P<dot>\d{1,3})(?:[.．](?![\d.．])|、)"
    r"|[(（](?P<paren>\d{1,3})[)）]|(?P<paren_sign>[\u2474-\u2487])"  # (1) and ⑴
    r"|(?P<half>\d{1,3})[)）]"
    r"|(?P<circled>[\u2460-\u2473])"
    r")[ \t\u3000]*"
)
_RANK = {"cn_dun": 0, "cn_paren": 1, "dot": 2, "paren": 3, "half": 3, "circled": 4}
_HEADING_STYLES = ("cn_dun", "cn_paren")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

# Field labels as plans write them, longest first so "牵头责任单位" is not read as "责任单位".
_LABEL_FIELDS: dict[str, str] = {
    **dict.fromkeys(["牵头单位", "牵头部门", "主责单位", "牵头责任单位", "主责部门"], "lead_units"),
    **dict.fromkeys(["责任单位", "责任部门", "责任主体", "整改责任单位", "整改单位", "承办单位"], "responsible_units"),
    **dict.fromkeys(["配合单位", "配合部门", "协办单位", "协同单位"], "cooperating_units"),
    **dict.fromkeys(["督导单位", "督办单位", "督导部门", "督查单位"], "supervising_units"),
    **dict.fromkeys(["责任领导", "领办领导", "牵头领导", "包案领导", "分管领导", "责任县领导", "责任区领导",
                     "牵头县领导", "牵头区领导", "包抓领导"], "leader"),
    **dict.fromkeys(["责任人", "联系人", "具体责任人"], "contact"),
    **dict.fromkeys(["联系电话", "联系方式"], "contact_phone"),
    **dict.fromkeys(["整改时限", "完成时限", "整改期限", "完成时间", "时限", "整改时间"], "deadline"),
    **dict.fromkeys(["整改目标", "目标", "整改要求", "工作目标", "整改标准"], "goal"),
    **dict.fromkeys(["整改措施", "具体措施", "工作措施", "主要措施", "措施"], "measures"),
    **dict.fromkeys(["问题描述", "存在问题", "反馈问题", "具体问题", "问题表现"], "description"),
}  # fmt: skip
# Word typesetting spaces labels out to align them ("责 任 单 位:"): any spaces between the characters.
_LABEL_WORDS = "|".join(
    "[ \t\u3000]*".join(map(re.escape, word)) for word in sorted(_LABEL_FIELDS, key=len, reverse=True)
)
_LINE_LABEL_RE = re.compile(
    rf"[ \t\u3000]*(?:【(?P<b>{_LABEL_WORDS})】|(?P<l>{_LABEL_WORDS})[ \t\u3000]*[:：])"
)
# Inline, only labels of four characters or more ("工作目标:" inside a sentence is rarer than "目标:"); a
# 【】 label needs no mark before it: "【责任单位】县水利局【整改时限】2023年底前" is two fields.
_LONG_WORDS = "|".join(sorted((re.escape(w) for w in _LABEL_FIELDS if len(w) >= 4), key=len, reverse=True))
_INLINE_LABEL_RE = re.compile(rf"【(?P<b>{_LONG_WORDS})】|(?<=[\s。;；,，.)）])(?P<l>{_LONG_WORDS})\s*[:：]")
_EDGE = " \t\u3000。;；,，、"
_VALUE_EDGE = " \t\u3000;；,，、"  # a goal or a description keeps its full stop
_SENTENCE_END = "。;；!！?？:：)）"
_ROLE_WORD_RE = re.compile("牵头|配合|负责|协办|协助|参与|责任单位|牵头单位|主责")
_ROLE_VERB_RE = re.compile("牵头负责|负责牵头|牵头|配合|协助|协办|参与|负责")
_ALIAS_RE = re.compile(
    r"(?:以下|以上|下同|统称)?[,，]?(?P<what>[^()（）]*?)(?:统一|均|分别)?(?:简称|统称)为?"
    r"[“\"「『]?(?P<alias>[^”\"」』()（）,，。]{2,20})[”\"」』]?$"
)
# A definition in a bracket, "(以下简称“县住建局”)": no part of the unit name it follows.
_DEFINITION_RE = re.compile(r"[(（][^()（）]*(?:简称|统称)[^()（）]*[)）]")
_DEADLINE_LABEL_RE = re.compile(r"(?:完成时限|整改时限|完成时间|时限)\s*[:：]?\s*")
MAX_LOOKAHEAD = 40
# Headings of a plan's closing part: what it asks of the offices, not tasks of the ledger.
_CLOSING_RE = re.compile("保障措施|工作要求|组织保障|有关要求|工作保障|保障机制|组织实施")


def _cn_number(token: str) -> int:
    if token == "十":
        return 10
    if "十" in token:
        tens, _, ones = token.partition("十")
        return _CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(ones, 0)
    return _CN_DIGITS.get(token, 0)


def numbered(text: str) -> Numbered | None:
    match = _NUMBER_RE.match(text)
    if match is None or match.end() >= len(text.rstrip()):
        return None  # a number alone is no item ("3" is a page number, "(一)" a stray heading mark)
    style = match.lastgroup
    assert style is not None
    token = match.group(style)
    if style == "circled":
        number = ord(token) - 0x2460 + 1
    elif style == "cn_paren_sign":
        style, number = "cn_paren", ord(token) - 0x3220 + 1
    elif style == "paren_sign":
        style, number = "paren", ord(token) - 0x2474 + 1
    elif style.startswith("cn"):
        number = _cn_number(token)
    else:
        number = int(token)
    return Numbered(style, number, text[match.end() :].strip())


def line_label(text: str) -> tuple[str, str, int] | None:
    """(field, label as written, end of the label) when ``text`` starts with a field label."""
    match = _LINE_LABEL_RE.match(text)
    if match is None:
        return None
    word = re.sub(r"[ \t\u3000]", "", match.group("b") or match.group("l"))
    return _LABEL_FIELDS[word], word, match.end()


def split_labels(text: str) -> tuple[str, list[tuple[str, str, str]]]:
    """(text before the first label, [(field, label, value), …]) for a line holding labels."""
    found: list[tuple[int, int, str, str]] = []
    start = line_label(text)
    if start is not None:
        found.append((0, start[2], start[0], start[1]))
    for match in _INLINE_LABEL_RE.finditer(text, found[0][1] if found else 0):
        if _bracket_depth(text, match.start()):
            continue  # "(责任单位:X;完成时限:Y)" at a measure's end belongs to that measure
        word = match.group("b") or match.group("l")
        found.append((match.start(), match.end(), _LABEL_FIELDS[word], word))
    if not found:
        return text, []
    head = text[: found[0][0]]
    parts = []
    for i, (_, end, key, word) in enumerate(found):
        stop = found[i + 1][0] if i + 1 < len(found) else len(text)
        parts.append((key, word, text[end:stop].strip(_VALUE_EDGE)))
    return head, parts


def _bracket_depth(text: str, end: int) -> int:
    depth = 0
    for ch in text[:end]:
        if ch in "(（":
            depth += 1
        elif ch in ")）" and depth:
            depth -= 1
    return depth


def _tail_paren(text: str) -> tuple[str, str] | None:
    """(text before, inside) when ``text`` ends in a bracket (nested brackets allowed), else None."""
    stripped = text.rstrip(_EDGE.replace("、", "") + ".")
    if not stripped.endswith((")", "）")):
        return None
    depth = 0
    for i in range(len(stripped) - 1, -1, -1):
        ch = stripped[i]
        if ch in ")）":
            depth += 1
        elif ch in "(（":
            depth -= 1
            if depth == 0:
                return stripped[:i].rstrip(), stripped[i + 1 : -1].strip()
    return None


def _looks_like_unit(name: str) -> bool:
    bare = re.sub(r"[(（][^()（）]*[)）]$", "", name)
    return len(bare) >= 2 and bare.endswith(UNIT_SUFFIXES)


def _join(text: str, more: str) -> str:
    more = more.strip()
    if not text:
        return more
    return f"{text}\n{more}" if text.rstrip()[-1:] in _SENTENCE_END else f"{text}{more}"


def _clause_before(text: str, end: int) -> str:
    before = text[:end]
    cut = max(before.rfind(ch) for ch in ",，。;；:：")
    clause = before[cut + 1 :].strip()
    num = numbered(clause)
    return num.body if num is not None else clause


def _trim_role_clauses(text: str) -> str:
    """ "各乡镇负责具体问题整改" → "各乡镇负责": what a unit does after its role word is no unit name."""
    clauses = re.split(r"([,，;；])", text)
    out = []
    for clause in clauses:
        verb = _ROLE_VERB_RE.search(clause)
        if verb is not None and verb.start() > 0:
            rest = clause[verb.end() :].strip(_EDGE)
            if rest and not _looks_like_unit(rest) and not _ROLE_VERB_RE.search(rest):
                clause = clause[: verb.end()]
        out.append(clause)
    return "".join(out)


def _deadline_clause(inner: str) -> tuple[str, Deadline]:
    """A deadline named inside the unit bracket ("…牵头,2023年底前完成") taken out of it."""
    parts = re.split(r"[,，;；]", inner)
    kept: list[str] = []
    found = Deadline("")
    for part in parts:
        bare = _DEADLINE_LABEL_RE.sub("", part.strip()).strip()
        if found.is_empty and bare and not _ROLE_WORD_RE.search(bare):
            candidate = parse_deadline(re.sub(r"(?:前)?完成$", "前" if "前" not in bare else "", bare))
            if candidate.understood and not candidate.is_empty:
                found = Deadline(bare, candidate.date, candidate.long_term)
                continue
        kept.append(part)
    return ",".join(kept), found


def _roles_from_measures(task: ParsedTask) -> None:
    """A task that names no units of its own answers through the units its measures name."""
    if task.lead_units or task.responsible_units or task.cooperating_units:
        return
    task.lead_units = unique(n for m in task.measures for n in m.lead_units)
    task.cooperating_units = unique(
        n for m in task.measures for n in m.cooperating_units if n not in task.lead_units
    )


def _deadline_from_measures(task: ParsedTask) -> None:
    dated = [m.deadline for m in task.measures if m.deadline.date is not None]
    if dated:
        task.deadline = max(dated, key=lambda d: d.date)  # type: ignore[arg-type, return-value]
    elif any(m.deadline.long_term for m in task.measures):
        task.deadline = next(m.deadline for m in task.measures if m.deadline.long_term)
