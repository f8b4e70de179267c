"""The Qt half of the self-test (ledger_app/selftest.py): forms, icon, font, translation, plugins, printing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ledger_app.resources import app_root, resource_path

# Plugins the program loads besides the platform one: photos' thumbnails (JPEG, ICO for the icon).
_SUFFIX = {"win32": (".dll", ""), "darwin": (".dylib", "lib")}.get(sys.platform, (".so", "lib"))
NEEDED_PLUGINS = [("imageformats", [f"{_SUFFIX[1]}qjpeg{_SUFFIX[0]}", f"{_SUFFIX[1]}qico{_SUFFIX[0]}"])]


def platform_plugin_name() -> str:
    """The platform plugin the GUI will start with here: QT_QPA_PLATFORM's if set, else the system's."""
    chosen = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if not chosen:
        chosen = {"win32": "windows", "darwin": "cocoa"}.get(sys.platform, "xcb")
    return f"{_SUFFIX[1]}q{chosen}{_SUFFIX[0]}"


def plugin_problem(path: Path) -> str | None:
    """Load a plugin the way Qt will (the DLL and everything it links): None when it loads.

    A file that is merely present proves nothing: a quarantined, truncated or blocked DLL, or one
    whose dependencies are missing, is found only by loading it.
    """
    from PySide6.QtCore import QPluginLoader

    if not path.is_file():
        return f"{path.name} 不存在 / missing in {path.parent}"
    loader = QPluginLoader(str(path))
    if not loader.load():
        return f"{path.name}: {loader.errorString()}"
    return None


def check_qt() -> str:
    # Before the first QApplication: the self-test never needs a display (build machines, CI, SSH).
    from PySide6.QtCore import QCoreApplication

    # The plugin the GUI will start with, named before this check switches itself to offscreen.
    platform_plugin = platform_plugin_name()
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
    problem = plugin_problem(plugins / "platforms" / platform_plugin)
    if problem:
        problems.append(f"窗口插件无法加载 / platform plugin: {problem}")
    for folder, wanted in NEEDED_PLUGINS:
        for name in wanted:
            problem = plugin_problem(plugins / folder / name)
            if problem:
                problems.append(f"插件无法加载 / plugin: {problem}")
    printer = QPrinter()
    if not printer.isValid():
        problems.append("打印支持不可用 / QPrinter invalid")
    app.processEvents()
    if problems:
        raise AssertionError("; ".join(problems))
    return f"{len(forms)} 个窗体、图标、字体、中文翻译、{platform_plugin}、打印 / forms, icon, font, zh_CN, plugins"
