"""Pausing Python's cyclic garbage collector around bulk work.

Reading a 10,000-task workbook, turning it into records and writing them make a few million small
objects with no reference cycles among them. The collector, triggered by allocation counts, walks
that growing heap again and again: at 10,000 tasks it cost as much as the work itself. Reference
counting still frees everything as usual; only the cycle search waits until the work is done.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
