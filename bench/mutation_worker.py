"""The worker of bench/mutation.py: one pytest session that runs every mutant of one module.

Started by mutation.py in the copy of the project: ``python mutation_worker.py SPEC TESTS… --out F``.
Collecting the tests and setting up the session's fixtures once, then swapping the mutated code into
the live module, makes a mutant cost the tests it needs (tenths of a second) instead of a new
interpreter and a new collection (3-6 s here).

How a mutant is put in place: the mutated source is executed into a fresh namespace; every function
of the module (methods, properties, decorated functions included) whose code differs gets the new
code object (``f.__code__``), which every holder of ``f`` sees, including other modules that did
``from … import f``; a module-level value that differs (a constant, a table, a compiled pattern)
replaces the module's own. Afterwards the original code and values go back. A change that reaches
neither (the default of a dataclass field, a constant other modules copied by ``from … import``)
is reported as "not applied" rather than counted. A test that takes more than three times its own
time plus five seconds is stopped (SIGALRM) and the mutant counted as a timeout; one that hangs in
C code is killed from outside by mutation.py, which starts a new worker after it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import signal
import sys
import threading
import time
import types
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))  # the copy of the project, not the shared working tree
sys.path.insert(1, str(Path(__file__).resolve().parent))

import pytest
from _pytest.runner import runtestprotocol
from mutation import make_mutants, mutated_tree

# Module-level caches that would hand a mutant the results computed before it (module, name).
CACHES = (
    ("ledger_app.io.excel_in.measures", "_ANNOTATIONS"),
    ("ledger_app.io.excel_in.measures", "_DEADLINES"),
)
DATA_TYPES = (
    int,
    float,
    str,
    bytes,
    tuple,
    list,
    dict,
    set,
    frozenset,
    bool,
    type(None),
    re.Pattern,
    dt.date,
    dt.timedelta,
)


class MutantTimeout(BaseException):
    pass


class NotApplied(Exception):
    pass


def _functions(namespace: dict[str, object]) -> dict[str, types.FunctionType]:
    """Every function of a module's namespace by qualified name: top level and in top-level classes."""
    found: dict[str, types.FunctionType] = {}

    def add(name: str, obj: object) -> None:
        for _ in range(5):  # functools.wraps chains
            if isinstance(obj, staticmethod | classmethod):
                obj = obj.__func__
            if isinstance(obj, property):
                for part, fn in (("get", obj.fget), ("set", obj.fset), ("del", obj.fdel)):
                    if fn is not None:
                        add(f"{name}.{part}", fn)
                return
            if isinstance(obj, types.FunctionType):
                found[name] = obj
                return
            obj = getattr(obj, "__wrapped__", None)
            if obj is None:
                return

    module_name = namespace.get("__name__")
    for name, obj in namespace.items():
        if isinstance(obj, type) and obj.__module__ == module_name:
            for attr, member in vars(obj).items():
                add(f"{name}.{attr}", member)
        else:
            add(name, obj)
    return found


def _holds_own_objects(value: object, module_name: str, depth: int = 0) -> bool:
    """Whether a value holds an object of a class the module itself defines (or the class)."""
    if depth > 4:
        return True
    kind = value if isinstance(value, type) else type(value)
    if getattr(kind, "__module__", None) == module_name:
        return True
    if isinstance(value, dict):
        return any(_holds_own_objects(x, module_name, depth + 1) for kv in value.items() for x in kv)
    if isinstance(value, tuple | list | set | frozenset):
        return any(_holds_own_objects(x, module_name, depth + 1) for x in value)
    return False


