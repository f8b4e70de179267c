"""``ledger-app --self-test`` and ``ledger-cli self-test``: does this installation work on this PC?

Runs what a clerk's day needs, end to end, in a throw-away folder whose name has Chinese characters
and spaces: open a new ledger (all migrations), add a round and tasks through the services, write
the monthly workbook and read it back (openpyxl, then the importer), print a 销号审批表 PDF with
embedded Chinese fonts and read its text back (PDFium, as the preview does), a ledger under a path
longer than Windows' old 260-character limit, and the Qt side without a display (offscreen): every
form loads, the icon, the bundled UI font, Qt's Chinese words, the platform and print plugins.

In the PyInstaller bundle it also checks every data file against the manifest written at build
time, so a bundle damaged on its way (a half-copied USB stick, a quarantined file) is named.
Each check prints one line, √ / × / △ with Chinese and English; the exit status is 0 when no
check failed (△ only warns). ``packaging/build.py`` runs it on every fresh bundle.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from ledger_app.console import FAIL_MARK, OK_MARK, WARN_MARK, setup_streams
from ledger_app.resources import app_root, form_path, migrations_path, resource_path

# Written by packaging/spec_data.py into the bundle root: "relative/path<TAB>size" per data file.
MANIFEST_FILE = "bundle-manifest.txt"
# A folder name a clerk's PC may well have: Chinese characters and spaces.
WORK_PREFIX = "整改 台账 测试 "
# Windows' MAX_PATH; a longer path works only with long paths enabled (and a long-path-aware program).
MAX_PATH = 260

OK, FAILED, WARNING = OK_MARK, FAIL_MARK, WARN_MARK  # marks any console font shows


class SoftFailure(Exception):
    """A check that found something worth a warning, not a failure (e.g. long paths disabled)."""


@dataclass
class CheckResult:
    zh: str
    en: str
    mark: str
    detail: str
    seconds: float

    def line(self) -> str:
        return f"{self.mark} {self.zh} / {self.en}: {self.detail} ({self.seconds:.2f} s)"


@dataclass
class SelfTestReport:
    results: list[CheckResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.mark != FAILED for r in self.results)

    def failed(self) -> list[CheckResult]:
        return [r for r in self.results if r.mark == FAILED]

    def lines(self) -> list[str]:
        return [r.line() for r in self.results]


@dataclass
class _State:
    """What earlier checks hand to later ones."""

    workdir: Path
    ledger: Any = None
    round_name: str = ""
    task_ids: list[int] = field(default_factory=list)
    closed_id: int = 0
    workbook: Path | None = None
    pdf: Path | None = None


# -- the checks; each returns its detail text or raises -------------------------------------------
def _check_version(_state: _State) -> str:
    from ledger_app import __version__

    where = "安装包 bundle" if getattr(sys, "frozen", False) else "源码 source"
    if __version__ == "0.0.0":
        raise AssertionError(f"版本号未知 / version unknown ({where})")
    return f"{__version__}, {where}, Python {sys.version.split()[0]}, {sys.platform}"


def _check_manifest(_state: _State) -> str:
    manifest = app_root() / MANIFEST_FILE
    if not manifest.is_file():
        if getattr(sys, "frozen", False):
            raise AssertionError(f"缺少 {MANIFEST_FILE} / manifest missing")
        return "从源码运行,无需清单 / running from source, no manifest"
    missing: list[str] = []
    wrong: list[str] = []
    entries = 0
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        name, size = line.rsplit("\t", 1)
        entries += 1
        path = app_root() / name
        if not path.is_file():
            missing.append(name)
        elif path.stat().st_size != int(size):
            wrong.append(f"{name} ({path.stat().st_size} ≠ {size})")
    if missing or wrong:
        shown = ", ".join([*missing, *wrong][:8])
        raise AssertionError(
            f"缺失 {len(missing)} 个、大小不符 {len(wrong)} 个 / missing or damaged: {shown}"
        )
    return f"{entries} 个文件齐全 / all {entries} data files present"


def _check_resources(_state: _State) -> str:
    from ledger_app.io.pdf.fonts import BUNDLED_HEI, BUNDLED_SONG

    wanted = [
        resource_path(*BUNDLED_SONG),
        resource_path(*BUNDLED_HEI),
        resource_path("style.qss"),
        *(resource_path("icons", f"app-{size}.png") for size in (16, 32, 48, 256)),
        form_path("main_window.ui"),
        migrations_path() / "env.py",
        migrations_path() / "script.py.mako",
    ]
    missing = [str(p) for p in wanted if not p.is_file()]
    licences = sorted(resource_path("fonts").glob("LICENSE-*"))
    forms = sorted((app_root() / "forms").glob("*.ui"))
    icons = sorted(resource_path("icons").glob("*.png"))
    versions = sorted((migrations_path() / "versions").glob("*.py"))
    if len(licences) < 2:
        missing.append("resources/fonts/LICENSE-* (字体许可 / font licences)")
    if not [v for v in versions if v.name != "__init__.py"]:
        missing.append("ledger_app/store/migrations/versions/*.py")
    if missing:
        raise AssertionError("缺少 / missing: " + ", ".join(missing))
    return (
        f"字体 2、许可 {len(licences)}、图标 {len(icons)}、窗体 {len(forms)}、迁移脚本 {len(versions)} / "
        f"fonts, licences, icons, forms, migrations under {app_root()}"
    )


def _check_open_ledger(state: _State) -> str:
    import sqlite3

    from ledger_app.services import Ledger
    from ledger_app.store.database import SCHEMA_HEAD, known_revisions

    path = state.workdir / "台账 测试.sqlite3"
    state.ledger = Ledger.open(path, create=True, actor="自检")
    with sqlite3.connect(path) as conn:
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    heads = known_revisions()
    if version != SCHEMA_HEAD or SCHEMA_HEAD not in heads:
        raise AssertionError(f"数据库版本 {version},应为 {SCHEMA_HEAD} / schema {version} != {SCHEMA_HEAD}")
    return f"{path} 迁移到 {version}({len(heads)} 个迁移)/ migrated to {version}"


def _check_services(state: _State) -> str:
    from ledger_app.domain.model import ProblemKind, RoundLevel, TaskStatus

    ledger = state.ledger
    state.round_name = "第二轮中央生态环境保护督察(自检)"
    round_id = ledger.directory.create_round(
        name=state.round_name, level=RoundLevel.CENTRAL, feedback_date=date(2025, 6, 30)
    )
    texts = [
        "青溪河黑臭水体整治不到位,雨污混流问题突出",
        "城区餐饮油烟扰民,群众反映强烈",
        "矿山生态修复滞后,部分矿区未完成复绿",
    ]
    for seq, text in enumerate(texts, start=1):
        task = ledger.tasks.create_task(
            round_id=round_id,
            kind=ProblemKind.SPECIFIC,
            seq=seq,
            description=text,
            lead_units=["区生态环境局"],
            responsible_units=["区住建局"],
            supervising_units=["区委督查室"],
            deadline="2025年12月底前",
            goal="消除问题,群众满意",
            leader="王建国",
        )
        ledger.tasks.add_measure(task, text="制定整治方案,明确责任分工", lead_units=["区生态环境局"])
        ledger.tasks.add_progress(task, entry_date=date.today(), text=f"本月推进情况:{text[:6]}等工作已完成")
        state.task_ids.append(task)
    closed = state.task_ids[0]
    ledger.lifecycle.transition(closed, TaskStatus.IN_PROGRESS)
    ledger.lifecycle.transition(closed, TaskStatus.COMPLETED)
    ledger.lifecycle.record_acceptance(closed, accepted_on=date(2025, 11, 20), unit="区生态环境局")
    ledger.lifecycle.transition(closed, TaskStatus.ACCEPTED)
    ledger.lifecycle.record_public_notice(closed, start=date(2025, 11, 21), end=date(2025, 11, 27))
    ledger.lifecycle.transition(closed, TaskStatus.PUBLIC_NOTICE)
    ledger.lifecycle.close_out(closed, closed_on=date(2025, 12, 1))
    state.closed_id = closed
    count = ledger.tasks.count_tasks()
    if count != len(texts):
        raise AssertionError(f"任务数 {count} ≠ {len(texts)} / task count")
    return f"1 个督察批次、{count} 项任务,其中 1 项走完销号流程 / 1 round, {count} tasks, 1 closed"


def _check_monthly_workbook(state: _State) -> str:
    from openpyxl import load_workbook

    today = date.today()
    out = state.workdir / "月报 输出" / f"{today.year}年{today.month}月 月报.xlsx"
    out.parent.mkdir(parents=True, exist_ok=True)
    state.ledger.reports.export_monthly_report(out, year=today.year, month=today.month)
    book = load_workbook(out, read_only=True)
    try:
        texts = [
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
    finally:
        book.close()
    joined = "\n".join(texts)
    expected = ["整改落实情况台账", "青溪河黑臭水体整治不到位"]
    absent = [text for text in expected if text not in joined]
    if absent:
        raise AssertionError(f"工作簿中找不到 / not in the workbook: {absent}")
    state.workbook = out
    return f"{out.name},{out.stat().st_size // 1024} KB,标题与任务可读回 / title and tasks read back"


def _check_excel_import(state: _State) -> str:
    from ledger_app.io.excel_in.workbook import read_ledger_workbook

    if state.workbook is None:
        raise AssertionError("没有月报可读 / no workbook from the previous check")
    plan = read_ledger_workbook(state.workbook)
    descriptions = [task.description for task in plan.tasks]
    if not any("青溪河黑臭水体整治不到位" in text for text in descriptions):
        raise AssertionError(f"导入结果中找不到任务 / task not read back: {descriptions[:3]}")
    return f"读回 {len(plan.tasks)} 项任务(工作表「{plan.sheet}」)/ {len(plan.tasks)} tasks read back"


def _check_signoff_pdf(state: _State) -> str:
    out = state.workdir / "销号 审批表" / "销号审批表 自检.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    state.ledger.forms.write_signoff_forms([state.closed_id], out)
    data = out.read_bytes()
    if not data.startswith(b"%PDF"):
        raise AssertionError("不是 PDF 文件 / not a PDF")
    if b"/FontFile2" not in data:
        raise AssertionError("PDF 未嵌入 TrueType 字体 / no embedded TrueType font")
    state.pdf = out
    text, pixels = _pdf_text_and_ink(data)
    for word in ("销号", "青溪河黑臭水体"):
        if word not in text.replace("\n", "").replace(" ", ""):
            raise AssertionError(f"PDF 文字中找不到「{word}」/ text {word!r} not extractable")
    if pixels == 0:
        raise AssertionError("PDF 页面渲染为空白 / the page renders blank")
    return f"{len(data) // 1024} KB,嵌入字体,文字可提取,可渲染 / embedded fonts, text and rendering OK"


def _pdf_text_and_ink(data: bytes) -> tuple[str, int]:
    """The first page's text and its count of dark pixels, through PDFium: what the in-app preview uses."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        page = document[0]
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        bitmap = page.render(scale=0.5, grayscale=True)
        buffer = bytes(bitmap.buffer)
        ink = sum(1 for value in buffer if value < 128)
        for item in (bitmap, textpage, page):
            item.close()
        return text, ink
    finally:
        document.close()


