"""The Qt half of the self-test (ledger_app/selftest.py): forms, icon, font, translation, plugins, printing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ledger_app.resources import app_root, resource_path


def check_qt() -> str:
    # Before the first QApplication: the self-test never needs a display (build machines, CI, SSH).
    from PySide6.QtCore import QCoreApplication

    if QCoreApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
    from PySide6.QtGui import QFontDatabase, QIcon
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication, QWidget

    from ledger_app.ui.forms import load_form

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "ledger-app"])
    problems: list[str] = []
    holder = QWidget()
    forms = sorted((app_root() / "forms").glob("*.ui"))
    for form in forms:
        try:
            load_form(form.stem, holder)
        except Exception as exc:
            problems.append(f"{form.name}: {exc}")
    del holder  # owned by Python: deleting it destroys the loaded forms too
    icon = QIcon(str(resource_path("icons", "app-48.png")))
    if icon.isNull():
        problems.append("应用图标无法加载 / app icon does not load")
    font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", "wqy-microhei.ttc")))
    if font_id < 0:
        problems.append("界面字体无法加载 / bundled UI font does not load")
    translator = QTranslator()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        problems.append(f"缺少 Qt 中文翻译 / qtbase_zh_CN.qm not in {folder}")
    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    platform_plugin = {"win32": "qwindows.dll", "darwin": "libqcocoa.dylib"}.get(sys.platform, "libqxcb.so")
    if not (plugins / "platforms" / platform_plugin).is_file():
        problems.append(f"缺少窗口插件 / platform plugin {platform_plugin} missing in {plugins}")
    printer = QPrinter()
    if not printer.isValid():
        problems.append("打印支持不可用 / QPrinter invalid")
    app.processEvents()
    if problems:
        raise AssertionError("; ".join(problems))
    return f"{len(forms)} 个窗体、图标、字体、中文翻译、{platform_plugin}、打印 / forms, icon, font, zh_CN, plugins"