class Swap:
    """The mutated module in place of the real one, in the live process; ``undo`` puts it back."""

    def __init__(self, module: types.ModuleType, tree: object, module_level: bool) -> None:
        """``module_level``: the mutant is outside any function, so module-level values may change
        (a pattern built from a mutated piece changes too); else only code is swapped."""
        self.module = module
        self.codes: list[tuple[types.FunctionType, types.CodeType, object, object]] = []
        self.values: list[tuple[dict[str, object], str, object]] = []
        fresh: dict[str, object] = {
            "__name__": module.__name__,
            "__file__": module.__file__,
            "__package__": module.__package__,
            "__spec__": module.__spec__,
            "__builtins__": module.__dict__["__builtins__"],
        }
        code = compile(tree, module.__file__ or "<mutant>", "exec")
        exec(code, fresh)
        old_functions = _functions(module.__dict__)
        for name, new in _functions(fresh).items():
            old = old_functions.get(name)
            if old is None:
                continue
            same_defaults = old.__defaults__ == new.__defaults__ and old.__kwdefaults__ == new.__kwdefaults__
            if old.__code__ != new.__code__ or not same_defaults:
                self.codes.append((old, old.__code__, old.__defaults__, old.__kwdefaults__))
                try:
                    old.__code__ = new.__code__
                except ValueError:  # the closures differ in shape: it cannot be swapped in place
                    self.undo()
                    raise NotApplied from None
                old.__defaults__, old.__kwdefaults__ = new.__defaults__, new.__kwdefaults__
        for name, value in fresh.items():
            if not module_level or not isinstance(value, DATA_TYPES) or name not in module.__dict__:
                continue
            if _holds_own_objects(value, module.__name__):
                continue  # a table of the module's own classes: the fresh copies are other objects
            old_value = module.__dict__[name]
            if type(old_value) is not type(value) or old_value != value:
                self.values.append((module.__dict__, name, old_value))
                module.__dict__[name] = value
                # Modules of the app that copied the value by "from … import NAME" get it too (not the
                # tests: their own copy stays the expected value).
                # Small values (str, int) are shared by identity all over: for them, the same name too.
                small = isinstance(old_value, str | int | float | bool | type(None))
                for other in list(sys.modules.values()):
                    space = getattr(other, "__dict__", None)
                    if other is module or space is None or not other.__name__.startswith("ledger_app."):
                        continue
                    for other_name, held in list(space.items()):
                        if held is old_value and (not small or other_name == name):
                            self.values.append((space, other_name, old_value))
                            space[other_name] = value

    @property
    def applied(self) -> bool:
        return bool(self.codes or self.values)

    def undo(self) -> None:
        for function, code, defaults, kwdefaults in self.codes:
            function.__code__ = code
            function.__defaults__, function.__kwdefaults__ = defaults, kwdefaults
        for space, name, value in reversed(self.values):
            space[name] = value


def _clear_caches() -> None:
    for module_name, name in CACHES:
        module = sys.modules.get(module_name)
        if module is not None and isinstance(getattr(module, name, None), dict):
            getattr(module, name).clear()


