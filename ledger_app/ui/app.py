"""Start-up of the GUI: error hook → logging → QApplication (CJK font, names for QSettings) → window → ledger.

A clerk never sees a traceback in a console: uncaught errors are logged to a rotating file in the
user's log folder and shown in a dialog with a copy button (ui/errors.py).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from logging.handlers import RotatingFileHandler
from pathlib import Path

from platformdirs import user_log_dir
from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QtMsgType, QTranslator, qInstallMessageHandler
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
)
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ledger_app import __version__
from ledger_app.resources import resource_path
from ledger_app.store.fileops import exists_within

from . import settings_store, startup_probe
from .errors import install_excepthook

log = logging.getLogger(__name__)

APP_NAME = "ledger_app"
DISPLAY_NAME = "整改台账"
# Windows first (微软雅黑 ships with every Windows since Vista), then what Linux desktops have;
# the bundled WenQuanYi Micro Hei is the fallback that is always there.
PREFERRED_FONTS = [
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
]
BUNDLED_FONT = ("fonts", "wqy-microhei.ttc")


def log_dir() -> Path:
    return Path(user_log_dir(APP_NAME, appauthor=False))


def setup_logging() -> Path | None:
    """A rotating log file in the user's log folder; returns its path (None when it cannot be written)."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    path: Path | None = log_dir() / "ledger_app.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:  # a read-only profile: keep going without a file
        path = None
        handler = logging.NullHandler()
    handler.setFormatter(fmt)
    root.addHandler(handler)
    if sys.stderr is not None:  # pythonw (the gui-script on Windows) has no console
        console = logging.StreamHandler()
        console.setLevel(logging.WARNING)
        console.setFormatter(fmt)
        root.addHandler(console)
    for noisy in ("sqlalchemy", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    qInstallMessageHandler(_qt_message)
    log.info("整改台账 %s starting; log at %s", __version__, path)
    return path


def _qt_message(kind: QtMsgType, _context: object, message: str) -> None:
    level = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
    }.get(kind, logging.ERROR)
    logging.getLogger("qt").log(level, "%s", message)


def choose_font(app: QApplication) -> str:
    """A CJK-capable UI font; loads the bundled one when the system has none of the preferred faces."""
    families = set(QFontDatabase.families())
    family = next((name for name in PREFERRED_FONTS if name in families), None)
    if family is None:
        font_id = QFontDatabase.addApplicationFont(str(resource_path(*BUNDLED_FONT)))
        loaded = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        family = loaded[0] if loaded else app.font().family()
    font = QFont(family)
    font.setPointSizeF(max(app.font().pointSizeF(), 9.0))
    app.setFont(font)
    return family


