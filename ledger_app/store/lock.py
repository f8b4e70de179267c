"""One writer at a time: a lock file beside the ledger naming who holds it.

SQLite serialises single transactions, but two programs that each show a task and write it back
lose each other's edits, and two clerks editing one ledger on a shared folder never notice. So a
program that opens a ledger for writing leaves ``<ledger file>.lock`` beside it: user, PC name,
process, since when, refreshed every minute by a background thread. A second program reads it and
tells the clerk who has the ledger open (and can open it read-only instead).

A lock is stale, and is taken over, when its process is gone from this PC (the pid no longer runs, or
runs a newer process that reused the number), or when it has not been refreshed for ``STALE_AFTER``
(a PC that crashed or lost the network share). Its owner notices a takeover at the next refresh and
stops writing (``lost``), instead of two programs writing as if each were alone.

Why a file and not an OS lock: byte-range locks on SMB shares are unreliable across Windows versions,
vanish silently with a dropped connection, and say nothing about who holds them.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psutil

from ledger_app.domain.errors import LedgerLockedError

from .fileops import replace_file

log = logging.getLogger(__name__)

REFRESH_EVERY = timedelta(seconds=60)
# Ten refreshes missed: long enough for a slow network share, a paused VM or a clock a few minutes
# off on another PC; short enough that a crashed PC does not keep the office out for long.
STALE_AFTER = timedelta(minutes=10)
# A lock file being written right now may be empty or half-written for a moment.
_UNREADABLE_GRACE = timedelta(seconds=10)
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"


def lock_path(ledger_path: Path) -> Path:
    return ledger_path.with_name(ledger_path.name + ".lock")


@dataclass(frozen=True)
class LockHolder:
    user: str
    host: str
    pid: int
    pid_started: float
    since: datetime
    refreshed: datetime
    token: str

    def describe(self) -> str:
        """用户「张三」(电脑 PC-01,进程 1234)自 2026-12-07 09:30 起."""
        return (
            f"用户「{self.user}」(电脑 {self.host},进程 {self.pid})"
            f"自 {self.since.strftime('%Y-%m-%d %H:%M')} 起"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "app": "ledger_app",
            "user": self.user,
            "host": self.host,
            "pid": self.pid,
            "pid_started": self.pid_started,
            "since": self.since.strftime(_TIME_FORMAT),
            "refreshed": self.refreshed.strftime(_TIME_FORMAT),
            "token": self.token,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LockHolder:
        return cls(
            user=str(data["user"]),
            host=str(data["host"]),
            pid=int(data["pid"]),
            pid_started=float(data.get("pid_started", 0.0)),
            since=datetime.strptime(str(data["since"]), _TIME_FORMAT),
            refreshed=datetime.strptime(str(data["refreshed"]), _TIME_FORMAT),
            token=str(data["token"]),
        )


def _host() -> str:
    return socket.gethostname() or "未知电脑"


def _process_started(pid: int) -> float:
    try:
        return psutil.Process(pid).create_time()
    except (psutil.Error, OSError):
        return 0.0


def _process_alive(pid: int, started: float) -> bool:
    if not psutil.pid_exists(pid):
        return False
    now_started = _process_started(pid)
    # A different start time: the number was reused by a newer process after ours died.
    return not (started and now_started and abs(now_started - started) > 1.0)


def read_holder(path: Path) -> LockHolder | None:
    """Who holds the lock on ``path``'s ledger, or None when nobody does (or the file is unreadable)."""
    try:
        data = json.loads(lock_path(path).read_text(encoding="utf-8"))
        return LockHolder.from_json(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _is_stale(holder: LockHolder, now: datetime) -> bool:
    if holder.host == _host() and not _process_alive(holder.pid, holder.pid_started):
        return True
    return now - holder.refreshed > STALE_AFTER


def locked_error(path: Path, holder: LockHolder) -> LedgerLockedError:
    return LedgerLockedError(
        f"台账正由{holder.describe()}打开,不能同时修改:{path}\n"
        "可以以只读方式打开查看;要修改,请等对方关闭程序后再打开。",
        f"the ledger is open in another program ({holder.user}@{holder.host}, pid {holder.pid}, "
        f"since {holder.since:%Y-%m-%d %H:%M}): {path}",
        holder=holder.to_json(),
    )


# Locks this process holds, by resolved lock path: a second Ledger on the same file in the same
# process (a test, the GUI's import worker) shares the lock instead of locking itself out.
_HELD: dict[str, LedgerLock] = {}
_HELD_GUARD = threading.Lock()


class LedgerLock:
    """The lock of one ledger file, held by this process; ``release`` when the ledger closes."""

    def __init__(self, ledger_path: Path, holder: LockHolder) -> None:
        self.ledger_path = ledger_path
        self.path = lock_path(ledger_path)
        self.holder = holder
        self.lost = False
        self._users = 1
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._refresh_loop, name="ledger-lock", daemon=True)
        self._thread.start()

    @classmethod
    def acquire(cls, ledger_path: Path, *, user: str) -> LedgerLock:
        """Take the lock, or raise LedgerLockedError naming who has the ledger open."""
        key = str(lock_path(ledger_path).resolve())
        with _HELD_GUARD:
            held = _HELD.get(key)
            if held is not None and not held.lost:
                held._users += 1
                return held
            holder = _take(ledger_path, user)
            lock = cls(ledger_path, holder)
            _HELD[key] = lock
            return lock

    def release(self) -> None:
        key = str(self.path.resolve())
        with _HELD_GUARD:
            self._users -= 1
            if self._users > 0:
                return
            if _HELD.get(key) is self:
                del _HELD[key]
        self._stop.set()
        if self._owned():
            with contextlib.suppress(OSError):
                self.path.unlink()

    def _owned(self) -> bool:
        current = read_holder(self.ledger_path)
        return current is not None and current.token == self.holder.token

    def refresh(self, now: datetime | None = None) -> None:
        """Rewrite the refresh time; notice when another program took the lock over."""
        if self.lost:
            return
        current = read_holder(self.ledger_path)
        taken_over = current is not None and current.token != self.holder.token
        if taken_over or (current is None and self.path.exists()):
            self.lost = True
            log.warning("lock on %s was taken over by %s", self.ledger_path, current)
            return
        # current None and no file: our lock file vanished (a clerk tidying the folder); put it back.
        stamp = (now or datetime.now()).replace(microsecond=0)
        self.holder = LockHolder(**{**self.holder.__dict__, "refreshed": stamp})
        try:
            _write(self.path, self.holder)
        except OSError:
            log.warning("cannot refresh lock %s", self.path, exc_info=True)

    def _refresh_loop(self) -> None:
        while not self._stop.wait(REFRESH_EVERY.total_seconds()):
            self.refresh()


