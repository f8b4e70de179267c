"""Mutated workbooks for fuzzing the importer: damaged bytes, damaged zip members, odd cells, odd shapes.

``mutate(rng, directory, index)`` writes one mutated workbook and returns its path and what was done
to it; the same seed gives the same files. Used by bench/fuzz_excel_import.py (thousands of cases)
and tests/test_io_excel_import_fuzz.py (a fast few dozen).
"""

from __future__ import annotations

import copy
import io
import random
import re
import struct
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

from tests.xlsx_factory import (
    K,
    Layout,
    SheetSpec,
    layout_county,
    layout_filled_down,
    layout_measure_rows,
    layout_petitions,
    sample_tasks,
    write_xls,
    write_xlsx,
    write_xlsx_raw,
)

WRITERS: dict[str, Callable[[Path, list[SheetSpec]], Path]] = {
    "xlsx": write_xlsx,
    "raw.xlsx": write_xlsx_raw,
    "xls": write_xls,
}


def base_layouts(seed: int) -> list[Layout]:
    return [
        layout_county(sample_tasks(6, seed=seed, kinds=(K.SPECIFIC, K.COMMON, K.PETITION, K.SELF_CHECK))),
        layout_measure_rows(sample_tasks(4, seed=seed + 1)),
        layout_petitions(sample_tasks(5, seed=seed + 2, kinds=(K.PETITION,), deadline_form="serial")),
        layout_filled_down(sample_tasks(3, seed=seed + 3)),
    ]


# -- cell values -----------------------------------------------------------------------------------------
def odd_text(rng: random.Random) -> str:
    choice = rng.randrange(9)
    if choice == 0:
        return "".join(chr(rng.randrange(0, 0x20)) for _ in range(rng.randint(1, 30)))  # controls
    if choice == 1:
        return "".join(chr(rng.randrange(0x20, 0xD7FF)) for _ in range(rng.randint(1, 200)))  # any BMP
    if choice == 2:
        return rng.choice("污水牵头配合、,;()()①1.") * rng.randint(32_000, 40_000)  # huge
    if choice == 3:
        return "".join(
            rng.choice(["1.", "(1)", "①", "一、", "\n", "。", "牵头", "配合", ":", "、"]) for _ in range(50)
        )
    if choice == 4:
        return rng.choice(
            ["序号", "问题描述", "一、反馈问题", "合计", "填报人:", "第一批", "=SUM(A1:A9)", "#REF!"]
        )
    if choice == 5:
        return "县" + "和" * rng.randint(1, 50) + "局" * rng.randint(1, 50)
    if choice == 6:
        return rng.choice(["\u200b", "\ufeff", "\u3000", "\t", " "]) * rng.randint(1, 100)
    if choice == 7:
        return "".join(chr(rng.randrange(0x10000, 0x10FFFF)) for _ in range(rng.randint(1, 20)))  # astral
    return str(rng.random())


def odd_value(rng: random.Random) -> object:
    choice = rng.randrange(8)
    if choice == 0:
        return rng.choice([0, -1, 1e308, -1e308, 2**53, 45291.0, 1.5, 99999999.0, 1e-300])
    if choice == 1:
        return rng.choice([True, False])
    if choice == 2:
        return date(rng.randint(1900, 2100), rng.randint(1, 12), rng.randint(1, 28))
    if choice == 3:
        return datetime(rng.randint(1900, 2100), 1, 1, rng.randint(0, 23), rng.randint(0, 59))
    if choice == 4:
        return rng.randint(-(2**31), 2**31)
    return odd_text(rng)


def _xlwt_safe(value: object) -> object:
    # xlwt cannot write texts over 32,767 characters, times or astral characters' surrogates.
    if isinstance(value, str):
        return value[:32_000]
    if isinstance(value, time | timedelta):
        return str(value)
    return value


# -- sheet-level mutations ----------------------------------------------------------------------------------
def mutate_cells(rng: random.Random, sheets: list[SheetSpec]) -> str:
    sheet = rng.choice(sheets)
    height = max(sheet.height, 1)
    for _ in range(rng.randint(1, 12)):
        sheet.cells[(rng.randrange(height + 2), rng.randrange(14))] = odd_value(rng)
    return f"cells of {sheet.name}"


