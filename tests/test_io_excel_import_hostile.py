"""Broken and hostile workbooks: a clear refusal in Chinese within seconds, the file left untouched."""

from __future__ import annotations

import os
import struct
import time
from pathlib import Path

import pytest

from ledger_app.domain.errors import LedgerError
from ledger_app.io.excel_in.workbook import WorkbookRefused, read_ledger_workbook
from tests.cfb_mutations import MUTATIONS, cfb_mutations
from tests.xlsx_factory import (
    SheetSpec,
    encrypted_xlsx,
    far_cell,
    lying_sizes,
    million_rows,
    minimal_ledger,
    truncated,
    with_member,
    write_xls,
    write_xlsx,
    write_xlsx_raw,
    xls_with_password,
    zip_bomb,
)


def refused(path: Path, *words: str, seconds: float = 5.0) -> WorkbookRefused:
    """Read ``path`` expecting a refusal naming ``words``; the file must not change."""
    before = (path.read_bytes(), os.stat(path).st_mtime_ns)
    started = time.perf_counter()
    with pytest.raises(WorkbookRefused) as caught:
        read_ledger_workbook(path)
    assert time.perf_counter() - started < seconds
    assert (path.read_bytes(), os.stat(path).st_mtime_ns) == before
    error = caught.value
    assert isinstance(error, LedgerError) and error.message_en
    for word in words:
        assert word in error.message_zh, error.message_zh
    return error


def test_a_text_file_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_text("序号,问题描述\n1,污水\n", encoding="utf-8")
    refused(path, "不是Excel工作簿")


def test_an_html_table_saved_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "导出.xls"
    path.write_text("<html><body><table><tr><td>序号</td></tr></table></body></html>", encoding="utf-8")
    refused(path, "网页", "另存为")


def test_an_empty_file_and_a_missing_file_and_a_folder(tmp_path: Path) -> None:
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    refused(empty, "空")
    with pytest.raises(WorkbookRefused, match="找不到文件"):
        read_ledger_workbook(tmp_path / "没有这个文件.xlsx")
    with pytest.raises(WorkbookRefused, match="文件夹"):
        read_ledger_workbook(tmp_path)


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.95])
def test_a_truncated_xlsx(tmp_path: Path, keep: float) -> None:
    whole = write_xlsx(tmp_path / "whole.xlsx", minimal_ledger())
    refused(truncated(whole, tmp_path / "cut.xlsx", keep), "损坏")


@pytest.mark.parametrize("keep", [0.05, 0.5, 0.9])
def test_a_truncated_xls(tmp_path: Path, keep: float) -> None:
    whole = write_xls(tmp_path / "whole.xls", minimal_ledger())
    refused(truncated(whole, tmp_path / "cut.xls", keep))


def test_a_password_protected_xlsx(tmp_path: Path) -> None:
    refused(encrypted_xlsx(tmp_path / "加密.xlsx", tmp_path), "密码")


def test_a_password_protected_xls(tmp_path: Path) -> None:
    refused(xls_with_password(tmp_path / "加密.xls", tmp_path), "密码")


def test_a_word_document_renamed_xls(tmp_path: Path) -> None:
    plain = write_xls(tmp_path / "plain.xls", minimal_ledger()).read_bytes()
    name = "Workbook".encode("utf-16-le") + b"\0\0"
    word = "WordDocument".encode("utf-16-le") + b"\0\0"
    position = plain.find(name)
    patched = plain[:position] + word.ljust(64, b"\0") + struct.pack("<H", len(word)) + plain[position + 66 :]
    path = tmp_path / "公文.xls"
    path.write_bytes(patched)
    refused(path, "Word")


def test_a_zip_bomb(tmp_path: Path) -> None:
    refused(zip_bomb(tmp_path / "炸弹.xlsx", megabytes=60), "压缩")


def test_a_zip_that_lies_about_its_sizes(tmp_path: Path) -> None:
    whole = write_xlsx_raw(tmp_path / "whole.xlsx", minimal_ledger())
    refused(lying_sizes(whole, tmp_path / "lies.xlsx"), "压缩")


