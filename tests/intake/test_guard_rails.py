"""Guard rails (issue 27 point 6): marking the documents complete while some are outstanding asks for a
confirmation and records why; without the reason nothing changes."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.applications.models import ItemState
from portal.audit import AuditEvent
from portal.db import db
from portal.intake.claims import claim_item
from portal.intake.models import IntakeItem
from portal.roles import Role
from tests.documents.factories import create_application, intake_item_of
from tests.factories import PASSWORD, create_person, create_staff_user
from tests.pages import get_page, login_staff, parse


def test_documents_complete_with_outstanding_items_asks_and_records_why(app: Flask, client: FlaskClient) -> None:
    staff = create_staff_user(role=Role.RECEPTION)
    application = create_application(person_id=create_person().id)
    application.checklist[0].state = ItemState.NEW_COPY_REQUESTED
    application.checklist[1].state = ItemState.LATER
    db.session.commit()
    item = intake_item_of(application)
    claim_item(item.id, staff=staff)
    login_staff(client, staff.email, PASSWORD)
    page = get_page(client, f"/staff/intag/{item.id}")
    form = next(f for f in page.select("form") if f.select_one("input[value=documents_complete]"))
    data = {i["name"]: i.get("value", "") for i in form.select("input")}
    response = client.post(form["action"], data=data)
    assert response.status_code == 409
    confirm = parse(response)
    text = confirm.get_text(" ", strip=True)
    assert "ny kopia begärd" in text and "skickas senare" in text.lower()
    db.session.expire_all()
    stored = db.session.get(IntakeItem, item.id)
    assert stored is not None and stored.documents_complete_on is None  # the clock has not started
    # Confirming without a reason asks again, keeps nothing changed.
    again = {i["name"]: i.get("value", "") for i in confirm.select("form input")}
    response = client.post(form["action"], data={**again, "reason": "  "})
    assert response.status_code == 409 and parse(response).select_one("[aria-invalid=true]") is not None
    response = client.post(form["action"], data={**again, "reason": "Kontoutdraget räcker, beslut kan tas"})
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(IntakeItem, item.id)
    assert stored is not None and stored.documents_complete_on is not None
    event = stored.events[-1]
    assert event.kind == "documents_complete" and "Kontoutdraget räcker" in event.detail
    assert "ny kopia begärd" in event.detail
    logged = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "intake.documents_complete"))
    assert logged is not None and "Kontoutdraget räcker" in (logged.detail or "")


def test_documents_complete_with_nothing_outstanding_needs_no_confirmation(app: Flask, client: FlaskClient) -> None:
    staff = create_staff_user(role=Role.RECEPTION)
    application = create_application(person_id=create_person().id)
    for entry in application.checklist:
        entry.state = ItemState.ACCEPTED
    db.session.commit()
    item = intake_item_of(application)
    claimed = claim_item(item.id, staff=staff)
    login_staff(client, staff.email, PASSWORD)
    response = client.post(f"/staff/intag/{item.id}/status",
                           data={"csrf_token": _token(client, item.id), "version": claimed.version,
                                 "action": "documents_complete"})
    assert response.status_code == 302


def _token(client: FlaskClient, item_id: int) -> str:
    field = get_page(client, f"/staff/intag/{item_id}").select_one("input[name=csrf_token]")
    assert field is not None
    return str(field["value"])
