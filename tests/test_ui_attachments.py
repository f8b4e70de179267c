"""佐证材料 in the GUI, driven as a clerk would: add with the file dialog or by dropping files, see
thumbnails, open and save copies, describe, remove and restore; drop files on a row of the task list;
export a zip and check / repair the store from the 台账 menu."""

from __future__ import annotations

import os
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDragMoveEvent, QDropEvent, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QWidget

from ledger_app.domain.errors import CancelledError
from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.services import Ledger
from ledger_app.ui.attachments import evidence_actions
from ledger_app.ui.attachments.drop import file_mime
from ledger_app.ui.attachments.file_icons import file_icon, placeholder_icon
from ledger_app.ui.attachments.thumbnails import ThumbnailLoader
from ledger_app.ui.task_panel import TaskPanel
from ledger_app.ui.task_panel.attachments_tab import COL_DESCRIPTION, COL_NAME, AttachmentsTab
from tests.ui_support import Boxes

TAB_ATTACHMENTS = 3
AN_HOUR_AGO = time.time() - 3600


# -- files a clerk brings ----------------------------------------------------------------------------
def photo(path: Path, size: tuple[int, int] = (320, 200), colour: str = "#3a7bd5", fmt: str = "PNG") -> Path:
    """A small picture with a shape on it (Pillow), as a phone or a scanner would hand in."""
    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).ellipse((size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), "#f2c14e")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, fmt)
    return path


def document(path: Path, text: str = "整改报告") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(f"%PDF-1.4 {text} {path.name}".encode())
    return path


def names(tab: AttachmentsTab) -> list[str]:
    return [tab.table.item(row, COL_NAME).text() for row in range(tab.table.rowCount())]


def select(tab: AttachmentsTab, name: str) -> None:
    tab.table.clearSelection()
    tab.table.selectRow(names(tab).index(name))


def drop_on(qtbot: Any, target: QWidget, paths: list[Path], pos: QPoint | None = None) -> QDropEvent:
    """What Explorer sends: enter, move, drop; Explorer proposes "move" here, which must be refused."""
    point = QPointF(pos if pos is not None else target.rect().center())
    mime: QMimeData = file_mime(paths)
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier
    enter = QDragEnterEvent(point.toPoint(), actions, mime, buttons, mods)
    QApplication.sendEvent(target, enter)
    move = QDragMoveEvent(point.toPoint(), actions, mime, buttons, mods)
    QApplication.sendEvent(target, move)
    drop = QDropEvent(point, actions, mime, buttons, mods)
    drop.setDropAction(Qt.DropAction.MoveAction)
    QApplication.sendEvent(target, drop)
    return drop


# -- the panel on a small ledger -----------------------------------------------------------------------
@pytest.fixture
def task_ids(ledger: Ledger) -> list[int]:
    round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
    return [
        ledger.tasks.create_task(
            round_id=round_id,
            kind=ProblemKind.SPECIFIC,
            seq=seq,
            description=text,
            lead_units=["区生态环境局"],
        )
        for seq, text in ((1, "柳河水库周边企业偷排废水。"), (2, "城区黑臭水体整治不到位。"))
    ]


@pytest.fixture
def panel(
    qtbot: Any, ledger: Ledger, task_ids: list[int], boxes: Boxes, sync_workers: None
) -> Iterator[TaskPanel]:
    widget = TaskPanel(ledger)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    widget.show_task(task_ids[0])
    widget.tabs.setCurrentIndex(TAB_ATTACHMENTS)
    yield widget


@pytest.fixture
def tab(panel: TaskPanel) -> AttachmentsTab:
    return panel.attachments


