"""The order of 序号 as a person counts them."""

from __future__ import annotations

import re

_NUMBER_RUNS = re.compile(r"(\d+)")


def natural_key(seq: str) -> tuple[tuple[int, int, str], ...]:
    """1, 2, … 10, not 1, 10, 2; "3-1" right after "3"; text after numbers."""
    seq = seq.strip()
    if seq.isdigit():  # nearly every 序号: skip the regex, lists sort 10,000 of them
        return ((0, int(seq), ""),)
    parts = []
    for chunk in _NUMBER_RUNS.split(seq):
        if chunk.isdigit():
            parts.append((0, int(chunk), ""))
        elif chunk:
            parts.append((1, 0, chunk))
    return tuple(parts)
