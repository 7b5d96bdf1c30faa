"""The roster rules' values: program settings a supervisor edits (each change audited)."""

from __future__ import annotations

from console.services.access import Access
from console.services.schedule.rules import RuleValues
from console.services.settings_service import IntSetting, get_int, set_int

REST_HOURS = IntSetting("roster_rest_hours", "Minimum rest between shifts (hours; 0: off)",
                        default=10, minimum=0, maximum=24)
MAX_WEEK_HOURS = IntSetting("roster_max_week_hours", "Maximum hours a week (0: off)",
                            default=60, minimum=0, maximum=168)
MAX_PERIOD_HOURS = IntSetting("roster_max_period_hours",
                              "Maximum hours a pay period, overtime counted (0: off)",
                              default=96, minimum=0, maximum=744)
PERIOD_NORMAL_HOURS = IntSetting("roster_period_normal_hours",
                                 "Normal hours a pay period (beyond: overtime)",
                                 default=80, minimum=0, maximum=744)
PAY_PERIOD_DAYS = IntSetting("roster_pay_period_days", "Days in a pay period",
                             default=14, minimum=7, maximum=31)
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