@pytest.mark.parametrize("ref", ["XFD1048576", "A1048576", "XFD3"])
def test_a_stray_value_far_away(tmp_path: Path, ref: str) -> None:
    path = far_cell(tmp_path / "远.xlsx", ref)
    if ref == "XFD1048576":
        # The reader would lay out 17 billion cells: refused before it tries.
        refused(path, "范围过大", "XFD1048576")
    else:
        # Long or wide, but not both: read, with the stray value reported or ignored.
        plan = read_ledger_workbook(path)
        assert [t.seq for t in plan.tasks] == ["1", "2"]


def test_an_xls_with_a_value_in_the_last_cell(tmp_path: Path) -> None:
    sheet = minimal_ledger()[0]
    sheet.put(65535, 255, "x")
    refused(write_xls(tmp_path / "远.xls", [sheet]), "范围过大")


def test_a_shared_string_count_of_four_billion(tmp_path: Path) -> None:
    path = write_xlsx_raw(tmp_path / "sst.xlsx", minimal_ledger(), sst_unique_count=4_000_000_000)
    refused(path, "共享字符串")


def _patch_header(source: Path, target: Path, offset: int, value: int) -> Path:
    data = bytearray(source.read_bytes())
    data[offset : offset + 4] = struct.pack("<I", value)
    target.write_bytes(bytes(data))
    return target


def test_an_xls_whose_allocation_table_claims_gigabytes(tmp_path: Path) -> None:
    plain = write_xls(tmp_path / "plain.xls", minimal_ledger())
    refused(_patch_header(plain, tmp_path / "fat.xls", 44, 0x7FFFFFFF), "损坏")


def test_an_xls_whose_sector_chain_loops(tmp_path: Path) -> None:
    plain = write_xls(tmp_path / "plain.xls", minimal_ledger())
    data = bytearray(plain.read_bytes())
    # The DIFAT chain starts at sector 1, whose last entry points back to sector 1.
    data[68:72] = struct.pack("<I", 1)
    data[512 * 2 + 508 : 512 * 2 + 512] = struct.pack("<I", 1)
    path = tmp_path / "loop.xls"
    path.write_bytes(bytes(data))
    refused(path, "成环")


def test_an_xls_whose_dimensions_claim_billions_of_cells(tmp_path: Path) -> None:
    data = bytearray(write_xls(tmp_path / "plain.xls", minimal_ledger()).read_bytes())
    position = data.find(b"\x00\x02\x0e\x00")  # DIMENSIONS, 14 bytes
    assert position > 0
    data[position + 4 : position + 12] = struct.pack("<II", 0, 0xFFFFFFF0)
    path = tmp_path / "dims.xls"
    path.write_bytes(bytes(data))
    refused(path, "范围")


# Read alone, calamine aborts the process on the looping chains here (bench/bench_xls_guard.py); the
# other damages it survives today, but they are no workbook anyway.
@pytest.mark.parametrize("damage", sorted(set(MUTATIONS) - {"Workbook chain loops, size honest"}))
def test_an_xls_damaged_where_the_reader_trusts_it(tmp_path: Path, damage: str) -> None:
    plain = write_xls(tmp_path / "plain.xls", minimal_ledger()).read_bytes()
    path = tmp_path / "damaged.xls"
    path.write_bytes(cfb_mutations(plain)[damage])
    refused(path, "复合文档", "损坏")


def test_an_xls_whose_stream_chain_loops_after_its_end_is_read(tmp_path: Path) -> None:
    # Readers stop at the stream's size and never follow the link back: not a reason to refuse.
    plain = write_xls(tmp_path / "plain.xls", minimal_ledger()).read_bytes()
    path = tmp_path / "loop.xls"
    path.write_bytes(cfb_mutations(plain)["Workbook chain loops, size honest"])
    assert [t.seq for t in read_ledger_workbook(path).tasks] == ["1", "2"]


def test_no_sheet_looks_like_a_ledger(tmp_path: Path) -> None:
    numbers = SheetSpec("Sheet1")
    for r in range(5):
        numbers.row(r, [r, r * 2, r * 3])
    summary = SheetSpec("汇总")
    summary.row(0, ["责任单位", "任务数", "完成率"])
    error = refused(write_xlsx(tmp_path / "统计.xlsx", [numbers, summary]), "没有找到像整改台账的工作表")
    assert "「Sheet1」" in error.message_zh and "「汇总」" in error.message_zh


