"""Compound files (.xls) damaged where python-calamine trusts them: header counts, sector chains, sizes.

``cfb_mutations(plain)`` takes a small, sound .xls (as xlwt writes it: 512-byte sectors, no DIFAT
sectors) and returns one damaged copy per structure the Rust reader follows without checking. Some
of them make it loop until memory runs out and abort the process (a looping directory or DIFAT
chain, a looping stream that claims gigabytes); the others are refused or read harmlessly by the
calamine of today and are kept because an older or newer one may not. Used by
bench/bench_xls_guard.py and tests/test_io_excel_import_hostile.py.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

_END = 0xFFFFFFFA  # sector ids from here up are markers, not sectors


def _sector_size(data: bytes | bytearray) -> int:
    return 1 << struct.unpack_from("<H", data, 30)[0]


def _fat_offset(data: bytes | bytearray, sector_id: int) -> int:
    size = _sector_size(data)
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 76) if s < _END]
    per_sector = size // 4
    return size + fat_sectors[sector_id // per_sector] * size + (sector_id % per_sector) * 4


def _chain(data: bytes | bytearray, start: int) -> list[int]:
    chain, sector_id = [], start
    while sector_id < _END and len(chain) < 100_000:
        chain.append(sector_id)
        sector_id = struct.unpack_from("<I", data, _fat_offset(data, sector_id))[0]
    return chain


def _loop_back(data: bytearray, start: int) -> None:
    """The last sector of the chain at ``start`` points back to its first."""
    chain = _chain(data, start)
    data[_fat_offset(data, chain[-1]) : _fat_offset(data, chain[-1]) + 4] = struct.pack("<I", chain[0])


def _entry(data: bytes | bytearray, name: str) -> int:
    """Offset of the directory entry called ``name``."""
    size = _sector_size(data)
    for sector_id in _chain(data, struct.unpack_from("<I", data, 48)[0]):
        for offset in range(size + sector_id * size, 2 * size + sector_id * size, 128):
            if data[offset : offset + 64].decode("utf-16-le", "replace").split("\0")[0] == name:
                return offset
    raise KeyError(name)


def _put(offset: int, fmt: str, *values: int) -> Callable[[bytearray], None]:
    def change(data: bytearray) -> None:
        struct.pack_into(fmt, data, offset, *values)

    return change


def _directory_loops(data: bytearray) -> None:
    _loop_back(data, struct.unpack_from("<I", data, 48)[0])


def _stream_loops(claimed: int | None) -> Callable[[bytearray], None]:
    def change(data: bytearray) -> None:
        entry = _entry(data, "Workbook")
        _loop_back(data, struct.unpack_from("<I", data, entry + 116)[0])
        if claimed is not None:
            struct.pack_into("<I", data, entry + 120, claimed)

    return change


def _stream_size(claimed: int) -> Callable[[bytearray], None]:
    def change(data: bytearray) -> None:
        struct.pack_into("<I", data, _entry(data, "Workbook") + 120, claimed)

    return change


def _stream_start(sector_id: int) -> Callable[[bytearray], None]:
    def change(data: bytearray) -> None:
        struct.pack_into("<I", data, _entry(data, "Workbook") + 116, sector_id)

    return change


def _difat_loops(declared: bool) -> Callable[[bytearray], None]:
    def change(data: bytearray) -> None:
        struct.pack_into("<I", data, 68, 1)  # the DIFAT starts at sector 1…
        struct.pack_into("<I", data, 512 * 2 + 508, 1)  # …whose last entry points back to sector 1
        if declared:  # with the counts the specification asks for (olefile then reads them)
            struct.pack_into("<I", data, 72, 1)
            struct.pack_into("<I", data, 44, 110)

    return change


def _mini_stream_loops(data: bytearray) -> None:
    # xlwt writes no mini stream: make the root's chain the Workbook's, looping, and declare a mini FAT
    # so that the reader loads the mini stream at all.
    start = struct.unpack_from("<I", data, _entry(data, "Workbook") + 116)[0]
    _loop_back(data, start)
    struct.pack_into("<II", data, _entry(data, "Root Entry") + 116, start, 0x7FFFFFFF)
    struct.pack_into("<II", data, 60, start, 1)


MUTATIONS: dict[str, Callable[[bytearray], None]] = {
    "DIFAT chain loops": _difat_loops(declared=False),
    "DIFAT chain loops, counts declared": _difat_loops(declared=True),
    "directory chain loops": _directory_loops,
    "Workbook chain loops, claims 2 GB": _stream_loops(0x7FFFFFFF),
    "Workbook chain loops, size honest": _stream_loops(None),
    "Workbook claims 2 GB": _stream_size(0x7FFFFFFF),
    "Workbook claims 4 GB": _stream_size(0xFFFFFFFF),
    "Workbook starts beyond the file": _stream_start(0x00FFFFFF),
    "mini stream loops, claims 2 GB": _mini_stream_loops,
    "FAT length 2^31": _put(44, "<I", 0x7FFFFFFF),
    "FAT length 2^32-1": _put(44, "<I", 0xFFFFFFFF),
    "mini FAT length 2^30": _put(64, "<I", 0x40000000),
    "u32 at offset 62 (calamine's DIFAT reserve) 2^31": _put(62, "<I", 0x7FFFFFFF),
    "directory starts beyond the file": _put(48, "<I", 0x00FFFFFF),
    "sector shift 12 in a 512-byte file": _put(30, "<H", 12),
}


def cfb_mutations(plain: bytes) -> dict[str, bytes]:
    """One damaged copy of ``plain`` per entry of MUTATIONS."""
    out = {}
    for label, change in MUTATIONS.items():
        data = bytearray(plain)
        change(data)
        out[label] = bytes(data)
    return out
