"""The nine areas of the console, in navigation order (one place to add or rename one)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from console.context import AppContext
from console.views.page import Page
from console.views.tasks import TaskRunner

PageFactory = Callable[[AppContext, TaskRunner, QWidget | None], Page]


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    purpose: str
    planned: tuple[str, ...] = ()


AREAS: tuple[Area, ...] = (
    Area("dashboard", "Dashboard", "Early warnings of quiet erosion, worst first."),
    Area("calls", "Calls & outcomes",
         "What became of the calls: outcome measures, repeat calls, every call."),
    Area(
        "referrals",
        "Referrals & providers",
        "Warm handoffs to a vetted provider network, and whether people reached care.",
        (
            "Referrals per call: warm handoff or cold, contact made, time to first service",
            "The provider network with vetting status and after-hours availability",
            "A responsiveness scorecard for each provider",
        ),
    ),
    Area(
        "schedule",
        "Schedule",
        "Who is on, when, and whether that matches when crises happen.",
        (
            "Shift templates and a week / month roster with responder-officer pairings",
            "Minimum staffing, rest and overtime rules",
            "Coverage against call demand as a heat map by hour of week",
            "The history of every schedule change",
        ),
    ),
    Area(
        "staffing",
        "Staffing",
        "Authorized against filled positions, and the bench that can lead the unit.",
        (
            "Authorized vs filled positions, vacancies and their age",
            "Leave, separations, credentials and cross-training",
            "The leadership bench: who can step into the supervisor role, and when",
        ),
    ),
    Area(
        "pipeline",
        "Intern pipeline",
        "Graduate interns on their way to field-ready hires.",
        (
            "Partner graduate programs and candidates by stage (board view)",
            "Field-readiness evaluations and conversion by program",
            "Projected hires against projected vacancies",
        ),
    ),
    Area(
        "complaints",
        "Complaints",
        "A confidential, documented review process built for crisis work.",
        (
            "Intake, assignment and a deadline for every step",
            "Documentation checklist, findings and the command decision",
            "Confidential narrative visible only to those who review it; full history",
        ),
    ),
    Area(
        "program",
        "Program",
        "Governance, activation criteria, visibility work and funding.",
        (
            "Owner, budget holder, outcomes owner and a reporting-structure chart",
            "Versioned activation criteria: call types in and out of scope",
            "Budget lines and funding sources with their end dates",
        ),
    ),
    Area(
        "reports",
        "Reports",
        "The documents that win budget meetings.",
        (
            "Budget-defense packet (PDF) and data workbook (Excel)",
            "Monthly outcome report",
            "Continuity binder for a new chief",
        ),
    ),
)


def page_factory(key: str) -> PageFactory:
    """The page class of an area; imported on demand so start-up loads only the first."""
    if key == "dashboard":
        from console.views.dashboard_page import DashboardPage

        return DashboardPage
    if key == "calls":
        from console.views.calls_page import CallsPage

        return CallsPage
    if key == "program":
        from console.views.program_page import ProgramPage

        return ProgramPage
    if key == "complaints":
        from console.views.complaints_page import ComplaintsPage

        return ComplaintsPage
    if key == "staffing":
        from console.views.staffing_page import StaffingPage

        return StaffingPage
    if key == "schedule":
        from console.views.schedule_page import SchedulePage

        return SchedulePage
    if key == "referrals":
        from console.views.referrals_page import ReferralsPage

        return ReferralsPage
    if key == "pipeline":
        from console.views.pipeline_page import PipelinePage

        return PipelinePage
    from console.views.planned_page import planned_page_for

    area = next(a for a in AREAS if a.key == key)
    return planned_page_for(area)
