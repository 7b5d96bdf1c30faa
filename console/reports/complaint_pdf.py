"""A complaint's case summary as a PDF (reportlab), holding only what its reader may see.

The caller passes the Confidential parts only when the reader may read them
(console.services.complaints.queries.case_summary); without them the summary says what
was withheld, never the narrative, the complainant, the notes or the documents' names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from console.services.complaints.records import CaseDetail, Confidential

WITHHELD = "Withheld: only the case's supervisor, director and assigned reviewer may read it."


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _table(rows: Sequence[Sequence[object]], widths: Sequence[float], body: ParagraphStyle,
           header: bool = True) -> Table:
    cells = [[c if isinstance(c, Paragraph) else _p(str(c), body) for c in row]
             for row in rows]
    table = Table(cells, colWidths=list(widths), repeatRows=1 if header else 0)
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#d1d5db")),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e5e7eb")))
    table.setStyle(TableStyle(style))
    return table


def write_case_summary(path: Path, detail: CaseDetail, confidential: Confidential | None,
                       reader: str, *, now: dt.datetime | None = None) -> Path:
    """Write the summary of one case to `path`; `reader` is printed on every page."""
    now = now or dt.datetime.now().replace(microsecond=0)
    sheet = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=sheet["BodyText"], fontSize=9, leading=11.5)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10,
                           textColor=colors.HexColor("#4b5563"))
    h2 = ParagraphStyle("h2", parent=sheet["Heading2"], fontSize=12, spaceBefore=10)
    story: list[Any] = [
        Paragraph(f"Complaint {escape(detail.reference)}: case summary", sheet["Title"]),
        _p(f"CONFIDENTIAL personnel record. Prepared {now:%Y-%m-%d %H:%M} for {reader}.",
           small),
        Spacer(1, 8),
    ]
    due = f"{detail.due_on:%Y-%m-%d}" + (" (OVERDUE)" if detail.overdue else "") \
        if detail.due_on else "—"
    facts = [
        ("State", detail.state.label), ("Received", f"{detail.received_on:%Y-%m-%d}"),
        ("Channel", detail.channel.label),
        ("Current step", f"{detail.step}, due {due}" if detail.step else "None (finished)"),
        ("Classification", detail.classification.label if detail.classification else "—"),
        ("Reviewer", detail.reviewer or "—"),
        ("Subjects", ", ".join(name for _, name in detail.subjects)),
        ("Allegations", ", ".join(c.label for c in detail.categories)),
        ("Related call", detail.call_incident or "—"),
        ("Proposed finding", detail.proposed_finding.label if detail.proposed_finding
         else "—"),
        ("Finding", detail.finding.label if detail.finding else "—"),
        ("Command decision", detail.decision or "—"),
        ("Finished", f"{detail.finished_on:%Y-%m-%d}" if detail.finished_on else "—"),
    ]
    story.append(_table(facts, [1.6 * inch, 5.3 * inch], body, header=False))
    story.append(Paragraph("Complainant and account", h2))
    if confidential is None:
        story.append(_p(WITHHELD, body))
    else:
        contact = confidential.complainant_contact or "no contact given"
        who = "Anonymous" if confidential.anonymous else \
            f"{confidential.complainant_name or ''} ({contact})"
        story += [_p(f"Complainant: {who}", body), Spacer(1, 4),
                  _p(confidential.narrative, body)]
        if confidential.closing_letter:
            story += [Paragraph("Closing letter", h2), _p(confidential.closing_letter, body)]
    story.append(Paragraph("Documentation checklist", h2))
    story.append(_table(
        [("Document", "Status", "Done", "By")] +
        [(c.kind.label, c.status.label, f"{c.done_on:%Y-%m-%d}" if c.done_on else "",
          c.done_by or "") for c in detail.checklist],
        [3.4 * inch, 1.1 * inch, 1.0 * inch, 1.4 * inch], body))
    if detail.attachments:
        story.append(Paragraph("Documents kept with the case", h2))
        story.append(_table(
            [("Document", "Size", "Added", "By")] +
            [(a.filename or f"Document {a.id} (name withheld)", f"{a.size_bytes:,} bytes",
              f"{a.added_at:%Y-%m-%d}", a.added_by) for a in detail.attachments],
            [3.4 * inch, 1.1 * inch, 1.0 * inch, 1.4 * inch], body))
    story.append(Paragraph("History", h2))
    story.append(_table(
        [("When", "Who", "What", "Note")] +
        [(f"{r.at:%Y-%m-%d %H:%M}", r.actor, r.text,
          (r.note or "") if confidential is not None else ("withheld" if r.note else ""))
         for r in detail.timeline],
        [1.15 * inch, 1.0 * inch, 2.5 * inch, 2.25 * inch], body))

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.drawString(0.75 * inch, 0.5 * inch, f"{detail.reference} — confidential — "
                                                   f"for {reader} — page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(str(path), pagesize=LETTER, leftMargin=0.75 * inch,
                            rightMargin=0.75 * inch, topMargin=0.7 * inch,
                            bottomMargin=0.8 * inch, title=f"Complaint {detail.reference}",
                            author="Co-Response Console")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return path
