"""The vocabulary of the rectification ledger (shared/domain.md) as enums.

Each enum's value is a stable English key (used in the database, the JSON dump and the CLI);
its ``label`` is the Chinese word the clerks see.
"""

from __future__ import annotations

from enum import StrEnum


class _Labelled(StrEnum):
    """A StrEnum whose members carry a Chinese label next to their English key."""

    label: str

    def __new__(cls, value: str, label: str) -> _Labelled:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def from_label(cls, label: str) -> _Labelled:
        for member in cls:
            if member.label == label:
                return member
        raise ValueError(f"{label!r} is not a {cls.__name__} label")


class RoundLevel(_Labelled):
    """Which level of government sent the inspection team."""

    CENTRAL = "central", "中央"
    PROVINCIAL = "provincial", "省"
    CITY = "city", "市"
    DISTRICT = "district", "区"


class Section(_Labelled):
    """The three parts of a ledger; each has its own 序号 numbering within a round."""

    FEEDBACK = "feedback", "反馈问题"
    PETITION = "petition", "交办信访件"
    SELF_CHECK = "self-check", "自查问题"


class ProblemKind(_Labelled):
    """Problem.kind: what sort of problem a task is."""

    SPECIFIC = "specific", "个性问题"
    COMMON = "common", "共性问题"
    PETITION = "petition", "交办信访件"
    SELF_CHECK = "self-check", "自查问题"

    @property
    def section(self) -> Section:
        return _SECTION_OF[self]


_SECTION_OF = {
    ProblemKind.SPECIFIC: Section.FEEDBACK,
    ProblemKind.COMMON: Section.FEEDBACK,
    ProblemKind.PETITION: Section.PETITION,
    ProblemKind.SELF_CHECK: Section.SELF_CHECK,
}


class TaskStatus(_Labelled):
    """Where a task stands in its lifecycle, in the order it walks it."""

    NOT_STARTED = "not-started", "未启动"
    IN_PROGRESS = "in-progress", "整改中"
    COMPLETED = "completed", "已完成"
    ACCEPTED = "accepted", "已验收"
    PUBLIC_NOTICE = "public-notice", "公示中"
    CLOSED = "closed", "已销号"

    @property
    def order(self) -> int:
        return _STATUS_ORDER[self]

    @property
    def is_done(self) -> bool:
        """Completed or further: counts towards the rectification rate (整改率)."""
        return _STATUS_ORDER[self] >= 2


# Asked several times per task by every list and report: computed once (iterating an enum costs µs).
_STATUS_ORDER = {status: index for index, status in enumerate(TaskStatus)}


class ScheduleFlag(_Labelled):
    """Computed on top of the status of an open task; never stored."""

    ON_SCHEDULE = "on-schedule", "序时推进"
    DUE_SOON = "due-soon", "临期"
    LAGGING = "lagging", "滞后"
    LONG_TERM = "long-term", "长期坚持"
    # Empty or unreadable 整改时限: without a date nobody can say the task is on time, so it is
    # never counted as 序时推进 (issue 18: 明年春天 typed over a date hid an overdue task).
    UNKNOWN_DEADLINE = "unknown-deadline", "时限不明"


class UnitRole(_Labelled):
    """How a unit is linked to a task or a measure."""

    LEAD = "lead", "牵头单位"
    RESPONSIBLE = "responsible", "责任单位"
    COOPERATING = "cooperating", "配合单位"
    SUPERVISING = "supervising", "督导单位"


class ReviewResult(_Labelled):
    """Outcome of a follow-up review (回头看) of a closed task."""

    CONSOLIDATED = "consolidated", "整改成效巩固"
    RELAPSE = "relapse", "反弹"


class NoticeKind(_Labelled):
    """Letters sent to a unit whose tasks lag or are near their deadline."""

    SUPERVISION_ORDER = "supervision-order", "督办单"
    REMINDER = "reminder", "提醒函"


DEFAULT_WARNING_DAYS = 15
