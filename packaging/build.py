#!/usr/bin/env python3
"""Build the offline bundle of 整改台账, zip it, and self-test the zip's contents as a clerk's PC would run them.

    python packaging/build.py                 build dist/ledger-app/ and dist/ledger-app-<version>-<platform>.zip
    python packaging/build.py --skip-build    zip and self-test the existing dist/ledger-app/ again

Steps: PyInstaller with packaging/ledger_app.spec (one folder, two programs) → zip → unzip into a
temporary folder whose name has Chinese characters and spaces → run ``ledger-cli self-test`` and
``ledger-app --self-test`` there with an environment that has no Python in it (clean PATH, no
PYTHONPATH, no VIRTUAL_ENV, QT_QPA_PLATFORM=offscreen) → fail if either fails. Prints the build
time, the bundle and zip sizes and the biggest files, and writes the version include that
packaging/windows/installer.iss reads (build/installer/version.iss).

Run it with any Python 3.11+: it re-runs itself inside the project's .venv (made by dev.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(ROOT))
import spec_data  # noqa: E402

# The output policy of all our console programs (stdlib only: build.py may run before .venv exists).
from ledger_app.console import FAIL_MARK, OK_MARK, STEP_MARK, decode_output, setup_streams  # noqa: E402

DIST = ROOT / "dist"
BUNDLE = DIST / spec_data.APP_NAME
WORK = ROOT / "build" / "pyinstaller"
INSTALLER_INCLUDE = ROOT / "build" / "installer" / "version.iss"
IS_WINDOWS = sys.platform == "win32"
EXE_SUFFIX = ".exe" if IS_WINDOWS else ""
SELF_TEST_TIMEOUT = 300  # seconds; a healthy run takes a few


def in_project_venv() -> bool:
    return Path(sys.prefix).resolve() == (ROOT / ".venv").resolve()


def rerun_in_venv(argv: list[str]) -> int:
    """The build needs the app's dependencies and PyInstaller: those live in .venv (dev.py makes it)."""
    sys.path.insert(0, str(ROOT))
    import dev  # the project's own bootstrap: creates or refreshes .venv from pyproject.toml

    python = dev.ensure_venv("dev")
    return subprocess.call([str(python), str(Path(__file__).resolve()), *argv])


# -- steps --------------------------------------------------------------------------------------
def run_pyinstaller() -> float:
    started = time.perf_counter()
    for folder in (BUNDLE, WORK):
        if folder.exists():
            shutil.rmtree(folder)
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(HERE / "ledger_app.spec"),
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(DIST),
        "--workpath",
        str(WORK),
    ]
    print(f"{STEP_MARK} PyInstaller …", flush=True)
    subprocess.run(command, cwd=ROOT, check=True)
    return time.perf_counter() - started


def check_bundle(bundle: Path) -> list[str]:
    """Things a Windows PC or a zip tool could trip over; returned as problems (empty: fine)."""
    problems: list[str] = []
    for name in (spec_data.APP_NAME, spec_data.CLI_NAME):
        if not (bundle / f"{name}{EXE_SUFFIX}").is_file():
            problems.append(f"program missing: {name}{EXE_SUFFIX}")
    stamp = bundle / "_internal" / spec_data.VERSION_FILE
    if not stamp.is_file() or stamp.read_text(encoding="utf-8").strip() != spec_data.project_version():
        problems.append(f"version stamp {stamp} missing or not {spec_data.project_version()}")
    for path in bundle.rglob("*"):
        relative = path.relative_to(bundle).as_posix()
        # Old zip tools (Windows 7's Explorer) garble non-ASCII names; the bundle needs none.
        if not relative.isascii():
            problems.append(f"non-ASCII file name in the bundle: {relative}")
    return problems


def longest_path(bundle: Path) -> tuple[int, str]:
    longest = max((p.relative_to(bundle.parent).as_posix() for p in bundle.rglob("*")), key=len)
    return len(longest), longest


