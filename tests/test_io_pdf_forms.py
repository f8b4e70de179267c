"""PDF forms: what a clerk would check on the printout, read back with pypdf."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from ledger_app.domain.deadlines import parse_deadline
from ledger_app.domain.errors import CancelledError, ValidationError
from ledger_app.domain.model import NoticeKind, ProblemKind, ScheduleFlag, TaskStatus
from ledger_app.domain.records import (
    AcceptanceRecord,
    AttachmentRecord,
    MeasureRecord,
    ProgressRecord,
    PublicNoticeRecord,
    TaskRecord,
)
from ledger_app.io.pdf.fonts import load_fonts
from ledger_app.io.pdf.forms import (
    EvaluationInput,
    FormContext,
    PdfWriteError,
    SignoffInput,
    UnitNoticeInput,
    write_evaluation_report,
    write_signoff_forms,
    write_unit_notice,
)
from ledger_app.io.pdf.text import (
    CANNOT_END,
    CANNOT_START,
    Align,
    TextStyle,
    break_text,
    clean_text,
    join_lines,
)

CTX = FormContext(
    organisation="滨江区",
    rectification_office="滨江区生态环境保护督察整改工作领导小组办公室",
    area_word="区",
    notice_contact="王五",
    notice_phone="0571-12345678",
)


def make_task(seq: str = "12", **changes: object) -> TaskRecord:
    task = TaskRecord(
        seq=seq,
        kind=ProblemKind.SPECIFIC,
        description=f"第{seq}项问题：园区污水处理厂长期超负荷运行，出水氨氮不能稳定达标。",
        round_name="第二轮中央生态环境保护督察",
        lead_units=["区住房和城乡建设局"],
        cooperating_units=["区生态环境局"],
        supervising_units=["区委督查室"],
        deadline=parse_deadline("2022年6月底前"),
        goal="出水稳定达到一级A标准。",
        status=TaskStatus.ACCEPTED,
        measures=[
            MeasureRecord(1, "完成雨污分流改造12.6公里。"),
            MeasureRecord(2, "新建污水提升泵站2座。", lead_units=["区水务局"]),
        ],
        progress=[
            ProgressRecord(date(2022, 3, 31), "已完成管网排查。"),
            ProgressRecord(date(2022, 6, 28), "已完成全部改造，出水稳定达标。"),
        ],
        attachments=[AttachmentRecord("提标改造验收意见.pdf", 10, "0" * 64)],
        acceptance=AcceptanceRecord(date(2022, 7, 15), "区整改办", "符合销号条件"),
        public_notice=PublicNoticeRecord(
            date(2022, 7, 18), date(2022, 7, 24), "李四", "0571-88888888", "未收到异议"
        ),
    )
    for key, value in changes.items():
        setattr(task, key, value)
    return task


def pdf_text(source: Path | bytes) -> list[str]:
    """Each page's text with all whitespace removed (pypdf breaks lines where the PDF does)."""
    reader = PdfReader(io.BytesIO(source) if isinstance(source, bytes) else source)
    return [re.sub(r"\s+", "", page.extract_text()) for page in reader.pages]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def signoff_bytes(*items: SignoffInput | TaskRecord, **kwargs: object) -> bytes:
    buffer = io.BytesIO()
    write_signoff_forms(list(items), buffer, context=CTX, **kwargs)
    return buffer.getvalue()


# -- 销号审批表 ------------------------------------------------------------------------------------


def test_signoff_form_prints_every_field_of_the_task() -> None:
    task = make_task()
    pages = pdf_text(signoff_bytes(task))
    assert len(pages) == 1 and "第1页" not in pages[0]  # a short task fits one page, unnumbered
    text = pages[0]
    expected = [
        "整改任务销号审批表",
        "第二轮中央生态环境保护督察",
        "序号：12",
        task.description,
        "区住房和城乡建设局",
        "区委督查室",
        "2022年6月底前",
        task.goal,
        "1.完成雨污分流改造12.6公里。",
        "2.新建污水提升泵站2座。（牵头单位：区水务局）",
        "已完成全部改造，出水稳定达标。",  # the latest progress entry
        "1.提标改造验收意见.pdf",
        "验收日期：2022年7月15日",
        "验收单位：区整改办",
        "评估结论：符合销号条件",
        "公示期：2022年7月18日至2022年7月24日",
        "公示结果：未收到异议",
        "责任单位意见",
        "督导单位意见",
        "区委主要负责同志意见",
        "区政府主要负责同志意见",
        "年月日",
    ]
    for piece in expected:
        assert squeeze(piece) in text, piece