def _check_thumbnails(state: _State) -> str:
    """Evidence photos get thumbnails through Pillow: its JPEG, PNG and WebP codecs must be in the bundle."""
    from PIL import Image

    from ledger_app.store.attachments import make_thumbnail

    made = []
    for fmt, suffix in (("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")):
        source = state.workdir / f"佐证 照片.{suffix}"
        Image.new("RGB", (640, 480), (40, 120, 200)).save(source, fmt)
        thumb = state.workdir / f"缩略图 {suffix}.jpg"
        if not make_thumbnail(source, thumb, 160):
            raise AssertionError(f"{fmt} 照片无法生成缩略图 / no thumbnail of a {fmt} photo")
        with Image.open(thumb) as image:
            if max(image.size) != 160:
                raise AssertionError(f"缩略图尺寸 {image.size} / thumbnail size")
        made.append(fmt)
    return f"{'、'.join(made)} 照片缩略图 / thumbnails of {', '.join(made)}"


def _check_modules(_state: _State) -> str:
    """Every module of the program imports: a module PyInstaller missed would fail only when first used."""
    import importlib
    import pkgutil

    import ledger_app

    skipped = ("ledger_app.store.migrations",)  # alembic runs these by path, on its own terms
    names = [
        info.name
        for info in pkgutil.walk_packages(ledger_app.__path__, "ledger_app.")
        if not info.name.startswith(skipped)
    ]
    failed = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:
            failed.append(f"{name} ({type(exc).__name__}: {exc})")
    if failed:
        raise AssertionError("无法导入 / cannot import: " + "; ".join(failed[:5]))
    if len(names) < 20:
        raise AssertionError(f"只找到 {len(names)} 个模块 / only {len(names)} modules found")
    return f"{len(names)} 个模块均可导入 / all {len(names)} modules import"


