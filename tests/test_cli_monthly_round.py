"""``ledger-cli distribute`` and ``ledger-cli collect`` end to end: send, fill in, dry run, collect, status."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from ledger_app.cli.main import main
from ledger_app.domain.model import ProblemKind, RoundLevel
from ledger_app.services import Ledger

WATER, BUILD = "区水利局", "区住建局"


@pytest.fixture
def small_ledger(ledger_path: Path) -> Path:
    with Ledger.open(ledger_path) as ledger:
        a = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
        for text, lead, coop in (
            ("河道垃圾清理不及时", [WATER], [BUILD]),
            ("污水管网建设滞后", [WATER], []),
            ("建筑垃圾乱堆乱放", [BUILD], []),
        ):
            ledger.tasks.create_task(
                round_id=a,
                kind=ProblemKind.SPECIFIC,
                description=text,
                deadline="2026年12月底前",
                lead_units=lead,
                cooperating_units=coop,
            )
    return ledger_path


def _answer(path: Path, text: str, status: str = "") -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for r in range(4, ws.max_row + 1):
        if ws.cell(r, 13).value:
            ws.cell(r, 6).value = f"{text}{r}"
            ws.cell(r, 7).value = status or None
            ws.cell(r, 11).value = "张三"
    wb.save(path)


def _progress(db: Path) -> list[tuple[str, str, str]]:
    with Ledger.open(db, lock=False) as ledger:
        return sorted((r.seq, p.text, p.reporter) for r in ledger.records.task_records() for p in r.progress)


def test_send_fill_collect_and_status(
    small_ledger: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "发出"
    assert main(["distribute", "--db", str(small_ledger), "--month", "2026-11", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "已生成 2 份月报表" in printed and "2026年11月-区水利局-整改进展月报表.xlsx(2 项)" in printed
    water = out / "2026年11月-区水利局-整改进展月报表.xlsx"
    build = out / "2026年11月-区住建局-整改进展月报表.xlsx"

    assert main(["distribute", "--db", str(small_ledger), "--month", "2026-11", "--status"]) == 1
    assert "未交回:2 个单位" in capsys.readouterr().out

    _answer(water, "本月完成")
    assert main(["collect", "--db", str(small_ledger), str(water), "--dry-run", "--date", "2026-11-30"]) == 0
    printed = capsys.readouterr().out
    assert "试读,未写入台账;将导入 2 条" in printed
    assert _progress(small_ledger) == []

    assert main(["collect", "--db", str(small_ledger), str(water), "--date", "2026-11-30", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["added"] == 2 and data["counts"]["new"] == 2 and data["backup"]
    assert _progress(small_ledger) == [
        ("1", "本月完成5", "区水利局 张三"),
        ("2", "本月完成6", "区水利局 张三"),
    ]

    # Again: nothing new; 区住建局 still has not answered.
    assert main(["collect", "--db", str(small_ledger), str(out), "--date", "2026-11-30"]) == 0
    assert "已导入 0 条进展" in capsys.readouterr().out
    assert len(_progress(small_ledger)) == 2
    assert main(["collect", "--db", str(small_ledger), "--missing", "--month", "2026-11"]) == 1
    printed = capsys.readouterr().out
    assert "未交回 区住建局" in printed  # its sheet came back untouched with the folder: no answer
    assert "已收回 区水利局" in printed and "未交回:1 个单位" in printed
    assert build.exists()


def test_conflicts_and_unreadable_files_are_left_for_review(
    small_ledger: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "o"
    assert main(["distribute", "--db", str(small_ledger), "--month", "2026-11", "-o", str(out)]) == 0
    coop = tmp_path / "coop"
    args = ["distribute", "--db", str(small_ledger), "--month", "2026-11", "-o", str(coop)]
    assert main([*args, "--unit", BUILD, "--role", "配合"]) == 0
    capsys.readouterr()
    _answer(out / "2026年11月-区水利局-整改进展月报表.xlsx", "牵头单位填", "已完成")
    _answer(coop / "2026年11月-区住建局-整改进展月报表.xlsx", "配合单位填", "滞后")
    (tmp_path / "坏文件.xlsx").write_bytes(b"not a workbook")
    files = [str(out / "2026年11月-区水利局-整改进展月报表.xlsx"), str(coop), str(tmp_path / "坏文件.xlsx")]
    code = main(["collect", "--db", str(small_ledger), *files, "--date", "2026-11-30"])
    printed = capsys.readouterr().out
    assert code == 1
    assert "有冲突" in printed and "[未读取] 坏文件.xlsx" in printed
    assert "状态未自动修改" in printed
    # Task 2 (only 水利局) is taken; task 1 (both units, different 完成情况) is not.
    assert [p[0] for p in _progress(small_ledger)] == ["2"]


def test_unknown_unit_and_bad_month_are_refused(
    small_ledger: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "distribute",
            "--db",
            str(small_ledger),
            "--month",
            "2026-11",
            "-o",
            str(tmp_path),
            "--unit",
            "区不存在局",
        ]
    )
    assert code == 2 and "单位名录中没有" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:
        main(["distribute", "--db", str(small_ledger), "--month", "2026-13", "-o", str(tmp_path)])
    assert stopped.value.code == 2


def test_one_step_reminders_go_to_the_units_that_have_not_answered(
    small_ledger: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pypdf import PdfReader

    out = tmp_path / "发出"
    assert main(["distribute", "--db", str(small_ledger), "--month", "2026-11", "-o", str(out)]) == 0
    _answer(out / "2026年11月-区水利局-整改进展月报表.xlsx", "本月完成")
    assert main(["collect", "--db", str(small_ledger), str(out), "--date", "2026-11-30"]) == 0
    capsys.readouterr()

    letters = tmp_path / "提醒函"
    assert main(["collect", "--db", str(small_ledger), "--month", "2026-11", "--remind", str(letters)]) == 0
    printed = capsys.readouterr().out
    assert "已生成催报提醒函 1 份" in printed and "区住建局(1 项任务)" in printed
    (pdf,) = letters.iterdir()  # only the unit that has not answered; 区水利局 did
    assert "区住建局" in pdf.name
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages).replace("\n", "")
    # The tasks it was sent (it leads 建筑垃圾; it only cooperates on 河道垃圾, not sent by default).
    assert (
        "月报表已于" in text
        and "至今尚未收到回复" in text
        and "建筑垃圾乱堆乱放" in text
        and "河道垃圾" not in text
    )
    with Ledger.open(small_ledger, lock=False) as ledger:
        build_task = next(r.id for r in ledger.records.task_records() if r.description == "建筑垃圾乱堆乱放")
        assert len(ledger.overview.sent_notices(build_task)) == 1  # recorded like any 提醒函

    # Everyone answered (or nothing sent for that month): a clear refusal, nothing written.
    assert main(["collect", "--db", str(small_ledger), "--month", "2026-10", "--remind", str(letters)]) == 2
    assert "无需发提醒函" in capsys.readouterr().err
