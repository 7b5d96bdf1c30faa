"""The roster rules' values: program settings a supervisor edits (each change audited)."""

from __future__ import annotations

from sqlalchemy import select

from console.data.enums import StaffRole
from console.data.models import Program, StaffingMinimum
from console.errors import UserError
from console.services.access import Access, Action
from console.services.schedule.rules import RuleValues
from console.services.settings_service import IntSetting, get_int, set_int

REST_HOURS = IntSetting("roster_rest_hours", "Minimum rest between shifts (hours; 0: off)",
                        default=10, minimum=0, maximum=24, per_program=True)
MAX_WEEK_HOURS = IntSetting("roster_max_week_hours", "Maximum hours a week (0: off)",
                            default=60, minimum=0, maximum=168, per_program=True)
MAX_PERIOD_HOURS = IntSetting("roster_max_period_hours",
                              "Maximum hours a pay period, overtime counted (0: off)",
                              default=96, minimum=0, maximum=744,
                              per_program=True)
PERIOD_NORMAL_HOURS = IntSetting("roster_period_normal_hours",
                                 "Normal hours a pay period (beyond: overtime)",
                                 default=80, minimum=0, maximum=744,
                                 per_program=True)
PAY_PERIOD_DAYS = IntSetting("roster_pay_period_days", "Days in a pay period",
                             default=14, minimum=7, maximum=31, per_program=True)
RULE_SETTINGS = (REST_HOURS, MAX_WEEK_HOURS, MAX_PERIOD_HOURS, PERIOD_NORMAL_HOURS,
                 PAY_PERIOD_DAYS)


def rule_values(access: Access) -> RuleValues:
    return RuleValues(
        rest_hours=get_int(access, REST_HOURS),
        max_week_hours=get_int(access, MAX_WEEK_HOURS),
        max_period_hours=get_int(access, MAX_PERIOD_HOURS),
        period_normal_hours=get_int(access, PERIOD_NORMAL_HOURS),
        pay_period_days=get_int(access, PAY_PERIOD_DAYS),
    )


def set_rule_value(access: Access, setting: IntSetting, value: int) -> None:
    """Checked against the setting's range; written through access, so audited."""
    set_int(access, setting, value)


def minimums(access: Access) -> list[tuple[int, int, int, StaffRole, int]]:
    """(id, start hour, end hour, role, minimum) of every minimum-staffing band."""
    with access.reading(Action.VIEW_STAFF) as s:
        return [(m.id, m.start_hour, m.end_hour, m.role, m.minimum)
                for m in s.scalars(select(StaffingMinimum).order_by(StaffingMinimum.start_hour,
                                                                    StaffingMinimum.id))]


def add_minimum(access: Access, start_hour: int, end_hour: int, role: StaffRole,
                minimum: int) -> int:
    """At least `minimum` of `role` on shift every hour from start to end (past midnight
    when end <= start); audited like every setting."""
    if not 0 <= start_hour < 24 or not 0 <= end_hour <= 24:
        raise UserError(f"minimum staffing: hours {start_hour}-{end_hour} are not 0-24")
    if minimum < 1:
        raise UserError(f"minimum staffing: {minimum} is not a minimum; remove the band instead")
    with access.writing(Action.EDIT_SETTINGS, "minimum staffing") as s:
        program_id = s.scalar(select(Program.id).order_by(Program.id))
        if program_id is None:
            raise UserError("minimum staffing: the database holds no program yet")
        row = StaffingMinimum(program_id=program_id, start_hour=start_hour,
                              end_hour=end_hour, role=role, minimum=minimum)
        s.add(row)
        s.flush()
        return row.id


def remove_minimum(access: Access, minimum_id: int) -> None:
    with access.writing(Action.EDIT_SETTINGS, "minimum staffing") as s:
        row = s.get(StaffingMinimum, minimum_id)
        if row is None:
            raise UserError(f"minimum staffing: there is no band {minimum_id}")
        s.delete(row)
