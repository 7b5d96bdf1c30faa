"""Print preview of the roster: the content of the PDF export (console/reports/roster_pdf)
- a week per landscape page, shifts by time down the side, days across, breaches shaded and
listed under the grid - laid out as a rich-text document Qt prints and previews itself
(QtPdf, which could show the PDF's own pages, is not part of PySide6-Essentials)."""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from console import APP_NAME
from console.services.schedule.week import WeekRoster

BREACH = "#fbe3e1"
UNPAIRED = "#fff1c2"


def roster_html(weeks: list[WeekRoster], program: str) -> str:
    """A page per week, as roster_pdf prints it."""
    parts = ["<html><body style='font-family: sans-serif; font-size: 8pt'>"]
    for n, week in enumerate(weeks):
        sunday = week.monday + dt.timedelta(days=6)
        brk = " style='page-break-before: always'" if n else ""
        parts.append(f"<h2{brk}>{escape(program)} — roster, week of "
                     f"{week.monday:%d %B %Y} to {sunday:%d %B}</h2>")
        flagged = {b.shift_id for b in week.breaches if b.shift_id is not None}
        unpaired = {p.shift_id for p in week.pairs if p.unpaired}
        slots = sorted({s.slot for s in week.shifts})
        cells: dict[tuple[int, int], list[str]] = {}
        shade: dict[tuple[int, int], str] = {}
        for s in week.shifts:
            key = (slots.index(s.slot), (s.starts_at.date() - week.monday).days)
            cells.setdefault(key, []).extend([p.name for p in s.staff] or ["(open shift)"])
            if s.id in flagged:
                shade[key] = BREACH
            elif s.id in unpaired and key not in shade:
                shade[key] = UNPAIRED
        parts.append("<table width='100%' border='1' cellspacing='0' cellpadding='3' "
                     "style='border-collapse: collapse; border-color: #888'>")
        parts.append("<tr style='background-color: #e8ecf2'><th width='14%'></th>" + "".join(
            f"<th width='12%'>{week.monday + dt.timedelta(days=d):%a %d}</th>"
            for d in range(7)) + "</tr>")
        for r, slot in enumerate(slots):
            row = [f"<td>{escape(slot)}</td>"]
            for c in range(7):
                colour = shade.get((r, c))
                bg = f" bgcolor='{colour}'" if colour else ""
                row.append(f"<td valign='top'{bg}>"
                           + "<br>".join(escape(x) for x in cells.get((r, c), [])) + "</td>")
            parts.append("<tr>" + "".join(row) + "</tr>")
        parts.append("</table>")
        if week.breaches:
            n_b = len(week.breaches)
            parts.append(f"<h4>{n_b} breach{'es' * (n_b != 1)} of the rules</h4>")
            parts += [f"<p>{escape(f'{b.rule}: {b.explanation}')}</p>" for b in week.breaches]
        else:
            parts.append("<p>The week keeps every roster rule.</p>")
        lone = [p for p in week.pairs if p.unpaired]
        if lone:
            parts.append(f"<h4>{len(lone)} shift{'s' * (len(lone) != 1)} without a "
                         "responder-officer pair</h4>")
            parts += [f"<p>{escape(f'pairing: {p.explanation}')}</p>" for p in lone]
    parts.append("</body></html>")
    return "".join(parts)


def landscape_printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    return printer


def print_document(weeks: list[WeekRoster], program: str) -> QTextDocument:
    doc = QTextDocument()
    doc.setHtml(roster_html(weeks, program))
    return doc


class RosterPreviewDialog(QPrintPreviewDialog):
    """Qt's print preview (zoom, page setup, print) over the roster's pages."""

    def __init__(self, weeks: list[WeekRoster], program: str,
                 parent: QWidget | None = None) -> None:
        self.roster_printer = landscape_printer()
        super().__init__(self.roster_printer, parent)
        self.setWindowTitle(f"{APP_NAME} — Print preview: roster")
        self.document = print_document(weeks, program)
        self.pages = len(weeks)
        self.paintRequested.connect(self._paint)
        self.resize(1000, 700)

    def _paint(self, printer: QPrinter) -> None:
        self.document.print_(printer)
