"""帮助 → 使用说明 (F1): the offline guide opens from the menu, shows every section and all its pictures."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from PySide6.QtGui import QKeySequence, QTextDocument
from PySide6.QtWidgets import QApplication

from ledger_app.resources import resource_path
from ledger_app.ui.help_guide import SECTIONS, GuideDialog, guide_path

MAX_IMAGE_BYTES = 150 * 1024  # the guide ships in the installer: keep it small


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.headings: list[str] = []
        self.anchors: set[str] = set()
        self.links: list[str] = []
        self._in_h2 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img" and values.get("src"):
            self.images.append(values["src"] or "")
        if tag == "a" and values.get("name"):
            self.anchors.add(values["name"] or "")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "h2":
            self._in_h2 = True
            self.headings.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data: str) -> None:
        if self._in_h2:
            self.headings[-1] += data.strip()


def _parsed() -> _Refs:
    refs = _Refs()
    refs.feed(Path(guide_path()).read_text(encoding="utf-8"))
    return refs


def test_every_picture_the_guide_shows_exists_and_is_small() -> None:
    refs = _parsed()
    assert len(refs.images) >= 4
    for name in refs.images:
        path = resource_path("guide", name)
        assert path.is_file(), name
        assert path.stat().st_size <= MAX_IMAGE_BYTES, (name, path.stat().st_size)


def test_every_section_heading_is_there_and_every_contents_link_leads_somewhere() -> None:
    refs = _parsed()
    assert refs.headings == list(SECTIONS)
    internal = [link[1:] for link in refs.links if link.startswith("#")]
    assert len(internal) == len(SECTIONS)
    assert set(internal) <= refs.anchors
    assert all(link.startswith("#") for link in refs.links), "the guide must not link out: PCs are offline"


def test_the_guide_opens_from_the_help_menu_with_pictures_loaded(window: Any, qtbot: Any) -> None:
    action = next(a for a in window.help_menu.actions() if a.text() == "使用说明")
    assert action.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    assert action.isEnabled()
    action.trigger()
    QApplication.processEvents()
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, GuideDialog) and w.isVisible()]
    assert len(dialogs) == 1
    guide = dialogs[0]
    qtbot.addWidget(guide)
    text = guide.browser.toPlainText()
    for heading in SECTIONS:
        assert heading in text
    # Qt resolved every picture (a missing one would be a null image in the document's resources).
    document = guide.browser.document()
    for name in _parsed().images:
        image = document.resource(
            QTextDocument.ResourceType.ImageResource, guide.browser.source().resolved(name)
        )
        assert image is not None and not image.isNull(), name
    # Asking again brings the same window forward instead of opening a second one.
    action.trigger()
    assert [w for w in QApplication.topLevelWidgets() if isinstance(w, GuideDialog) and w.isVisible()] == [
        guide
    ]
    guide.close()


def test_the_guide_describes_what_the_menus_really_say() -> None:
    text = re.sub(r"<[^>]+>", "", Path(guide_path()).read_text(encoding="utf-8"))
    for words in (
        "导入Excel台账",
        "导出月报",
        "打印销号审批表",
        "备份与恢复",
        "完成整改",
        "验收通过",
        "开始公示",
        "销号",
    ):
        assert words in text, words
