"""All ORM models; importing this package registers every table on Base.metadata."""

from console.data.base import Base
from console.data.models.calls import Call, Person, call_responder
from console.data.models.complaints import (
    CaseEvent,
    ChecklistItem,
    ClosureDay,
    Complaint,
    ComplaintAttachment,
    ComplaintCategory,
    ComplaintSettings,
    ComplaintSubject,
    ReportingLine,
    UserStaffLink,
)
from console.data.models.criteria import CriteriaEntry, CriteriaVersion
from console.data.models.funding import BudgetLine, FundedPosition, FundingSource, UnitCost
from console.data.models.governance import (
    AgencyResponsibility,
    GovernanceHolder,
    GovernanceLine,
    GovernancePost,
    ProgramGovernance,
)
from console.data.models.imports import ImportProfile
from console.data.models.indicators import AlertAcknowledgement, IndicatorSeen, IndicatorThreshold
from console.data.models.people import (
    BenchActivity,
    BenchCandidate,
    Credential,
    CrossTraining,
    StaffLeave,
)
from console.data.models.pipeline import Candidate, CandidateStage, Evaluation, PartnerProgram
from console.data.models.program import Agency, Program, ProgramEvent
from console.data.models.referrals import FollowUpContact, Provider, Referral
from console.data.models.roster import (
    DutyAway,
    RosterVersion,
    ShiftRequirement,
    ShiftTemplate,
    ShiftTrade,
    StaffingMinimum,
)
from console.data.models.schedule import Shift, ShiftAssignment
from console.data.models.staff import Position, PositionAssignment, StaffMember
from console.data.models.trust import (
    AuditEntry,
    AuditHead,
    DatabaseIdentity,
    Setting,
    UserAccount,
)

__all__ = [
    "DutyAway",
    "RosterVersion",
    "ShiftRequirement",
    "ShiftTemplate",
    "ShiftTrade",
    "StaffingMinimum",
    "Agency",
    "AlertAcknowledgement",
    "BenchActivity",
    "BenchCandidate",
    "Candidate",
    "CandidateStage",
    "Credential",
    "CrossTraining",
    "Evaluation",
    "PartnerProgram",
    "StaffLeave",
    "AuditEntry",
    "AuditHead",
    "DatabaseIdentity",
    "ImportProfile",
    "IndicatorSeen",
    "IndicatorThreshold",
    "Setting",
    "UserAccount",
    "Base",
    "Call",
    "Person",
    "Position",
    "PositionAssignment",
    "Program",
    "ProgramEvent",
    "Shift",
    "ShiftAssignment",
    "StaffMember",
    "call_responder",
    # complaints
    "CaseEvent",
    "ChecklistItem",
    "ClosureDay",
    "Complaint",
    "ComplaintAttachment",
    "ComplaintCategory",
    "ComplaintSettings",
    "ComplaintSubject",
    "ReportingLine",
    "UserStaffLink",
    # activation criteria
    "CriteriaEntry",
    "CriteriaVersion",
    # referrals
    "FollowUpContact",
    "Provider",
    "Referral",
    # governance
    "AgencyResponsibility",
    "GovernanceHolder",
    "GovernanceLine",
    "GovernancePost",
    "ProgramGovernance",
    # funding
    "BudgetLine",
    "FundedPosition",
    "FundingSource",
    "UnitCost",
]
