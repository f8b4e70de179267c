"""Business settings that travel with the ledger file (not per-PC UI state).

SQLAlchemy is imported inside the methods that query: the GUI's start-up read (first_read.py) reads
the stored settings with sqlite3 and turns them into ``LedgerSettings`` here, before SQLAlchemy loads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Self

from ledger_app.domain.errors import ValidationError
from ledger_app.domain.model import DEFAULT_WARNING_DAYS

if TYPE_CHECKING:
    from . import Ledger


@dataclass(slots=True)
class LedgerSettings:
    organisation: str = "XX区"  # 填报单位 and the start of report titles
    place: str = "我区"  # how the summary sentence names the area ("反馈问题涉及我区的有…")
    report_title: str = ""  # overrides "<organisation><round>反馈问题整改落实情况台账" when set
    rectification_office: str = "XX区生态环境保护督察整改工作领导小组办公室"  # issues letters and reports
    warning_days: int = DEFAULT_WARNING_DAYS  # 临期 window
    notice_contact: str = ""  # 公示 contact person
    notice_phone: str = ""
    attachment_max_mb: int = 200  # 佐证材料: largest single file accepted
    # Automatic backups kept (domain.retention): the newest N, one a day for N days, one a month for N months.
    backup_keep_last: int = 10
    backup_keep_daily: int = 30
    backup_keep_monthly: int = 12
    # The progress report's parts only people write (主要做法, 下一步工作): the clerk's text from last time.
    report_practices: str = ""
    report_next_steps: str = ""

    @classmethod
    def from_stored(cls, stored: Mapping[str, str]) -> Self:
        """The settings from the ``settings`` table's (key, value) texts, defaults for those never set."""
        result = cls()
        for f in fields(cls):
            if f.name in stored:
                raw = stored[f.name]
                setattr(result, f.name, int(raw) if f.type in ("int", int) else raw)
        return result


# At least one backup is always kept: the newest (rotation never deletes the one just made anyway).
BACKUP_KEEP_LIMITS = {
    "backup_keep_last": (1, 1000),
    "backup_keep_daily": (0, 3660),
    "backup_keep_monthly": (0, 1200),
}


class Settings:
    """``ledger.settings``: the business settings stored in the ledger file."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def current(self) -> LedgerSettings:
        """The settings as stored, with the defaults for those never set."""
        from sqlalchemy import select

        from ledger_app.store import models as m

        with self.ledger.reading() as session:
            stored = dict(session.execute(select(m.Setting.key, m.Setting.value)).all())
        return LedgerSettings.from_stored(stored)

    def update(self, **changes: object) -> LedgerSettings:
        """Change the settings named, in one change (refused whole when one value is wrong); returns them all."""
        known = {f.name: f for f in fields(LedgerSettings)}
        for key, value in changes.items():
            if key not in known:
                raise ValidationError(f"未知的设置项:{key}", f"unknown setting: {key}")
            # bool is an int, but True would be stored as "True" and then break every read of the settings.
            if key == "warning_days" and (
                isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 365
            ):
                raise ValidationError("临期提醒天数应为 0 到 365 之间的整数。", "warning_days must be 0..365")
            if key in BACKUP_KEEP_LIMITS:
                low, high = BACKUP_KEEP_LIMITS[key]
                if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                    raise ValidationError(
                        f"备份保留份数应为 {low} 到 {high} 之间的整数:{value}", f"{key} must be {low}..{high}"
                    )
        from ledger_app.store import models as m

        with self.ledger.changing("修改设置") as session:
            for key, value in changes.items():
                row = session.get(m.Setting, key)
                text = str(value).strip() if isinstance(value, str) else str(value)
                if row is None:
                    session.add(m.Setting(key=key, value=text))
                else:
                    row.value = text
        return self.current()
