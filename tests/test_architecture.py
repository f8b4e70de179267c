"""The floors of the house (shared/architecture.md), checked on every import in the source.

    ui/  >  services  >  io/  >  store/  >  domain/

Each floor may import the floors below it, never above. Qt only under ui/. No import cycle between
modules of ledger_app, counting imports inside functions too (a late import hides a cycle from
Python, not from the reader). ``ledger_app.console`` and ``ledger_app.resources`` are plain helpers
any floor may use; the CLI modules and the self-test sit beside ui/, on top of services.
"""

from __future__ import annotations

import ast
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
