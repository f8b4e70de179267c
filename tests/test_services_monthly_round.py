"""The monthly round with the units: send each unit its sheet, the units damage it, collect it back.

A small hand-built ledger (two rounds, 序号 1 in both, a petition, a completed task, a unit that only
cooperates) is sent for 2026-11; the units' files are filled in and damaged the ways units do it
(reorder, sort without the hidden column, insert rows and columns, delete the hidden column, type
into protected cells, merge cells, rename the sheet, paste into a new workbook, save as .xls, send
back last month's file); collecting must leave the ledger holding exactly the accepted answers.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger_app.domain.errors import ValidationError
from ledger_app.domain.model import ProblemKind, RoundLevel, TaskStatus
from ledger_app.io.dump import task_to_dict
from ledger_app.io.excel_out.unit_sheet import IDENTITY_SHEET, SHEET_NAME
from ledger_app.services import Ledger

MONTH = (2026, 11)
DAY = date(2026, 11, 30)
WATER, BUILD, ECO = "区水利局", "区住建局", "区生态环境局"
ROUND_A, ROUND_B = "第二轮中央生态环境保护督察", "2025年省级生态环境保护督察回头看"
SCRATCH = "/dev/shm" if Path("/dev/shm").is_dir() else None

TASKS = [  # (round, kind, seq, description, lead, responsible, cooperating)
    (
        ROUND_A,
        ProblemKind.SPECIFIC,
        "1",
        "城区黑臭水体整治不到位,部分河段仍有生活污水直排",
        [WATER],
        [],
        [BUILD],
    ),
    (ROUND_A, ProblemKind.SPECIFIC, "2", "农村生活垃圾收运体系不健全,转运站设备老化", [], [WATER], []),
    (ROUND_B, ProblemKind.SPECIFIC, "1", "矿山生态修复进度滞后,历史遗留矿坑未完成治理", [WATER], [], []),
    (ROUND_A, ProblemKind.PETITION, "1", "群众反映养殖场异味扰民,夜间偷排粪污", [BUILD], [], []),
    (ROUND_A, ProblemKind.SPECIFIC, "3", "已完成的任务:饮用水水源地保护区内违建已拆除", [WATER], [], []),
    (ROUND_A, ProblemKind.SPECIFIC, "4", "工业园区污水处理厂超负荷运行,配套管网缺失", [ECO], [], [WATER]),
    (ROUND_A, ProblemKind.SELF_CHECK, "1", "建筑工地扬尘管控措施落实不严,围挡和喷淋不全", [BUILD], [], []),
]


def build(ledger: Ledger) -> dict[tuple[str, str, str], int]:
    a = ledger.directory.create_round(name=ROUND_A, level=RoundLevel.CENTRAL)
    b = ledger.directory.create_round(name=ROUND_B, level=RoundLevel.PROVINCIAL)
    ids = {}
    for round_name, kind, seq, text, lead, resp, coop in TASKS:
        task = ledger.tasks.create_task(
            round_id=a if round_name == ROUND_A else b,
            kind=kind,
            seq=seq,
            description=text,
            deadline="2026年12月底前",
            lead_units=lead,
            responsible_units=resp,
            cooperating_units=coop,
            goal="按期完成整改",
        )
        ledger.tasks.add_measure(task, text="开展排查,建立问题清单")
        ids[(round_name, kind.section.label, seq)] = task
    ledger.lifecycle.transition(ids[(ROUND_A, "反馈问题", "3")], TaskStatus.IN_PROGRESS, on=date(2026, 10, 1))
    ledger.lifecycle.transition(ids[(ROUND_A, "反馈问题", "3")], TaskStatus.COMPLETED, on=date(2026, 10, 20))
    ledger.tasks.add_progress(
        ids[(ROUND_A, "反馈问题", "1")], entry_date=date(2026, 10, 15), text="已完成排查", reporter="区水利局"
    )
    return ids


@pytest.fixture(scope="module")
def sent_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ledger with its sheets for 2026-11 (and 2026-10) sent, built once."""
    root = tmp_path_factory.mktemp("round")
    path = root / "ledger.sqlite3"
    with Ledger.open(path, create=True, actor="测试员") as ledger:
        build(ledger)
        ledger.monthly.distribute(month=(2026, 10), out_dir=root / "oct")
        ledger.monthly.distribute(month=MONTH, out_dir=root / "out")
    return root


