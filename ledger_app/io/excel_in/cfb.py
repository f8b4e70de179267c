"""Checks on an OLE compound file (.xls, or an encrypted .xlsx) before the Rust reader sees it.

python-calamine trusts sizes and chains written inside the file: a FAT length, a sector chain that
loops, a DIMENSIONS record or a cell far away each make it reserve gigabytes or loop for ever, and a
failed allocation aborts the whole process (no Python exception to catch). So this module walks the
same structures first, with every size bounded and every chain checked for loops, and refuses what
the reader could not survive. It reads only what it must; it never writes.

Why not the olefile library (issue 19, bench/bench_xls_guard.py): olefile reads a compound file as
the specification says, calamine does not. calamine follows the DIFAT from its start sector whatever
the header's count, reads the directory chain without bound, trusts a stream's declared size, and
reserves from the u32 at offset 62 as the DIFAT length; so this walk mirrors calamine, quirks included.
olefile (raise_defects=DEFECT_INCORRECT) passed three files that abort calamine (a looping DIFAT, as
in test_an_xls_whose_sector_chain_loops; a looping directory; a looping stream claiming 2 GB), was
no faster (0.065 s of CPU against 0.052 s on a 20 MB .xls), and would replace only _Cfb (110 lines)
with some 20 lines and a 2,700-line dependency whose last release (0.47) is from 2023.
The header counts checked here no longer hurt calamine 0.37 (python-calamine 0.9.1); they stay, as
such a file is damaged anyway and pyproject.toml admits older readers.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENDOFCHAIN = 0xFFFFFFFE
_RESERVED = 0xFFFFFFFA
_DIFSECT = 0xFFFFFFFC
_MINI_CUTOFF = 4096
_MAX_DIRECTORY_ENTRIES = 100_000
_MAX_RESERVE = 1 << 24  # u32 entries calamine may reserve from a header field (64 MB)
MAX_DIMENSION_CELLS = 4_000_000  # cells a DIMENSIONS record may make the reader reserve

# BIFF record types that carry a cell position (row, column) as their first two u16 values.
_CELL_RECORDS = frozenset({0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006})
_MULRK = 0x00BD
_FORMULA = 0x0006
_BOF = 0x0809
_EOF = 0x000A
_DIMENSIONS = 0x0200
_BOUNDSHEET = 0x0085
_FILEPASS = 0x002F
_CONTINUE = 0x003C
_SUPBOOK = 0x01AE  # a workbook that formulas refer to: this one, an add-in, or another file
_SUPBOOK_SELF_OR_ADDIN = (0x0401, 0x3A01)  # its second field for this workbook and for add-ins
_PAIR = struct.Struct("<HH")
_ONE = struct.Struct("<H")


class CfbRefused(Exception):
    """Raised with a Chinese reason; the caller wraps it into WorkbookRefused."""


@dataclass(slots=True)
class SheetExtent:
    """The cells of one sheet as the reader will lay them out (0-based, inclusive)."""

    max_row: int = -1
    max_col: int = -1
    min_row: int = 1 << 30
    min_col: int = 1 << 30

    def add(self, row: int, col: int) -> None:
        if row > self.max_row:
            self.max_row = row
        if row < self.min_row:
            self.min_row = row
        if col > self.max_col:
            self.max_col = col
        if col < self.min_col:
            self.min_col = col

    @property
    def area(self) -> int:
        if self.max_row < 0:
            return 0
        return (self.max_row - self.min_row + 1) * (self.max_col - self.min_col + 1)


@dataclass(slots=True)
class OleReport:
    streams: list[str] = field(default_factory=list)
    encrypted_package: bool = False  # an .xlsx saved with a password
    biff_stream: str | None = None
    encrypted_biff: bool = False  # an .xls saved with a password
    external_links: bool = False
    extents: list[SheetExtent] = field(default_factory=list)


class _Cfb:
    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(OLE_MAGIC):
            raise CfbRefused("文件头不是有效的Office复合文档。")
        self.data = data
        shift = struct.unpack_from("<H", data, 30)[0]
        if shift not in (9, 12):
            raise CfbRefused("复合文档的扇区大小无效,文件可能已损坏。")
        if struct.unpack_from("<H", data, 32)[0] != 6:
            raise CfbRefused("复合文档的小扇区大小无效,文件可能已损坏。")
        self.size = 1 << shift
        self.header_size = 512 if shift == 9 else 4096
        if len(data) < self.header_size:
            raise CfbRefused("文件不完整(复合文档头被截断)。")
        self.version = struct.unpack_from("<H", data, 26)[0]
        self.max_id = len(data) // self.size  # as the reader counts sectors
        fat_len = struct.unpack_from("<I", data, 44)[0]
        self.dir_start = struct.unpack_from("<I", data, 48)[0]
        self.mini_fat_start = struct.unpack_from("<I", data, 60)[0]
        self.mini_fat_len = struct.unpack_from("<I", data, 64)[0]
        difat_start = struct.unpack_from("<I", data, 68)[0]
        # The reader reserves space for these counts before reading a byte of them.
        if fat_len > self.max_id + 1 or self.mini_fat_len > self.max_id + 1:
            raise CfbRefused("复合文档的分配表长度超出文件大小,文件已损坏或被篡改。")
        if struct.unpack_from("<I", data, 62)[0] > _MAX_RESERVE:
            raise CfbRefused("复合文档头中的计数异常,文件已损坏或被篡改。")
        difat = list(struct.unpack_from("<109I", data, 76))
        seen: set[int] = set()
        sector_id = difat_start
        while sector_id < _RESERVED:
            if sector_id in seen or sector_id > self.max_id:
                raise CfbRefused("复合文档的分配表链接成环或越界,文件已损坏或被篡改。")
            seen.add(sector_id)
            sector = self.sector(sector_id)
            entries = list(struct.unpack_from(f"<{len(sector) // 4}I", sector))
            if not entries:
                raise CfbRefused("文件不完整(分配表被截断)。")
            sector_id = entries.pop()
            difat.extend(entries)
        fat: list[int] = []
        for sid in difat:
            if sid >= _DIFSECT:
                continue
            if sid > self.max_id:
                raise CfbRefused("复合文档的分配表指向文件之外,文件已损坏或被篡改。")
            sector = self.sector(sid)
            fat.extend(struct.unpack_from(f"<{len(sector) // 4}I", sector))
        self.fat = fat

    def sector(self, sector_id: int) -> bytes:
        start = self.header_size + sector_id * self.size
        return self.data[start : start + self.size]

    def chain(self, start: int, limit: int | None) -> bytes:
        """A sector chain's bytes, refusing loops and reads beyond the file."""
        out = bytearray()
        seen: set[int] = set()
        sector_id = start
        while sector_id != _ENDOFCHAIN:
            if sector_id in seen or sector_id > self.max_id or sector_id >= len(self.fat):
                raise CfbRefused("复合文档的扇区链成环或越界,文件已损坏或被篡改。")
            seen.add(sector_id)
            out += self.sector(sector_id)
            if limit is not None and len(out) >= limit:
                return bytes(out[:limit])
            sector_id = self.fat[sector_id]
        return bytes(out)

    def directory(self) -> list[tuple[str, int, int]]:
        raw = self.chain(self.dir_start, None)
        entries = []
        for offset in range(0, min(len(raw), _MAX_DIRECTORY_ENTRIES * 128) - 127, 128):
            name = raw[offset : offset + 64].decode("utf-16-le", errors="replace").split("\0", 1)[0]
            start = struct.unpack_from("<I", raw, offset + 116)[0]
            if self.size == 512:
                size = struct.unpack_from("<I", raw, offset + 120)[0]
            else:
                size = struct.unpack_from("<Q", raw, offset + 120)[0]
            entries.append((name, start, size))
        if not entries:
            raise CfbRefused("复合文档没有目录,文件已损坏。")
        return entries

    def mini_stream(self, entries: list[tuple[str, int, int]]) -> tuple[bytes, list[int]]:
        if self.mini_fat_len == 0:
            return b"", []
        _, root_start, root_size = entries[0]
        if root_size > len(self.data):
            raise CfbRefused("复合文档的根目录大小超出文件大小,文件已损坏或被篡改。")
        ministream = self.chain(root_start, root_size)
        minifat_raw = self.chain(self.mini_fat_start, self.mini_fat_len * self.size)
        return ministream, list(struct.unpack_from(f"<{len(minifat_raw) // 4}I", minifat_raw))

    def stream(self, entry: tuple[str, int, int], mini: tuple[bytes, list[int]]) -> bytes:
        _, start, size = entry
        if size > len(self.data):
            raise CfbRefused("复合文档中的数据流长度超出文件大小,文件已损坏或被篡改。")
        if size >= _MINI_CUTOFF:
            return self.chain(start, size)
        ministream, minifat = mini
        out = bytearray()
        seen: set[int] = set()
        sector_id = start
        while sector_id != _ENDOFCHAIN and len(out) < size:
            if sector_id in seen or sector_id >= len(minifat):
                raise CfbRefused("复合文档的小扇区链成环或越界,文件已损坏或被篡改。")
            seen.add(sector_id)
            out += ministream[sector_id * 64 : sector_id * 64 + 64]
            sector_id = minifat[sector_id]
        return bytes(out[:size])