def mutate_shape(rng: random.Random, sheets: list[SheetSpec]) -> str:
    sheet = rng.choice(sheets)
    height = max(sheet.height, 1)
    action = rng.randrange(6)
    if action == 0:  # delete a header-ish row
        doomed = rng.randrange(min(height, 5))
        sheet.cells = {(r - (r > doomed), c): v for (r, c), v in sheet.cells.items() if r != doomed}
        sheet.merges = [m for m in sheet.merges if m[0] != doomed and m[2] != doomed]
        return f"deleted row {doomed}"
    if action == 1:  # swap two columns
        a, b = rng.sample(range(12), 2)
        swap = {a: b, b: a}
        sheet.cells = {(r, swap.get(c, c)): v for (r, c), v in sheet.cells.items()}
        sheet.merges = []
        return f"swapped columns {a} and {b}"
    if action == 2:  # random merged ranges, overlapping or huge
        for _ in range(rng.randint(1, 8)):
            r0, c0 = rng.randrange(height + 3), rng.randrange(14)
            r1 = r0 + rng.choice([0, 1, 2, 5, rng.randrange(100)])
            c1 = c0 + rng.choice([0, 1, 3, rng.randrange(20)])
            sheet.merges.append((r0, c0, min(r1, 65535), min(c1, 255)))
        return "added merged ranges"
    if action == 3:  # move the table down and right
        dr, dc = rng.randrange(50), rng.randrange(20)
        sheet.cells = {(r + dr, c + dc): v for (r, c), v in sheet.cells.items() if c + dc < 256}
        sheet.merges = [(a + dr, b + dc, c + dr, d + dc) for a, b, c, d in sheet.merges if d + dc < 256]
        return f"moved by {dr},{dc}"
    if action == 4:  # duplicate rows
        rows = sorted({r for r, _ in sheet.cells})
        if rows:
            source = rng.choice(rows)
            for (r, c), v in list(sheet.cells.items()):
                if r == source:
                    sheet.cells[(height + 1, c)] = v
        return "duplicated a row"
    sheet.cells = {k: v for k, v in sheet.cells.items() if rng.random() > 0.3}  # holes
    return "punched holes"


# -- byte-level mutations ----------------------------------------------------------------------------------
def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 24)):
        # Headers matter most: half the flips land in the first 2 KB.
        limit = min(len(out), 2048) if rng.random() < 0.5 else len(out)
        position = rng.randrange(limit)
        out[position] = rng.choice(
            [0x00, 0xFF, 0x7F, 0x80, rng.randrange(256), out[position] ^ (1 << rng.randrange(8))]
        )
    return bytes(out)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data))]


