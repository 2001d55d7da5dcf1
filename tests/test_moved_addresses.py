"""The staff addresses that became Swedish answer at their old English places with a permanent 308 redirect, so a
bookmark, a link in an e-mail already sent and a form on a page loaded before the change all still arrive."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from portal.staff.models import Role
from tests.factories import PASSWORD, create_staff_user
from tests.pages import get_page, login_staff, submit


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


def test_a_form_posted_to_an_old_address_arrives_as_a_post(app: Flask, client: FlaskClient) -> None:
    create_staff_user(email="rita@example.org", role=Role.RECEPTION, name="Rita")
    login_staff(client, "rita@example.org", PASSWORD)
    key = get_page(client, "/staff/intag/ny").find("input", attrs={"name": "form_key"})["value"]  # type: ignore[index]
    # The form was loaded before the move; its action still says /staff/intake/ny.
    response = submit(client, "/staff/intag/ny", {
        "source": "walk_in", "personnummer": "202503082386", "name": "Mariam Tesfaye", "phone": "",
        "email": "", "summary": "Ansöker om bistånd.", "language": "sv", "urgency": "normal", "form_key": key},
        action="/staff/intake/ny", follow_redirects=True)
    assert response.status_code == 200
    assert [r.status_code for r in response.history] == [308, 302]
    assert response.request.path.startswith("/staff/intag/")
    assert "Mariam Tesfaye" in response.get_data(as_text=True)
