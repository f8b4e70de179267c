"""A small fuzz run (the long one is bench/fuzz_plan_import.py): mutated plans, .txt and .docx, are read
or refused with a Chinese reason, never crash, and each takes well under a few seconds."""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

from ledger_app.domain.errors import LedgerError
from ledger_app.io.plan import read_plan
from tests.plan_mutations import make_case


def test_fifty_mutated_plans(tmp_path: Path) -> None:
    rng = random.Random(20261207)
    outcomes = {"ok": 0, "refused": 0}
    for number in range(50):
        name, data, suffix = make_case(rng)
        path = tmp_path / f"case{number}{suffix}"
        path.write_bytes(data)
        started = time.perf_counter()
        try:
            reading = read_plan(path)
        except LedgerError as refused:
            assert re.search("[\u4e00-\u9fff]", refused.message_zh), (name, refused.message_zh)
            outcomes["refused"] += 1
        else:
            reading.to_json()
            for issue in reading.issues:
                assert issue.reason_zh and (issue.row is None or 1 <= issue.row <= len(reading.lines)), name
            records = reading.records(round_name="测试")
            assert all(r.description for r in records), name
            outcomes["ok"] += 1
        assert time.perf_counter() - started < 5, name
    assert outcomes["ok"] > 10 and outcomes["refused"] > 5
