"""整改任务销号评估报告: the evaluation report, as running text in the GB/T 9704 letter layout."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable, Spacer

from ledger_app.io.cn_dates import chinese_date
from ledger_app.io.pdf.doc import Numbering, Section
from ledger_app.io.pdf.fonts import FontSet
from ledger_app.io.pdf.inputs import (
    PROBLEM_LABEL,
    EvaluationInput,
    FormContext,
    joined,
    latest_progress_text,
    measures_text,
    notice_period,
    task_heading,
    units_text,
)
from ledger_app.io.pdf.letter import IssuerBlock
from ledger_app.io.pdf.styles import LetterStyles, letter_styles
from ledger_app.io.pdf.text import TextFlowable

TITLE = "整改任务销号评估报告"
BLANK = "\u3000" * 6  # room to write in by hand


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in "。！？；…”）!?;)" else text + "。"


def goal_completion_default(item: EvaluationInput) -> str:
    task = item.task
    if task.acceptance is not None and task.acceptance.opinion.strip():
        return task.acceptance.opinion.strip()
    return latest_progress_text(task)  # a paragraph of the report: the latest report, not a dated list


def measures_done_default(item: EvaluationInput) -> str:
    entries = [p for p in item.task.progress if p.text.strip()]
    return "\n".join(f"{chinese_date(p.date)}，{p.text.strip()}" for p in entries)


def conclusion_default(item: EvaluationInput) -> str:
    a = item.task.acceptance
    if a is None or not a.conclusion.strip():
        return f"经评估，该整改任务{BLANK}。"
    who = f"{a.unit.strip()}于" if a.unit.strip() else ""
    when = chinese_date(a.accepted_on) if a.accepted_on else ""
    lead = f"经{who}{when}组织验收评估，" if (who or when) else "经评估，"
    return f"{lead}评估结论为：{_sentence(a.conclusion)}"


def notice_sentence(item: EvaluationInput, ctx: FormContext) -> str:
    n = item.task.public_notice
    contact = (n.contact.strip() if n else "") or ctx.notice_contact
    phone = (n.phone.strip() if n else "") or ctx.notice_phone
    text = f"现将评估结果予以公示，公示期为{notice_period(item.task)}。"
    if contact or phone:
        who = f"与{contact}联系" if contact else "来电反映"
        tel = f"（联系电话：{phone}）" if phone else ""
        text += f"公示期间如有异议，请{who}{tel}。"
    if n is not None and n.outcome.strip():
        text += f"\n公示结果：{_sentence(n.outcome)}"
    return text


def _issuers(item: EvaluationInput, ctx: FormContext) -> list[str]:
    if item.issuers is not None:
        return list(item.issuers)
    names = [*item.task.main_units, *item.task.supervising_units]
    return list(dict.fromkeys(n for n in names if n.strip())) or [ctx.rectification_office]


def report_flowables(item: EvaluationInput, ctx: FormContext, styles: LetterStyles) -> list[Flowable]:
    task = item.task
    label = PROBLEM_LABEL[task.kind]
    body = styles.body

    # A heading never ends a page: it needs room for itself and the first lines that follow it.
    # (keepWithNext would move a whole long paragraph to the next page with it.)
    def h1(text: str) -> list[Flowable]:
        return [CondPageBreak(4 * body.leading), TextFlowable(text, styles.heading1)]

    def h2(text: str) -> list[Flowable]:
        return [CondPageBreak(3 * body.leading), TextFlowable(text, styles.heading2)]

    def para(text: str) -> TextFlowable:
        return TextFlowable(text.strip() or BLANK, body)

    units = units_text(task)
    if task.supervising_units:
        units += f"\n督导单位：{joined(task.supervising_units)}"
    parts = [task.round_name.strip(), label, f"序号{task.seq}" if str(task.seq).strip() else ""]
    subtitle = "（" + "\u3000".join(p for p in parts if p) + "）"
    issued_on = item.issued_on or (task.acceptance.accepted_on if task.acceptance else None)
    return [
        TextFlowable(TITLE, styles.title),
        TextFlowable(subtitle, styles.subtitle),
        Spacer(0, styles.body.leading),
        *h1("一、整改任务"),
        *h2(f"（一）{label}"),
        para(task.description),
        *h2("（二）责任单位"),
        para(units),
        *h2("（三）整改时限"),
        para(task.deadline.text),
        *h2("（四）整改目标"),
        para(task.goal),
        *h2("（五）整改措施"),
        para(measures_text(task)),
        *h1("二、整改落实情况"),
        *h2("（一）整改目标完成情况"),
        para(
            item.goal_completion_text
            if item.goal_completion_text is not None
            else goal_completion_default(item)
        ),
        *h2("（二）整改措施落实情况"),
        para(item.measures_text if item.measures_text is not None else measures_done_default(item)),
        *h1("三、评估结论"),
        para(item.conclusion_text if item.conclusion_text is not None else conclusion_default(item)),
        TextFlowable(notice_sentence(item, ctx), body, keep_with_next=True),
        IssuerBlock(_issuers(item, ctx), chinese_date(issued_on), body),
    ]


def report_section(item: EvaluationInput, ctx: FormContext, fonts: FontSet) -> Section:
    return Section(
        build=lambda: report_flowables(item, ctx, letter_styles(fonts)),
        label=task_heading(item.task),
        numbering=Numbering.LETTER,
    )