def _write(path: Path, holder: LockHolder) -> None:
    tmp = path.with_name(f"{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        tmp.write_text(json.dumps(holder.to_json(), ensure_ascii=False), encoding="utf-8")
        replace_file(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _new_holder(user: str) -> LockHolder:
    now = datetime.now().replace(microsecond=0)
    pid = os.getpid()
    return LockHolder(user, _host(), pid, _process_started(pid), now, now, uuid.uuid4().hex)


def _take(ledger_path: Path, user: str) -> LockHolder:
    path = lock_path(ledger_path)
    mine = _new_holder(user)
    payload = json.dumps(mine.to_json(), ensure_ascii=False).encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return _take_over(ledger_path, mine)
    try:
        os.write(fd, payload)
        os.fsync(fd)
    finally:
        os.close(fd)
    return mine


def _take_over(ledger_path: Path, mine: LockHolder) -> LockHolder:
    path = lock_path(ledger_path)
    now = datetime.now()
    current = read_holder(ledger_path)
    if current is None:
        try:
            age = now - datetime.fromtimestamp(path.stat().st_mtime)
        except OSError:
            age = _UNREADABLE_GRACE  # vanished meanwhile: the other program just closed
        if age < _UNREADABLE_GRACE:
            raise LedgerLockedError(
                f"台账正被另一个程序打开(锁文件正在写入):{ledger_path}。请稍后再试。",
                f"the ledger is being opened by another program: {ledger_path}",
            )
        log.warning("unreadable lock file %s replaced", path)
    elif not _is_stale(current, now):
        raise locked_error(ledger_path, current)
    else:
        log.warning("stale lock of %s taken over: %s", ledger_path, current)
    _write(path, mine)
    # Two programs that both found the lock stale both wrote; the last rename wins, and the loser
    # must not go on believing it holds the ledger.
    winner = read_holder(ledger_path)
    if winner is None or winner.token != mine.token:
        raise locked_error(ledger_path, winner or mine)
    return mine
