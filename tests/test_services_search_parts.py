"""The search index knows which part of a task a word was found in (issue 18): every part, from the ledger."""

from __future__ import annotations

from datetime import date

from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.services import Ledger
from ledger_app.services.search_parts import PART_SEP, SEARCH_PARTS, parts_of


def test_each_field_lands_in_its_own_part(ledger: Ledger) -> None:
    round_id = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
    words = {
        "序号": "甲1",
        "问题描述": "描述词",
        "整改目标": "目标词",
        "备注": "备注词",
        "责任领导": "领导词",
        "整改时限": "时限词",
        "责任人": "联系人词",
        "受理编号": "编号词",
        "交办批次": "批次词",
        "责任单位": "单位词",
        "整改措施": "措施词",
        "进展情况": "进展词",
    }
    assert set(words) == set(SEARCH_PARTS)
    task_id = ledger.tasks.create_task(
        round_id=round_id,
        kind=ProblemKind.PETITION,
        seq=words["序号"],
        description=words["问题描述"],
        goal=words["整改目标"],
        note=words["备注"],
        leader=words["责任领导"],
        deadline=words["整改时限"],
        contact=words["责任人"],
        case_no=words["受理编号"],
        batch=words["交办批次"],
        lead_units=[words["责任单位"]],
    )
    ledger.tasks.add_measure(task_id, text=words["整改措施"])
    ledger.tasks.add_progress(task_id, entry_date=date(2026, 3, 1), text=words["进展情况"])
    text = ledger.queries.search_texts()[task_id]
    assert text.count(PART_SEP) == len(SEARCH_PARTS) - 1
    for part, word in words.items():
        assert [SEARCH_PARTS[i] for i in parts_of(text, word.lower())] == [part], part
    # The same text for one task as for all of them (the GUI refreshes one after an edit).
    assert ledger.queries.search_texts([task_id]) == {task_id: text}
