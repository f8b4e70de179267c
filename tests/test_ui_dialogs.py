"""The main window's dialogs: rounds, unit directory, settings, trash, new task, and the error dialog."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QInputDialog

from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.services import Ledger, TaskFilter
from ledger_app.ui import settings_store
from ledger_app.ui.dialogs.new_task_dialog import NewTaskDialog
from ledger_app.ui.dialogs.rounds_dialog import RoundsDialog
from ledger_app.ui.dialogs.settings_dialog import SettingsDialog
from ledger_app.ui.dialogs.trash_dialog import TrashDialog
from ledger_app.ui.dialogs.units_dialog import UnitsDialog
from ledger_app.ui.errors import ErrorDialog
from tests.ui_support import Boxes

pytestmark = pytest.mark.usefixtures("ui_settings")


def answer_text(monkeypatch: pytest.MonkeyPatch, text: str) -> list[str]:
    """QInputDialog.getText answers ``text``; returns the prompts it was asked."""
    prompts: list[str] = []

    def get_text(_parent: object, _title: str, label: str, *args: Any, **kwargs: Any) -> tuple[str, bool]:
        prompts.append(label)
        return text, True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    return prompts


# -- rounds ---------------------------------------------------------------------------------------
def test_rounds_dialog_creates_and_renames(qtbot: Any, ledger: Ledger, boxes: Boxes) -> None:
    dialog = RoundsDialog(ledger)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0 and dialog.save_button.text() == "保存新批次"
    qtbot.keyClicks(dialog.start_edit, "2025-09-01")
    qtbot.keyClicks(dialog.end_edit, "2025/10/1")
    dialog.name_edit.setText("第三轮中央生态环境保护督察")
    dialog.level_combo.setCurrentIndex(dialog.level_combo.findData(RoundLevel.CENTRAL))
    dialog.plan_no_edit.setText("区委〔2026〕12号")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [info] = ledger.directory.list_rounds()
    assert (info.name, info.level, info.on_site_start, info.on_site_end) == (
        "第三轮中央生态环境保护督察",
        RoundLevel.CENTRAL,
        date(2025, 9, 1),
        date(2025, 10, 1),
    )
    assert dialog.table.rowCount() == 1 and dialog.changed
    # The saved round is selected: editing it now renames it.
    dialog.name_edit.setText("第三轮中央生态环境保护督察(含回头看)")
    dialog.save_button.click()
    assert [r.name for r in ledger.directory.list_rounds()] == ["第三轮中央生态环境保护督察(含回头看)"]
    assert dialog.table.item(0, 0).text() == "第三轮中央生态环境保护督察(含回头看)"
    assert boxes.shown == []


def test_rounds_dialog_refuses_bad_input_with_a_message(qtbot: Any, ledger: Ledger, boxes: Boxes) -> None:
    ledger.directory.create_round(name="第二轮省生态环境保护督察", level=RoundLevel.PROVINCIAL)
    dialog = RoundsDialog(ledger)
    qtbot.addWidget(dialog)
    dialog.start_new()
    dialog.name_edit.setText("第三轮省生态环境保护督察")
    dialog.feedback_edit.setText("2025年13月5日")
    dialog.save_button.click()
    assert "反馈日期" in boxes.texts("warning")[-1]
    dialog.feedback_edit.setText("")
    dialog.name_edit.setText("第二轮省生态环境保护督察")  # already there
    dialog.save_button.click()
    assert "已存在" in boxes.texts("warning")[-1]
    dialog.name_edit.setText("第三轮省生态环境保护督察")
    dialog.start_edit.setText("2025-10-01")
    dialog.end_edit.setText("2025-09-01")
    dialog.save_button.click()
    assert "早于" in boxes.texts("warning")[-1]
    assert len(ledger.directory.list_rounds()) == 1


def test_a_round_with_tasks_cannot_be_deleted(qtbot: Any, demo_ledger: Ledger, boxes: Boxes) -> None:
    dialog = RoundsDialog(demo_ledger)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    dialog.delete_button.click()
    assert "不能删除" in boxes.texts("warning")[-1]
    assert len(demo_ledger.directory.list_rounds()) == dialog.table.rowCount()


# -- units ----------------------------------------------------------------------------------------
def select_unit(dialog: UnitsDialog, *names: str) -> None:
    dialog.table.clearSelection()
    for row in range(dialog.table.rowCount()):
        if dialog.table.item(row, 0).text() in names:
            dialog.table.selectionModel().select(
                dialog.table.model().index(row, 0),
                dialog.table.selectionModel().SelectionFlag.Select
                | dialog.table.selectionModel().SelectionFlag.Rows,
            )


def test_renaming_a_unit_renames_it_in_every_task(
    qtbot: Any, demo_ledger: Ledger, boxes: Boxes, monkeypatch: pytest.MonkeyPatch
) -> None:
    unit = max(demo_ledger.directory.list_units(), key=lambda u: u.task_count)
    tasks = {r.id for r in demo_ledger.queries.list_tasks(TaskFilter(unit=unit.name))}
    dialog = UnitsDialog(demo_ledger)
    qtbot.addWidget(dialog)
    select_unit(dialog, unit.name)
    prompts = answer_text(monkeypatch, "区生态环境分局")
    dialog.rename_button.click()
    assert f"{unit.task_count} 项任务" in prompts[0]
    assert {r.id for r in demo_ledger.queries.list_tasks(TaskFilter(unit="区生态环境分局"))} == tasks
    assert demo_ledger.queries.list_tasks(TaskFilter(unit=unit.name)) == []
    assert dialog.changed and boxes.shown == []


def test_merging_duplicate_units(
    qtbot: Any, ledger: Ledger, boxes: Boxes, monkeypatch: pytest.MonkeyPatch
) -> None:
    round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
    a = ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, description="一", lead_units=["区环保局"]
    )
    b = ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, description="二", lead_units=["区生态环境局"]
    )
    dialog = UnitsDialog(ledger)
    qtbot.addWidget(dialog)
    select_unit(dialog, "区环保局")
    monkeypatch.setattr(
        QInputDialog, "getItem", staticmethod(lambda _p, _t, _l, items, *_a, **_k: (items[0], True))
    )
    dialog.merge_button.click()
    assert boxes.texts("question") and "区生态环境局" in boxes.texts("question")[0]
    assert [u.name for u in ledger.directory.list_units()] == ["区生态环境局"]
    assert {r.id for r in ledger.queries.list_tasks(TaskFilter(unit="区生态环境局"))} == {a, b}
    assert dialog.table.rowCount() == 1


def test_deleting_units(
    qtbot: Any, demo_ledger: Ledger, boxes: Boxes, monkeypatch: pytest.MonkeyPatch
) -> None:
    used = max(demo_ledger.directory.list_units(), key=lambda u: u.task_count)
    dialog = UnitsDialog(demo_ledger)
    qtbot.addWidget(dialog)
    select_unit(dialog, used.name)
    dialog.delete_button.click()
    assert "不能删除" in boxes.texts("warning")[-1]
    answer_text(monkeypatch, "区临时工作专班")
    dialog.add_button.click()
    assert "区临时工作专班" in [u.name for u in demo_ledger.directory.list_units()]
    select_unit(dialog, "区临时工作专班")
    dialog.delete_button.click()
    assert "区临时工作专班" not in [u.name for u in demo_ledger.directory.list_units()]
    assert used.name in [u.name for u in demo_ledger.directory.list_units()]


def test_units_filter_hides_other_names(qtbot: Any, demo_ledger: Ledger) -> None:
    dialog = UnitsDialog(demo_ledger)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.filter_edit, "x")  # no unit name has a Latin x
    assert all(dialog.table.isRowHidden(r) for r in range(dialog.table.rowCount()))
    dialog.filter_edit.clear()
    assert not any(dialog.table.isRowHidden(r) for r in range(dialog.table.rowCount()))


# -- settings -------------------------------------------------------------------------------------
def test_settings_dialog_saves_ledger_and_pc_settings(qtbot: Any, ledger: Ledger, boxes: Boxes) -> None:
    dialog = SettingsDialog(ledger)
    qtbot.addWidget(dialog)
    assert dialog.warning_days.value() == ledger.settings.current().warning_days == 15
    dialog.edits["organisation"].setText("青山区")
    dialog.edits["place"].setText("我区")
    dialog.warning_days.setValue(20)
    dialog.operator_edit.setText("王小明")
    dialog.accept()
    stored = ledger.settings.current()
    assert (stored.organisation, stored.warning_days) == ("青山区", 20)
    assert settings_store.operator_name() == "王小明" == ledger.actor
    # The operator is recorded in the audit log of the next change.
    round_id = ledger.directory.create_round(name="测试批次", level=RoundLevel.DISTRICT)
    task_id = ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SELF_CHECK, description="d", lead_units=["甲"]
    )
    assert {e.actor for e in ledger.history.for_task(task_id)} == {"王小明"}


def test_settings_dialog_refuses_an_empty_organisation(qtbot: Any, ledger: Ledger, boxes: Boxes) -> None:
    before = ledger.settings.current()
    dialog = SettingsDialog(ledger)
    qtbot.addWidget(dialog)
    dialog.edits["organisation"].setText("  ")
    dialog.warning_days.setValue(3)
    dialog.accept()
    assert "填报单位不能为空" in boxes.texts("warning")[-1]
    assert ledger.settings.current() == before


def test_operator_defaults_to_the_os_user(qtbot: Any, ledger: Ledger) -> None:
    from ledger_app.services import default_actor

    dialog = SettingsDialog(ledger)
    qtbot.addWidget(dialog)
    assert dialog.operator_edit.text() == ""
    assert default_actor() in dialog.operator_edit.placeholderText()
    assert settings_store.operator_name() == default_actor()


# -- trash ----------------------------------------------------------------------------------------
def test_trash_lists_deleted_tasks_and_restores(qtbot: Any, demo_ledger: Ledger) -> None:
    ids = [r.id for r in demo_ledger.queries.list_tasks()[:3]]
    demo_ledger.tasks.delete_tasks(ids)
    dialog = TrashDialog(demo_ledger)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 3
    assert "3 项" in dialog.count_label.text()
    dialog.select_task(ids[1])
    dialog.restore_button.click()
    assert dialog.restored == [ids[1]]
    assert dialog.table.rowCount() == 2
    assert {r.id for r in demo_ledger.queries.list_tasks(deleted=True)} == {ids[0], ids[2]}
    # The restore is itself a change that Ctrl+Z takes back.
    assert "恢复" in demo_ledger.history.undo_last()


def test_batch_delete_is_one_undo(demo_ledger: Ledger) -> None:
    ids = [r.id for r in demo_ledger.queries.list_tasks()[:4]]
    demo_ledger.tasks.delete_tasks(ids)
    assert len(demo_ledger.queries.list_tasks(deleted=True)) == 4
    demo_ledger.history.undo_last()
    assert demo_ledger.queries.list_tasks(deleted=True) == []


# -- new task -------------------------------------------------------------------------------------
def test_new_task_dialog_needs_description_and_unit(qtbot: Any, demo_ledger: Ledger, boxes: Boxes) -> None:
    round_id = demo_ledger.directory.list_rounds()[0].id
    dialog = NewTaskDialog(demo_ledger, round_id=round_id)
    qtbot.addWidget(dialog)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(ProblemKind.PETITION))
    expected_seq = demo_ledger.tasks.next_seq(round_id, ProblemKind.PETITION)
    assert expected_seq in dialog.seq_edit.placeholderText()
    dialog.accept()
    assert "问题描述和牵头单位" in boxes.texts("warning")[-1]
    assert dialog.task_id is None
    dialog.description_edit.setPlainText("群众反映某企业夜间偷排废水")
    dialog.lead_units_edit.setText("区生态环境局、马坪镇")
    dialog.deadline_edit.setText("立行立改、长期坚持")
    dialog.accept()
    assert dialog.task_id is not None
    [row] = demo_ledger.queries.task_rows([dialog.task_id])
    assert (row.seq, row.kind, row.main_units, row.deadline.long_term) == (
        expected_seq,
        ProblemKind.PETITION,
        ["区生态环境局", "马坪镇"],
        True,
    )


def test_new_task_dialog_shows_a_duplicate_seq_refusal(qtbot: Any, demo_ledger: Ledger, boxes: Boxes) -> None:
    taken = demo_ledger.queries.list_tasks()[0]
    dialog = NewTaskDialog(demo_ledger, round_id=taken.round_id)
    qtbot.addWidget(dialog)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(taken.kind))
    dialog.seq_edit.setText(taken.seq)
    dialog.description_edit.setPlainText("重复序号")
    dialog.lead_units_edit.setText("区水利局")
    dialog.accept()
    assert f"序号 {taken.seq}" in boxes.texts("warning")[-1]
    assert dialog.task_id is None


# -- the error dialog -----------------------------------------------------------------------------
def test_error_dialog_copies_its_details_and_stays_open(qtbot: Any) -> None:
    dialog = ErrorDialog(None, "Traceback (most recent call last):\n  boom")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text().endswith("boom")
    assert dialog.isVisible()
    assert dialog.copy_button.text() == "已复制"
