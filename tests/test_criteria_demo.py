"""The demo's criteria agree with how the demo classified its calls: applying them again
would change nothing, and every call type it generates is in the criteria."""

from __future__ import annotations

from console.services.access import Access
from console.services.criteria.propose import propose
from console.services.criteria.reclassify import preview_version
from console.services.criteria.versions import list_versions


def test_the_demo_s_calls_follow_its_criteria(demo_access: Access) -> None:
    pilot, refined = list_versions(demo_access)
    assert pilot.applied and refined.applied
    assert all(e.in_scope for e in pilot.entries)
    assert {e.call_type for e in pilot.entries} == {e.call_type for e in refined.entries}
    check = preview_version(demo_access, refined.id)
    assert check.changed == 0 and check.not_listed == ()
    assert check.unchanged > 10_000
    assert propose(demo_access) == []
