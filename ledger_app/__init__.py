"""整改台账: an offline rectification ledger."""

import os as _os
from pathlib import Path as _Path

# python-docx (the plan reader) brings lxml, and openpyxl with lxml writes every Chinese character as
# a numeric character reference (&#38738;): the monthly report's sheet XML doubles and the export is
# ~20% slower (measured 2026-12 on 2,000 tasks). openpyxl reads this switch once, when it is first
# imported; every entry point imports ledger_app before it. An office may still set it explicitly.
_os.environ.setdefault("OPENPYXL_LXML", "False")


def _version() -> str:
    """pyproject.toml's version, wherever the package runs from.

    The PyInstaller bundle carries it in ``ledger_app/VERSION`` (written by packaging/spec_data.py);
    a source tree reads pyproject.toml itself, so a bumped number shows at once, without the
    reinstall an editable install's metadata would need; an installed wheel has its metadata.
    """
    here = _Path(__file__).resolve().parent
    stamped = here / "VERSION"
    if stamped.is_file():
        return stamped.read_text(encoding="utf-8").strip()
    pyproject = here.parent / "pyproject.toml"
    if pyproject.is_file():
        import tomllib

        with pyproject.open("rb") as fh:
            project = tomllib.load(fh).get("project", {})
        if project.get("name") == "ledger-app" and project.get("version"):
            return str(project["version"])
    from importlib import metadata

    try:
        return metadata.version("ledger-app")
    except metadata.PackageNotFoundError:
        return "0.0.0"


__version__ = _version()
