"""Checks on a workbook file before python-calamine reads it, so hostile files are refused, not obeyed.

The Rust reader is fast but believes what the file says: a cell at XFD1048576 next to one at A1
makes it lay out 17 billion cells, a sharedStrings count of four billion makes it reserve 96 GB, and
a failed allocation aborts the process. So every size the reader would trust is checked here first:
declared zip sizes and ratios (zip bombs), the extent of the cells of every sheet, the string count,
the number of merged ranges; .xls files go through excel_in.cfb. Everything here only reads.

Why checks in-process rather than a boundary (issue 19, bench/bench_xls_guard.py; python-calamine
0.9.1, a 10,000-task ledger, 35 hostile and 1,000 fuzzed files, 12 of which abort calamine read alone):
these checks cost 0.02 s of CPU (.xlsx as Excel saves it), 0.17 s (as openpyxl writes it: a 33 MB
sheet) and 0.05 s (.xls), next to 0.20–0.26 s for calamine's read, and let none of the 12 through.
Reading in a child process instead (as Dangerzone isolates documents) turns an abort into a refusal,
but costs 0.07 s to start (spawn; 0.14 s for a PyInstaller worker) and 0.23–0.29 s to pickle the
28 MB of rows back on every import; it still needs a memory limit (RLIMIT_AS; on Windows a Job Object
through ctypes: psutil sets none) and a timeout, as a looping .xls grows until the limit; and all 12
get one generic reason, where these checks tell the clerk what to fix (a stray value at XFD1048576).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import defusedxml.ElementTree as DefusedET

from ledger_app.io.excel_in.cfb import OLE_MAGIC, CfbRefused, inspect_ole
from ledger_app.io.excel_in.extent import sheet_extent

MAX_FILE_BYTES = 300 * 1024 * 1024
MAX_TOTAL_UNCOMPRESSED = 500 * 1024 * 1024
MAX_RATIO_SIZE = 50 * 1024 * 1024  # members this large must not be compressed more than…
MAX_RATIO = 200  # …this many times (real sheets: 5–20)
MAX_MEMBERS = 20_000
MAX_CELL_AREA = 10_000_000  # rows × columns the reader lays out densely (32 bytes a cell)
MAX_MERGED_RANGES = 500_000

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_HAS_FORMULA_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
# The same without a namespace prefix: its literal start makes it five times faster on a 15 MB sheet
# ("<f" alone is no test: "<firstHeader>" has it); and a prefixed one's tail, which a regex finds in
# half the time of bytes.find(b":f") (0.024 s against 0.045 s on a 33 MB sheet).
_PLAIN_FORMULA_RE = re.compile(rb"<f[\s>/]")
_PREFIXED_FORMULA_RE = re.compile(rb":f[\s>/]")
_HAS_VALUE_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v>[^<]")
_REF_RE = re.compile(rb'\br="([A-Z]{1,3}[0-9]{1,7})"')
_SST_COUNT_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sst\b[^>]*?\buniqueCount\s*=\s*[\"']\s*\+?([0-9]{1,30})")


# What zipfile raises on damaged archives: bad structure, bad deflate data (zlib.error), a
# compression method it does not know (NotImplementedError), an encrypted member (RuntimeError).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OSError,
    EOFError,
    UnicodeDecodeError,
)


class UnsafeWorkbook(Exception):
    """Raised with a Chinese reason (and an English one) for the caller to wrap into WorkbookRefused."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.message_en = message_en


@dataclass(slots=True)
class SafetyReport:
    format: str  # "xlsx" or "xls"
    warnings: list[str] = field(default_factory=list)  # about the workbook as a whole
    # sheet name → cells holding a formula whose value Excel never saved (e.g. "D7")
    formulas_without_value: dict[str, list[str]] = field(default_factory=dict)
    formula_counts: dict[str, int] = field(default_factory=dict)


def check_workbook(data: bytes) -> SafetyReport:
    """Refuse (UnsafeWorkbook) what the reader could not survive or is no workbook; report the rest."""
    if len(data) > MAX_FILE_BYTES:
        raise UnsafeWorkbook(
            f"文件过大({len(data) // (1024 * 1024)} MB),不像是整改台账。",
            "The file is too large to be a ledger workbook.",
        )
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _check_zip(data)
    if data.startswith(OLE_MAGIC):
        return _check_ole(data)
    raise UnsafeWorkbook(*_not_a_workbook(data))


