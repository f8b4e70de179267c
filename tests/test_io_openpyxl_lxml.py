"""python-docx (the plan reader) brings lxml; openpyxl must still write Chinese as characters, not as
&#NNNNN; references (files 50% larger, export 20% slower): ledger_app switches openpyxl's lxml off."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from ledger_app.services import Ledger


def _run(code: str, env: dict[str, str] | None = None) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "OPENPYXL_LXML"}
    clean.update(env or {})
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=clean, check=True)
    return done.stdout.strip()


def test_importing_the_app_switches_openpyxl_lxml_off() -> None:
    assert _run("import ledger_app, openpyxl; print(openpyxl.LXML)") == "False"
    # An office that wants it can still say so.
    assert (
        _run("import ledger_app, os; print(os.environ['OPENPYXL_LXML'])", {"OPENPYXL_LXML": "True"}) == "True"
    )


def test_lxml_is_there_and_would_be_used_without_the_switch() -> None:
    # The guard matters only because python-docx pulls lxml in; this shows both facts.
    assert _run("import lxml, docx; print('ok')") == "ok"
    assert _run("import openpyxl; print(openpyxl.LXML)") == "True"


def test_monthly_report_holds_chinese_characters(demo_ledger: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "月报.xlsx"
    code = (
        "import sys; from ledger_app.services import Ledger\n"
        f"with Ledger.open({str(demo_ledger.path)!r}) as ledger:\n"
        f"    ledger.reports.export_monthly_report({str(out)!r}, year=2026, month=10)\n"
    )
    demo_ledger.close()
    _run(code)
    with zipfile.ZipFile(out) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "&#" not in sheet and "序号" in sheet


def test_the_bundle_keeps_lxml_for_python_docx() -> None:
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "packaging" / "spec_data.py"
    spec = importlib.util.spec_from_file_location("spec_data_for_lxml_test", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    assert "lxml" not in module.EXCLUDES and "docx" not in module.EXCLUDES
