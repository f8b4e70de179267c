"""No lost updates: an edit made from a stale view is refused, never written over a newer value.

A panel shows a task, the clerk edits a field for a minute, and meanwhile another window, another
program (the lock bypassed, or a ledger opened read-only and reopened), an undo or an import changed
that same field. Writing the panel's value would silently throw the other change away. So an edit
carries what the clerk saw (``expected``), and the service compares it with the stored value inside
the write transaction (which starts as a writer, so nothing can slip in between): a difference
refuses the edit with the fresh value, which the panel then shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from ledger_app.domain.errors import StaleEditError
from ledger_app.store import models as m

FIELD_LABELS = {
    "description": "问题描述",
    "leader": "责任领导",
    "contact": "责任人",
    "contact_phone": "联系电话",
    "goal": "整改目标",
    "note": "备注",
    "batch": "批次",
    "case_no": "编号",
    "seq": "序号",
    "kind": "问题类型",
    "round_id": "督察批次",
    "deadline": "整改时限",
    "lead_units": "牵头单位",
    "responsible_units": "责任单位",
    "cooperating_units": "配合单位",
    "supervising_units": "督导单位",
    "text": "内容",
    "entry_date": "日期",
    "percent": "完成百分比",
    "reporter": "填报人",
}
_ROLE_OF_ARG = {
    "lead_units": "lead",
    "responsible_units": "responsible",
    "cooperating_units": "cooperating",
    "supervising_units": "supervising",
}


def _normal(value: object) -> object:
    if isinstance(value, Enum):
        value = value.value
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value]
    if isinstance(value, str):
        return value.strip()
    return value


def _shown(value: object) -> str:
    if isinstance(value, list):
        return "、".join(value) or "(空)"
    text = str(value)
    if not text:
        return "(空)"
    return text if len(text) <= 60 else text[:60] + "…"


def _units(owner: m.Problem | m.Measure, role: str) -> list[str]:
    links = sorted((link for link in owner.unit_links if link.role == role), key=lambda link: link.position)
    return [link.unit.name for link in links]


def _current(row: m.Base, field: str) -> object:
    if field in _ROLE_OF_ARG and isinstance(row, m.Problem | m.Measure):
        return _units(row, _ROLE_OF_ARG[field])
    if field == "deadline":
        return row.deadline_text  # type: ignore[attr-defined]
    return getattr(row, field)


def check_expected(row: m.Base, expected: Mapping[str, object] | None) -> None:
    """Refuse with StaleEditError when a stored value is no longer what the clerk saw."""
    if not expected:
        return
    for field, seen in expected.items():
        current = _normal(_current(row, field))
        if current != _normal(seen):
            label = FIELD_LABELS.get(field, field)
            raise StaleEditError(
                f"「{label}」刚被另一个程序或窗口改成了「{_shown(current)}」,您的修改没有保存,"
                "以免覆盖别人的修改。已显示最新内容;如仍需修改,请重新填写。",
                f"{field} was changed elsewhere since it was shown; the edit was refused",
                field=field,
                current=current,
            )
