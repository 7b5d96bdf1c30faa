"""The Schedule page's actions beyond the grid: the rules, trades and versions dialogs,
print preview, publishing and suggested moves (kept apart so the page stays a page)."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from console.errors import UserError
from console.views.tasks import report_bug

if TYPE_CHECKING:
    from console.views.schedule_page import SchedulePage


def open_rules(page: SchedulePage) -> None:
    from console.services.schedule.settings import RULE_SETTINGS
    from console.views.dialogs.settings_form import open_settings

    def keep(dialog: QDialog) -> None:
        page.rules_dialog = dialog

    open_settings(page, page.tasks, page.ctx.access, "Roster rules",
                  "The limits the roster is checked against. A change applies to every "
                  "check from now on and is kept in the audit trail.",
                  RULE_SETTINGS, page.refresh, keep)


def open_trades(page: SchedulePage) -> QDialog | None:
    from console.views.dialogs.roster_trades import TradesDialog

    if page.view is None:
        return None
    page.trades_dialog = TradesDialog(page.ctx.access, page.tasks, page.view.week,
                                      page.refresh, page)
    page.trades_dialog.open()
    return page.trades_dialog


def open_versions(page: SchedulePage) -> QDialog:
    from console.views.dialogs.roster_versions import VersionsDialog

    page.versions_dialog = VersionsDialog(page.ctx.access, page.tasks, page)
    page.versions_dialog.open()
    return page.versions_dialog


def print_preview(page: SchedulePage) -> None:
    """The printable roster of the week or month shown, in Qt's print preview."""
    from console.services.schedule.export import print_weeks
    from console.services.schedule.week import WeekRoster as Week

    period = page.shown_period()
    if period is None:
        return
    access, (first, last) = page.ctx.access, period
    page.print_button.setEnabled(False)

    def show(result: tuple[list[Week], str]) -> None:
        from console.views.roster_print import RosterPreviewDialog

        page.print_button.setEnabled(True)
        page.preview = RosterPreviewDialog(*result, parent=page)
        page.preview.open()

    def failed(exc: BaseException) -> None:
        page.print_button.setEnabled(True)
        say_failed(page, exc, "Not printed: ")

    page.tasks.run(lambda _c: print_weeks(access, first, last), show, failed, owner=page)


def publish(page: SchedulePage) -> None:
    period = page.shown_period()
    if period is None:
        return
    from console.services.schedule.versions import publish

    access, (first, last) = page.ctx.access, period
    what = f"{first:%B %Y}" if page.month_mode else f"the week of {first:%d %B}"
    page.publish_button.setEnabled(False)

    def done(number: int) -> None:
        page.publish_button.setEnabled(True)
        page.status.setText(f"Published {what} as roster version {number}.")
        page.status.show()

    def failed(exc: BaseException) -> None:
        page.publish_button.setEnabled(True)
        say_failed(page, exc, "")

    page.tasks.run(lambda _c: publish(access, first, last, dt.datetime.now()), done,
                   failed, writes=True, owner=page)


def say_failed(page: SchedulePage, exc: BaseException, prefix: str) -> None:
    if not isinstance(exc, UserError):
        report_bug(exc)
        return
    text = f"{prefix}{exc.message}"
    page.status.setText(text[0].upper() + text[1:])
    page.status.show()


def suggest(page: SchedulePage) -> None:
    if page.view is None:
        return
    from console.services.schedule.optimizer import Suggestion, suggest_moves

    access, first = page.ctx.access, page.view.week.monday
    page.suggest_button.setEnabled(False)
    page.suggestions.setText("Looking for moves…")

    def done(moves: list[Suggestion]) -> None:
        page.suggest_button.setEnabled(True)
        page.suggestions.setText(
            "<br>".join(escape(m.sentence[0].upper() + m.sentence[1:]) for m in moves)
            or "No move of a shift within its day covers more demand under the rules.")

    def failed(exc: BaseException) -> None:
        page.suggest_button.setEnabled(True)
        page.suggestions.setText("No suggestions: see the log file.")

    page.tasks.run(lambda _c: suggest_moves(access, first, first + dt.timedelta(days=6)),
                   done, failed, owner=page)



def open_templates(page: SchedulePage) -> QDialog | None:
    from console.views.dialogs.roster_templates import TemplatesDialog

    period = page.shown_period()
    if period is None:
        return None
    page.templates_dialog = TemplatesDialog(page.ctx.access, page.tasks, *period,
                                            page.refresh, page)
    page.templates_dialog.open()
    return page.templates_dialog