def test_files_chosen_in_the_dialog_are_added_with_thumbnails(
    qtbot: Any, panel: TaskPanel, tab: AttachmentsTab, ledger: Ledger, tmp_path: Path, monkeypatch: Any
) -> None:
    picked = [
        photo(tmp_path / "usb" / "整改后现场.png", (320, 200)),
        photo(tmp_path / "usb" / "竖拍照片.jpg", (200, 360), "#2e8b57", "JPEG"),
        document(tmp_path / "usb" / "验收报告.pdf"),
    ]
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", staticmethod(lambda *_a, **_k: ([str(p) for p in picked], ""))
    )
    with qtbot.waitSignal(panel.taskChanged) as changed:
        qtbot.mouseClick(tab.add_files_button, Qt.MouseButton.LeftButton)
    assert changed.args == [panel.task_id]
    assert names(tab) == ["整改后现场.png", "竖拍照片.jpg", "验收报告.pdf"]
    assert [a.name for a in ledger.attachments.list_attachments(panel.task_id)] == names(tab)
    assert panel.tabs.tabText(TAB_ATTACHMENTS) == "佐证材料(3)"
    assert all(p.exists() for p in picked), "the clerk's originals stay where they were"
    # Images show their own thumbnail (cached on disk by the store), the PDF its type icon.
    infos = ledger.attachments.list_attachments(panel.task_id)
    for row, info in enumerate(infos[:2]):
        thumb = tab.thumbnails.icon(info.sha256)
        assert thumb is not None
        assert tab.table.item(row, COL_NAME).icon().cacheKey() == thumb.cacheKey()
        assert list((ledger.attachments_dir / "thumbs").glob(f"{info.sha256}-*.jpg"))
    with Image.open(tab.thumbnails.path(infos[1].sha256)) as portrait:
        assert portrait.height > portrait.width, "a portrait photo keeps its orientation"
    assert tab.table.item(2, COL_NAME).icon().cacheKey() == file_icon("验收报告.pdf").cacheKey()
    assert "3 个文件" in tab.count_label.text()
    assert tab.selected() == infos, "what was just added is selected"


def test_files_and_folders_dropped_on_the_tab_are_copied_not_moved(
    qtbot: Any, tab: AttachmentsTab, ledger: Ledger, tmp_path: Path
) -> None:
    stick = tmp_path / "U盘"
    odd = [
        "整改前 现场照片(1).png",
        "报告:第2次?.pdf",  # characters Windows refuses in a name
        "CON.txt",  # a device name on Windows
        "末尾有点.",
        "长" * 80 + ".png",  # a name as long as the file system allows
    ]
    for number, name in enumerate(odd):
        if name.endswith(".png"):
            photo(stick / "现场" / name, (300 + number, 200))
        else:
            document(stick / "现场" / name)
    (stick / "现场" / "desktop.ini").write_text("[.ShellClassInfo]")
    loose = document(tmp_path / "单独文件.pdf", "另一份")
    drop = drop_on(qtbot, tab.table.viewport(), [stick / "现场", loose])
    assert drop.isAccepted() and drop.dropAction() == Qt.DropAction.CopyAction
    qtbot.waitUntil(lambda: tab.table.rowCount() == len(odd) + 1)
    assert sorted(names(tab)) == sorted([*odd, "单独文件.pdf"])
    assert loose.exists() and all((stick / "现场" / n).exists() for n in odd)
    assert "desktop.ini" not in names(tab)
    # A drop of something that is not a local file (a web link) is refused.
    mime = QMimeData()
    mime.setUrls([QUrl("https://example.com/a.jpg")])
    link = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(tab.table.viewport(), link)
    assert not link.isAccepted()


def test_files_out_use_the_original_name(
    qtbot: Any,
    tab: AttachmentsTab,
    ledger: Ledger,
    tmp_path: Path,
    monkeypatch: Any,
    boxes: Boxes,
) -> None:
    source = document(tmp_path / "in" / "报告:第2次?.pdf")
    tab.add_paths([source])
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    rect = tab.table.visualRect(tab.table.model().index(0, COL_NAME))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(opened) == 1
    viewed = Path(opened[0].toLocalFile())
    assert viewed.read_bytes() == source.read_bytes() and viewed.suffix == ".pdf"
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *_a, **_k: str(out)))
    select(tab, "报告:第2次?.pdf")
    qtbot.mouseClick(tab.save_as_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.save_as_button, Qt.MouseButton.LeftButton)  # twice: never overwrites
    saved = sorted(p.name for p in out.iterdir())
    assert saved == ["报告\uff1a第2次\uff1f (2).pdf", "报告\uff1a第2次\uff1f.pdf"]
    assert all((out / n).read_bytes() == source.read_bytes() for n in saved)
    assert "已保存 1 个文件" in boxes.texts("information")[-1]


