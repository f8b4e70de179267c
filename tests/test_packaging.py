"""The offline bundle: the spec ships every file the code asks for, versions come from one place, the
self-test passes from source (and notices what is missing). The bundle build itself is slow and runs
as ``python packaging/build.py``, not here."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import zipfile
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any, ClassVar

import pytest

import ledger_app
from ledger_app import resources, selftest

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"


def _load(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, PACKAGING / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


spec_data = _load("spec_data")


def shipped() -> set[PurePosixPath]:
    return {dest for _src, dest in spec_data.shipped_files()}


# -- what ships -----------------------------------------------------------------------------------
def test_every_resource_the_code_names_exists_and_ships() -> None:
    refs = spec_data.referenced_resources()
    patterns = {ref.pattern for ref in refs}
    # The scan really sees the code: the fonts the PDFs embed, the main window's form, toolbar icons.
    assert {"resources/fonts/uming-cn.ttf", "forms/main_window.ui", "resources/icons/open-*.png"} <= patterns
    shipped_now = shipped()
    for ref in refs:
        found = ref.matches()
        assert found, f"{ref.where} asks for {ref.pattern}, which does not exist"
        for path in found:
            inside = PurePosixPath(path.relative_to(ROOT).as_posix())
            assert inside in shipped_now, f"{ref.where} asks for {inside}, which the bundle does not ship"


def test_every_form_icon_and_font_licence_ships() -> None:
    shipped_now = shipped()
    for folder, pattern in (
        ("forms", "*.ui"),
        ("resources/icons", "*.png"),
        ("resources/fonts", "LICENSE-*"),
    ):
        files = sorted((ROOT / folder).glob(pattern))
        assert files, f"no {folder}/{pattern} at all"
        missing = [f.name for f in files if PurePosixPath(folder, f.name) not in shipped_now]
        assert not missing, f"not shipped: {missing}"


def test_migrations_ship_as_data_with_their_imports() -> None:
    shipped_now = shipped()
    base = PurePosixPath("ledger_app/store/migrations")
    assert {base / "env.py", base / "script.py.mako"} <= shipped_now
    versions = sorted((ROOT / base / "versions").glob("*.py"))
    assert len(versions) >= 2
    assert {base / "versions" / v.name for v in versions} <= shipped_now
    assert not [d for d in shipped_now if "__pycache__" in d.parts or d.suffix == ".pyc"]
    # Loaded by path, so PyInstaller never sees their imports: the spec must name them.
    hidden = set(spec_data.hidden_imports())
    assert {"alembic", "sqlalchemy", "ledger_app.store.models"} <= hidden
    assert set(spec_data.migration_imports()) <= hidden


def test_the_scan_notices_a_resource_that_does_not_exist(tmp_path: Path) -> None:
    package = tmp_path / "ledger_app"
    (package / "ui").mkdir(parents=True)
    (package / "ui" / "base.py").write_text(
        "class FormDialog:\n    def __init__(self, form_name, title):\n        pass\n", encoding="utf-8"
    )
    (package / "ui" / "new.py").write_text(
        "from .base import FormDialog\n"
        "LOGO = ('icons', 'logo.png')\n"
        "class GhostDialog(FormDialog):\n"
        "    def __init__(self):\n"
        "        super().__init__('ghost_dialog', '幽灵')\n"
        "def build(size):\n"
        "    load_form('ghost_panel')\n"
        "    resource_path(*LOGO)\n"
        "    resource_path('icons', f'ghost-{size}.png')\n"
        "    action_icon('ghost')\n",
        encoding="utf-8",
    )
    refs = spec_data.referenced_resources(package)
    assert sorted(ref.pattern for ref in refs) == [
        "forms/ghost_dialog.ui",
        "forms/ghost_panel.ui",
        "resources/icons/ghost-*.png",
        "resources/icons/ghost-*.png",
        "resources/icons/logo.png",
    ]
    assert all(ref.matches(tmp_path) == [] for ref in refs)
    assert all(ref.where.startswith("ledger_app/ui/new.py:") for ref in refs)


def test_qt_translations_of_other_languages_are_dropped() -> None:
    keep = spec_data.keep_qt_file
    assert keep("PySide6/Qt/translations/qtbase_zh_CN.qm")
    assert keep("PySide6\\Qt\\translations\\qt_en.qm")
    assert not keep("PySide6/Qt/translations/qtbase_de.qm")
    assert not keep("PySide6/Qt/translations/qt_zh_TW.qm")
    assert keep("PySide6/Qt/plugins/platforms/libqxcb.so")
    assert keep("resources/fonts/uming-cn.ttf")
    assert not spec_data.keep_binary("PySide6\\opengl32sw.dll")
    assert spec_data.keep_binary("PySide6\\Qt6OpenGL.dll") and spec_data.keep_binary("libQt6Gui.so.6")


def test_pil_is_not_excluded_but_dev_tools_are() -> None:
    excluded = set(spec_data.EXCLUDES)
    assert not {"PIL", "PIL.Image"} & excluded  # reportlab 5 fails at import without Pillow
    assert {"tkinter", "pytest", "hypothesis", "setuptools", "PySide6.QtNetwork"} <= excluded
    assert not excluded & set(spec_data.hidden_imports())


# -- the spec: two programs over one analysis -----------------------------------------------------
class _Recorder:
    made: ClassVar[list[Any]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args, self.kwargs = args, kwargs
        type(self).made.append(self)


def test_spec_builds_two_programs_in_one_folder_from_one_analysis(tmp_path: Path) -> None:
    class Analysis(_Recorder):
        made: ClassVar[list[Any]] = []

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.pure = ["pure modules"]
            self.scripts = [("pyi_rth_pyside6", "hook.py", "PYSOURCE")] + [
                (Path(s).stem, s, "PYSOURCE") for s in args[0]
            ]
            self.binaries = [("libQt6Core.so.6", "/x", "BINARY"), ("PySide6\\opengl32sw.dll", "/x", "BINARY")]
            self.datas = [
                ("PySide6/Qt/translations/qtbase_de.qm", "/x", "DATA"),
                ("PySide6/Qt/translations/qtbase_zh_CN.qm", "/x", "DATA"),
                ("resources/style.qss", "/x", "DATA"),
            ]

    class PYZ(_Recorder):
        made: ClassVar[list[Any]] = []

    class EXE(_Recorder):
        made: ClassVar[list[Any]] = []

    class COLLECT(_Recorder):
        made: ClassVar[list[Any]] = []

    namespace = {
        "Analysis": Analysis,
        "PYZ": PYZ,
        "EXE": EXE,
        "COLLECT": COLLECT,
        "SPECPATH": str(PACKAGING),
        "workpath": str(tmp_path),
        "DISTPATH": str(tmp_path / "dist"),
        "__file__": str(PACKAGING / "ledger_app.spec"),
    }
    spec_file = PACKAGING / "ledger_app.spec"
    exec(compile(spec_file.read_text(encoding="utf-8"), str(spec_file), "exec"), namespace)

    assert len(Analysis.made) == len(PYZ.made) == len(COLLECT.made) == 1
    analysis = Analysis.made[0]
    entries = [Path(s).name for s in analysis.args[0]]
    assert entries == ["entry_gui.py", "entry_cli.py"]
    assert all((PACKAGING / e).is_file() for e in entries)
    datas = analysis.kwargs["datas"]
    assert set(spec_data.datas()) <= set(datas)
    stamps = tmp_path / "stamps"
    assert (str(stamps / "VERSION"), "ledger_app") in datas
    assert (str(stamps / spec_data.MANIFEST_FILE), ".") in datas
    assert analysis.kwargs["hiddenimports"] == spec_data.hidden_imports()
    assert analysis.kwargs["excludes"] == list(spec_data.EXCLUDES)
    assert [d[0] for d in analysis.datas] == [
        "PySide6/Qt/translations/qtbase_zh_CN.qm",
        "resources/style.qss",
    ]

    assert [b[0] for b in analysis.binaries] == ["libQt6Core.so.6"]  # no 20 MB software OpenGL

    gui, cli = EXE.made
    assert (gui.kwargs["name"], gui.kwargs["console"]) == ("ledger-app", False)
    assert (cli.kwargs["name"], cli.kwargs["console"]) == ("ledger-cli", True)
    for exe, own, other in ((gui, "entry_gui", "entry_cli"), (cli, "entry_cli", "entry_gui")):
        names = [s[0] for s in exe.args[1]]
        assert own in names and other not in names and "pyi_rth_pyside6" in names
        assert exe.args[0] is PYZ.made[0]
        assert exe.kwargs["exclude_binaries"] is True
        assert Path(exe.kwargs["icon"]).is_file() and exe.kwargs["icon"].endswith(".ico")
    collect = COLLECT.made[0]
    assert collect.args[:2] == (gui, cli)
    assert collect.kwargs["name"] == "ledger-app"


# -- one version number ------------------------------------------------------------------------
def test_version_comes_from_pyproject_everywhere(tmp_path: Path) -> None:
    version = spec_data.project_version()
    assert ledger_app.__version__ == version
    written = spec_data.write_build_files(tmp_path, version)
    assert written["version"].read_text(encoding="utf-8").strip() == version
    quad = spec_data.version_tuple(version)
    for exe in ("ledger-app", "ledger-cli"):
        text = written[exe].read_text(encoding="utf-8")
        assert f"filevers={quad}" in text and f"'ProductVersion', '{version}'" in text
        assert f"'OriginalFilename', '{exe}.exe'" in text


def test_version_resource_is_valid_for_pyinstaller(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PyInstaller turns the text into the .exe's resource on Windows; here its parser and encoder run."""
    found = importlib.util.find_spec("PyInstaller")
    if found is None or found.origin is None:
        pytest.skip("PyInstaller not installed")
    # pefile is a Windows-only dependency of PyInstaller, needed only to patch an .exe: stand in for it.
    monkeypatch.setitem(sys.modules, "pefile", ModuleType("pefile"))
    compat = importlib.import_module("PyInstaller.compat")
    monkeypatch.setattr(compat, "win32api", None, raising=False)  # Windows-only as well
    spec = importlib.util.spec_from_file_location(
        "_versioninfo_under_test", Path(found.origin).parent / "utils" / "win32" / "versioninfo.py"
    )
    assert spec and spec.loader
    versioninfo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(versioninfo)

    path = spec_data.write_build_files(tmp_path, "2.3.4rc1")["ledger-app"]
    info = versioninfo.load_version_info_from_text_file(str(path))
    raw = info.toRaw()  # the bytes that go into the .exe; fails on a malformed structure
    assert "整改台账".encode("utf-16-le") in raw and "2.3.4rc1".encode("utf-16-le") in raw
    assert (info.ffi.fileVersionMS, info.ffi.fileVersionLS) == ((2 << 16) | 3, 4 << 16)