def install_qt_translation(app: QApplication) -> bool:
    """Qt's own words (Yes/No on message boxes, Cut/Paste in text fields, file dialogs) in Chinese."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        app.installTranslator(translator)
        return True
    log.warning("Qt's Chinese translation (qtbase_zh_CN.qm) not found in %s", folder)
    return False


def create_application(argv: Sequence[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv))
    install_qt_translation(app)
    app.setOrganizationName(settings_store.ORGANIZATION)
    app.setApplicationName(settings_store.APPLICATION)
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setApplicationVersion(__version__)
    choose_font(app)
    style = resource_path("style.qss")
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    from .main_actions import window_icon

    app.setWindowIcon(window_icon())
    return app


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ledger-app", description="整改台账(图形界面)")
    parser.add_argument("--db", type=Path, help="要打开的台账文件(默认:上次打开的台账)")
    parser.add_argument("--version", action="version", version=f"整改台账 {__version__}")
    parser.add_argument("--self-test", action="store_true", help="自检本机安装(无需显示器),通过时退出码为 0")
    parser.add_argument(
        "--window",
        action="store_true",
        help="与 --self-test 一起:在窗口中显示自检结果(开始菜单的自检快捷方式)",
    )
    # Qt's own options (-style, -platform …) pass through to QApplication.
    args, _qt_args = parser.parse_known_args(list(argv)[1:])
    return args


def initial_ledger(requested: Path | None) -> tuple[Path, bool] | None:
    """Which ledger to open first and whether it may be created; None: the clerk declined."""
    if requested is not None:
        if requested.exists():
            return requested, False
        answer = QMessageBox.question(
            None,
            DISPLAY_NAME,
            f"台账文件不存在:\n{requested}\n\n是否在此位置新建一个空台账?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        return (requested, True) if answer == QMessageBox.StandardButton.Yes else None
    for path in settings_store.recent_ledgers():
        # A ledger on a network share that is down must not hang start-up: an answer that does not
        # come within a moment counts as "not there now" (the entry stays in the list).
        if exists_within(path):
            return path, False
    # First start on this PC: an empty ledger in the user's data folder.
    from ledger_app.services import default_ledger_path

    return default_ledger_path(), True


class Splash(QWidget):
    """The start-up picture. Not QSplashScreen: in Qt 6.11 its show() blocks for a full second
    (offscreen and under X11 alike, measured in bench/bench_startup.py), longer than the rest of
    the start-up before it."""

    def __init__(self, pixmap: QPixmap) -> None:
        super().__init__(None, Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint)
        self._pixmap = pixmap
        self.resize(pixmap.size() / pixmap.devicePixelRatio())
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            self.move(screen.availableGeometry().center() - self.rect().center())

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        QPainter(self).drawPixmap(0, 0, self._pixmap)
        startup_probe.mark("splash_painted")

    def mousePressEvent(self, _event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        self.hide()  # a clerk may click it away, as with any splash screen

    def finish(self, _window: QWidget) -> None:
        self.close()


def show_splash() -> Splash:
    """Something on screen within a fraction of a second, while the ledger code (SQLAlchemy, the
    report and PDF libraries) is still being imported: that takes seconds on an old office PC."""
    pixmap = QPixmap(440, 170)
    pixmap.fill(QColor("#ffffff"))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor("#23854a"))
    painter.drawRect(0, 0, pixmap.width() - 1, pixmap.height() - 1)
    icon = QPixmap(str(resource_path("icons", "app-256.png")))
    painter.drawPixmap(28, 33, 104, 104, icon)
    title = QFont(QApplication.font())
    title.setPointSizeF(title.pointSizeF() * 2)
    title.setBold(True)
    painter.setFont(title)
    painter.setPen(QColor("#1b3a2a"))
    painter.drawText(156, 82, DISPLAY_NAME)
    painter.setFont(QApplication.font())
    painter.setPen(QColor("#5f6b76"))
    painter.drawText(158, 112, f"版本 {__version__}  ·  正在启动…")
    painter.end()
    splash = Splash(pixmap)
    splash.show()
    splash.repaint()  # painted now, not when the event loop first runs after the heavy imports
    QApplication.processEvents()
    return splash


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    args = parse_args(argv)
    if args.self_test and args.window:  # the Start-menu shortcut: no console (cmd.exe may be disabled)
        from .selftest_window import run_in_window

        return run_in_window(argv)
    if args.self_test:  # before any QApplication: the checks run headless (ledger_app/selftest.py)
        from ledger_app.selftest import main as self_test

        return self_test()
    install_excepthook()
    setup_logging()
    app = create_application(argv)
    splash = show_splash()
    # Imported only now: the splash is on screen while the heavy modules load.
    from .features import install_features_after_first_paint
    from .first_paint import run_pending
    from .main_window import MainWindow

    window = MainWindow()
    # The list first: the ledger, the task panel and then the feature menus right after its first paint.
    window.defer_panel = True
    if startup_probe.enabled():
        startup_probe.watch(window)
    window.show()
    splash.finish(window)
    choice = initial_ledger(args.db)
    if choice is not None:
        window.open_at_start(choice[0], create=choice[1])
    install_features_after_first_paint(window)
    if window.ledger is None and window.first_read is None:
        window.defer_panel = False  # no list is coming: nothing waits for its paint
        run_pending(window)
        window.statusBar().showMessage("未打开台账。请用“文件 → 打开台账”或“新建台账”。")
    return app.exec()
