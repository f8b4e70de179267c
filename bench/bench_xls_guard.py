"""Measure the hand-written guards against hostile workbooks next to the two ways to replace them (issue 19).

    .venv/bin/python bench/bench_xls_guard.py [--tasks 10000] [--runs 5] [--fuzz 300] [--limit-mb 1024] [--frozen]

The guards (ledger_app/io/excel_in/safety.py, cfb.py, extent.py) look at a workbook before
python-calamine reads it, because a hostile file can make the Rust reader allocate without bound
or abort the whole process. The candidates:

  olefile   the olefile library reads the compound file (.xls) instead of cfb.py's own walk; our
            BIFF scan (DIMENSIONS, cell extent, FILEPASS) then runs on the stream olefile returns
  child     calamine reads the workbook in a child process under a memory limit (RLIMIT_AS here,
            a Job Object on Windows) and a time limit, and sends the rows back pickled, so an
            abort or a blow-up ends the child, not the app

Four tables:
  1. time to vet a realistic ledger (bench_excel_import's shape, --tasks tasks), in-process
  2. what each way does with the hostile corpus: the files of tests/test_io_excel_import_hostile.py,
     tests/cfb_mutations.py, and --fuzz cases of tests/xlsx_mutations.py; each file is also given
     to calamine alone, in a limited child, to learn which ones really kill the reader
  3. the cost of reading in a child: start-up, the reading, sending 10k tasks' rows back (--frozen:
     also in a PyInstaller one-folder program, the worker being the program itself relaunched)
  4. lines of code

Tables 2 and 3 run on Linux only: probing calamine without risking the machine needs RLIMIT_AS.
olefile is optional (pip install olefile): without it its rows are left out.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import multiprocessing
import os
import pickle
import random
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

try:
    import olefile
except ImportError:
    olefile = None

RAW_CHILD = r"""
import io, sys
import python_calamine as pc
data = open(sys.argv[1], "rb").read()
book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
rows = 0
for meta in book.sheets_metadata:
    if meta.typ != pc.SheetTypeEnum.WorkSheet:
        continue
    sheet = book.get_sheet_by_name(meta.name)
    sheet.merged_cell_ranges
    if sheet.start is None:
        continue
    for rows, _ in enumerate(sheet.iter_rows(), rows + 1):
        if rows > 5000:
            break
