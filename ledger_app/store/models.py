"""The ledger's tables as SQLAlchemy 2 typed models.

Enums are stored as their stable English keys (plain strings, portable to PostgreSQL);
dates as DATE, moments as timezone-naive local DATETIME (the office's wall clock).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints so batch migrations on SQLite can find and alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Setting(Base):
    """Business settings that travel with the ledger (organisation name, report titles, …)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class InspectionRound(Base):
    __tablename__ = "rounds"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    level: Mapped[str] = mapped_column(String(20))
    on_site_start: Mapped[date | None] = mapped_column(Date)
    on_site_end: Mapped[date | None] = mapped_column(Date)
    feedback_date: Mapped[date | None] = mapped_column(Date)
    plan_document_no: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    problems: Mapped[list[Problem]] = relationship(back_populates="round")


class Unit(Base):
    """One entry of the unit directory, shared by every task that names it."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    note: Mapped[str] = mapped_column(Text, default="")


class Problem(Base):
    """A task of the ledger (反馈问题 / 整改任务)."""

    __tablename__ = "problems"
    __table_args__ = (Index("ix_problems_round_seq", "round_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="RESTRICT"))
    seq: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    leader: Mapped[str] = mapped_column(String(200), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(100), default="")
    deadline_text: Mapped[str] = mapped_column(String(500), default="")
    deadline_date: Mapped[date | None] = mapped_column(Date)
    deadline_long_term: Mapped[bool] = mapped_column(Boolean, default=False)
    goal: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="not-started")
    batch: Mapped[str] = mapped_column(String(100), default="")
    case_no: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)

    round: Mapped[InspectionRound] = relationship(back_populates="problems")
    unit_links: Mapped[list[ProblemUnit]] = relationship(
        back_populates="problem", cascade="all, delete-orphan", order_by="ProblemUnit.position"
    )
    measures: Mapped[list[Measure]] = relationship(
        back_populates="problem", cascade="all, delete-orphan", order_by="Measure.position"
    )
    progress: Mapped[list[ProgressEntry]] = relationship(
        back_populates="problem", cascade="all, delete-orphan", order_by="ProgressEntry.entry_date"
    )


class ProblemUnit(Base):
    """A unit linked to a task in one role (牵头/责任/配合/督导)."""

    __tablename__ = "problem_units"
    __table_args__ = (Index("ix_problem_units_order", "problem_id", "role", "position"),)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problems.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    problem: Mapped[Problem] = relationship(back_populates="unit_links")
    unit: Mapped[Unit] = relationship()


class Measure(Base):
    """One numbered item of a task's rectification measures (整改措施)."""

    __tablename__ = "measures"
    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problems.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    deadline_text: Mapped[str] = mapped_column(String(500), default="")
    deadline_date: Mapped[date | None] = mapped_column(Date)
    deadline_long_term: Mapped[bool] = mapped_column(Boolean, default=False)
    problem: Mapped[Problem] = relationship(back_populates="measures")
    unit_links: Mapped[list[MeasureUnit]] = relationship(
        back_populates="measure", cascade="all, delete-orphan", order_by="MeasureUnit.position"
    )


class MeasureUnit(Base):
    __tablename__ = "measure_units"
    __table_args__ = (Index("ix_measure_units_order", "measure_id", "role", "position"),)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    measure: Mapped[Measure] = relationship(back_populates="unit_links")
    unit: Mapped[Unit] = relationship()


class ProgressEntry(Base):
    """A dated progress report (整改进展) of a task."""

    __tablename__ = "progress_entries"
    __table_args__ = (Index("ix_progress_problem_date", "problem_id", "entry_date"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problems.id", ondelete="CASCADE"))
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measures.id", ondelete="SET NULL"))
    entry_date: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    percent: Mapped[int | None] = mapped_column(Integer)
    reporter: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    problem: Mapped[Problem] = relationship(back_populates="progress")


class Attachment(Base):
    """Metadata of an evidence file (佐证材料); the bytes live in the attachment store by sha256."""

    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problems.id", ondelete="CASCADE"), index=True)
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measures.id", ondelete="SET NULL"))
    progress_id: Mapped[int | None] = mapped_column(ForeignKey("progress_entries.id", ondelete="SET NULL"))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_name: Mapped[str] = mapped_column(String(1000))
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(DateTime)
    added_by: Mapped[str] = mapped_column(String(200), default="")
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)


class Acceptance(Base):
    """验收: the check that a task is done. Several over a task's life when it is reopened."""

    __tablename__ = "acceptances"
    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problems.id", ondelete="CASCADE"), index=True)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    unit: Mapped[str] = mapped_column(String(200), default="")
    conclusion: Mapped[str] = mapped_column(Text, default="")
    opinion: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class PublicNotice(Base):
    """公示: the notice period before close-out."""

    __tablename__ = "public_notices"
    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problems.id", ondelete="CASCADE"), index=True)
    start: Mapped[date | None] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    contact: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(100), default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class CloseOut(Base):
    """销号: formal closure after acceptance and notice."""

    __tablename__ = "close_outs"
    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problems.id", ondelete="CASCADE"), index=True)
    closed_on: Mapped[date] = mapped_column(Date, index=True)
    approved_by: Mapped[str] = mapped_column(String(200), default="")
    document_no: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Review(Base):
    """回头看: a later re-check of a closed task; a relapse (反弹) reopens it."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problems.id", ondelete="CASCADE"), index=True)
    review_date: Mapped[date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class NoticeDocument(Base):
    """An issued 督办单 or 提醒函, numbered per kind and year (督办〔2026〕N号)."""

    __tablename__ = "notice_documents"
    __table_args__ = (
        UniqueConstraint("kind", "year", "number", name="uq_notice_documents_kind_year_number"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    unit_name: Mapped[str] = mapped_column(String(200), default="")
    issued_on: Mapped[date] = mapped_column(Date)
    reply_by: Mapped[date | None] = mapped_column(Date)
    problem_ids: Mapped[str] = mapped_column(Text, default="")  # comma-separated, as issued
    created_at: Mapped[datetime] = mapped_column(DateTime)


class AuditEntry(Base):
    """One changed field: who, when, which entity, old and new value; written with the change.

    ``change_id`` groups the rows of one clerk action so it can be undone as a whole.
    For a created or deleted row, ``field`` is "*" and the value holds the row as JSON.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_problem", "problem_id", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    change_id: Mapped[str] = mapped_column(String(36), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(20))  # create / update / delete
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    entity_key: Mapped[str | None] = mapped_column(String(500))  # the primary key as JSON (since 0002)
    problem_id: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(100), default="")
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    undone: Mapped[bool] = mapped_column(Boolean, default=False)
    # The hash chain (since 0003, see domain/audit_chain.py): the hash of the row before this one,
    # and of that plus this row's content. Nullable only so a row written by another tool is
    # reported by the ledger check rather than refused by the database.
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    row_hash: Mapped[str | None] = mapped_column(String(64))
