"""The reception's pages: registering intakes, the item page, stale forms, closing, 404s and the staff home."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.db import db
from portal.intake.models import IntakeItem, Source, State
from portal.people import Person
from portal.roles import Role
from tests.factories import PASSWORD, create_person, create_staff_user
from tests.intake.factories import create_item
from tests.pages import csrf_token, get_page, login_staff, submit


def _login(client: FlaskClient, role: Role = Role.RECEPTION, email: str = "rita@example.org",
           name: str = "Rita") -> int:
    user = create_staff_user(email=email, role=role, name=name)
    login_staff(client, email, PASSWORD)
    return user.id


def _post(client: FlaskClient, item_id: int, path: str, data: dict[str, object]) -> str:
    response = submit(client, f"/staff/intag/{item_id}", data, action=f"/staff/intag/{item_id}/{path}",
                      follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _version(client: FlaskClient, item_id: int) -> str:
    soup = get_page(client, f"/staff/intag/{item_id}")
    field = soup.find("input", attrs={"name": "version"})
    assert field is not None
    return str(field["value"])


def test_reception_registers_a_phone_intake_once_even_when_sent_twice(app: Flask, client: FlaskClient) -> None:
    _login(client)
    soup = get_page(client, "/staff/intag/ny")
    key = soup.find("input", attrs={"name": "form_key"})["value"]  # type: ignore[index]
    data = {"source": "phone", "personnummer": "20170101-2393", "name": "Amina Hassan", "phone": "070-123 45 67",
            "email": "", "summary": "Inga pengar till mat.\nTvå barn.", "language": "so", "interpreter_needed": "y",
            "urgency": "no_money_for_food", "form_key": key}
    first = submit(client, "/staff/intag/ny", data)
    second = submit(client, "/staff/intag/ny", data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    items = list(db.session.scalars(select(IntakeItem)))
    assert len(items) == 1
    item = items[0]
    assert item.source == Source.PHONE and item.language == "so"
    person = db.session.get(Person, item.person_id)
    assert person is not None and person.personnummer == "201701012393" and person.name == "Amina Hassan"
    # The need is the person's, recorded once, by the reception worker who heard it.
    assert person.interpreter_needed and person.interpreter_language == "so" and not item.interpreter_needed
    assert "Reception" in (person.interpreter_source or "") or "@" in (person.interpreter_source or "")
    page = get_page(client, first.headers["Location"]).get_text()
    assert "Amina Hassan" in page and "Inga pengar till mat i dag" in page and "Behöver tolk (somaliska)" in page


def test_registration_errors_are_listed_and_nothing_is_saved(app: Flask, client: FlaskClient) -> None:
    _login(client)
    response = submit(client, "/staff/intag/ny", {"source": "walk_in", "personnummer": "20170101-2394",
                                                   "name": "", "summary": "", "urgency": "normal"})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Personnumret stämmer inte" in text
    assert "Skriv ett telefonnummer eller en e-postadress" in text
    assert "Beskriv situationen kort." in text
    assert db.session.scalar(select(func.count()).select_from(IntakeItem)) == 0


def test_item_page_is_audit_logged_and_shows_the_full_history(app: Flask, client: FlaskClient) -> None:
    _login(client)
    person = create_person(name="Olena Kovalenko")
    item = create_item(person_id=person.id)
    text = _post(client, item.id, "ta", {})
    assert "Du har tagit ärendet." in text
    version = _version(client, item.id)
    text = _post(client, item.id, "status", {"version": version, "action": "documents_complete"})
    assert "Underlaget komplett" in text
    soup = get_page(client, f"/staff/intag/{item.id}")
    history = [row.get_text(" ", strip=True) for row in soup.select("table")[-1].select("tbody tr")]
    assert len(history) == 3
    assert "Skapat" in history[0] and "Tog ärendet" in history[1] and "Rita (rita@example.org)" in history[1]
    assert "Underlaget komplett" in history[2]
    reads = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "intake.view", AuditEvent.person_id == person.id))
    assert reads and reads >= 2


def test_a_stale_form_gets_a_clear_message_not_an_overwrite(app: Flask, client: FlaskClient) -> None:
    _login(client)
    item = create_item()
    _post(client, item.id, "ta", {})
    old_version = _version(client, item.id)
    _post(client, item.id, "status", {"version": old_version, "action": "wait"})
    # The first tab, still showing the old page, now says the documents are complete.
    text = _post(client, item.id, "status", {"version": old_version, "action": "ready"})
    assert "Någon annan har ändrat ärendet sedan du öppnade sidan" in text
    db.session.expire_all()
    assert db.session.get(IntakeItem, item.id).state == State.WAITING_FOR_RESIDENT  # type: ignore[union-attr]


def test_the_loser_of_a_claim_sees_who_has_the_item(app: Flask, client: FlaskClient) -> None:
    from portal.intake.claims import claim_item
    from portal.staff.service import get_staff_by_email

    item = create_item()
    create_staff_user(email="olle@example.org", name="Olle Ohlsson")
    claim_item(item.id, staff=get_staff_by_email("olle@example.org"))  # type: ignore[arg-type]
    _login(client)
    text = _post(client, item.id, "ta", {})
    assert "Ärendet har redan tagits av Olle Ohlsson." in text


def test_closing_needs_a_reason_and_records_it(app: Flask, client: FlaskClient) -> None:
    _login(client)
    item = create_item()
    version = _version(client, item.id)
    text = _post(client, item.id, "avsluta", {"version": version, "reason": "other", "text": ""})
    assert "Skriv skälet när du väljer Annat skäl." in text
    text = _post(client, item.id, "avsluta", {"version": version, "reason": "duplicate", "text": "Se ärende 12"})
    assert "Ärendet är avslutat." in text and "Dubblett av ett annat ärende: Se ärende 12" in text
    db.session.expire_all()
    closed = db.session.get(IntakeItem, item.id)
    assert closed is not None and closed.state == State.CLOSED and not closed.is_open


def test_unknown_items_give_404(app: Flask, client: FlaskClient) -> None:
    _login(client)
    assert client.get("/staff/intag/424242").status_code == 404
    token = csrf_token(client, "/staff/intag/ny")
    for path in ("ta", "lamna", "status", "avsluta", "forsening", "aktualisera"):
        response = client.post(f"/staff/intag/424242/{path}", data={"csrf_token": token, "version": "1"})
        assert response.status_code == 404, path


def test_a_caseworker_sees_only_items_assigned_to_them(app: Flask, client: FlaskClient) -> None:
    hanna = _login(client, Role.CASEWORKER, "hanna@example.org", "Hanna")
    mine = create_item(state=State.ASSIGNED)
    mine.assigned_to_id = hanna
    db.session.commit()
    other = create_item(state=State.ASSIGNED)
    assert client.get(f"/staff/intag/{other.id}").status_code == 404
    soup = get_page(client, "/staff/intag/mina")
    assert [a["href"] for a in soup.select("tbody a")] == [f"/staff/intag/{mine.id}"]
    get_page(client, f"/staff/intag/{mine.id}")


def test_staff_home_links_to_the_intake_pages_by_role(app: Flask, client: FlaskClient) -> None:
    _login(client, Role.COORDINATOR, "sam@example.org", "Sam")
    links = {a["href"] for a in get_page(client, "/staff/").select("main a")}
    assert {"/staff/intag/", "/staff/intag/ny", "/staff/intag/mote"} <= links
    assert "/staff/intag/mina" not in links


def test_demo_data_has_phone_and_walk_in_items(app: Flask) -> None:
    from portal import demo

    demo.load()
    sources = set(db.session.scalars(select(IntakeItem.source)))
    assert {Source.PHONE, Source.WALK_IN} <= sources