def test_edited_implementation_text_replaces_the_progress() -> None:
    edited = "经核查，改造工程已于2022年6月全部完工。\n第二段：运行稳定。"
    text = "".join(pdf_text(signoff_bytes(SignoffInput(make_task(), implementation_text=edited))))
    assert squeeze(edited) in text
    assert "已完成全部改造，出水稳定达标。" not in text


@pytest.mark.parametrize(
    "hostile",
    ["<b>&amp;</b> <script>alert(1)</script>", "A & B <para> ]]> &lt; &#x41;", "<font name='x'>未闭合"],
)
def test_markup_like_text_prints_as_typed(hostile: str) -> None:
    task = make_task(description=hostile, goal=hostile)
    text = "".join(pdf_text(signoff_bytes(SignoffInput(task, implementation_text=hostile))))
    assert text.count(squeeze(hostile)) == 3


def test_very_long_task_continues_over_pages_and_loses_nothing() -> None:
    sentences = [f"第{i:04d}句：园区雨污管网混接错接，雨天大量污水溢流入河。" for i in range(400)]
    description = "".join(sentences)
    assert len(description) >= 10_000
    measures = [
        MeasureRecord(i, f"措施{i:02d}开展专项整治，完成管网改造并建立长效机制。") for i in range(1, 41)
    ]
    pages = pdf_text(signoff_bytes(make_task(description=description, measures=measures)))
    assert len(pages) >= 4
    # Page furniture interrupts the text where a page ends: take it out before reading on.
    furniture = r"第\d+页共\d+页|整改任务销号审批表（续）第二轮中央生态环境保护督察序号12|反馈问题（续）"
    text = re.sub(furniture, "", "".join(pages))
    positions = [text.find(s) for s in sentences]
    assert -1 not in positions, "a sentence went missing"
    assert positions == sorted(positions), "sentences out of order"
    for i in range(1, 41):
        assert f"措施{i:02d}" in text
    for n, page in enumerate(pages, start=1):
        assert f"第{n}页共{len(pages)}页" in page
    assert "反馈问题（续）" in pages[1]
    assert "督导单位意见" in pages[-1]  # the signatures come last, after all the text


def test_fonts_are_embedded_and_no_base14_font_is_named() -> None:
    data = signoff_bytes(make_task())
    reader = PdfReader(io.BytesIO(data))
    seen = 0
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "Helvetica" not in str(font["/BaseFont"])
            assert "/FontFile2" in font["/FontDescriptor"].get_object()
            seen += 1
    assert seen >= 2
    assert b"Helvetica" not in data


def test_batch_starts_each_task_on_its_own_page_and_reports_progress() -> None:
    calls: list[tuple[int, int, str]] = []
    tasks = [make_task(str(seq)) for seq in (3, 7, 21)]
    pages = pdf_text(signoff_bytes(*tasks, progress=lambda d, t, s: calls.append((d, t, s))))
    starts = [i for i, page in enumerate(pages) if page.startswith("整改任务销号审批表")]
    assert len(pages) >= 3
    assert len(starts) == 3
    for start, seq in zip(starts, ("3", "7", "21"), strict=True):
        assert f"序号：{seq}" in pages[start]
        assert f"第{seq}项问题" in pages[start]
    assert [c[:2] for c in calls] == [(1, 3), (2, 3), (3, 3)]
    assert "序号21" in calls[-1][2]


