"""Saving a workbook (excel_out.save) with known outcomes: a complete file on success, and on a full
disk one clean error, the file handle given back at once (Windows cannot delete or rename a file that is
still open), no second traceback from the garbage collector, and through the monthly export: the old
report intact and no temporary file left beside it."""

from __future__ import annotations

import datetime
import errno
import gc
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl import Workbook

from ledger_app.domain.errors import LedgerError
from ledger_app.io.excel_out import save as save_module
from ledger_app.io.excel_out.export import write_monthly_report
from ledger_app.io.excel_out.save import save_workbook
from tests.report_factory import september_report, task


class Stick:
    """The file on a USB stick that fills up: writes fail with ENOSPC once ``budget`` bytes are used."""

    def __init__(self, raw: Any, budget: int | None) -> None:
        self.raw = raw
        self.budget = budget
        self.written = 0

    def write(self, data: bytes) -> int:
        if self.budget is not None and self.written + len(data) > self.budget:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.written += len(data)
        return self.raw.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


def stick_zip(budget: int | None, sticks: list[Stick], keep: list[zipfile.ZipFile] | None = None) -> type:
    """A ZipFile whose file is a Stick; ``keep`` holds the archives (as a caller's debugger would)."""

    class StickZip(zipfile.ZipFile):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.fp = Stick(self.fp, budget)
            sticks.append(self.fp)
            if keep is not None:
                keep.append(self)

    return StickZip


def a_workbook() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["序号", "问题描述", "责任单位"])
    for i in range(1, 41):
        ws.append([str(i), f"第{i}项问题:城区黑臭水体整治不到位,群众反映强烈" * 3, "县住建局"])
    return wb


def test_a_saved_workbook_is_complete_when_the_call_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sticks: list[Stick] = []
    kept: list[zipfile.ZipFile] = []  # the archive outlives the call: only save_workbook can finish it
    monkeypatch.setattr(save_module, "ZipFile", stick_zip(None, sticks, kept))
    out = tmp_path / "月报.xlsx"
    save_workbook(a_workbook(), out)
    assert sticks[0].raw.closed
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
    ws = openpyxl.load_workbook(out)["台账"]
    assert [ws.cell(1, c).value for c in (1, 2, 3)] == ["序号", "问题描述", "责任单位"]
    assert ws.cell(41, 1).value == "40"
    assert ws.cell(41, 3).value == "县住建局"


def test_a_write_only_workbook_keeps_exactly_its_own_sheets(tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(["序号", "问题描述"])
    ws.append(["1", "城区黑臭水体"])
    save_workbook(wb, tmp_path / "a.xlsx")
    back = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert back.sheetnames == ["台账"]
    assert [c.value for c in back["台账"][2]] == ["1", "城区黑臭水体"]
    # An empty write-only workbook still opens in Excel: it gets the one sheet a workbook must have.
    save_workbook(Workbook(write_only=True), tmp_path / "b.xlsx")
    assert openpyxl.load_workbook(tmp_path / "b.xlsx").sheetnames == ["Sheet"]


def test_the_modified_time_is_the_time_of_the_save(tmp_path: Path) -> None:
    wb = a_workbook()
    wb.properties.modified = datetime.datetime(2021, 4, 6, 9, 30)  # as read from last year's file
    before = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None, microsecond=0)
    save_workbook(wb, tmp_path / "今年.xlsx")
    after = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None) + datetime.timedelta(seconds=1)
    modified = openpyxl.load_workbook(tmp_path / "今年.xlsx").properties.modified
    assert before <= modified <= after


@pytest.fixture
def unraisable(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What the interpreter would print as "Exception ignored in …" (a second traceback)."""
    seen: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)
    return seen


def test_a_disk_full_while_writing_the_sheets_is_one_error_and_frees_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unraisable: list[Any]
) -> None:
    sticks: list[Stick] = []
    monkeypatch.setattr(save_module, "ZipFile", stick_zip(1500, sticks))
    out = tmp_path / "月报.xlsx"
    with pytest.raises(OSError) as caught:
        save_workbook(a_workbook(), out)
    assert caught.value.errno == errno.ENOSPC
    assert sticks[0].raw.closed  # given back at once: the caller can delete the half-written file
    assert 0 < sticks[0].written <= 1500
    del caught
    gc.collect()
    assert unraisable == []
    out.unlink()


def test_a_disk_full_while_finishing_the_archive_reports_the_disk_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unraisable: list[Any]
) -> None:
    # The sheets fit; the archive's closing directory does not: the error comes from archive.close().
    sticks: list[Stick] = []
    monkeypatch.setattr(save_module, "ZipFile", stick_zip(None, sticks))
    real_write_data = save_module.ExcelWriter.write_data

    def write_data(self: Any) -> None:
        real_write_data(self)
        sticks[0].budget = sticks[0].written  # the stick is full now

    monkeypatch.setattr(save_module.ExcelWriter, "write_data", write_data)
    with pytest.raises(OSError) as caught:
        save_workbook(a_workbook(), tmp_path / "月报.xlsx")
    assert type(caught.value) is OSError
    assert caught.value.errno == errno.ENOSPC
    assert sticks[0].raw.closed
    del caught
    gc.collect()
    assert unraisable == []


def test_a_full_stick_keeps_the_old_report_and_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unraisable: list[Any]
) -> None:
    out = tmp_path / "月报.xlsx"
    out.write_bytes(b"last month's report")
    sticks: list[Stick] = []
    monkeypatch.setattr(save_module, "ZipFile", stick_zip(2000, sticks))
    report = september_report([task(description="城区黑臭水体整治不到位")])
    with pytest.raises(LedgerError) as caught:
        write_monthly_report(report, out)
    assert "无法保存月报" in caught.value.message_zh
    assert sticks[0].raw.closed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["月报.xlsx"]
    assert out.read_bytes() == b"last month's report"
    del caught
    gc.collect()
    assert unraisable == []
