"""Notices' answer to the staff search: by reference, by the tenant's personnummer or name (as on the notice,
or as held for the person). Outreach staff find every notice; a caseworker only those need-to-know lets them
open (outreach.casework.need_to_know), the rest are left out as if they did not exist. No address is shown."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select
from sqlalchemy.sql.elements import ColumnElement

from outreach.casework.need_to_know import may_see_notice
from outreach.notices.models import Notice
from outreach.pipeline.run import KIND_LABELS
from portal.db import db
from portal.search import MAX_HITS, Hit, Query, ids_matching, name_conditions, person_ids
from portal.staff.models import Role, StaffUser

ROLES = frozenset({Role.OUTREACH, Role.CASEWORKER})
# A caseworker's candidates are checked one by one; look at more of them than are shown.
CASEWORKER_CANDIDATES = 200


def find_notices(query: Query, staff: StaffUser) -> list[Hit]:
    """Notices the query names, newest first."""
    conditions: list[ColumnElement[bool]] = []
    if query.reference:
        conditions.append(Notice.reference == query.reference)
    if query.personnummer:
        conditions.append(Notice.personnummer == query.personnummer)
    if query.name_key:
        conditions.extend(name_conditions(Notice, query))
    people = person_ids(query)
    if people is not None:
        conditions.append(Notice.person_id.in_(people))
    if not conditions:
        return []
    caseworker = staff.role == Role.CASEWORKER
    notices = db.session.scalars(select(Notice).where(Notice.id.in_(ids_matching(Notice.id, conditions)))
                                 .order_by(Notice.id.desc())
                                 .limit(CASEWORKER_CANDIDATES if caseworker else MAX_HITS)).all()
    if caseworker:
        notices = [notice for notice in notices if may_see_notice(notice, staff)][:MAX_HITS]
    return [Hit(area="notice", reference=notice.reference, name=notice.tenant_name, when=notice.received_date,
                url=url_for("outreach.notice_page", notice_id=notice.id), person_id=notice.person_id,
                detail=KIND_LABELS.get(notice.kind, str(notice.kind)))
            for notice in notices]