print(rows)
"""

READ_CHILD = r"""
import pickle, resource, sys
sys.path.insert(0, sys.argv[1])
limit = int(sys.argv[3])
if limit:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from bench.bench_xls_guard import read_sheets
sheets = read_sheets(open(sys.argv[2], "rb").read(), vet=sys.argv[4] == "1")
sys.stdout.buffer.write(pickle.dumps(sheets, pickle.HIGHEST_PROTOCOL))
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec, so it would report the parent's size.
status = open("/proc/self/status").read().split("VmHWM:")[1]
sys.stderr.write(str(int(status.split()[0]) // 1024))
"""


# -- the two ways of vetting and reading ----------------------------------------------------------------
def read_sheets(data: bytes, vet: bool = True) -> list[Any]:
    """Every worksheet as the importer reads it (reader.SheetData), vetted by the guards or not."""
    import python_calamine

    from ledger_app.io.excel_in import reader

    if vet:
        book = reader.open_workbook(data)
        try:
            return [book.read_sheet(name) for name in book.sheet_names]
        finally:
            book.close()
    raw = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [
        reader._read_sheet(raw.get_sheet_by_name(meta.name), meta.name, True)
        for meta in raw.sheets_metadata
        if meta.typ == python_calamine.SheetTypeEnum.WorkSheet
    ]


def inspect_ole_olefile(data: bytes) -> Any:
    """cfb.inspect_ole with olefile walking the compound file in place of cfb._Cfb."""
    from ledger_app.io.excel_in.cfb import CfbRefused, OleReport, _scan_biff

    try:
        ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
        names = ["/".join(parts) for parts in ole.listdir()]
        report = OleReport(streams=names)
        if "EncryptedPackage" in names or "EncryptionInfo" in names:
            report.encrypted_package = True
            return report
        for wanted in ("Workbook", "Book", "WORKBOOK", "BOOK"):
            if wanted in names:
                report.biff_stream = wanted
                _scan_biff(ole.openstream(wanted).read(), report)
                break
        return report
    except CfbRefused:
        raise
    except Exception as exc:  # olefile's OleFileError, OSError, struct.error…
        raise CfbRefused("复合文档结构不完整,文件已损坏。") from exc


@contextlib.contextmanager
def olefile_in_place():
    from ledger_app.io.excel_in import safety

    original = safety.inspect_ole
    safety.inspect_ole = inspect_ole_olefile
    try:
        yield
    finally:
        safety.inspect_ole = original


def verdict(data: bytes) -> str:
    from ledger_app.io.excel_in.safety import UnsafeWorkbook, check_workbook

    try:
        check_workbook(data)
    except UnsafeWorkbook as exc:
        return "refused: " + exc.message_zh
    return "passed"


def _limit(limit_bytes: int) -> Callable[[], None] | None:
    if resource is None or not limit_bytes:
        return None

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))

    return apply


def raw_calamine(path: Path, limit_bytes: int, timeout: float) -> tuple[str, float]:
    """What calamine alone does with the file, in a child: ok, error, ABORT (signal) or HANG."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", RAW_CHILD, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_limit(limit_bytes),
    )
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return "HANG", time.perf_counter() - started
    seconds = time.perf_counter() - started
    if process.returncode < 0:
        return "ABORT", seconds
    return ("ok" if process.returncode == 0 and out.strip() else "error"), seconds


# -- workbooks ---------------------------------------------------------------------------------------------
def ledgers(directory: Path, tasks: int) -> dict[str, Path]:
    """The same ledger three ways: .xlsx as openpyxl writes it (inline strings: a 33 MB sheet at 10k
    tasks, the heaviest case for the XML scans), .xlsx as Excel saves it (shared strings), and .xls."""
    import ledger_app  # noqa: F401 - before openpyxl: no lxml, whose numeric references double the XML
    from bench import bench_excel_import
    from tests.xlsx_factory import SheetSpec, write_xlsx_raw

    paths = {"xlsx": directory / f"ledger_{tasks}.xlsx", "xlsx sst": directory / f"ledger_{tasks}_sst.xlsx"}
    bench_excel_import.write_xlsx(paths["xlsx"], tasks)
    sheet = SheetSpec("整改台账")
    sheet.row(2, bench_excel_import.HEADER_TOP)
    sheet.row(3, bench_excel_import.HEADER_BOTTOM)
    for row, (_, cells) in enumerate(bench_excel_import.ledger_rows(tasks), start=4):
        sheet.row(row, cells)
    write_xlsx_raw(paths["xlsx sst"], [sheet])
    paths["xls"] = directory / f"ledger_{tasks}.xls"
    bench_excel_import.write_xls(paths["xls"], tasks)
    return paths


def hostile_corpus(directory: Path) -> dict[str, bytes]:
    """The files of tests/test_io_excel_import_hostile.py, and tests/cfb_mutations.py's damaged .xls."""
    from tests import xlsx_factory as f
    from tests.cfb_mutations import cfb_mutations

    whole = f.write_xlsx(directory / "whole.xlsx", f.minimal_ledger()).read_bytes()
    raw = f.write_xlsx_raw(directory / "raw.xlsx", f.minimal_ledger())
    plain = f.write_xls(directory / "plain.xls", f.minimal_ledger()).read_bytes()
    far_xls = f.minimal_ledger()[0]
    far_xls.put(65535, 255, "x")
    name = "Workbook".encode("utf-16-le") + b"\0\0"
    word = "WordDocument".encode("utf-16-le") + b"\0\0"
    at = plain.find(name)
    dims = bytearray(plain)
    dims_at = dims.find(b"\x00\x02\x0e\x00")
    dims[dims_at + 4 : dims_at + 12] = struct.pack("<II", 0, 0xFFFFFFF0)
    corpus = {
        "text renamed .xlsx": "序号,问题描述\n1,污水\n".encode(),
        "HTML saved as .xls": b"<html><body><table><tr><td>x</td></tr></table></body></html>",
        "empty file": b"",
        **{f"xlsx cut to {k:.0%}": whole[: int(len(whole) * k)] for k in (0.1, 0.5, 0.95)},
        **{f"xls cut to {k:.0%}": plain[: int(len(plain) * k)] for k in (0.05, 0.5, 0.9)},
        "password .xlsx": f.encrypted_xlsx(directory / "enc.xlsx", directory).read_bytes(),
        "password .xls": f.xls_with_password(directory / "enc.xls", directory).read_bytes(),
        "Word .doc renamed .xls": plain[:at] + word.ljust(64, b"\0") + struct.pack("<H", len(word)) + plain[at + 66 :],
        "zip bomb (60 MB of spaces)": f.zip_bomb(directory / "bomb.xlsx", megabytes=60).read_bytes(),
        "zip lying about sizes": f.lying_sizes(raw, directory / "lies.xlsx").read_bytes(),
        **{f"value at {ref}": f.far_cell(directory / f"far{ref}.xlsx", ref).read_bytes() for ref in ("XFD1048576", "A1048576", "XFD3")},
        "xls value at IV65536": f.write_xls(directory / "far.xls", [far_xls]).read_bytes(),
        "sharedStrings count 4e9": f.write_xlsx_raw(directory / "sst.xlsx", f.minimal_ledger(), sst_unique_count=4_000_000_000).read_bytes(),
        "xls DIMENSIONS 4e9 rows": bytes(dims),
    }  # fmt: skip
    corpus.update({f"xls {label}": data for label, data in cfb_mutations(plain).items()})
    return corpus


def fuzz_corpus(directory: Path, cases: int, seed: int) -> dict[str, bytes]:
    from tests.xlsx_mutations import mutate

    rng = random.Random(seed)
    corpus = {}
    for index in range(cases):
        path, note = mutate(rng, directory, index)
        corpus[f"fuzz {index}: {note}"] = path.read_bytes()
        path.unlink()
    return corpus


# -- tables ------------------------------------------------------------------------------------------------
def _times(
    action: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter
) -> list[float]:
    action()  # warm-up: imports and caches are not what is measured
    out = []
    for _ in range(runs):
        started = clock()
        action()
        out.append(clock() - started)
    return out


def _cell(values: list[float] | None) -> str:
    if not values:
        return "—"
    return f"{min(values):.3f} / {statistics.median(values):.3f}"


FORMATS = ("xlsx", "xlsx sst", "xls")


def _header(paths: dict[str, Path], label: str) -> None:
    sizes = ", ".join(f".{fmt} {paths[fmt].stat().st_size / 1e6:.1f} MB" for fmt in FORMATS)
    print(f"{label} ({sizes})")
    print(f"   {'':44}{'.xlsx':>15}{'.xlsx (sst)':>15}{'.xls':>15}")


def _row(label: str, cells: dict[str, list[float] | None]) -> None:
    print(f"   {label:44}" + "".join(f"{_cell(cells.get(fmt)):>15}" for fmt in FORMATS))


def table_vetting(paths: dict[str, Path], runs: int) -> None:
    from ledger_app.io.excel_in.cfb import inspect_ole
    from ledger_app.io.excel_in.safety import check_workbook

    data = {fmt: path.read_bytes() for fmt, path in paths.items()}

    def each(action: Callable[[bytes], object], formats: tuple[str, ...] = FORMATS) -> dict[str, list[float]]:
        # CPU time: on a machine shared with other work, wall time here measures the neighbours.
        return {fmt: _times(lambda fmt=fmt: action(data[fmt]), runs, time.process_time) for fmt in formats}

    _header(paths, f"\n1. Vetting in-process, CPU seconds min / median of {runs}")
    _row("guards: check_workbook", each(check_workbook))
    _row("  of which cfb.inspect_ole", each(inspect_ole, ("xls",)))
    if olefile is not None:
        _row("olefile variant of inspect_ole", each(inspect_ole_olefile, ("xls",)))
        _row(
            "  of which olefile alone",
            each(lambda d: olefile.OleFileIO(io.BytesIO(d)).openstream("Workbook").read(), ("xls",)),
        )
    _row("calamine read, not vetted", each(lambda d: read_sheets(d, False)))
    _row("vetted read (open_workbook + read_sheet)", each(read_sheets))


def table_refusals(corpus: dict[str, bytes], directory: Path, limit_bytes: int, timeout: float) -> None:
    """Each file's fate three ways. Today: refused by the guards, else read by calamine in-process (an
    error is a refusal too, a killer is the app's death); olefile: the same with olefile in place of
    cfb.py's walk; child: calamine alone in a limited child, where a killer becomes a refusal."""
    path = directory / "case.bin"
    raw_counts: Counter[str] = Counter()
    ways = ("today: guards, then calamine", "olefile in place of cfb.py", "child: calamine alone, limited")
    rows: dict[str, Counter[str]] = {way: Counter() for way in ways}
    notable: list[str] = []
    slowest_kill = 0.0
    hostile = sum(1 for label in corpus if not label.startswith("fuzz"))
    for label, data in corpus.items():
        path.write_bytes(data)
        raw, seconds = raw_calamine(path, limit_bytes, timeout)
        raw_counts[raw] += 1
        killer = raw in ("ABORT", "HANG")
        if killer:
            slowest_kill = max(slowest_kill, seconds)
        guards = verdict(data)
        other = guards
        if olefile is not None and data.startswith(b"\xd0\xcf\x11\xe0"):
            with olefile_in_place():
                other = verdict(data)
        # (refused, with the guards' own reason)
        fates = {
            ways[0]: (guards != "passed" or raw == "error", guards != "passed"),
            ways[1]: (other != "passed" or raw == "error", other != "passed"),
            ways[2]: (raw != "ok", False),
        }
        today = fates[ways[0]][0]
        group = "fuzz" if label.startswith("fuzz") else "hostile"
        for way, (refused, specific) in fates.items():
            rows[way][f"{group} refused"] += refused
            rows[way]["killers read in-process"] += killer and not refused
            rows[way]["differs from today"] += refused != today
            rows[way]["killers refused, reason lost"] += killer and refused and not specific
            if killer and not refused:
                notable.append(
                    f"   {way.split(':')[0]} reads, in-process, a file that makes calamine {raw}: {label}"
                )
            elif refused != today and not label.startswith("fuzz"):
                notable.append(f"   {way.split(':')[0]} {'refuses' if refused else 'reads'}: {label}")
    print(f"\n2. Hostile corpus: {hostile} hostile files + {len(corpus) - hostile} fuzz cases (--seed)")
    print(
        f"   calamine alone, in a child ({limit_bytes >> 20} MB address space, {timeout:.0f} s): "
        + ", ".join(f"{k} {raw_counts[k]}" for k in ("ok", "error", "ABORT", "HANG"))
        + f"; the slowest abort took {slowest_kill:.2f} s"
    )
    keys = ("hostile refused", "fuzz refused", "killers read in-process", "differs from today",
            "killers refused, reason lost")  # fmt: skip
    print(
        f"   {'':32}" + "".join(f"{key:>14}" for key in ("hostile", "fuzz", "killers", "differs", "reason"))
    )
    print(
        f"   {'':32}"
        + "".join(f"{key:>14}" for key in ("refused", "refused", "let in", "from today", "lost"))
    )
    for way in ways:
        if way == ways[1] and olefile is None:
            continue
        print(f"   {way:32}" + "".join(f"{rows[way][key]:>14}" for key in keys))
    for line in notable:
        print(line)


def _spawn_noop() -> None:
    pass


def _spawn_read(path: str, limit_bytes: int, vet: bool) -> list[Any]:
    if resource is not None and limit_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
    return read_sheets(Path(path).read_bytes(), vet)


_IMPORT_READER = f"import sys; sys.path.insert(0, {str(ROOT)!r}); import ledger_app.io.excel_in.reader"


def _python_c(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


def table_child(paths: dict[str, Path], runs: int, limit_bytes: int) -> None:
    spawn = multiprocessing.get_context("spawn")

    def spawn_noop() -> None:
        process = spawn.Process(target=_spawn_noop)
        process.start()
        process.join()

    rss: dict[str, int] = {}

    def python_c_read(fmt: str, vet: bool) -> Callable[[], object]:
        def run() -> object:
            out = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    READ_CHILD,
                    str(ROOT),
                    str(paths[fmt]),
                    str(limit_bytes),
                    "1" if vet else "0",
                ],
                check=True,
                capture_output=True,
            )
            if vet:
                rss[fmt] = int(out.stderr)
            return pickle.loads(out.stdout)

        return run

    def spawn_read(fmt: str, vet: bool) -> Callable[[], object]:
        def run() -> object:
            with spawn.Pool(1) as pool:
                return pool.apply(_spawn_read, (str(paths[fmt]), limit_bytes, vet))

        return run

    def each(make: Callable[[str], Callable[[], object]]) -> dict[str, list[float]]:
        return {fmt: _times(make(fmt), runs) for fmt in FORMATS}

    sheets = {fmt: read_sheets(path.read_bytes()) for fmt, path in paths.items()}
    _header(paths, f"\n3. Reading in a child process, wall seconds min / median of {runs}")
    _row("bare `python -c pass`", {"xlsx": _times(lambda: _python_c("pass"), runs)})
    _row("`python -c` importing the reader", {"xlsx": _times(lambda: _python_c(_IMPORT_READER), runs)})
    _row("spawn a Process, empty target, join", {"xlsx": _times(spawn_noop, runs)})
    _row("in-process: vet + read", each(lambda fmt: lambda: read_sheets(paths[fmt].read_bytes())))
    _row("`python -c` child: vet + read + rows back", each(lambda fmt: python_c_read(fmt, True)))
    _row("`python -c` child: unvetted read + rows back", each(lambda fmt: python_c_read(fmt, False)))
    _row("spawn Pool(1): unvetted read + rows back", each(lambda fmt: spawn_read(fmt, False)))
    _row(
        "pickle the rows: dumps + loads",
        each(lambda fmt: lambda: pickle.loads(pickle.dumps(sheets[fmt], pickle.HIGHEST_PROTOCOL))),
    )
    blobs = {fmt: len(pickle.dumps(sheets[fmt], pickle.HIGHEST_PROTOCOL)) / 1e6 for fmt in FORMATS}
    print("   pickled rows: " + ", ".join(f".{fmt} {blobs[fmt]:.1f} MB" for fmt in FORMATS))
    print(
        "   child's peak RSS (vetted read): " + ", ".join(f".{fmt} {rss.get(fmt, 0)} MB" for fmt in FORMATS)
    )
    print(
        "   a memory limit without new dependencies: Linux RLIMIT_AS (stdlib resource) "
        f"{'available' if resource else 'not here'}; Windows needs a Job Object through ctypes "
        "(psutil sets no limits on Windows)"
    )