def make_zip(bundle: Path, target: Path) -> Path:
    """The bundle folder as one zip (top folder ``ledger-app/``), written under a temporary name first.

    Symbolic links (PyInstaller makes them on Linux and macOS for libraries it places twice) stay
    links, as Info-ZIP stores them; Windows bundles have none.
    """
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in sorted(bundle.rglob("*")):
            arcname = path.relative_to(bundle.parent).as_posix()
            if path.is_symlink():
                info = zipfile.ZipInfo(arcname, time.localtime(path.lstat().st_mtime)[:6])
                info.create_system = 3  # Unix: the mode bits below mean what they say
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                archive.writestr(info, os.readlink(path))
                continue
            if path.is_dir():
                continue
            info = zipfile.ZipInfo.from_file(path, arcname)
            info.compress_type = zipfile.ZIP_DEFLATED
            with path.open("rb") as fh, archive.open(info, "w") as out:
                shutil.copyfileobj(fh, out, 1 << 20)
    os.replace(partial, target)
    return target


def unzip(archive: Path, dest: Path) -> Path:
    """Unpack as a clerk's zip tool would, keeping executable bits and symbolic links (not on Windows)."""
    with zipfile.ZipFile(archive) as zipped:
        for info in zipped.infolist():
            mode = info.external_attr >> 16
            target = dest / info.filename
            if stat.S_ISLNK(mode) and not IS_WINDOWS:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.symlink(zipped.read(info).decode("utf-8"), target)
                continue
            zipped.extract(info, dest)
            if mode & 0o777 and not IS_WINDOWS:  # zipfile does not restore the executable bit itself
                os.chmod(target, mode & 0o777)
    return dest / spec_data.APP_NAME


def clean_environment(home: Path) -> dict[str, str]:
    """What a clerk's session has, minus any Python: no venv, no PYTHONPATH, system folders only on PATH."""
    temp = home / "temp"
    temp.mkdir(parents=True, exist_ok=True)
    env = {"QT_QPA_PLATFORM": "offscreen", "TEMP": str(temp), "TMP": str(temp), "TMPDIR": str(temp)}
    if IS_WINDOWS:
        system_root = os.environ.get("SYSTEMROOT", r"C:\Windows")
        env |= {
            "SystemRoot": system_root,
            "WINDIR": system_root,
            "PATH": ";".join([rf"{system_root}\System32", system_root, rf"{system_root}\System32\Wbem"]),
            "USERPROFILE": str(home),
            "APPDATA": str(home / "AppData" / "Roaming"),
            "LOCALAPPDATA": str(home / "AppData" / "Local"),
            "USERNAME": os.environ.get("USERNAME", "clerk"),
            "COMSPEC": os.environ.get("COMSPEC", rf"{system_root}\System32\cmd.exe"),
        }
    else:
        env |= {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "USER": "clerk"}
    return env


