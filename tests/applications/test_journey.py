"""A journey that shows what to do next: the resident's own page, repeat applications, the partner's page."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.applications import messages
from portal.booking import service as booking
from portal.booking.models import Purpose
from portal.clock import LOCAL_TZ
from portal.db import db
from portal.documents import service as documents
from portal.intake.claims import claim_item
from portal.roles import Role
from tests.documents import samples
from tests.documents.factories import create_application, upload
from tests.factories import create_person, create_staff_user
from tests.pages import get_page, login_resident


@pytest.fixture(autouse=True)
def _tuesday(clock_at: datetime) -> datetime:
    return clock_at


def _text(soup: object) -> str:
    return " ".join(soup.get_text(" ", strip=True).split())  # type: ignore[attr-defined]


def test_my_applications_says_what_is_waiting_with_a_button_for_each(app: Flask, client: FlaskClient) -> None:
    person = create_person(personnummer="201701012393")
    application = create_application(person_id=person.id)
    statements, contract = application.checklist
    documents.add_document(statements, upload(samples.simple_pdf()), person_id=person.id)
    staff = create_staff_user(role=Role.RECEPTION)
    claim_item(application.intake_item_id, staff=staff)  # type: ignore[arg-type]
    document_id = documents.list_documents(statements)[0].id
    documents.request_new_copy(document_id, staff=staff, reason_code="unreadable", text="Sidan 2 är suddig.")
    messages.send_from_staff(application.id, staff=staff, body="Hej! Vi behöver ditt hyreskontrakt.")
    booked, _code = booking.book_earliest(purpose=Purpose.FIRST_APPOINTMENT,
                                          intake_item_id=application.intake_item_id, deadline=None)
    partner = create_person(personnummer="201701022392", name="Omar Test")
    partners = create_application(person_id=partner.id, co_applicant_person_id=person.id)
    db.session.expire_all()

    login_resident(client, "201701012393")
    soup = get_page(client, "/sv/ansokan/")
    entries = soup.select(".waiting__entry")
    kinds = [e["class"][-1].removeprefix("waiting__entry--") for e in entries]
    assert kinds == ["new_copy", "message", "confirm", "booked", "missing"]
    new_copy = _text(entries[0])
    assert "Skicka en ny kopia: Kontoutdrag" in new_copy
    assert "Varför vi behöver en ny kopia: Det går inte" in new_copy and "Sidan 2 är suddig." in new_copy
    links = [e.select_one("a.button")["href"] for e in entries]  # type: ignore[index]
    assert links == [f"/sv/ansokan/{application.id}/handlingar/{statements.id}",
                     f"/sv/ansokan/{application.id}/status#meddelanden",
                     f"/sv/ansokan/{partners.id}/bekrafta",
                     f"/sv/ansokan/{application.id}/status",
                     f"/sv/ansokan/{application.id}/handlingar/{contract.id}"]
    assert "1 nytt meddelande" in _text(entries[1])
    local = booked.starts_at.astimezone(LOCAL_TZ)
    assert f"{local:%H:%M}" in _text(entries[3]) and "Kommunhuset" in _text(entries[3])

    # Reading the message takes it off the list; a past time is not shown.
    get_page(client, f"/sv/ansokan/{application.id}/status")
    soup = get_page(client, "/sv/ansokan/")
    assert "message" not in " ".join(" ".join(e["class"]) for e in soup.select(".waiting__entry"))


def test_the_waiting_list_is_in_the_residents_language(app: Flask, client: FlaskClient) -> None:
    person = create_person(personnummer="201701012393", language="ar")
    create_application(person_id=person.id, language="ar")
    login_resident(client, "201701012393", lang="ar")
    soup = get_page(client, "/ar/ansokan/", lang="ar", direction="rtl")
    entries = soup.select(".waiting__entry")
    assert len(entries) == 2
    assert "Skicka" not in _text(entries[0])


def test_a_repeat_application_asks_again_what_may_have_changed_and_warns_about_the_same_month(
        app: Flask, client: FlaskClient) -> None:
    from tests.applications.helpers import answer_all, page_url, start
    from tests.pages import submit

    month = clock_month()
    login_resident(client, "201701012393")
    first = start(client)
    answer_all(client, first, month)
    submit(client, f"/sv/ansokan/{first}/granska", {}, action=f"/sv/ansokan/{first}/skicka")

    response = submit(client, "/sv/ansokan/", {}, action="/sv/ansokan/ny")
    repeat = int(response.headers["Location"].split("/ansokan/")[1].split("/")[0])
    assert response.headers["Location"].endswith(page_url(repeat, "om-dig")), response.headers["Location"]
    about = get_page(client, page_url(repeat, "om-dig"))
    assert about.find("input", id="street")["value"] == "Storgatan 1"  # type: ignore[index]
    assert not about.select("input[name=urgent][checked]"), "the urgent answer is asked again, not copied"
    assert "Steg 1 av 2" in _text(about)
    data = {"name": "Amina Test", "street": "Storgatan 1", "postcode": "12345", "city": "Kommunen",
            "phone": "070-000 00 00", "email": "", "interpreter": "no", "interpreter_language": ""}
    response = submit(client, page_url(repeat, "om-dig"), data)
    assert response.status_code == 400, "the urgent question must be answered"
    response = submit(client, page_url(repeat, "om-dig"), {**data, "urgent": "no"})
    assert response.headers["Location"].endswith(page_url(repeat, "manad"))
    month_page = get_page(client, page_url(repeat, "manad"))
    assert "Steg 2 av 2" in _text(month_page)
    response = submit(client, page_url(repeat, "manad"), {"month": month, "changes": "Inget", "other": ""})
    assert response.headers["Location"].endswith(f"/sv/ansokan/{repeat}/handlingar")
    review = get_page(client, f"/sv/ansokan/{repeat}/granska")
    warning = review.select_one(".same-month")
    assert warning is not None and "Du har redan sökt för den här månaden" in _text(warning)
    # A warning, not a refusal: the application can still be sent.
    response = submit(client, f"/sv/ansokan/{repeat}/granska", {}, action=f"/sv/ansokan/{repeat}/skicka")
    assert response.headers["Location"].endswith(f"/sv/ansokan/{repeat}/kvitto")


def clock_month() -> str:
    """This month by the Swedish date."""
    from portal.clock import local_today

    return local_today().strftime("%Y-%m")


def test_the_partners_confirm_page_labels_the_answers_as_the_applicants(app: Flask, client: FlaskClient) -> None:
    from portal.applications import service
    from tests.applications.factories import ANSWERS
    from tests.applications.factories import create_application as create_answered

    applicant = create_person(personnummer="201701012393", name="Amina Test")
    answers = {**ANSWERS, "partner": {"has_partner": "yes", "partner_name": "Omar Test",
                                      "partner_personnummer": "20170102-2392"},
               "income": {**ANSWERS["income"], "partner_income_types": ["salary"], "partner_income_amount": "900"}}
    application = create_answered(person_id=applicant.id, answers=answers)
    service.submit_application(application.id, person_id=applicant.id)
    login_resident(client, "201701022392")
    soup = get_page(client, f"/sv/ansokan/{application.id}/bekrafta")
    headings = [h.get_text(strip=True) for h in soup.select("h2")]
    labels = [dt.get_text(strip=True) for dt in soup.select("dt")]
    assert "Om dig" not in headings and "Om den som ansöker" in headings
    assert "Du som make, maka eller sambo" in headings
    assert "Ditt namn" in labels and "Namn på den som ansöker" in labels
    name_row = soup.find("dt", string="Namn på den som ansöker").find_parent("div")  # type: ignore[union-attr]
    assert "Amina Test" in name_row.get_text()
    your_name = soup.find("dt", string="Ditt namn").find_parent("div")  # type: ignore[union-attr]
    assert "Omar Test" in your_name.get_text()
    assert "Dina inkomster" in labels and "Vilka inkomster har du?" not in labels
    assert "Det här är svaren som Amina Test har skrivit i ansökan." in _text(soup)


def test_the_file_too_large_page_says_the_limit_and_leads_back_to_the_upload_page(
        app: Flask, client: FlaskClient) -> None:
    from tests.documents.test_upload import CountingStream
    from tests.pages import csrf_token, parse

    person = create_person(personnummer="201701012393")
    application = create_application(person_id=person.id)
    item = application.checklist[0]
    login_resident(client, "201701012393")
    url = f"/sv/ansokan/{application.id}/handlingar/{item.id}"
    csrf_token(client, url)
    size = 100 * 1024 * 1024
    response = client.post(url, input_stream=CountingStream(size),  # type: ignore[arg-type]
                           content_type="multipart/form-data; boundary=x", headers={"Content-Length": str(size)})
    assert response.status_code == 413
    page = parse(response)
    text = _text(page)
    assert "högst 20 MB" in text and "högst 20 filer" in text
    back = page.find("a", string="Tillbaka till sidan du var på")
    assert back is not None and back["href"] == url


def test_the_children_page_shows_one_child_and_adds_one_at_a_time(app: Flask, client: FlaskClient) -> None:
    from tests.applications.helpers import page_url, start
    from tests.pages import submit

    login_resident(client, "201701012393")
    application_id = start(client)
    url = page_url(application_id, "barn")
    soup = get_page(client, url)
    assert len(soup.select("fieldset.group")) == 1, "one child's fields, not five"
    response = submit(client, url, {"has_children": "yes", "child1_name": "Sara", "child1_born": "2019-04-23",
                                    "child1_living": "full", "add_child": "1"})
    assert response.status_code == 302 and "barn=2" in response.headers["Location"]
    soup = get_page(client, response.headers["Location"])
    groups = soup.select("fieldset.group")
    assert len(groups) == 2
    assert soup.find("input", id="child1_name")["value"] == "Sara"  # type: ignore[index]
    response = submit(client, url, {"has_children": "yes", "child1_name": "Sara", "child1_born": "2019-04-23",
                                    "child1_living": "full", "child2_name": "Adam", "child2_born": "2021-01-02",
                                    "child2_living": "part"})
    assert response.headers["Location"].endswith(page_url(application_id, "boende"))
    soup = get_page(client, url)
    assert len(soup.select("fieldset.group")) == 2, "every child given is shown again"
    # Enter in a field presses the first button: it saves and goes on, it does not add a child.
    buttons = soup.select("main form[method=post] button[type=submit]")
    assert buttons[0].get("name") is None and buttons[1]["name"] == "add_child"


def test_answers_sent_after_the_session_ended_come_back_after_logging_in_again(
        app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import time as time_module

    from portal import security
    from tests.applications.helpers import page_url, start
    from tests.pages import csrf_token

    login_resident(client, "201701012393")
    application_id = start(client)
    url = page_url(application_id, "boende")
    token = csrf_token(client, url)
    real_time = time_module.time
    monkeypatch.setattr(security.time, "time", lambda: real_time() + 61 * 60)
    response = client.post(url, data={"csrf_token": token, "housing": "rental", "rent": "7 200",
                                      "rent_arrears": "no"})
    assert response.status_code == 302 and "/sv/logga-in" in response.headers["Location"]
    login_page = get_page(client, response.headers["Location"])
    assert "så kommer du tillbaka till sidan med det du skrev" in _text(login_page)
    next_field = login_page.find("input", attrs={"name": "next"})
    assert next_field is not None and next_field["value"] == url  # type: ignore[index]
    response = client.post("/sv/logga-in/utveckling", data={
        "csrf_token": login_page.find("input", attrs={"name": "csrf_token"})["value"],  # type: ignore[index]
        "personnummer": "20170101-2393", "next": url})
    assert response.headers["Location"] == url
    page = get_page(client, url)
    assert page.find("input", id="rent")["value"] == "7 200"  # type: ignore[index]
    assert "Här är det du skrev" in _text(page)
    db.session.expire_all()
    from portal.applications.models import Application

    stored = db.session.get(Application, application_id)
    assert stored is not None and "housing" not in stored.answers, "shown again, not saved behind their back"
    # Once: the next visit shows the page as it is stored.
    assert get_page(client, url).find("input", id="rent").get("value") in (None, "")  # type: ignore[union-attr]


def test_the_timeout_warning_is_on_every_resident_page_with_a_button_that_works_without_script(
        app: Flask, client: FlaskClient) -> None:
    from tests.pages import submit

    login_resident(client, "201701012393")
    soup = get_page(client, "/sv/ansokan/")
    warning = soup.find(id="session-warning")
    assert warning is not None and warning.has_attr("hidden")
    assert warning["data-seconds"] == str(60 * 60) and warning["data-warn-seconds"] == str(5 * 60)
    assert soup.find("script", src="/static/session.js") is not None
    response = submit(client, "/sv/ansokan/", {"next": "/sv/ansokan/"}, action="/sv/fortsatt-inloggad")
    assert response.status_code == 302 and response.headers["Location"] == "/sv/ansokan/"
    response = client.post("/sv/fortsatt-inloggad", data={"csrf_token": soup.find(
        "input", attrs={"name": "csrf_token"})["value"]}, headers={"X-Requested-With": "fetch"})  # type: ignore[index]
    assert response.status_code == 204
