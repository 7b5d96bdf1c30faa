"""The governance edit dialogs: the model, an agency's role, a post's holder, a new post,
a reporting line. Each saves through console.services.governance.edits on the task
runner; an edit someone else saved first opens the conflict dialog (VersionedFormDialog).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QComboBox, QPlainTextEdit, QWidget

from console.data.governance_enums import GovernanceModel, PostKind
from console.views.dialogs.form import date_edit, picked
from console.views.dialogs.versioned_form import VersionedFormDialog
from console.views.tasks import TaskRunner

if TYPE_CHECKING:
    from console.services.access import Access
    from console.services.governance.edits import HolderEdit
    from console.services.governance.records import (
        AgencyRole,
        Governance,
        HolderRow,
        StaffChoice,
    )

OUTSIDE = -1  # the "who" combo's entry for a person outside the unit


def _notes(name: str, text: str, lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setObjectName(name)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 12)
    return edit


class _Dialog(VersionedFormDialog):
    def __init__(self, access: Access, tasks: TaskRunner, on_saved: Callable[[], None],
                 title: str, intro: str, fields: list[tuple[str, str, bool]], ok: str,
                 parent: QWidget | None) -> None:
        super().__init__(title, intro, fields, ok, parent)
        self.access, self.tasks, self.on_saved = access, tasks, on_saved
        self.on_submit = self._save

    def _run(self, work: Callable[[], object]) -> None:
        self.tasks.run(lambda _c: work(), self._saved, self._failed, writes=True)


class ModelDialog(_Dialog):
    """The governance model (city, county, regional) and a note on how it works."""

    def __init__(self, access: Access, tasks: TaskRunner, on_saved: Callable[[], None],
                 g: Governance, parent: QWidget | None = None) -> None:
        super().__init__(access, tasks, on_saved, "Governance model",
                         "Whose program it is: one city's, a county's, or several agencies' "
                         "together (regional).", [], "Save", parent)
        self.version = g.model_version
        self.model = QComboBox()
        self.model.setObjectName("model")
        for m in GovernanceModel:
            self.model.addItem(m.label, m.value)
        if g.model is not None:
            self.model.setCurrentIndex(list(GovernanceModel).index(g.model))
        self.notes = _notes("notes", g.notes)
        self.form.addRow("Model", self.model)
        self.form.addRow("Notes", self.notes)

    def _save(self, _values: dict[str, str], version: int | None = None) -> None:
        from console.services.governance.edits import set_model

        access, model = self.access, GovernanceModel(self.model.currentData())
        notes, read = self.notes.toPlainText(), self.version if version is None else version
        self._run(lambda: set_model(access, model, notes, read))


class AgencyRoleDialog(_Dialog):
    """What one participating agency does in the program."""

    def __init__(self, access: Access, tasks: TaskRunner, on_saved: Callable[[], None],
                 agency: AgencyRole, parent: QWidget | None = None) -> None:
        super().__init__(access, tasks, on_saved, f"{agency.name}: role in the program",
                         "What this agency does for the program, in a sentence or two "
                         "(runs it, supplies clinicians, dispatches the unit…).", [], "Save",
                         parent)
        self.agency = agency
        self.text = _notes("responsibility", agency.responsibility, 4)
        self.form.addRow("Role", self.text)

    def _save(self, _values: dict[str, str], version: int | None = None) -> None:
        from console.services.governance.edits import set_responsibility

        access, agency_id, text = self.access, self.agency.id, self.text.toPlainText()
        read = self.agency.version if version is None else version
        self._run(lambda: set_responsibility(access, agency_id, text, read))


class HolderDialog(_Dialog):
    """Name a new holder of a post (`holder` None) or correct a holder's record."""

    def __init__(self, access: Access, tasks: TaskRunner, on_saved: Callable[[], None],
                 g: Governance, staff: list[StaffChoice], *, post_id: int | None = None,
                 kind: PostKind | None = None, holder: HolderRow | None = None,
                 parent: QWidget | None = None) -> None:
        title = "Edit the post holder" if holder else "Name a post holder"
        super().__init__(access, tasks, on_saved, title,
                         "A staff member of the unit, or a person outside it (a deputy chief, "
                         "a city budget officer). The program owner should be a ranking "
                         "sworn member named permanently; an acting owner is flagged.",
                         [("name", "Name", False), ("rank", "Rank", False)],
                         "Save" if holder else "Name", parent)
        self.holder, self.staff = holder, {s.id: s for s in staff}
        self.post = QComboBox()
        self.post.setObjectName("post")
        for p in g.posts:
            self.post.addItem(p.title, p.id)
        for k in PostKind:
            if k.required and g.post(k) is None:
                self.post.addItem(f"{k.label} (new post)", k.value)
        wanted = holder.post_id if holder else post_id if post_id is not None else \
            kind.value if kind else None
        if wanted is not None and self.post.findData(wanted) >= 0:
            self.post.setCurrentIndex(self.post.findData(wanted))
        self.post.setEnabled(holder is None)
        self.who = QComboBox()
        self.who.setObjectName("who")
        self.who.addItem("A person outside the unit", OUTSIDE)
        for s in staff:
            self.who.addItem(f"{s.rank} {s.name}" if s.rank else s.name, s.id)
        self.agency = QComboBox()
        self.agency.setObjectName("agency")
        self.agency.addItem("(not recorded)", None)
        for a in g.agencies:
            self.agency.addItem(a.name, a.id)
        self.sworn = QCheckBox("Sworn member (not a civilian)")
        self.sworn.setObjectName("sworn")
        self.acting = QCheckBox("Acting or temporary")
        self.acting.setObjectName("acting")
        self.since = date_edit("since_on", holder.since_on if holder else dt.date.today())
        self.ended = QCheckBox("Left the post on")
        self.ended.setObjectName("ended")
        self.until = date_edit("until_on", holder.until_on if holder and holder.until_on
                                else dt.date.today())
        self.ended.toggled.connect(self.until.setEnabled)
        self.form.insertRow(0, "Post", self.post)
        self.form.insertRow(1, "Who", self.who)
        self.form.addRow("Agency", self.agency)
        self.form.addRow("", self.sworn)
        self.form.addRow("", self.acting)
        self.form.addRow("Since", self.since)
        self.form.addRow(self.ended, self.until)
        if holder is not None:
            self.edits["name"].setText(holder.name)
            self.edits["rank"].setText(holder.rank or "")
            self.who.setCurrentIndex(max(0, self.who.findData(holder.staff_id)))
            self.agency.setCurrentIndex(max(0, self.agency.findData(holder.agency_id)))
            self.sworn.setChecked(holder.sworn)
            self.acting.setChecked(holder.acting)
            self.ended.setChecked(holder.until_on is not None)
        self.until.setEnabled(self.ended.isChecked())
        self.edits["rank"].setPlaceholderText("e.g. Deputy Chief, Captain (blank for civilians)")
        self.who.currentIndexChanged.connect(self._who_changed)

    def _who_changed(self) -> None:
        chosen = self.staff.get(self.who.currentData())
        if chosen is None:
            return
        self.edits["name"].setText(chosen.name)
        self.edits["rank"].setText(chosen.rank or "")
        self.sworn.setChecked(chosen.sworn)
        if chosen.agency_id is not None:
            self.agency.setCurrentIndex(max(0, self.agency.findData(chosen.agency_id)))

    def check(self, values: dict[str, str]) -> str:
        if not values["name"].strip():
            return "Name the holder (or choose a staff member)."
        if self.ended.isChecked() and picked(self.until) < picked(self.since):
            return "The day they left the post is before the day they took it."
        return ""

    def edit(self) -> HolderEdit:
        from console.services.governance.edits import HolderEdit

        who = self.who.currentData()
        return HolderEdit(
            name=self.edits["name"].text(), since_on=picked(self.since),
            staff_id=None if who == OUTSIDE else int(who), rank=self.edits["rank"].text(),
            agency_id=self.agency.currentData(), sworn=self.sworn.isChecked(),
            acting=self.acting.isChecked(),
            until_on=picked(self.until) if self.ended.isChecked() else None)

    def _save(self, _values: dict[str, str], version: int | None = None) -> None:
        from console.services.governance.edits import assign_holder, update_holder

        access, edit, holder = self.access, self.edit(), self.holder
        if holder is not None:
            read = holder.version if version is None else version
            self._run(lambda: update_holder(access, holder.id, read, edit))
            return
        data = self.post.currentData()
        post: int | PostKind = PostKind(data) if isinstance(data, str) else int(data)
        self._run(lambda: assign_holder(access, post, edit))


