"""One output policy for every console program we ship (ledger_app/console.py).

Windows encodes redirected or piped output in the ANSI code page (cp936, or cp1252 on a Western
PC); ``PYTHONIOENCODING`` simulates that here. Whatever it is, our programs write UTF-8 to files and
pipes, a character outside GBK never crashes a command after its work is done, and marks are ones a
Chinese console font shows.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ledger_app.console import ProgressLine, display_width, fit

ROOT = Path(__file__).resolve().parents[1]
# Outside GBK: a CJK Extension B character, an emoji, and a letter cp936 lacks.
EXOTIC = "𠀀😀ő"


def run(encoding: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run([sys.executable, *args], capture_output=True, env=env, cwd=cwd, check=False)


@pytest.fixture(scope="module")
def exotic_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("enc") / f"台账{EXOTIC}"
    folder.mkdir()
    path = folder / f"整改{EXOTIC}.sqlite3"
    done = run("utf-8", "-m", "ledger_app.cli.main", "demo", "--db", str(path), "--tasks", "30")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    from ledger_app.services import Ledger

    with Ledger.open(path) as ledger:
        ledger.directory.rename_unit(ledger.directory.list_units()[0].id, f"区生态环境局{EXOTIC}")
        photo = folder / f"现场照片{EXOTIC}.txt"
        photo.write_text("佐证", encoding="utf-8")
        ledger.attachments.add_attachments(ledger.queries.list_tasks()[0].id, [photo])
    return path


@pytest.mark.parametrize("encoding", ["gbk", "cp1252"])
def test_commands_print_utf8_to_pipes_whatever_the_code_page(
    exotic_ledger: Path, encoding: str, tmp_path: Path
) -> None:
    db = str(exotic_ledger)
    commands = [
        ["stats", "--db", db],
        ["export-monthly", "--db", db, "--month", "2026-11", "-o", str(tmp_path / f"月报{EXOTIC}.xlsx")],
        ["signoff", "--db", db, "--closed-in", "2026-11", "-o", str(tmp_path / f"销号{EXOTIC}.pdf")],
        ["evidence-zip", "--db", db, "--all", "-o", str(tmp_path / f"材料{EXOTIC}.zip")],
        ["dump", "--db", db],
    ]
    for command in commands:
        done = run(encoding, "-m", "ledger_app.cli.main", *command)
        err = done.stderr.decode("utf-8")  # UTF-8, or this raises
        out = done.stdout.decode("utf-8")
        assert "Traceback" not in err and "内部错误" not in err, (command, err)
        assert done.returncode in (0, 1), (command, err)
        # Each names the file it wrote (a path outside GBK), or the ledger's own text.
        wanted = "任务总数" if command[0] == "stats" else EXOTIC
        assert wanted in out, (command, out[:200])


def test_errors_go_out_readable_too(tmp_path: Path) -> None:
    done = run("gbk", "-m", "ledger_app.cli.main", "stats", "--db", str(tmp_path / f"没有{EXOTIC}.sqlite3"))
    assert done.returncode == 2
    err = done.stderr.decode("utf-8")
    assert "找不到台账文件" in err and EXOTIC in err


def test_the_self_test_prints_console_safe_marks(tmp_path: Path) -> None:
    done = run("gbk", "-m", "ledger_app.cli.main", "self-test", "--no-qt", "--workdir", str(tmp_path))
    out = done.stdout.decode("utf-8")
    assert out.splitlines()[0][0] in "√×△"
    assert not any(mark in out for mark in "✓✗⚠")
    out.encode("gbk")  # every mark and word fits a Chinese console's code page


@pytest.mark.parametrize("encoding", ["gbk", "cp1252"])
def test_build_scripts_printing_survives_a_redirected_code_page(encoding: str, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "_internal" / f"字体{EXOTIC}.ttf").write_bytes(b"x" * 10)
    archive = tmp_path / f"包{EXOTIC}.zip"
    archive.write_bytes(b"PK")
    script = (
        "import sys; sys.argv=['build.py']; sys.path.insert(0, 'packaging'); import build; "
        "build.setup_streams(); "
        f"print(build.STEP_MARK, 'PyInstaller …', {EXOTIC!r}); "
        f"build.print_summary(__import__('pathlib').Path({str(bundle)!r}), __import__('pathlib').Path({str(archive)!r}), 1.0, 2.0, 3.0); "
        "print(build.FAIL_MARK, build.OK_MARK)"
    )
    done = run(encoding, "-c", script, cwd=ROOT)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    out = done.stdout.decode("utf-8")
    assert EXOTIC in out and "→ PyInstaller" in out and "× √" in out


def test_progress_lines_use_no_escape_sequences(tmp_path: Path) -> None:
    class Console:
        def __init__(self) -> None:
            self.text = ""

        def isatty(self) -> bool:
            return True

        def write(self, text: str) -> None:
            self.text += text

        def flush(self) -> None:
            pass

    console = Console()
    line = ProgressLine(console, columns=20)  # type: ignore[arg-type]
    line.show("正在复制第 1/20 个文件:现场照片.jpg")
    line.show("完成")
    line.clear()
    assert "\x1b" not in console.text
    assert display_width(fit("正在复制第 1/20 个文件", 20)) <= 20
    # The shorter second line is padded over the first one's leftovers.
    first, second = console.text.split("\r")[1:3]
    assert display_width(second) == display_width(first)


def test_every_chinese_name_in_the_evidence_zip_carries_the_utf8_flag(
    exotic_ledger: Path, tmp_path: Path
) -> None:
    # Windows' built-in zip (Explorer) reads names as UTF-8 only when general-purpose bit 11 is set;
    # without it they come out in the OEM code page as mojibake.
    import zipfile

    out = tmp_path / "材料.zip"
    done = run(
        "gbk",
        "-m",
        "ledger_app.cli.main",
        "evidence-zip",
        "--db",
        str(exotic_ledger),
        "--all",
        "-o",
        str(out),
    )
    assert done.returncode == 0, done.stderr.decode("utf-8")
    with zipfile.ZipFile(out) as archive:
        infos = archive.infolist()
    assert infos
    for info in infos:
        assert not info.filename.isascii()
        assert info.flag_bits & 0x800, info.filename
