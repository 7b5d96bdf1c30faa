"""Program-wide settings a supervisor controls, each declared once with its default and range."""

from __future__ import annotations

from dataclasses import dataclass

from console.data.models import Setting
from console.errors import UserError
from console.services.access import Access, Action


@dataclass(frozen=True)
class IntSetting:
    key: str
    label: str
    default: int
    minimum: int
    maximum: int


IDLE_LOCK_MINUTES = IntSetting("idle_lock_minutes", "Lock the window after idle minutes",
                               default=10, minimum=1, maximum=240)


def get_int(access: Access, setting: IntSetting) -> int:
    """The stored value, or the default (also when a stored value is out of range)."""
    with access.reading(Action.VIEW_AGGREGATES) as session:
        row = session.get(Setting, setting.key)
    try:
        value = int(row.value) if row is not None else setting.default
    except ValueError:
        return setting.default
    return value if setting.minimum <= value <= setting.maximum else setting.default


def set_int(access: Access, setting: IntSetting, value: int) -> None:
    if not setting.minimum <= value <= setting.maximum:
        raise UserError(f"{setting.label}: {value} is out of range "
                        f"({setting.minimum}-{setting.maximum})")
    with access.writing(Action.EDIT_SETTINGS, setting.label) as session:
        row = session.get(Setting, setting.key)
        if row is None:
            session.add(Setting(key=setting.key, value=str(value)))
        else:
            row.value = str(value)
