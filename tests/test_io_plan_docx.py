"""The plan reader on Word files built here with python-docx: paragraphs, tables, merged cells, hostile files."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from ledger_app.io.plan import PlanRefused, read_plan
from tests.plan_factory import PlanMeasure, PlanTask, add_table, docx_bytes, fields_plan, inline_plan

HEADER = ["序号", "反馈问题", "责任单位", "整改时限", "整改目标", "整改措施"]


def _write(tmp_path: Path, data: bytes, name: str = "方案.docx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _paragraphs(text: str):  # type: ignore[no-untyped-def]
    def build(document) -> None:  # type: ignore[no-untyped-def]
        for line in text.splitlines():
            document.add_paragraph(line)

    return build


def test_paragraphs_with_labelled_fields(tmp_path: Path) -> None:
    tasks = [
        PlanTask("河道垃圾堆放。", responsible=["县水利局"], deadline="2024年底前", measures=[PlanMeasure("清理。"), PlanMeasure("巡查。")]),
        PlanTask("扬尘污染。", lead=["县住建局"], cooperating=["县城管局"], deadline="立行立改、长期坚持"),
    ]  # fmt: skip
    reading = read_plan(_write(tmp_path, docx_bytes(_paragraphs(fields_plan(tasks)))))
    assert reading.format == "docx"
    assert [t.description for t in reading.tasks] == ["河道垃圾堆放。", "扬尘污染。"]
    assert [m.text for m in reading.tasks[0].measures] == ["清理。", "巡查。"]
    assert reading.tasks[1].lead_units == ["县住建局"] and reading.tasks[1].deadline.long_term
    assert reading.issues == []


def test_paragraphs_with_inline_units_and_line_breaks(tmp_path: Path) -> None:
    sections = [
        (
            "治理扬尘",
            [
                PlanMeasure("加强工地管控。", ["县住建局"], ["县城管局"]),
                PlanMeasure("道路洒水。", ["县城管局"]),
            ],
        )
    ]
    text = inline_plan(sections)

    def build(document) -> None:  # type: ignore[no-untyped-def]
        lines = text.splitlines()
        paragraph = document.add_paragraph(lines[0])
        paragraph.add_run().add_break()  # a soft line break inside the title paragraph
        paragraph.add_run("(征求意见稿)")
        for line in lines[1:]:
            document.add_paragraph(line)

    reading = read_plan(_write(tmp_path, docx_bytes(build)))
    task = reading.tasks[0]
    assert task.description == "治理扬尘"
    assert [m.lead_units for m in task.measures] == [["县住建局"], ["县城管局"]]
    assert task.measures[0].cooperating_units == ["县城管局"]
    assert "(征求意见稿)" in reading.preamble


def test_table_with_merged_cells_and_line_breaks(tmp_path: Path) -> None:
    rows = [
        [
            "1",
            "河道垃圾堆放问题突出。",
            "区水务局牵头,各街道配合",
            "2024年6月底前",
            "河道整洁",
            "1.开展清理\n2.建立巡河制度",
        ],
        ["", "", "", "", "", "3.落实河长制(区河长办牵头负责)"],
        ["2", "扬尘污染。", "区住建局\n区城管局", "立行立改、长期坚持", "", "加强工地管控。"],
        ["3", "秸秆焚烧。", "区农业农村局", "2024年10月底前", "", ""],
    ]

    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.add_paragraph("附件")
        document.add_paragraph("XX区第二轮中央生态环境保护督察反馈问题整改清单")
        add_table(document, HEADER, rows, merge_down={c: [(0, 1)] for c in range(5)})

    reading = read_plan(_write(tmp_path, docx_bytes(build)))
    assert [t.seq for t in reading.tasks] == ["1", "2", "3"]
    river, dust, straw = reading.tasks
    assert river.lead_units == ["区水务局"] and river.cooperating_units == ["各街道"]
    assert [m.text for m in river.measures] == ["开展清理", "建立巡河制度", "落实河长制。"]
    assert river.measures[2].lead_units == ["区河长办"]
    assert river.deadline.date is not None and river.goal == "河道整洁"
    assert dust.responsible_units == ["区住建局", "区城管局"] and dust.deadline.long_term
    assert straw.measures == [] and straw.deadline.date is not None
    assert reading.title == "XX区第二轮中央生态环境保护督察反馈问题整改清单"
    assert {reading.shape_of(t) for t in reading.tasks} == {"table"}
    assert len(river.rows) == 2  # both rows of the merged task, for the preview to mark


def test_table_rows_without_merge_are_tasks_of_their_own(tmp_path: Path) -> None:
    rows = [
        ["1", "问题甲。", "县水利局", "2024年底前", "", "措施一"],
        ["2", "问题乙。", "县林业局", "2024年底前", "", "措施二"],
    ]
    reading = read_plan(_write(tmp_path, docx_bytes(lambda d: add_table(d, HEADER, rows))))
    assert [t.description for t in reading.tasks] == ["问题甲。", "问题乙。"]


def test_table_header_repeated_and_column_numbers_skipped(tmp_path: Path) -> None:
    rows = [
        ["1", "2", "3", "4", "5", "6"],
        ["1", "问题甲。", "县水利局", "2024年底前", "", "措施一"],
        list(HEADER),
        ["2", "问题乙。", "县林业局", "2024年底前", "", "措施二"],
    ]
    reading = read_plan(_write(tmp_path, docx_bytes(lambda d: add_table(d, HEADER, rows))))
    assert [t.description for t in reading.tasks] == ["问题甲。", "问题乙。"]


def test_table_with_lead_and_cooperating_columns(tmp_path: Path) -> None:
    header = ["序号", "存在问题", "牵头单位", "配合单位", "督导单位", "责任领导", "完成时限", "整改措施"]
    rows = [["1", "问题甲。", "县水利局", "各乡镇、县林业局", "县委督查室", "李四", "2024年底前", "措施一。"]]
    task = read_plan(_write(tmp_path, docx_bytes(lambda d: add_table(d, header, rows)))).tasks[0]
    assert task.lead_units == ["县水利局"] and task.cooperating_units == ["各乡镇", "县林业局"]
    assert task.supervising_units == ["县委督查室"] and task.leader == "李四"


def test_table_without_a_header_is_reported(tmp_path: Path) -> None:
    reading = read_plan(
        _write(
            tmp_path,
            docx_bytes(
                lambda d: (
                    d.add_paragraph("一、问题甲。"),
                    d.add_paragraph("责任单位:县水利局"),
                    add_table(d, ["甲", "乙"], [["丙", "丁"]]),
                )
            ),
        )
    )
    assert len(reading.tasks) == 1
    assert any(i.severity == "refused" and "表头" in i.reason_zh for i in reading.issues)


def test_paragraphs_and_tables_in_document_order(tmp_path: Path) -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.add_paragraph("一、问题甲。")
        document.add_paragraph("责任单位:县水利局")
        add_table(document, HEADER, [["2", "问题乙。", "县林业局", "", "", ""]])
        document.add_paragraph("三、问题丙。")
        document.add_paragraph("责任单位:县住建局")

    reading = read_plan(_write(tmp_path, docx_bytes(build)))
    assert [t.description for t in reading.tasks] == ["问题甲。", "问题乙。", "问题丙。"]
    assert [reading.shape_of(t) for t in reading.tasks] == ["fields", "table", "fields"]


def test_page_break_inside_a_measure_list(tmp_path: Path) -> None:
    from docx.enum.text import WD_BREAK

    def build(document) -> None:  # type: ignore[no-untyped-def]
        for line in ["一、问题甲。", "责任单位:县水利局", "整改措施:", "1. 措施一。"]:
            document.add_paragraph(line)
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_paragraph("2. 措施二。")

    reading = read_plan(_write(tmp_path, docx_bytes(build)))
    assert [m.text for m in reading.tasks[0].measures] == ["措施一。", "措施二。"]


# -- hostile and broken files ---------------------------------------------------------------------------------
def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _docx_with_document(xml: bytes) -> bytes:
    good = docx_bytes(lambda d: d.add_paragraph("一、问题甲。"))
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    members["word/document.xml"] = xml
    return _zip(members)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
    b"<w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
    b"<w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (lambda: _docx_with_document(BILLION_LAUGHS), "DTD"),
        (lambda: _docx_with_document(XXE), "DTD"),
        (lambda: _zip({"word/document.xml": b"\0" * (12 * 1024 * 1024)}), "压缩炸弹"),
        (lambda: b"PK\x03\x04" + b"garbage" * 100, "损坏"),
        (lambda: docx_bytes(lambda d: d.add_paragraph("一、问题甲。"))[:3000], "损坏"),
        (lambda: _zip({"xl/workbook.xml": b"<workbook/>"}), "Excel"),
        (lambda: _zip({"hello.txt": b"hi"}), "不是Word"),
        (lambda: _docx_with_document(b"<w:document><unclosed>"), "无法读取"),
    ],
)
def test_hostile_docx_refused_quickly(tmp_path: Path, data, words: str) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, data())
    started = time.perf_counter()
    with pytest.raises(PlanRefused) as refused:
        read_plan(path)
    assert words in refused.value.message_zh
    assert time.perf_counter() - started < 5


def test_docx_named_txt_is_still_read_as_word(tmp_path: Path) -> None:
    data = docx_bytes(_paragraphs("一、问题甲。\n责任单位:县水利局"))
    reading = read_plan(_write(tmp_path, data, "方案.txt"))
    assert reading.format == "docx" and len(reading.tasks) == 1


def test_table_section_rows_blank_continuations_and_unknown_columns(tmp_path: Path) -> None:
    header = ["序号", "反馈问题", "责任单位", "整改时限", "整改措施", "备注", "包案人员"]

    def build(document) -> None:  # type: ignore[no-untyped-def]
        table = add_table(
            document,
            header,
            [
                ["一、水污染问题", "", "", "", "", "", ""],
                ["1", "问题甲。", "县水利局", "2024年底前", "1.措施一", "重点督办", "张三"],
                ["", "", "", "", "2.措施二", "", ""],
                ["2", "问题乙。", "县林业局", "2024年底前", "措施三", "", ""],
            ],
        )
        row = table.rows[1]
        row.cells[0].merge(row.cells[-1]).text = "一、水污染问题"  # one cell across the table

    reading = read_plan(_write(tmp_path, docx_bytes(build)))
    first, second = reading.tasks
    assert first.section == "一、水污染问题" and [t.seq for t in reading.tasks] == ["1", "2"]
    assert [m.text for m in first.measures] == ["措施一", "措施二"]
    assert first.note == "备注:重点督办\n包案人员:张三"
    assert second.note == ""


def test_word_automatic_numbering_has_no_numbers_in_the_text(tmp_path: Path) -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.add_paragraph("XX县整改措施清单")
        for problem, unit in (("河道垃圾堆放。", "县水利局"), ("扬尘污染。", "县住建局")):
            document.add_paragraph(problem, style="List Number")  # the number is Word's, not the text's
            document.add_paragraph(f"责任单位:{unit}")
            document.add_paragraph("整改措施:")
            document.add_paragraph("开展排查。", style="List Number 2")
            document.add_paragraph("建立台账。", style="List Number 2")

    reading = read_plan(_write(tmp_path, docx_bytes(build)))
    assert [(t.seq, t.description) for t in reading.tasks] == [("1", "河道垃圾堆放。"), ("2", "扬尘污染。")]
    assert [[m.text for m in t.measures] for t in reading.tasks] == [["开展排查。", "建立台账。"]] * 2
    assert reading.preamble == ["XX县整改措施清单"]
