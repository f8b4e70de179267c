"""What the PyInstaller bundle ships, in one place: ``ledger_app.spec`` builds from it, ``build.py`` stamps
versions with it and ``tests/test_packaging.py`` checks it against what the code asks for.

Plain Python (no PyInstaller import at module level), so the test runs where PyInstaller is absent.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ledger_app"

APP_NAME = "ledger-app"  # the bundle folder and the windowed program
CLI_NAME = "ledger-cli"  # the console program beside it
PRODUCT_NAME = "整改台账"
ICON = ROOT / "resources" / "icons" / "app.ico"

# (folder in the source tree, folder in the bundle). Everything under them ships, except caches.
DATA_FOLDERS: tuple[tuple[str, str], ...] = (
    ("resources", "resources"),
    ("forms", "forms"),
    # alembic loads env.py and versions/*.py by file path, and script.py.mako when it is asked for one.
    ("ledger_app/store/migrations", "ledger_app/store/migrations"),
)
_SKIPPED_DIRS = {"__pycache__"}
_SKIPPED_SUFFIXES = {".pyc", ".pyo"}

# Written into the bundle by the spec (see write_build_files); read by ledger_app/__init__.py and selftest.py.
VERSION_FILE = "ledger_app/VERSION"
MANIFEST_FILE = "bundle-manifest.txt"

# Qt's own words (OK/Cancel, the file dialog) in the languages the app can show; the other ~60
# languages' catalogues are 13 MB of the bundle nobody reads.
QT_TRANSLATIONS_KEPT = ("zh_CN", "en")

HIDDEN_IMPORTS_BASE: tuple[str, ...] = (
    # Imported only inside functions or by name at run time; PyInstaller's static scan may miss them.
    "PySide6.QtUiTools",
    "PySide6.QtPrintSupport",
    "python_calamine",
    "pypdfium2",
    "pypdfium2_raw",
    "openpyxl.cell._writer",
    "sqlalchemy.dialects.sqlite",
    "alembic.ddl.sqlite",
    "alembic.runtime.migration",
    "alembic.runtime.environment",
    "alembic.operations.toimpl",
    "logging.handlers",
)

# Never imported by the app: keep them out even if some library mentions them.
EXCLUDES: tuple[str, ...] = (
    # Qt modules the app does not use (Essentials has most of them; Addons is not a dependency).
    "PySide6.QtNetwork",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtDBus",
    "PySide6.QtConcurrent",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtXml",
    "PySide6.QtSvg",
    "PySide6.QtSvgWidgets",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.Qt3DCore",
    "PySide6.QtCharts",
    "PySide6.QtBluetooth",
    # Python packages of the development environment, never of the app.
    "tkinter",
    "_tkinter",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "setuptools",
    "pkg_resources",
    "pip",
    "lib2to3",
    "pydoc_data",
    "IPython",
    "numpy",
    # Not lxml: python-docx (reading plans, writing the progress report) needs it. openpyxl would write
    # Chinese as character references with it; ledger_app/__init__.py switches that off (OPENPYXL_LXML).
    # python-docx uses lxml.etree only; these parts (4 MB, 1.5 MB zipped) kept the zip over 100 MB.
    "lxml.objectify",
    "lxml.html",
    "lxml.isoschematron",
    "PyInstaller",
    "unittest",
    "doctest",
    "pdb",
    "pydoc",
    "xmlrpc",
    # mako (alembic's revision templates) only highlights its own error pages with it: 1.8 MB.
    "pygments",
    "sqlalchemy.testing",
    "alembic.testing",
    # Pillow's AVIF codec (5 MB): evidence photos are JPEG/PNG/WebP; an AVIF file gets a plain icon.
    "PIL._avif",
    # NOT PIL: reportlab 5 fails at import without it, and thumbnails use it.
)


# Packages collected as .pyc files in the shared _internal folder instead of inside each program's
# archive (PYZ). The two programs are two executables, and PyInstaller embeds a PYZ in each: every
# module in it was shipped twice (2 × 10 MB, 8 MB more in the zip, which must stay under 100 MB for
# offices' USB sticks and mail gateways). What stays in the PYZ is the standard library (about 2.4 MB).
SHARED_PACKAGES: tuple[str, ...] = (
    "ledger_app",
    "sqlalchemy",
    "alembic",
    "mako",
    "reportlab",
    "PIL",
    "openpyxl",
    "et_xmlfile",
    "docx",
    "psutil",
    "pypdfium2",
    "pypdfium2_raw",
    "platformdirs",
    "defusedxml",
    "charset_normalizer",
    "python_calamine",
)


def module_collection_mode() -> dict[str, str]:
    """PyInstaller's ``module_collection_mode``: the shared packages as files both programs import."""
    return dict.fromkeys(SHARED_PACKAGES, "pyc")


