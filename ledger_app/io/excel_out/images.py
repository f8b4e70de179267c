"""Pictures in a worksheet: the overview's charts (PNG) under the figures of the 统计 sheet."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl.drawing.image import Image
from openpyxl.worksheet.worksheet import Worksheet

DEFAULT_ROW_PX = 20  # a 15 pt row as Excel draws it at 96 dpi
CHART_WIDTH_PX = 900  # about the width of the sheet's twelve columns


def add_images_below(ws: Worksheet, first_row: int, images: Sequence[Path]) -> int:
    """Anchor each PNG at column A from ``first_row`` down, one under the other, scaled to the sheet's
    width; returns the first row below the last picture."""
    row = first_row
    for path in images:
        picture = Image(str(path))
        scale = CHART_WIDTH_PX / picture.width if picture.width > CHART_WIDTH_PX else 1.0
        picture.width = int(picture.width * scale)
        picture.height = int(picture.height * scale)
        ws.add_image(picture, f"A{row}")
        row += -(-picture.height // DEFAULT_ROW_PX) + 1
    return row
