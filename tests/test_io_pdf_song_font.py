"""The bundled 宋体 (uming-cn.ttf, made by packaging/tools/make_song_font.py) lost no character a form needs."""

from __future__ import annotations

import contextlib

from reportlab.pdfbase.ttfonts import TTFont

from ledger_app.io.pdf.fonts import BUNDLED_SONG
from ledger_app.resources import resource_path


def gb2312_hanzi() -> list[str]:
    chars = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):  # the gaps of the GB2312 table
                chars.append(bytes([high, low]).decode("gb2312"))
    return chars


def test_every_gb2312_character_and_the_forms_punctuation_is_in_the_bundled_song_font() -> None:
    font = TTFont("bundled-song", str(resource_path(*BUNDLED_SONG)))
    mapped = set(font.face.charToGlyph)
    hanzi = gb2312_hanzi()
    assert len(hanzi) == 6763
    assert [c for c in hanzi if ord(c) not in mapped] == []
    punctuation = "，。、；：？！“”‘’（）《》〔〕【】—…·０１２３４５６７８９ABCabc0123456789%/-"
    assert [c for c in punctuation if ord(c) not in mapped] == []
    # 24,232 characters, as face 0 of the original collection maps (minus U+0000).
    assert len(mapped) >= 24_000


def test_the_modification_notice_the_licence_asks_for_is_in_the_font() -> None:
    data = resource_path(*BUNDLED_SONG).read_bytes()
    assert "Modified".encode("utf-16-be") in data and "Arphic Public License".encode("utf-16-be") in data