def project_version() -> str:
    """The one version number, from pyproject.toml."""
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """ "1.2.3" → (1, 2, 3, 0). A pre-release ("1.2.0rc1") gets its release's numbers: Windows compares
    these four numbers only, and "rc1" read as a fourth number would rank it above the release."""
    match = re.match(r"\d+(?:\.\d+)*", version.strip())
    numbers = [int(part) for part in match.group(0).split(".")[:4]] if match else []
    padded = [*numbers, 0, 0, 0, 0][:4]
    return padded[0], padded[1], padded[2], padded[3]


def platform_tag() -> str:
    """win-amd64, linux-x86_64 …: part of the zip's name so a Linux build is never handed out as Windows."""
    import sysconfig

    return sysconfig.get_platform()


def zip_name(version: str | None = None) -> str:
    return f"{APP_NAME}-{version or project_version()}-{platform_tag()}.zip"


def shipped_files() -> list[tuple[Path, PurePosixPath]]:
    """Every data file of the bundle: (file in the source tree, its path inside the bundle)."""
    files: list[tuple[Path, PurePosixPath]] = []
    for source, dest in DATA_FOLDERS:
        base = ROOT / source
        for path in sorted(base.rglob("*")):
            if not path.is_file() or path.suffix in _SKIPPED_SUFFIXES:
                continue
            relative = path.relative_to(base)
            if _SKIPPED_DIRS & set(relative.parts):
                continue
            files.append((path, PurePosixPath(dest, relative.as_posix())))
    return files


def datas() -> list[tuple[str, str]]:
    """The ``datas`` list of the spec's Analysis: (source file, destination folder)."""
    return [(str(src), str(dest.parent)) for src, dest in shipped_files()]


