"""A printable roster: a week per landscape page, shifts by time down the side and days
across, and the week's breaches of the rules under the grid."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

from console.services.schedule.week import WeekRoster

BREACH = colors.HexColor("#fbe3e1")
UNPAIRED = colors.HexColor("#fff1c2")


def roster_pdf(weeks: list[WeekRoster], program: str) -> bytes:
    styles = getSampleStyleSheet()
    body = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    story: list[Any] = []
    for n, week in enumerate(weeks):
        if n:
            story.append(PageBreak())
        sunday = week.monday + dt.timedelta(days=6)
        story.append(Paragraph(f"{escape(program)} — roster, week of {week.monday:%d %B %Y} "
                               f"to {sunday:%d %B}", styles["Heading2"]))
        flagged = {b.shift_id for b in week.breaches if b.shift_id is not None}
        unpaired = {p.shift_id for p in week.pairs if p.unpaired}
        slots = sorted({s.slot for s in week.shifts})
        rows: list[list[Any]] = [[""] + [f"{week.monday + dt.timedelta(days=d):%a %d}"
                                         for d in range(7)]]
        rows += [[Paragraph(escape(slot), body)] + [""] * 7 for slot in slots]
        style = [("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                 ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecf2")),
                 ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTSIZE", (0, 0), (-1, 0), 8)]
        cells: dict[tuple[int, int], list[str]] = {}
        for s in week.shifts:
            row, col = slots.index(s.slot) + 1, (s.starts_at.date() - week.monday).days + 1
            names = [p.name for p in s.staff] or ["(open shift)"]
            cells.setdefault((row, col), []).extend(names)
            if s.id in flagged:
                style.append(("BACKGROUND", (col, row), (col, row), BREACH))
            elif s.id in unpaired:
                style.append(("BACKGROUND", (col, row), (col, row), UNPAIRED))
        for (row, col), names in cells.items():
            rows[row][col] = Paragraph("<br/>".join(escape(x) for x in names), body)
        table = Table(rows, colWidths=[1.3 * inch] + [1.17 * inch] * 7, repeatRows=1)
        table.setStyle(TableStyle(style))
        story.append(table)
        if week.breaches:
            story.append(Paragraph(f"{len(week.breaches)} breach"
                                   f"{'es' * (len(week.breaches) != 1)} of the rules",
                                   styles["Heading4"]))
            for b in week.breaches:
                story.append(Paragraph(escape(f"{b.rule}: {b.explanation}"), body))
        else:
            story.append(Paragraph("The week keeps every roster rule.", body))
        lone = [p for p in week.pairs if p.unpaired]
        if lone:
            story.append(Paragraph(f"{len(lone)} shift{'s' * (len(lone) != 1)} without a "
                                   "responder-officer pair", styles["Heading4"]))
            story += [Paragraph(escape(f"pairing: {p.explanation}"), body) for p in lone]
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(LETTER), leftMargin=0.5 * inch,
                            rightMargin=0.5 * inch, topMargin=0.5 * inch,
                            bottomMargin=0.5 * inch, title=f"{program} roster",
                            author="Co-Response Console")
    doc.build(story)
    return out.getvalue()
