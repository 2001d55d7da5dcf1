"""The e-application's answer to the staff search: the intake item of an application by its reference number
(EB-K7TM-4XRA, typed with or without dashes, in any case). A caseworker finds only items assigned to them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.applications.models import Application
from portal.db import db
from portal.intake.models import IntakeItem
from portal.intake.search import item_hit
from portal.roles import Role
from portal.search import Hit, Query
from portal.staff.models import StaffUser

ROLES = frozenset({Role.RECEPTION, Role.CASEWORKER})


def normalised_reference(text: str) -> str | None:
    """EB-XXXX-XXXX from what was typed ('eb k7tm 4xra', 'EBK7TM4XRA'); None when it cannot be one."""
    plain = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(plain) != 10 or not plain.startswith("EB"):
        return None
    return f"EB-{plain[2:6]}-{plain[6:]}"


def find_by_reference(query: Query, staff: StaffUser) -> list[Hit]:
    """The intake item of the application with this reference, if this staff member may open it."""
    reference = normalised_reference(query.reference)
    if reference is None:
        return []
    statement = (select(IntakeItem).options(joinedload(IntakeItem.person))
                 .join(Application, Application.intake_item_id == IntakeItem.id)
                 .where(Application.reference == reference))
    if staff.role == Role.CASEWORKER:
        statement = statement.where(IntakeItem.assigned_to_id == staff.id)
    hits = []
    for item in db.session.scalars(statement).unique():
        hit = item_hit(item)
        hits.append(Hit(area="application", reference=reference, name=hit.name, when=hit.when, url=hit.url,
                        person_id=hit.person_id, detail=f"E-ansökan, {hit.reference}"))
    return hits