def _not_a_workbook(data: bytes) -> tuple[str, str]:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not data:
        return "文件是空的(0字节)。", "The file is empty."
    if head.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")) or b"<html" in head:
        return (
            "这是网页(HTML)格式的文件,只是扩展名像Excel。请用Excel或WPS打开后“另存为”.xlsx再导入。",
            "This is an HTML file with an Excel extension; save it as .xlsx first.",
        )
    if head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096]:
        return (
            "这是“XML表格2003”格式的文件,暂不支持。请用Excel或WPS打开后“另存为”.xlsx再导入。",
            "This is an XML Spreadsheet 2003 file; save it as .xlsx first.",
        )
    if head.startswith(b"%pdf"):
        return "这是PDF文件,不是Excel工作簿。", "This is a PDF file, not a workbook."
    return (
        "文件不是Excel工作簿(.xlsx/.xlsm/.xls),可能是改了扩展名的其他文件或已损坏。",
        "The file is not an Excel workbook (.xlsx/.xlsm/.xls).",
    )


# -- .xls and encrypted .xlsx ----------------------------------------------------------------------
def _check_ole(data: bytes) -> SafetyReport:
    try:
        report = inspect_ole(data)
    except CfbRefused as exc:
        raise UnsafeWorkbook(str(exc), "The compound file is damaged or was tampered with.") from exc
    if report.encrypted_package or report.encrypted_biff:
        raise UnsafeWorkbook(
            "工作簿设置了打开密码,无法读取。请在Excel中取消密码(文件→信息→保护工作簿→用密码进行加密,清空密码)后再导入。",
            "The workbook is password-protected; remove the password and import again.",
        )
    if report.biff_stream is None:
        if "WordDocument" in report.streams:
            raise UnsafeWorkbook("这是Word文档(.doc),不是Excel工作簿。", "This is a Word document.")
        raise UnsafeWorkbook(
            "文件是Office复合文档,但其中没有Excel工作簿。", "The compound file holds no Excel workbook."
        )
    for extent in report.extents:
        if extent.area > MAX_CELL_AREA:
            raise UnsafeWorkbook(*_too_wide(extent.max_row, extent.max_col))
    result = SafetyReport(format="xls")
    if report.external_links:
        result.warnings.append(_EXTERNAL_LINK_WARNING)
    return result


_EXTERNAL_LINK_WARNING = "工作簿引用了其他工作簿(外部链接):按文件中保存的值导入,不会去打开被引用的文件。"


def _too_wide(max_row: int, max_col: int) -> tuple[str, str]:
    from ledger_app.io.excel_in.cells import col_letter

    return (
        f"工作表中有内容的单元格范围过大(一直到{col_letter(max_col)}{max_row + 1}),不像是整改台账,"
        "可能是误填了很远的单元格或文件被篡改。请删除多余的行列后再导入。",
        "A sheet's used range is far too large to be a ledger.",
    )


# -- .xlsx / .xlsm ----------------------------------------------------------------------------------
def _check_zip(data: bytes) -> SafetyReport:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except _ZIP_ERRORS as exc:
        raise UnsafeWorkbook(
            "文件不完整或已损坏(压缩包结构无效),可能是复制或下载时中断。请重新获取文件。",
            "The file is truncated or damaged (invalid zip structure).",
        ) from exc
    if len(infos) > MAX_MEMBERS:
        raise UnsafeWorkbook("压缩包中的文件数量异常,不像是Excel工作簿。", "Too many members in the zip.")
    names = {info.filename.lower(): info for info in infos}
    if "xl/workbook.xml" not in names:
        raise UnsafeWorkbook(*_zip_kind_refusal(names))
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise UnsafeWorkbook(*_bomb(total))
    for info in infos:
        if info.file_size > MAX_RATIO_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UnsafeWorkbook(*_bomb(info.file_size))
    report = SafetyReport(format="xlsx")
    if any(name.startswith("xl/externallinks/") for name in names):
        report.warnings.append(_EXTERNAL_LINK_WARNING)
    if any(name.endswith("vbaproject.bin") for name in names):
        report.warnings.append("工作簿包含宏(VBA):导入只读取单元格中的值,不会运行宏。")
    try:
        _check_shared_strings(archive, names)
        sheet_files = _sheet_files(archive, names)
        for info in infos:
            lower = info.filename.lower()
            if lower.startswith("xl/worksheets/") and lower.endswith(".xml"):
                _check_sheet(archive.read(info), sheet_files.get(lower, info.filename), report)
    except _ZIP_ERRORS as exc:
        raise UnsafeWorkbook(
            "文件已损坏:压缩数据无法解开(校验失败或被截断)。请重新获取文件。",
            "The file is damaged: a compressed member cannot be read.",
        ) from exc
    return report