FROZEN_APP = r"""
import multiprocessing, sys, time

def noop():
    return None

def read(path):
    import io, python_calamine as pc
    book = pc.CalamineWorkbook.from_filelike(io.BytesIO(open(path, "rb").read()))
    return [book.get_sheet_by_name(n).to_python() for n in book.sheet_names]

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the frozen exe, relaunched by spawn, turns into the worker here
    spawn = multiprocessing.get_context("spawn")
    for mode in ("noop", "read"):
        times = []
        for _ in range(int(sys.argv[2])):
            started = time.perf_counter()
            with spawn.Pool(1) as pool:
                pool.apply(noop) if mode == "noop" else pool.apply(read, (sys.argv[1],))
            times.append(time.perf_counter() - started)
        print(mode, *times)
"""


def table_frozen(paths: dict[str, Path], runs: int, work: Path) -> None:
    """A minimal PyInstaller one-folder program that reads in a spawned worker, as a frozen GUI would."""
    script = work / "frozen_worker.py"
    script.write_text(FROZEN_APP, encoding="utf-8")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--onedir", "--noconfirm", "--log-level", "ERROR",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"), "--specpath", str(work),
         str(script)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    built = time.perf_counter() - started
    exe = work / "dist" / "frozen_worker" / ("frozen_worker.exe" if os.name == "nt" else "frozen_worker")
    out = subprocess.run([str(exe), str(paths["xls"]), str(runs)], check=True, capture_output=True, text=True)
    times = {line.split()[0]: [float(x) for x in line.split()[1:]] for line in out.stdout.splitlines()}
    print(
        f"\n3b. Frozen (PyInstaller one-folder, built in {built:.0f} s), spawn Pool(1), seconds min / median"
    )
    print(f"   {'start a worker, empty task':44}{_cell(times['noop']):>15}")
    print(f"   {'calamine reads the .xls, all cells back':44}{_cell(times['read']):>15}")


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def table_code() -> None:
    base = ROOT / "ledger_app" / "io" / "excel_in"
    total = {name: _lines(base / name) for name in ("safety.py", "cfb.py", "extent.py")}
    tree = ast.parse((base / "cfb.py").read_text(encoding="utf-8"))
    walk = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "_Cfb")
    cfb_walk = walk.end_lineno - walk.lineno + 1
    variant = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    fn = next(n for n in variant.body if isinstance(n, ast.FunctionDef) and n.name == "inspect_ole_olefile")
    print("\n4. Lines of code")
    print(f"   guards now: {sum(total.values())} ({', '.join(f'{k} {v}' for k, v in total.items())})")
    print(
        f"   olefile would replace cfb._Cfb ({cfb_walk} lines) with about {fn.end_lineno - fn.lineno + 1} "
        "lines, plus a dependency of 2,700 (olefile.py 0.47)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--fuzz", type=int, default=300, help="fuzz cases for table 2")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--limit-mb", type=int, default=1024, help="address space of the probing children")
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--frozen", action="store_true", help="also build and time a PyInstaller worker")
    args = parser.parse_args()
    limit = args.limit_mb << 20
    work = Path(tempfile.mkdtemp(prefix="bench_xls_guard_"))
    try:
        print(
            f"python-calamine {_version('python-calamine')}, olefile {_version('olefile')}, Python {sys.version.split()[0]}"
        )
        paths = ledgers(work, args.tasks)
        table_vetting(paths, args.runs)
        if resource is None:
            print("\n2. and 3. skipped: probing calamine alone needs RLIMIT_AS (Linux)")
            return
        corpus = hostile_corpus(work)
        corpus.update(fuzz_corpus(work, args.fuzz, args.seed))
        table_refusals(corpus, work, limit, args.timeout)
        table_child(paths, args.runs, limit)
        if args.frozen:
            table_frozen(paths, args.runs, work)
        table_code()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


if __name__ == "__main__":
    main()
