"""A fast fuzz of the importer (bench/fuzz_excel_import.py runs thousands): every mutated workbook
is read or refused with a LedgerError, never anything else, and quickly."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger_app.domain.errors import LedgerError
from ledger_app.io.excel_in.cells import cell_text, identifier_text
from ledger_app.io.excel_in.header import field_for
from ledger_app.io.excel_in.measures import read_measures, split_measures
from ledger_app.io.excel_in.status import read_status
from ledger_app.io.excel_in.units import UnitReader
from ledger_app.io.excel_in.workbook import read_ledger_workbook
from tests.xlsx_mutations import mutate

CASES = 50


@pytest.mark.parametrize("index", range(CASES))
def test_mutated_workbooks_are_read_or_refused(tmp_path: Path, index: int) -> None:
    rng = random.Random(1000 + index)
    path, note = mutate(rng, tmp_path, index)
    started = time.perf_counter()
    try:
        plan = read_ledger_workbook(path)
    except LedgerError as error:
        assert error.message_zh, note
    else:
        plan.to_json()
        for issue in plan.issues:
            assert issue.reason_zh and issue.severity in ("refused", "warning"), note
    assert time.perf_counter() - started < 5, note


_texts = st.text(
    alphabet=st.sampled_from(
        [*"县局委办和及与、,,;;()()\n 1234567890.、①②③一二三是牵头配合负责:::年月底前", "x", "\x00"]
    ),
    max_size=120,
)


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_text_readers_never_fail_and_never_invent_text(text: str) -> None:
    items = split_measures(text)
    assert set("".join(items)) <= set(text)
    read_measures(text, UnitReader())
    for name in UnitReader(["县和局"]).split(text):
        assert name and set(name) <= set(text) | {" "}
    roles = UnitReader().roles(text)
    assert all(isinstance(n, str) and n for n in roles.all())
    read_status(text)
    field_for(text)
    identifier_text(text)
    assert "\x00" not in cell_text(text)
