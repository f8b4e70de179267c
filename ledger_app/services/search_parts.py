"""The search text of a task, in parts: which field a search word was found in.

Search-as-you-type scans one pre-joined, lower-cased string per task (shared/stack-notes.md: 7 ms
at 10,000 tasks). The parts of that string are kept apart by ``PART_SEP`` in a fixed order, so the
question "where did 污水 match?" is answered later, lazily, for the few rows on screen, by counting
separators before a hit: the fast path stays one ``in`` test per word per task.

``PART_SEP`` is whitespace to ``str.split()``, so a search word (split on whitespace) never holds
one and a hit never spans two parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

PART_SEP = "\x1f"  # ASCII unit separator; never typed by a clerk

# The task's own columns, in the order ``Queries.search_texts`` selects them, then the linked rows.
FIELD_PARTS: tuple[str, ...] = (
    "序号",
    "问题描述",
    "整改目标",
    "备注",
    "责任领导",
    "整改时限",
    "责任人",
    "受理编号",
    "交办批次",
)
UNITS_PART = "责任单位"
MEASURES_PART = "整改措施"
PROGRESS_PART = "进展情况"
SEARCH_PARTS: tuple[str, ...] = (*FIELD_PARTS, UNITS_PART, MEASURES_PART, PROGRESS_PART)
# Two-character names for a narrow cell ("匹配:措施、进展"); the full ones go in tooltips.
SHORT_NAMES: dict[str, str] = {
    "序号": "序号",
    "问题描述": "描述",
    "整改目标": "目标",
    "备注": "备注",
    "责任领导": "领导",
    "整改时限": "时限",
    "责任人": "联系人",
    "受理编号": "编号",
    "交办批次": "批次",
    UNITS_PART: "单位",
    MEASURES_PART: "措施",
    PROGRESS_PART: "进展",
}


def own_fields_text(values: Iterable[str | None]) -> str:
    """The task's own fields, in ``FIELD_PARTS`` order, as the first parts of its search text."""
    return PART_SEP.join([v or "" for v in values])


def task_text(own: str, units: Sequence[str], measures: Sequence[str], progress: Sequence[str]) -> str:
    """A task's lower-cased search text: ``own_fields_text`` then its units, measures and progress."""
    sep, nl = PART_SEP, "\n"
    return f"{own}{sep}{nl.join(units)}{sep}{nl.join(measures)}{sep}{nl.join(progress)}".lower()


def parts_of(text: str, word: str) -> list[int]:
    """Indexes into ``SEARCH_PARTS`` of every part of ``text`` holding ``word`` (both lower-cased)."""
    found: list[int] = []
    if not word:
        return found
    start = text.find(word)
    while start >= 0:
        part = text.count(PART_SEP, 0, start)
        if part not in found:
            found.append(part)
        # Skip to the next part: one hit per part is enough.
        next_sep = text.find(PART_SEP, start)
        if next_sep < 0:
            break
        start = text.find(word, next_sep + 1)
    return found


def part_label(index: int) -> str:
    return SEARCH_PARTS[index] if 0 <= index < len(SEARCH_PARTS) else "其他"


def excerpt(text: str, word: str, part: int, width: int = 24) -> str:
    """The line of part ``part`` around the first hit of ``word``, cut to about ``2 * width`` characters."""
    chunks = text.split(PART_SEP)
    if not 0 <= part < len(chunks):
        return ""
    chunk = chunks[part]
    at = chunk.find(word)
    if at < 0:
        return ""
    line_start = chunk.rfind("\n", 0, at) + 1
    line_end = chunk.find("\n", at)
    line_end = len(chunk) if line_end < 0 else line_end
    left = max(line_start, at - width)
    right = min(line_end, at + len(word) + width)
    return ("…" if left > line_start else "") + chunk[left:right] + ("…" if right < line_end else "")
