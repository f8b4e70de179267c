"""Small reads the task panel needs beside the facade: no Qt here.

The panel reloads its task after every committed edit; ``list_units()`` counts every unit's tasks,
which costs ~0.1 s at 10,000 tasks, while completion only needs the names.
"""

from __future__ import annotations

from sqlalchemy import select

from ledger_app.store import models as m

from . import Ledger


def unit_names(ledger: Ledger) -> list[str]:
    """Every name in the unit directory, sorted, for completion in unit fields."""
    with ledger._read() as session:
        return list(session.scalars(select(m.Unit.name).order_by(m.Unit.name)))


def unit_names_by_id(ledger: Ledger) -> dict[int, str]:
    """The unit directory as id → name (the audit log refers to units by id)."""
    with ledger._read() as session:
        return {unit_id: name for unit_id, name in session.execute(select(m.Unit.id, m.Unit.name))}


def round_choices(ledger: Ledger) -> list[tuple[int, str]]:
    """(id, name) of every inspection round in ledger order: ``list_rounds()`` without its task counts."""
    query = select(m.InspectionRound.id, m.InspectionRound.name).order_by(
        m.InspectionRound.position, m.InspectionRound.id
    )
    with ledger._read() as session:
        return [(round_id, name) for round_id, name in session.execute(query)]
