"""Who may see an intake item: a rule as a plain function, so every page and service asks the same question."""

from __future__ import annotations

from portal.intake.models import IntakeItem
from portal.roles import Role


def may_see(item: IntakeItem, *, role: Role | None, staff_id: int) -> bool:
    """Reception and the coordinator see every item (they run the queue); a caseworker sees only the items
    assigned to them (need to know: the rest of the queue is none of their business)."""
    if role != Role.CASEWORKER:
        return True
    return item.assigned_to_id == staff_id
