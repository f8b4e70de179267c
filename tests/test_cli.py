"""``ledger-cli`` end to end: demo, dump, stats, and the errors a clerk can cause (never a traceback)."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from ledger_app.cli.main import main
from ledger_app.domain.model import ProblemKind, RoundLevel, ScheduleFlag, TaskStatus
from ledger_app.domain.stats import summary_sentence
from ledger_app.services import Ledger

AS_OF = "2026-11-23"
CJK = re.compile(r"[\u4e00-\u9fff]")
DOCUMENTED_TASK_KEYS = {
    "seq", "kind", "description", "lead_units", "responsible_units", "cooperating_units", "supervising_units",
    "leader", "deadline", "deadline_text", "goal", "status", "schedule", "measures", "progress", "attachments",
    "note",
}  # fmt: skip
TASK_KEYS = DOCUMENTED_TASK_KEYS | {
    "contact", "contact_phone", "batch", "case_no", "acceptance", "public_notice", "close_out", "reviews",
}  # fmt: skip
MEASURE_KEYS = {"seq", "text", "lead_units", "cooperating_units", "deadline", "deadline_text"}
ROUND_KEYS = {"name", "level", "on_site_start", "on_site_end", "feedback_date", "plan_document_no", "tasks"}
STATUS_KEYS = {"not-started", "in-progress", "completed", "accepted", "public-notice", "closed"}
SCHEDULE_KEYS = {"on-schedule", "due-soon", "lagging", "long-term", "unknown-deadline"}
DEADLINE = re.compile(r"\d{4}-\d{2}-\d{2}|long-term")


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ledger_app.cli.main", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def call(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """main() in-process; argparse refusals exit through SystemExit, which counts as a return code here."""
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_reason(err: str) -> None:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert CJK.search(lines[0]), "a Chinese reason"
    assert re.search(r" / [a-z]", lines[0]), "followed by an English one"


# -- demo ------------------------------------------------------------------------------------------------
def test_demo_and_stats_in_fresh_processes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "demo.sqlite3"
    done = run("demo", "--db", db, "--tasks", "40", "--seed", "3")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert re.fullmatch(
        r"已生成演示台账 .*:任务 40 项,措施 \d+ 条,进展 \d+ 条,已销号 \d+ 项。\n", done.stdout
    )

    stats = run("stats", "--db", db, "--today", AS_OF, "--json")
    assert stats.returncode == 0, stats.stderr
    figures = json.loads(stats.stdout)
    assert figures["total"]["total"] == 40

    # The same ledger dumped in-process agrees with both.
    code, out, _ = call(capsys, "dump", "--db", db, "--today", AS_OF)
    assert code == 0
    data = json.loads(out)
    assert sum(len(r["tasks"]) for r in data["rounds"]) == 40
    closed = sum(t["status"] == "closed" for r in data["rounds"] for t in r["tasks"])
    assert figures["total"]["closed"] == closed
    assert f"已销号 {closed} 项" in done.stdout


def test_one_seed_gives_one_ledger(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dumps = []
    for name, seed in (("a", "9"), ("b", "9"), ("c", "10")):
        db = tmp_path / f"{name}.sqlite3"
        assert call(capsys, "demo", "--db", db, "--tasks", "15", "--seed", seed)[0] == 0
        code, out, _ = call(capsys, "dump", "--db", db, "--today", AS_OF)
        assert code == 0
        dumps.append(out)
    assert dumps[0] == dumps[1]
    assert dumps[0] != dumps[2]


def test_demo_refuses_to_overwrite_unless_forced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "demo.sqlite3"
    assert call(capsys, "demo", "--db", db, "--tasks", "5")[0] == 0
    code, out, err = call(capsys, "demo", "--db", db, "--tasks", "6")
    assert code == 2 and out == ""
    assert (
        err
        == f"错误:文件已存在:{db}(演示数据只写入新台账;确需覆盖请加 --force) / {db} exists; use --force to replace it\n"
    )
    assert call(capsys, "demo", "--db", db, "--tasks", "6", "--force")[0] == 0
    with Ledger.open(db) as ledger:
        assert ledger.tasks.count_tasks() == 6


@pytest.mark.parametrize("tasks", ["0", "-3", "200001"])
def test_demo_refuses_a_bad_count_and_leaves_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], tasks: str
) -> None:
    db = tmp_path / "demo.sqlite3"
    code, _, err = call(capsys, "demo", "--db", db, "--tasks", tasks)
    assert code == 2
    assert err == "错误:任务数量应在 1 到 200000 之间。 / tasks must be 1..200000\n"
    assert not db.exists()  # so the corrected command works at once
    if tasks == "0":
        assert call(capsys, "demo", "--db", db, "--tasks", "3")[0] == 0


# -- dump ------------------------------------------------------------------------------------------------
def test_dump_shape_of_the_demo(demo_ledger: Ledger, capsys: pytest.CaptureFixture[str]) -> None:
    path = demo_ledger.path
    code, out, err = call(capsys, "dump", "--db", path, "--today", AS_OF)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert set(data) == {"format", "as_of", "rounds"}
    assert (data["format"], data["as_of"]) == (1, AS_OF)
    levels = {r["level"] for r in data["rounds"]}
    assert levels <= {level.value for level in RoundLevel} and levels
    tasks = [t for r in data["rounds"] for t in r["tasks"]]
    assert len(tasks) == 120
    for r in data["rounds"]:
        assert set(r) == ROUND_KEYS
    statuses, schedules, deadlines = set(), set(), set()
    for t in tasks:
        assert set(t) == TASK_KEYS
        assert isinstance(t["seq"], str) and t["kind"] in {k.value for k in ProblemKind}
        statuses.add(t["status"])
        schedules.add(t["schedule"])
        assert t["deadline"] is None or DEADLINE.fullmatch(t["deadline"]), t["deadline"]
        deadlines.add("date" if t["deadline"] not in (None, "long-term") else t["deadline"])
        assert (t["schedule"] is None) == TaskStatus(t["status"]).is_done
        for ms in t["measures"]:
            assert set(ms) == MEASURE_KEYS
            assert ms["deadline"] is None or DEADLINE.fullmatch(ms["deadline"])
        assert [ms["seq"] for ms in t["measures"]] == list(range(1, len(t["measures"]) + 1))
        for p in t["progress"]:
            assert set(p) == {"date", "text", "percent"}
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", p["date"])
            assert p["percent"] is None or 0 <= p["percent"] <= 100
        assert [p["date"] for p in t["progress"]] == sorted(p["date"] for p in t["progress"])
        assert all(isinstance(u, str) for u in t["lead_units"] + t["supervising_units"])
    assert statuses == STATUS_KEYS  # the demo walks the whole lifecycle
    assert schedules <= SCHEDULE_KEYS | {None}
    assert {"date", "long-term"} <= deadlines


def test_dump_of_a_known_ledger(ledger: Ledger, capsys: pytest.CaptureFixture[str]) -> None:
    round_id = ledger.directory.create_round(
        name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL, feedback_date=date(2021, 7, 15),
        plan_document_no="宣委〔2023〕73号",
    )  # fmt: skip
    task_id = ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.SPECIFIC, seq="1", description="污水直排", deadline="2026年6月底前",
        lead_units=["区住建局"], responsible_units=["城关街道"], supervising_units=["区委督查室"],
        leader="王建国", goal="出水达标", note="重点",
    )  # fmt: skip
    ledger.tasks.add_measure(
        task_id, text="雨污分流", lead_units=["区住建局"], cooperating_units=["城关街道"], deadline="长期坚持"
    )
    ledger.tasks.add_progress(task_id, entry_date=date(2026, 5, 25), text="完成30%", percent=30)
    ledger.tasks.create_task(
        round_id=round_id, kind=ProblemKind.PETITION, seq="1", description="噪声", deadline="尽快"
    )
    ledger.directory.create_round(name="区级自查", level=RoundLevel.DISTRICT)
    code, out, _ = call(capsys, "dump", "--db", ledger.path, "--today", "2026-07-01")
    assert code == 0
    assert json.loads(out) == {
        "format": 1,
        "as_of": "2026-07-01",
        "rounds": [
            {
                "name": "第二轮中央生态环境保护督察", "level": "central", "on_site_start": None, "on_site_end": None,
                "feedback_date": "2021-07-15", "plan_document_no": "宣委〔2023〕73号",
                "tasks": [
                    {
                        "seq": "1", "kind": "specific", "description": "污水直排", "lead_units": ["区住建局"],
                        "responsible_units": ["城关街道"], "cooperating_units": [], "supervising_units": ["区委督查室"],
                        "leader": "王建国", "contact": "", "contact_phone": "", "deadline": "2026-06-30",
                        "deadline_text": "2026年6月底前", "goal": "出水达标", "status": "not-started",
                        "schedule": "lagging", "batch": "", "case_no": "",
                        "measures": [
                            {"seq": 1, "text": "雨污分流", "lead_units": ["区住建局"], "cooperating_units": ["城关街道"],
                             "deadline": "long-term", "deadline_text": "长期坚持"},
                        ],
                        "progress": [{"date": "2026-05-25", "text": "完成30%", "percent": 30}],
                        "attachments": [], "acceptance": None, "public_notice": None, "close_out": None,
                        "reviews": [], "note": "重点",
                    },
                    {
                        "seq": "1", "kind": "petition", "description": "噪声", "lead_units": [],
                        "responsible_units": [], "cooperating_units": [], "supervising_units": [], "leader": "",
                        "contact": "", "contact_phone": "", "deadline": None, "deadline_text": "尽快", "goal": "",
                        "status": "not-started", "schedule": "unknown-deadline", "batch": "", "case_no": "",
                        "measures": [], "progress": [], "attachments": [], "acceptance": None,
                        "public_notice": None, "close_out": None, "reviews": [], "note": "",
                    },
                ],
            },
            {
                "name": "区级自查", "level": "district", "on_site_start": None, "on_site_end": None,
                "feedback_date": None, "plan_document_no": "", "tasks": [],
            },
        ],
    }  # fmt: skip


def test_dump_to_a_file(demo_ledger: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.json"
    code, out, _ = call(capsys, "dump", "--db", demo_ledger.path, "--today", AS_OF, "-o", target)
    assert (code, out) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8"))["as_of"] == AS_OF
    assert "\\u" not in target.read_text(encoding="utf-8")  # Chinese as Chinese, not escapes


# -- stats -----------------------------------------------------------------------------------------------
def test_stats_json_equals_the_services(demo_ledger: Ledger, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = call(capsys, "stats", "--db", demo_ledger.path, "--today", AS_OF, "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    stats = demo_ledger.queries.stats(today=date(2026, 11, 23))
    overview = data.pop("overview")  # the overview's own figures: tests/test_cli_reports.py
    assert sum(r["tasks"] for r in overview["ranking"]) == sum(t["total"] for t in data["by_unit"].values())
    assert data == {
        "as_of": AS_OF,
        **json.loads(json.dumps(stats.as_dict())),
        "summary": summary_sentence(stats, "我区"),
    }
    assert data["total"]["total"] == 120
    assert sum(data["by_status"].values()) == 120
    assert sum(data["by_schedule"].values()) == data["total"]["open"]
    assert sum(r["total"] for r in data["by_round"].values()) == 120


def test_stats_text(demo_ledger: Ledger, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "stats", "--db", demo_ledger.path, "--today", AS_OF)
    assert code == 0
    stats = demo_ledger.queries.stats(today=date(2026, 11, 23))
    t = stats.total
    lines = out.splitlines()
    assert (
        lines[0] == f"任务总数 {t.total} 项:已完成 {t.completed} 项,已销号 {t.closed} 项,未完成 {t.open} 项。"
    )
    status_line = "按状态:" + ",".join(f"{s.label} {stats.by_status.get(s, 0)}" for s in TaskStatus)
    schedule_line = "按进度:" + ",".join(f"{f.label} {stats.by_schedule.get(f, 0)}" for f in ScheduleFlag)
    assert status_line in lines and schedule_line in lines
    for name, tally in stats.by_round.items():
        assert any(line.startswith(f"  {name}:{tally.total} 项,已完成 {tally.completed},") for line in lines)
    assert lines[-1] == summary_sentence(stats, "我区")
    assert lines[-1].startswith("反馈问题涉及我区的有")


def test_stats_of_a_small_ledger(ledger: Ledger, capsys: pytest.CaptureFixture[str]) -> None:
    round_id = ledger.directory.create_round(name="R", level=RoundLevel.DISTRICT)
    for i in range(3):
        ledger.tasks.create_task(
            round_id=round_id, kind=ProblemKind.SPECIFIC, description=f"问题{i}", deadline="2026年底前"
        )
    ledger.settings.update(place="我县")
    code, out, _ = call(capsys, "stats", "--db", ledger.path, "--today", "2026-07-01")
    assert code == 0
    assert out.splitlines()[0] == "任务总数 3 项:已完成 0 项,已销号 0 项,未完成 3 项。"
    assert out.splitlines()[1] == "整改率 0%,销号率 0%。"
    assert out.splitlines()[-1] == "反馈问题涉及我县的有3项,均按序时进度推进整改中,整改率0%、销号率0%。"


# -- errors ----------------------------------------------------------------------------------------------
def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "nowhere.sqlite3"
    for command in ("dump", "stats"):
        code, out, err = call(capsys, command, "--db", db)
        assert (code, out) == (2, "")
        assert err == f"错误:找不到台账文件:{db} / ledger file not found: {db}\n"
    assert not db.exists()


@pytest.mark.parametrize("content", [b"", b"not a database at all", b"SQLite format 3\x00" + b"\x00" * 200])
def test_not_a_ledger(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes) -> None:
    db = tmp_path / "x.sqlite3"
    db.write_bytes(content)
    code, out, err = call(capsys, "stats", "--db", db)
    assert (code, out) == (2, "")
    assert_one_line_reason(err)
    assert err.startswith("错误:")
    assert db.read_bytes() == content


def test_another_programs_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (x)")
    code, _, err = call(capsys, "dump", "--db", db)
    assert code == 2
    assert err == f"错误:这个数据库不是整改台账文件:{db} / an SQLite database, but not a ledger: {db}\n"


def test_newer_schema(ledger_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(ledger_path)
    conn.execute("UPDATE alembic_version SET version_num = '0999'")
    conn.commit()
    conn.close()
    before = ledger_path.read_bytes()
    code, out, err = call(capsys, "stats", "--db", ledger_path)
    assert (code, out) == (2, "")
    assert err == (
        "错误:此台账由更新版本的软件创建(数据库版本 0999),请升级本软件后再打开。 / "
        "this ledger was made by a newer release (schema 0999); upgrade the app to open it.\n"
    )
    assert ledger_path.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["demo", "--db", "x.sqlite3", "--tasks", "abc"], "--tasks"),
        (["frobnicate"], "frobnicate"),
        (["stats", "--db", "x.sqlite3", "--today", "2026-13-01"], "日期应写成 YYYY-MM-DD:2026-13-01"),
        (["dump", "--db", "x.sqlite3", "--today", "23.11.2026"], "23.11.2026"),
        (["dump"], "--db"),
        ([], "命令"),
        (["stats", "--db", "x.sqlite3", "--colour"], "--colour"),
    ],
)
def test_bad_arguments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], fragment: str
) -> None:
    code, out, err = call(capsys, *(str(tmp_path / a) if a.endswith(".sqlite3") else a for a in args))
    assert (code, out) == (2, "")
    assert_one_line_reason(err)
    assert err.startswith("参数错误:")
    assert fragment in err
    assert list(tmp_path.iterdir()) == []  # nothing created


def test_errors_in_a_fresh_process_have_no_traceback(tmp_path: Path) -> None:
    for args in (
        ["stats", "--db", tmp_path / "missing.sqlite3"],
        ["demo", "--db", tmp_path / "d.sqlite3", "--tasks", "abc"],
    ):
        done = run(*args)
        assert done.returncode == 2
        assert done.stdout == ""
        assert_one_line_reason(done.stderr)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "--version")
    assert code == 0
    assert re.fullmatch(r"ledger-cli \d+\.\d+\.\d+\S*\n", out)
