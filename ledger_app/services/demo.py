"""A realistic synthetic ledger for trying the app and for benchmarks (``ledger-cli demo``)."""

from __future__ import annotations

import random
from calendar import monthrange
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from ledger_app.domain.deadlines import parse_deadline
from ledger_app.domain.errors import ValidationError
from ledger_app.domain.model import ProblemKind, ReviewResult, RoundLevel, TaskStatus, UnitRole
from ledger_app.domain.progress import ProgressFn
from ledger_app.store import models as m

from . import demo_text as t
from .audit import append_rows
from .ledger import LedgerCore

ROUNDS = [
    (
        "第二轮中央生态环境保护督察",
        RoundLevel.CENTRAL,
        date(2021, 4, 6),
        date(2021, 5, 6),
        date(2021, 7, 15),
        "区委〔2021〕45号",
    ),
    (
        "第二轮省生态环境保护督察",
        RoundLevel.PROVINCIAL,
        date(2023, 3, 20),
        date(2023, 4, 20),
        date(2023, 6, 28),
        "区委〔2023〕73号",
    ),
    (
        "第三轮中央生态环境保护督察",
        RoundLevel.CENTRAL,
        date(2025, 9, 1),
        date(2025, 10, 1),
        date(2025, 12, 20),
        "区委〔2026〕12号",
    ),
]


class _Maker:
    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today

    def fill(self, template: str) -> str:
        r = self.rng
        return template.format(
            place=r.choice(t.PLACES),
            n=r.randint(2, 60),
            m=r.randint(1, 20),
            pct=r.randint(20, 95),
            year=r.randint(2021, 2026),
        )

    def deadline_text(self, feedback: date) -> str:
        r = self.rng
        roll = r.random()
        if roll < 0.12:
            return r.choice(["立行立改、长期坚持", "长期坚持", "立行立改,长期坚持", "持续推进"])
        due = feedback + timedelta(days=r.randint(60, 1500))
        style = r.random()
        if style < 0.5:
            return f"{due.year}年{due.month}月底前"
        if style < 0.7:
            return f"{due.year}年底前"
        if style < 0.85:
            return f"{due.year}年{due.month}月{due.day}日"
        return f"{due.year}年{r.choice(['上半年', '下半年'])}"

    def description(self, kind: ProblemKind) -> str:
        r = self.rng
        if kind is ProblemKind.PETITION:
            return self.fill(r.choice(t.PETITIONS))
        if kind is ProblemKind.SELF_CHECK:
            return self.fill(r.choice(t.SELF_CHECK))
        text = self.fill(r.choice(t.PROBLEMS))
        extra = r.sample(t.EXTRA_PARAGRAPHS, r.randint(0, 3))
        return "\n".join([text, *extra])

    def status(self, deadline_date: date | None, feedback: date) -> TaskStatus:
        r = self.rng
        age = (self.today - feedback).days
        past_due = deadline_date is not None and deadline_date < self.today
        weights = [0.05, 0.35, 0.12, 0.08, 0.05, 0.35] if age > 700 else [0.2, 0.6, 0.1, 0.05, 0.03, 0.02]
        if past_due:
            weights = [0.01, 0.14, 0.1, 0.1, 0.05, 0.6]
        return r.choices(list(TaskStatus), weights=weights)[0]


