"""The plan's text as numbered lines, from a .txt file (UTF-8 or GB18030), pasted text, or a .docx.

Untrusted input: a file too large, binary garbage, a .docx that is a zip bomb, not a zip, or carries a
DTD (entity expansion, external entities) is refused with a Chinese reason before any parser sees it.
A .docx becomes paragraphs and table rows in document order; a table row is one line whose cells are
kept apart (``SourceLine.cells``), with the identity of each cell so vertically merged cells are seen.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ledger_app.domain.errors import LedgerError

from .numbering import WordNumbering

MAX_FILE_BYTES = 20 * 1024 * 1024  # a plan is a few hundred KB; a 500-task annex about 1 MB
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # a .docx's parts together, as its directory declares them
MAX_RATIO = 100  # deflate of real document.xml: 5–15×; a bomb: 1000×
MAX_MEMBERS = 5_000
MAX_LINES = 200_000

# A DTD is where entity attacks live (billion laughs, external entities); Word never writes one.
_DTD_RE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, RuntimeError,
               ValueError, OSError, EOFError, KeyError)  # fmt: skip


class PlanRefused(LedgerError):
    """The file cannot be read as a plan (too large, not text, broken or hostile .docx)."""


@dataclass(frozen=True, slots=True)
class SourceLine:
    no: int  # 1-based, as the preview numbers the source text
    text: str  # one line as shown; a table row's cells joined by " | " (line breaks as " ")
    cells: tuple[str, ...] | None = None  # a table row's cells, line breaks kept
    cell_ids: tuple[int, ...] | None = None  # equal ids: one (merged) cell
    table: int | None = None  # which table of the document, counted from 0
    page_break: bool = False  # a form feed or a Word page break came just before this line


@dataclass(slots=True)
class SourceDoc:
    format: str  # "txt", "docx" or "paste"
    lines: list[SourceLine]
    encoding: str = ""

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


# -- plain text ---------------------------------------------------------------------------------------
def lines_of_text(text: str, *, fmt: str = "paste", encoding: str = "") -> SourceDoc:
    """Pasted or decoded text as numbered lines; a form feed (page break in text exports) is noted."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines: list[SourceLine] = []
    page_break = False
    for raw in text.split("\n"):
        if "\f" in raw:
            page_break = True
            raw = raw.replace("\f", "")
        lines.append(SourceLine(len(lines) + 1, raw.rstrip(), page_break=page_break))
        page_break = False
        if len(lines) > MAX_LINES:
            raise PlanRefused(
                f"文本超过 {MAX_LINES} 行,不像是一份整改方案,已拒绝读取。", "too many lines for a plan"
            )
    return SourceDoc(fmt, lines, encoding)


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name): UTF-8 with or without BOM, UTF-16 with BOM (Notepad's "Unicode"), else GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[3:], "utf-8", "UTF-8(带BOM)")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16", "UTF-16")
    _refuse_binary(data)
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            # A file cut short inside its last character (a copy interrupted): the rest is good UTF-8.
            return data[: exc.start].decode("utf-8"), "UTF-8"
    return _decode(data, "gb18030", "GB18030")


def _decode(data: bytes, codec: str, name: str) -> tuple[str, str]:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise PlanRefused(
            f"文件不是可以识别的文本(既不是UTF-8也不是GB18030/GBK编码,第 {exc.start} 字节处无法解码)。"
            "请在Word或记事本中“另存为”.txt(UTF-8)或.docx后再导入。",
            f"not UTF-8 or GB18030 text (byte {exc.start})",
        ) from None
    if _garbage_share(text) > 0.05:
        raise PlanRefused(_NOT_TEXT_ZH, "binary data, not text")
    return text, name


_NOT_TEXT_ZH = (
    "文件内容不是文字(像是程序、图片或其他二进制文件),已拒绝读取。请选择整改方案的.txt或.docx文件。"
)


def _refuse_binary(data: bytes) -> None:
    head = data[:65536]
    if b"\x00" in head:
        raise PlanRefused(_NOT_TEXT_ZH, "binary data (NUL bytes), not text")


def _garbage_share(text: str) -> float:
    """Share of characters no plan holds (controls, private use, scripts other than Chinese, Latin and
    the usual symbols): near 0 in any real text, high in binary data decoded by chance."""
    sample = text[:200_000]
    if not sample:
        return 0.0
    return len(_ODD_RE.findall(sample)) / len(sample)


# What a Chinese plan may hold: Latin, Greek and Cyrillic (GB2312 has them), punctuation, symbols,
# enclosed numbers, CJK and its punctuation, full-width forms, and CJK beyond the BMP (GB18030).
_ODD_RE = re.compile(
    "[^\t\n\r\f\x20-\x7e\xa0-\u024f\u0370-\u04ff\u2000-\u27bf\u2e80-\u2fdf\u3000-\u33ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe6f\uff00-\uffef\U00020000-\U0003134f]"
)


# -- files --------------------------------------------------------------------------------------------
def read_source(path: Path) -> SourceDoc:
    """The plan file as lines; the format is told by the file's first bytes, not by its name."""
    path = Path(path)
    try:
        if path.is_dir():
            raise PlanRefused(f"「{path.name}」是文件夹,不是整改方案文件。", "the path is a folder")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise PlanRefused(
                f"文件过大({size // (1024 * 1024)} MB,上限 {MAX_FILE_BYTES // (1024 * 1024)} MB),"
                "不像是一份整改方案,已拒绝读取。",
                "the file is too large for a plan",
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise PlanRefused(f"找不到文件:{path}", f"no such file: {path}") from None
    except PermissionError:
        raise PlanRefused(f"没有权限读取文件:{path}", f"permission denied: {path}") from None
    except OSError as exc:
        raise PlanRefused(f"无法读取文件:{path}({exc.strerror})", f"cannot read {path}") from None
    if len(data) > MAX_FILE_BYTES:  # grew between stat and read
        raise PlanRefused("文件过大,已拒绝读取。", "the file is too large")
    if not data.strip():
        raise PlanRefused(f"文件是空的:{path.name}", "the file is empty")
    if data.startswith(b"PK"):
        return read_docx_bytes(data)
    _refuse_other_formats(data, path)
    text, encoding = decode_text(data)
    return lines_of_text(text, fmt="txt", encoding=encoding)


def _refuse_other_formats(data: bytes, path: Path) -> None:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise PlanRefused(
            "这是旧版Word(.doc)、WPS或加密的文件,暂不能直接读取。请在Word/WPS中“另存为”.docx(或.txt)后再导入。",
            "legacy .doc / encrypted Office file; save as .docx",
        )
    if data.startswith(b"%PDF"):
        raise PlanRefused(
            "这是PDF文件,暂不能直接读取。请打开PDF,全选复制文字后用“粘贴文本”导入,或另存为.txt。",
            "PDF is not supported; paste its text",
        )
    if data.lstrip().startswith(b"{\\rtf"):
        raise PlanRefused(
            "这是RTF文件,暂不能直接读取。请在Word/WPS中“另存为”.docx后再导入。", "RTF is not supported"
        )


# -- .docx --------------------------------------------------------------------------------------------
def check_docx(data: bytes) -> None:
    """Refuse a .docx that is not a zip, would decompress to too much, or carries a DTD, before parsing."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except _ZIP_ERRORS:
        raise PlanRefused(
            "文件不是有效的Word文档(.docx):压缩包结构已损坏或不完整。请重新获取文件。",
            "not a valid .docx (broken zip)",
        ) from None
    if len(infos) > MAX_MEMBERS:
        raise PlanRefused("压缩包中的文件数量异常,不像是Word文档。", "too many zip members")
    names = {info.filename.lower(): info for info in infos}
    if "word/document.xml" not in names:
        if "xl/workbook.xml" in names:
            raise PlanRefused(
                "这是Excel工作簿,不是Word文档。Excel台账请用“导入Excel台账”。", "an Excel workbook, not Word"
            )
        raise PlanRefused("文件是压缩包,但不是Word文档(.docx)。", "a zip file, not a .docx")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED or any(
        info.file_size > 10 * 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        for info in infos
    ):
        raise PlanRefused(
            f"文件解压后过大(约 {total // (1024 * 1024)} MB)或压缩比异常,疑似“压缩炸弹”,已拒绝读取。",
            "the .docx would decompress to an unsafe size (zip bomb)",
        )
    try:
        for info in infos:
            lower = info.filename.lower()
            if lower.endswith((".xml", ".rels")):
                with archive.open(info) as member:
                    # Declared sizes can lie: never read more than the limit allows.
                    blob = member.read(MAX_UNCOMPRESSED + 1)
                if len(blob) > MAX_UNCOMPRESSED:
                    raise PlanRefused("文件解压后过大,疑似“压缩炸弹”,已拒绝读取。", "zip bomb")
                if _DTD_RE.search(blob[:4096]) or _DTD_RE.search(blob):
                    raise PlanRefused(
                        "Word文档中含有文档类型定义(DTD/实体声明),这不是Word生成的文件,可能是恶意构造的,已拒绝读取。",
                        "the .docx contains a DTD / entity declarations",
                    )
    except _ZIP_ERRORS:
        raise PlanRefused(
            "Word文档已损坏:压缩数据无法解开(校验失败或被截断)。请重新获取文件。", "damaged .docx member"
        ) from None


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_T, _TAB, _BR, _CR, _PAGE, _P, _TC, _TBL = (
    f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}lastRenderedPageBreak", f"{_W}p", f"{_W}tc", f"{_W}tbl",
)  # fmt: skip
_TYPE = f"{_W}type"


def _paragraph_text(p: object) -> tuple[str, bool]:
    """(text, page break in it) of a w:p: its runs' text, line breaks as "\n", tabs as "\t".

    One pass over the element's descendants: python-docx's Paragraph.text compiles XPath per call,
    which took 1 s for a 500-task plan. Deleted text (w:delText) and field codes are other tags.
    """
    parts: list[str] = []
    page = False
    for node in p.iter(_T, _TAB, _BR, _CR, _PAGE):  # type: ignore[attr-defined]
        tag = node.tag
        if tag == _T:
            parts.append(node.text or "")
        elif tag == _TAB:
            parts.append("\t")
        elif tag == _PAGE or node.get(_TYPE) == "page":
            page = True
        else:
            parts.append("\n")
    return "".join(parts), page


def _cell_text(tc: object) -> str:
    """A table cell's paragraphs, one a line (tables nested in the cell are left to their own cells)."""
    return "\n".join(_paragraph_text(p)[0] for p in tc.iterchildren(_P)).strip()  # type: ignore[attr-defined]


def read_docx_bytes(data: bytes) -> SourceDoc:
    check_docx(data)
    try:
        import docx  # python-docx: late, the text path and the CLI's other commands do not need lxml
        from docx.table import Table

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        numbering = WordNumbering.of(document)
        lines: list[SourceLine] = []
        page_break = False
        table_no = 0
        for child in body.iterchildren():
            if child.tag == _P:
                text, page = _paragraph_text(child)
                if text.strip():
                    text = numbering.label(child) + text  # Word's automatic number, as it shows it
                page_break = page_break or page
                for part in text.split("\n"):
                    lines.append(SourceLine(len(lines) + 1, part.rstrip(), page_break=page_break))
                    page_break = False
            elif child.tag == _TBL:
                table = Table(child, document)
                # The cells stay referenced until the table is read: lxml then hands back the same
                # element proxy for a merged cell, so id() tells one merged cell from two cells.
                keep: list[tuple[object, ...]] = []
                for row in table.rows:
                    cells = row.cells
                    keep.append(cells)
                    texts = tuple(_cell_text(cell._tc) for cell in cells)
                    ids = tuple(id(cell._tc) for cell in cells)
                    shown = " | ".join(" ".join(t.split()) for t in _dedupe_spans(texts, ids))
                    lines.append(
                        SourceLine(len(lines) + 1, shown, texts, ids, table_no, page_break=page_break)
                    )
                    page_break = False
                table_no += 1
                del keep
            if len(lines) > MAX_LINES:
                raise PlanRefused(f"文档超过 {MAX_LINES} 段,不像是一份整改方案,已拒绝读取。", "too long")
    except PlanRefused:
        raise
    except Exception as exc:  # python-docx / lxml on a malformed part: a refusal, never a traceback
        raise PlanRefused(
            f"Word文档无法读取(内容结构已损坏:{type(exc).__name__})。请在Word中打开后“另存为”.docx再导入。",
            f"cannot read the .docx: {exc}",
        ) from None
    return SourceDoc("docx", lines)


def _dedupe_spans(texts: tuple[str, ...], ids: tuple[int, ...]) -> list[str]:
    """Cells of a row as shown: a horizontally merged cell (repeated by python-docx) once."""
    shown: list[str] = []
    last = None
    for text, key in zip(texts, ids, strict=True):
        if key != last:
            shown.append(text)
        last = key
    return shown