@contextmanager
def scratch(template: Path) -> Iterator[tuple[Ledger, Path]]:
    with tempfile.TemporaryDirectory(dir=SCRATCH) as tmp:
        root = Path(tmp) / "r"
        shutil.copytree(template, root, ignore=shutil.ignore_patterns("*.lock", "*backups*"))
        with Ledger.open(root / "ledger.sqlite3", actor="测试员") as ledger:
            yield ledger, root


def state(ledger: Ledger) -> tuple[list[dict[str, object]], set[tuple[int, str, str, str]]]:
    """Everything about the tasks except progress, and the progress entries apart."""
    records = ledger.records.task_records(today=DAY)
    tasks, progress = [], set()
    for record in records:
        data = task_to_dict(record)
        data.pop("progress", None)
        tasks.append(data)
        for entry in record.progress:
            progress.add((record.id or 0, entry.date.isoformat(), entry.text, entry.reporter))
    return tasks, progress


def sheet_file(root: Path, unit: str, folder: str = "out", year_month: tuple[int, int] = MONTH) -> Path:
    return root / folder / f"{year_month[0]}年{year_month[1]}月-{unit}-整改进展月报表.xlsx"


# -- filling in and damaging ----------------------------------------------------------------------
@dataclass
class Answer:
    progress: str
    status: str = ""
    difficulties: str = ""
    filler: str = ""
    phone: str = ""

    def entry(self) -> str:
        return self.progress + (f"\n存在困难:{self.difficulties}" if self.difficulties else "")

    def reporter(self, unit: str) -> str:
        return " ".join(p for p in (unit, self.filler, self.phone) if p)


def fill(path: Path, answers: dict[int, Answer]) -> None:
    """Type answers next to the tasks (by the hidden identity), as the unit would in Excel."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for row in ws.iter_rows(min_row=4):
        ident = row[12].value
        if not ident:
            continue
        answer = answers.get(int(str(ident).split("-")[0]))
        if answer is None:
            continue
        row[5].value = answer.progress
        row[6].value = answer.status or None
        row[7].value = answer.difficulties or None
        row[10].value = answer.filler or None
        row[11].value = answer.phone or None
    wb.save(path)


def _task_rows(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[int]:
    """Task rows: a 序号 and a 问题 (group rows have only a heading)."""
    return [
        r
        for r in range(4, ws.max_row + 1)
        if str(ws.cell(r, 1).value or "").isdigit() and ws.cell(r, 2).value
    ]


def reorder(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    rows = _task_rows(ws)
    values = [[ws.cell(r, c).value for c in range(1, 14)] for r in rows]
    for r, vals in zip(rows, reversed(values), strict=True):
        for c, v in enumerate(vals, 1):
            ws.cell(r, c).value = v
    wb.save(path)


def sort_without_hidden(path: Path) -> None:
    """Sort by 序号 with only the visible columns selected: the hidden identities stay where they were."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    rows = _task_rows(ws)
    values = [[ws.cell(r, c).value for c in range(1, 13)] for r in rows]
    values.sort(key=lambda v: (str(v[0]), str(v[1])), reverse=True)
    for r, vals in zip(rows, values, strict=True):
        for c, v in enumerate(vals, 1):
            ws.cell(r, c).value = v
    wb.save(path)