def _check_long_path(state: _State) -> str:
    from ledger_app.services import Ledger

    folder = state.workdir
    while len(str(folder)) < MAX_PATH + 20:
        folder = folder / "很长的文件夹名称 long folder name"
    path = folder / "长路径 台账.sqlite3"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with Ledger.open(path, create=True, actor="自检"):
            pass
    except Exception as exc:
        if sys.platform == "win32" and not _windows_long_paths_enabled():
            raise SoftFailure(
                f"本机未开启长路径支持,超过 {MAX_PATH} 字符的路径不可用 / "
                f"long paths disabled in Windows ({type(exc).__name__})"
            ) from exc
        raise
    return f"{len(str(path))} 字符的路径可用 / a {len(str(path))}-character path works"


def _windows_long_paths_enabled() -> bool:
    try:
        import winreg

        key = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SYSTEM\CurrentControlSet\Control\FileSystem")
        value, _ = winreg.QueryValueEx(key, "LongPathsEnabled")
        return bool(value)
    except OSError:
        return False


def _check_qt(_state: _State) -> str:
    # The Qt half lives under ui/, the only package that may import Qt.
    from ledger_app.ui.selftest_qt import check_qt

    return check_qt()


CHECKS: list[tuple[str, str, Callable[[_State], str]]] = [
    ("版本", "version", _check_version),
    ("安装文件完整", "bundle files", _check_manifest),
    ("资源文件", "resources", _check_resources),
    ("新建台账与迁移", "ledger and migrations", _check_open_ledger),
    ("录入任务", "services", _check_services),
    ("导出月报 Excel", "monthly workbook", _check_monthly_workbook),
    ("导入 Excel 台账", "Excel import", _check_excel_import),
    ("销号审批表 PDF", "sign-off PDF", _check_signoff_pdf),
    ("照片缩略图", "thumbnails", _check_thumbnails),
    ("长路径", "long path", _check_long_path),
    ("程序模块", "modules", _check_modules),
    ("界面组件(无显示器)", "Qt offscreen", _check_qt),
]


