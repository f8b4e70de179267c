"""One writer at a time: the lock file beside the ledger, who holds it, stale locks, read-only opening."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from ledger_app.domain.errors import LedgerLockedError, ReadOnlyLedgerError
from ledger_app.services import Ledger
from ledger_app.store import lock as lock_module
from ledger_app.store.lock import LedgerLock, lock_path, read_holder


def write_lock(ledger_path: Path, **fields: object) -> None:
    now = datetime.now().replace(microsecond=0)
    data = {
        "app": "ledger_app",
        "user": "李四",
        "host": "PC-办公室2",
        "pid": 4242,
        "pid_started": 0.0,
        "since": (now - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%S"),
        "refreshed": now.strftime("%Y-%m-%dT%H:%M:%S"),
        "token": "other",
    }
    data.update(fields)
    lock_path(ledger_path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_opening_for_writing_leaves_a_lock_naming_the_clerk_and_closing_removes_it(ledger_path: Path) -> None:
    with Ledger.open(ledger_path, actor="张三"):
        holder = read_holder(ledger_path)
        assert holder is not None
        assert (holder.user, holder.host, holder.pid) == ("张三", socket.gethostname(), os.getpid())
    assert not lock_path(ledger_path).exists()


def test_a_second_ledger_in_the_same_process_shares_the_lock(ledger_path: Path) -> None:
    first = Ledger.open(ledger_path)
    second = Ledger.open(ledger_path)
    first.close()
    assert lock_path(ledger_path).exists()  # the second still holds it
    second.close()
    assert not lock_path(ledger_path).exists()


def test_another_pc_holding_the_ledger_is_named_and_nothing_is_written(ledger_path: Path) -> None:
    write_lock(ledger_path)
    before = ledger_path.read_bytes()
    with pytest.raises(LedgerLockedError) as refused:
        Ledger.open(ledger_path)
    message = refused.value.message_zh
    assert "李四" in message and "PC-办公室2" in message and "4242" in message and "只读" in message
    assert ledger_path.read_bytes() == before
    assert read_holder(ledger_path).token == "other"  # type: ignore[union-attr]


def test_a_live_process_on_this_pc_holds_the_lock(ledger_path: Path, tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    script = textwrap.dedent(
        f"""
        import sys, time, pathlib
        sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
        from ledger_app.services import Ledger
        ledger = Ledger.open({str(ledger_path)!r}, actor="王五")
        pathlib.Path({str(ready)!r}).write_text("ok")
        time.sleep(60)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script])
    try:
        for _ in range(300):
            if ready.exists() or child.poll() is not None:
                break
            time.sleep(0.1)
        assert ready.exists()
        with pytest.raises(LedgerLockedError, match="王五"):
            Ledger.open(ledger_path)
        # Read-only opening works beside it, and refuses every change.
        with Ledger.open(ledger_path, read_only=True) as viewer:
            assert viewer.tasks.count_tasks() == 0
            with pytest.raises(ReadOnlyLedgerError):
                viewer.settings.update(organisation="某区整改办")
    finally:
        child.kill()
        child.wait()
    # The holder died without releasing: its lock is stale and taken over.
    with Ledger.open(ledger_path, actor="赵六"):
        assert read_holder(ledger_path).user == "赵六"  # type: ignore[union-attr]


def test_a_lock_of_a_dead_process_on_this_pc_is_taken_over(ledger_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    write_lock(ledger_path, host=socket.gethostname(), pid=int(dead.stdout))
    with Ledger.open(ledger_path, actor="张三"):
        assert read_holder(ledger_path).user == "张三"  # type: ignore[union-attr]


def test_a_lock_not_refreshed_for_long_is_stale(ledger_path: Path) -> None:
    old = datetime.now() - lock_module.STALE_AFTER - timedelta(minutes=1)
    write_lock(ledger_path, refreshed=old.strftime("%Y-%m-%dT%H:%M:%S"))
    with Ledger.open(ledger_path, actor="张三"):
        assert read_holder(ledger_path).user == "张三"  # type: ignore[union-attr]


def test_an_unreadable_lock_file_is_respected_briefly_then_replaced(ledger_path: Path) -> None:
    lock_path(ledger_path).write_bytes(b"")
    with pytest.raises(LedgerLockedError, match="稍后再试"):
        Ledger.open(ledger_path)
    an_hour_ago = datetime.now().timestamp() - 3600
    os.utime(lock_path(ledger_path), (an_hour_ago, an_hour_ago))
    Ledger.open(ledger_path).close()


def test_a_taken_over_lock_stops_the_old_holder_from_writing(ledger_path: Path) -> None:
    with Ledger.open(ledger_path) as ledger:
        assert ledger.lock is not None
        write_lock(ledger_path)  # another program decided ours was stale and took over
        ledger.lock.refresh()
        assert ledger.lock.lost
        with pytest.raises(ReadOnlyLedgerError, match="接管"):
            ledger.settings.update(organisation="某区整改办")
    assert read_holder(ledger_path).token == "other"  # type: ignore[union-attr]  # not removed by the loser


def test_refresh_rewrites_the_time_and_restores_a_deleted_lock_file(ledger_path: Path) -> None:
    lock = LedgerLock.acquire(ledger_path, user="张三")
    try:
        later = datetime.now().replace(microsecond=0) + timedelta(minutes=3)
        lock.refresh(later)
        assert read_holder(ledger_path).refreshed == later  # type: ignore[union-attr]
        lock_path(ledger_path).unlink()
        lock.refresh()
        assert not lock.lost
        assert read_holder(ledger_path).token == lock.holder.token  # type: ignore[union-attr]
    finally:
        lock.release()
