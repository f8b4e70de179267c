"""Errors a clerk can understand: each carries a Chinese message and an English one."""

from __future__ import annotations


class LedgerError(Exception):
    """Base of every error the app reports to a user instead of a traceback."""

    def __init__(self, message_zh: str, message_en: str = "") -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.message_en = message_en

    def one_line(self) -> str:
        """`中文 / English` on one line, for the CLI."""
        return f"{self.message_zh} / {self.message_en}" if self.message_en else self.message_zh


class NotALedgerError(LedgerError):
    """The file is missing, is not SQLite, or is SQLite but not one of our ledgers."""


class NewerLedgerError(LedgerError):
    """The ledger was made by a newer release; opening it could damage it."""


class ValidationError(LedgerError):
    """Input a clerk typed that the ledger refuses (bad date, duplicate 序号, …)."""


class TransitionRefused(LedgerError):
    """A status step that the lifecycle rules do not allow, with the reason."""


class NotFoundError(LedgerError):
    """A task, unit or round that is not (or no longer) in the ledger."""


class CancelledError(LedgerError):
    """Long work stopped by the user; nothing was written."""

    def __init__(self) -> None:
        super().__init__("操作已取消,未做任何更改。", "Cancelled; nothing was changed.")
