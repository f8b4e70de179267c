"""Cell text with known answers (excel_out.text): how many printed lines a text takes in a ledger column,
how tall the row must be, and that keeping carriage returns touches the sheets' text and nothing else
(the 统计 sheet's charts are PNG files, and every PNG starts with a carriage return byte)."""

from __future__ import annotations

import errno
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from PIL import Image

from ledger_app.domain.errors import LedgerError
from ledger_app.io.excel_out.export import write_monthly_report
from ledger_app.io.excel_out.text import height_for_lines, keep_carriage_returns, wrapped_lines
from tests.report_factory import september_report, task

# Column widths of the 台账 sheet, in Excel units (export.LEDGER_COLUMNS), written out here.
DESCRIPTION = 34  # 问题描述: (34 - 1) × 0.95 = 31.35 units a line, so 15 Chinese characters
MEASURES = 40  # 整改措施: 39 × 0.95 = 37.05 units, 18 Chinese characters
LEADER = 9  # 责任领导: 8 × 0.95 = 7.6 units, 3 Chinese characters or 7 digits


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("城区黑臭水体整治不到位群众反映", DESCRIPTION, 1),  # 15 characters: one full line
        ("城区黑臭水体整治不到位群众反映强", DESCRIPTION, 2),  # the 16th wraps
        ("城" * 40, DESCRIPTION, 3),  # 80 units: 31.35 + 31.35 + 17.3
        ("城" * 47, DESCRIPTION, 3),  # 94 units, just under 3 × 31.35 = 94.05
        ("城" * 48, DESCRIPTION, 4),
        ("城" * 18, MEASURES, 1),
        ("城" * 19, MEASURES, 2),
        ("张三", LEADER, 1),
        ("欧阳建国", LEADER, 2),  # 8 units in a 7.6 line
        ("1381234", LEADER, 1),
        ("13812345678", LEADER, 2),
        ("", DESCRIPTION, 1),  # an empty cell still takes a line
    ],
)
def test_lines_of_one_paragraph(text: str, width: float, lines: int) -> None:
    assert wrapped_lines(text, width) == lines


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("1.排查整治\n2.建立长效机制", 2),  # two short measures: one line each
        ("已完成整改。\n\n经县住建局验收合格。", 3),  # a blank line between paragraphs prints as a line
        ("\n", 2),
        ("城" * 16 + "\n" + "城" * 15, 3),  # the first paragraph wraps, the second does not
    ],
)
def test_lines_of_several_paragraphs_in_the_description_column(text: str, lines: int) -> None:
    assert wrapped_lines(text, DESCRIPTION) == lines


def test_a_narrow_column_still_holds_one_character_a_line() -> None:
    # Width 1.5: the capacity floor of one unit, so "ab" takes two lines, not a division by ~0.
    assert wrapped_lines("ab", 1.5) == 2


@pytest.mark.parametrize(
    ("lines", "height"),
    [(1, 18.5), (3, 47.5), (27, 395.5), (28, 409.0), (40, 409.0)],
)
def test_row_height_for_lines_at_14_5_points(lines: int, height: float) -> None:
    assert height_for_lines(lines, 14.5) == height


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, format="PNG")
    data = out.getvalue()
    assert data.startswith(b"\x89PNG\r\n")  # the carriage return every PNG carries
    return data


def test_carriage_returns_are_kept_in_sheets_and_nothing_else_is_touched(tmp_path: Path) -> None:
    path = tmp_path / "月报.xlsx"
    picture = png_bytes()
    core = b"<cp:coreProperties><dc:title>a\rb</dc:title></cp:coreProperties>"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<t>\xe7\xac\xac\xe4\xb8\x80\r\n</t>")
        archive.writestr("xl/worksheets/sheet2.xml", b"<t>no return</t>")
        archive.writestr("xl/media/image1.png", picture)
        archive.writestr("docProps/core.xml", core)
    keep_carriage_returns(path)
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == [
            "xl/worksheets/sheet1.xml",
            "xl/worksheets/sheet2.xml",
            "xl/media/image1.png",
            "docProps/core.xml",
        ]
        assert archive.read("xl/worksheets/sheet1.xml") == "<t>第一&#13;\n</t>".encode()
        assert archive.read("xl/worksheets/sheet2.xml") == b"<t>no return</t>"
        assert archive.read("xl/media/image1.png") == picture
        assert archive.read("docProps/core.xml") == core
    assert [p.name for p in tmp_path.iterdir()] == ["月报.xlsx"]


def test_a_chart_survives_a_report_whose_text_holds_a_carriage_return(tmp_path: Path) -> None:
    chart = tmp_path / "图表.png"
    chart.write_bytes(png_bytes())
    report = september_report([task(description="第一段\r\n第二段")])  # pasted from a Windows document
    out = tmp_path / "月报.xlsx"
    write_monthly_report(report, out, charts=[chart])
    with zipfile.ZipFile(out) as archive:
        media = [n for n in archive.namelist() if n.startswith("xl/media/")]
        assert len(media) == 1
        assert archive.read(media[0]) == chart.read_bytes()
    wb = openpyxl.load_workbook(out)
    texts = [c.value for row in wb["台账"].iter_rows() for c in row]
    assert "第一段\r\n第二段" in texts


def test_a_full_disk_while_keeping_carriage_returns_leaves_only_the_old_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The workbook is saved; the stick fills up while the copy that keeps the carriage returns is
    # written beside it. The clerk gets the error, the old report, and no stray file.
    out = tmp_path / "月报.xlsx"
    out.write_bytes(b"last month's report")
    real_writestr = zipfile.ZipFile.writestr

    def full(self: zipfile.ZipFile, info: object, data: object, *args: object, **kwargs: object) -> None:
        if str(self.filename).endswith(".cr"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_writestr(self, info, data, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", full)
    report = september_report([task(description="第一段\r\n第二段")])
    with pytest.raises(LedgerError) as caught:
        write_monthly_report(report, out)
    assert "无法保存月报" in caught.value.message_zh
    assert [p.name for p in tmp_path.iterdir()] == ["月报.xlsx"]
    assert out.read_bytes() == b"last month's report"


def test_an_unreadable_workbook_reports_its_own_error_and_leaves_nothing(tmp_path: Path) -> None:
    # Nothing was copied yet when reading fails: the error is the workbook's, not a missing copy's.
    path = tmp_path / ".月报.tmp.xlsx"
    path.write_bytes(b"PK\x03\x04 cut short when the stick was pulled")
    with pytest.raises(zipfile.BadZipFile):
        keep_carriage_returns(path)
    assert [p.name for p in tmp_path.iterdir()] == [".月报.tmp.xlsx"]
