"""第三步 导入报告: the dry run. What the reader understood and refused, what the import would change
in the chosen round, and 开始导入 (the commit): the import runs in a worker with progress and 取消.
"""

from __future__ import annotations

import html
import logging
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from ledger_app.domain.dates import Future, check_progress_day
from ledger_app.domain.errors import CancelledError, LedgerError
from ledger_app.domain.model import RoundLevel
from ledger_app.io.import_plan import ImportPlan
from ledger_app.services import ImportResult, RoundInfo
from ledger_app.services.directory import clean_name
from ledger_app.services.import_rounds import ImportTarget, guess_new_round, guess_round
from ledger_app.services.importing import progress_day
from ledger_app.ui.date_edit import DateEdit
from ledger_app.ui.errors import show_error

from ..ask import confirm
from .base import ERROR_STYLE, OK_STYLE, FormPage
from .issues_model import COL_SEVERITY, IssuesModel
from .report_text import (
    ReportContext,
    diff_counts_line,
    round_lines,
    summary_lines,
    write_report,
)

log = logging.getLogger(__name__)

NEW_ROUND = -1  # roundCombo data of "新建督察批次…"
DIFF_SHOWN = 300  # tasks listed per group in the tree; the exported report has them all
DATE_DEBOUNCE_MS = 400