def generate_demo(
    ledger: LedgerCore,
    *,
    tasks: int = 300,
    seed: int = 1,
    today: date | None = None,
    progress: ProgressFn | None = None,
) -> dict[str, int]:
    """Fill an EMPTY ledger with ``tasks`` realistic tasks; returns counts of what was made."""
    if tasks < 1 or tasks > 200_000:
        raise ValidationError("任务数量应在 1 到 200000 之间。", "tasks must be 1..200000")
    rng = random.Random(seed)
    today = today or date.today()
    mk = _Maker(rng, today)
    now = datetime.now()
    with ledger.changing("生成演示台账") as session:
        if session.scalar(select(m.Problem.id).limit(1)) is not None:
            raise ValidationError("演示数据只能写入空台账。", "demo data needs an empty ledger")
        session.info["audit_off"] = True  # tens of thousands of rows: one summary audit row instead
        session.add_all(
            [
                m.Setting(key="organisation", value="青溪区"),
                m.Setting(key="place", value="我区"),
                m.Setting(key="rectification_office", value="青溪区生态环境保护督察整改工作领导小组办公室"),
            ]
        )
        round_ids = []
        for pos, (name, level, start, end, feedback, doc) in enumerate(ROUNDS, 1):
            row = m.InspectionRound(
                name=name,
                level=level.value,
                on_site_start=start,
                on_site_end=end,
                feedback_date=feedback,
                plan_document_no=doc,
                position=pos,
            )
            session.add(row)
            session.flush()
            round_ids.append((row.id, feedback))
        unit_names = list(dict.fromkeys(t.COUNTY_UNITS + t.TOWNS + t.SUPERVISORS))
        session.execute(insert(m.Unit), [{"name": n} for n in unit_names])
        unit_id = dict(session.execute(select(m.Unit.name, m.Unit.id)).all())
        counts = _fill(session, mk, tasks, round_ids, unit_id, now, progress)
        session.info["audit_off"] = False
        append_rows(
            session.connection(),
            [
                {
                    "change_id": session.info["change_id"],
                    "at": now,
                    "actor": ledger.actor,
                    "action": "create",
                    "entity": "ledger",
                    "entity_id": None,
                    "entity_key": None,
                    "problem_id": None,
                    "field": "*",
                    "old_value": None,
                    "new_value": f"演示台账:{counts['tasks']}项任务",
                    "reason": "生成演示台账",
                    "undone": False,
                }
            ],
        )
    return counts


def _fill(
    session: Any,
    mk: _Maker,
    n_tasks: int,
    rounds: list[tuple[int, date]],
    unit_id: dict[str, int],
    now: datetime,
    progress: ProgressFn | None,
) -> dict[str, int]:
    r = mk.rng
    problems: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    measures: list[dict[str, Any]] = []
    measure_links: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    acceptances: list[dict[str, Any]] = []
    notices: list[dict[str, Any]] = []
    closeouts: list[dict[str, Any]] = []
    reviews: list[dict[str, Any]] = []
    seqs: dict[tuple[int, str], int] = {}
    measure_id = 0
    county = t.COUNTY_UNITS
    for pid in range(1, n_tasks + 1):
        round_id, feedback = rounds[min(int(r.random() ** 0.7 * len(rounds)), len(rounds) - 1)]
        kind = r.choices(list(ProblemKind), weights=[0.25, 0.1, 0.55, 0.1])[0]
        key = (round_id, kind.section.value)
        seqs[key] = seqs.get(key, 0) + 1
        deadline = parse_deadline(mk.deadline_text(feedback))
        status = mk.status(deadline.date, feedback)
        leader = f"{r.choice(t.LEADERS)}({r.choice(t.TITLES)})" if kind is not ProblemKind.PETITION else ""
        batch = f"第{r.randint(1, 30)}批" if kind is ProblemKind.PETITION else ""
        problems.append(
            {
                "id": pid,
                "round_id": round_id,
                "seq": str(seqs[key]),
                "kind": kind.value,
                "description": mk.description(kind),
                "leader": leader,
                "contact": r.choice(t.LEADERS),
                "contact_phone": f"0731-8{r.randint(1000000, 9999999)}",
                "deadline_text": deadline.text,
                "deadline_date": deadline.date,
                "deadline_long_term": deadline.long_term,
                "goal": mk.fill(r.choice(t.GOALS)),
                "status": status.value,
                "batch": batch,
                "case_no": f"X{feedback.year}{r.randint(10000, 99999)}" if batch else "",
                "note": r.choice(["", "", "", "已纳入年度重点工作", "需市级层面协调"]),
                "created_at": now,
                "deleted_at": None,
            }
        )
        leads = r.sample(county, r.randint(1, 2))
        coop = r.sample([u for u in county + t.TOWNS if u not in leads], r.randint(0, 3))
        for role, names in (
            (UnitRole.LEAD, leads),
            (UnitRole.COOPERATING, coop),
            (UnitRole.SUPERVISING, r.sample(t.SUPERVISORS, r.randint(1, 2))),
        ):
            for pos, name in enumerate(names):
                links.append(
                    {"problem_id": pid, "unit_id": unit_id[name], "role": role.value, "position": pos}
                )
        for pos in range(1, (r.randint(1, 2) if kind is ProblemKind.PETITION else r.randint(3, 6)) + 1):
            measure_id += 1
            m_deadline = parse_deadline(mk.deadline_text(feedback))
            measures.append(
                {
                    "id": measure_id,
                    "problem_id": pid,
                    "position": pos,
                    "text": mk.fill(r.choice(t.MEASURES)),
                    "deadline_text": m_deadline.text,
                    "deadline_date": m_deadline.date,
                    "deadline_long_term": m_deadline.long_term,
                }
            )
            measure_links.append(
                {
                    "measure_id": measure_id,
                    "unit_id": unit_id[r.choice(leads)],
                    "role": UnitRole.LEAD.value,
                    "position": 0,
                }
            )
        _lifecycle(mk, pid, status, feedback, entries, acceptances, notices, closeouts, reviews, now)
        if progress and pid % 500 == 0:
            progress(pid, n_tasks, "生成任务")
    for table, rows in (
        (m.Problem, problems),
        (m.ProblemUnit, links),
        (m.Measure, measures),
        (m.MeasureUnit, measure_links),
        (m.ProgressEntry, entries),
        (m.Acceptance, acceptances),
        (m.PublicNotice, notices),
        (m.CloseOut, closeouts),
        (m.Review, reviews),
    ):
        # Core insert on the session's connection: one executemany per chunk. The ORM's bulk insert
        # (session.execute(insert(Model), rows)) spent over half of a 10,000-task demo in its bookkeeping.
        for start in range(0, len(rows), 5000):
            session.connection().execute(insert(table.__table__), rows[start : start + 5000])
    return {
        "tasks": len(problems),
        "measures": len(measures),
        "progress": len(entries),
        "closed": len(closeouts),
        "units": len(unit_id),
    }