def insert_row_and_column(path: Path) -> None:
    """An empty row between two tasks and a column of their own; merged ranges move as Excel moves them
    (openpyxl's insert_rows/insert_cols leave them behind)."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    at_row, at_col = _task_rows(ws)[0] + 1, 3
    merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
    for r0, c0, r1, c1 in merged:
        ws.unmerge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
    ws.insert_rows(at_row)
    ws.insert_cols(at_col)
    for r0, c0, r1, c1 in merged:
        r0, r1 = (r0 + 1, r1 + 1) if r0 >= at_row else (r0, r1 + (r1 >= at_row))
        c0, c1 = (c0 + 1, c1 + 1) if c0 >= at_col else (c0, c1 + (c1 >= at_col))
        ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
    ws.cell(3, at_col).value = "单位备注"
    ws.cell(at_row - 1, at_col).value = "内部备注,不是进展"
    wb.save(path)


def delete_hidden(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0].delete_cols(13)
    wb.save(path)


def type_protected(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    ws.protection.sheet = False
    first = _task_rows(ws)[0]
    ws.cell(first, 2).value = str(ws.cell(first, 2).value) + "(单位补充说明)"
    ws.cell(first, 4).value = "2027年6月底前"
    wb.save(path)


def rename_sheet(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0].title = "Sheet1"
    wb.save(path)


def paste_new(path: Path) -> None:
    """Copy the visible cells into a new workbook of their own (no hidden column, no hidden sheet)."""
    src = openpyxl.load_workbook(path).worksheets[0]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "进展"
    for row in src.iter_rows(min_row=1, max_col=12, values_only=True):
        ws.append(list(row))
    wb.save(path)


DAMAGE: dict[str, Callable[[Path], None]] = {
    "reorder": reorder,
    "sort": sort_without_hidden,
    "insert": insert_row_and_column,
    "delete-hidden": delete_hidden,
    "type-protected": type_protected,
    "rename": rename_sheet,
    "paste-new": paste_new,
}


def to_xls(path: Path) -> Path:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "xls", "--outdir", str(path.parent), str(path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    path.unlink()
    return path.with_suffix(".xls")


def ids_in(path: Path) -> list[int]:
    ws = openpyxl.load_workbook(path).worksheets[0]
    return [int(str(ws.cell(r, 13).value).split("-")[0]) for r in _task_rows(ws)]


# -- the sheet as sent -------------------------------------------------------------------------------
def test_each_unit_gets_its_open_tasks_protected_with_a_drop_down(sent_template: Path) -> None:
    names = sorted(p.name for p in (sent_template / "out").iterdir())
    assert names == [f"2026年11月-{u}-整改进展月报表.xlsx" for u in sorted((BUILD, ECO, WATER))]
    wb = openpyxl.load_workbook(sheet_file(sent_template, WATER))
    ws = wb.worksheets[0]
    assert ws.title == SHEET_NAME and ws["A1"].value == "区水利局 2026年11月 整改进展月报表"
    assert "填报说明" in ws["A2"].value
    assert [c.value for c in ws[3]][:12] == [
        "序号", "问题", "整改措施", "整改时限", "整改目标", "本月进展", "完成情况", "存在困难", "下步计划",
        "佐证材料清单", "填报人", "联系电话",
    ]  # fmt: skip
    rows = _task_rows(ws)
    # Open tasks where 水利局 leads or is responsible, B-1; not the completed A-3, not A-4 (配合).
    texts = [ws.cell(r, 2).value for r in rows]
    assert len(rows) == 3 and not any("已完成的任务" in t or "工业园区" in t for t in texts)
    assert ws.protection.sheet
    assert ws.column_dimensions["M"].hidden
    for r in rows:
        assert ws.cell(r, 2).protection.locked and ws.cell(r, 2).fill.fgColor.rgb.endswith("EDEDED")
        assert not ws.cell(r, 6).protection.locked and not ws.cell(r, 12).protection.locked
        assert ws.row_dimensions[r].height >= 48
    (validation,) = ws.data_validations.dataValidation
    assert validation.type == "list" and "已完成" in validation.formula1 and "序时推进" in validation.formula1
    assert str(validation.sqref) == f"G{rows[0]}:G{rows[-1]}"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$3"
    stamp = wb[IDENTITY_SHEET]
    assert stamp.sheet_state == "hidden" and stamp["B2"].value == "2026-11" and stamp["B3"].value == WATER
    with Ledger.open(sent_template / "ledger.sqlite3", lock=False) as ledger:
        log = ledger.monthly.send_log(MONTH)
        assert {(e.unit, e.tasks) for e in log} == {(WATER, 3), (BUILD, 2), (ECO, 1)}
        assert {s.unit for s in ledger.monthly.missing_replies(MONTH)} == {WATER, BUILD, ECO}


def test_sending_to_a_unit_with_nothing_open_makes_no_file(ledger: Ledger, tmp_path: Path) -> None:
    build(ledger)
    result = ledger.monthly.distribute(
        month=MONTH, out_dir=tmp_path / "o", units=[ECO], roles=("cooperating",)
    )
    assert result.sheets == [] and result.no_open_tasks == [ECO]
    result = ledger.monthly.distribute(
        month=MONTH, out_dir=tmp_path / "o", units=[WATER], roles=("cooperating",)
    )
    assert [s.task_count for s in result.sheets] == [1]  # A-4, where it cooperates


# -- collecting ----------------------------------------------------------------------------------------
def test_clean_replies_become_progress_entries_and_nothing_else_changes(sent_template: Path) -> None:
    with scratch(sent_template) as (ledger, root):
        before_tasks, before_progress = state(ledger)
        path = sheet_file(root, WATER)
        a1, a2, b1 = ids_in(path)
        fill(
            path,
            {
                a1: Answer("已完成3条河段截污", "序时推进", "资金不足", "张三", "13800000000"),
                b1: Answer("矿坑回填50%"),
            },
        )
        review = ledger.monthly.read_replies([root / "out"], month=MONTH, today=date(2026, 12, 3))
        assert review.progress_date == DAY
        water = next(f for f in review.files if f.unit == WATER)
        assert water.unit_from == "标识"
        states = {a.task_id: a.state for a in water.answers}
        assert states == {a1: "new", a2: "empty", b1: "new"}
        assert all(a.matched_by == "identity" for a in water.answers)
        result = ledger.monthly.collect_replies(review)
        assert result.added == 2 and result.backup is not None and result.backup.exists()
        after_tasks, after_progress = state(ledger)
        assert after_tasks == before_tasks
        assert after_progress - before_progress == {
            (a1, "2026-11-30", "已完成3条河段截污\n存在困难:资金不足", "区水利局 张三 13800000000"),
            (b1, "2026-11-30", "矿坑回填50%", "区水利局"),
        }
        assert before_progress <= after_progress
        # The sheets 住建局 and 生态环境局 sent back untouched are no answer.
        assert {s.unit for s in ledger.monthly.missing_replies(MONTH)} == {BUILD, ECO}
        # The same files again: nothing new.
        again = ledger.monthly.read_replies([root / "out"], month=MONTH, today=date(2026, 12, 3))
        assert again.count("new") == 0 and again.count("already") == 2
        assert ledger.monthly.collect_replies(again).added == 0
        assert state(ledger)[1] == after_progress


def test_status_is_proposed_never_applied(sent_template: Path) -> None:
    with scratch(sent_template) as (ledger, root):
        path = sheet_file(root, WATER)
        a1, _, _ = ids_in(path)
        fill(path, {a1: Answer("全部完成", "已完成")})
        review = ledger.monthly.read_replies([path], month=MONTH, today=date(2026, 12, 3))
        (proposal,) = review.status_proposals
        assert proposal.task_id == a1 and proposal.status_proposal == "已完成"
        ledger.monthly.collect_replies(review)
        assert ledger.records.task_record(a1).status is TaskStatus.NOT_STARTED


def test_lead_and_cooperating_unit_disagreeing_is_a_conflict(sent_template: Path, tmp_path: Path) -> None:
    with scratch(sent_template) as (ledger, root):
        ledger.monthly.distribute(month=MONTH, out_dir=root / "coop", units=[BUILD], roles=("cooperating",))
        water = sheet_file(root, WATER)
        a1 = ids_in(water)[0]
        fill(water, {a1: Answer("截污完成", "已完成")})
        coop = sheet_file(root, BUILD, "coop")
        assert ids_in(coop) == [a1]
        fill(coop, {a1: Answer("配合完成管网铺设一半", "滞后")})
        _, before = state(ledger)
        review = ledger.monthly.read_replies([water, coop], month=MONTH, today=date(2026, 12, 3))
        conflicts = [a for a in review.answers if a.state == "conflict"]
        assert {a.unit for a in conflicts} == {WATER, BUILD}
        assert ledger.monthly.collect_replies(review).added == 0
        assert state(ledger)[1] == before
        # The clerk accepts one of them explicitly.
        ledger.monthly.collect_replies(review, accept=[conflicts[0].key])
        assert len(state(ledger)[1] - before) == 1


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_each_damage_is_read_back_to_the_right_tasks(sent_template: Path, damage: str) -> None:
    with scratch(sent_template) as (ledger, root):
        path = sheet_file(root, WATER)
        a1, a2, b1 = ids_in(path)
        answers = {
            a1: Answer("河段截污完成", filler="李四"),
            a2: Answer("购置转运车2台"),
            b1: Answer("回填矿坑一处"),
        }
        fill(path, answers)
        DAMAGE[damage](path)
        before_tasks, before = state(ledger)
        review = ledger.monthly.read_replies([path], month=MONTH, today=date(2026, 12, 3))
        ledger.monthly.collect_replies(review)
        after_tasks, after = state(ledger)
        assert after_tasks == before_tasks
        assert after - before == {(t, "2026-11-30", a.entry(), a.reporter(WATER)) for t, a in answers.items()}
        notes = " ".join(n for f in review.files for n in f.notes + [x for a in f.answers for x in a.notes])
        if damage in ("delete-hidden", "paste-new"):
            assert "没有任务标识列" in notes
        if damage == "sort":
            assert "标识与本行" in notes
        if damage == "type-protected":
            assert "不可修改的列" in notes
        if damage == "paste-new":
            assert review.files[0].unit_from in ("标题", "文件名")


def test_merged_answer_cells_count_for_each_row(sent_template: Path) -> None:
    with scratch(sent_template) as (ledger, root):
        path = sheet_file(root, WATER)
        a1, a2, _ = ids_in(path)
        fill(path, {a1: Answer("共同推进"), a2: Answer("共同推进")})
        wb = openpyxl.load_workbook(path)
        ws = wb.worksheets[0]
        first, second = _task_rows(ws)[:2]
        ws.merge_cells(start_row=first, start_column=6, end_row=second, end_column=6)
        wb.save(path)
        _, before = state(ledger)
        review = ledger.monthly.read_replies([path], month=MONTH, today=date(2026, 12, 3))
        assert any("合并" in n for a in review.answers for n in a.notes)
        ledger.monthly.collect_replies(review)
        assert {(e[0], e[2]) for e in state(ledger)[1] - before} == {(a1, "共同推进"), (a2, "共同推进")}


def test_last_months_file_is_reported_not_imported(sent_template: Path) -> None:
    with scratch(sent_template) as (ledger, root):
        old = sheet_file(root, WATER, "oct", (2026, 10))
        fill(old, {i: Answer("十月份的进展") for i in ids_in(old)})
        _, before = state(ledger)
        review = ledger.monthly.read_replies([old], month=MONTH, today=date(2026, 12, 3))
        assert review.count("other-month") == 3 and review.count("new") == 0
        assert "不是2026年11月的" in " ".join(review.files[0].notes)
        ledger.monthly.collect_replies(review)
        assert state(ledger)[1] == before
        assert {s.unit for s in ledger.monthly.missing_replies(MONTH)} == {WATER, BUILD, ECO}


def test_inserted_rows_with_content_are_unmatched_not_merged(sent_template: Path) -> None:
    with scratch(sent_template) as (ledger, root):
        path = sheet_file(root, WATER)
        wb = openpyxl.load_workbook(path)
        ws = wb.worksheets[0]
        ws.append(["99", "单位自己加的一项工作", None, None, None, "开展宣传活动"])
        wb.save(path)
        _, before = state(ledger)
        review = ledger.monthly.read_replies([path], month=MONTH, today=date(2026, 12, 3))
        (unmatched,) = [a for a in review.answers if a.state == "unmatched"]
        assert "无法对应任务" in unmatched.notes[-1]
        ledger.monthly.collect_replies(review)
        assert state(ledger)[1] == before


HOSTILE: dict[str, bytes] = {
    "not-a-workbook.xlsx": b"hello, this is text",
    "truncated.xlsx": b"PK\x03\x04" + b"\x00" * 40,
    "ole-garbage.xls": bytes.fromhex("d0cf11e0a1b11ae1") + b"\xff" * 600,
}


def _zip_bomb(path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (300 * 1024 * 1024) + b"</a>")


def test_hostile_files_are_refused_and_the_ledger_is_unchanged(sent_template: Path) -> None:
    with scratch(sent_template) as (ledger, root):
        folder = root / "hostile"
        folder.mkdir()
        for name, data in HOSTILE.items():
            (folder / name).write_bytes(data)
        _zip_bomb(folder / "bomb.xlsx")
        other = root / "other.xlsx"  # a sheet of another ledger: same shape, foreign identity
        shutil.copy(sheet_file(root, WATER), other)
        wb = openpyxl.load_workbook(other)
        wb[IDENTITY_SHEET]["B1"] = "0" * 32
        fill_ws = wb.worksheets[0]
        fill_ws.cell(_task_rows(fill_ws)[0], 6).value = "别的台账的进展"
        wb.save(other)
        shutil.move(other, folder / "other.xlsx")
        tasks, before = state(ledger)
        review = ledger.monthly.read_replies([folder], month=MONTH, today=date(2026, 12, 3))
        assert len(review.files) == 5 and all(f.refused for f in review.files)
        assert "另一个台账" in next(f.refused for f in review.files if f.path.endswith("other.xlsx"))
        assert ledger.monthly.collect_replies(review).added == 0
        assert state(ledger) == (tasks, before)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_a_reply_saved_as_xls_reads_back(sent_template: Path) -> None:
    with scratch(sent_template) as (ledger, root):
        path = sheet_file(root, WATER)
        a1, _a2, b1 = ids_in(path)
        answers = {
            a1: Answer("截污完成", "序时推进", "雨季施工难", "王五", "0591-1234567"),
            b1: Answer("-回填完成"),
        }
        fill(path, answers)
        xls = to_xls(path)
        _, before = state(ledger)
        review = ledger.monthly.read_replies([xls], month=MONTH, today=date(2026, 12, 3))
        assert review.files[0].format == "xls" and review.files[0].unit_from == "标识"
        assert all(a.matched_by == "identity" for a in review.answers if a.state == "new")
        ledger.monthly.collect_replies(review)
        assert state(ledger)[1] - before == {
            (t, "2026-11-30", a.entry(), a.reporter(WATER)) for t, a in answers.items()
        }


# -- the property: random answers, random damage, exactly the answers come back ----------------------
TEXTS = [
    "完成排查",
    "+86 电话已通知",
    "已完成招标,正在施工",
    "1.5万吨",
    "第一阶段完成\n第二阶段启动",
    "完成率#1",
    "  前后空格  ",
]


@st.composite
def rounds(draw: st.DrawFn) -> tuple[dict[str, dict[int, Answer]], dict[str, list[str]]]:
    answers: dict[str, dict[int, Answer]] = {}
    damage: dict[str, list[str]] = {}
    for unit in (WATER, BUILD, ECO):
        picks = draw(st.lists(st.sampled_from(TEXTS), min_size=3, max_size=3))
        keep = draw(st.lists(st.booleans(), min_size=3, max_size=3))
        filler = draw(st.sampled_from(["", "赵六"]))
        answers[unit] = {i: Answer(picks[i], filler=filler) for i in range(3) if keep[i]}
        damage[unit] = draw(st.lists(st.sampled_from(sorted(DAMAGE)), max_size=3, unique=True))
    return answers, damage


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=rounds())
def test_round_trip_holds_exactly_the_answers(sent_template: Path, spec: tuple[dict, dict]) -> None:
    by_position, damage = spec
    with scratch(sent_template) as (ledger, root):
        tasks, before = state(ledger)
        expected = set()
        for unit in (WATER, BUILD, ECO):
            path = sheet_file(root, unit)
            ids = ids_in(path)
            answers = {ids[i]: a for i, a in by_position[unit].items() if i < len(ids)}
            fill(path, answers)
            for name in damage[unit]:
                DAMAGE[name](path)
            expected |= {(t, "2026-11-30", a.entry().strip(), a.reporter(unit)) for t, a in answers.items()}
        review = ledger.monthly.read_replies([root / "out"], month=MONTH, today=date(2026, 12, 3))
        ledger.monthly.collect_replies(review)
        after_tasks, after = state(ledger)
        assert after_tasks == tasks
        assert after - before == expected
        assert before <= after
        again = ledger.monthly.read_replies([root / "out"], month=MONTH, today=date(2026, 12, 3))
        assert again.count("new") == 0


def test_a_sheet_of_another_ledger_is_refused_even_before_the_first_send(
    sent_template: Path, ledger: Ledger
) -> None:
    """The same tasks in a ledger that never sent anything: the file's stamp is not its own."""
    build(ledger)
    review = ledger.monthly.read_replies([sent_template / "out"], month=MONTH, today=date(2026, 12, 3))
    assert review.files and all("另一个台账" in f.refused for f in review.files)
    before = state(ledger)
    ledger.monthly.collect_replies(review)
    assert state(ledger) == before


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_damaged_replies_saved_as_xls_read_back(sent_template: Path) -> None:
    """Damage, then .xls: the three units' files converted in one LibreOffice run."""
    damage = {WATER: ("sort", "rename"), BUILD: ("paste-new",), ECO: ("delete-hidden", "type-protected")}
    with scratch(sent_template) as (ledger, root):
        tasks, before = state(ledger)
        expected = set()
        for unit, names in damage.items():
            path = sheet_file(root, unit)
            answers = {t: Answer(f"{unit}第{n}项进展", filler="赵六") for n, t in enumerate(ids_in(path))}
            fill(path, answers)
            for name in names:
                DAMAGE[name](path)
            expected |= {(t, "2026-11-30", a.entry(), a.reporter(unit)) for t, a in answers.items()}
        out = root / "out"
        xlsx = sorted(out.glob("*.xlsx"))
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "xls", "--outdir", str(out), *map(str, xlsx)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        for path in xlsx:
            path.unlink()
        review = ledger.monthly.read_replies([out], month=MONTH, today=date(2026, 12, 3))
        assert [f.format for f in review.files] == ["xls"] * 3
        ledger.monthly.collect_replies(review)
        after_tasks, after = state(ledger)
        assert after_tasks == tasks and after - before == expected