def inspect_ole(data: bytes) -> OleReport:
    """Walk the compound file; for a workbook stream, check every sheet's layout. Raises CfbRefused."""
    try:
        return _inspect(data)
    except (struct.error, IndexError, ValueError, OverflowError, MemoryError) as exc:
        raise CfbRefused("复合文档结构不完整,文件已损坏。") from exc


def _inspect(data: bytes) -> OleReport:
    cfb = _Cfb(data)
    entries = cfb.directory()
    report = OleReport(streams=[name for name, _, _ in entries])
    names = {name for name, _, _ in entries}
    if "EncryptedPackage" in names or "EncryptionInfo" in names:
        report.encrypted_package = True
        return report
    mini = cfb.mini_stream(entries)
    for wanted in ("Workbook", "Book", "WORKBOOK", "BOOK"):
        entry = next((e for e in entries if e[0] == wanted), None)
        if entry is not None:
            report.biff_stream = wanted
            _scan_biff(cfb.stream(entry, mini), report)
            break
    return report


def _records(stream: bytes, pos: int) -> Iterator[tuple[int, bytes]]:
    end = len(stream)
    unpack = struct.unpack_from
    while pos + 4 <= end:
        typ, length = unpack("<HH", stream, pos)
        if pos + 4 + length > end:
            raise CfbRefused("工作簿数据流中的记录被截断,文件已损坏。")
        yield typ, stream[pos + 4 : pos + 4 + length]
        pos += 4 + length


