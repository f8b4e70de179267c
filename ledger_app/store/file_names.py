"""File names that any Windows PC accepts, for the copies we hand out (save a copy, evidence zip).

Inside the attachment store no user text is ever part of a path; the rules here matter only when
a file leaves the store under its original name. They follow Microsoft's "Naming Files, Paths, and
Namespaces": no ``<>:"/\\|?*`` or control characters, no trailing dot or space, no device names
(CON, PRN, AUX, NUL, COM0–9, LPT0–9 and their superscript-digit forms, CONIN$, CONOUT$), whatever
extension follows them. Written by hand rather than with pathvalidate 3.3, which drops the extension
when it shortens a name and keeps the trailing dot of ``CON.``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

# Full-width look-alikes keep a Chinese name readable: "纪要:2023" becomes "纪要\uff1a2023".
_REPLACEMENTS = str.maketrans(
    {
        "<": "\uff1c",
        ">": "\uff1e",
        ":": "\uff1a",
        '"': "\uff02",
        "/": "\uff0f",
        "\\": "\uff3c",
        "|": "\uff5c",
        "?": "\uff1f",
        "*": "\uff0a",
    }
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{port}{digit}" for port in ("COM", "LPT") for digit in "0123456789¹²³"}
)
# An extension we keep whole when a name is shortened: short, no spaces (".tar.gz" keeps ".gz").
_EXTENSION = re.compile(r"\.[^.\s]{1,16}$")

FALLBACK_NAME = "未命名"
# Explorer's zip extraction and many Windows programs still stop at MAX_PATH (260 characters for the
# whole path), so names handed out stay well below the 255 a single name may have.
DEFAULT_MAX_CHARS = 120
MAX_NAME_BYTES = 255  # Linux and macOS count a name in UTF-8 bytes


def _is_device_name(name: str) -> bool:
    # Windows looks at the part before the first dot, ignoring trailing spaces: "aux .txt" is AUX.
    return name.split(".", 1)[0].rstrip(" ").upper() in _DEVICE_NAMES


def _fits(text: str, max_chars: int) -> bool:
    # UTF-16 code units are what Windows counts (a character outside the BMP is two).
    return len(text.encode("utf-16-le")) // 2 <= max_chars and len(text.encode("utf-8")) <= MAX_NAME_BYTES


def _shorten(stem: str, ext: str, max_chars: int) -> str:
    """``stem + ext`` with the stem cut until the whole fits; the stem never ends in a dot or space."""
    while stem and not _fits(stem + ext, max_chars):
        stem = stem[:-1]
    return stem.rstrip(". ") + ext if stem.rstrip(". ") else ""


def split_extension(name: str) -> tuple[str, str]:
    """("报告", ".pdf") for "报告.pdf"; a dot-file or a name without extension has none."""
    match = _EXTENSION.search(name)
    if match is None or match.start() == 0:
        return name, ""
    return name[: match.start()], match.group()


def windows_safe_name(name: str, *, max_chars: int = DEFAULT_MAX_CHARS, fallback: str = FALLBACK_NAME) -> str:
    """``name`` changed as little as possible so that Windows (and Linux) accept it as a file name.

    The extension is kept when the name must be shortened; an empty result becomes ``fallback``.
    """
    text = unicodedata.normalize("NFC", str(name))
    text = _CONTROL.sub("", text.translate(_REPLACEMENTS)).strip(" ").rstrip(". ")
    if not text.strip(". "):
        text = fallback
    if not _fits(text, max_chars):
        stem, ext = split_extension(text)
        text = _shorten(stem, ext if len(ext) < max_chars // 2 else "", max_chars) or fallback
    if _is_device_name(text):
        first, dot, rest = text.partition(".")
        first = first.rstrip(" ") + "_"
        text = first + dot + rest if _fits(first + dot + rest, max_chars) else first
    return text


def unique_name(name: str, taken: Collection[str], *, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """``name``, or "name (2).ext", "name (3).ext"… — the first not in ``taken``.

    ``taken`` must hold case-folded names: Windows sees "Photo.JPG" and "photo.jpg" as one file.
    """
    if name.casefold() not in taken:
        return name
    stem, ext = split_extension(name)
    number = 2
    while True:
        candidate = _shorten(stem, f" ({number}){ext}", max_chars)
        if candidate.casefold() not in taken:
            return candidate
        number += 1