def run_self_tests(bundle: Path, work: Path) -> tuple[bool, float]:
    """Both programs' self-test, as a clerk would start them; True when both pass."""
    env = clean_environment(work / "家目录 home")
    started = time.perf_counter()
    passed = True
    report_file = Path(env["TEMP"]) / "ledger-app-selftest.txt"  # where a windowed program writes it
    commands = [
        [str(bundle / f"{spec_data.CLI_NAME}{EXE_SUFFIX}"), "--version"],
        [str(bundle / f"{spec_data.CLI_NAME}{EXE_SUFFIX}"), "self-test"],
        [str(bundle / f"{spec_data.APP_NAME}{EXE_SUFFIX}"), "--self-test"],
    ]
    for command in commands:
        report_file.unlink(missing_ok=True)
        print(f"{STEP_MARK} {' '.join(command)}", flush=True)
        try:
            done = subprocess.run(
                command, env=env, cwd=work, capture_output=True, timeout=SELF_TEST_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            print(f"{FAIL_MARK} no answer after {SELF_TEST_TIMEOUT} s", flush=True)
            passed = False
            continue
        output = decode_output(done.stdout)
        if not output.strip() and report_file.is_file():
            output = report_file.read_text(encoding="utf-8")
        print(output.rstrip())
        errors = decode_output(done.stderr).strip()
        if errors:
            print("stderr:", errors)
        if done.returncode != 0:
            print(f"{FAIL_MARK} exit status {done.returncode}", flush=True)
            passed = False
    return passed, time.perf_counter() - started


def write_installer_include(version: str) -> Path:
    """#defines for packaging/windows/installer.iss: the one version number, from pyproject.toml."""
    INSTALLER_INCLUDE.parent.mkdir(parents=True, exist_ok=True)
    quad = ".".join(str(n) for n in spec_data.version_tuple(version))
    INSTALLER_INCLUDE.write_text(
        "; Written by packaging/build.py: do not edit.\n"
        f'#define AppVersion "{version}"\n'
        f'#define AppVersionQuad "{quad}"\n',
        encoding="utf-8-sig",  # Inno Setup reads UTF-8 reliably with a BOM
    )
    return INSTALLER_INCLUDE


# -- report -------------------------------------------------------------------------------------
def size_text(n: float) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def bundle_files(folder: Path) -> list[Path]:
    """Regular files only: a symbolic link takes no space (and its target is counted once)."""
    return [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]


def disk_usage(folder: Path) -> int:
    return sum(p.stat().st_size for p in bundle_files(folder))


def print_summary(
    bundle: Path, archive: Path, build_seconds: float | None, zip_seconds: float, test_seconds: float
) -> None:
    files = sorted(bundle_files(bundle), key=lambda p: p.stat().st_size, reverse=True)
    print()
    print(f"version          {spec_data.project_version()}")
    if build_seconds is not None:
        print(f"build time       {build_seconds:.0f} s")
    print(f"bundle           {size_text(disk_usage(bundle))} in {len(files)} files: {bundle}")
    print(f"zip              {size_text(archive.stat().st_size)} in {zip_seconds:.0f} s: {archive}")
    print(f"self-tests       {test_seconds:.1f} s")
    length, path = longest_path(bundle)
    print(f"longest path     {length} characters inside the install folder: {path}")
    print("biggest files:")
    for path in files[:15]:
        print(f"  {size_text(path.stat().st_size):>9}  {path.relative_to(bundle).as_posix()}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--skip-build", action="store_true", help="use the existing dist/ledger-app/")
    args = parser.parse_args(argv)
    setup_streams()  # `build.py > build.log` on a Chinese Windows: UTF-8, not a UnicodeEncodeError
    if not in_project_venv():
        return rerun_in_venv(argv)

    version = spec_data.project_version()
    build_seconds = None if args.skip_build else run_pyinstaller()
    problems = check_bundle(BUNDLE)
    if problems:
        print(f"{FAIL_MARK} the bundle is not right:\n  " + "\n  ".join(problems))
        return 1
    archive = DIST / spec_data.zip_name(version)
    print(f"{STEP_MARK} zip → {archive}", flush=True)
    started = time.perf_counter()
    make_zip(BUNDLE, archive)
    zip_seconds = time.perf_counter() - started
    print(f"{STEP_MARK} Inno Setup include → {write_installer_include(version)}")
    with tempfile.TemporaryDirectory(prefix="ledger-build-", ignore_cleanup_errors=True) as tmp:
        # Where a clerk unpacks it: a folder with Chinese characters and spaces in its name.
        work = Path(tmp) / "整改台账 安装测试 (unzipped)"
        work.mkdir()
        unpacked = unzip(archive, work)
        passed, test_seconds = run_self_tests(unpacked, work)
    print_summary(BUNDLE, archive, build_seconds, zip_seconds, test_seconds)
    if not passed:
        print(f"\n{FAIL_MARK} self-test FAILED in the fresh bundle: do not hand this build out.")
        return 1
    print(f"\n{OK_MARK} bundle built and self-tested.")
    if IS_WINDOWS:
        print(r"next: iscc packaging\windows\installer.iss   (Inno Setup 6.3 or newer)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