def migration_imports() -> list[str]:
    """Modules the migration scripts import: they are loaded by path, so PyInstaller never sees them."""
    names: set[str] = set()
    for path in sorted((ROOT / "ledger_app/store/migrations").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # The module only: "from alembic import op" brings alembic, whose __init__ imports op.
                names.add(node.module)
    return sorted(name for name in names if name.split(".")[0] not in {"__future__", "typing"})


def hidden_imports() -> list[str]:
    return sorted({*HIDDEN_IMPORTS_BASE, *migration_imports()})


def keep_qt_file(dest: str) -> bool:
    """False for Qt translation catalogues of other languages (a filter over the collected datas)."""
    path = PurePosixPath(dest.replace("\\", "/"))
    if "translations" not in path.parts or path.suffix != ".qm":
        return True
    stem = path.stem  # qtbase_zh_CN
    return any(stem.endswith("_" + lang) for lang in QT_TRANSLATIONS_KEPT)


# Libraries PyInstaller's Qt hook collects that a Widgets-only program never loads.
DROPPED_BINARIES = frozenset(
    {
        # Mesa's software OpenGL for machines without a GPU driver (Windows, 20 MB): widgets paint
        # with the raster engine; only Qt Quick and QOpenGLWidget would ever load it.
        "opengl32sw.dll",
    }
)


def keep_binary(dest: str) -> bool:
    """False for the libraries in DROPPED_BINARIES (a filter over the collected binaries)."""
    return PurePosixPath(dest.replace("\\", "/")).name.lower() not in DROPPED_BINARIES


# -- files the spec writes into the build folder and ships -------------------------------------
def version_info_text(exe_name: str, description: str, version: str | None = None) -> str:
    """A Windows version resource (PyInstaller's VSVersionInfo text form) for one executable."""
    version = version or project_version()
    quad = version_tuple(version)
    strings = {
        "CompanyName": PRODUCT_NAME,
        "FileDescription": description,
        "FileVersion": version,
        "InternalName": exe_name,
        "LegalCopyright": f"{PRODUCT_NAME} 开发组",
        "OriginalFilename": f"{exe_name}.exe",
        "ProductName": PRODUCT_NAME,
        "ProductVersion": version,
    }
    entries = ",\n          ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    # 0x0804 = Chinese (PRC), 1200 = Unicode: Explorer's Details tab shows the Chinese strings.
    return f"""# UTF-8
VSVersionInfo(
  ffi=FixedFileInfo(filevers={quad}, prodvers={quad}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([
      StringTable('080404B0', [
          {entries}])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200])])
  ]
)
"""


def write_build_files(workdir: Path, version: str | None = None) -> dict[str, Path]:
    """Write the version stamp, the two version resources and the manifest into ``workdir``."""
    version = version or project_version()
    workdir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    stamp = workdir / "VERSION"
    stamp.write_text(version + "\n", encoding="utf-8")
    written["version"] = stamp
    for exe, description in ((APP_NAME, PRODUCT_NAME), (CLI_NAME, f"{PRODUCT_NAME}命令行工具")):
        path = workdir / f"version-{exe}.txt"
        path.write_text(version_info_text(exe, description, version), encoding="utf-8")
        written[exe] = path
    manifest = workdir / MANIFEST_FILE
    lines = [f"{dest}\t{src.stat().st_size}" for src, dest in shipped_files()]
    lines.append(f"{VERSION_FILE}\t{stamp.stat().st_size}")
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    written["manifest"] = manifest
    return written


# -- what the code asks for ----------------------------------------------------------------------
@dataclass(frozen=True)
class Reference:
    """A bundled file or folder the code names: ``pattern`` is relative to the bundle root, may hold ``*``."""

    pattern: str
    where: str  # file:line, for the failure message

    def matches(self, root: Path = ROOT) -> list[Path]:
        """The files it stands for; a folder stands for every file in it."""
        found: set[Path] = set()
        for path in root.glob(self.pattern):
            if path.is_file():
                found.add(path)
            elif path.is_dir():
                found.update(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        return sorted(found)


_FOLDER_OF = {"resource_path": "resources", "form_path": "forms"}


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _base_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _pattern_part(node: ast.expr, constants: dict[str, list[ast.expr]]) -> list[str] | None:
    """The path parts an argument stands for; None when it cannot be known without running the code."""
    text = _string(node)
    if text is not None:
        return [text]
    if isinstance(node, ast.JoinedStr):  # f"{name}-{size}.png" → "*-*.png"
        return ["".join(_string(v) or "*" for v in node.values)]  # type: ignore[arg-type]
    if isinstance(node, ast.Starred) and isinstance(node.value, ast.Name) and node.value.id in constants:
        parts: list[str] = []
        for element in constants[node.value.id]:
            part = _pattern_part(element, constants)
            if part is None:
                return None
            parts.extend(part)
        return parts
    return None


def _module_constants(tree: ast.Module) -> dict[str, list[ast.expr]]:
    """NAME = ("fonts", "x.ttc") at module level: the tuples that ``resource_path(*NAME)`` spreads."""
    found: dict[str, list[ast.expr]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Tuple):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    found[target.id] = list(node.value.elts)
    return found


def _form_base_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """Classes whose ``__init__`` takes ``form_name`` first: their subclasses name a form in super().__init__."""
    bases: set[str] = set()
    for tree in trees.values():
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    takes_form = (
                        isinstance(item, ast.FunctionDef)
                        and item.name == "__init__"
                        and [a.arg for a in item.args.args[1:2]] == ["form_name"]
                    )
                    if takes_form:
                        bases.add(node.name)
    return bases


_TRIGGERS = ("resource_path", "form_path", "load_form", "action_icon", "_action(", "__init__(", "app_root")


def _source_trees(package: Path) -> dict[Path, ast.Module]:
    """The package's modules that could name a file; not resources.py, which defines the helpers."""
    trees: dict[Path, ast.Module] = {}
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" in path.parts or path == package / "resources.py":
            continue
        text = path.read_text(encoding="utf-8")
        if any(trigger in text for trigger in _TRIGGERS):  # parsing is the slow part: skip the rest
            trees[path] = ast.parse(text, str(path))
    return trees


@dataclass
class _Site:
    call: ast.Call | ast.BinOp
    cls: ast.ClassDef | None


def _walk(tree: ast.Module) -> tuple[list[_Site], dict[str, tuple[str, int]]]:
    """One pass over a module: the calls and ``app_root() / …`` expressions worth a look, and the
    functions that do ``resource_path(*param)`` (name → helper and the parameter's position), so that
    ``_bundled(BUNDLED_SONG)`` names the file spelled out in the module constant BUNDLED_SONG."""
    sites: list[_Site] = []
    spreaders: dict[str, tuple[str, int]] = {}
    stack: list[tuple[tuple[ast.ClassDef | None, ast.FunctionDef | None], ast.AST]] = [((None, None), tree)]
    while stack:
        (cls, func), node = stack.pop()
        if isinstance(node, ast.Call):
            sites.append(_Site(node, cls))
            helper = _call_name(node)
            if helper in _FOLDER_OF and func is not None:
                params = [a.arg for a in func.args.args]
                for arg in node.args:
                    spread = arg.value if isinstance(arg, ast.Starred) else None
                    if isinstance(spread, ast.Name) and spread.id in params:
                        spreaders[func.name] = (helper, params.index(spread.id))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            sites.append(_Site(node, cls))
        scope = (
            node if isinstance(node, ast.ClassDef) else cls,
            node if isinstance(node, ast.FunctionDef) else func,
        )
        stack.extend((scope, child) for child in ast.iter_child_nodes(node))
    return sites, spreaders


def referenced_resources(package: Path = PACKAGE) -> list[Reference]:
    """Every bundled file the code names, found in its syntax tree.

    Recognised: ``resource_path(...)`` and ``form_path(...)`` with literal, f-string or ``*CONSTANT``
    arguments (also through a helper that spreads its parameter into them), ``load_form("name")``,
    ``action_icon("name")`` and the ``icon`` argument of the main window's ``_action(...)``,
    ``super().__init__("name", …)`` in subclasses of a class whose ``__init__`` takes ``form_name``,
    and ``app_root() / "folder"``.
    """
    trees = _source_trees(package)
    form_bases = _form_base_classes(trees)
    refs: list[Reference] = []
    for path, tree in trees.items():
        constants = _module_constants(tree)
        sites, spreaders = _walk(tree)
        module = path.relative_to(package.parent).as_posix()
        for site in sites:
            pattern = _site_pattern(site, constants, spreaders, form_bases)
            if pattern:
                refs.append(Reference(pattern, f"{module}:{site.call.lineno}"))
    return sorted(refs, key=lambda r: (r.where.split(":")[0], int(r.where.split(":")[1])))


def _site_pattern(
    site: _Site,
    constants: dict[str, list[ast.expr]],
    spreaders: dict[str, tuple[str, int]],
    form_bases: set[str],
) -> str | None:
    node = site.call
    if isinstance(node, ast.BinOp):
        if isinstance(node.left, ast.Call) and _call_name(node.left) == "app_root":
            folder = _string(node.right)
            return folder if folder else None
        return None
    name = _call_name(node)
    if name in _FOLDER_OF:
        parts: list[str] = []
        for arg in node.args:
            part = _pattern_part(arg, constants)
            if part is None:
                return None
            parts.extend(part)
        return "/".join([_FOLDER_OF[name], *parts]) if parts else None
    if name in spreaders:
        helper, index = spreaders[name]
        arg = node.args[index] if len(node.args) > index else None
        if isinstance(arg, ast.Name) and arg.id in constants:
            parts = _pattern_part(ast.Starred(value=arg), constants) or []
            return "/".join([_FOLDER_OF[helper], *parts]) if parts else None
        return None
    if name == "load_form" and node.args:
        form = _string(node.args[0])
        return f"forms/{form}.ui" if form else None
    if name == "action_icon" and node.args:
        icon = _string(node.args[0])
        return f"resources/icons/{icon}-*.png" if icon else None
    if name == "_action":
        # _action(key, text, slot, shortcut, icon, …)
        icon_node = node.args[4] if len(node.args) > 4 else None
        icon_node = next((k.value for k in node.keywords if k.arg == "icon"), icon_node)
        icon = _string(icon_node)
        return f"resources/icons/{icon}-*.png" if icon else None
    is_super_init = (
        name == "__init__"
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Call)
        and _call_name(node.func.value) == "super"
    )
    if is_super_init and site.cls is not None and form_bases & {_base_name(b) for b in site.cls.bases}:
        form = _string(node.args[0]) if node.args else None
        return f"forms/{form}.ui" if form else None
    return None


if __name__ == "__main__":  # a quick look: python packaging/spec_data.py
    print("version", project_version(), "zip", zip_name())
    print("data files", len(shipped_files()))
    print("hidden imports", hidden_imports())
    for ref in referenced_resources():
        print(f"{ref.where:55} {ref.pattern:45} {len(ref.matches())} file(s)", file=sys.stdout)