def test_cancel_leaves_no_file_and_keeps_an_existing_one(tmp_path: Path) -> None:
    target = tmp_path / "销号审批表.pdf"
    with pytest.raises(CancelledError):
        write_signoff_forms([make_task()], target, cancelled=lambda: True)
    assert list(tmp_path.iterdir()) == []

    target.write_bytes(b"the clerk's earlier file")
    done: list[int] = []
    with pytest.raises(CancelledError):
        write_signoff_forms(
            [make_task(str(i)) for i in range(5)],
            target,
            progress=lambda d, t, s: done.append(d),
            cancelled=lambda: len(done) >= 2,
        )
    assert done == [1, 2]
    assert target.read_bytes() == b"the clerk's earlier file"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_written_to_a_path_it_is_a_complete_pdf(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    write_signoff_forms([make_task()], target, context=CTX)
    assert target.read_bytes().startswith(b"%PDF") and target.read_bytes().rstrip().endswith(b"%%EOF")
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


def test_unwritable_places_and_empty_selection_are_reported(tmp_path: Path) -> None:
    with pytest.raises(PdfWriteError, match="文件夹不存在"):
        write_signoff_forms([make_task()], tmp_path / "missing" / "out.pdf")
    with pytest.raises(ValidationError):
        write_signoff_forms([], tmp_path / "out.pdf")


# -- 评估报告 ---------------------------------------------------------------------------------------


def test_evaluation_report_has_its_sections_notice_and_issuers() -> None:
    buffer = io.BytesIO()
    write_evaluation_report(EvaluationInput(make_task(), issued_on=date(2022, 7, 16)), buffer, context=CTX)
    text = "".join(pdf_text(buffer.getvalue()))
    order = [
        "整改任务销号评估报告",
        "一、整改任务",
        "（一）反馈问题",
        "第12项问题",
        "（二）责任单位",
        "（三）整改时限",
        "（四）整改目标",
        "（五）整改措施",
        "二、整改落实情况",
        "（一）整改目标完成情况",
        "（二）整改措施落实情况",
        "2022年3月31日，已完成管网排查。",
        "三、评估结论",
        "符合销号条件",
        "公示期为2022年7月18日至2022年7月24日",
        "请与李四联系（联系电话：0571-88888888）",
        "区住房和城乡建设局",
        "区委督查室",
        "2022年7月16日",
    ]
    position = 0
    for piece in order:  # each one after the one before
        position = text.find(squeeze(piece), position)
        assert position >= 0, piece


# -- 督办单 / 提醒函 ---------------------------------------------------------------------------------


def lagging_tasks() -> list[TaskRecord]:
    late = make_task("5", deadline=parse_deadline("2026年4月30日"), schedule=ScheduleFlag.LAGGING)
    soon = make_task("9", deadline=parse_deadline("2026年5月20日"), schedule=ScheduleFlag.DUE_SOON)
    return [late, soon]


def test_supervision_order_lists_the_units_tasks() -> None:
    notice = UnitNoticeInput(
        NoticeKind.SUPERVISION_ORDER,
        "督办〔2026〕3号",
        "区住房和城乡建设局",
        date(2026, 5, 10),
        date(2026, 5, 20),
        lagging_tasks(),
    )
    buffer = io.BytesIO()
    write_unit_notice(notice, buffer, context=CTX)
    pages = pdf_text(buffer.getvalue())
    text = "".join(pages)
    for piece in [
        "滨江区生态环境保护督察整改工作督办单",
        "督办〔2026〕3号",
        "区住房和城乡建设局：",
        "以下2项",
        "第5项问题",
        "2026年4月30日",
        "滞后（逾期10天）",
        "第9项问题",
        "临期（剩余10天）",
        "于2026年5月20日前",
        "联系人：王五",
        "滨江区生态环境保护督察整改工作领导小组办公室",
        "2026年5月10日",
    ]:
        assert squeeze(piece) in text, piece
    assert len(pages) == 1 and "—1—" not in text  # one page: no page number


def test_reminder_has_its_own_title_and_number() -> None:
    notice = UnitNoticeInput(
        NoticeKind.REMINDER,
        "提醒〔2026〕7号",
        "区水务局",
        date(2026, 5, 10),
        date(2026, 5, 15),
        lagging_tasks(),
    )
    buffer = io.BytesIO()
    write_unit_notice(notice, buffer, context=CTX)
    text = "".join(pdf_text(buffer.getvalue()))
    assert "滨江区生态环境保护督察整改工作提醒函" in text
    assert "提醒〔2026〕7号" in text and "区水务局：" in text
    assert "督办单" not in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"tasks": []}, "没有需要"),
        ({"reply_by": date(2026, 5, 1)}, "早于"),
        ({"unit": " "}, "收文单位"),
        ({"number": ""}, "文号"),
    ],
)
def test_notice_input_mistakes_are_refused(changes: dict[str, object], message: str) -> None:
    values: dict[str, object] = {
        "kind": NoticeKind.REMINDER,
        "number": "提醒〔2026〕1号",
        "unit": "区水务局",
        "issued_on": date(2026, 5, 10),
        "reply_by": date(2026, 5, 20),
        "tasks": lagging_tasks(),
    }
    values.update(changes)
    with pytest.raises(ValidationError, match=message):
        write_unit_notice(UnitNoticeInput(**values), io.BytesIO())  # type: ignore[arg-type]


