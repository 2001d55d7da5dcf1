"""The staff navigation bar (issue 27 point 2): the sections each role may use, with counts of what waits, as a
nav landmark with aria-current on the section shown."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from portal.applications import messages, service
from portal.roles import Role
from tests.applications.factories import create_application
from tests.factories import PASSWORD, create_person, create_staff_user
from tests.pages import get_page, login_staff


def _nav(client: FlaskClient, url: str) -> dict[str, str]:
    nav = get_page(client, url).select_one("nav.staff-nav")
    assert nav is not None and nav["aria-label"]
    return {a.get_text(" ", strip=True): a.get("aria-current", "") for a in nav.select("a")}


def test_each_role_sees_only_its_sections(app: Flask, client: FlaskClient) -> None:
    expected = {
        Role.RECEPTION: {"Start", "Intagskön", "Mottagningen", "Brev", "Statistik"},
        Role.COORDINATOR: {"Start", "Intagskön", "Intagsmötet", "Mottagningen", "Brev", "Statistik"},
        Role.CASEWORKER: {"Start", "Mina ärenden"},
        Role.OUTREACH: {"Start", "Underrättelser", "Mottagningen", "Brev", "Statistik"},
        Role.ADMIN: {"Start", "Statistik", "Åtkomstloggen", "Registerutdrag", "Öppettider", "API-nycklar"},
    }
    for role, sections in expected.items():
        user = create_staff_user(email=f"{role.value}@example.org", role=role)
        with app.test_client() as own:
            login_staff(own, user.email, PASSWORD)
            nav = _nav(own, "/staff/")
            assert set(nav) == sections, role
            assert nav["Start"] == "page"
            # Every section's link opens for the role (no link to a 403).
            for link in get_page(own, "/staff/").select("nav.staff-nav a"):
                assert own.get(link["href"]).status_code == 200, (role, link["href"])


def test_the_counts_say_what_waits_and_the_current_section_is_marked(app: Flask, client: FlaskClient) -> None:
    person = create_person()
    application = create_application(person_id=person.id)
    service.submit_application(application.id, person_id=person.id)
    messages.send_from_resident(application, body="Hej")
    messages.send_from_resident(application, body="Hej igen")
    user = create_staff_user(role=Role.RECEPTION)
    login_staff(client, user.email, PASSWORD)
    nav = _nav(client, "/staff/intag/")
    assert nav["Intagskön 2 olästa meddelanden"] == "page"
    assert nav["Brev"] == "" and nav["Start"] == ""


def test_the_intake_meeting_board_is_the_coordinators(app: Flask, client: FlaskClient) -> None:
    """DESIGN.md §6: assigning items to caseworkers is what a coordinator adds to reception's work, so the board
    (which shows each caseworker's load and assigns) stays coordinator-only; reception gets 403 and no link."""
    for role, status in ((Role.RECEPTION, 403), (Role.COORDINATOR, 200)):
        user = create_staff_user(email=f"{role.value}@example.org", role=role)
        with app.test_client() as own:
            login_staff(own, user.email, PASSWORD)
            assert own.get("/staff/intag/mote").status_code == status
            assert ("Intagsmötet" in _nav(own, "/staff/")) is (status == 200)
