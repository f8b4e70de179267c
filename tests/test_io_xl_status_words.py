"""Every status word the importer knows, with the status an office means by it (io/excel_in/status.py).

A known-answer table: one word lost from the importer's lists turns a clerk's whole column into
"not understood" rows, so each word is checked on its own.
"""

from __future__ import annotations

import pytest

from ledger_app.domain.model import TaskStatus
from ledger_app.io.excel_in.status import looks_like_status, read_closed_flag, read_status

S = TaskStatus
WORDS = {
    S.COMPLETED: "已完成 完成 已办结 办结 基本完成 已整改 整改完成 完成整改 已完成整改 已完成待验收 待验收 已整改到位 "
    "整改到位 已完结 完结 已落实 申请销号 已申请销号 待销号 拟销号",
    S.IN_PROGRESS: "序时推进 临期 推进中 正常推进 长效推进中 整改中 按序时推进 序时进度 达到序时进度 正在整改 正在推进 "
    "持续推进 持续推进中 长期坚持 长效推进 进行中 在办 办理中 部分完成 阶段性完成 已启动 持续整改 持续整改中 未销号 时限不明",
    S.NOT_STARTED: "未启动 未开始 尚未启动 未开展",
    S.ACCEPTED: "已验收 验收通过 已通过验收 通过验收",
    S.PUBLIC_NOTICE: "公示中 正在公示 已公示",
    S.CLOSED: "已销号 销号 已完成销号 完成销号 已办结销号",
}
LAGGING = [
    "滞后",
    "未完成",
    "进度滞后",
    "逾期",
    "已逾期",
    "滞后推进",
    "超期",
    "未按期完成",
    "逾期未完成",
    "未达序时进度",
    "未达到序时进度",
    "未按序时进度",
    "未按序时推进",
    "滞后于序时进度",
]


@pytest.mark.parametrize(("word", "status"), [(w, s) for s, words in WORDS.items() for w in words.split()])
def test_each_status_word(word: str, status: TaskStatus) -> None:
    reading = read_status(word)
    assert (reading.status, reading.note) == (status, "")
    assert looks_like_status(word)


@pytest.mark.parametrize("word", LAGGING)
def test_each_lagging_word_is_in_progress_with_a_note(word: str) -> None:
    reading = read_status(f" {word}。")
    assert reading.status is S.IN_PROGRESS
    assert reading.note == f"原状态「{word}。」:是否滞后由整改时限自动计算,导入为「整改中」。"


@pytest.mark.parametrize(
    ("text", "status", "noted"),
    [
        ("已完成整改并销号", S.CLOSED, False),
        ("基本完成,待验收", S.COMPLETED, False),
        ("已验收,待销号", S.ACCEPTED, False),
        ("已完成,未公示", S.COMPLETED, False),
        ("已完成80%", S.IN_PROGRESS, False),
        ("已完成80％", S.IN_PROGRESS, False),
        ("已完成100%", S.COMPLETED, False),
        ("完成99.5%", S.IN_PROGRESS, False),
        ("部分整改滞后", S.IN_PROGRESS, True),
        ("滞后(未启动)", S.NOT_STARTED, True),
    ],
)
def test_longer_texts(text: str, status: TaskStatus, noted: bool) -> None:
    reading = read_status(text)
    assert reading.status is status
    assert bool(reading.note) is noted


def test_a_paragraph_is_no_status_even_with_a_status_word() -> None:
    assert read_status("已完成" + "整" * 57).status is S.COMPLETED  # 60 characters: still a status
    assert read_status("已完成" + "整" * 58).status is None  # 61: a paragraph of progress
    assert read_status("").status is None and read_status(" 。").status is None
    assert read_status("天气晴").status is None


@pytest.mark.parametrize("word", ["是", "已销号", "销号", "√", "✓", "✔", "y", "YES", "True", "1", "已"])
def test_closed_flag_yes(word: str) -> None:
    assert read_closed_flag(word) is True


@pytest.mark.parametrize(
    "word",
    ["否", "未销号", "未", "×", "✗", "N", "no", "FALSE", "0", "待销号", "申请销号", "已申请销号", "拟销号"],
)
def test_closed_flag_no(word: str) -> None:
    assert read_closed_flag(word) is False


def test_closed_flag_unreadable() -> None:
    assert read_closed_flag("") is None and read_closed_flag("也许") is None


def test_what_looks_like_a_status_cell() -> None:
    assert looks_like_status("已完成整改待验收验收通过")  # 12 characters
    assert not looks_like_status("已完成整改待验收验收通过了")  # 13: progress text, not a status
    assert not looks_like_status("")
    assert not looks_like_status("6月3日:完成招标")
    assert not looks_like_status("截至目前已完成")
    assert not looks_like_status("天气晴")


@pytest.mark.parametrize("text", ["未公示,已销号", "未验收,已公示"])
def test_a_cell_that_contradicts_itself_is_not_read(text: str) -> None:
    # A step said not to have happened rules out the later ones the same cell claims.
    assert read_status(text).status is None
