"""One item's whole journey through the pages: registered, claimed, ready, assigned at the meeting, handed off."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.db import db
from portal.intake.models import IntakeItem, MeetingDecision, State
from portal.roles import Role
from tests.factories import PASSWORD, create_staff_user
from tests.pages import get_page, login_staff, submit


@pytest.fixture
def app_config(tmp_path: Path) -> dict[str, Any]:
    return {"HANDOFF_DIR": str(tmp_path / "case-system")}


def _press(client: FlaskClient, page: str, url: str, button: str | None = None, **extra: str) -> str:
    """Submit the form on `page` that posts to `url` (the one whose hidden action is `button`, if given)."""
    soup = get_page(client, page)
    forms = [f for f in soup.find_all("form", action=url)
             if button is None or f.find("input", attrs={"name": "action", "value": button})]
    assert forms, f"no form for {url} {button or ''} on {page}"
    form = forms[0]
    data = {field["name"]: field.get("value", "") for field in form.find_all("input") if field.get("name")}
    data.update(extra)
    response = client.post(url, data=data, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_phone_intake_to_hand_off(app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    create_staff_user(email="rita@example.org", role=Role.RECEPTION, name="Rita")
    create_staff_user(email="sam@example.org", role=Role.COORDINATOR, name="Sam")
    hanna = create_staff_user(email="hanna@example.org", role=Role.CASEWORKER, name="Hanna")

    login_staff(client, "rita@example.org", PASSWORD)
    key = get_page(client, "/staff/intag/ny").find("input", attrs={"name": "form_key"})["value"]  # type: ignore[index]
    response = submit(client, "/staff/intag/ny", {
        "source": "walk_in", "personnummer": "202503082386", "name": "Mariam Tesfaye", "phone": "",
        "email": "mariam@example.org", "summary": "Ansöker om bistånd för december.", "language": "ti",
        "urgency": "normal", "form_key": key})
    page = response.headers["Location"]
    item_id = int(page.rsplit("/", 1)[1])
    assert "Du har tagit ärendet." in _press(client, page, f"/staff/intag/{item_id}/ta")
    text = _press(client, page, f"/staff/intag/{item_id}/status", "documents_complete")
    assert "Beslut senast" in text
    assert "Klart för intagsmötet" in _press(client, page, f"/staff/intag/{item_id}/status", "ready")
    client.post("/staff/logout")

    login_staff(client, "sam@example.org", PASSWORD)
    board = get_page(client, "/staff/intag/mote")
    assert board.find("select", id=f"cw-{item_id}") is not None
    text = _press(client, "/staff/intag/mote", "/staff/intag/mote", **{f"cw-{item_id}": str(hanna.id)})
    assert "1 ärende är fördelat." in text
    client.post("/staff/logout")

    login_staff(client, "hanna@example.org", PASSWORD)
    assert "Mariam Tesfaye" in get_page(client, "/staff/intag/mina").get_text()
    text = _press(client, page, f"/staff/intag/{item_id}/aktualisera")
    assert "Ärendet är aktualiserat och överlämnat till verksamhetssystemet." in text

    db.session.expire_all()
    item = db.session.get(IntakeItem, item_id)
    assert item is not None and item.state == State.HANDED_OVER and item.assigned_to_id == hanna.id
    assert db.session.scalar(db.select(MeetingDecision.caseworker_id)) == hanna.id
    files = list((tmp_path / "case-system").glob("*.json"))
    assert len(files) == 1
    document = json.loads(files[0].read_text(encoding="utf-8"))
    assert document["person"]["name"] == "Mariam Tesfaye" and document["person"]["language"] == "ti"
    assert [entry["kind"] for entry in document["history"]] == [
        "created", "claimed", "documents_complete", "ready_for_assignment", "assigned", "handed_over"]
    history = get_page(client, page).select("table")[-1].get_text(" ", strip=True)
    for who in ("Rita", "Sam", "Hanna"):
        assert who in history
