#!/usr/bin/env python3
"""Make resources/fonts/uming-cn.ttf from Debian's uming.ttc (run once; the result is committed).

    pip install fonttools
    python packaging/tools/make_song_font.py /usr/share/fonts/truetype/arphic/uming.ttc

The PDF forms use one face of the collection, AR PL UMing CN. This keeps every character that face
maps (all its glyphs: nothing a form can print is lost) and drops what a PDF never uses: the three
other faces' extra glyphs, the TrueType hinting programs and the embedded screen bitmaps
(EBDT/EBLC, 3 MB). 20.1 MB → 17.3 MB on disk, 10.3 MB → 7.8 MB zipped, which helps keep the offline
zip under 100 MB. The Arphic Public License (section 2) allows this and asks for a notice in the
file saying how and when it was changed: it goes into the name table (ID 10, description), and the
licence file ships beside the font.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

OUT = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "uming-cn.ttf"
NOTICE = (
    "Modified {day} for ledger_app (整改台账): face 0 (AR PL UMing CN) extracted from uming.ttc "
    "0.2.20080216.2 (Debian fonts-arphic-uming); glyphs not mapped by this face, TrueType hinting and "
    "embedded bitmaps (EBDT/EBLC) removed. Outlines and character coverage unchanged. "
    "Distributed under the Arphic Public License (ARPHICPL.TXT)."
)


def main(source: str) -> int:
    font = TTCollection(source).fonts[0]
    unicodes = list(font.getBestCmap())
    options = subset.Options()
    options.hinting = False
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["EBDT", "EBLC", "EBSC", "BDF ", "FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    font["name"].setName(NOTICE.format(day=date.today().isoformat()), 10, 3, 1, 0x409)
    font.save(OUT)
    print(f"{OUT}: {OUT.stat().st_size / 1e6:.1f} MB, {len(unicodes)} characters")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/arphic/uming.ttc"))
