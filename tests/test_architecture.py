"""The floors of the house (shared/architecture.md), checked on every import in the source.

    ui/  >  services  >  io/  >  store/  >  domain/

Each floor may import the floors below it, never above. Qt only under ui/. No import cycle between
modules of ledger_app, counting imports inside functions too (a late import hides a cycle from
Python, not from the reader). ``ledger_app.console`` and ``ledger_app.resources`` are plain helpers
any floor may use; the CLI modules and the self-test sit beside ui/, on top of services.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "ledger_app"

FLOORS = {"domain": 0, "store": 1, "io": 2, "services": 3, "ui": 4}
# Top-level modules: where they sit.
TOP = {"console": -1, "resources": -1, "__init__": -1, "__main__": 4, "selftest": 4}
QT = ("PySide6", "shiboken6")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: list[tuple[str, int]] = []
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.append((name, node.lineno))
            # "from . import audit" names a module too
            found += [(f"{name}.{alias.name}", node.lineno) for alias in node.names]
    return found


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:`` (type-only imports never run)."""
    out: list[ast.AST] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        out.append(node)
        for child in ast.iter_child_nodes(node):
            test = child.test if isinstance(child, ast.If) else None
            if test is not None and "TYPE_CHECKING" in ast.unparse(test):
                todo.extend(child.orelse)
                continue
            todo.append(child)
    return out


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def floor_of(module: str) -> int:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in FLOORS:
        return FLOORS[parts[1]]
    name = parts[1] if len(parts) > 1 else "__init__"
    if name.startswith("cli"):
        return 4
    return TOP.get(name, -1)


def test_each_floor_imports_only_the_floors_below_it() -> None:
    modules = all_modules()
    wrong = []
    for name, path in modules.items():
        mine = floor_of(name)
        for target, line in imports_of(path):
            if not target.startswith("ledger_app.") or (
                target not in modules and target.rsplit(".", 1)[0] not in modules
            ):
                continue
            theirs = floor_of(target)
            if theirs > mine and not (mine == 4 and theirs == 4):
                wrong.append(f"{name}:{line} imports {target}")
    assert wrong == []


def test_qt_only_under_ui() -> None:
    wrong = [
        f"{name}:{line} imports {target}"
        for name, path in all_modules().items()
        if floor_of(name) < 4 or name.startswith("ledger_app.cli.main")
        for target, line in imports_of(path)
        if target.split(".")[0] in QT
    ]
    assert wrong == []


def test_domain_imports_nothing_of_ours_but_itself() -> None:
    wrong = [
        f"{name}:{line} imports {target}"
        for name, path in all_modules().items()
        if name.startswith("ledger_app.domain")
        for target, line in imports_of(path)
        if target.startswith("ledger_app.") and not target.startswith("ledger_app.domain")
    ]
    assert wrong == []


def test_no_import_cycle_between_modules() -> None:
    modules = all_modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for target, _line in imports_of(path):
            if target in modules and target != name:
                graph[name].add(target)
            elif target.rsplit(".", 1)[0] in modules and target.rsplit(".", 1)[0] != name:
                graph[name].add(target.rsplit(".", 1)[0])
    # A package's __init__ re-exporting its modules is not a cycle a reader gets lost in.
    for name in modules:
        if (PACKAGE.parent / Path(*name.split("."))).is_dir():
            graph[name] = {t for t in graph[name] if not t.startswith(name + ".")}
    cycles = strongly_connected(graph)
    assert cycles == []


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of modules that import each other in a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


# -- the Ledger facade (services/__init__.py) --------------------------------------------------------
# Its transactions are for the services: the GUI and the CLI call the parts' methods
# (``ledger.tasks.create_task``), never ``ledger.reading()`` / ``ledger.changing()``, and never a
# ``_private`` attribute of the ledger or of one of its parts.
SERVICES_ONLY = {"reading", "changing", "check_writable"}
LEDGER_NAME = re.compile(r"_?(?:\w+_)?ledger\d*|led|lg")


def ledger_names(tree: ast.AST) -> set[str]:
    """Names the module binds to a ledger besides the ones named like one: annotated ``Ledger``, or
    assigned from ``Ledger.open(...)`` / ``open_ledger(...)``."""
    found: set[str] = set()

    def is_opening(value: ast.AST | None) -> bool:
        if not isinstance(value, ast.Call):
            return False
        text = ast.unparse(value.func)
        return text.endswith(("Ledger.open", "open_ledger")) or text == "Ledger"

    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and node.annotation is not None:
            if re.fullmatch(r"['\"]?Ledger( \| None)?['\"]?", ast.unparse(node.annotation)):
                found.add(node.arg)
        elif isinstance(node, ast.Assign) and is_opening(node.value):
            found |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif (
            isinstance(node, ast.withitem)
            and is_opening(node.context_expr)
            and isinstance(node.optional_vars, ast.Name)
        ):
            found.add(node.optional_vars.id)
    return found


def reaches_a_ledger(node: ast.AST, names: set[str]) -> bool:
    """Whether ``node`` is a ledger or one of its parts: some link of its dotted chain is a ledger."""
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        if isinstance(node, ast.Attribute) and LEDGER_NAME.fullmatch(node.attr):
            return True
        node = node.func if isinstance(node, ast.Call) else node.value
    return isinstance(node, ast.Name) and (LEDGER_NAME.fullmatch(node.id) is not None or node.id in names)


def facade_misuse(source: str) -> list[tuple[int, str]]:
    """(line, expression) of each use of a ledger's services-only or private attributes."""
    tree = ast.parse(source)
    names = ledger_names(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        private = node.attr.startswith("_") and not node.attr.startswith("__")
        if (private or node.attr in SERVICES_ONLY) and reaches_a_ledger(node.value, names):
            found.append((node.lineno, ast.unparse(node)))
    return sorted(found)


def test_the_gui_and_the_cli_use_only_the_ledgers_public_parts() -> None:
    wrong = [
        f"{name}:{line} uses {expr}"
        for name, path in all_modules().items()
        if floor_of(name) == 4
        for line, expr in facade_misuse(path.read_text(encoding="utf-8"))
    ]
    assert wrong == []


def test_the_facade_check_finds_a_session_or_a_private_name() -> None:
    source = (
        "def f(ledger, window, copy: Ledger):\n"
        "    with ledger.reading() as session: pass\n"  # 2
        "    window.ledger.overview._history_cache = None\n"  # 3
        "    with Ledger.open(p) as other:\n"
        "        other.changing('x')\n"  # 5
        "    copy.tasks._check_seq_free(1)\n"  # 6
        "    ledger.tasks.create_task(description='x')\n"  # fine
        "    self._ledger_actions.append(1)\n"  # fine: the window's own list
        "    ledger_files.open_ledger(p)._private\n"  # 9: the ledger it opened
    )
    assert [line for line, _ in facade_misuse(source)] == [2, 3, 5, 6, 9]


def test_no_module_of_the_services_imports_another_modules_private_names() -> None:
    wrong = [
        f"{name}:{node.lineno} imports {alias.name} from {node.module}"
        for name, path in all_modules().items()
        if name.startswith("ledger_app.services")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]
    assert wrong == []
