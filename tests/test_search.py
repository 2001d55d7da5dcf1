"""The staff search (issue 27 point 1): one box on every staff page, names folded, personnummer in any form,
references and booking codes, limited by role and need-to-know, every search in the access log."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from outreach.notices.known_clients import KnownClient
from outreach.pipeline.run import run_pass
from portal import search
from portal.audit import AuditEvent
from portal.booking.service import book_earliest
from portal.db import db
from portal.intake.models import IntakeItem, State
from portal.people import Protection
from portal.roles import Role
from portal.search_keys import fold, name_keys
from tests.factories import PASSWORD, create_person, create_staff_user
from tests.intake.factories import create_item
from tests.outreach.factories import import_rows, notice_by_reference, row
from tests.pages import get_page, login_staff

ASA = "201701012393"
OTHER = "202503082386"


def test_names_fold_to_keys_from_the_first_and_the_last_word() -> None:
    assert fold("Åsa-Östlund, Zoë") == "asaostlundzoe"
    assert name_keys("Åsa Maria Östlund") == ("asamariaostlund", "ostlundasamaria")
    assert name_keys("  ") == (None, None)


def test_a_personnummer_is_read_in_every_common_form() -> None:
    for typed in ("201701012393", "20170101-2393", "170101-2393", "1701012393", " 170101 2393 "):
        assert search.parse_query(typed).personnummer == ASA, typed
    assert search.parse_query("701063-2391").personnummer == "197010632391"  # samordningsnummer
    assert search.parse_query("170101-2394").personnummer is None  # wrong check digit: a reference, not a number
    assert search.parse_query("Ö").empty


def _login(client: FlaskClient, role: Role, email: str, name: str | None = None) -> int:
    user = create_staff_user(email=email, role=role, name=name)
    login_staff(client, user.email, PASSWORD)
    return user.id


def _hits(client: FlaskClient, text: str) -> dict[str, list[str]]:
    """The results page: section title -> the rows' text."""
    page = get_page(client, "/staff/sok?q=" + text)
    return {section.h2.get_text(" ", strip=True).rsplit(" (", 1)[0]:
            [tr.get_text(" ", strip=True) for tr in section.select("tbody tr")]
            for section in page.select("section.search-section")}


def _notices() -> None:
    import_rows(row(referens="HV-ASA-1", personnummer=ASA, namn="Åsa Östlund", adress="Hemliga vägen 3"),
                row(referens="HV-BO-1", personnummer=OTHER, namn="Bo Annan", adress="Annangatan 9"))


def test_reception_finds_items_by_folded_partial_name_personnummer_and_booking_code(app: Flask,
                                                                                    client: FlaskClient) -> None:
    person = create_person(personnummer=ASA, name="Åsa Östlund")
    item = create_item(person_id=person.id)
    phone = create_item()
    phone.contact_name = "Zoë Ångström"
    booked = book_earliest(purpose="first_appointment", intake_item_id=phone.id, deadline=None)
    assert booked is not None
    code = booked[1]
    db.session.commit()
    _notices()
    _login(client, Role.RECEPTION, "rita@example.org")
    for typed in ("östlund", "OSTL", "asa", "Östlund Åsa", "20170101-2393", "1701012393"):
        hits = _hits(client, typed)
        assert any(f"Ärende {item.id}" in text for text in hits["Ärenden i intagskön"]), typed
    hits = _hits(client, "angstr")
    assert [f"Ärende {phone.id}" in text for text in hits["Ärenden i intagskön"]] == [True]
    hits = _hits(client, code.lower())
    assert len(hits["Bokningar"]) == 1 and "Zoë Ångström" in hits["Bokningar"][0]
    # Reception may not open notices: no section, no hits from them.
    assert "Underrättelser" not in _hits(client, "Östlund")


