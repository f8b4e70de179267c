"""Guard against a silent loss: full-width punctuation in the source turned into its ASCII twin.

Offices type （）：，； and the readers accept both forms with character classes such as "[:：]".
Once, edits turned the full-width half into ASCII ("[::]"): the code still ran and its tests (typed
the same way) still passed, but real files stopped being understood. A class that names the same
ASCII punctuation twice is that loss, and is never wanted.
"""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ledger_app"
_TWIN_IN_CLASS = re.compile(r"\[[^\]\n\w]*(::|\(\(|\)\)|,,|;;)")


def test_no_character_class_names_the_same_ascii_punctuation_twice() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _TWIN_IN_CLASS.search(line)
    ]
    assert found == []
