"""Saving a workbook so that a failure is reported once and leaves nothing behind.

openpyxl's ``Workbook.save`` opens a ZipFile and, when writing fails (a full disk, a USB stick pulled),
leaves it open; the garbage collector then calls ``ZipFile.__del__``, which tries to write the
central directory again and prints a second traceback ("Exception ignored in …") after the clean
message. Here the archive is abandoned explicitly on failure, and the caller removes the file.
"""

from __future__ import annotations

import contextlib
import datetime
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter


def save_workbook(wb: Workbook, path: Path) -> None:
    """``wb.save(path)``, with the archive closed (or abandoned) whatever happens."""
    if wb.write_only and not wb.worksheets:
        wb.create_sheet()
    archive = ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)
    try:
        wb.properties.modified = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
        ExcelWriter(wb, archive).write_data()
        archive.close()
    except BaseException:
        _abandon(archive)
        raise


def _abandon(archive: ZipFile) -> None:
    # Drop the file handle first, so neither close() nor __del__ tries to finish the archive on a
    # disk that just refused it; the half-written file is the caller's to delete.
    fp, archive.fp = archive.fp, None
    if fp is not None:
        with contextlib.suppress(OSError, ValueError):
            fp.close()