def _zip_kind_refusal(names: dict[str, zipfile.ZipInfo]) -> tuple[str, str]:
    if "xl/workbook.bin" in names:
        return (
            "这是Excel二进制工作簿(.xlsb),暂不支持。请在Excel中“另存为”.xlsx后再导入。",
            "Binary workbooks (.xlsb) are not supported; save as .xlsx.",
        )
    if "word/document.xml" in names:
        return "这是Word文档(.docx),不是Excel工作簿。", "This is a Word document."
    if "ppt/presentation.xml" in names:
        return "这是PowerPoint演示文稿,不是Excel工作簿。", "This is a PowerPoint file."
    if "content.xml" in names or "mimetype" in names:
        return (
            "这是OpenDocument/WPS表格格式(.ods等),暂不支持。请“另存为”.xlsx后再导入。",
            "OpenDocument spreadsheets are not supported; save as .xlsx.",
        )
    return "文件是压缩包,但不是Excel工作簿。", "The zip file is not an Excel workbook."


def _bomb(size: int) -> tuple[str, str]:
    return (
        f"文件解压后过大(约{size // (1024 * 1024)} MB)或压缩比异常,疑似“压缩炸弹”,已拒绝读取。",
        "The workbook would decompress to an unsafe size (zip bomb).",
    )


def _check_shared_strings(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo]) -> None:
    info = names.get("xl/sharedstrings.xml")
    if info is None:
        return
    with archive.open(info) as handle:
        head = handle.read(4096)
    match = _SST_COUNT_RE.search(head)
    # The reader reserves this many strings up front; each needs at least "<si/>" in the file.
    if match is not None and info.file_size // 5 + 1000 < int(match.group(1)) < 1 << 64:
        raise UnsafeWorkbook(
            "工作簿的共享字符串数量与文件内容不符,文件已损坏或被篡改。",
            "The shared-string count does not match the file.",
        )


def _sheet_files(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo]) -> dict[str, str]:
    """Worksheet member (lower-case) → sheet name, from workbook.xml and its relationships."""
    try:
        book = DefusedET.fromstring(archive.read(names["xl/workbook.xml"]))
        rels_info = names.get("xl/_rels/workbook.xml.rels")
        rels = DefusedET.fromstring(archive.read(rels_info)) if rels_info else None
    except Exception:  # a broken or hostile index only costs us the sheet names
        return {}
    targets: dict[str, str] = {}
    if rels is not None:
        for rel in rels.iter(f"{{{_NS['pr']}}}Relationship"):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            targets[rel.get("Id", "")] = path.lower()
    result: dict[str, str] = {}
    for sheet in book.iter(f"{{{_NS['m']}}}sheet"):
        rid = sheet.get(f"{{{_NS['r']}}}id", "")
        if rid in targets:
            result[targets[rid]] = sheet.get("name", "")
    return result


def _check_sheet(xml: bytes, sheet: str, report: SafetyReport) -> None:
    extent = sheet_extent(xml)
    if extent.area > MAX_CELL_AREA:
        raise UnsafeWorkbook(*_too_wide(extent.last_row, extent.last_col))
    # One count for "<mergeCell " and "<x:mergeCell " alike (the same text in a cell only counts more).
    if xml.count(b"mergeCell ") > MAX_MERGED_RANGES:
        raise UnsafeWorkbook("工作表中的合并单元格数量异常,文件已损坏或被篡改。", "Too many merged ranges.")
    if _PLAIN_FORMULA_RE.search(xml) or (_PREFIXED_FORMULA_RE.search(xml) and _HAS_FORMULA_RE.search(xml)):
        _find_formulas_without_value(xml, sheet, report)


def _find_formulas_without_value(xml: bytes, sheet: str, report: SafetyReport) -> None:
    """Cells with a formula (<f>) but no saved value (<v>): each formula is looked at in its own
    cell only, so a damaged file without closing tags costs no more than a whole one."""
    missing: list[str] = []
    count = 0
    cell_end = -1
    for formula in _HAS_FORMULA_RE.finditer(xml):
        if formula.start() < cell_end:
            continue  # a second <f> in the same cell
        count += 1
        start = max(xml.rfind(b"<c ", 0, formula.start()), xml.rfind(b":c ", 0, formula.start()))
        cell_end = xml.find(b"c>", formula.end())
        cell_end = len(xml) if cell_end < 0 else cell_end
        if not _HAS_VALUE_RE.search(xml, formula.end(), cell_end):
            ref = _REF_RE.search(xml, max(start, 0), formula.start())
            missing.append(ref.group(1).decode() if ref else "?")
    report.formula_counts[sheet] = count
    if missing:
        report.formulas_without_value[sheet] = missing
