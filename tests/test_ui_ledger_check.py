"""台账 → 检查台账…: the ledger's own findings shown above the evidence store's, in the check dialog."""

from __future__ import annotations

import sqlite3
from typing import Any

from PySide6.QtCore import Qt

from ledger_app.services import Ledger
from ledger_app.ui.attachments import evidence_actions


def test_the_check_dialog_names_an_edit_made_behind_the_programs_back(qtbot: Any, window: Any) -> None:
    ledger: Ledger = window.ledger
    actions = evidence_actions.install(window)
    qtbot.waitUntil(lambda: window.proxy.rowCount() > 5)
    task = ledger.queries.list_tasks()[0]
    ledger.tasks.update_task(task.id, goal="全面完成整改")

    actions.check_action.trigger()
    dialog = actions.check_dialog
    assert dialog is not None and dialog.isVisible()
    assert actions.check_action.text() == "检查台账…" and dialog.windowTitle() == "检查台账"
    assert (
        actions.check_action in window.help_menu.actions()
        and actions.check_action in window.ledger_menu.actions()
    )
    assert "台账未发现问题。" in dialog.ledger_label.text()
    assert not dialog.ledger_table.isVisible()
    assert "佐证材料库未发现问题。" in dialog.summary_label.text()

    conn = sqlite3.connect(ledger.path)
    conn.execute("UPDATE problems SET goal = '' WHERE id = ?", (task.id,))
    conn.commit()
    conn.close()
    qtbot.mouseClick(dialog.recheck_button, Qt.MouseButton.LeftButton)
    assert "台账发现问题:数据与修改日志不符 1 处。" in dialog.ledger_label.text()
    assert dialog.ledger_table.isVisible() and dialog.ledger_table.rowCount() == 1
    cells = [dialog.ledger_table.item(0, c).text() for c in range(3)]
    assert cells[0] == "数据与修改日志不符"
    assert cells[1] == f"{task.round_name} {task.kind.section.label} 序号 {task.seq}"
    assert cells[2].startswith("「整改目标」在修改日志中为「全面完成整改」,文件中却是(空)")

    # Put right through the program, the ledger agrees with its log again.
    ledger.tasks.update_task(task.id, goal="全面完成整改")
    qtbot.mouseClick(dialog.recheck_button, Qt.MouseButton.LeftButton)
    assert "台账未发现问题。" in dialog.ledger_label.text() and dialog.ledger_table.rowCount() == 0