def _lifecycle(
    mk: _Maker,
    pid: int,
    status: TaskStatus,
    feedback: date,
    entries: list[dict[str, Any]],
    acceptances: list[dict[str, Any]],
    notices: list[dict[str, Any]],
    closeouts: list[dict[str, Any]],
    reviews: list[dict[str, Any]],
    now: datetime,
) -> None:
    r = mk.rng
    today = mk.today
    if status is TaskStatus.NOT_STARTED:
        return
    # Monthly progress from the feedback (or a year back) until completion or today.
    start = max(feedback, today - timedelta(days=365))
    span_end = today if not status.is_done else min(today, start + timedelta(days=r.randint(60, 330)))
    year, month = start.year, start.month
    pct = r.randint(5, 30)
    while date(year, month, 1) <= span_end:
        day = min(monthrange(year, month)[1], r.randint(20, 28))
        when = date(year, month, day)
        if when <= span_end:
            pct = min(100, pct + r.randint(3, 15))
            entries.append(
                {
                    "problem_id": pid,
                    "measure_id": None,
                    "entry_date": when,
                    "text": mk.fill(r.choice(t.PROGRESS)),
                    "percent": pct if r.random() < 0.6 else None,
                    "reporter": r.choice(t.LEADERS),
                    "created_at": now,
                }
            )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if status.order < TaskStatus.ACCEPTED.order:
        return
    accepted = span_end + timedelta(days=r.randint(3, 20))
    accepted = (
        min(accepted, today - timedelta(days=30)) if status is TaskStatus.CLOSED else min(accepted, today)
    )
    acceptances.append(
        {
            "problem_id": pid,
            "accepted_on": accepted,
            "unit": r.choice(t.COUNTY_UNITS[:3]),
            "conclusion": "符合销号条件",
            "opinion": "经现场核查,整改措施已全部落实到位,整改目标已实现。",
            "created_at": now,
        }
    )
    if status.order < TaskStatus.PUBLIC_NOTICE.order:
        return
    n_start = accepted + timedelta(days=1)
    notices.append(
        {
            "problem_id": pid,
            "start": n_start,
            "end": n_start + timedelta(days=6),
            "contact": r.choice(t.LEADERS),
            "phone": f"0731-8{r.randint(1000000, 9999999)}",
            "outcome": "公示期间未收到异议",
            "created_at": now,
        }
    )
    if status is not TaskStatus.CLOSED:
        return
    closed_on = n_start + timedelta(days=r.randint(8, 20))
    closeouts.append(
        {
            "problem_id": pid,
            "closed_on": closed_on,
            "approved_by": "区委书记、区长",
            "document_no": "",
            "note": "",
            "created_at": now,
        }
    )
    if r.random() < 0.15 and closed_on < today - timedelta(days=60):
        reviews.append(
            {
                "problem_id": pid,
                "review_date": closed_on + timedelta(days=45),
                "result": ReviewResult.CONSOLIDATED.value,
                "text": "经回头看核查,整改成效巩固,未发现反弹。",
                "reviewer": r.choice(t.LEADERS),
                "created_at": now,
            }
        )
