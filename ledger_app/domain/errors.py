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


class StorageError(LedgerError):
    """The disk, the file system or another program stopped a read or write; nothing was half-written."""


class LedgerBusyError(StorageError):
    """Another program held the ledger's write lock for longer than we wait."""


class ReadOnlyStorageError(StorageError):
    """The ledger file, its folder or the medium (CD, write-protected USB stick) cannot be written."""


class DiskFullError(StorageError):
    """No space left on the disk or USB stick."""


class StorageGoneError(StorageError):
    """The file or the medium vanished (USB stick pulled, network share lost)."""


class DamagedLedgerError(NotALedgerError):
    """An SQLite file of ours whose pages are damaged: only restoring a backup helps."""


class ReadOnlyLedgerError(LedgerError):
    """The ledger was opened read-only (held by another program, or on read-only media)."""


class LedgerLockedError(LedgerError):
    """Another program (on this PC or another) has the ledger open for writing."""

    def __init__(
        self, message_zh: str, message_en: str = "", *, holder: dict[str, object] | None = None
    ) -> None:
        super().__init__(message_zh, message_en)
        self.holder = holder or {}


class StaleEditError(ValidationError):
    """An edit made from a stale view: another program changed the value since it was shown."""

    def __init__(
        self, message_zh: str, message_en: str = "", *, field: str = "", current: object = None
    ) -> None:
        super().__init__(message_zh, message_en)
        self.field = field
        self.current = current


class UnreadableDeadlineError(ValidationError):
    """A 整改时限 that cannot be read was typed over one that could: the readable one is kept.

    Saving it would make the task 时限不明 and drop its date; the GUI asks the clerk, and
    ``update_task(..., confirm_unknown_deadline=True)`` saves it once confirmed.
    """

    def __init__(self, text: str, previous: str) -> None:
        super().__init__(
            f"无法识别的整改时限「{text}」,已保留原时限 {previous}。如确实改为时限不明,请确认后再保存。",
            f"deadline {text!r} is not readable; the previous deadline {previous!r} was kept",
        )
        self.text = text
        self.previous = previous
