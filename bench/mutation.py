"""Mutation testing of the modules whose output a clerk hands in or relies on (issue 24).

    .venv/bin/python bench/mutation.py                    # every module of MODULES, one after another
    .venv/bin/python bench/mutation.py domain/schedule.py # one module (a path under ledger_app/)
    .venv/bin/python bench/mutation.py --list io/excel_in/status.py   # only show the mutants

Each mutant is one small deliberate bug made in the module's syntax tree: a comparison turned round
(< and <=, == and !=, in and not in, is and is not), + and -, an integer one more or one less, `and`
and `or`, a `not` dropped, True and False, a returned value replaced by None, a string emptied, a
statement of a function body removed. Docstrings, annotations, decorators, imports, log calls and the
words of error messages are left alone.

No mutant is ever written to a file: the project (ledger_app, tests, forms) is copied once to
/tmp/mut/<run>/tree, and one pytest session per module (bench/mutation_worker.py, in that copy) swaps
each mutant into the live module in turn. Only the tests that run the mutated line are run (a line
tracer records, once per module, which test executes which line), fastest first, stopping at the
first failure, each with a timeout. A mutant is *killed* when a test fails, *timeout* when the tests
hang (counted as found), *survived* when they pass, *uncovered* when no test runs its line (a
survivor too), *not applied* when the in-place swap cannot reach it (left out of the score, listed).
Survivors that cannot change behaviour are listed with the reason in bench/mutation_equivalent.txt
and left out of the score. Results: /tmp/mut/<run>/report.md and report.json.

Not part of the test run (bench/ is not collected). One process at a time: the machine is shared.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT_FILE = Path(__file__).with_name("mutation_equivalent.txt")

# module (under ledger_app/, optionally ":function,function" to mutate only those) -> test files
MODULES: dict[str, list[str]] = {
    "domain/deadlines.py": [
        "test_domain_deadlines.py",
        "test_domain_deadlines_quarters.py",
        "test_domain_deadlines_typed.py",
    ],
    "domain/rules.py": ["test_domain_rules.py", "test_services_lifecycle.py"],
    "domain/schedule.py": ["test_domain_schedule.py", "test_io_report_content.py"],
    "domain/stats.py": ["test_domain_stats.py", "test_domain_stats_known.py", "test_io_report_content.py"],
    "io/report_content.py": ["test_io_report_content.py", "test_io_excel_export.py"],
    "io/excel_out/export.py": ["test_io_excel_export.py", "test_io_excel_export_edges.py"],
    "io/excel_out/stats_sheet.py": ["test_io_excel_export.py", "test_io_excel_export_edges.py"],
    "io/excel_out/sheet.py": [
        "test_io_excel_export.py",
        "test_io_excel_export_edges.py",
        "test_io_excel_sheet_known.py",
    ],
    "io/excel_out/text.py": [
        "test_io_excel_export.py",
        "test_io_excel_export_edges.py",
        "test_io_excel_text_known.py",
    ],
    "io/excel_out/save.py": [
        "test_io_excel_export.py",
        "test_io_excel_export_edges.py",
        "test_store_storage_failures.py",
        "test_io_excel_save_known.py",
    ],
    "io/pdf/inputs.py": [
        "test_io_pdf_inputs_known.py",
        "test_io_pdf_inputs.py",
        "test_io_pdf_forms.py",
        "test_io_pdf_summary_known.py",
    ],
    "io/pdf/signoff.py": [
        "test_io_pdf_signoff_content.py",
        "test_io_pdf_forms.py",
        "test_io_pdf_signoff_layout.py",
        "test_io_pdf_signoff_geometry_known.py",
    ],
    "services/tasks.py": [
        "test_services_tasks_known.py",
        "test_services_tasks.py",
        "test_services_tasks_edges.py",
        "test_services_progress_dates.py",
        "test_services_unknown_deadline.py",
        "test_services_stale_edits.py",
    ],
    "services/lifecycle.py": ["test_services_lifecycle_edges.py", "test_services_lifecycle.py"],
    "io/excel_in/status.py": [
        "test_io_xl_status_words.py",
        "test_io_excel_import_parts.py",
        "test_io_excel_import_shapes.py",
    ],
    "io/excel_in/task_state.py": [
        "test_io_excel_import_state_known.py",
        "test_io_excel_import_shapes.py",
        "test_io_excel_import_parts.py",
        "test_io_excel_import.py",
        "test_io_excel_import_report_shape.py",
        "test_services_importing.py",
    ],
    "io/excel_in/measures.py:_deadline,measure_details": [
        "test_io_excel_measures_known.py",
        "test_io_excel_import_parts.py",
        "test_io_excel_import.py",
        "test_io_report_content.py",
    ],
    # issue 24, second part: the plan reader, the units' replies, the overview figures, backups/restore.
    "io/plan/parse.py": [
        "test_io_plan_known.py",
        "test_io_plan_docx_known.py",
        "test_io_plan_text.py",
        "test_io_plan_docx.py",
    ],
    "io/plan/lines.py": ["test_io_plan_lines_known.py", "test_io_plan_known.py", "test_io_plan_text.py"],
    "io/plan/numbering.py": ["test_io_plan_numbering_known.py", "test_io_plan_docx.py"],
    "io/plan/table.py": ["test_io_plan_docx_known.py", "test_io_plan_docx.py"],
    "io/plan/inline.py": ["test_io_plan_known.py", "test_io_plan_text.py"],
    "io/plan/reading.py": ["test_io_plan_known.py", "test_io_plan_docx_known.py", "test_io_plan_text.py"],
    "io/plan/furniture.py": ["test_io_plan_lines_known.py", "test_io_plan_known.py"],
    "io/plan/drafts.py": ["test_io_plan_lines_known.py", "test_io_plan_known.py"],
    "io/plan/source.py:lines_of_text,decode_text,_decode,_garbage_share,_paragraph_text,_cell_text,read_docx_bytes,_dedupe_spans": [
        "test_io_plan_source_known.py",
        "test_io_plan_text.py",
        "test_io_plan_docx.py",
    ],
    "io/excel_in/unit_reply.py": ["test_io_unit_reply_known.py"],
    "io/excel_out/unit_sheet.py": ["test_io_unit_sheet_known.py"],
    "io/excel_out/unit_sheet_writer.py": ["test_io_unit_sheet_known.py"],
    "domain/overview.py": [
        "test_domain_overview.py",
        "test_domain_overview_known.py",
        "test_domain_progress_report_known.py",
    ],
    "domain/ranking.py": [
        "test_domain_overview.py",
        "test_domain_ranking_known.py",
        "test_domain_overview_known.py",
    ],
    "domain/progress_report.py": ["test_domain_progress_report_known.py", "test_domain_overview.py"],
    "services/overview.py": ["test_services_overview_known.py"],
    "domain/retention.py": ["test_domain_retention.py", "test_domain_retention_known.py"],
    "store/backup.py": ["test_store_backup_known.py", "test_store_backups.py", "test_store_backup.py"],
    "services/backups.py": ["test_services_backups_known.py"],
    "services/archive.py": ["test_services_archive_known.py"],
}

MUTANT_CAP = 180.0  # seconds: a mutant still running after this hangs in C code; the worker is restarted
COVERAGE_CAP = 900.0  # seconds for the worker's first pass over the tests, with the line tracer
SURVIVED = ("survived", "uncovered")
WARNINGS: list[str] = []
MARKS = {"killed": ".", "timeout": "T", "survived": "S", "uncovered": "U", "not applied": "n"}
LOG_CALLS = {"debug", "info", "warning", "error", "exception", "log"}


# -- mutants --------------------------------------------------------------------------------------
@dataclass
class Mutant:
    index: int
    line: int  # the line of the mutated node
    start_line: int  # the first line of the statement holding it: coverage counts from there
    end_line: int  # the last line of the node (a compound statement's body is not included)
    description: str
    source_line: str  # the line of the node itself
    in_function: bool  # module-level code runs at import: every mapped test covers it
    outcome: str = ""
    tests_run: int = 0
    seconds: float = 0.0
    equivalent: str = ""


SWAP_CMP = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In,
}  # fmt: skip
SWAP_BIN = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.FloorDiv,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult,
}
SYMBOL = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=", ast.Is: "is",
    ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in", ast.Add: "+", ast.Sub: "-", ast.Mult: "*",
    ast.Div: "/", ast.FloorDiv: "//", ast.And: "and", ast.Or: "or",
}  # fmt: skip


def _skipped_nodes(tree: ast.Module) -> set[int]:
    """Ids of nodes never mutated: docstrings, annotations, decorators, exception messages, log calls."""
    skip: set[int] = set()

    def all_of(node: ast.AST | None) -> None:
        if node is not None:
            skip.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        ):
            all_of(first)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            all_of(node.returns)
            for dec in node.decorator_list:
                all_of(dec)
        elif isinstance(node, ast.ClassDef):
            for dec in node.decorator_list:
                all_of(dec)
        elif isinstance(node, ast.arg | ast.AnnAssign):
            all_of(node.annotation)
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            # The words of an error message are not figures; the raise itself is still removed.
            for arg in [*node.exc.args, *(k.value for k in node.exc.keywords)]:
                all_of(arg)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in LOG_CALLS
        ):
            if isinstance(node.func.value, ast.Name) and node.func.value.id in {
                "log",
                "logger",
                "_log",
                "LOG",
            }:
                all_of(node)
        elif (
            (isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
            or (
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
            )
            or isinstance(node, ast.ImportFrom | ast.Import)
        ):
            all_of(node)
    return skip


def _in_functions(tree: ast.Module, names: set[str] | None) -> set[int]:
    """Ids of the nodes inside the named functions (methods included); all nodes when no names."""
    if not names:
        return {id(n) for n in ast.walk(tree)}
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in names:
            inside.update(id(n) for n in ast.walk(node))
    return inside


def _edits(node: ast.AST, parent_stmt: ast.stmt | None) -> list[tuple[str, object]]:
    """The mutations one node allows: (description, replacement maker argument)."""
    found: list[tuple[str, object]] = []
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in SWAP_CMP:
                found.append((f"{SYMBOL[type(op)]} -> {SYMBOL[SWAP_CMP[type(op)]]}", ("cmp", i)))
    elif isinstance(node, ast.BinOp | ast.AugAssign) and type(node.op) in SWAP_BIN:
        found.append((f"{SYMBOL[type(node.op)]} -> {SYMBOL[SWAP_BIN[type(node.op)]]}", ("bin",)))
    elif isinstance(node, ast.BoolOp):
        other = "or" if isinstance(node.op, ast.And) else "and"
        found.append((f"{SYMBOL[type(node.op)]} -> {other}", ("bool",)))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        found.append(("not x -> x", ("not",)))
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            found.append((f"{value} -> {not value}", ("const", not value)))
        elif isinstance(value, int):
            found.append((f"{value} -> {value + 1}", ("const", value + 1)))
            found.append((f"{value} -> {value - 1}", ("const", value - 1)))
        elif isinstance(value, str) and value:
            shown = value if len(value) <= 12 else value[:12] + "…"
            found.append((f"{shown!r} -> ''", ("const", "")))
    elif isinstance(node, ast.Return) and node.value is not None and not _is_none(node.value):
        found.append(("return x -> return None", ("return",)))
    stub = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and node.value.value is ...
    if (
        isinstance(node, ast.Expr | ast.Assign | ast.AugAssign | ast.Raise)
        and parent_stmt is not None
        and not stub
    ):
        # A bare ``...`` (a Protocol's or an overload's body) does nothing to remove.
        found.append((f"remove statement ({type(node).__name__})", ("remove",)))
    return found


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _apply(node: ast.AST, how: tuple) -> ast.AST:
    kind = how[0]
    if kind == "cmp":
        node.ops[how[1]] = SWAP_CMP[type(node.ops[how[1]])]()
    elif kind == "bin":
        node.op = SWAP_BIN[type(node.op)]()
    elif kind == "bool":
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif kind == "not":
        return node.operand
    elif kind == "const":
        node.value = how[1]
    elif kind == "return":
        node.value = ast.Constant(None)
    elif kind == "remove":
        return ast.Pass()
    return node


def _walk_with_stmt(tree: ast.AST):
    """(node, innermost statement holding it, whether that statement is inside a function body)."""

    def visit(node: ast.AST, stmt: ast.stmt | None, in_func: bool):
        if isinstance(node, ast.stmt):
            yield node, node, in_func
            stmt = node
        else:
            yield node, stmt, in_func
        inner = in_func or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for child in ast.iter_child_nodes(node):
            yield from visit(child, stmt, inner)

    yield from visit(tree, None, False)


def make_mutants(source: str, functions: set[str] | None) -> tuple[list[Mutant], list[tuple[int, tuple]]]:
    tree = ast.parse(source)
    skip = _skipped_nodes(tree)
    wanted = _in_functions(tree, functions)
    lines = source.splitlines()
    mutants: list[Mutant] = []
    plans: list[tuple[int, tuple]] = []  # (position of the node in the walk, how)
    for position, (node, stmt, in_func) in enumerate(_walk_with_stmt(tree)):
        if id(node) in skip or id(node) not in wanted or stmt is None:
            continue
        for description, how in _edits(node, stmt if (in_func and node is stmt) else None):
            line = getattr(node, "lineno", stmt.lineno)
            # Coverage is by line: a whole simple statement, or a compound one's header up to the node.
            end = (stmt.end_lineno if node is stmt else node.end_lineno) or line
            mutants.append(
                Mutant(len(mutants), line, stmt.lineno, end, description, lines[line - 1].strip(), in_func)
            )
            plans.append((position, how))
    return mutants, plans


def mutated_tree(source: str, plan: tuple[int, tuple]) -> ast.Module:
    tree = ast.parse(source)
    target_position, how = plan
    for position, (node, _, _) in enumerate(_walk_with_stmt(tree)):
        if position == target_position:
            replacement = _apply(node, how)
            if replacement is not node:
                _replace(tree, node, replacement)
            break
    return ast.fix_missing_locations(tree)


def _replace(tree: ast.AST, old: ast.AST, new: ast.AST) -> None:
    ast.copy_location(new, old)
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, name, new)
                return
            if isinstance(value, list) and any(v is old for v in value):
                value[next(i for i, v in enumerate(value) if v is old)] = new
                return


# -- the run --------------------------------------------------------------------------------------
def snapshot(run_dir: Path, source: Path = ROOT) -> Path:
    """A copy of the project to run in, so that others' edits during the run change nothing."""
    work = run_dir / "tree"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("ledger_app", "tests", "forms"):
        shutil.copytree(source / name, work / name, ignore=ignore)
    shutil.copy2(source / "pyproject.toml", work / "pyproject.toml")
    (work / "resources").symlink_to(ROOT / "resources")  # read only, 23 MB of fonts
    return work