def test_tampered_identities_are_not_trusted(sent_template: Path) -> None:
    """Identities typed over, pointing at another unit's task or at nothing, and a stamp with a bad month."""
    with scratch(sent_template) as (ledger, root):
        path = sheet_file(root, WATER)
        a1, a2, b1 = ids_in(path)
        other = ids_in(sheet_file(root, BUILD))[0]  # a task 水利局 was not sent
        fill(path, {a1: Answer("甲"), a2: Answer("乙"), b1: Answer("丙")})
        wb = openpyxl.load_workbook(path)
        ws = wb.worksheets[0]
        rows = _task_rows(ws)
        ws.cell(rows[0], 13).value = "99999999-deadbeef"  # no such task: matched by content
        ws.cell(rows[1], 13).value = f"{other}-00000000"  # wrong checksum: matched by content
        ws.cell(rows[2], 13).value = "=1+1"  # not an identity at all
        wb[IDENTITY_SHEET]["B2"] = "9999-99"  # the month from the title then
        wb.save(path)
        _, before = state(ledger)
        review = ledger.monthly.read_replies([path], month=MONTH, today=date(2026, 12, 3))
        assert review.files[0].month == "2026-11"
        assert {a.task_id: a.matched_by for a in review.answers} == {
            a1: "content",
            a2: "content",
            b1: "content",
        }
        ledger.monthly.collect_replies(review)
        assert {(e[0], e[2]) for e in state(ledger)[1] - before} == {(a1, "甲"), (a2, "乙"), (b1, "丙")}