class MutationPlugin:
    def __init__(self, spec: str, out: Path, start: int) -> None:
        self.spec = spec
        self.out = out
        self.start = start
        path, _, funcs = spec.partition(":")
        self.fullname = "ledger_app." + path.removesuffix(".py").replace("/", ".")
        self.file = str(Path.cwd() / "ledger_app" / path)
        self.source = Path(self.file).read_text(encoding="utf-8")
        self.mutants, self.plans = make_mutants(self.source, set(funcs.split(",")) if funcs else None)
        self.timed_out = False
        self.setup_failed = False
        self.kills: Counter[str] = Counter()

    # -- running items by hand, keeping the session's fixtures between mutants ---------------------------
    def _run(self, session: pytest.Session, item: pytest.Item, nextitem: pytest.Item | None) -> bool:
        """Runs one test; True when it passed."""
        session._setupstate.teardown_exact(item)  # what the previous run kept and this one does not need
        reports = runtestprotocol(item, log=False, nextitem=nextitem)
        self.setup_failed |= any(r.failed and r.when == "setup" for r in reports)
        return not any(r.failed for r in reports)

    def _coverage(self, session: pytest.Session) -> tuple[dict[str, set[int]], dict[str, float]]:
        lines: dict[str, set[int]] = {}
        seconds: dict[str, float] = {}
        current: set[int] = set()

        def local(frame, event, arg):
            if event == "line":
                current.add(frame.f_lineno)
            return local

        def tracer(frame, event, arg):
            if frame.f_code.co_filename == self.file:
                current.add(frame.f_lineno)
                return local
            return None

        items = session.items
        failed = []
        for i, item in enumerate(items):
            current = set()
            sys.settrace(tracer)
            threading.settrace(tracer)
            t0 = time.perf_counter()
            ok = self._run(session, item, items[i + 1] if i + 1 < len(items) else items[0])
            seconds[item.nodeid] = time.perf_counter() - t0
            sys.settrace(None)
            threading.settrace(None)  # type: ignore[arg-type]
            lines[item.nodeid] = current
            if not ok:
                failed.append(item.nodeid)
        if failed:
            raise SystemExit(f"{self.spec}: tests fail on the real code: {failed[:3]}")
        return lines, seconds

    def _alarm(self, signum, frame) -> None:
        self.timed_out = True
        raise MutantTimeout()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        # The services' parts are imported on first use (services/__init__.py): not always by collection.
        module = sys.modules.get(self.fullname) or importlib.import_module(self.fullname)
        by_item = {item.nodeid: item for item in session.items}
        lines, seconds = self._coverage(session)
        signal.signal(signal.SIGALRM, self._alarm)
        with self.out.open("a", encoding="utf-8") as out:
            for mutant, plan in zip(self.mutants, self.plans, strict=True):
                if mutant.index < self.start:
                    continue
                span = set(range(mutant.start_line, mutant.end_line + 1))
                chosen = [n for n in by_item if not mutant.in_function or lines[n] & span]
                # The tests that killed most mutants of this module so far first, then the quickest.
                chosen.sort(key=lambda n: (-self.kills[n], seconds[n]))
                record = {"index": mutant.index, "tests_run": 0, "seconds": 0.0}
                out.write(json.dumps({"index": mutant.index, "started": True}) + "\n")
                out.flush()
                if not chosen:
                    record["outcome"] = "uncovered"
                else:
                    record.update(
                        self._one(session, module, mutant, plan, [by_item[n] for n in chosen], seconds)
                    )
                out.write(json.dumps(record) + "\n")
                out.flush()
        # The real code must still pass every test: else a mutant left something behind, and the
        # kills after it are not to be trusted.
        items = session.items
        broken = [
            i.nodeid
            for n, i in enumerate(items)
            if not self._run(session, i, items[n + 1] if n + 1 < len(items) else None)
        ]
        with self.out.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"final_check_failures": broken}) + "\n")
        return True

    def _one(self, session, module, mutant, plan, items, seconds) -> dict[str, object]:
        try:
            swap = Swap(module, mutated_tree(self.source, plan), not mutant.in_function)
        except NotApplied:
            return {"outcome": "not applied"}
        except Exception:
            return {"outcome": "killed", "tests_run": 0}
        if not swap.applied:
            swap.undo()
            return {"outcome": "not applied"}
        _clear_caches()
        self.timed_out = False
        self.setup_failed = False
        outcome = "survived"
        t0 = time.perf_counter()
        run = 0
        try:
            for i, item in enumerate(items):
                run += 1
                budget = 3 * seconds[item.nodeid] + 5
                signal.setitimer(signal.ITIMER_REAL, budget)
                try:
                    passed = self._run(
                        session, item, items[i + 1] if i + 1 < len(items) else item.session.items[0]
                    )
                except MutantTimeout:
                    passed = False
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                if self.timed_out:
                    outcome = "timeout"
                    break
                if not passed:
                    outcome = "killed"
                    self.kills[item.nodeid] += 1
                    break
        finally:
            swap.undo()
            _clear_caches()
        # Down to the session: a module's fixture set up under the mutant must not serve the next one.
        session._setupstate.teardown_exact(session)
        if self.setup_failed:
            # A fixture that failed under the mutant is remembered as failed by its scope: start the
            # scopes afresh, and set them up again now, with the real code, so that no fixture
            # built under a mutant serves the next one.
            session._setupstate.teardown_exact(None)
            self._run(session, session.items[0], session.items[0])
        return {"outcome": outcome, "tests_run": run, "seconds": round(time.perf_counter() - t0, 3)}


def main() -> int:
    args = sys.argv[1:]
    out = Path(args[args.index("--out") + 1])
    start = int(args[args.index("--start") + 1]) if "--start" in args else 0
    spec, tests = args[0], [a for a in args[1 : args.index("--out")]]
    plugin = MutationPlugin(spec, out, start)
    return int(
        pytest.main(
            ["-q", "-p", "no:cacheprovider", "-o", "addopts=", "--no-header", "-m", "not slow", *tests],
            plugins=[plugin],
        )
    )


if __name__ == "__main__":
    sys.exit(main())