def load_equivalents() -> list[tuple[str, str, str, str]]:
    """(module, source line, mutation, why) from bench/mutation_equivalent.txt ('|'-separated)."""
    found = []
    if EQUIVALENT_FILE.exists():
        for raw in EQUIVALENT_FILE.read_text(encoding="utf-8").splitlines():
            if raw.strip() and not raw.startswith("#"):
                module, line, mutation, why = (p.strip() for p in raw.split(" | ", 3))
                found.append((module, line, mutation, why))
    return found


class WorkerFailed(Exception):
    pass


@dataclass
class ModuleResult:
    module: str
    mutants: list[Mutant] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, outcome: str) -> int:
        return sum(m.outcome == outcome and not m.equivalent for m in self.mutants)

    @property
    def score(self) -> float:
        found = self.count("killed") + self.count("timeout")
        judged = found + self.count("survived") + self.count("uncovered")
        return found / judged if judged else 1.0


def mutate_module(spec: str, tests: list[str], work: Path, run_dir: Path) -> ModuleResult:
    """Runs the module's mutants in bench/mutation_worker.py (restarted after a mutant that hangs)."""
    path_part, _, funcs = spec.partition(":")
    source = (work / "ledger_app" / path_part).read_text(encoding="utf-8")
    mutants, _ = make_mutants(source, set(funcs.split(",")) if funcs else None)
    result = ModuleResult(spec, mutants)
    stem = path_part.removesuffix(".py").replace("/", "_")
    out, log = run_dir / f"{stem}.jsonl", run_dir / f"{stem}.log"
    out.unlink(missing_ok=True)
    started = time.perf_counter()
    start = 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, str(Path(__file__).with_name("mutation_worker.py")), spec]
    command += [f"tests/{t}" for t in tests]
    while start < len(mutants):
        with log.open("a", encoding="utf-8") as log_file:
            worker = subprocess.Popen(
                [*command, "--out", str(out), "--start", str(start)],
                cwd=work, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        try:
            start = _watch(worker, out, mutants, start)
        except WorkerFailed as failed:  # e.g. a mapped test fails on the real code: say so, go on
            WARNINGS.append(f"{spec}: {failed}; mutants without an outcome are not scored")
            break
    result.seconds = time.perf_counter() - started
    print()
    mark_equivalents(result)
    return result


def mark_equivalents(result: ModuleResult) -> None:
    """Only a survivor can be equivalent: two mutants may share a line and a description."""
    for _, line_text, mutation, why in (e for e in load_equivalents() if e[0] == result.module):
        for mutant in result.mutants:
            if mutant.outcome in SURVIVED and (line_text, mutation) == (
                mutant.source_line,
                mutant.description,
            ):
                mutant.equivalent = why


def _watch(worker: subprocess.Popen, out: Path, mutants: list[Mutant], start: int) -> int:
    """Follows a worker's results; returns the index to restart from (len(mutants) when done)."""
    seen = 0
    in_flight: tuple[int, float] | None = None
    began = time.monotonic()
    while True:
        lines = out.read_text(encoding="utf-8").splitlines() if out.exists() else []
        for raw in lines[seen:]:
            record = json.loads(raw)
            if "final_check_failures" in record:
                if record["final_check_failures"]:
                    WARNINGS.append(
                        f"{out.stem}: after the mutants, tests fail on the real code (kills not to be trusted): "
                        f"{record['final_check_failures'][:5]}"
                    )
                continue
            if record.get("started"):
                in_flight = (record["index"], time.monotonic())
                continue
            mutant = mutants[record["index"]]
            mutant.outcome, mutant.tests_run, mutant.seconds = (
                record["outcome"],
                record["tests_run"],
                record["seconds"],
            )
            in_flight = None
            print(MARKS[mutant.outcome], end="", flush=True)
        seen = len(lines)
        finished = worker.poll() is not None
        hung = in_flight is not None and time.monotonic() - in_flight[1] > MUTANT_CAP
        if hung or (
            in_flight is None and not finished and time.monotonic() - began > COVERAGE_CAP and not seen
        ):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGKILL)  # the worker's own process group, nothing else
            worker.wait()
            if in_flight is None:
                raise WorkerFailed("the worker hung before its first mutant (see the .log in the run folder)")
            mutants[in_flight[0]].outcome = "timeout"
            print(MARKS["timeout"], end="", flush=True)
            return in_flight[0] + 1
        if finished:
            if worker.returncode != 0:
                raise WorkerFailed(f"the worker stopped with code {worker.returncode} (see {out.stem}.log)")
            return len(mutants)
        time.sleep(0.2)


