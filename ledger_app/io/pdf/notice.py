"""督办单 and 提醒函: a letter to one unit listing its lagging or due-soon tasks."""

from __future__ import annotations

import re
from datetime import date

from reportlab.lib.units import cm
from reportlab.platypus import Flowable

from ledger_app.domain.model import NoticeKind, ScheduleFlag
from ledger_app.domain.records import TaskRecord
from ledger_app.io.cn_dates import chinese_date
from ledger_app.io.pdf.doc import TEXT_WIDTH, Numbering, Section
from ledger_app.io.pdf.fonts import FontSet
from ledger_app.io.pdf.inputs import FormContext, UnitNoticeInput
from ledger_app.io.pdf.letter import IssuerBlock
from ledger_app.io.pdf.styles import LetterStyles, letter_styles
from ledger_app.io.pdf.table import Cell, CellKind, Row, RuledTable, VAlign
from ledger_app.io.pdf.text import TextBlock, TextFlowable

COLUMNS = (1.4 * cm, TEXT_WIDTH - 1.4 * cm - 3.0 * cm - 2.8 * cm, 3.0 * cm, 2.8 * cm)
HEADINGS = ("序号", "问题及整改任务", "整改时限", "进度情况")


def notice_title(notice: UnitNoticeInput, ctx: FormContext) -> str:
    return f"{ctx.organisation}生态环境保护督察整改工作{notice.kind.label}"


def progress_text(task: TaskRecord, today: date) -> str:
    """进度情况: the schedule flag, with how many days over or left when the deadline is a date."""
    flag = task.schedule
    label = flag.label if flag is not None else task.status.label
    deadline = task.deadline.date
    if deadline is None or flag is None:
        return label
    days = (deadline - today).days
    if flag is ScheduleFlag.LAGGING and days < 0:
        return f"{label}\n（逾期{-days}天）"
    if flag is ScheduleFlag.DUE_SOON and days >= 0:
        return f"{label}\n（剩余{days}天）" if days else f"{label}\n（今日到期）"
    return label


def _summary(text: str, limit: int | None) -> str:
    # A digest runs on: paragraph breaks (and the indentation after them) go, other spaces stay.
    text = re.sub(r"\s*\n\s*", "", text.strip()) if limit is not None else text.strip()
    if limit is None or len(text) <= limit:
        return text
    return text[:limit].rstrip() + "……"


def opening_text(notice: UnitNoticeInput, office: str) -> str:
    n = len(notice.tasks)
    as_of = chinese_date(notice.issued_on)
    if notice.kind is NoticeKind.SUPERVISION_ORDER:
        return (
            f"经梳理，截至{as_of}，你单位负责的以下{n}项生态环境保护督察整改任务进度滞后，"
            f"未能按期完成整改。现予督办。"
        )
    return f"经梳理，截至{as_of}，你单位负责的以下{n}项生态环境保护督察整改任务临近整改时限或进度滞后，特此提醒。"


def closing_text(notice: UnitNoticeInput, office: str, ctx: FormContext) -> str:
    reply = chinese_date(notice.reply_by)
    if notice.kind is NoticeKind.SUPERVISION_ORDER:
        text = (
            f"请你单位高度重视，压实整改责任，倒排工期、加快推进，确保整改到位，"
            f"并于{reply}前将整改落实情况及佐证材料书面报送{office}。"
        )
    else:
        text = f"请你单位对照整改时限和整改目标，加快推进整改，确保按期完成，并于{reply}前将整改进展情况报送{office}。"
    if ctx.notice_contact or ctx.notice_phone:
        who = f"联系人：{ctx.notice_contact}" if ctx.notice_contact else ""
        tel = f"联系电话：{ctx.notice_phone}" if ctx.notice_phone else ""
        text += "\n" + "，".join(p for p in (who, tel) if p) + "。"
    return text


def _task_rows(notice: UnitNoticeInput, styles: LetterStyles) -> list[Row]:
    rounds = {t.round_name for t in notice.tasks}
    rows = [Row([Cell(TextBlock(h, styles.table_label), CellKind.LABEL) for h in HEADINGS], splittable=False)]
    for task in notice.tasks:
        problem = _summary(task.description, notice.summary_chars)
        if len(rounds) > 1 and task.round_name:
            problem = f"【{task.round_name}】{problem}"
        rows.append(
            Row(
                [
                    Cell(TextBlock(str(task.seq), styles.table_cell_center), CellKind.LABEL),
                    Cell(TextBlock(problem, styles.table_cell), CellKind.TEXT, 1, VAlign.MIDDLE),
                    Cell(TextBlock(task.deadline.text, styles.table_cell_center), CellKind.TEXT),
                    Cell(TextBlock(progress_text(task, notice.issued_on), styles.table_cell_center)),
                ]
            )
        )
    return rows


def notice_flowables(notice: UnitNoticeInput, ctx: FormContext, styles: LetterStyles) -> list[Flowable]:
    office = notice.issuing_office.strip() or ctx.rectification_office
    opening = notice.body_text if notice.body_text is not None else opening_text(notice, office)
    table = RuledTable(_task_rows(notice, styles), COLUMNS, header_rows=1)
    table.spaceBefore = styles.body.leading / 3
    table.spaceAfter = styles.body.leading / 3
    return [
        TextFlowable(notice_title(notice, ctx), styles.title),
        TextFlowable(notice.number, styles.number),
        TextFlowable(f"{notice.unit.strip()}：", styles.addressee),
        TextFlowable(opening, styles.body),
        table,
        # The closing words go with the issuer and date: a seal never sits alone on a page.
        TextFlowable(closing_text(notice, office, ctx), styles.body, keep_with_next=True),
        IssuerBlock([office], chinese_date(notice.issued_on), styles.body),
    ]


def notice_section(notice: UnitNoticeInput, ctx: FormContext, fonts: FontSet) -> Section:
    return Section(
        build=lambda: notice_flowables(notice, ctx, letter_styles(fonts)),
        label=f"{notice.unit} {notice.number}",
        numbering=Numbering.LETTER,
    )
