"""A unit's monthly sheet (每月报): its open tasks, with columns it fills in and sends back.

Laid out like the monthly report (excel_out.styles, excel_out.sheet: A4 landscape, header on every page,
row heights from the text), plus what a form needs: the columns the unit may not change are locked
and shaded, the ones it fills in are unlocked, 完成情况 has a drop-down, and the sheet is protected
(without a password: protection stops slips, not people, and a clerk must be able to lift it).

Every task row carries its identity in a hidden last column ("任务标识": task id and a checksum), and
a hidden sheet holds the ledger's identity, the month and the unit, so a reply can be matched back
whatever the unit did to the visible part (unit_reply reads both).

This module holds the sheet's shape and content; unit_sheet_writer.py writes it with openpyxl
(imported only when sheets are written, not when the services load at start-up).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

SHEET_NAME = "月报表"
IDENTITY_SHEET = "填报标识"
IDENTITY_HEADER = "任务标识(请勿修改)"
STATUS_CHOICES = ("已完成", "序时推进", "滞后", "未启动", "长期坚持")
FIXED_FILL = "EDEDED"
ANSWER_MIN_HEIGHT = 48.0  # room to write in, even next to a one-line task

# (header, width, centred, fixed?)
COLUMNS: tuple[tuple[str, float, bool, bool], ...] = (
    ("序号", 6, True, True),
    ("问题", 30, False, True),
    ("整改措施", 32, False, True),
    ("整改时限", 11, True, True),
    ("整改目标", 18, False, True),
    ("本月进展", 32, False, False),
    ("完成情况", 10, True, False),
    ("存在困难", 16, False, False),
    ("下步计划", 16, False, False),
    ("佐证材料清单", 14, False, False),
    ("填报人", 8, True, False),
    ("联系电话", 12, True, False),
    (IDENTITY_HEADER, 14, False, True),
)
STATUS_COLUMN = 6  # 0-based index of 完成情况
IDENTITY_COLUMN = len(COLUMNS) - 1
INSTRUCTION = (
    "填报说明:请在白色单元格中填写本月进展、完成情况(下拉选择)、存在困难、下步计划、佐证材料清单、"
    "填报人和联系电话;灰色单元格由整改办填写,请勿修改。请勿删除或调整行的顺序,不要删除最右侧的隐藏列,"
    "不要复制到其他表格后再交回。填好后按原文件名保存(.xlsx 或 .xls 均可),交回整改办。"
)


@dataclass(slots=True)
class UnitSheetRow:
    identity: str  # "<task id>-<checksum>"
    seq: str
    description: str
    measures: str
    deadline: str
    goal: str


@dataclass(slots=True)
class UnitSheetGroup:
    heading: str  # "第二轮中央生态环境保护督察 反馈问题": the round and section, as 序号 is unique in them
    rows: list[UnitSheetRow] = field(default_factory=list)


@dataclass(slots=True)
class UnitSheet:
    unit: str
    year: int
    month: int
    ledger_id: str
    sent_at: datetime
    office: str
    groups: list[UnitSheetGroup] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.unit} {self.year}年{self.month}月 整改进展月报表"

    @property
    def task_count(self) -> int:
        return sum(len(g.rows) for g in self.groups)
