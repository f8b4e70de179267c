"""``ledger-cli signoff / report / notice`` and the forms service behind them, end to end."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from ledger_app.cli.main import main
from ledger_app.domain.model import NoticeKind, ProblemKind, RoundLevel, TaskStatus
from ledger_app.services import Ledger


def call(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


@pytest.fixture
def small(ledger: Ledger) -> Ledger:
    """Two rounds; 序号 1 in both feedback sections and in the petitions; one task closed in 2026-05."""
    central = ledger.directory.create_round(name="第二轮中央生态环境保护督察", level=RoundLevel.CENTRAL)
    province = ledger.directory.create_round(name="第二轮省生态环境保护督察", level=RoundLevel.PROVINCIAL)
    closed = ledger.tasks.create_task(
        round_id=central,
        kind=ProblemKind.SPECIFIC,
        seq=1,
        description="青溪河<b>黑臭</b>水体整治 & 截污",
        lead_units=["区住建局"],
        supervising_units=["区委督查室"],
        deadline="2025年12月底前",
        goal="消除黑臭",
        leader="王建国",
    )
    ledger.tasks.add_measure(closed, text="完成截污纳管工程", lead_units=["区住建局"])
    ledger.tasks.add_progress(closed, entry_date=date(2026, 3, 20), text="截污纳管工程已完工")
    ledger.lifecycle.transition(closed, TaskStatus.IN_PROGRESS)
    ledger.lifecycle.transition(closed, TaskStatus.COMPLETED)
    ledger.lifecycle.record_acceptance(closed, accepted_on=date(2026, 4, 20), unit="区生态环境局")
    ledger.lifecycle.transition(closed, TaskStatus.ACCEPTED)
    ledger.lifecycle.record_public_notice(closed, start=date(2026, 4, 21), end=date(2026, 4, 27))
    ledger.lifecycle.transition(closed, TaskStatus.PUBLIC_NOTICE)
    ledger.lifecycle.close_out(closed, closed_on=date(2026, 5, 6))
    ledger.tasks.create_task(
        round_id=province,
        kind=ProblemKind.SPECIFIC,
        seq=1,
        description="矿山修复滞后",
        lead_units=["区自然资源和规划局"],
        deadline="2020年6月底前",
    )
    ledger.tasks.create_task(
        round_id=central,
        kind=ProblemKind.PETITION,
        seq=1,
        description="群众反映油烟扰民",
        lead_units=["区城管局"],
        deadline=date.today() + timedelta(days=5),
    )
    return ledger


def test_signoff_for_one_task(small: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "销号审批表.pdf"
    code, stdout, err = call(
        capsys,
        "signoff",
        "--db",
        small.path,
        "--task",
        "1",
        "--round",
        "第二轮中央生态环境保护督察",
        "-o",
        out,
    )
    assert code == 0, err
    assert "1 份" in stdout
    text = pdf_text(out)
    assert "整改任务销号审批表" in text
    assert "青溪河<b>黑臭</b>水体整治 & 截污" in text.replace("\n", "")
    assert "区住建局" in text and "区委督查室" in text


def test_ambiguous_seq_names_the_candidates(
    small: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = call(capsys, "signoff", "--db", small.path, "--task", "1", "-o", tmp_path / "x.pdf")
    assert code == 2
    assert "第二轮中央生态环境保护督察 反馈问题 1" in err and "第二轮省生态环境保护督察 反馈问题 1" in err
    assert not (tmp_path / "x.pdf").exists()


def test_section_picks_the_petition(
    small: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "p.pdf"
    code, _, err = call(
        capsys,
        "report",
        "--db",
        small.path,
        "--task",
        "1",
        "--round",
        "第二轮中央生态环境保护督察",
        "--section",
        "交办信访件",
        "-o",
        out,
    )
    assert code == 0, err
    assert "群众反映油烟扰民" in pdf_text(out)


def test_signoff_closed_in_a_month(small: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "may.pdf"
    code, stdout, _ = call(capsys, "signoff", "--db", small.path, "--closed-in", "2026-05", "-o", out)
    assert code == 0 and "1 份" in stdout
    code, _, err = call(
        capsys, "signoff", "--db", small.path, "--closed-in", "2026-06", "-o", tmp_path / "j.pdf"
    )
    assert code == 2 and "没有销号的任务" in err
    assert not (tmp_path / "j.pdf").exists()


def test_evaluation_report(small: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.pdf"
    code, _, err = call(
        capsys,
        "report",
        "--db",
        small.path,
        "--task",
        "1",
        "--round",
        "第二轮中央生态环境保护督察",
        "-o",
        out,
    )
    assert code == 0, err
    text = pdf_text(out)
    for heading in ("整改任务", "整改落实情况", "评估结论"):
        assert heading in text


def test_notices_are_numbered_per_kind_and_year(
    small: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "1.pdf", tmp_path / "2.pdf"
    code, stdout, err = call(
        capsys,
        "notice",
        "--db",
        small.path,
        "--unit",
        "区自然资源和规划局",
        "--kind",
        "督办",
        "--date",
        "2026-11-23",
        "-o",
        first,
    )
    assert code == 0, err
    assert "督办〔2026〕1号" in stdout
    call(
        capsys,
        "notice",
        "--db",
        small.path,
        "--unit",
        "区自然资源和规划局",
        "--kind",
        "督办",
        "--date",
        "2026-11-24",
        "-o",
        second,
    )
    text = pdf_text(second)
    assert "督办〔2026〕2号" in text and "矿山修复滞后" in text
    issued = small.forms.issue_unit_notice(unit="区城管局", kind=NoticeKind.REMINDER, out=tmp_path / "r.pdf")
    assert issued.number == f"提醒〔{date.today().year}〕1号"


def test_notice_refusals_use_no_number(
    small: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = call(
        capsys, "notice", "--db", small.path, "--unit", "区住建局", "--kind", "督办", "-o", tmp_path / "n.pdf"
    )
    assert code == 2 and "无需发督办单" in err
    code, _, err = call(
        capsys,
        "notice",
        "--db",
        small.path,
        "--unit",
        "不存在的单位",
        "--kind",
        "督办",
        "-o",
        tmp_path / "n.pdf",
    )
    assert code == 2 and "单位名录中没有" in err
    code, _, err = call(
        capsys, "notice", "--db", small.path, "--unit", "区住建局", "--kind", "表扬", "-o", tmp_path / "n.pdf"
    )
    assert code == 2 and "未知的文书类型" in err
    # A PDF that cannot be written does not use up a number.
    code, _, _ = call(
        capsys,
        "notice",
        "--db",
        small.path,
        "--unit",
        "区自然资源和规划局",
        "--kind",
        "督办",
        "--date",
        "2026-11-23",
        "-o",
        tmp_path / "missing-dir" / "n.pdf",
    )
    assert code == 2
    issued = small.forms.issue_unit_notice(
        unit="区自然资源和规划局",
        kind=NoticeKind.SUPERVISION_ORDER,
        out=tmp_path / "ok.pdf",
        issued_on=date(2026, 11, 23),
    )
    assert issued.number == "督办〔2026〕1号"


def test_output_must_be_pdf(small: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = call(capsys, "signoff", "--db", small.path, "--task", "1", "-o", tmp_path / "x.docx")
    assert code == 2 and ".pdf" in err