def _scan_biff(stream: bytes, report: OleReport) -> None:
    sheet_positions: list[int] = []
    for typ, rec in _records(stream, 0):
        if typ == _FILEPASS and len(rec) >= 2 and struct.unpack_from("<H", rec)[0] != 0:
            report.encrypted_biff = True
            return
        if typ == _BOUNDSHEET and len(rec) >= 4:
            sheet_positions.append(struct.unpack_from("<I", rec)[0])
        elif typ == _SUPBOOK and len(rec) >= 4:
            # Excel and LibreOffice write a SupBook for the workbook itself into every file; only one
            # naming another file is an external link (its ExternName records follow it).
            if struct.unpack_from("<H", rec, 2)[0] not in _SUPBOOK_SELF_OR_ADDIN:
                report.external_links = True
        elif typ == _EOF:
            break
    for pos in sheet_positions:
        if pos > len(stream):
            raise CfbRefused("工作表的位置指向数据流之外,文件已损坏或被篡改。")
        cells, formulas = _sheet_extents(stream, pos)
        report.extents.append(cells)
        report.extents.append(formulas)


def _sheet_extents(stream: bytes, pos: int) -> tuple[SheetExtent, SheetExtent]:
    """Cells and formulas of the worksheet substream at ``pos``, as the reader will place them.

    Cells of embedded charts (nested BOF … EOF) count too: some versions of the reader keep them.
    One tight loop with plain local variables: a 10,000-task .xls has some 150,000 records.
    """
    formulas = SheetExtent()
    pair = _PAIR.unpack_from
    end = len(stream)
    depth = -1  # the sheet's own BOF makes it 0
    low_row = low_col = 1 << 30
    high_row = high_col = -1
    cell_records, mulrk, formula = _CELL_RECORDS, _MULRK, _FORMULA
    while pos + 4 <= end:
        typ, length = pair(stream, pos)
        body = pos + 4
        pos = body + length
        if pos > end:
            raise CfbRefused("工作簿数据流中的记录被截断,文件已损坏。")
        if typ in cell_records:
            if length < 4:
                continue
            row, col = pair(stream, body)
            if typ == formula:
                formulas.add(row, col)
        elif typ == mulrk:
            if length < 6:
                continue
            row, col = pair(stream, body)
            last = max(_ONE.unpack_from(stream, pos - 2)[0], col + (length - 6) // 6 - 1)
            high_col = max(high_col, last)
        elif typ == _DIMENSIONS:
            _check_dimensions(stream[body:pos])
            continue
        elif typ == _BOF:
            depth += 1
            continue
        elif typ == _EOF:
            if depth <= 0:
                break
            depth -= 1
            continue
        else:
            continue
        if row < low_row:
            low_row = row
        if row > high_row:
            high_row = row
        if col < low_col:
            low_col = col
        if col > high_col:
            high_col = col
    cells = SheetExtent(high_row, high_col, low_row, low_col)
    return cells, formulas


def _check_dimensions(rec: bytes) -> None:
    """The reader reserves rows × columns cells from this record, wrapping on bad values."""
    if len(rec) == 14:
        first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", rec)
    elif len(rec) == 10:
        first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", rec)
    else:
        return
    if first_col > 0xFF or last_col < first_col:
        first_col = 0
    if last_row >= 1 and last_col >= 1:
        rows = (last_row - 1 - first_row + 1) & 0xFFFFFFFF
        cols = (last_col - 1 - first_col + 1) & 0xFFFFFFFF
    else:
        rows = cols = 1
    if rows * cols > MAX_DIMENSION_CELLS:
        raise CfbRefused("工作表声明的范围过大(DIMENSIONS记录异常),文件已损坏或被篡改。")
