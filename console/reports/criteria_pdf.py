"""The one-page activation criteria sheet for dispatch and patrol.

Two columns a dispatcher reads at a glance: the call types that get the co-responder
unit and those that do not, each with its reason; the version, its date, who approved
it and the policy behind it at the top. However many call types there are, the sheet
stays one page (the content shrinks to fit, as a laminated card must).
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import KeepInFrame, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from console.services.criteria.versions import CriteriaVersionRow, EntrySpec

IN_COLOUR = colors.HexColor("#e3f1e6")
OUT_COLOUR = colors.HexColor("#f6e4e1")
HEAD_COLOUR = colors.HexColor("#1f3a5f")
MARGIN = 0.55 * inch
COMPACT_FROM = 12


def criteria_pdf(version: CriteriaVersionRow, program: str) -> bytes:
    """The sheet for one version as PDF bytes (always exactly one page)."""
    styles = getSampleStyleSheet()
    title = ParagraphStyle("title", parent=styles["Title"], fontSize=18, leading=22,
                           alignment=0, spaceAfter=2, textColor=HEAD_COLOUR)
    sub = ParagraphStyle("sub", parent=styles["BodyText"], fontSize=9.5, leading=12,
                         textColor=colors.HexColor("#333333"))
    head = ParagraphStyle("head", parent=styles["Heading3"], fontName="Helvetica-Bold",
                          fontSize=12, leading=15,
                          spaceBefore=0, spaceAfter=0)
    kind = ParagraphStyle("kind", parent=styles["BodyText"], fontName="Helvetica-Bold",
                          fontSize=10, leading=12)
    why = ParagraphStyle("why", parent=styles["BodyText"], fontSize=8.5, leading=10.5,
                         textColor=colors.HexColor("#333333"))
    approved = version.approved_by or "not recorded"
    if version.approved_on is not None:
        approved += f" on {version.approved_on:%d %B %Y}"
    status = "" if version.applied else " — DRAFT, not in force"
    story: list[Any] = [
        Paragraph(escape(f"Co-responder activation criteria{status}"), title),
        Paragraph(escape(f"{program} · {version.name}"), sub),
        Paragraph(escape(f"In force from {version.effective_on:%d %B %Y} · approved by "
                         f"{approved} · policy {version.policy_reference or 'not recorded'}"),
                  sub),
        Spacer(1, 8),
    ]
    width = LETTER[0] - 2 * MARGIN
    rows: list[list[Any]] = [[
        Paragraph("Send the co-responder unit (in scope)", head),
        Paragraph("Not for the unit (out of scope)", head)]]
    ins, outs = version.in_scope_types, version.out_of_scope_types
    longest = max(len(ins), len(outs))
    # Past a dozen call types a side, each takes one line-led paragraph in a smaller font.
    compact = longest > COMPACT_FROM
    line = ParagraphStyle("line", parent=why, fontSize=7.5, leading=9,
                          textColor=colors.black)
    for i in range(longest):
        rows.append([_entry(side[i], kind, why, line if compact else None)
                     if i < len(side) else [] for side in (ins, outs)])
    pad = 1.5 if compact else 4
    table = Table(rows, colWidths=[width / 2] * 2, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (0, -1), IN_COLOUR),
        ("BACKGROUND", (1, 0), (1, -1), OUT_COLOUR),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, HEAD_COLOUR),
        ("LINEBELOW", (0, 1), (-1, -2), 0.25, colors.HexColor("#bbbbbb")),
        ("LINEAFTER", (0, 0), (0, -1), 1.0, colors.white),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
    ]))
    story.append(table)
    story.append(Spacer(1, 8))
    story.append(Paragraph(
        "A call type not on this sheet: dispatch as usual, and patrol may still ask for the "
        "unit on scene. The final call type decides (the initial one where there is none). "
        "Questions go to the unit's supervisor.", why))
    if version.notes:
        story.append(Spacer(1, 4))
        story.append(Paragraph(escape(f"Notes: {version.notes}"), why))
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=LETTER, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN,
                            title=f"{program} activation criteria — {version.name}",
                            author="Co-Response Console")
    frame_height = LETTER[1] - 2 * MARGIN - 12  # the frame's own padding
    doc.build([KeepInFrame(width, frame_height, story, mode="shrink")])
    return out.getvalue()


def _entry(entry: EntrySpec, kind: ParagraphStyle, why: ParagraphStyle,
           line: ParagraphStyle | None) -> list[Paragraph]:
    if line is not None:
        reason = f" — {escape(entry.reason)}" if entry.reason else ""
        return [Paragraph(f"<b>{escape(entry.call_type)}</b>{reason}", line)]
    cell = [Paragraph(escape(entry.call_type), kind)]
    if entry.reason:
        cell.append(Paragraph(escape(entry.reason), why))
    return cell