def test_outreach_finds_notices_never_sees_an_address_and_gets_no_intake_hits(app: Flask,
                                                                              client: FlaskClient) -> None:
    _notices()
    _login(client, Role.OUTREACH, "ulla@example.org")
    hits = _hits(client, "ÖSTL")
    assert len(hits["Underrättelser"]) == 1 and "HV-ASA-1" in hits["Underrättelser"][0]
    assert "Ärenden i intagskön" not in hits
    assert len(_hits(client, "HV-BO-1")["Underrättelser"]) == 1
    page = get_page(client, "/staff/sok?q=" + ASA).get_text()
    assert "HV-ASA-1" in page and "Hemliga vägen" not in page and "Annangatan" not in page


def test_a_protected_persons_address_is_not_in_the_results(app: Flask, client: FlaskClient) -> None:
    create_person(personnummer=ASA, name="Åsa Östlund", protection=Protection.PROTECTED_REGISTRATION)
    _notices()
    run_pass()
    _login(client, Role.OUTREACH, "ulla@example.org")
    page = get_page(client, "/staff/sok?q=asa").get_text()
    assert "HV-ASA-1" in page and "Hemliga vägen" not in page


def test_a_caseworker_finds_only_what_they_may_open(app: Flask, client: FlaskClient) -> None:
    mine_person = create_person(personnummer=OTHER, name="Bo Annan")
    asa = create_person(personnummer="202508242381", name="Åsa Andersson")
    _notices()
    mine = create_item(person_id=mine_person.id)
    theirs = create_item(person_id=asa.id)
    other_cw = create_staff_user(email="olle@example.org", role=Role.CASEWORKER, name="Olle")
    staff_id = _login(client, Role.CASEWORKER, "hanna@example.org", name="Hanna Handläggare")
    for item, owner in ((mine, staff_id), (theirs, other_cw.id)):
        stored = db.session.get(IntakeItem, item.id)
        assert stored is not None
        stored.assigned_to_id, stored.state = owner, State.ASSIGNED
    db.session.add(KnownClient(personnummer=OTHER, unit="Vuxen", caseworker="Hanna Handläggare",
                               email="hanna@example.org"))
    db.session.commit()
    hits = _hits(client, "a")  # one letter: too short for a name
    assert hits == {}
    hits = _hits(client, "an")  # Bo Annan (mine) and Åsa Andersson (another caseworker's), Åsa Östlund's notice
    assert [f"Ärende {mine.id}" in text for text in hits["Ärenden i intagskön"]] == [True]
    assert [("HV-BO-1" in text) for text in hits["Underrättelser"]] == [True]
    assert "Brev" not in hits and "Bokningar" not in hits  # pages a caseworker may not open
    assert _hits(client, "östlund")["Underrättelser"] == []
    assert _hits(client, ASA)["Underrättelser"] == []


def test_an_administrator_gets_no_hits(app: Flask, client: FlaskClient) -> None:
    _notices()
    _login(client, Role.ADMIN, "ada@example.org")
    page = get_page(client, "/staff/sok?q=Östlund")
    assert page.select("section.search-section") == [] and "Din roll har inga sidor" in page.get_text()


def test_every_search_is_in_the_access_log_with_its_terms_and_the_people_shown(app: Flask,
                                                                              client: FlaskClient) -> None:
    person = create_person(personnummer=ASA, name="Åsa Östlund")
    create_item(person_id=person.id)
    staff_id = _login(client, Role.RECEPTION, "rita@example.org")
    _hits(client, "Östl")
    _hits(client, "nobody-here")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "staff.search")
                                .order_by(AuditEvent.id)).all()
    assert [e.actor_id for e in events] == [staff_id, staff_id]
    assert "'Östl'" in (events[0].detail or "") and f"persons={person.id}" in (events[0].detail or "")
    assert events[0].person_id == person.id
    assert "'nobody-here'" in (events[1].detail or "") and events[1].object_id == "0"


def test_the_search_box_is_a_get_form_on_every_staff_page(app: Flask, client: FlaskClient) -> None:
    _login(client, Role.COORDINATOR, "cora@example.org")
    for url in ("/staff/", "/staff/intag/", "/staff/brev/", "/staff/mottagning/", "/staff/statistik/"):
        form = get_page(client, url).select_one("form.staff-search")
        assert form is not None and form["method"] == "get" and form["action"] == "/staff/sok", url
        assert form.select_one("input[name=q]") is not None
    assert notice_by_reference is not None
