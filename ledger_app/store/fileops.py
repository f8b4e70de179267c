"""Putting a finished file in place, the way Windows lets us.

On Windows, antivirus scanners and the search indexer open a file the moment it is written, and for a
few hundred milliseconds a rename onto it (or of it) fails with "access denied" (5) or "the file is in
use" (32, 33). Office programs retry; so do we, briefly, instead of telling the clerk the save failed.
Every file the program writes goes into place through ``replace_file``.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

# About 1.5 s in all: long enough for a scanner to let go, short enough that a real refusal
# (a file open in Excel, a read-only folder) is reported without a noticeable wait.
RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8)
# ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
_TRANSIENT_WINERRORS = frozenset({5, 32, 33})


def is_transient(exc: OSError) -> bool:
    """A Windows refusal that goes away by itself once a scanner closes the file."""
    return isinstance(exc, PermissionError) and getattr(exc, "winerror", None) in _TRANSIENT_WINERRORS


def _retrying(action: Callable[[], None], sleep: Callable[[float], None]) -> None:
    for delay in (*RETRY_DELAYS, None):
        try:
            action()
            return
        except OSError as exc:
            if delay is None or not is_transient(exc):
                raise
            sleep(delay)


def replace_file(
    src: str | os.PathLike[str], dst: str | os.PathLike[str], *, sleep: Callable[[float], None] = time.sleep
) -> None:
    """``os.replace(src, dst)``, retried while Windows reports the file as briefly held."""
    _retrying(lambda: os.replace(src, dst), sleep)


def rename_new(
    src: str | os.PathLike[str], dst: str | os.PathLike[str], *, sleep: Callable[[float], None] = time.sleep
) -> None:
    """``os.rename`` for a destination that must not exist yet (folders), with the same retries."""
    _retrying(lambda: os.rename(src, dst), sleep)


def fsync_dir(folder: Path) -> None:
    """Make a rename durable on POSIX; Windows has no directory handles to sync (NTFS journals it)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def fs_path(path: str | os.PathLike[str], *, windows: bool = os.name == "nt") -> str:
    r"""``path`` as the OS call should see it: on Windows, long absolute paths get the ``\\?\`` prefix.

    Without it, Windows refuses file paths over 260 characters and folder paths over 248 unless
    long paths are enabled machine-wide, and evidence folders copied from USB sticks reach that easily.
    """
    text = os.fspath(path)
    if not windows or len(text) < 240 or text.startswith("\\\\?\\"):
        return text
    text = text.replace("/", "\\")
    if text.startswith("\\\\"):  # \\server\share\… → \\?\UNC\server\share\…
        return "\\\\?\\UNC\\" + text[2:]
    return "\\\\?\\" + text if len(text) > 2 and text[1] == ":" else text


def make_dirs(folder: str | os.PathLike[str], *, windows: bool = os.name == "nt") -> None:
    """``mkdir -p`` through the long-path prefix: every folder the program makes goes through here."""
    os.makedirs(fs_path(folder, windows=windows), exist_ok=True)


def make_dir_new(folder: str | os.PathLike[str], *, windows: bool = os.name == "nt") -> None:
    """``mkdir`` of a folder that must not exist yet (a private temporary folder), long-path safe."""
    os.mkdir(fs_path(folder, windows=windows))


def exists_within(path: Path, seconds: float = 1.5) -> bool | None:
    """Does ``path`` exist? None when the answer does not come in time.

    On Windows, asking about a file on a network share that is down can block for 30 seconds or
    more; at start-up (the recent-ledgers list) that would look like a hung program. The question is
    asked on a daemon thread, and a late answer is simply ignored.
    """
    answer: list[bool] = []

    def ask() -> None:
        try:
            answer.append(path.exists())
        except OSError:
            answer.append(False)

    worker = threading.Thread(target=ask, name="exists-probe", daemon=True)
    worker.start()
    worker.join(seconds)
    return answer[0] if answer else None
