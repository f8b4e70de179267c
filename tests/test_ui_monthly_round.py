"""文件 → 发送月报表… and 收回月报表…: the send dialog, the review dialog's boxes, the import from it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from PySide6.QtCore import Qt

from ledger_app.domain.model import UnitRole
from ledger_app.services import Ledger
from ledger_app.ui.monthly_round import ReviewDialog, SendDialog, install
from ledger_app.ui.monthly_round.review_dialog import start_collect
from ledger_app.ui.monthly_round.send_dialog import start_send
from tests.ui_support import Boxes


def _answer_all(path: Path) -> int:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    count = 0
    for r in range(4, ws.max_row + 1):
        if ws.cell(r, 13).value:
            ws.cell(r, 6).value = f"第{r}行的进展"
            count += 1
    wb.save(path)
    return count


def test_menu_send_dialog_and_review_import(
    window: Any, demo_ledger: Ledger, boxes: Boxes, tmp_path: Path, qtbot: Any
) -> None:
    install(window)  # the app installs its features after the first paint; the fixture does not
    texts = [a.text() for a in window.file_menu.actions()]
    assert "发送月报表…" in texts and "收回月报表…" in texts

    dialog = SendDialog(demo_ledger, window, today=date(2026, 11, 23))
    qtbot.addWidget(dialog)
    assert dialog.month() == (2026, 11)
    assert dialog.roles() == [UnitRole.LEAD, UnitRole.RESPONSIBLE]
    assert len(dialog.units()) == len(demo_ledger.directory.list_units())
    first = dialog.unit_list.item(0)
    first.setCheckState(Qt.CheckState.Unchecked)
    assert first.data(Qt.ItemDataRole.UserRole) not in dialog.units()

    units = [u.name for u in demo_ledger.directory.list_units()]
    start_send(
        window, demo_ledger, (2026, 11), tmp_path / "out", units, [UnitRole.LEAD, UnitRole.RESPONSIBLE]
    )
    assert any("份月报表" in t for t in boxes.texts("information"))
    files = sorted((tmp_path / "out").glob("*.xlsx"))
    assert files
    answered = _answer_all(files[0])

    review = demo_ledger.monthly.read_replies(files[:3], month=(2026, 11), today=date(2026, 12, 3))
    review_dialog = ReviewDialog(review, window)
    qtbot.addWidget(review_dialog)
    keys = review_dialog.accepted_keys()
    assert len(keys) == answered == review.count("new")
    top = next(
        review_dialog.tree.topLevelItem(i)
        for i in range(review_dialog.tree.topLevelItemCount())
        if review_dialog.tree.topLevelItem(i).checkState(0) == Qt.CheckState.Checked
    )
    top.setCheckState(0, Qt.CheckState.Unchecked)  # the whole unit off, then on again
    assert review_dialog.accepted_keys() == []
    top.setCheckState(0, Qt.CheckState.Checked)
    assert len(review_dialog.accepted_keys()) == answered
    top.child(0).setCheckState(0, Qt.CheckState.Unchecked)
    assert top.checkState(0) == Qt.CheckState.PartiallyChecked
    keys = review_dialog.accepted_keys()
    assert len(keys) == answered - 1
    assert f"导入所选({answered - 1} 条)" in review_dialog.buttons.buttons()[0].text() or any(
        f"({answered - 1} 条)" in b.text() for b in review_dialog.buttons.buttons()
    )
    before = sum(len(r.progress) for r in demo_ledger.records.task_records())
    start_collect(window, demo_ledger, review, keys)
    assert sum(len(r.progress) for r in demo_ledger.records.task_records()) == before + answered - 1
    assert any(f"已导入 {answered - 1} 条" in t for t in boxes.texts("information"))


def test_reminders_for_the_units_that_have_not_answered_in_one_step(
    window: Any, demo_ledger: Ledger, boxes: Boxes, tmp_path: Path, monkeypatch: Any
) -> None:
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    from ledger_app.ui.monthly_round.remind import remind_action

    install(window)
    assert "月报表催报…" in [a.text() for a in window.file_menu.actions()]
    remind_action(window)  # nothing sent yet: says so, writes nothing
    assert "还没有发送过月报表" in boxes.texts("information")[-1]

    demo_ledger.monthly.distribute(month=(2026, 11), out_dir=tmp_path / "out", today=date(2026, 11, 23))
    offered: list[list[str]] = []

    def pick_month(
        _parent: object, _title: str, _label: str, items: list[str], *_a: object
    ) -> tuple[str, bool]:
        offered.append(list(items))
        return items[0], True

    monkeypatch.setattr(QInputDialog, "getItem", pick_month)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(tmp_path / "letters"))
    remind_action(window)
    assert offered == [["2026-11"]]
    question = boxes.texts("question")[-1]
    sent_units = [s.unit for s in demo_ledger.monthly.round_status((2026, 11))]
    for unit in sent_units:
        assert unit in question  # no reply collected yet: every unit sent a sheet is listed
    letters = sorted((tmp_path / "letters").glob("*.pdf"))
    assert len(letters) == len(sent_units)
    assert f"已生成催报提醒函 {len(sent_units)} 份" in boxes.texts("information")[-1]
