"""Lines of a plan that are no part of any task: page numbers, running heads, 附件 lines, 版记."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

from .source import SourceLine

_PAGE_NUMBER_RE = re.compile(
    r"[-—–－─~～\s]*\d{1,4}[-—–－─~～\s]*"  # "- 3 -", "—3—", "3"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?"  # "第3页", "第3页 共10页"
    r"|共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"  # "3/10"
    r"|(?i:page)\s*\d{1,4}(?:\s*(?i:of)\s*\d{1,4})?"
)
# "附件", "附件2", "附件1:XX县整改措施清单" (the annex's own title follows on the line or the next one).
_ANNEX_RE = re.compile(r"附\s*件\s*[\d一二三四五六七八九十]*\s*(?:[:：]\s*[^。;；]{0,60})?\s*")
# The official document's closing block (版记): copy-to and printed-by lines.
_COLOPHON_RE = re.compile(
    r"(?:抄送|抄报|分送)\s*[:：].*|.{2,40}\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发"
)


def furniture_reason(text: str) -> str | None:
    """Why one line on its own is page furniture, or None."""
    stripped = text.strip()
    if not stripped:
        return None
    if _PAGE_NUMBER_RE.fullmatch(stripped):
        return "页码"
    if _ANNEX_RE.fullmatch(stripped):
        return "附件标注"
    if _COLOPHON_RE.fullmatch(stripped):
        return "版记"
    return None


def running_heads(lines: Sequence[SourceLine], is_content: Callable[[str], bool]) -> set[str]:
    """Short lines repeated on pages (页眉): the same text three times or more, or twice with one of
    them next to a page number or page break. ``lines``: the non-blank lines outside tables.

    ``is_content(text)``: True for lines that may repeat as content (labels such as 整改措施:,
    numbered lines, sentences); those are never running heads.
    """
    texts = [line.text.strip() for line in lines if line.cells is None]
    counts = Counter(texts)
    near_page: set[str] = set()
    for i, line in enumerate(lines):
        if line.page_break or furniture_reason(line.text) == "页码":
            near_page.update(texts[max(0, i - 2) : i + 3])
    heads: set[str] = set()
    for text, count in counts.items():
        if count < 2 or len(text) > 40 or text.startswith(("(", "（")) or is_content(text):
            continue
        if count >= 3 or text in near_page:
            heads.add(text)
    return heads