def _rezip(data: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(copy.copy(info), change(info.filename, source.read(info.filename)))
    return target.getvalue()


_FAR_REFS = ["XFD1048576", "xfd1048576", "A99999999", "ZZZZZ1", "A1048576", "XFD1", "IV65536", "a0", "A"]


def _far_ref_attr(rng: random.Random) -> bytes:
    """A cell reference far away, written in one of the ways XML allows (quotes, spaces, case)."""
    ref = rng.choice(_FAR_REFS)
    return rng.choice(
        [f'r="{ref}"', f"r='{ref}'", f'r = "{ref}"', f'\tr="{ref}"', f's="1" r="{ref}"', ""]
    ).encode()


_XML_EDITS = [
    (rb'r="[A-Z]+\d+"', lambda rng: _far_ref_attr(rng)),
    (
        rb'<row r="\d+"',
        lambda rng: f'<row r="{rng.choice([0, 1, 65536, 1048576, 4294967295, 4294967296])}"'.encode(),
    ),
    (rb"<c ", lambda rng: rng.choice([b"<x:c ", b"<c\t", b"<c  ", b"<C "])),
    (
        rb'r="([A-Z]+)(\d+)"',
        lambda rng: (
            f'r="{rng.choice(["A", "XFD", "ZZ", "IV", "B"])}{rng.choice([1, 2, 1048576, 99999999, 0])}"'.encode()
        ),
    ),
    (
        rb'uniqueCount="\d+"',
        lambda rng: f'uniqueCount="{rng.choice([0, 1, 10**9, 4 * 10**9, 10**25])}"'.encode(),
    ),
    (
        rb'ref="[A-Z]+\d+:[A-Z]+\d+"',
        lambda rng: f'ref="A1:{rng.choice(["XFD1048576", "B2", "A1", "ZZ9999"])}"'.encode(),
    ),
    (
        rb"<v>[^<]*</v>",
        lambda rng: f"<v>{rng.choice(['', 'x', '-1', '1e999', '99999999999', 'NaN'])}</v>".encode(),
    ),
    (rb"</row>", lambda rng: rng.choice([b"", b"</row></row>", b"<row/>", b'</row><row r="4294967295">'])),
    (
        rb' t="[a-zA-Z]+"',
        lambda rng: f' t="{rng.choice(["s", "n", "b", "e", "str", "inlineStr", "d", "zz"])}"'.encode(),
    ),
    (rb"<sheet ", lambda rng: rng.choice([b"<sheet ", b'<sheet name="" ', b"<sheet/><sheet "])),
]


def mutate_member(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    sheets = [n for n in names if n.startswith("xl/worksheets/")]
    if sheets and rng.random() < 0.7:  # the sheets are where the reader's risks are
        target = rng.choice(sheets)
    else:
        target = rng.choice([n for n in names if n.endswith((".xml", ".rels"))] or names)
    action = rng.choice([0, 1, 2, 2, 2, 2, 3])

    def change(name: str, content: bytes) -> bytes:
        if name != target:
            return content
        if action == 0:
            return flip_bytes(rng, content)
        if action == 1:
            return content[: rng.randrange(len(content) + 1)]
        if action == 2:
            pattern, make = rng.choice(_XML_EDITS)
            matches = list(re.finditer(pattern, content))
            for match in rng.sample(matches, min(len(matches), rng.randint(1, 5))):
                content = content[: match.start()] + make(rng) + content[match.end() :]
            return content
        return b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;'>]><x>&b;</x>"

    return _rezip(data, change), f"member {target} action {action}"


def corrupt_zip_directory(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    position = out.find(b"PK\x01\x02")
    while position >= 0 and rng.random() < 0.7:
        field = rng.choice([20, 24, 28, 30, 42])  # compressed size, size, name length, extra, offset
        out[position + field : position + field + 4] = struct.pack(
            "<I", rng.choice([0, 1, 2**31, 2**32 - 1, 10**9])
        )
        position = out.find(b"PK\x01\x02", position + 4)
    return bytes(out)


# -- one case -------------------------------------------------------------------------------------------
def mutate(rng: random.Random, directory: Path, index: int) -> tuple[Path, str]:
    """Write one mutated workbook; returns its path and a description of the mutation."""
    layout = rng.choice(base_layouts(rng.randrange(1000)))
    sheets = copy.deepcopy(layout.sheets)
    fmt = rng.choice(list(WRITERS))
    kind = rng.choice([0, 1, 2, 3, 4, 4, 5, 6])
    note = ""
    if kind in (0, 1):
        note = mutate_cells(rng, sheets) if kind == 0 else mutate_shape(rng, sheets)
        if kind == 1 and rng.random() < 0.5:
            note += "; " + mutate_cells(rng, sheets)
    if fmt == "xls":
        for sheet in sheets:
            sheet.cells = {k: _xlwt_safe(v) for k, v in sheet.cells.items() if k[0] < 65536 and k[1] < 256}
    path = directory / f"case{index:05d}.{fmt.split('.')[-1]}"
    try:
        WRITERS[fmt](path, sheets)
    except Exception as exc:  # the writer refused our odd values: fall back to plain content
        note += f"; writer refused ({type(exc).__name__}), plain content"
        WRITERS[fmt](path, copy.deepcopy(layout.sheets))
    data = path.read_bytes()
    if kind == 2:
        data, note = flip_bytes(rng, data), "byte flips"
    elif kind == 3:
        data, note = truncate(rng, data), "truncated"
    elif kind == 4 and data.startswith(b"PK"):
        data, note = mutate_member(rng, data)
    elif kind == 5 and data.startswith(b"PK"):
        data, note = corrupt_zip_directory(rng, data), "zip directory"
    elif kind in (4, 5):
        data, note = flip_bytes(rng, data), "byte flips"
    path.write_bytes(data)
    return path, f"{fmt}: {note or 'plain'}"
