"""A task's status and deadline as a clerk reads them from the cells (excel_in.task_state), with the
answers written out by hand: 完成状态 words, 是否销号 / 是否完成整改 columns, a task over several
measure rows, deadlines one a row, and the warnings the clerk is shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from ledger_app.domain.model import TaskStatus
from ledger_app.io.excel_in import task_state
from ledger_app.io.excel_in.workbook import ImportPlan, ParsedTask, read_ledger_workbook
from tests.xlsx_factory import SheetSpec, write_xlsx

S = TaskStatus
Reader = Callable[..., ImportPlan]
LAG = "原状态「{}」:是否滞后由整改时限自动计算,导入为「整改中」。"


@pytest.fixture
def read(tmp_path: Path) -> Reader:
    """Writes the rows under ``header`` (row 1) as a workbook and imports it. ``merges`` as in
    SheetSpec.merge (0-based, inclusive): a task over several rows has 序号 and 问题描述 merged."""
    made = iter(range(1000))

    def reader(header: list[str], *rows: list[object], merges: tuple = ()) -> ImportPlan:
        sheet = SheetSpec("台账")
        sheet.row(0, header)
        for number, row in enumerate(rows, start=1):
            sheet.row(number, row)
        for merge in merges:
            sheet.merge(*merge)
        return read_ledger_workbook(write_xlsx(tmp_path / f"台账{next(made)}.xlsx", [sheet]))

    return reader


def only_task(plan: ImportPlan) -> ParsedTask:
    assert len(plan.tasks) == 1, plan.issues
    return plan.tasks[0]


def row_issues(plan: ImportPlan) -> list[tuple[int | None, str | None, str]]:
    """(row, column letter, reason) of the issues about rows, as the clerk sees them."""
    return [(i.row, i.column, i.reason_zh) for i in plan.issues if i.row is not None]


def status_of(task: ParsedTask) -> tuple[TaskStatus, str, str]:
    return task.status, task.status_raw, task.status_note


# -- one status cell ----------------------------------------------------------------------------------
STATUS = ["序号", "问题描述", "责任单位", "完成状态", "整改进展"]


@pytest.mark.parametrize(
    ("word", "progress", "expected"),
    [
        ("已完成", "", (S.COMPLETED, "已完成", "")),
        ("已销号", "", (S.CLOSED, "已销号", "")),
        ("序时推进", "", (S.IN_PROGRESS, "序时推进", "")),
        ("已验收", "", (S.ACCEPTED, "已验收", "")),
        # Lagging is computed from the deadline: the word is kept, with a note saying so.
        ("滞后", "", (S.IN_PROGRESS, "滞后", LAG.format("滞后"))),
        # Nothing written: 整改中 when the unit already reports progress, else 未启动.
        ("", "3月5日已开展排查", (S.IN_PROGRESS, "", "未填写状态,已有整改进展,按「整改中」导入。")),
        ("", "", (S.NOT_STARTED, "", "")),
        # A cell holding only a full-width space (an IME's) is as good as empty.
        ("\u3000", "", (S.NOT_STARTED, "", "")),
    ],
)
def test_one_status_word(read: Reader, word: str, progress: str, expected: tuple) -> None:
    plan = read(STATUS, [1, "污水直排", "县住建局", word, progress])
    assert status_of(only_task(plan)) == expected
    assert row_issues(plan) == []


def test_a_status_word_not_understood_is_read_as_in_progress_with_a_warning(read: Reader) -> None:
    plan = read(STATUS, [1, "污水直排", "县住建局", "看领导意见", ""])
    assert status_of(only_task(plan)) == (S.IN_PROGRESS, "看领导意见", "")
    assert row_issues(plan) == [(2, "D", "完成状态「看领导意见」未能识别,按「整改中」导入。")]


def test_the_warning_quotes_the_first_thirty_characters(read: Reader) -> None:
    word = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"  # 36 characters, no status word in them
    plan = read(STATUS, [1, "污水直排", "县住建局", word, ""])
    assert status_of(only_task(plan)) == (S.IN_PROGRESS, word, "")
    assert row_issues(plan) == [
        (2, "D", "完成状态「ABCDEFGHIJKLMNOPQRSTUVWXYZ0123」未能识别,按「整改中」导入。")
    ]


# -- 是否销号 ---------------------------------------------------------------------------------------
CLOSED = ["序号", "问题描述", "责任单位", "完成状态", "是否销号"]


@pytest.mark.parametrize(
    ("word", "flag", "expected"),
    [
        ("", "是", (S.CLOSED, "是否销号:是", "")),
        ("已销号", "是", (S.CLOSED, "已销号;是否销号:是", "")),
        ("已完成", "否", (S.COMPLETED, "已完成;是否销号:否", "")),
        ("", "否", (S.NOT_STARTED, "是否销号:否", "")),
        ("已完成", "", (S.COMPLETED, "已完成", "")),
    ],
)
def test_closed_flag_agreeing_with_the_words(read: Reader, word: str, flag: str, expected: tuple) -> None:
    plan = read(CLOSED, [1, "污水直排", "县住建局", word, flag])
    assert status_of(only_task(plan)) == expected
    assert row_issues(plan) == []


def test_closed_flag_wins_over_the_words_and_the_clerk_is_told(read: Reader) -> None:
    plan = read(CLOSED, [1, "污水直排", "县住建局", "整改中", "是"])
    assert status_of(only_task(plan)) == (S.CLOSED, "整改中;是否销号:是", "")
    assert row_issues(plan) == [(2, "E", "是否销号为「是」,完成状态为「整改中」:按「已销号」导入。")]


def test_closed_words_against_a_no_flag_keep_the_words_and_the_clerk_is_told(read: Reader) -> None:
    plan = read(CLOSED, [1, "污水直排", "县住建局", "已销号", "否"])
    assert status_of(only_task(plan)) == (S.CLOSED, "已销号;是否销号:否", "")
    assert row_issues(plan) == [(2, "E", "是否销号为「否」,完成状态为「已销号」:按完成状态导入,请核对。")]


def test_closed_words_on_one_of_several_rows_against_a_no_flag_names_every_word(read: Reader) -> None:
    plan = read(
        CLOSED,
        [1, "污水直排", "县住建局", "已销号", "否"],
        ["", "", "", "整改中", ""],
        merges=[(1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 2, 2), (1, 4, 2, 4)],
    )
    assert status_of(only_task(plan))[0] is S.IN_PROGRESS  # the slowest measure, as without the flag
    assert row_issues(plan) == [
        (2, "E", "是否销号为「否」,完成状态为「已销号、整改中」:按完成状态导入,请核对。")
    ]


def test_closed_flag_against_several_measure_rows_names_every_word(read: Reader) -> None:
    plan = read(
        CLOSED,
        [1, "污水直排", "县住建局", "已完成", "是"],
        ["", "", "", "整改中", ""],
        merges=[(1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 2, 2), (1, 4, 2, 4)],
    )
    assert status_of(only_task(plan)) == (S.CLOSED, "已完成、整改中;是否销号:是", "")
    assert row_issues(plan) == [(2, "E", "是否销号为「是」,完成状态为「已完成、整改中」:按「已销号」导入。")]


def test_closed_flag_not_understood_is_ignored_with_a_warning(read: Reader) -> None:
    plan = read(CLOSED, [1, "污水直排", "县住建局", "已完成", "也许"])
    assert status_of(only_task(plan)) == (S.COMPLETED, "已完成;是否销号:也许", "")
    assert row_issues(plan) == [(2, "E", "是否销号「也许」未能识别,已忽略。")]


# -- 是否完成整改 -----------------------------------------------------------------------------------
DONE = ["序号", "问题描述", "责任单位", "完成状态", "是否完成整改"]


@pytest.mark.parametrize(
    ("word", "flag", "expected"),
    [
        # "是" lifts a task that is not that far yet…
        ("整改中", "是", (S.COMPLETED, "整改中;是否完成整改:是", "")),
        ("", "是", (S.COMPLETED, "是否完成整改:是", "")),
        # …and never takes one back that is further on.
        ("已验收", "是", (S.ACCEPTED, "已验收;是否完成整改:是", "")),
        ("整改中", "否", (S.IN_PROGRESS, "整改中;是否完成整改:否", "")),
        ("", "否", (S.NOT_STARTED, "是否完成整改:否", "")),
        # Status words of its own count as the status column's; the slowest one wins.
        ("", "已完成", (S.COMPLETED, "是否完成整改:已完成", "")),
        ("已完成", "正在整改", (S.IN_PROGRESS, "已完成;是否完成整改:正在整改", "")),
        # "未完成" there answers "is it done?": no, so no note about lagging.
        ("", "未完成", (S.IN_PROGRESS, "是否完成整改:未完成", "")),
    ],
)
def test_done_flag(read: Reader, word: str, flag: str, expected: tuple) -> None:
    plan = read(DONE, [1, "污水直排", "县住建局", word, flag])
    assert status_of(only_task(plan)) == expected
    assert row_issues(plan) == []


def test_done_flag_not_understood_is_ignored_with_a_warning(read: Reader) -> None:
    plan = read(DONE, [1, "污水直排", "县住建局", "", "不知道"])
    assert status_of(only_task(plan)) == (S.NOT_STARTED, "是否完成整改:不知道", "")
    assert row_issues(plan) == [(2, "E", "是否完成整改「不知道」未能识别,已忽略。")]


# -- a task over several measure rows ----------------------------------------------------------------
ROWS = ["序号", "问题描述", "责任单位", "整改措施", "完成状态", "整改时限"]
TWO_ROWS = ((1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 2, 2))


def two_rows(read: Reader, first: tuple[object, object], second: tuple[object, object]) -> ImportPlan:
    """A task of two measure rows, each with its own (完成状态, 整改时限)."""
    return read(
        ROWS,
        [1, "河道垃圾", "县水利局", "1.清理河道", *first],
        ["", "", "", "2.建立巡河制度", *second],
        merges=TWO_ROWS,
    )


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        # The task is as far as its slowest measure.
        ("已完成", "整改中", (S.IN_PROGRESS, "已完成、整改中", "")),
        ("已验收", "已完成", (S.COMPLETED, "已验收、已完成", "")),
        ("已完成", "已完成", (S.COMPLETED, "已完成", "")),
        # A word not understood on one row does not count when another row is understood.
        ("看情况", "已完成", (S.COMPLETED, "看情况、已完成", "")),
        ("滞后", "逾期", (S.IN_PROGRESS, "滞后、逾期", LAG.format("滞后") + " " + LAG.format("逾期"))),
        ("滞后", "滞后", (S.IN_PROGRESS, "滞后", LAG.format("滞后"))),
    ],
)
def test_status_over_measure_rows(read: Reader, first: str, second: str, expected: tuple) -> None:
    plan = two_rows(read, (first, "2024年6月底前"), (second, "2024年6月底前"))
    assert status_of(only_task(plan)) == expected
    assert row_issues(plan) == []


def test_no_status_word_understood_on_any_row(read: Reader) -> None:
    plan = two_rows(read, ("看情况", "2024年6月底前"), ("再议", "2024年6月底前"))
    assert status_of(only_task(plan)) == (S.IN_PROGRESS, "看情况、再议", "")
    assert row_issues(plan) == [(2, "E", "完成状态「看情况、再议」未能识别,按「整改中」导入。")]


@pytest.mark.parametrize(
    ("first", "second", "text", "day", "long_term"),
    [
        # Due when its last measure is, whichever row names it.
        ("2024年6月底前", "2024年9月底前", "2024年9月底前", date(2024, 9, 30), False),
        ("2024年9月底前", "2024年6月底前", "2024年9月底前", date(2024, 9, 30), False),
        (date(2024, 3, 1), date(2024, 5, 20), "2024-05-20", date(2024, 5, 20), False),
        # A dated measure beats a long-term one; a long-term one beats text not understood.
        ("立行立改、长期坚持", "2024年6月底前", "2024年6月底前", date(2024, 6, 30), False),
        ("另行通知", "立行立改、长期坚持", "立行立改、长期坚持", None, True),
        # Nothing understood: the first row's text, kept as written.
        ("另行通知", "看进度", "另行通知", None, False),
        # A cell of full-width spaces says nothing: the other row's deadline stands for the task.
        ("\u3000", "2024年8月", "2024年8月", date(2024, 8, 31), False),
        ("\u3000", "另行通知", "另行通知", None, False),
        ("\u3000", "\u3000\u3000", "", None, False),
        ("2024年8月", "", "2024年8月", date(2024, 8, 31), False),
    ],
)
def test_deadline_over_measure_rows(
    read: Reader, first: object, second: object, text: str, day: date | None, long_term: bool
) -> None:
    task = only_task(two_rows(read, ("整改中", first), ("整改中", second)))
    assert (task.deadline.text, task.deadline.date, task.deadline.long_term) == (text, day, long_term)


@pytest.mark.parametrize(
    ("written", "text", "day", "long_term"),
    [
        ("2024年6月底前", "2024年6月底前", date(2024, 6, 30), False),
        (date(2024, 6, 15), "2024-06-15", date(2024, 6, 15), False),
        ("立行立改、长期坚持", "立行立改、长期坚持", None, True),
        ("", "", None, False),
    ],
)
def test_deadline_of_one_cell(
    read: Reader, written: object, text: str, day: date | None, long_term: bool
) -> None:
    plan = read(["序号", "问题描述", "责任单位", "整改时限"], [1, "污水直排", "县住建局", written])
    task = only_task(plan)
    assert (task.deadline.text, task.deadline.date, task.deadline.long_term) == (text, day, long_term)
    assert row_issues(plan) == []


def test_a_deadline_over_200_characters_is_a_paragraph_kept_as_text(read: Reader) -> None:
    # Spaces inside a date do not stop it being read; 200 characters is the longest cell still read.
    read_200 = "2024" + " " * 191 + "年6月底前"
    kept_201 = "2024" + " " * 192 + "年6月底前"
    assert (len(read_200), len(kept_201)) == (200, 201)
    plan = read(
        ["序号", "问题描述", "责任单位", "整改时限"],
        [1, "污水直排", "县住建局", read_200],
        [2, "扬尘污染", "县住建局", kept_201],
    )
    first, second = plan.tasks
    assert (first.deadline.date, first.deadline.understood) == (date(2024, 6, 30), True)
    assert (second.deadline.text, second.deadline.date, second.deadline.understood) == (kept_201, None, False)
    assert row_issues(plan) == [(3, "D", f"整改时限「{kept_201[:40]}」未能识别为日期,按原文保存。")]


def test_each_deadline_and_status_word_is_read_once(read: Reader, monkeypatch: pytest.MonkeyPatch) -> None:
    # Offices write the same few words on thousands of rows: each is parsed once per sheet.
    parsed: list[object] = []
    statuses: list[str] = []
    real_parse, real_status = task_state.parse_deadline, task_state.read_status
    monkeypatch.setattr(task_state, "parse_deadline", lambda v: parsed.append(v) or real_parse(v))
    monkeypatch.setattr(task_state, "read_status", lambda r: statuses.append(r) or real_status(r))
    rows = [
        [n, f"问题{n}", "县住建局", "2024年6月底前" if n % 2 else "立行立改", "已完成"] for n in range(1, 7)
    ]
    plan = read(["序号", "问题描述", "责任单位", "整改时限", "完成状态"], *rows)
    assert [t.deadline.date for t in plan.tasks[:2]] == [date(2024, 6, 30), None]
    assert {t.status for t in plan.tasks} == {S.COMPLETED}
    assert sorted(parsed) == ["2024年6月底前", "立行立改"]
    assert statuses == ["已完成"]