# -- line breaking ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def body_style() -> TextStyle:
    return TextStyle(load_fonts().body, 12, 18, Align.JUSTIFY)


def test_closing_punctuation_never_starts_a_line(body_style: TextStyle) -> None:
    # 20 characters fill the 240 pt line exactly, so a naive break puts "，" first on line two.
    text = (
        "一二三四五六七八九十一二三四五六七八九十，之后的文字；再来一二三四五六七八九十一二三四五六七。”好的"
    )
    lines = break_text(text, body_style, 240)
    assert [line.text[0] for line in lines[1:]] == ["十", "一"]
    assert all(line.text[0] not in CANNOT_START for line in lines)
    assert join_lines(lines) == text


def test_ideographic_spaces_and_newlines_are_kept(body_style: TextStyle) -> None:
    text = "第一段\u3000\u3000对齐\n\u3000\u3000第二段  两个空格"
    lines = break_text(text, body_style, 400)
    assert [line.text for line in lines] == ["第一段\u3000\u3000对齐", "\u3000\u3000第二段  两个空格"]


def test_pasted_control_characters_do_not_print_as_boxes(body_style: TextStyle) -> None:
    lines = break_text("\ufeff序号\t12\u202e号\x07", body_style, 400)
    assert [line.text for line in lines] == ["序号    12号"]


def test_ascii_words_move_down_whole(body_style: TextStyle) -> None:
    lines = break_text("依据国家标准一二三四五六七 GB/T 9704-2012 执行", body_style, 200)
    assert any(line.text.startswith("GB/T") or "9704-2012" in line.text for line in lines)
    assert not any(line.text.endswith(("GB/", "970")) for line in lines)


CJK_WORDS = st.text(
    alphabet=st.sampled_from(list("整改任务销号审批表督察反馈问题\u3000")), min_size=1, max_size=6
)
ASCII_WORDS = st.text(alphabet=st.sampled_from(list("ab12/-")), min_size=1, max_size=4)
TOKENS = st.tuples(
    st.sampled_from(["", "", "", *"（「《“"]),
    st.one_of(CJK_WORDS, CJK_WORDS, ASCII_WORDS),
    st.sampled_from(["", "", *"，。、；：？！）」》”"]),
    st.sampled_from(["", "", "", " ", "\n"]),
)


@settings(max_examples=100, deadline=None)
@given(tokens=st.lists(TOKENS, max_size=40), width=st.integers(min_value=200, max_value=420))
def test_line_breaking_keeps_every_character_and_the_rules(
    body_style: TextStyle, tokens: list[tuple[str, str, str, str]], width: int
) -> None:
    text = "".join("".join(t) for t in tokens)
    lines = break_text(text, body_style, width)
    assert join_lines(lines) == "\n".join(clean_text(text))
    for line in lines:
        assert line.width <= width + 0.01
        if line.text:
            assert (
                line.text[0] not in CANNOT_START
                or line is lines[0]
                or lines[lines.index(line) - 1].paragraph_end
            )
            assert line.paragraph_end or line.text[-1] not in CANNOT_END


def test_context_from_settings_names_the_leaders_after_the_area() -> None:
    settings = SimpleNamespace(
        organisation="滨江区 ", rectification_office="滨江区整改办", notice_contact="王五", notice_phone="1"
    )
    ctx = FormContext.from_settings(settings)
    assert (ctx.organisation, ctx.party_leader, ctx.government_leader) == (
        "滨江区",
        "区委主要负责同志",
        "区政府主要负责同志",
    )
    assert FormContext().party_leader == "县（区）党委主要负责同志"


# -- fonts ------------------------------------------------------------------------------------------


def test_windows_fonts_are_preferred_and_broken_ones_skipped(tmp_path: Path) -> None:
    bundled = load_fonts(search_dirs=[])
    (tmp_path / "simfang.ttf").symlink_to(bundled.hei.file.path)  # any TrueType face will do
    (tmp_path / "simhei.ttf").write_bytes(b"not a font at all")
    fonts = load_fonts(search_dirs=[tmp_path])
    assert fonts.body.file.path == tmp_path / "simfang.ttf"
    assert fonts.hei.file.path == bundled.hei.file.path  # the broken file was skipped
    assert fonts.title.faux_bold  # no 小标宋 installed: a stroked 宋体 stands in
    assert fonts.body.fallbacks  # characters missing from 仿宋 come from the bundled faces
