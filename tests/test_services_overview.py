"""Ledger.overview and the progress report on a hand-made ledger: the same numbers as ``stats``,
the ranking, petitions by batch, long-term, reopened and unknown-deadline tasks, and the .docx
read back with python-docx."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt

from ledger_app.domain.model import (
    NoticeKind,
    ProblemKind,
    ReviewResult,
    RoundLevel,
    ScheduleFlag,
    TaskStatus,
)
from ledger_app.domain.overview import flag_key, unit_key
from ledger_app.domain.progress_report import PLACEHOLDER
from ledger_app.domain.ranking import RankColour
from ledger_app.services import Ledger, TaskFilter

S = TaskStatus
AS_OF = date(2026, 6, 30)
ROUND = "第二轮中央生态环境保护督察"


def close(ledger: Ledger, task_id: int, closed_on: date) -> None:
    ledger.lifecycle.transition(task_id, S.IN_PROGRESS)
    ledger.lifecycle.transition(task_id, S.COMPLETED)
    # Accepted ten days before, the notice over the day before: all in the month of the close-out.
    ledger.lifecycle.record_acceptance(
        task_id, accepted_on=closed_on - timedelta(days=10), unit="区生态环境局"
    )
    ledger.lifecycle.transition(task_id, S.ACCEPTED)
    ledger.lifecycle.record_public_notice(
        task_id, start=closed_on - timedelta(days=9), end=closed_on - timedelta(days=1)
    )
    ledger.lifecycle.transition(task_id, S.PUBLIC_NOTICE)
    ledger.lifecycle.close_out(task_id, closed_on=closed_on)


@pytest.fixture
def tasks(ledger: Ledger) -> dict[str, int]:
    """Feedback 2026-01-01; two feedback problems closed, one lagging, one long-term, one of unknown
    deadline, one reopened by 回头看; three petitions in two batches (one closed)."""
    r = ledger.directory.create_round(name=ROUND, level=RoundLevel.CENTRAL, feedback_date=date(2026, 1, 1))
    other = ledger.directory.create_round(name="第二轮省生态环境保护督察", level=RoundLevel.PROVINCIAL)
    spec = ProblemKind.SPECIFIC

    def task(desc: str, deadline: str, unit: str, kind: ProblemKind = spec, **extra: str) -> int:
        return ledger.tasks.create_task(
            round_id=r, kind=kind, description=desc, deadline=deadline, lead_units=[unit], **extra
        )

    ids = {
        "closed1": task("黑臭水体整治", "2026年3月底前", "区水利局"),
        "closed2": task("扬尘污染管控", "2026年4月底前", "区住建局"),
        "lagging": task("污水管网建设滞后", "2026年5月底前", "区水利局"),
        "long": task("秸秆禁烧长效管理", "立行立改、长期坚持", "区农业农村局"),
        "unknown": task("历史遗留矿山修复", "", "区自然资源局"),
        "reopened": task("河道非法采砂", "2026年2月底前", "区住建局"),
        "p1": task("群众反映油烟扰民", "2026年3月底前", "区城管局", ProblemKind.PETITION, batch="第1批"),
        "p2": task("群众反映噪声扰民", "2026年12月底前", "区城管局", ProblemKind.PETITION, batch="第1批"),
        "p3": task("群众反映异味", "2026年12月底前", "区城管局", ProblemKind.PETITION, batch="第2批"),
    }
    ledger.tasks.create_task(
        round_id=other, kind=spec, description="别的批次", deadline="2026年12月底前", lead_units=["区水利局"]
    )
    close(ledger, ids["closed1"], date(2026, 3, 20))
    close(ledger, ids["closed2"], date(2026, 4, 25))
    close(ledger, ids["p1"], date(2026, 3, 25))
    close(ledger, ids["reopened"], date(2026, 2, 20))
    ledger.lifecycle.add_review(
        ids["reopened"], review_date=date(2026, 5, 15), result=ReviewResult.RELAPSE, text="回头看发现反弹"
    )
    ledger.lifecycle.transition(ids["lagging"], S.IN_PROGRESS)
    ledger.tasks.add_progress(ids["lagging"], entry_date=date(2026, 6, 20), text="管网已完成80%")
    return ids


def test_figures_match_stats_and_the_hand_count(ledger: Ledger, tasks: dict[str, int]) -> None:
    round_id = ledger.directory.round_by_name(ROUND).id
    ov = ledger.overview.build(round_name=ROUND, today=AS_OF)
    stats = ledger.queries.stats(TaskFilter(round_id=round_id), today=AS_OF)
    assert ov.stats.as_dict() == stats.as_dict()
    t = ov.total
    # 9 tasks: closed1, closed2, p1 closed; reopened is open again (整改中).
    assert (t.total, t.completed, t.closed) == (9, 3, 3)
    # Lagging on 6-30: lagging (5-31) and reopened (2-28); long-term and unknown apart.
    assert sorted(ov.task_ids(flag_key(ScheduleFlag.LAGGING))) == sorted(
        [tasks["lagging"], tasks["reopened"]]
    )
    assert (t.long_term, t.unknown_deadline) == (1, 1)
    assert [(b.label, b.tally.total, b.tally.closed) for b in ov.petition_batches] == [
        ("第1批", 2, 1),
        ("第2批", 1, 0),
    ]
    ranks = {r.unit: r for r in ov.ranking}
    assert ranks["区水利局"].colour is RankColour.RED
    assert ranks["区住建局"].colour is RankColour.RED  # the reopened task lags
    assert ranks["区自然资源局"].colour is RankColour.YELLOW  # unknown deadline
    assert ranks["区农业农村局"].colour is RankColour.GREEN  # long-term only
    assert sorted(ov.task_ids(unit_key("区住建局"))) == sorted([tasks["closed2"], tasks["reopened"]])
    # All rounds: one more task (the other round's).
    assert ledger.overview.build(today=AS_OF).total.total == 10


def test_months_follow_the_records(ledger: Ledger, tasks: dict[str, int]) -> None:
    ov = ledger.overview.build(round_name=ROUND, today=AS_OF)
    by_month = {p.month.month: p for p in ov.months}
    assert ov.months[0].month == date(2026, 1, 1)
    # End of February: reopened closed on 2-20. End of March: + closed1, p1. April: + closed2.
    assert [by_month[m].closed for m in (1, 2, 3, 4, 5, 6)] == [0, 1, 3, 4, 3, 3]
    # May 15 the relapse reopens it; its deadline (2-28) has passed: lagging at the end of May, with
    # 'lagging' (5-31 is not yet past on 5-31, so only from June).
    assert by_month[5].lagging == 1
    assert by_month[6].lagging == 2


def test_progress_report_docx(ledger: Ledger, tasks: dict[str, int], tmp_path: Path) -> None:
    ledger.settings.update(report_next_steps="继续盯紧滞后任务。\n每月调度一次。")
    out = tmp_path / "报告.docx"
    report = ledger.overview.export_progress_report(out, round_name=ROUND, as_of=AS_OF, practices="")
    doc = Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    ov = ledger.overview.build(round_name=ROUND, today=AS_OF)
    assert texts[0] == report.title and "整改落实情况的报告" in texts[0]
    assert "一、主要做法" in texts and "二、落实情况" in texts and "三、下一步工作" in texts
    # Empty practices: the placeholder, not invented prose; next steps: the clerk's text as typed.
    assert texts[texts.index("一、主要做法") + 1] == PLACEHOLDER
    after = texts[texts.index("三、下一步工作") + 1 :]
    assert after[:2] == ["继续盯紧滞后任务。", "每月调度一次。"]
    body = "\n".join(texts)
    t = ov.total
    assert f"整改任务共{t.total}项\uff0c已完成整改{t.completed}项\uff0c已销号{t.closed}项" in body
    assert "交办信访件共3件" in body and "分2批交办" in body
    assert "第1批2件\uff0c已完成1件、已销号1件" in body
    assert "剩余1项立行立改、长期坚持的整改任务正序时推进中" in body
    # Not-closed tasks by name with their latest progress and deadline; closed ones not listed.
    assert "污水管网建设滞后" in body and "管网已完成80%" in body and "2026年5月底前" in body
    assert "黑臭水体整治" not in body
    assert "历史遗留矿山修复" in body and "时限不明" in body
    # Layout: A4, GB/T 9704 margins, 三号 body, title 二号.
    section = doc.sections[0]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm, 1) for m in margins] == [37.0, 35.0, 28.0, 26.0]  # stored in twips
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert doc.paragraphs[0].runs[0].font.size == Pt(22)
    heading = doc.paragraphs[texts.index("一、主要做法")]
    assert heading.runs[0].font.name == "黑体"
    assert doc.paragraphs[texts.index(PLACEHOLDER)].runs[0].font.size == Pt(16)
    # The texts given are kept for next time.
    assert ledger.settings.current().report_next_steps == "继续盯紧滞后任务。\n每月调度一次。"


def test_reminders_in_one_step(ledger: Ledger, tasks: dict[str, int], tmp_path: Path) -> None:
    # On 2026-06-30: 区水利局 (污水管网, due 5-31) and 区住建局 (the reopened task) lag: two 督办单, in
    # ranking order (both 1 lagging, 整改率 50%: then by name).
    issued = ledger.overview.issue_reminders(tmp_path / "letters", issued_on=AS_OF, round_name=ROUND)
    assert [(n.unit, n.number, n.task_count) for n in issued] == [
        ("区住建局", "督办〔2026〕1号", 1),
        ("区水利局", "督办〔2026〕2号", 1),
    ]
    assert all(n.path.exists() and n.path.parent == tmp_path / "letters" for n in issued)
    # Recorded on each task it lists, and counted in the overview's figures.
    (sent,) = ledger.overview.sent_notices(tasks["lagging"])
    assert (sent.kind, sent.issued_on) == (NoticeKind.SUPERVISION_ORDER, AS_OF)
    assert ledger.overview.sent_notices(tasks["closed1"]) == []
    ov = ledger.overview.build(round_name=ROUND, today=AS_OF)
    assert ov.notices_month == {NoticeKind.SUPERVISION_ORDER: 2, NoticeKind.REMINDER: 0}
    # A second run numbers on.
    again = ledger.overview.issue_reminders(tmp_path / "again", issued_on=AS_OF, round_name=ROUND)
    assert [n.number for n in again] == ["督办〔2026〕3号", "督办〔2026〕4号"]