def test_a_damaged_send_log_does_not_stop_the_next_send(ledger: Ledger, tmp_path: Path) -> None:
    from ledger_app.services.monthly_round import SENT_KEY
    from ledger_app.store import models as m

    build(ledger)
    with ledger.changing() as session:  # the damage an outside SQLite tool could do
        session.add(m.Setting(key=SENT_KEY, value="{not json"))
    assert ledger.monthly.send_log() == []
    result = ledger.monthly.distribute(month=MONTH, out_dir=tmp_path / "o", units=[WATER])
    assert [s.task_count for s in result.sheets] == [3]
    assert [(e.unit, e.tasks) for e in ledger.monthly.send_log(MONTH)] == [(WATER, 3)]
    with pytest.raises(ValidationError):
        ledger.monthly.distribute(month=MONTH, out_dir=tmp_path / "o", roles=("supervising",))
    with pytest.raises(ValidationError):
        ledger.monthly.distribute(month=(2026, 13), out_dir=tmp_path / "o")


def test_a_unit_name_windows_cannot_hold_still_reads_back(ledger: Ledger, tmp_path: Path) -> None:
    build(ledger)
    odd = "区住建局/城管局:联合办"
    rid = ledger.directory.round_by_name(ROUND_A).id
    task = ledger.tasks.create_task(
        round_id=rid, kind=ProblemKind.SPECIFIC, seq="9", description="联合执法不到位", lead_units=[odd]
    )
    (sheet,) = ledger.monthly.distribute(month=MONTH, out_dir=tmp_path / "o", units=[odd]).sheets
    assert "/" not in sheet.path.name and ":" not in sheet.path.name
    fill(sheet.path, {task: Answer("已联合执法2次")})
    review = ledger.monthly.read_replies([sheet.path], month=MONTH, today=date(2026, 12, 3))
    assert review.files[0].unit == odd and review.count("new") == 1
