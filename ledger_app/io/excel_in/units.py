"""Unit lists as offices write them: split into names, and sorted into lead / cooperating roles.

Splitting: on 、,，;；/ newlines and spaces, never inside brackets ("各县(市、区)" stays whole),
never inside a name the caller knows (its unit directory), and on 和/及/与 only where both sides
end like a unit and the right one starts like a unit's name, with a place ("县住建局和县水利局",
"市生态环境局及各县(区)" split; "县自然资源和规划局", "区农业农村和水利局" do not).

Roles: "牵头单位:X\\n配合单位:Y", "X牵头,Y、Z配合", "X(牵头)、Y", "X、Y按职责分工负责". Units that a
text names without a role are cooperating when the text names a lead but no cooperating unit
("X(牵头)、Y"), else they keep the column's role.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

# How unit names end. "部门" and "单位" cover "县直各部门", "各相关单位".
UNIT_SUFFIXES = (
    "局", "委", "办", "院", "会", "政府", "公司", "中心", "街道", "镇", "乡", "所", "队", "站", "部",
    "室", "厅", "处", "科", "组", "部门", "单位", "集团", "社区", "村", "馆", "校", "园区", "区", "县",
    "市", "场", "厂", "监委", "法院", "检察院",
)  # fmt: skip

_OPEN = "(（[【〔{"
_CLOSE = ")）]】〕}"
_SEPARATORS = "、,，;；/\n\t \xa0\u3000"
_CONJUNCTIONS = "和及与"
# How the second name of "X和Y" starts when it is a name of its own: a place or "各" (each).
_PLACE_STARTS = "省市县区镇乡街村各全"
# Cells without brackets (nearly all) are split by one regex instead of a loop over characters.
_BRACKET_RE = re.compile(f"[{re.escape(_OPEN + _CLOSE)}]")
_SEPARATOR_RE = re.compile(f"[{re.escape(_SEPARATORS)}]")
_CONJUNCTION_RE = re.compile(f"[{_CONJUNCTIONS}]")

_LABEL_RE = re.compile(
    r"(?P<label>牵头单位|牵头部门|主责单位|牵头|责任单位|责任部门|责任主体|配合单位|配合部门|协办单位|协助单位|配合"
    r"|督导单位|督办单位|督导|督办|责任)\s*[:：]"
)
_LINE_LABEL_RE = re.compile(rf"\s*(?:{_LABEL_RE.pattern})")
# "牵头:X、Y" and nothing more (no second label, no bracket, so no marker): the label says it all.
_SIMPLE_LABEL_LINE_RE = re.compile(rf"\s*{_LABEL_RE.pattern}(?P<names>[^:：{re.escape(_OPEN + _CLOSE)}]*)")
_LABEL_ROLE = {
    "牵头单位": "lead", "牵头部门": "lead", "主责单位": "lead", "牵头": "lead",
    "责任单位": "responsible", "责任部门": "responsible", "责任主体": "responsible",
    "配合单位": "cooperating", "配合部门": "cooperating", "协办单位": "cooperating", "协助单位": "cooperating",
    "配合": "cooperating", "督导单位": "supervising", "督办单位": "supervising",
    "督导": "supervising", "督办": "supervising", "责任": "responsible",
}  # fmt: skip
# A clause names its units, then says what they do: "县住建局牵头", "县水利局、各乡镇配合".
_VERB_RE = re.compile(r"(?P<verb>牵头负责|负责牵头|牵头|配合|协助|协办|参与|负责)")
_VERB_ROLE = {
    "牵头负责": "lead", "负责牵头": "lead", "牵头": "lead",
    "配合": "cooperating", "协助": "cooperating", "协办": "cooperating", "参与": "cooperating",
    "负责": "responsible",
}  # fmt: skip
_MARKER_RE = re.compile(r"[(（](牵头|配合|协办|协助|主责|负责)[)）]")
_MARKER_ROLE = {"牵头": "lead", "主责": "lead", "配合": "cooperating", "协办": "cooperating",
                "协助": "cooperating", "负责": "responsible"}  # fmt: skip
_HEDGE_TAIL_RE = re.compile(r"(按职责分工|按照职责分工|按职责|分别|共同|具体)$")
# "X、Y等", "X等相关单位", "X等县直有关部门": the list's own ending, not part of the last name.
_TRAIL_RE = re.compile(r"等(?:[\u4e00-\u9fff]{0,8}(?:单位|部门))?$")
_CLAUSE_SPLIT = ",，;；\n"
_EDGE_PUNCT = " \t\u3000。.:：,，;；、\"'“”‘’"

MAX_UNIT_CHARS = 40  # longer than any unit name: a sentence that found its way into a unit cell


@dataclass(slots=True)
class UnitRoles:
    """Unit names by role; each role an ordered set (a dict of names), first mention first."""

    lead: dict[str, None] = field(default_factory=dict)
    responsible: dict[str, None] = field(default_factory=dict)
    cooperating: dict[str, None] = field(default_factory=dict)
    supervising: dict[str, None] = field(default_factory=dict)

    def add(self, role: str, names: Iterable[str]) -> None:
        getattr(self, role).update(dict.fromkeys(names))

    def merge(self, other: UnitRoles) -> None:
        self.lead.update(other.lead)
        self.responsible.update(other.responsible)
        self.cooperating.update(other.cooperating)
        self.supervising.update(other.supervising)

    @property
    def empty(self) -> bool:
        return not (self.lead or self.responsible or self.cooperating or self.supervising)

    def all(self) -> list[str]:
        return list({**self.lead, **self.responsible, **self.cooperating, **self.supervising})


class UnitReader:
    """Reads unit cells for one import; remembers each distinct text (cells repeat a lot)."""

    def __init__(self, known_units: Collection[str] = ()) -> None:
        known = sorted({" ".join(u.split()) for u in known_units if u and u.strip()}, key=len, reverse=True)
        self._known = frozenset(known)
        # Only names a split could cut need protecting; plain names split correctly by themselves.
        risky = [k for k in known if any(ch in k for ch in _SEPARATORS + _CONJUNCTIONS + _OPEN)]
        self._known_re = re.compile("|".join(map(re.escape, risky))) if risky else None
        self._split_cache: dict[str, list[str]] = {}
        self._piece_cache: dict[str, list[str]] = {}
        self._roles_cache: dict[tuple[str, str], UnitRoles] = {}

    # -- splitting ---------------------------------------------------------------------------
    def split(self, text: str) -> list[str]:
        """Unit names in ``text``, in order, each once."""
        cached = self._split_cache.get(text)
        if cached is None:
            cached = self._split(text)
            if len(self._split_cache) < 50_000:
                self._split_cache[text] = cached
        return list(cached)

    def _split(self, text: str) -> list[str]:
        protected: list[str] = []
        if self._known_re is not None:

            def hide(match: re.Match[str]) -> str:
                protected.append(match.group(0))
                return chr(0xE000 + len(protected) - 1)

            text = self._known_re.sub(hide, text)
        names: list[str] = []
        for piece in _split_top_level(text):
            if protected:
                found = []
                for name in self._split_conjunctions(piece):
                    name = re.sub("[\ue000-\uf8ff]", lambda m: protected[ord(m.group(0)) - 0xE000], name)
                    found.append(_clean_name(name))
            else:
                # The same few unit names make up thousands of different lists: read each once.
                cached = self._piece_cache.get(piece)
                if cached is None:
                    cached = [_clean_name(name) for name in self._split_conjunctions(piece)]
                    if len(self._piece_cache) < 50_000:
                        self._piece_cache[piece] = cached
                found = cached
            for name in found:
                if name and name not in names:
                    names.append(name)
        return names

    def _split_conjunctions(self, piece: str) -> list[str]:
        if _CONJUNCTION_RE.search(piece) is None or piece in self._known:
            return [piece]
        depth = 0
        for i, ch in enumerate(piece):
            if ch in _OPEN:
                depth += 1
            elif ch in _CLOSE:
                depth = max(0, depth - 1)
            elif depth == 0 and ch in _CONJUNCTIONS and 0 < i < len(piece) - 1:
                left, right = piece[:i], piece[i + 1 :]
                if (
                    _ends_like_unit(left)
                    and _ends_like_unit(right)
                    and (right[0] in _PLACE_STARTS or right[0] == left.lstrip(_EDGE_PUNCT)[:1])
                    and left not in self._known
                ):
                    return [left, *self._split_conjunctions(right)]
        return [piece]

    # -- roles -------------------------------------------------------------------------------
    def roles(self, text: str, default: str = "responsible") -> UnitRoles:
        """Units in ``text`` sorted by role; units without a role word get ``default``.

        The result is shared between equal texts (cells repeat a lot): merge it, never change it.
        """
        key = (text, default)
        cached = self._roles_cache.get(key)
        if cached is None:
            lines = text.split("\n") if "\n" in text else None
            if lines and all(_LINE_LABEL_RE.match(line) for line in lines):
                # "牵头:…\n配合:…": each line says all about its units, and lines repeat far more
                # than whole cells do: read (and remember) line by line.
                cached = UnitRoles()
                for line in lines:
                    cached.merge(self.roles(line, default))
            else:
                cached = self._roles(text, default)
            if len(self._roles_cache) < 50_000:
                self._roles_cache[key] = cached
        return cached

    def _roles(self, text: str, default: str) -> UnitRoles:
        result = UnitRoles()
        simple = _SIMPLE_LABEL_LINE_RE.fullmatch(text)
        if simple is not None:  # the monthly report's lines, and many offices' cells
            names = simple["names"]
            if names.strip(_EDGE_PUNCT):
                result.add(_LABEL_ROLE[simple["label"]], self.split(names))
            return result
        segments: list[tuple[str | None, str]] = []
        last_end, last_role = 0, None
        for match in _LABEL_RE.finditer(text):
            segments.append((last_role, text[last_end : match.start()]))
            last_role, last_end = _LABEL_ROLE[match.group("label")], match.end()
        segments.append((last_role, text[last_end:]))

        unassigned: list[str] = []
        explicit_cooperating = False
        for label_role, segment in segments:
            if not segment.strip(_EDGE_PUNCT):
                continue
            if label_role is not None:
                # "牵头单位:X" says it all; markers inside still win ("配合单位:Y(牵头)" is no one's style).
                for role, names in self._marked(segment):
                    result.add(role or label_role, names)
                explicit_cooperating |= label_role == "cooperating"
                continue
            for clause in _split_clauses(segment):
                # "X(牵头)、Y" marks each unit itself; a verb in it belongs to the marker. Verbs are
                # read one after another: "X牵头、Y配合" is two clauses joined by 、.
                while clause:
                    verb = None if _MARKER_RE.search(clause) else _VERB_RE.search(clause)
                    if verb is None or verb.start() == 0:
                        break
                    role = _VERB_ROLE[verb.group("verb")]
                    units_text = _HEDGE_TAIL_RE.sub("", clause[: verb.start()].rstrip(_EDGE_PUNCT))
                    for marked_role, names in self._marked(units_text):
                        result.add(marked_role or role, names)
                    explicit_cooperating |= role == "cooperating"
                    clause = clause[verb.end() :].strip(_EDGE_PUNCT)
                if not clause:
                    continue
                marked = self._marked(clause)
                if result.lead and len(marked) > 1 and _closing_marker_role(clause) == "cooperating":
                    # "X(牵头),Y、Z(配合)": a 配合 closing the clause speaks for all of its units.
                    marked = [("cooperating" if role is None else role, names) for role, names in marked]
                for marked_role, names in marked:
                    if marked_role is None:
                        for name in names:
                            verb_role, bare = _trailing_verb(name)
                            if verb_role is not None:
                                result.add(verb_role, [bare])
                                explicit_cooperating |= verb_role == "cooperating"
                            elif name not in unassigned:
                                unassigned.append(name)
                    else:
                        result.add(marked_role, names)
                        explicit_cooperating |= marked_role == "cooperating"
        if unassigned:
            if result.lead and not explicit_cooperating and default in ("responsible", "lead"):
                result.add("cooperating", unassigned)
            else:
                result.add(default, unassigned)
        return result

    def _marked(self, text: str) -> list[tuple[str | None, list[str]]]:
        """Names in ``text`` with the role their own "(牵头)" marker gives them, else None."""
        if not _MARKER_RE.search(text):
            return [(None, self.split(text))]
        out: list[tuple[str | None, list[str]]] = []
        for name in self.split(_MARKER_RE.sub(lambda m: f"\ue900{m.group(1)}\ue901", text)):
            marker = re.search("\ue900(.+?)\ue901", name)
            clean = _clean_name(re.sub("\ue900.+?\ue901", "", name))
            if clean:
                out.append((_MARKER_ROLE[marker.group(1)] if marker else None, [clean]))
        return out


def split_plain_list(text: str) -> list[str]:
    """Names joined by 、 only (as the monthly report writes them): no split inside brackets or on 和."""
    names: list[str] = []
    pieces = text.split("、") if _BRACKET_RE.search(text) is None else _split_top_level(text, "、")
    for piece in pieces:
        name = " ".join(piece.split())
        if name and name not in names:
            names.append(name)
    return names


def _split_top_level(text: str, separators: str = _SEPARATORS) -> list[str]:
    """Split on separators outside brackets."""
    if _BRACKET_RE.search(text) is None:
        if separators is _SEPARATORS:
            pieces = _SEPARATOR_RE.split(text)
        else:
            pieces = re.split(f"[{re.escape(separators)}]", text)
        return [p for p in pieces if p.strip()]
    pieces, current, depth = [], [], 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in separators:
            pieces.append("".join(current))
            current = []
            continue
        current.append(ch)
    pieces.append("".join(current))
    return [p for p in pieces if p.strip()]


_CLAUSE_RE = re.compile(f"[{re.escape(_CLAUSE_SPLIT)}]")


def _split_clauses(text: str) -> list[str]:
    if _BRACKET_RE.search(text) is None:
        return [c.strip(_EDGE_PUNCT) for c in _CLAUSE_RE.split(text) if c.strip(_EDGE_PUNCT)]
    clauses, current, depth = [], [], 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in _CLAUSE_SPLIT:
            clauses.append("".join(current))
            current = []
            continue
        current.append(ch)
    clauses.append("".join(current))
    return [c.strip(_EDGE_PUNCT) for c in clauses if c.strip(_EDGE_PUNCT)]


def _closing_marker_role(clause: str) -> str | None:
    """The role of a "(配合)" marker that ends ``clause``, if one does and it is the clause's only marker."""
    tail = _MARKER_RE.fullmatch(clause.rstrip(_EDGE_PUNCT)[-4:])
    if tail is None or len(_MARKER_RE.findall(clause)) != 1:
        return None
    return _MARKER_ROLE[tail.group(1)]


def _trailing_verb(name: str) -> tuple[str | None, str]:
    """ "县水利局配合" → ("cooperating", "县水利局"); a name without a role verb → (None, name)."""
    for verb, role in _VERB_ROLE.items():
        if name.endswith(verb) and len(name) > len(verb) + 1:
            return role, _HEDGE_TAIL_RE.sub("", name[: -len(verb)]).strip(_EDGE_PUNCT)
    return None, name


def _ends_like_unit(text: str) -> bool:
    text = _TRAIL_RE.sub("", text.rstrip(_EDGE_PUNCT))
    if text.endswith(")") or text.endswith(")"):
        # "各乡镇(街道)" ends like its name before the bracket.
        cut = max(text.rfind("("), text.rfind("（"))
        text = text[:cut] if cut > 0 else text
    return len(text) >= 2 and text.endswith(UNIT_SUFFIXES)


def _clean_name(name: str) -> str:
    name = " ".join(name.split()).strip(_EDGE_PUNCT)
    if "等" in name:
        name = _TRAIL_RE.sub("", name).strip(_EDGE_PUNCT)
    if name.startswith(("(", "（")) and name.endswith((")", "）")):
        name = name[1:-1].strip(_EDGE_PUNCT)
    return name
