"""Closed vocabularies of the domain, stored by value (see base.str_enum)."""

from __future__ import annotations

import enum


class AgencyKind(enum.StrEnum):
    POLICE = "police"
    SHERIFF = "sheriff"
    BEHAVIORAL_HEALTH = "behavioral_health"
    DISPATCH = "dispatch"
    OTHER = "other"


class StaffRole(enum.StrEnum):
    SWORN_OFFICER = "sworn_officer"
    MH_RESPONDER = "mh_responder"
    SUPERVISOR = "supervisor"
    INTERN = "intern"

    @property
    def label(self) -> str:
        return _STAFF_ROLE_LABELS[self]


_STAFF_ROLE_LABELS = {
    StaffRole.SWORN_OFFICER: "Sworn officer",
    StaffRole.MH_RESPONDER: "Mental-health first responder",
    StaffRole.SUPERVISOR: "Supervisor",
    StaffRole.INTERN: "Intern",
}


class DegreeLevel(enum.StrEnum):
    NONE = "none"
    ASSOCIATE = "associate"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"


class CallSource(enum.StrEnum):
    E911 = "911"
    NON_EMERGENCY = "non_emergency"
    ON_VIEW = "on_view"
    OTHER = "other"


class Activation(enum.StrEnum):
    """How the co-responder came to the call."""

    DISPATCH = "dispatch"
    PATROL_REQUEST = "patrol_request"
    SELF_INITIATED = "self_initiated"
    FOLLOW_UP = "follow_up"

    @property
    def label(self) -> str:
        return _ACTIVATION_LABELS[self]


_ACTIVATION_LABELS = {
    Activation.DISPATCH: "Dispatch",
    Activation.PATROL_REQUEST: "Patrol request",
    Activation.SELF_INITIATED: "Self-initiated",
    Activation.FOLLOW_UP: "Follow-up",
}


class Disposition(enum.StrEnum):
    RESOLVED_ON_SCENE = "resolved_on_scene"
    VOLUNTARY_TRANSPORT = "voluntary_transport"
    ED_TRANSPORT = "ed_transport"
    INVOLUNTARY_HOLD = "involuntary_hold"
    ARREST = "arrest"
    REFUSED_SERVICES = "refused_services"
    UNABLE_TO_LOCATE = "unable_to_locate"
    REFERRED = "referred"

    @property
    def label(self) -> str:
        return _DISPOSITION_LABELS[self]


_DISPOSITION_LABELS = {
    Disposition.RESOLVED_ON_SCENE: "Resolved on scene",
    Disposition.VOLUNTARY_TRANSPORT: "Voluntary transport",
    Disposition.ED_TRANSPORT: "ED transport",
    Disposition.INVOLUNTARY_HOLD: "Involuntary hold",
    Disposition.ARREST: "Arrest",
    Disposition.REFUSED_SERVICES: "Refused services",
    Disposition.UNABLE_TO_LOCATE: "Unable to locate",
    Disposition.REFERRED: "Referred",
}


class EventKind(enum.StrEnum):
    BRIEFING = "briefing"
    RIDE_ALONG = "ride_along"
    PATROL_TRAINING = "patrol_training"
    OFFICE_MOVE = "office_move"
    SCHEDULE_CHANGE = "schedule_change"
    LEADERSHIP_CHANGE = "leadership_change"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _EVENT_LABELS[self]

    @property
    def is_visibility(self) -> bool:
        """Events that keep the unit visible to patrol (briefings, ride-alongs, trainings)."""
        return self in VISIBILITY_EVENTS

    @property
    def is_structural(self) -> bool:
        """Events that change the unit's footing and are drawn as chart markers."""
        return self not in VISIBILITY_EVENTS and self is not EventKind.OTHER


_EVENT_LABELS = {
    EventKind.BRIEFING: "Roll-call briefing",
    EventKind.RIDE_ALONG: "Ride-along",
    EventKind.PATROL_TRAINING: "Training for patrol",
    EventKind.OFFICE_MOVE: "Office move",
    EventKind.SCHEDULE_CHANGE: "Schedule change",
    EventKind.LEADERSHIP_CHANGE: "Leadership change",
    EventKind.OTHER: "Other",
}

VISIBILITY_EVENTS = frozenset(
    {EventKind.BRIEFING, EventKind.RIDE_ALONG, EventKind.PATROL_TRAINING}
)


class UserRole(enum.StrEnum):
    """Who may do what in the console (DESIGN.md, "Users and roles")."""

    SUPERVISOR = "supervisor"
    DIRECTOR = "director"
    REVIEWER = "reviewer"
    RESPONDER = "responder"
    ANALYST = "analyst"

    @property
    def label(self) -> str:
        return _USER_ROLE_LABELS[self]


_USER_ROLE_LABELS = {
    UserRole.SUPERVISOR: "Supervisor (unit owner)",
    UserRole.DIRECTOR: "Director",
    UserRole.REVIEWER: "Complaint reviewer",
    UserRole.RESPONDER: "Responder",
    UserRole.ANALYST: "Analyst (read-only)",
}


class AuditAction(enum.StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"
    # A bulk operation outside the ORM (demo generation, an import), recorded as one entry.
    BULK = "bulk"
    # Something a person did that changed no row: a restore, a key export, a sign-in.
    EVENT = "event"
