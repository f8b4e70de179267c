"""导入整改方案 dialog: open or paste a plan, see where each task came from, correct, merge, split,
drop, import; the ledger then holds exactly what the dialog showed. Workers run synchronously."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit

from ledger_app.io.dump import ledger_to_dict
from ledger_app.services import Ledger
from ledger_app.ui.plan_import import PlanImportDialog, PlanImportLauncher
from ledger_app.ui.plan_import.tasks_model import COL_DESC, COL_LEADER, COL_RESP
from tests.plan_factory import PlanMeasure, PlanTask, fields_plan
from tests.ui_support import Boxes

pytestmark = pytest.mark.usefixtures("ui_settings", "sync_workers")

TASKS = [
    PlanTask("河道垃圾堆放。", responsible=["县水利局"], deadline="2024年底前",
             measures=[PlanMeasure("开展清理。"), PlanMeasure("建立巡河制度。"), PlanMeasure("落实河长制。")]),
    PlanTask("扬尘污染。", lead=["县住建局"], cooperating=["县城管局"], deadline="立行立改、长期坚持"),
    PlanTask("工地扬尘反弹。", responsible=["县住建局"], deadline="2024年6月底前"),
    PlanTask("秸秆焚烧。", responsible=["县农业农村局"], deadline="2024年10月底前"),
]  # fmt: skip
ROUND = "第二轮省生态环境保护督察"


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "整改方案.txt"
    path.write_text(fields_plan(TASKS), encoding="utf-8")
    return path


@pytest.fixture
def dialog(qtbot: Any, ledger: Ledger, boxes: Boxes) -> PlanImportDialog:
    found = PlanImportDialog(ledger)
    qtbot.addWidget(found)
    found.show()
    qtbot.waitExposed(found)
    return found


def _descriptions(ledger: Ledger) -> list[tuple[str, str, list[str], list[str], int, str | None]]:
    data = ledger_to_dict(ledger.records.round_records(today=date(2024, 1, 15)), today=date(2024, 1, 15))
    return [
        (
            t["seq"],
            t["description"],
            t["responsible_units"],
            t["lead_units"],
            len(t["measures"]),
            t["leader"] or None,
        )
        for r in data["rounds"]
        for t in r["tasks"]
    ]


def test_open_a_file_and_see_where_a_task_came_from(
    dialog: PlanImportDialog, plan_file: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(plan_file), ""))
    qtbot.mouseClick(dialog.child(type(dialog.import_button), "openButton"), Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 4
    assert dialog.source.toPlainText().splitlines()[2] == "XX县第二轮省生态环境保护督察反馈问题整改措施清单"
    second = dialog.model.tasks[1]
    dialog.tasks_view.selectRow(1)
    assert dialog.marked_lines() == second.rows
    assert dialog.source.toPlainText().splitlines()[second.rows[0] - 1].endswith("扬尘污染。")
    assert dialog.measures.rowCount() == 0
    dialog.tasks_view.selectRow(0)
    assert dialog.measures.rowCount() == 3 and dialog.measures.item(1, 4).text() == "建立巡河制度。"
    assert "任务 4 项" in dialog.summary.text()
    assert dialog.round_combo.currentText() == ROUND  # from the plan's title


def test_correct_merge_split_drop_then_import(
    dialog: PlanImportDialog, plan_file: Path, ledger: Ledger, boxes: Boxes, qtbot: Any
) -> None:
    dialog.load_file(plan_file)
    view = dialog.tasks_view
    # Correct a field as a clerk does: double-click… here F2 on the cell, type, Enter.
    view.setCurrentIndex(dialog.model.index(0, COL_LEADER))
    view.edit(dialog.model.index(0, COL_LEADER))
    (editor,) = view.viewport().findChildren(QLineEdit)  # the cell's editor
    editor.insert("王副县长")  # typed through the IME; QTest cannot type Chinese key by key
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next event loop turn
    qtbot.waitUntil(lambda: dialog.model.tasks[0].leader == "王副县长", timeout=2000)
    dialog.model.setData(dialog.model.index(3, COL_RESP), "县农业农村局、各乡镇")

    # Merge 扬尘污染 (row 1) with 工地扬尘反弹 (row 2).
    view.clearSelection()
    view.selectRow(1)
    selection = view.selectionModel()
    selection.select(dialog.model.index(2, 0), selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    assert dialog.merge_button.isEnabled()
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 3
    merged = dialog.model.tasks[1]
    assert merged.description == "扬尘污染。\n工地扬尘反弹。"
    assert merged.lead_units == ["县住建局"] and merged.responsible_units == ["县住建局"]

    # Split the first task at its third measure.
    view.selectRow(0)
    dialog.measures.selectRow(2)
    assert dialog.split_button.isEnabled()
    qtbot.mouseClick(dialog.split_button, Qt.MouseButton.LeftButton)
    assert [len(t.measures) for t in dialog.model.tasks] == [2, 1, 0, 0]
    assert dialog.model.tasks[1].seq == "1-2" and dialog.model.tasks[1].description == "落实河长制。"

    # Drop 秸秆焚烧.
    view.selectRow(3)
    qtbot.mouseClick(dialog.drop_button, Qt.MouseButton.LeftButton)
    assert [t.description for t in dialog.model.tasks][-1].startswith("扬尘污染")

    dialog.round_combo.setEditText("2024年省级督察回头看")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert [title for kind, title, _ in boxes.shown if kind == "information"] == ["导入完成"]
    assert "已新增任务 3 项" in dialog.report and "备份" in dialog.report
    assert not dialog.import_button.isEnabled()
    assert [r.name for r in ledger.directory.list_rounds()] == ["2024年省级督察回头看"]
    assert _descriptions(ledger) == [
        ("1", "河道垃圾堆放。", ["县水利局"], [], 2, "王副县长"),
        ("1-2", "落实河长制。", ["县水利局"], [], 1, "王副县长"),  # a split keeps the leader
        ("2", "扬尘污染。\n工地扬尘反弹。", ["县住建局"], ["县住建局"], 0, None),
    ]


def test_paste_text_and_read_it(dialog: PlanImportDialog, qtbot: Any) -> None:
    qtbot.mouseClick(dialog.child(type(dialog.import_button), "pasteButton"), Qt.MouseButton.LeftButton)
    assert not dialog.source.isReadOnly() and dialog.read_button.isVisible()
    dialog.source.setPlainText("（一）治理扬尘\n1. 加强工地管控。（县住建局牵头，县城管局配合）\n")
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    assert dialog.source.isReadOnly()
    assert dialog.model.rowCount() == 1
    task = dialog.model.tasks[0]
    assert task.lead_units == ["县住建局"] and task.cooperating_units == ["县城管局"]
    assert dialog.model.data(dialog.model.index(0, COL_DESC)) == "治理扬尘"


def test_refused_file_shows_the_reason_and_keeps_the_dialog(
    dialog: PlanImportDialog, tmp_path: Path, boxes: Boxes
) -> None:
    path = tmp_path / "坏.docx"
    path.write_bytes(b"PK\x03\x04broken")
    dialog.load_file(path)
    assert dialog.reading is None and not dialog.import_button.isEnabled()
    assert any("损坏" in text for text in boxes.texts())


def test_issues_list_marks_their_lines(dialog: PlanImportDialog, tmp_path: Path) -> None:
    path = tmp_path / "方案.txt"
    path.write_text("一、问题甲。\n责任单位:县水利局\n二、其他事项\n要高度重视。\n", encoding="utf-8")
    dialog.load_file(path)
    assert dialog.issues.count() == 3
    assert dialog.issues.item(0).text() == "[新单位] 单位名录中还没有这 1 个单位,导入时将新增:县水利局"
    dialog.issues.itemClicked.emit(dialog.issues.item(2))
    assert dialog.marked_lines() == [4]


def test_menu_item_in_the_file_menu(window: Any) -> None:
    launcher = window._plan_import_launcher if hasattr(window, "_plan_import_launcher") else None
    if launcher is None:
        from ledger_app.ui.plan_import import install

        launcher = install(window)
    assert isinstance(launcher, PlanImportLauncher)
    assert launcher.action in window.file_menu.actions() and launcher.action.text() == "导入整改方案…"
    launcher.action.trigger()
    assert launcher.dialog is not None and launcher.dialog.isVisible()
    launcher.dialog.reject()
    assert launcher.dialog is None