def test_delete_hides_the_file_and_show_deleted_brings_it_back(
    qtbot: Any,
    tab: AttachmentsTab,
    ledger: Ledger,
    tmp_path: Path,
    boxes: Boxes,
) -> None:
    tab.add_paths([photo(tmp_path / "a.png"), document(tmp_path / "b.pdf")])
    select(tab, "a.png")
    boxes.answer = boxes.answer.No
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    assert names(tab) == ["a.png", "b.pdf"], "answering No keeps it"
    boxes.answer = boxes.answer.Yes
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    assert "a.png" in boxes.texts("question")[-1]
    assert names(tab) == ["b.pdf"]
    assert not tab.restore_button.isVisible()
    tab.show_deleted_check.setChecked(True)
    assert names(tab) == ["a.png", "b.pdf"]
    assert tab.table.item(0, COL_NAME).font().strikeOut()
    assert "已删除" in tab.count_label.text()
    select(tab, "a.png")
    assert tab.restore_button.isVisible() and tab.restore_button.isEnabled()
    assert not tab.delete_button.isEnabled()
    qtbot.mouseClick(tab.restore_button, Qt.MouseButton.LeftButton)
    assert [a.name for a in ledger.attachments.list_attachments(tab.task_id)] == ["a.png", "b.pdf"]
    assert not tab.table.item(0, COL_NAME).font().strikeOut()


def test_description_is_edited_in_place_and_committed_on_leave(
    qtbot: Any, panel: TaskPanel, tab: AttachmentsTab, ledger: Ledger, task_ids: list[int], tmp_path: Path
) -> None:
    tab.add_paths([photo(tmp_path / "a.png"), document(tmp_path / "b.pdf")])
    select(tab, "b.pdf")
    qtbot.mouseClick(tab.edit_description_button, Qt.MouseButton.LeftButton)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "2026 ")
    commit = QInputMethodEvent()
    commit.setCommitString("整改验收报告")
    QApplication.sendEvent(editor, commit)
    tab.show_deleted_check.setFocus()  # the clerk clicks elsewhere
    qtbot.waitUntil(
        lambda: ledger.attachments.list_attachments(task_ids[0])[1].description == "2026 整改验收报告"
    )
    assert tab.table.item(1, COL_DESCRIPTION).text() == "2026 整改验收报告"
    # Still typing when another task is chosen: the edit is kept, not lost.
    select(tab, "a.png")
    tab.edit_description()
    qtbot.keyClicks(QApplication.focusWidget(), "before")
    panel.show_task(task_ids[1])
    assert ledger.attachments.list_attachments(task_ids[0])[0].description == "before"
    assert tab.table.rowCount() == 0


def test_grid_view_shows_the_same_files_and_selection(
    qtbot: Any,
    tab: AttachmentsTab,
    tmp_path: Path,
    boxes: Boxes,
) -> None:
    tab.add_paths([photo(tmp_path / "a.png"), document(tmp_path / "b.docx")])
    qtbot.mouseClick(tab.grid_button, Qt.MouseButton.LeftButton)
    assert tab.stack.currentWidget().isAncestorOf(tab.grid)
    assert tab.grid.model() is tab.table.model()
    tab.grid.selectionModel().clearSelection()
    tab.grid.setCurrentIndex(tab.grid.model().index(1, COL_NAME))
    assert [i.name for i in tab.selected()] == ["b.docx"]
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    assert names(tab) == ["a.png"]


def test_refused_files_are_reported_and_cancel_adds_nothing(
    tab: AttachmentsTab,
    ledger: Ledger,
    tmp_path: Path,
    boxes: Boxes,
    monkeypatch: Any,
) -> None:
    empty = tmp_path / "空文件.jpg"
    empty.write_bytes(b"")
    tab.add_paths([photo(tmp_path / "ok.png"), empty, tmp_path / "不存在.pdf"])
    assert names(tab) == ["ok.png"]
    warning = boxes.texts("warning")[-1]
    assert "空文件.jpg" in warning and "不存在.pdf" in warning
    tab.add_paths([tmp_path / "ok.png"])  # the same content again: skipped, said so
    assert names(tab) == ["ok.png"] and "未重复添加" in boxes.texts("information")[-1]

    def cancelled(*_args: object, **_kwargs: object) -> None:
        raise CancelledError()

    monkeypatch.setattr(ledger.attachments, "add_attachments", cancelled)
    tab.add_paths([photo(tmp_path / "later.png")])
    assert "已取消" in boxes.texts("information")[-1] and names(tab) == ["ok.png"]


