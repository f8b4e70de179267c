"""打印销号审批表: the clerk chooses what 整改落实情况 says (all progress summarised, or the latest report);
their own rewording is kept whichever they choose, and the PDF follows the choice."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtWidgets import QFileDialog, QWidget

from ledger_app.io.pdf.inputs import ProgressChoice, default_implementation_text, latest_progress_text
from ledger_app.services import Ledger
from ledger_app.ui.exports.signoff_dialog import SignoffDialog
from tests.ui_support import Boxes


@pytest.fixture
def host(qtbot: Any, ui_settings: Path, sync_workers: None, boxes: Boxes) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def _text(path: Path) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in pypdf.PdfReader(path).pages))


def test_choice_rewords_the_untouched_texts_and_keeps_the_edited_one(
    host: QWidget, demo_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [
        i
        for i in demo_ledger.forms.tasks_closed_in(2026, 10)
        if len(demo_ledger.records.task_record(i).progress) >= 3
    ][:2]
    assert len(ids) == 2
    records = demo_ledger.records.task_records(ids)
    dialog = SignoffDialog(demo_ledger, records, host)
    combo = dialog.choice_combo
    assert [combo.itemData(i) for i in range(combo.count())] == ["all", "latest"]
    assert combo.currentData() == "all"
    summary = dialog.edit.toPlainText()
    assert summary == default_implementation_text(records[0])
    assert summary.count("\n") == len([p for p in records[0].progress if p.text.strip()]) - 1

    dialog.task_list.setCurrentRow(1)
    dialog.edit.setPlainText("本人改写的落实情况。")
    combo.setCurrentIndex(combo.findData("latest"))
    assert dialog.choice is ProgressChoice.LATEST
    assert dialog.edit.toPlainText() == "本人改写的落实情况。"  # the clerk's words stay
    dialog.task_list.setCurrentRow(0)
    assert dialog.edit.toPlainText() == latest_progress_text(records[0])
    assert not dialog.reset_button.isEnabled()  # the latest report is now the default, not an edit

    out = tmp_path / "审批表.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(out), "")))
    dialog.save_button.click()
    text = _text(out)
    assert re.sub(r"\s+", "", latest_progress_text(records[0])) in text
    assert "本人改写的落实情况。" in text
    first = sorted(records[0].progress, key=lambda p: p.date)[0]
    assert (
        f"{first.date.year}年{first.date.month}月" not in text.split("整改落实情况")[1].split("佐证材料")[0]
    )
