"""The staff addresses that became Swedish answer at their old English places with a permanent 308 redirect, so a
bookmark, a link in an e-mail already sent and a form on a page loaded before the change all still arrive."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from portal.staff.models import Role
from tests.factories import PASSWORD, create_staff_user
from tests.pages import get_page, login_staff


def test_every_old_address_redirects_permanently_keeping_the_path_and_query(app: Flask, client: FlaskClient) -> None:
    for old, new in (("/staff/intake/", "/staff/intag/"), ("/staff/intake/mote", "/staff/intag/mote"),
                     ("/staff/intake/?source=phone&deadline=overdue", "/staff/intag/?source=phone&deadline=overdue"),
                     ("/staff/notices/42", "/staff/underrattelser/42"), ("/staff/api-keys/", "/staff/api-nycklar/"),
                     ("/staff/audit/", "/staff/atkomstlogg/")):
        response = client.get(old)
        assert (response.status_code, response.headers["Location"]) == (308, new), old
    # The redirect opens nothing by itself: the new address still asks who is there.
    response = client.get("/staff/intake/", follow_redirects=True)
    assert response.request.path == "/staff/login"


def test_a_form_posted_to_an_old_address_is_sent_on_as_a_post(app: Flask, client: FlaskClient) -> None:
    create_staff_user(email="rita@example.org", role=Role.RECEPTION, name="Rita")
    login_staff(client, "rita@example.org", PASSWORD)
    form = get_page(client, "/staff/intag/ny")
    data = {"csrf_token": form.find("input", attrs={"name": "csrf_token"})["value"],  # type: ignore[index]
            "form_key": form.find("input", attrs={"name": "form_key"})["value"],  # type: ignore[index]
            "source": "walk_in", "personnummer": "202503082386", "name": "Mariam Tesfaye", "phone": "",
            "email": "mariam@example.org", "summary": "Ansöker om bistånd.", "language": "ti", "urgency": "normal"}
    # The form was loaded before the move; its action still says /staff/intake/ny. 308 tells the browser to send
    # the same POST, body and all, to the new address (RFC 7538), where it registers the contact.
    moved = client.post("/staff/intake/ny", data=data)
    assert (moved.status_code, moved.headers["Location"]) == (308, "/staff/intag/ny")
    registered = client.post(moved.headers["Location"], data=data)
    assert registered.status_code == 302 and registered.headers["Location"].startswith("/staff/intag/")
    assert "Mariam Tesfaye" in get_page(client, registered.headers["Location"]).get_text()
