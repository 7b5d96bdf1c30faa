"""Intern pipeline: the board of candidates by stage, projected hires against projected
vacancies, conversion by partner program and cohort, evaluations and partner programs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.context import AppContext
from console.data.people_enums import PIPELINE, Stage
from console.errors import UserError
from console.services.access import Access, Action, EditConflict
from console.services.people import pipeline
from console.services.people.overview import PipelineOverview, pipeline_overview
from console.services.people.stages import Conversion
from console.views.chart_box import ChartBox, import_matplotlib
from console.views.page import Page
from console.views.pipeline_board import PipelineBoard
from console.views.record_table import RecordTable
from console.views.record_table_model import Column
from console.views.tasks import TaskControl, TaskRunner
from console.views.widgets import scroll_area

BOARD_MIN_HEIGHT = 300
TABS_MIN_HEIGHT = 380
RUBRIC_TITLES = ("Risk under pressure", "De-escalation", "Rapport", "Command structure",
                 "Documentation")


def _rate(value: float | None) -> str:
    return f"{value:.0%}" if value is not None else "—"


def conversion_columns(group: str) -> list[Column[Conversion]]:
    return [Column(group, lambda c: c.group), *CONVERSION_COLUMNS]


CONVERSION_COLUMNS: list[Column[Conversion]] = [
    Column("Candidates", lambda c: c.candidates),
    Column("Decided", lambda c: c.decided, tooltip="Hired or withdrawn"),
    Column("Hired", lambda c: c.hired),
    Column("Conversion", lambda c: _rate(c.rate), tooltip="Hired of those decided"),
    Column("Still open", lambda c: c.candidates - c.decided),
]
PARTNER_COLUMNS: list[Column[pipeline.PartnerRow]] = [
    Column("University", lambda p: p.university),
    Column("Degree", lambda p: p.degree),
    Column("Agreement from", lambda p: p.agreement_from),
    Column("Agreement to", lambda p: p.agreement_to),
    Column("Vetted", lambda p: p.vetted, alert=lambda p: not p.vetted),
    Column("Vetted by", lambda p: p.vetted_by),
    Column("Vetted on", lambda p: p.vetted_on),
    Column("Contact", lambda p: p.contact),
]


def evaluation_columns(with_notes: bool) -> list[Column[pipeline.EvaluationRow]]:
    columns: list[Column[pipeline.EvaluationRow]] = [
        Column("Candidate", lambda e: e.candidate),
        Column("Evaluation", lambda e: e.kind),
        Column("Date", lambda e: e.evaluated_on),
        Column("Evaluator", lambda e: e.evaluator),
    ]
    for i, title in enumerate(RUBRIC_TITLES):
        columns.append(_score_column(i, title))
    columns.append(Column("Mean", lambda e: round(e.mean, 1)))
    if with_notes:
        columns.append(Column("Evaluator notes", lambda e: e.notes))
    return columns


def _score_column(i: int, title: str) -> Column[pipeline.EvaluationRow]:
    def score(e: pipeline.EvaluationRow) -> int:
        return e.scores[i]

    return Column(title, score, tooltip=f"{title}, scored 1 (not yet) to 5",
                  alert=lambda e: score(e) <= 2)


@dataclass(frozen=True)
class StageRow:
    stage: Stage
    now: int
    conversion: float | None
    median_days: float | None


STAGE_COLUMNS: list[Column[StageRow]] = [
    Column("Stage", lambda r: r.stage),
    Column("Candidates now", lambda r: r.now),
    Column("Conversion to a hire", lambda r: _rate(r.conversion),
           tooltip="Of the decided candidates who reached the stage, the share hired"),
    Column("Median days in stage", lambda r: r.median_days),
]


def fit_rows(table: RecordTable) -> None:
    """A short table exactly as high as its rows: it sits in a scrolling tab."""
    table.setFixedHeight(table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
                         + max(1, table.source.rowCount())
                         * table.verticalHeader().defaultSectionSize())


@dataclass(frozen=True)
class PipelineView:
    cards: list[pipeline.Card]
    overview: PipelineOverview
    partners: list[pipeline.PartnerRow]
    evaluations: list[pipeline.EvaluationRow]


def read_pipeline(access: Access, today: dt.date) -> PipelineView:
    return PipelineView(pipeline.board(access, today), pipeline_overview(access, today),
                        pipeline.partners(access), pipeline.evaluations(access))


class PipelinePage(Page):
    title = "Intern pipeline"
    subtitle = (
        "Graduate interns from vetted partner programs on their way to field-ready hires. "
        "Drag a card to the next stage; skipping a stage asks for the reason, and hired and "
        "withdrawn are final."
    )

    def __init__(self, ctx: AppContext, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tasks, parent)
        self.summary = QLabel("Loading…")
        self.summary.setObjectName("pipelineSummary")
        self.summary.setWordWrap(True)
        self.layout_.addWidget(self.summary)
        self.status = QLabel("")
        self.status.setObjectName("formError")
        self.status.setWordWrap(True)
        self.status.hide()
        self.layout_.addWidget(self.status)
        if ctx.access.allows(Action.EDIT_STAFF) and ctx.access.allows(Action.EDIT_IDENTITIES):
            actions = QHBoxLayout()
            for name, text, slot in (("addCandidate", "Add candidate…", self._add_candidate),
                                     ("addEvaluation", "Record evaluation…",
                                      self._add_evaluation)):
                button = QPushButton(text)
                button.setObjectName(name)
                button.clicked.connect(slot)
                actions.addWidget(button)
            actions.addStretch(1)
            self.layout_.addLayout(actions)
        self.board = PipelineBoard(ctx.access.allows(Action.EDIT_STAFF))
        self.board.setMinimumHeight(BOARD_MIN_HEIGHT)
        self.board.moved.connect(self.move_card)
        # Nine columns: on a narrow window the board scrolls sideways rather than squeeze.
        board_area = QScrollArea()
        board_area.setObjectName("boardScroll")
        board_area.setFrameShape(QFrame.Shape.NoFrame)
        board_area.setWidgetResizable(True)
        board_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        board_area.setWidget(self.board)
        board_area.setMinimumHeight(BOARD_MIN_HEIGHT + 20)
        self.layout_.addWidget(board_area, 3)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("pipelineTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setMinimumHeight(TABS_MIN_HEIGHT)
        self.forecast_chart = ChartBox("forecastChart", min_height=240)
        self.forecast_note = QLabel()
        self.forecast_note.setObjectName("tileNote")
        self.forecast_note.setWordWrap(True)
        self.forecast_chart.box.addWidget(self.forecast_note)
        self.tabs.addTab(self.forecast_chart, "Forecast")
        self.by_partner = RecordTable(conversion_columns("Partner program"))
        self.by_cohort = RecordTable(conversion_columns("Cohort"))
        self.by_stage = RecordTable(STAGE_COLUMNS)
        conversion = QWidget()
        box = QVBoxLayout(conversion)
        for title, table in (("By partner program", self.by_partner),
                             ("By cohort (academic year)", self.by_cohort),
                             ("By stage: what becomes of those who reach it", self.by_stage)):
            label = QLabel(title)
            label.setObjectName("sectionTitle")
            box.addWidget(label)
            box.addWidget(table)
        box.addStretch(1)
        self.tabs.addTab(scroll_area(conversion, "conversionScroll"), "Conversion")
        self.evaluations = RecordTable(
            evaluation_columns(ctx.access.allows(Action.VIEW_IDENTITIES)), stretch=-1)
        self.tabs.addTab(self.evaluations, "Evaluations")
        self.partners = RecordTable(PARTNER_COLUMNS, stretch=7)
        self.tabs.addTab(self.partners, "Partner programs")
        self.layout_.addWidget(self.tabs, 2)
        self.view: PipelineView | None = None
        self.reason_dialog: QWidget | None = None
        self.form_dialog: QDialog | None = None

    def first_activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self._activated = True
        access, today = self.ctx.access, dt.date.today()

        def work(control: TaskControl) -> PipelineView:
            import_matplotlib()
            control.check()
            return read_pipeline(access, today)

        self.tasks.run(work, self._show, self._failed, owner=self)

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText("The pipeline could not be loaded; see the log file.")
        self.forecast_chart.fail("The forecast could not be loaded.")

    def move_card(self, card: pipeline.Card, stage: Stage) -> None:
        """A card dropped on another stage: a skip asks for the reason first."""
        self.status.hide()
        skips = stage in PIPELINE and not card.stage.final and \
            PIPELINE.index(stage) > PIPELINE.index(card.stage) + 1
        if not skips:
            self._save_move(card, stage, None)
            return
        from console.views.dialogs.skip_reason import SkipReasonDialog

        skipped = ", ".join(s.label.lower() for s in
                            PIPELINE[PIPELINE.index(card.stage) + 1:PIPELINE.index(stage)])
        dialog = SkipReasonDialog(f"Moving {card.label} from {card.stage.label.lower()} to "
                                  f"{stage.label.lower()} skips {skipped}. Say why, for the "
                                  "record.", self)

        def submit(values: dict[str, str]) -> None:
            dialog.accept()
            self._save_move(card, stage, values["reason"])

        dialog.on_submit = submit
        self.reason_dialog = dialog
        dialog.open()

    def _add_candidate(self) -> None:
        from console.views.dialogs.pipeline_forms import AddCandidateDialog

        partners = self.view.partners if self.view else []
        self.form_dialog = AddCandidateDialog(self.ctx.access, self.tasks, partners,
                                              self.refresh, self)
        self.form_dialog.show()

    def _add_evaluation(self) -> None:
        from console.views.dialogs.pipeline_forms import EvaluationDialog

        card = self.board.selected()
        if card is None:
            self.status.setText("Select a candidate's card first.")
            self.status.show()
            return
        self.form_dialog = EvaluationDialog(self.ctx.access, self.tasks, card, self.refresh,
                                            self)
        self.form_dialog.show()

    def _save_move(self, card: pipeline.Card, stage: Stage, reason: str | None) -> None:
        access, today = self.ctx.access, dt.date.today()
        on = max(today, card.stage_since)
        self.tasks.run(lambda _c: pipeline.move_candidate(access, card.id, card.version, stage,
                                                          on, reason),
                       lambda _v: self.refresh(), self._move_failed, writes=True, owner=self)

    def _move_failed(self, exc: BaseException) -> None:
        if isinstance(exc, EditConflict):
            self.status.setText("Someone else moved this candidate since the board was shown; "
                                "it shows the saved stages now.")
        elif isinstance(exc, UserError):
            self.status.setText(f"Not moved: {exc.message}")
        else:
            from console.views.tasks import report_bug

            report_bug(exc)
            return
        self.status.show()
        self.refresh()

    def _show(self, view: PipelineView) -> None:
        from console.reports.people_charts import draw_forecast

        self.view = view
        o = view.overview
        f = o.forecast
        open_now = sum(n for s, n in o.per_stage.items() if not s.final)
        self.summary.setText(
            f"<b>{escape(f.sentence[0].upper() + f.sentence[1:])}.</b> {open_now} candidate"
            f"{'s' * (open_now != 1)} in the pipeline; {o.per_stage[Stage.HIRED]} hired so far.")
        self.board.set_cards(view.cards, o.median_days)
        self.forecast_chart.draw(lambda fig: draw_forecast(fig, f))
        self.forecast_note.setText(
            f"Vacancies expected by {f.horizon:%B %Y}: {f.vacancies:.1f} — {f.open_now} open "
            f"today, {f.recorded - f.open_now:+d} from known separations and starts, "
            f"{f.on_leave} on long leave, {f.turnover:.1f} from the unit's turnover "
            f"({f.turnover_rate:.0%} of filled positions a year). Projected hires: "
            f"{f.hires:.1f}: each open candidate at their stage's past conversion, hired "
            "once the stages ahead have taken their usual time. Interns' own seats are not "
            "counted as vacancies.")
        self.by_partner.set_rows(list(o.by_partner))
        self.by_cohort.set_rows(list(o.by_cohort))
        self.by_stage.set_rows([StageRow(s, o.per_stage.get(s, 0), o.stage_conversion.get(s),
                                         o.median_days.get(s)) for s in PIPELINE])
        for table in (self.by_partner, self.by_cohort, self.by_stage):
            fit_rows(table)
        self.evaluations.set_rows(view.evaluations)
        self.partners.set_rows(view.partners)