def test_a_sheet_that_is_not_there(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "台账.xlsx", minimal_ledger())
    with pytest.raises(WorkbookRefused, match="「台账」"):
        read_ledger_workbook(path, sheet="第二页")


def test_a_cell_of_fifty_thousand_characters_refuses_its_task_only(tmp_path: Path) -> None:
    sheet = minimal_ledger()[0]
    sheet.put(1, 1, "污" * 50_000)
    for fmt, writer in (("xlsx", write_xlsx), ("raw.xlsx", write_xlsx_raw)):
        plan = read_ledger_workbook(writer(tmp_path / f"长.{fmt}", [sheet]))
        assert [t.seq for t in plan.tasks] == ["2"]
        [issue] = plan.refused
        assert (issue.row, issue.column) == (2, None)
        assert "B2" in issue.reason_zh and "32767" in issue.reason_zh


def test_formulas_without_saved_values_are_reported(tmp_path: Path) -> None:
    sheet = minimal_ledger()[0]
    sheet.put(0, 4, "备注")
    sheet.put(1, 4, "=A2*2")
    plan = read_ledger_workbook(write_xlsx_raw(tmp_path / "公式.xlsx", [sheet]))
    assert len(plan.tasks) == 2
    assert any("E2" in i.reason_zh and "公式" in i.reason_zh for i in plan.warnings)


def test_external_links_are_reported(tmp_path: Path) -> None:
    whole = write_xlsx(tmp_path / "whole.xlsx", minimal_ledger())
    path = with_member(
        whole, tmp_path / "links.xlsx", "xl/externalLinks/externalLink1.xml", b"<externalLink/>"
    )
    plan = read_ledger_workbook(path)
    assert len(plan.tasks) == 2
    assert any("外部链接" in i.reason_zh for i in plan.warnings)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kind", "rows"),
    # Formatted cells and empty rows with a height, as Excel saves a sheet formatted to its end; and
    # cells holding empty text (rarer, and each one a cell the reader must lay out).
    [("formatted", 1_000_000), ("height", 1_000_000), ("empty-text", 100_000)],
)
def test_a_million_rows_below_the_ledger(tmp_path: Path, kind: str, rows: int) -> None:
    path = million_rows(tmp_path / "百万行.xlsx", kind, rows)
    started = time.perf_counter()
    plan = read_ledger_workbook(path)
    assert time.perf_counter() - started < 20  # wall time on a busy CI machine; ~3 s CPU here
    assert [t.seq for t in plan.tasks] == ["1", "2"]
    assert not plan.refused


def test_content_after_a_long_empty_gap_is_reported_not_read(tmp_path: Path) -> None:
    sheet = minimal_ledger()[0]
    sheet.row(5000, [3, "很远处的任务", "县林业局", "2024年底前"])
    plan = read_ledger_workbook(write_xlsx_raw(tmp_path / "远行.xlsx", [sheet]))
    assert [t.seq for t in plan.tasks] == ["1", "2"]
    assert any("第5001行" in i.reason_zh and "没有读取" in i.reason_zh for i in plan.warnings)


def test_an_xlsm_with_macros_is_read_and_its_macros_never_run(tmp_path: Path) -> None:
    whole = write_xlsx(tmp_path / "whole.xlsx", minimal_ledger())
    path = with_member(whole, tmp_path / "宏.xlsm", "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not run")
    plan = read_ledger_workbook(path)
    assert [t.seq for t in plan.tasks] == ["1", "2"] and plan.format == "xlsx"
    assert any("宏" in i.reason_zh and "不会运行" in i.reason_zh for i in plan.warnings)


def test_the_extension_does_not_decide_the_format(tmp_path: Path) -> None:
    # Offices rename files freely: an .xls that is really an .xlsx, and the other way round.
    xlsx_as_xls = tmp_path / "其实是xlsx.xls"
    xlsx_as_xls.write_bytes(write_xlsx(tmp_path / "a.xlsx", minimal_ledger()).read_bytes())
    xls_as_xlsx = tmp_path / "其实是xls.xlsx"
    xls_as_xlsx.write_bytes(write_xls(tmp_path / "b.xls", minimal_ledger()).read_bytes())
    assert read_ledger_workbook(xlsx_as_xls).format == "xlsx"
    assert read_ledger_workbook(xls_as_xlsx).format == "xls"
    assert len(read_ledger_workbook(xls_as_xlsx).tasks) == 2
