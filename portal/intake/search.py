"""The intake queue's answer to the staff search: items by the person's name or personnummer, or the contact
name of a phone or walk-in intake. A caseworker finds only items assigned to them (as on the item page)."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.elements import ColumnElement

from portal.clock import LOCAL_TZ
from portal.db import db
from portal.intake.labels import SOURCE_LABELS, STATE_LABELS
from portal.intake.models import IntakeItem
from portal.roles import Role
from portal.search import MAX_HITS, Hit, Query, ids_matching, name_conditions, person_ids
from portal.staff.models import StaffUser

ROLES = frozenset({Role.RECEPTION, Role.CASEWORKER})


def find_items(query: Query, staff: StaffUser) -> list[Hit]:
    """Intake items the query names, newest first, within what this staff member may open."""
    conditions: list[ColumnElement[bool]] = []
    people = person_ids(query)
    if people is not None:
        conditions.append(IntakeItem.person_id.in_(people))
    if query.name_key:
        conditions.extend(name_conditions(IntakeItem, query))
    if not conditions:
        return []
    statement = (select(IntakeItem).options(joinedload(IntakeItem.person))
                 .where(IntakeItem.id.in_(ids_matching(IntakeItem.id, conditions))))
    if staff.role == Role.CASEWORKER:
        statement = statement.where(IntakeItem.assigned_to_id == staff.id)
    items = db.session.scalars(statement.order_by(IntakeItem.id.desc()).limit(MAX_HITS)).unique().all()
    return [item_hit(item) for item in items]


def item_hit(item: IntakeItem) -> Hit:
    """How an intake item shows in the search results (no address)."""
    name = (item.person.name if item.person is not None else None) or item.contact_name or "(namn saknas)"
    return Hit(area="intake", reference=f"Ärende {item.id}", name=name, when=item.received_at.astimezone(LOCAL_TZ),
               url=url_for("staff_intake.item_page", item_id=item.id), person_id=item.person_id,
               detail=f"{SOURCE_LABELS.get(item.source, item.source)}, {STATE_LABELS.get(item.state, item.state)}")