class ReportPage(FormPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "import_report_page",
            "导入报告",
            "下面是试导入的结果,台账还没有任何改变。核对无误后点“开始导入”;导入前会自动备份台账。",
            parent,
        )
        self.setCommitPage(True)
        self.round_combo = self.child(QComboBox, "roundCombo")
        self.new_round_box = self.child(QWidget, "newRoundBox")
        self.new_name_edit = self.child(QLineEdit, "newRoundNameEdit")
        self.new_level_combo = self.child(QComboBox, "newRoundLevelCombo")
        self.date_edit = self.child(DateEdit, "progressDateEdit")
        self.date_hint = self.child(QLabel, "progressDateHint")
        self.date_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.date_edit.setMaximumWidth(self.date_edit.minimumWidth() + 40)  # the hint takes the rest
        self.tabs = self.child(QTabWidget, "reportTabs")
        self.summary_label = self.child(QLabel, "summaryLabel")
        self.status_table = self.child(QTableWidget, "statusTable")
        self.diff_label = self.child(QLabel, "diffLabel")
        self.diff_tree = self.child(QTreeWidget, "diffTree")
        self.issues_view = self.child(QTableView, "issuesView")
        self.ready_label = self.child(QLabel, "readyLabel")
        self.export_button = self.child(QPushButton, "exportButton")
        self.diff_label.setTextFormat(Qt.TextFormat.PlainText)
        self.ready_label.setTextFormat(Qt.TextFormat.PlainText)
        for level in RoundLevel:
            self.new_level_combo.addItem(f"{level.label}级", level)
        self.new_round_box.hide()
        self.date_edit.setDate(date.today())
        self._dated_plan: tuple[str, str, date | None] | None = None  # the plan the date was proposed for

        self.issues_model = IssuesModel(self)
        self.issues_view.setModel(self.issues_model)
        # Fixed widths: ResizeToContents measures every row, a second at 10,000 warnings.
        header = self.issues_view.horizontalHeader()
        for column, width in enumerate((64, 140, 64, 48)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.issues_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        status_header = self.status_table.horizontalHeader()
        status_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            status_header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.diff_tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.diff_tree.header().resizeSection(0, 260)

        self._rounds: dict[int, RoundInfo] = {}
        self.diff: ImportResult | None = None
        self.diff_error = ""
        self._diff_key: tuple[int | None, date | None] | None = None  # what self.diff was computed for
        self.checking = False
        self.importing = False
        self._validating = False
        self._generation = 0
        self._date_timer = QTimer(self)
        self._date_timer.setSingleShot(True)
        self._date_timer.setInterval(DATE_DEBOUNCE_MS)
        self._date_timer.timeout.connect(self.refresh_diff)

        self.round_combo.currentIndexChanged.connect(self._round_changed)
        self.new_name_edit.textChanged.connect(self._name_changed)
        self.date_edit.dateChanged.connect(self._date_changed)
        self.export_button.clicked.connect(self.export_report)

    # -- filling --------------------------------------------------------------------------
    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        plan = self.import_wizard.plan
        if plan is None:
            return
        self._fill_rounds(plan)
        self._propose_date(plan)
        self._fill_status(plan)
        self._fill_issues(plan)
        self.diff = None
        self._diff_key = None
        self._fill_summary(plan)
        self.refresh_diff()

    def cleanupPage(self) -> None:  # noqa: N802 (Qt override)
        self._generation += 1  # a dry run under way is for a plan the clerk is about to change
        self._date_timer.stop()
        self.checking = False

    def _fill_rounds(self, plan: ImportPlan) -> None:
        rounds = self.import_wizard.ledger.directory.list_rounds()
        self._rounds = {r.id: r for r in rounds}
        self.round_combo.blockSignals(True)
        self.round_combo.clear()
        for info in rounds:
            self.round_combo.addItem(f"{info.name}({info.level.label}级,现有 {info.task_count} 项)", info.id)
        self.round_combo.addItem("新建督察批次…", NEW_ROUND)
        guessed = guess_round(plan, rounds)
        index = self.round_combo.findData(guessed.id if guessed else NEW_ROUND)
        self.round_combo.setCurrentIndex(max(index, 0))
        self.round_combo.blockSignals(False)
        if not self.new_name_edit.text():
            name, level = guess_new_round(plan)
            self.new_name_edit.setText(name)
            self.new_level_combo.setCurrentIndex(max(self.new_level_combo.findData(level), 0))
        self.new_round_box.setVisible(self.round_combo.currentData() == NEW_ROUND)

    def _fill_summary(self, plan: ImportPlan) -> None:
        lines = summary_lines(plan, self.diff, self.import_wizard.summary_of(plan))
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        head = f"<p><b>{html.escape(plan.title)}</b></p>" if plan.title else ""
        source = html.escape(f"{Path(plan.path).name} · 工作表「{plan.sheet}」")
        self.summary_label.setText(f"{head}<p>{source}</p><ul style='margin-left:-20px'>{items}</ul>")

    def _fill_status(self, plan: ImportPlan) -> None:
        statuses = self.import_wizard.summary_of(plan).status_map
        self.status_table.setRowCount(len(statuses))
        for row, item in enumerate(statuses):
            cells = [item.raw or "(空白)", item.status.label, str(item.count)]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == 2:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                cell.setToolTip(text)
                self.status_table.setItem(row, column, cell)

    def _fill_issues(self, plan: ImportPlan) -> None:
        self.issues_model.set_issues(plan.issues)
        # Refused rows first, then in sheet order: the order a clerk fixes them in.
        self.issues_view.sortByColumn(COL_SEVERITY, Qt.SortOrder.AscendingOrder)
        self.tabs.setTabText(
            self.tabs.indexOf(self.child(QWidget, "issuesTab")),
            f"拒绝的行与提示({self.import_wizard.summary_of(plan).refused_rows} 行 / {len(plan.warnings)} 条)",
        )

    def _fill_diff(self) -> None:
        tree = self.diff_tree
        tree.clear()
        diff = self.diff
        if diff is None:
            self.diff_label.setText(self.diff_error or "正在与台账比对…")
            self.diff_label.setStyleSheet(ERROR_STYLE if self.diff_error else "")
            return
        target = self.target()
        where = f"新建的督察批次「{target.name}」" if target.is_new else f"督察批次「{target.name}」"
        self.diff_label.setStyleSheet("")
        if len(diff.rounds) > 1:
            # The file's section rows name the rounds; the chosen one takes the tasks they do not.
            self.diff_label.setText(
                f"文件按督察批次分组,各任务导入到所在的 {len(diff.rounds)} 个督察批次:{diff_counts_line(diff)}。"
            )
        else:
            self.diff_label.setText(f"与台账中{where}比对:{diff_counts_line(diff)}。")
        groups = [
            ("新增", [(label, "台账中没有,将新建") for label in diff.created]),
            ("有变化", [(label, "将更新:" + "、".join(fields)) for label, fields in diff.changed]),
            ("无变化", []),
            ("台账中有、文件中没有", [(label, "导入不会删除它") for label in diff.missing]),
            ("将新建的单位", [(name, "") for name in diff.units_created]),
        ]
        if len(diff.rounds) > 1:
            groups.insert(
                0,
                ("督察批次", [(line.split(":", 1)[0], line.split(":", 1)[1]) for line in round_lines(diff)]),
            )
        counts = {"无变化": diff.unchanged}
        for title, children in groups:
            count = counts.get(title, len(children))
            top = QTreeWidgetItem([f"{title}({count})", ""])
            for label, note in children[:DIFF_SHOWN]:
                QTreeWidgetItem(top, [label, note])
            if len(children) > DIFF_SHOWN:
                QTreeWidgetItem(top, [f"……另有 {len(children) - DIFF_SHOWN} 项", "完整清单见“导出报告…”"])
            tree.addTopLevelItem(top)
            top.setExpanded(title in ("督察批次", "有变化", "台账中有、文件中没有") and bool(children))
        self.tabs.setTabText(self.tabs.indexOf(self.child(QWidget, "diffTab")), "与台账比对")

    # -- the target and the dry run -------------------------------------------------------
    def target(self) -> ImportTarget:
        data = self.round_combo.currentData()
        if data == NEW_ROUND or data is None:
            level = RoundLevel(self.new_level_combo.currentData() or RoundLevel.DISTRICT)
            return ImportTarget(None, clean_name(self.new_name_edit.text()), level)
        info: RoundInfo = self._rounds[data]
        return ImportTarget(info.id, info.name, info.level)

    @property
    def progress_date(self) -> date | None:
        """The day undated progress text is recorded on (None while the field holds no readable day)."""
        return self.date_edit.valid_day()

    def _propose_date(self, plan: ImportPlan) -> None:
        """The sheet's own 填报 date, else today; proposed once per file and sheet, so a date the
        clerk chose survives going back and forth between the pages."""
        found = plan.report_date
        key = (plan.path, plan.sheet, found.day if found else None)
        if key != self._dated_plan:
            self._dated_plan = key
            self.date_edit.blockSignals(True)
            self.date_edit.setDate(progress_day(plan))
            self.date_edit.blockSignals(False)
        self._show_date_hint()

    def _date_changed(self, _day: object) -> None:
        self._show_date_hint()
        self._update_ready()
        self._date_timer.start()

    def _date_problem(self) -> str:
        if self.date_edit.error():
            return f"进展日期:{self.date_edit.error()}"
        day = self.progress_date
        if day is not None:
            check = check_progress_day(day, date.today())
            if check.verdict is Future.REFUSE:
                return check.message_zh
        return ""

    def _show_date_hint(self) -> None:
        plan = self.import_wizard.plan if self.wizard() is not None else None
        found = plan.report_date if plan is not None else None
        day = self.progress_date
        problem = self._date_problem()
        if problem:
            self.date_hint.setStyleSheet(ERROR_STYLE)
            self.date_hint.setText(problem)
            return
        if found is not None and day == found.day:
            text = f"{found.describe()},作为进展日期:“整改进展”列中没有写日期的文字记为这一天的进展"
        elif found is not None:
            text = f"{found.describe()};“整改进展”列中没有写日期的文字记为所填这一天的进展"
        else:
            text = "表中没有找到填报时间,默认今天:“整改进展”列中没有写日期的文字记为这一天的进展"
        if day is not None and day > date.today():
            text += "(晚于今天,导入时会请您确认)"
        self.date_hint.setStyleSheet("")
        self.date_hint.setText(text)

    def _name_changed(self, _text: str) -> None:
        self._update_ready()
        if self.round_combo.currentData() != NEW_ROUND:
            return
        if self.diff is not None and self._diff_key == (None, self.progress_date):
            return  # what a new round receives does not depend on its name
        if not self.checking:
            self.refresh_diff()

    def _name_problem(self, target: ImportTarget) -> str:
        if not target.name:
            return "请填写新督察批次的名称。"
        if any(r.name == target.name for r in self._rounds.values()):
            return f"督察批次「{target.name}」已存在,请在列表中选择它。"
        return ""

    def _round_changed(self, _index: int) -> None:
        self.new_round_box.setVisible(self.round_combo.currentData() == NEW_ROUND)
        self.refresh_diff()

    def refresh_diff(self) -> None:
        """Run the dry run for the chosen round and progress date (in a worker)."""
        self._date_timer.stop()
        wizard = self.import_wizard
        plan = wizard.plan
        if plan is None:
            return
        target = self.target()
        day = self.progress_date
        key = (target.round_id, day)
        self._generation += 1
        generation = self._generation
        if (target.is_new and self._name_problem(target)) or self._date_problem():
            # Nothing to compare until the new round has a usable name and the date a day; _problem() says why.
            self.checking = False
            self.diff, self.diff_error = None, ""
            self._fill_diff()
            self._update_ready()
            return
        self.checking = True
        self.diff, self.diff_error = None, ""
        self._fill_diff()
        self._update_ready()
        ledger = wizard.ledger
        # Progress dated after today does not stop the comparison: the clerk is asked before the import.
        wizard.run(
            lambda progress, cancelled: ledger.imports.import_workbook(
                plan,
                target=target,
                progress_date=day,
                dry_run=True,
                confirm_future=True,
                progress=progress,
                cancelled=cancelled,
            ),
            on_done=lambda result: self._diff_done(generation, key, result),
            on_error=lambda exc: self._diff_failed(generation, exc),
            progress_title="正在与台账比对…",
        )

    def _diff_done(self, generation: int, key: tuple[int | None, date | None], result: ImportResult) -> None:
        if generation != self._generation:
            return
        self.checking = False
        self.diff, self._diff_key = result, key
        plan = self.import_wizard.plan
        if plan is not None:
            self._fill_summary(plan)
        self._fill_diff()
        self._update_ready()

    def _diff_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.checking = False
        if isinstance(exc, CancelledError):
            self.diff_error = "已取消比对。更换督察批次或进展日期会重新比对。"
        elif isinstance(exc, LedgerError):
            self.diff_error = f"无法导入:{exc.message_zh}"
        else:
            log.error("dry run failed", exc_info=(type(exc), exc, exc.__traceback__))
            self.diff_error = "比对时程序出错,详情已写入日志。"
        self._fill_diff()
        self._update_ready()

    def _problem(self) -> str:
        """Why 开始导入 is not possible now ("" when it is)."""
        plan = self.import_wizard.plan
        if plan is None or not plan.tasks:
            return "文件中没有可导入的任务。请返回上一步核对表头和各列,或选择其他工作表。"
        target = self.target()
        if target.is_new and self._name_problem(target):
            return self._name_problem(target)
        if self._date_problem():
            return self._date_problem()
        if self.diff_error:
            return self.diff_error
        return ""

    def _update_ready(self) -> None:
        problem = self._problem()
        plan = self.import_wizard.plan
        if problem:
            self.ready_label.setStyleSheet(ERROR_STYLE)
            self.ready_label.setText(problem)
        elif self.importing:
            self.ready_label.setStyleSheet("")
            self.ready_label.setText("正在导入…")
        elif self.checking or self.diff is None or plan is None:
            self.ready_label.setStyleSheet("")
            self.ready_label.setText("正在与台账比对…")
        else:
            diff = self.diff
            where = f"{len(diff.rounds)} 个督察批次" if len(diff.rounds) > 1 else f"「{self.target().name}」"
            text = (
                f"将向{where}导入:新增 {len(diff.created)} 项,"
                f"更新 {len(diff.changed)} 项,{diff.unchanged} 项无变化。"
            )
            refused = self.import_wizard.summary_of(plan).refused_rows
            if refused:
                text += f"拒绝的 {refused} 行不会导入。"
            self.ready_label.setStyleSheet(OK_STYLE)
            self.ready_label.setText(text)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 (Qt override)
        current = (self.target().round_id, self.progress_date)
        return (
            not self.checking
            and not self.importing
            and self.diff is not None
            and self._diff_key == current
            and not self._problem()
        )

    # -- exporting ------------------------------------------------------------------------
    def context(self) -> ReportContext:
        target = self.target()
        return ReportContext(target.name, self.progress_date, target.is_new)

    def export_report(self) -> None:
        plan = self.import_wizard.plan
        if plan is None:
            return
        source = Path(plan.path)
        suggested = str(source.with_name(f"{source.stem}-导入报告.txt"))
        name, chosen = QFileDialog.getSaveFileName(
            self, "导出导入报告", suggested, "文本文件 (*.txt);;CSV 表格 (*.csv)"
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() not in (".txt", ".csv"):
            path = path.with_name(path.name + (".csv" if "csv" in chosen.lower() else ".txt"))
        try:
            write_report(path, plan, self.diff, self.context(), self.import_wizard.summary_of(plan))
        except OSError as exc:
            QMessageBox.warning(self, "导出报告", f"无法保存报告:{path}\n{exc.strerror or exc}")
            return
        QMessageBox.information(self, "导出报告", f"报告已保存:\n{path}")

    # -- importing ------------------------------------------------------------------------
    def validatePage(self) -> bool:  # noqa: N802 (Qt override)
        wizard = self.import_wizard
        if wizard.result is not None:
            return True
        if not self.isComplete():
            return False
        plan = wizard.plan
        assert plan is not None
        refused = wizard.summary_of(plan).refused_rows
        if refused:
            question = f"有 {refused} 行被拒绝,不会导入(原因见“拒绝的行与提示”)。\n\n仍要导入其余 {len(plan.tasks)} 项任务吗?"
            if not confirm(self, "开始导入", question):
                return False
        ahead = self._future_question(plan)
        if ahead and not confirm(self, "进展日期晚于今天", ahead):
            return False
        self._start_import(plan, confirm_future=bool(ahead))
        return wizard.result is not None  # synchronous workers (tests) have finished already

    def _future_question(self, plan: ImportPlan) -> str:
        """What the import would date after today, as a question ("" when nothing is)."""
        today, day = date.today(), self.progress_date
        parts = []
        if day is not None and day > today and any(t.progress and not t.progress_entries for t in plan.tasks):
            parts.append(f"进展日期 {day.year}年{day.month}月{day.day}日 晚于今天({(day - today).days} 天后)")
        dated = [d for t in plan.tasks for d, _text in t.progress_entries if d > today]
        if dated:
            latest = max(dated)
            parts.append(
                f"表中有 {len(dated)} 条进展写的日期晚于今天(最晚 {latest.year}年{latest.month}月{latest.day}日)"
            )
        if not parts:
            return ""
        return ";".join(parts) + "。\n\n确定按这些日期导入吗?"

    def _start_import(self, plan: ImportPlan, *, confirm_future: bool = False) -> None:
        wizard = self.import_wizard
        target, day, ledger = self.target(), self.progress_date, wizard.ledger
        self.importing = wizard.busy = True
        self.form.setEnabled(False)
        self._update_ready()
        self._validating = True
        try:
            wizard.run(
                lambda progress, cancelled: ledger.imports.import_workbook(
                    plan,
                    target=target,
                    progress_date=day,
                    confirm_future=confirm_future,
                    progress=progress,
                    cancelled=cancelled,
                ),
                on_done=self._imported,
                on_error=self._import_failed,
                progress_title=f"正在导入 {len(plan.tasks)} 项任务…",
            )
        finally:
            self._validating = False

    def _stop_importing(self) -> None:
        self.importing = self.import_wizard.busy = False
        self.form.setEnabled(True)

    def _imported(self, result: ImportResult) -> None:
        self._stop_importing()
        wizard = self.import_wizard
        wizard.result = result
        wizard.imported.emit(result)
        if not self._validating:
            wizard.next()

    def _import_failed(self, exc: BaseException) -> None:
        self._stop_importing()
        if isinstance(exc, CancelledError):
            message = "导入已取消,台账没有任何改变。"
        else:
            show_error(self, exc, "导入失败")
            message = "导入失败,台账没有任何改变。" + (
                f"原因:{exc.message_zh}" if isinstance(exc, LedgerError) else ""
            )
        self.ready_label.setStyleSheet(ERROR_STYLE)
        self.ready_label.setText(message)
        # Another round may have been made meanwhile: compare again before the next attempt.
        self._rounds = {r.id: r for r in self.import_wizard.ledger.directory.list_rounds()}
        self.completeChanged.emit()
