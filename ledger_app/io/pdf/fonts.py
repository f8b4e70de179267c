"""The CJK fonts the PDF forms embed: found once, registered lazily, shared by every form.

Each form asks for a *role* (body text, 宋体, 黑体, 楷体, title) and gets a registered reportlab
font name. On Windows the system's own faces are preferred (仿宋 for the body, as GB/T 9704 asks;
宋体, 黑体, 楷体, 方正小标宋 for titles when installed); everywhere else, and for any face that is
missing or refuses embedding, the fonts bundled under ``resources/fonts/`` are used:
AR PL UMing (a 宋体) and WenQuanYi Micro Hei (a 黑体).

reportlab embeds only TrueType outlines; every face here is .ttf/.ttc. Registering a 20 MB .ttc
costs ~0.1 s, so nothing is read until the first form is drawn, and then only once per process.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from ledger_app.resources import resource_path

log = logging.getLogger(__name__)


class FontRole(StrEnum):
    BODY = "body"  # 仿宋: letters, report text, table cells
    SONG = "song"  # 宋体: page numbers, title fallback
    HEI = "hei"  # 黑体: first-level headings, table labels
    KAI = "kai"  # 楷体: second-level headings
    TITLE = "title"  # 小标宋: document titles


@dataclass(frozen=True, slots=True)
class FontFile:
    path: Path
    index: int = 0  # face inside a .ttc collection


BUNDLED_SONG = ("fonts", "uming-cn.ttf")  # face 0 of uming.ttc (packaging/tools/make_song_font.py)
BUNDLED_HEI = ("fonts", "wqy-microhei.ttc")

# File names as Windows and the usual add-on packages install them; the first one present wins.
_WINDOWS_CANDIDATES: dict[FontRole, tuple[str, ...]] = {
    FontRole.BODY: ("simfang.ttf", "仿宋_GB2312.ttf", "FS_GB2312.ttf", "FangSong_GB2312.ttf"),
    FontRole.SONG: ("simsun.ttc", "simsun.ttf"),
    FontRole.HEI: ("simhei.ttf",),
    FontRole.KAI: ("simkai.ttf", "楷体_GB2312.ttf", "KAITI_GB2312.ttf"),
    FontRole.TITLE: (
        "方正小标宋简体.ttf",
        "FZXBSJW.TTF",
        "FZXBSJW--GB1-0.ttf",
        "方正小标宋_GBK.ttf",
        "FZXBSK.TTF",
    ),
}


@dataclass(frozen=True, slots=True)
class FontFace:
    """A registered font as a form uses it."""

    name: str  # reportlab font name, usable with canvas.setFont
    file: FontFile
    faux_bold: bool = False  # no heavy face found: stroke the outlines to imitate one
    fallbacks: tuple[str, ...] = ()  # registered names to try for characters this face lacks


@dataclass(frozen=True, slots=True)
class FontSet:
    body: FontFace
    song: FontFace
    hei: FontFace
    kai: FontFace
    title: FontFace

    def face(self, role: FontRole) -> FontFace:
        return getattr(self, role.value)

    @property
    def names(self) -> set[str]:
        return {f.name for f in (self.body, self.song, self.hei, self.kai, self.title)}


def windows_font_dirs(environ: os._Environ[str] | dict[str, str] | None = None) -> list[Path]:
    """System fonts, then fonts installed for the current user only (Windows 10 1809+)."""
    env = os.environ if environ is None else environ
    dirs: list[Path] = []
    windir = env.get("WINDIR") or env.get("SystemRoot")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = env.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


_lock = threading.Lock()
_registered: dict[FontFile, str | None] = {}  # None: tried and refused
_cached_sets: dict[tuple[Path, ...], FontSet] = {}


def _register(file: FontFile) -> str | None:
    """Register one face once; None when it is unreadable or forbids embedding."""
    if file in _registered:
        return _registered[file]
    name = f"Ledger-{file.path.stem}-{file.index}-{len(_registered)}"
    try:
        pdfmetrics.registerFont(TTFont(name, str(file.path), subfontIndex=file.index))
    except (TTFError, OSError, ValueError, IndexError, KeyError, AssertionError) as exc:
        # A font with CFF outlines, a damaged file, or one whose licence bits forbid embedding.
        log.warning("font %s (face %d) not usable for PDF: %s", file.path, file.index, exc)
        _registered[file] = None
        return None
    _registered[file] = name
    return name


def _find(role: FontRole, dirs: Sequence[Path]) -> FontFile | None:
    for folder in dirs:
        for filename in _WINDOWS_CANDIDATES[role]:
            path = folder / filename
            if path.is_file():
                return FontFile(path)
    return None


def _system_face(role: FontRole, dirs: Sequence[Path]) -> tuple[str, FontFile] | None:
    file = _find(role, dirs)
    if file is None:
        return None
    name = _register(file)
    return (name, file) if name else None


def _bundled(parts: tuple[str, str]) -> tuple[str, FontFile]:
    file = FontFile(resource_path(*parts))
    name = _register(file)
    if name is None:
        from ledger_app.domain.errors import LedgerError

        raise LedgerError(
            f"找不到程序自带的字体文件 {file.path}，无法生成 PDF。请重新安装本程序。",
            f"bundled font {file.path} is missing or damaged; cannot write PDF",
        )
    return name, file


def load_fonts(search_dirs: Sequence[Path] | None = None) -> FontSet:
    """The fonts for every form, registered on first use (thread-safe, cached per search path).

    ``search_dirs`` defaults to the Windows font folders (none elsewhere); tests pass a folder of
    their own to check the preference order.
    """
    dirs = tuple(windows_font_dirs() if search_dirs is None else search_dirs)
    with _lock:
        cached = _cached_sets.get(dirs)
        if cached is not None:
            return cached
        song_name, song_file = _bundled(BUNDLED_SONG)
        hei_name, hei_file = _bundled(BUNDLED_HEI)
        # The bundled faces cover GB2312 and far beyond; a system 仿宋 may lack a rare
        # character in a person's or a place's name, which then comes from these instead.
        safety = (song_name, hei_name)

        def face(role: FontRole, default: tuple[str, FontFile], faux_bold: bool = False) -> FontFace:
            found = _system_face(role, dirs)
            if found is not None:
                name, file = found
                return FontFace(name, file, False, tuple(n for n in safety if n != name))
            name, file = default
            return FontFace(name, file, faux_bold, tuple(n for n in safety if n != name))

        song = face(FontRole.SONG, (song_name, song_file))
        body = face(FontRole.BODY, (song.name, song.file))
        hei = face(FontRole.HEI, (hei_name, hei_file))
        kai = face(FontRole.KAI, (body.name, body.file))
        title = face(FontRole.TITLE, (song.name, song.file), faux_bold=True)
        fonts = FontSet(body=body, song=song, hei=hei, kai=kai, title=title)
        _cached_sets[dirs] = fonts
        log.info("PDF fonts: %s", {r.value: fonts.face(r).file.path.name for r in FontRole})
        return fonts
