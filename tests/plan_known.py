"""A plan reading written out line by line, so a known-answer test states everything a clerk gets:
each task (序号, shape, source lines, section, every field), each measure with its units and deadline,
every issue, the title block, the skipped lines and the short names. Used by tests/test_io_plan_*known.py."""

from __future__ import annotations

from ledger_app.io.plan import PlanReading


def _units(names: list[str]) -> str:
    # A name holding "、" itself (a short name the plan defines) in 「」, so one name is not read as two.
    return "、".join(f"「{n}」" if "、" in n else n for n in names)


def dump(reading: PlanReading) -> list[str]:
    out: list[str] = []
    for t in reading.tasks:
        seq = f"{t.seq}{'(自动)' if t.seq_auto else ''}"
        out.append(
            f"任务 {seq} {reading.shape_of(t)} 行{t.rows} {t.kind.value}"
            + (f" 分组:{t.section}" if t.section else "")
        )
        out.append(f"  描述:{t.description}")
        for label, names in (
            ("牵头", t.lead_units),
            ("责任", t.responsible_units),
            ("配合", t.cooperating_units),
            ("督导", t.supervising_units),
        ):
            if names:
                out.append(f"  {label}:{_units(names)}")
        for label, value in (("领导", t.leader), ("责任人", t.contact), ("电话", t.contact_phone)):
            if value:
                out.append(f"  {label}:{value}")
        if not t.deadline.is_empty:
            d = t.deadline
            out.append(
                f"  时限:{d.text}|{d.date.isoformat() if d.date else ''}|{'长期' if d.long_term else ''}"
            )
        if t.goal:
            out.append(f"  目标:{t.goal}")
        if t.note:
            out.append(f"  备注:{t.note}")
        for m in t.measures:
            line = f"  措施{m.seq} 行{m.row}:{m.text}"
            if m.lead_units:
                line += f" [牵头 {_units(m.lead_units)}]"
            if m.cooperating_units:
                line += f" [配合 {_units(m.cooperating_units)}]"
            if not m.deadline.is_empty:
                line += f" [时限 {m.deadline.text}|{m.deadline.date.isoformat() if m.deadline.date else ''}]"
            out.append(line)
    for issue in reading.issues:
        out.append(f"! {issue.row} {issue.severity}:{issue.reason_zh}")
    if reading.title:
        out.append(f"标题:{reading.title}")
    for text in reading.preamble:
        out.append(f"导语:{text}")
    if reading.skipped:
        out.append(f"略过的行:{reading.skipped}")
    for alias, meaning in reading.aliases.items():
        out.append(f"简称:{alias}={meaning}")
    return out
