"""Reading a rectification plan (整改方案) as text or Word into the tasks the import service writes.

``read_plan(path)`` / ``read_plan_text(text)`` → ``PlanReading``; ``PlanReading.records()`` goes to
``Ledger.imports.import_records`` exactly as the Excel importer's plan does. No Qt, no session.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from ledger_app.gcpause import gc_paused

from .parse import PlanParser
from .reading import SHAPE_LABELS, PlanReading
from .source import MAX_FILE_BYTES, PlanRefused, SourceDoc, SourceLine, lines_of_text, read_source

__all__ = [
    "MAX_FILE_BYTES",
    "PLAN_SUFFIXES",
    "SHAPE_LABELS",
    "PlanReading",
    "PlanRefused",
    "SourceLine",
    "read_plan",
    "read_plan_text",
]

PLAN_SUFFIXES = (".txt", ".docx", ".text")


def read_plan(path: Path | str, *, known_units: Collection[str] = ()) -> PlanReading:
    """Read a plan file (.txt in UTF-8 or GB18030, or .docx). Raises PlanRefused for a file that
    cannot be a plan. ``known_units``: the ledger's unit directory; these names are never split."""
    doc = read_source(Path(path))
    reading = _parse(doc, known_units)
    reading.path = str(path)
    return reading


def read_plan_text(text: str, *, known_units: Collection[str] = ()) -> PlanReading:
    """Read pasted plan text."""
    if len(text) > MAX_FILE_BYTES:
        raise PlanRefused("粘贴的文字过长,不像是一份整改方案。", "the pasted text is too long")
    return _parse(lines_of_text(text), known_units)


def _parse(doc: SourceDoc, known_units: Collection[str]) -> PlanReading:
    with gc_paused():
        return PlanParser(doc, known_units).parse()