def test_frozen_package_reads_its_version_stamp(tmp_path: Path) -> None:
    """In the bundle there is no pyproject.toml: ledger_app/VERSION (shipped by the spec) is read."""
    package = tmp_path / "ledger_app"
    package.mkdir()
    shutil.copyfile(Path(ledger_app.__file__), package / "__init__.py")
    (package / "VERSION").write_text("9.8.7\n", encoding="utf-8")
    assert PurePosixPath(spec_data.VERSION_FILE) == PurePosixPath("ledger_app/VERSION")
    spec = importlib.util.spec_from_file_location("frozen_copy", package / "__init__.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.__version__ == "9.8.7"


def test_manifest_lists_every_data_file_with_its_size(tmp_path: Path) -> None:
    assert selftest.MANIFEST_FILE == spec_data.MANIFEST_FILE
    manifest = spec_data.write_build_files(tmp_path)["manifest"]
    lines = dict(line.split("\t") for line in manifest.read_text(encoding="utf-8").splitlines())
    for src, dest in spec_data.shipped_files():
        assert lines[dest.as_posix()] == str(src.stat().st_size)
    assert spec_data.VERSION_FILE in lines


# -- the self-test --------------------------------------------------------------------------------
def test_self_test_passes_from_source(tmp_path: Path) -> None:
    seen: list[selftest.CheckResult] = []
    report = selftest.run(tmp_path, emit=seen.append)
    assert report.ok, "\n".join(report.lines())
    assert len(report.results) == len(selftest.CHECKS) and seen == report.results
    # Only the long-path check may warn, and only on a Windows PC with long paths switched off.
    warned = [r.en for r in report.results if r.mark != selftest.OK]
    assert warned == ([] if sys.platform != "win32" else warned[:1]) and set(warned) <= {"long path"}
    (workdir,) = tmp_path.iterdir()  # the ledger went into a folder named like a clerk's
    assert workdir.name.startswith(selftest.WORK_PREFIX) and " " in workdir.name
    assert (workdir / "台账 测试.sqlite3").is_file()
    assert any(len(str(p)) > selftest.MAX_PATH for p in workdir.rglob("*.sqlite3"))


def _fake_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the data folders as an installed bundle would have them, with app_root pointing there."""
    root = tmp_path / "bundle"
    for src, dest in spec_data.shipped_files():
        target = root / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
    monkeypatch.setattr(resources, "app_root", lambda: root)
    monkeypatch.setattr(selftest, "app_root", lambda: root)
    return root


def test_self_test_names_a_missing_font(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _fake_install(tmp_path, monkeypatch)
    state = selftest._State(workdir=tmp_path)
    assert "under" in selftest._check_resources(state)  # everything there: passes
    (root / "resources" / "fonts" / "uming-cn.ttf").unlink()
    with pytest.raises(AssertionError, match=r"uming-cn\.ttf"):
        selftest._check_resources(state)


def test_self_test_names_a_damaged_bundle_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _fake_install(tmp_path, monkeypatch)
    manifest = spec_data.write_build_files(tmp_path / "stamps")["manifest"]
    lines = [line for line in manifest.read_text(encoding="utf-8").splitlines() if "VERSION" not in line]
    (root / spec_data.MANIFEST_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    state = selftest._State(workdir=tmp_path)
    assert str(len(lines)) in selftest._check_manifest(state)
    (root / "forms" / "main_window.ui").write_text("<ui/>", encoding="utf-8")  # a half-copied file
    (root / "resources" / "style.qss").unlink()
    with pytest.raises(AssertionError, match=r"main_window\.ui.*|style\.qss") as failure:
        selftest._check_manifest(state)
    assert "style.qss" in str(failure.value) and "main_window.ui" in str(failure.value)


def test_self_test_exit_status_and_report_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(_state: object) -> str:
        raise RuntimeError("坏了")

    monkeypatch.setattr(
        selftest, "CHECKS", [("版本", "version", selftest._check_version), ("坏", "broken", broken)]
    )
    assert selftest.main(["--workdir", str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("√ 版本 / version: ")
    assert out[1].startswith("× 坏 / broken: RuntimeError: 坏了")
    assert "self-test FAILED" in out[-1]


# -- the build script's zip -------------------------------------------------------------------------
def test_zip_keeps_programs_runnable_and_links_as_links(tmp_path: Path) -> None:
    build = _load("build")
    bundle = tmp_path / "dist" / "ledger-app"
    (bundle / "_internal" / "lib").mkdir(parents=True)
    program = bundle / "ledger-cli"
    program.write_bytes(b"#!/bin/sh\necho ok\n")
    program.chmod(0o755)
    (bundle / "_internal" / "lib" / "libQt6Core.so.6").write_bytes(b"x" * 1000)
    if os.name != "nt":
        (bundle / "_internal" / "libQt6Core.so.6").symlink_to("lib/libQt6Core.so.6")
    archive = build.make_zip(bundle, tmp_path / "dist" / "ledger-app-test.zip")
    with zipfile.ZipFile(archive) as zipped:
        assert {n.split("/")[0] for n in zipped.namelist()} == {"ledger-app"}
    out = build.unzip(archive, tmp_path / "整改台账 解压")
    assert (out / "_internal" / "lib" / "libQt6Core.so.6").read_bytes() == b"x" * 1000
    if os.name != "nt":
        assert os.access(out / "ledger-cli", os.X_OK)
        link = out / "_internal" / "libQt6Core.so.6"
        assert link.is_symlink() and link.read_bytes() == b"x" * 1000
    (bundle / "_internal" / "说明.txt").write_text("x", encoding="utf-8")
    assert any("non-ASCII" in p for p in build.check_bundle(bundle))


def test_installer_script_matches_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build = _load("build")
    script = (PACKAGING / "windows" / "installer.iss").read_bytes()
    assert script.startswith(b"\xef\xbb\xbf")  # Inno Setup reads UTF-8 reliably only with a BOM
    text = script.decode("utf-8-sig")
    include = build.INSTALLER_INCLUDE.relative_to(ROOT).as_posix().replace("/", "\\")
    assert f'"\\{include}"' in text
    assert f'#define AppExe "{spec_data.APP_NAME}.exe"' in text
    assert f'#define CliExe "{spec_data.CLI_NAME}.exe"' in text
    assert f"dist\\{spec_data.APP_NAME}\\*" in text
    assert spec_data.ICON.relative_to(ROOT).as_posix().replace("/", "\\") in text
    assert "PrivilegesRequired=lowest" in text  # clerks have no administrator rights
    monkeypatch.setattr(build, "INSTALLER_INCLUDE", tmp_path / "version.iss")
    written = build.write_installer_include("1.4.0rc2").read_text(encoding="utf-8-sig")
    assert '#define AppVersion "1.4.0rc2"' in written and '#define AppVersionQuad "1.4.0.0"' in written
