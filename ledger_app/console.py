"""The output policy of every command-line program we ship (ledger-cli, the self-test, build.py).

Windows gives a Python program three different encodings for one command line: a console gets
Unicode (WindowsConsoleIO), while output redirected to a file or piped to another program is
encoded in the ANSI code page (cp936 on Chinese Windows), where ✓, 𠀀 or an emoji in a unit name
raise UnicodeEncodeError, after the command's work is already done. So:

- to a console: the console's own encoding (Unicode on Windows), unencodable characters replaced;
- to a file or a pipe: **always UTF-8**, whatever the code page or PYTHONIOENCODING says, so that
  ``ledger-cli stats > x.txt`` and ``ledger-cli export-monthly … > y.txt`` give the same encoding;
- never an exception for a character: anything that cannot be written is replaced.

``MARKS`` are the check marks our programs print: characters of GB2312 that the Windows console's
default fonts (新宋体, Consolas with font linking) show, instead of ✓ ✗ ⚠, which show as boxes.
Progress lines are redrawn with a carriage return and spaces, not ANSI escapes (a Windows 10 console
without virtual-terminal mode prints ``\\x1b[K`` as "←[K").
"""

from __future__ import annotations

import contextlib
import io
import locale
import sys
import unicodedata
from typing import TextIO

OK_MARK, FAIL_MARK, WARN_MARK, STEP_MARK = "√", "×", "△", "→"


def setup_streams() -> None:
    """Apply the policy to stdout and stderr (call first thing in every console program)."""
    for stream in (sys.stdout, sys.stderr):
        _configure(stream)


def _configure(stream: TextIO | None) -> None:
    if stream is None or not isinstance(stream, io.TextIOWrapper):
        return  # a windowed program (no console), or a test's capture object
    with contextlib.suppress(ValueError, OSError):
        if _is_console(stream):
            stream.reconfigure(errors="replace")
        else:
            stream.reconfigure(encoding="utf-8", errors="replace")


def _is_console(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (ValueError, OSError):
        return False


def decode_output(data: bytes) -> str:
    """Text a child program wrote: UTF-8 (our programs, per this policy) or the ANSI code page
    (PyInstaller, Windows tools), never an exception."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode(locale.getpreferredencoding(False) or "gbk", errors="replace")


def display_width(text: str) -> int:
    """Columns a console uses for ``text``: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit(text: str, columns: int) -> str:
    """``text`` cut to at most ``columns`` console columns."""
    width, out = 0, []
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if width + w > columns:
            break
        out.append(ch)
        width += w
    return "".join(out)


class ProgressLine:
    """One line of progress on stderr, redrawn in place, only when stderr is a console."""

    def __init__(self, stream: TextIO | None = None, columns: int = 72) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream is not None and _is_console(self.stream)
        self.columns = columns
        self._shown = 0

    def show(self, text: str) -> None:
        if not self.enabled:
            return
        line = fit(text, self.columns)
        width = display_width(line)
        # Spaces over what the previous, longer line left behind, then back to the start.
        self.stream.write("\r" + line + " " * max(0, self._shown - width))
        self.stream.flush()
        self._shown = width

    def clear(self) -> None:
        if self.enabled and self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self.stream.flush()
            self._shown = 0