def test_cancel_in_the_background_adds_nothing_and_leaves_nothing(
    qtbot: Any, ledger: Ledger, task_ids: list[int], tmp_path: Path, boxes: Boxes
) -> None:
    """Real worker threads here: 取消 while a folder is being copied."""
    panel = TaskPanel(ledger)
    qtbot.addWidget(panel)
    panel.show_task(task_ids[0])
    folder = tmp_path / "大文件夹"
    folder.mkdir()
    for number in range(20):
        (folder / f"扫描件-{number:02d}.pdf").write_bytes(os.urandom(4 << 20))
    tab = panel.attachments
    tab.add_paths([folder])
    handle = tab.add_handle
    assert handle is not None and handle.is_running
    handle.cancel()
    qtbot.waitUntil(lambda: not handle.is_running, timeout=20_000)
    assert ledger.attachments.list_attachments(task_ids[0]) == [] and tab.table.rowCount() == 0
    assert boxes.texts("information") == ["已取消,没有添加任何文件。"]
    store = ledger.attachments.store
    assert not [p for p in store.root.rglob("*") if p.is_file()], "no half-copied or orphaned file"


def test_broken_image_falls_back_to_its_type_icon(qtbot: Any, tab: AttachmentsTab, tmp_path: Path) -> None:
    fake = tmp_path / "损坏的照片.jpg"
    fake.write_bytes(b"not a jpeg at all")
    tab.add_paths([fake])
    assert tab.table.item(0, COL_NAME).icon().cacheKey() == file_icon(fake.name).cacheKey()
    assert tab.table.item(0, COL_NAME).icon().cacheKey() != placeholder_icon().cacheKey()


def test_thumbnails_are_made_off_the_ui_thread(
    qtbot: Any, ledger: Ledger, task_ids: list[int], tmp_path: Path
) -> None:
    formats = {"png": "PNG", "jpg": "JPEG", "bmp": "BMP", "gif": "GIF", "tif": "TIFF", "webp": "WEBP"}
    pictures = [
        photo(tmp_path / f"照片.{ext}", (200 + i * 10, 150), f"#{i * 30:02x}6080", fmt)
        for i, (ext, fmt) in enumerate(formats.items())
    ]
    report = ledger.attachments.add_attachments(task_ids[0], pictures)
    loader = ThumbnailLoader()
    loader.set_store(ledger.attachments_dir)
    shas = [a.sha256 for a in report.added]
    ready: list[str] = []
    loader.ready.connect(ready.append)
    loader.request(shas)
    assert loader.pending() == len(shas), "requested, not made on the spot"
    qtbot.waitUntil(lambda: len(ready) == len(shas), timeout=10_000)
    assert sorted(ready) == sorted(shas)
    assert [loader.icon(s) is not None for s in shas] == [True] * len(formats)
    assert loader.pending() == 0
    # Another task chosen and this one again before the pool got to them: they still arrive.
    again = ThumbnailLoader()
    again.set_store(ledger.attachments_dir)
    again.request(shas)
    again.cancel_pending()
    again.request(shas)
    qtbot.waitUntil(
        lambda: all(again.icon(s) is not None for s in shas) and not again.pending(), timeout=10_000
    )


# -- the main window ------------------------------------------------------------------------------------
@pytest.fixture
def actions(qtbot: Any, window: Any) -> evidence_actions.EvidenceActions:
    installed = evidence_actions.install(window)
    qtbot.waitUntil(lambda: window.proxy.rowCount() > 5)
    return installed


