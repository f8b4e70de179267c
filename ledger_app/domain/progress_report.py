"""The content of the progress report (整改落实情况报告): headings and paragraphs, no layout.

Every figure comes from the ``Overview`` (the numbers of the page and of ``ledger-cli stats``); the
parts only people can write (主要做法, 下一步工作) are the clerk's own text, never generated prose:
an empty one becomes the placeholder ``PLACEHOLDER`` for the clerk to fill in in Word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from .model import ScheduleFlag, Section, TaskStatus
from .overview import Overview
from .records import TaskRecord
from .stats import Tally, percent

PLACEHOLDER = "(请填写)"


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph of the report: ``level`` 0 body text, 1 heading 一、, 2 heading (一)."""

    text: str
    level: int = 0


@dataclass(slots=True)
class ProgressReport:
    title: str
    as_of: date
    issuer: str  # who signs it off at the end, e.g. the rectification office
    blocks: list[Block] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join([self.title, *(b.text for b in self.blocks)])


# Full-width forms, written as escapes: typed by hand they have been lost to ASCII more than once.
_FULL_WIDTH = {",": "\uff0c", ";": "\uff1b", ":": "\uff1a", "(": "\uff08", ")": "\uff09"}


def _is_cjk(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"


def official_punctuation(text: str) -> str:
    """Commas, semicolons, colons and brackets next to Chinese text in their full-width forms, as an
    official document writes them ("12项,其中" → "12项，其中"); "57.3%" and "12:30" stay as they are."""
    out = list(text)
    for index, char in enumerate(text):
        if char not in _FULL_WIDTH:
            continue
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        # After a rate ("57.3%,") the comma is the sentence's too.
        if _is_cjk(before) or _is_cjk(after) or (char in ",;" and before == "%"):
            out[index] = _FULL_WIDTH[char]
    return "".join(out)


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _paragraphs(text: str) -> list[Block]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [Block(line) for line in lines] if lines else [Block(PLACEHOLDER)]


def _figures_sentence(t: Tally, noun: str, measure: str) -> str:
    parts = [f"{noun}共{t.total}{measure}", f"已完成整改{t.completed}{measure}", f"已销号{t.closed}{measure}"]
    if t.open:
        parts.append(f"未完成{t.open}{measure}")
    if t.lagging:
        parts.append(f"其中滞后{t.lagging}{measure}")
    parts.append(f"整改率{percent(t.rectification_rate)}、销号率{percent(t.close_out_rate)}")
    return ",".join(parts) + "。"


def _task_line(index: int, record: TaskRecord, with_round: bool) -> str:
    first = record.description.strip().splitlines()[0] if record.description.strip() else ""
    name = first if len(first) <= 80 else first[:79] + "…"
    where = f"{record.round_name}" if with_round else ""
    units = "、".join(record.main_units) or "未填写"
    deadline = record.deadline.text.strip() or "未填写"
    status = record.status.label
    if not record.status.is_done and record.schedule is not None:
        status = record.schedule.label
    line = f"{index}.{where}第{record.seq}项:{name}(责任单位:{units};整改时限:{deadline};{status})。"
    if record.progress:
        latest = record.progress[-1]
        line += f"最新进展({cn_date(latest.date)}):{latest.text.strip()}"
    else:
        line += "尚无进展记录。"
    return line


def build_progress_report(
    overview: Overview,
    records: Sequence[TaskRecord],
    *,
    organisation: str,
    issuer: str,
    practices: str,
    next_steps: str,
) -> ProgressReport:
    """``records``: the tasks not yet closed (已销号 excluded), in ledger order."""
    where = overview.round_name or "生态环境保护督察"
    title = f"关于{organisation}{where}反馈问题整改落实情况的报告"
    report = ProgressReport(title=official_punctuation(title), as_of=overview.as_of, issuer=issuer)

    def add(block: Block) -> None:  # generated text only: the clerk's own text is kept as typed
        report.blocks.append(Block(official_punctuation(block.text), block.level))

    add(Block("一、主要做法", 1))
    report.blocks.extend(_paragraphs(practices))

    add(Block("二、落实情况", 1))
    add(Block("(一)总体情况", 2))
    add(Block(f"截至{cn_date(overview.as_of)},{overview.summary}"))
    add(Block(_figures_sentence(overview.total, "整改任务", "项")))
    number = "二三四五六七八九"
    heading = 0
    feedback = overview.stats.by_section.get(Section.FEEDBACK)
    if feedback:
        add(Block(f"({number[heading]})反馈问题", 2))
        heading += 1
        add(Block(_figures_sentence(feedback, "反馈问题", "项")))
    petition = overview.stats.by_section.get(Section.PETITION)
    if petition:
        add(Block(f"({number[heading]})交办信访件", 2))
        heading += 1
        text = _figures_sentence(petition, "交办信访件", "件")
        if overview.petition_batches:
            text = text[:-1] + f",分{len(overview.petition_batches)}批交办:"
            text += ";".join(
                f"{b.label}{b.tally.total}件,已完成{b.tally.completed}件、已销号{b.tally.closed}件"
                for b in overview.petition_batches
            )
            text += "。"
        add(Block(text))
    self_check = overview.stats.by_section.get(Section.SELF_CHECK)
    if self_check:
        add(Block(f"({number[heading]})自查问题", 2))
        heading += 1
        add(Block(_figures_sentence(self_check, "自查问题", "项")))

    not_closed = [r for r in records if r.status is not TaskStatus.CLOSED]
    long_term = [r for r in not_closed if r.schedule is ScheduleFlag.LONG_TERM]
    others = [r for r in not_closed if r.schedule is not ScheduleFlag.LONG_TERM]
    with_round = overview.round_name is None
    add(Block(f"({number[heading]})尚未销号的整改任务", 2))
    heading += 1
    if others:
        add(Block(f"尚未销号的整改任务{len(others)}项(不含长期坚持的任务),具体如下:"))
        for index, record in enumerate(others, start=1):
            add(Block(_task_line(index, record, with_round)))
    else:
        add(Block("除长期坚持的任务外,整改任务均已销号。"))
    if long_term:
        add(Block(f"({number[heading]})长期坚持的整改任务", 2))
        add(Block(f"剩余{len(long_term)}项立行立改、长期坚持的整改任务正序时推进中:"))
        for index, record in enumerate(long_term, start=1):
            add(Block(_task_line(index, record, with_round)))

    add(Block("三、下一步工作", 1))
    report.blocks.extend(_paragraphs(next_steps))
    return report