def run(
    workdir: Path | None = None,
    *,
    qt: bool = True,
    emit: Callable[[CheckResult], None] | None = None,
) -> SelfTestReport:
    """Run every check; a check that raises is reported and the rest still run.

    ``workdir``: a folder to work in (a fresh temporary one, removed afterwards, when None); the
    ledger and files go into a subfolder named with Chinese characters and spaces either way.
    """
    report = SelfTestReport()
    with tempfile.TemporaryDirectory(prefix="ledger-selftest-", ignore_cleanup_errors=True) as tmp:
        base = Path(workdir) if workdir is not None else Path(tmp)
        state = _State(workdir=Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=base)))
        try:
            for zh, en, check in CHECKS:
                if check is _check_qt and not qt:
                    continue
                started = time.perf_counter()
                try:
                    mark, detail = OK, check(state)
                except SoftFailure as exc:
                    mark, detail = WARNING, str(exc)
                except Exception as exc:
                    mark, detail = FAILED, _describe(exc)
                result = CheckResult(zh, en, mark, detail, time.perf_counter() - started)
                report.results.append(result)
                if emit is not None:
                    emit(result)
        finally:
            if state.ledger is not None:
                state.ledger.close()
    return report


def _describe(exc: BaseException) -> str:
    text = getattr(exc, "message_zh", None) or str(exc) or type(exc).__name__
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" [{Path(frame.filename).name}:{frame.lineno}]" if frame else ""
    return f"{type(exc).__name__}: {text}{where}"


def _output() -> tuple[TextIO | None, Path | None]:
    """Where the report goes: the console, or (windowed program on Windows: no console) a text file."""
    stream = sys.stdout
    if stream is None:
        path = Path(tempfile.gettempdir()) / "ledger-app-selftest.txt"
        return path.open("w", encoding="utf-8"), path
    setup_streams()  # piped (the build script, a log file): UTF-8 whatever the Windows code page
    return stream, None


def main(argv: Sequence[str] | None = None) -> int:
    """Print the report line by line; 0 when every check passed (warnings allowed), 1 otherwise."""
    parser = argparse.ArgumentParser(prog="ledger-app --self-test", description="整改台账自检 / self-test")
    parser.add_argument("--workdir", type=Path, help="在此文件夹中工作(默认:临时文件夹)")
    parser.add_argument("--no-qt", action="store_true", help="跳过界面组件检查")
    args = parser.parse_args(list(argv) if argv is not None else [])
    stream, file_path = _output()

    def emit(result: CheckResult) -> None:
        if stream is not None:
            stream.write(result.line() + "\n")
            stream.flush()

    started = time.perf_counter()
    report = run(args.workdir, qt=not args.no_qt, emit=emit)
    verdict = (
        "自检通过 / self-test passed"
        if report.ok
        else f"自检失败:{len(report.failed())} 项 / self-test FAILED: {len(report.failed())} check(s)"
    )
    if stream is not None:
        stream.write(f"{verdict} ({time.perf_counter() - started:.1f} s)\n")
        stream.flush()
        if file_path is not None:
            stream.close()
    return 0 if report.ok else 1


def register(sub: Any) -> None:
    """``ledger-cli self-test``: the same checks, for the console (the windowed program has none on Windows)."""
    p = sub.add_parser("self-test", help="自检:本机能否正常使用本程序 / check this installation")
    p.add_argument("--workdir", type=Path, help="在此文件夹中工作(默认:临时文件夹)")
    p.add_argument("--no-qt", action="store_true", help="跳过界面组件检查")

    def handler(args: argparse.Namespace) -> int:
        options = [
            *(["--workdir", str(args.workdir)] if args.workdir else []),
            *(["--no-qt"] if args.no_qt else []),
        ]
        return main(options)

    p.set_defaults(handler=handler)