def test_files_dropped_on_a_task_row_go_to_that_task(
    qtbot: Any,
    window: Any,
    actions: Any,
    tmp_path: Path,
    boxes: Boxes,
) -> None:
    table = window.table
    table.scrollToTop()
    target = window.proxy.task_id_at(3)
    point = table.visualRect(window.proxy.index(3, 1)).center()
    shown_before = window.panel.task_id
    photo_path = photo(tmp_path / "现场核查.png")
    drop = drop_on(qtbot, table.viewport(), [photo_path], point)
    assert drop.isAccepted() and drop.dropAction() == Qt.DropAction.CopyAction
    qtbot.waitUntil(lambda: bool(window.ledger.attachments.list_attachments(target)))
    assert [a.name for a in window.ledger.attachments.list_attachments(target)] == ["现场核查.png"]
    assert "现场核查.png" in boxes.texts("question")[-1]
    assert window.panel.task_id == shown_before, "dropping does not change the task shown"
    assert "已添加 1 个文件" in window.statusBar().currentMessage()
    assert not actions.drop_band.isVisible()
    # Answering No adds nothing.
    boxes.answer = boxes.answer.No
    drop_on(qtbot, table.viewport(), [photo(tmp_path / "第二张.png", colour="#aa3333")], point)
    qtbot.wait(20)
    assert len(window.ledger.attachments.list_attachments(target)) == 1


def test_check_dialog_lists_damage_and_repair_cleans_the_leftover(
    qtbot: Any,
    window: Any,
    actions: Any,
    tmp_path: Path,
) -> None:
    ledger: Ledger = window.ledger
    task = window.proxy.task_id_at(0)
    report = ledger.attachments.add_attachments(
        task,
        [
            photo(tmp_path / "甲.png"),
            photo(tmp_path / "乙.png", colour="#884422"),
            document(tmp_path / "丙.pdf"),
        ],
    )
    store = ledger.attachments.store
    damaged, missing = (store.object_path(a.sha256) for a in report.added[:2])
    os.chmod(damaged, 0o644)
    damaged.write_bytes(b"overwritten by a virus scanner")
    os.chmod(missing, 0o644)
    missing.unlink()
    leftover = store.tmp_dir / "0123456789abcdef.part"
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_bytes(b"half a copy")
    orphan = store.object_path("ab" * 32)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"nothing refers to me")
    for path in (leftover, orphan):
        os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))

    actions.check_action.trigger()
    dialog = actions.check_dialog
    assert dialog is not None and dialog.isVisible()
    kinds = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert kinds == ["文件缺失", "内容已改变(校验值不符)", "没有任何记录引用的文件", "复制中断留下的临时文件"]
    assert "乙.png" in dialog.table.item(0, 1).text() and "甲.png" in dialog.table.item(1, 1).text()
    assert dialog.repair_button.isEnabled()
    qtbot.mouseClick(dialog.repair_button, Qt.MouseButton.LeftButton)
    outcome = [dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount())]
    assert outcome[0].startswith("未修复") and outcome[1].startswith("未修复")
    assert outcome[2].startswith("已移到 lost+found") and outcome[3] == "已清除"
    assert not leftover.exists() and not orphan.exists()
    assert store.lost_found_files(), "the orphan is kept aside, not deleted"
    assert "无法自动修复 2 个" in dialog.result_text.toPlainText()
    qtbot.mouseClick(dialog.recheck_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 2 and not dialog.repair_button.isEnabled()


def test_evidence_zip_of_the_selected_tasks(
    qtbot: Any,
    window: Any,
    actions: Any,
    tmp_path: Path,
    monkeypatch: Any,
    boxes: Boxes,
) -> None:
    ledger: Ledger = window.ledger
    first, second = window.proxy.task_id_at(0), window.proxy.task_id_at(1)
    ledger.attachments.add_attachments(first, [photo(tmp_path / "照片.png")])
    ledger.attachments.add_attachments(second, [document(tmp_path / "报告.pdf")])
    window.select_task(first)
    window.select_task(second, clear=False)
    out = tmp_path / "导出" / "佐证"
    out.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(out), "")))
    actions.export_selected_action.trigger()
    zipped = out.with_suffix(".zip")
    with zipfile.ZipFile(zipped) as archive:
        entries = archive.namelist()
    rows = [window.model.task(t) for t in (first, second)]
    assert [e.split("/")[0].split("-")[0] for e in entries] == [r.seq for r in rows]
    assert [e.split("/")[1] for e in entries] == ["照片.png", "报告.pdf"]
    assert actions.result_box is not None and actions.result_box.isVisible()
    assert "已导出 2 个文件" in actions.result_box.text()
    # 当前筛选 with no task shown says so instead of asking for a file name.
    window.proxy.set_search_text("这段文字不会出现在任何任务里")
    actions.export_filtered_action.trigger()
    assert boxes.texts("information")[-1] == "当前筛选下没有任务。"
