"""Status words as offices write them (完成状态 / 完成情况 / 是否销号), read into TaskStatus.

Lagging (滞后, 未完成) is no status of its own: the ledger computes it from the deadline, so such
tasks are read as 整改中 with a note saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ledger_app.domain.model import TaskStatus

S = TaskStatus

# Whole-text matches first: short cells are the norm and must never be misread by a substring.
_EXACT: dict[str, TaskStatus] = {
    **dict.fromkeys(
        [
            "已完成",
            "完成",
            "已办结",
            "办结",
            "基本完成",
            "已整改",
            "整改完成",
            "完成整改",
            "已完成整改",
            "已完成待验收",
            "待验收",
            "已整改到位",
            "整改到位",
            "已完结",
            "完结",
            "已落实",
            "申请销号",
            "已申请销号",
            "待销号",
            "拟销号",
        ],
        S.COMPLETED,
    ),
    **dict.fromkeys(
        [
            "序时推进",
            "临期",
            "推进中",
            "正常推进",
            "长效推进中",
            "整改中",
            "按序时推进",
            "序时进度",
            "达到序时进度",
            "正在整改",
            "正在推进",
            "持续推进",
            "持续推进中",
            "长期坚持",
            "长效推进",
            "进行中",
            "在办",
            "办理中",
            "部分完成",
            "阶段性完成",
            "已启动",
            "持续整改",
            "持续整改中",
            "未销号",
            "时限不明",  # the monthly report's word for an open task without a readable deadline
        ],
        S.IN_PROGRESS,
    ),
    **dict.fromkeys(["未启动", "未开始", "尚未启动", "未开展"], S.NOT_STARTED),
    **dict.fromkeys(["已验收", "验收通过", "已通过验收", "通过验收"], S.ACCEPTED),
    **dict.fromkeys(["公示中", "正在公示", "已公示"], S.PUBLIC_NOTICE),
    **dict.fromkeys(["已销号", "销号", "已完成销号", "完成销号", "已办结销号"], S.CLOSED),
}
_LAGGING = {
    "滞后", "未完成", "进度滞后", "逾期", "已逾期", "滞后推进", "超期", "未按期完成", "逾期未完成",
    "未达序时进度", "未达到序时进度", "未按序时进度", "未按序时推进", "滞后于序时进度",
}  # fmt: skip

# Longer texts ("已完成整改并销号", "基本完成,待验收"): the most advanced word wins, with the
# lagging words checked before 完成, which they contain. 未启动 comes before the lagging words: the
# monthly report writes a task not started as its schedule flag with it in brackets ("滞后(未启动)").
_CONTAINS: tuple[tuple[re.Pattern[str], TaskStatus], ...] = (
    (re.compile("销号"), S.CLOSED),
    (re.compile("公示"), S.PUBLIC_NOTICE),
    (re.compile("验收"), S.ACCEPTED),
    (re.compile("未启动|未开始"), S.NOT_STARTED),
    (re.compile("未完成|滞后|逾期|超期|未达|未按序时"), S.IN_PROGRESS),
    (re.compile("完成|办结|整改到位"), S.COMPLETED),
    (re.compile("推进|整改中|进行中|办理中|长期坚持|持续整改|序时进度"), S.IN_PROGRESS),
)
# Words saying a step has not happened yet ("已验收,待销号"): they rule out that step and later ones.
_NOT_YET: tuple[tuple[re.Pattern[str], frozenset[TaskStatus]], ...] = (
    (re.compile("[未待拟]销号|申请销号"), frozenset({S.CLOSED})),
    (re.compile("[未待]公示"), frozenset({S.CLOSED, S.PUBLIC_NOTICE})),
    (re.compile("[未待]验收"), frozenset({S.CLOSED, S.PUBLIC_NOTICE, S.ACCEPTED})),
)
_LAG_IN_TEXT = re.compile("未完成|滞后|逾期|超期|未达|未按")
# "已完成80%": a share of the work, so still in progress.
_PERCENT_RE = re.compile(r"(\d+(?:\.\d+)?)\s*[%\uff05]")

_TRUE = {"是", "已销号", "销号", "√", "✓", "✔", "y", "yes", "true", "1", "已"}
_FALSE = {
    "否",
    "未销号",
    "未",
    "×",
    "✗",
    "n",
    "no",
    "false",
    "0",
    "待销号",
    "申请销号",
    "已申请销号",
    "拟销号",
}

_STRIP_RE = re.compile(r"[\s\u3000。.,，;；、!！()（）【】\[\]“”\"']+")

LAG_NOTE = "原状态「{raw}」:是否滞后由整改时限自动计算,导入为「{status}」。"


@dataclass(frozen=True, slots=True)
class StatusReading:
    status: TaskStatus | None  # None: not understood
    note: str = ""


def read_status(raw: str) -> StatusReading:
    """What a status cell says. Empty or unreadable text gives ``status`` None."""
    key = _STRIP_RE.sub("", raw)
    if not key:
        return StatusReading(None)
    if key in _LAGGING:
        return StatusReading(S.IN_PROGRESS, LAG_NOTE.format(raw=raw.strip(), status=S.IN_PROGRESS.label))
    exact = _EXACT.get(key)
    if exact is not None:
        return StatusReading(exact)
    if len(key) > 60:  # a paragraph of progress, not a status word
        return StatusReading(None)
    ruled_out: set[TaskStatus] = set()
    for pattern, statuses in _NOT_YET:
        if pattern.search(key):
            ruled_out |= statuses
            key = pattern.sub("", key)
    if "%" in key or "\uff05" in key:
        # The share as typed: the key has lost its decimal point ("99.5%" would read as 995%).
        share = _PERCENT_RE.search(raw)
        if share is not None and float(share.group(1)) < 100:
            return StatusReading(S.IN_PROGRESS)
    for pattern, status in _CONTAINS:
        if status not in ruled_out and pattern.search(key):
            lagging = _LAG_IN_TEXT.search(key)
            note = LAG_NOTE.format(raw=raw.strip(), status=status.label) if lagging else ""
            return StatusReading(status, note)
    return StatusReading(None)


def read_closed_flag(raw: str) -> bool | None:
    """是否销号: True for 是/已销号/√, False for 否, None when empty or unreadable."""
    key = _STRIP_RE.sub("", raw).lower()
    if not key:
        return None
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None


_PROGRESS_OPENINGS = ("截至", "截止", "目前")  # "截至目前,已完成80%" reports progress
_DATED_RE = re.compile(r"\s*[(（]?(?:截至)?\s*(?:\d{4}年)?\d{1,2}月\d{1,2}日")


def looks_like_status(raw: str) -> bool:
    """A short cell that reads as a status word: used to tell a 完成情况 status column from progress.
    A dated entry ("6月3日:完成招标") is progress, however short."""
    key = _STRIP_RE.sub("", raw)
    return (
        0 < len(key) <= 12
        and not _DATED_RE.match(raw)
        and not key.startswith(_PROGRESS_OPENINGS)
        and read_status(raw).status is not None
    )