def report(results: list[ModuleResult]) -> str:
    out = ["| module | mutants | killed | timeout | survived | uncovered | not applied | equivalent | score | time |",
           "|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for r in results:
        equivalent = sum(bool(m.equivalent) for m in r.mutants)
        out.append(
            f"| {r.module} | {len(r.mutants)} | {r.count('killed')} | {r.count('timeout')} | {r.count('survived')}"
            f" | {r.count('uncovered')} | {r.count('not applied')} | {equivalent} | {r.score:.0%} | {r.seconds:.0f} s |"
        )
    out += [f"\nWARNING {w}" for w in WARNINGS]
    for r in results:
        left = [m for m in r.mutants if m.outcome in SURVIVED and not m.equivalent]
        if left:
            out.append(f"\nSurvivors in {r.module}:")
            out += [f"  line {m.line}: {m.description:28} [{m.outcome}]  {m.source_line[:90]}" for m in left]
        missed = [m for m in r.mutants if m.outcome == "not applied"]
        if missed:
            out.append(f"\nNot applied in {r.module} (the in-place swap cannot reach them; not scored):")
            out += [f"  line {m.line}: {m.description:28} {m.source_line[:90]}" for m in missed]
        equivalent = [m for m in r.mutants if m.equivalent]
        if equivalent:
            out.append(f"\nEquivalent in {r.module} (left out of the score):")
            out += [f"  line {m.line}: {m.description:28} {m.equivalent}" for m in equivalent]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="modules under ledger_app/ (default: all of MODULES)")
    parser.add_argument("--list", action="store_true", help="only list the mutants")
    parser.add_argument("--run-dir", type=Path, default=Path("/tmp/mut") / time.strftime("run-%Y%m%d-%H%M%S"))
    parser.add_argument("--rescore", type=Path, metavar="RUN_DIR", help="re-read a run's report.json")
    parser.add_argument(
        "--tree", type=Path, default=ROOT, help="the project tree to copy (default: this one)"
    )
    args = parser.parse_args(argv)
    specs = [
        s for s in MODULES if not args.modules or s.partition(":")[0] in args.modules or s in args.modules
    ]
    if not specs:
        parser.error(f"unknown module; known: {', '.join(MODULES)}")
    if args.rescore:
        # The run's outcomes again, with the equivalents file as it is now.
        saved = json.loads((args.rescore / "report.json").read_text(encoding="utf-8"))
        results = []
        for entry in saved:
            mutants = [Mutant(**{**m, "equivalent": ""}) for m in entry["mutants"]]
            result = ModuleResult(entry["module"], mutants, entry["seconds"])
            mark_equivalents(result)
            results.append(result)
        text = report(results)
        (args.rescore / "report.md").write_text(text + "\n", encoding="utf-8")
        print(text)
        return 0
    if args.list:
        for spec in specs:
            path, _, funcs = spec.partition(":")
            mutants, _ = make_mutants((ROOT / "ledger_app" / path).read_text(encoding="utf-8"),
                                      set(funcs.split(",")) if funcs else None)  # fmt: skip
            print(f"{spec}: {len(mutants)} mutants")
            for m in mutants:
                print(f"  {m.line}: {m.description:28} {m.source_line[:90]}")
        return 0
    args.run_dir.mkdir(parents=True, exist_ok=True)
    work = snapshot(args.run_dir, args.tree)
    results = []
    for spec in specs:
        print(f"{spec}: ", end="", flush=True)
        results.append(mutate_module(spec, MODULES[spec], work, args.run_dir))
    text = report(results)
    print(text)
    (args.run_dir / "report.md").write_text(text + "\n", encoding="utf-8")
    (args.run_dir / "report.json").write_text(
        json.dumps([{"module": r.module, "seconds": r.seconds, "mutants": [asdict(m) for m in r.mutants]}
                    for r in results], ensure_ascii=False, indent=1),
        encoding="utf-8",
    )  # fmt: skip
    print(f"\nreport: {args.run_dir / 'report.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