class PostDialog(_Dialog):
    """Another box on the chart (a chief, a city manager, a partner's director)."""

    def __init__(self, access: Access, tasks: TaskRunner, on_saved: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(access, tasks, on_saved, "Add a post to the chart",
                         "Someone the program reports through or works with, beyond the four "
                         "posts every program needs: a chief, a city manager, a partner "
                         "agency's director.", [("title", "Title", False)], "Add", parent)
        self.edits["title"].setPlaceholderText("e.g. Chief of police")

    def check(self, values: dict[str, str]) -> str:
        return "" if values["title"].strip() else "Give the post a title."

    def _save(self, values: dict[str, str], version: int | None = None) -> None:
        from console.services.governance.edits import add_post

        access, title = self.access, values["title"]
        self._run(lambda: add_post(access, PostKind.OTHER, title))


class LineDialog(_Dialog):
    """One post reports to another (or, dotted, coordinates with it)."""

    def __init__(self, access: Access, tasks: TaskRunner, on_saved: Callable[[], None],
                 g: Governance, post_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(access, tasks, on_saved, "Add a reporting line",
                         "Who reports to whom: the lines a chief should be able to sketch "
                         "in 30 seconds.", [], "Add", parent)
        self.low, self.high = QComboBox(), QComboBox()
        self.low.setObjectName("post")
        self.high.setObjectName("reports_to")
        for p in g.posts:
            self.low.addItem(p.title, p.id)
            self.high.addItem(p.title, p.id)
        if post_id is not None and self.low.findData(post_id) >= 0:
            self.low.setCurrentIndex(self.low.findData(post_id))
        owner = g.post(PostKind.PROGRAM_OWNER)
        if owner is not None:
            self.high.setCurrentIndex(max(0, self.high.findData(owner.id)))
        self.dotted = QCheckBox("Dotted line: coordinates with, no authority")
        self.dotted.setObjectName("dotted")
        self.form.addRow("Post", self.low)
        self.form.addRow("Reports to", self.high)
        self.form.addRow("", self.dotted)

    def check(self, values: dict[str, str]) -> str:
        if self.low.count() < 2:
            return "The chart needs two posts before a line can join them."
        if self.low.currentData() == self.high.currentData():
            return "A post cannot report to itself."
        return ""

    def _save(self, _values: dict[str, str], version: int | None = None) -> None:
        from console.services.governance.edits import add_line

        access, low, high = self.access, int(self.low.currentData()), int(self.high.currentData())
        dotted = self.dotted.isChecked()
        self._run(lambda: add_line(access, low, high, dotted))
