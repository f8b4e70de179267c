"""SQLite URI file names, which need a percent-encoded path.

A folder called "第2轮#督察" or "50%25" is ordinary on a clerk's PC; put into a ``file:`` URI raw,
"#" starts a fragment and "%25" decodes to "%", so SQLite opened (or created!) another file.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote


def sqlite_uri(path: Path, mode: str) -> str:
    """``file:`` URI for ``path`` with ``?mode=`` (ro, rw, rwc)."""
    posix = Path(path).resolve().as_posix()
    if not posix.startswith("/"):  # C:/Users/… on Windows: the URI needs file:///C:/…
        posix = "/" + posix
    return f"file://{quote(posix, safe='/:')}?mode={mode}"
