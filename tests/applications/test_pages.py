"""The resident's journey through the pages, in Swedish and Arabic: questions, checklist, upload, submit, status."""

from __future__ import annotations

import io
import subprocess
from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.applications.models import Application, ItemState, Status
from portal.clock import local_today
from portal.db import db
from portal.intake.models import IntakeItem, Source
from portal.intake.service import set_documents_complete
from tests.applications.helpers import PAGES, answer_all, page_url, start
from tests.documents.samples import encrypted_pdf, phone_jpeg, simple_pdf
from tests.pages import csrf_token, get_page, login_resident, parse, submit
from tests.pinned_days import ON_PINNED_DAYS

# Every journey runs on the pinned days (tests/pinned_days.py); the first hour of a month once made 10 of these
# 13 tests fail.
pytestmark = ON_PINNED_DAYS


@pytest.fixture(autouse=True)
def _pinned(clock_at: datetime) -> datetime:
    return clock_at


def _month() -> str:
    """The month the application is for: this month, by the Swedish date (the months offered are Swedish)."""
    return local_today().strftime("%Y-%m")


def _application(application_id: int) -> Application:
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    assert application is not None
    return application


def test_the_whole_journey_in_swedish(app: Flask, client: FlaskClient) -> None:
    login_resident(client, "201701012393")
    get_page(client, "/sv/ansokan/", lang="sv", direction="ltr")
    application_id = start(client)
    soup = get_page(client, page_url(application_id, "om-dig"))
    assert soup.find("h1").get_text(strip=True) == "Om dig"
    answer_all(client, application_id, _month())
    checklist = get_page(client, f"/sv/ansokan/{application_id}/handlingar")
    titles = [h.get_text(strip=True) for h in checklist.select(".checklist-item__title")]
    assert "Lönebesked för de senaste tre månaderna" in titles
    assert "Kostnadsförslag eller kvitto för de särskilda kostnaderna" in titles

    application = _application(application_id)
    payslips = next(item for item in application.checklist if item.key == "payslips")
    statements = next(item for item in application.checklist if item.key == "account_statements")
    document_url = f"/sv/ansokan/{application_id}/handlingar/{payslips.id}"
    response = client.post(document_url, data={
        "csrf_token": csrf_token(client, document_url),
        "files": [(io.BytesIO(simple_pdf()), "lonebesked.pdf"), (io.BytesIO(phone_jpeg()), "IMG_0001.jpg")]},
        content_type="multipart/form-data")
    assert response.status_code == 302
    submit(client, f"/sv/ansokan/{application_id}/handlingar", {},
           action=f"/sv/ansokan/{application_id}/handlingar/{statements.id}/senare")
    application = _application(application_id)
    states = {item.key: item.state for item in application.checklist}
    assert states["payslips"] == ItemState.RECEIVED and states["account_statements"] == ItemState.LATER

    review = get_page(client, f"/sv/ansokan/{application_id}/granska")
    text = review.get_text(" ", strip=True).replace("\xa0", " ")  # Swedish groups digits with a no-break space
    assert "6 500 kr" in text and "4 500,50 kr" in text and "Sara" in text
    change = review.find("a", href=f"{page_url(application_id, 'boende')}?tillbaka=granska#rent")
    assert change is not None
    response = submit(client, f"/sv/ansokan/{application_id}/granska", {},
                      action=f"/sv/ansokan/{application_id}/skicka")
    # A person new to the unit is offered a first time at the reception first (portal.booking.first_visit).
    assert response.headers["Location"].endswith(f"/sv/ansokan/{application_id}/forsta-tid")
    receipt = get_page(client, f"/sv/ansokan/{application_id}/kvitto")
    application = _application(application_id)
    assert application.reference in receipt.get_text()
    assert application.status == Status.SUBMITTED and application.submitted_at is not None
    item = db.session.get(IntakeItem, application.intake_item_id)
    assert item is not None and item.source == Source.E_APPLICATION

    status = get_page(client, f"/sv/ansokan/{application_id}/status")
    text = status.get_text(" ", strip=True)
    assert "Skickad, vi går igenom den" in text and "Mottagen" in text and "Du skickar senare" in text
    assert "Vi kan säga det när vi har fått alla handlingar." in text


def test_a_double_submit_gives_one_application_and_one_intake_item(app: Flask, client: FlaskClient) -> None:
    login_resident(client, "201701012393")
    application_id = start(client)
    answer_all(client, application_id, _month())
    token = csrf_token(client, f"/sv/ansokan/{application_id}/granska")
    for _ in range(2):
        response = client.post(f"/sv/ansokan/{application_id}/skicka", data={"csrf_token": token})
        assert response.headers["Location"].endswith("/forsta-tid")
    assert db.session.scalar(select(func.count()).select_from(IntakeItem)) == 1
    assert db.session.scalar(select(func.count()).select_from(Application)) == 1


def test_answers_are_kept_and_errors_are_in_arabic(app: Flask, client: FlaskClient) -> None:
    login_resident(client, "201701012393", lang="ar")
    application_id = start(client, lang="ar")
    url = page_url(application_id, "boende", lang="ar")
    response = submit(client, url, {"housing": "rental", "rent": "ستة آلاف", "rent_arrears": "no"})
    assert response.status_code == 400
    soup = parse(response, lang="ar", direction="rtl")
    summary = soup.select_one(".error-summary")
    assert summary is not None and "اكتب المبلغ بالكرونة بالأرقام" in summary.get_text()
    assert soup.find("input", id="rent")["value"] == "ستة آلاف"  # type: ignore[index]
    assert soup.find("input", id="rent")["aria-invalid"] == "true"  # type: ignore[index]
    response = submit(client, page_url(application_id, "make-maka-sambo", lang="ar"), {
        "has_partner": "yes", "partner_name": "عمر", "partner_personnummer": "20170101-2394"})
    assert response.status_code == 400
    assert "الرقم" in parse(response).select_one(".error-summary").get_text()  # type: ignore[union-attr]
    response = submit(client, url, {"housing": "rental", "rent": "٦ ٥٠٠", "rent_arrears": "no"})
    assert response.status_code == 302
    assert _application(application_id).answers["housing"]["rent"] == "6500"


def test_every_page_is_in_arabic_right_to_left(app: Flask, client: FlaskClient) -> None:
    login_resident(client, "201701012393", lang="ar")
    application_id = start(client, lang="ar")
    for slug, _ in PAGES:
        get_page(client, page_url(application_id, slug, lang="ar"), lang="ar", direction="rtl")
    answer_all(client, application_id, _month(), lang="ar")
    for path in ("handlingar", "granska"):
        get_page(client, f"/ar/ansokan/{application_id}/{path}", lang="ar", direction="rtl")
    submit(client, f"/ar/ansokan/{application_id}/granska", {}, action=f"/ar/ansokan/{application_id}/skicka")
    receipt = get_page(client, f"/ar/ansokan/{application_id}/kvitto", lang="ar", direction="rtl")
    assert "تم إرسال طلبك" in receipt.get_text()
    status = get_page(client, f"/ar/ansokan/{application_id}/status", lang="ar", direction="rtl")
    assert "ناقص" in status.get_text()


def test_the_receipt_pdf_is_in_the_residents_language_and_swedish(app: Flask, client: FlaskClient) -> None:
    login_resident(client, "201701012393", lang="ar")
    application_id = start(client, lang="ar")
    answer_all(client, application_id, _month(), lang="ar")
    submit(client, f"/ar/ansokan/{application_id}/granska", {}, action=f"/ar/ansokan/{application_id}/skicka")
    response = client.get(f"/ar/ansokan/{application_id}/kvitto.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True, check=True).stdout.decode()
    reference = _application(application_id).reference
    assert text.count(reference) >= 2
    assert "إيصال طلبك للمساعدة المالية" in text
    assert "Kvitto på din ansökan om ekonomiskt bistånd" in text


def test_another_resident_gets_404_everywhere(app: Flask, client: FlaskClient) -> None:
    login_resident(client, "201701012393")
    application_id = start(client)
    answer_all(client, application_id, _month())
    item_id = _application(application_id).checklist[0].id
    client.post("/sv/logga-ut", data={"csrf_token": csrf_token(client, "/sv/ansokan/")})
    login_resident(client, "201701022384")
    base = f"/sv/ansokan/{application_id}"
    for path in ("/fortsatt", "/fraga/om-dig", "/handlingar", f"/handlingar/{item_id}", "/granska", "/kvitto",
                 "/kvitto.pdf", "/status", "/bekrafta"):
        assert client.get(base + path).status_code == 404, path
    token = csrf_token(client, "/sv/ansokan/")
    for path in ("/fraga/om-dig", "/skicka", f"/handlingar/{item_id}/senare", f"/handlingar/{item_id}",
                 "/bekrafta"):
        assert client.post(base + path, data={"csrf_token": token}).status_code == 404, path
    assert _application(application_id).status == Status.DRAFT


def test_an_upload_that_is_refused_is_explained_and_nothing_is_lost(app: Flask, client: FlaskClient) -> None:
    login_resident(client, "201701012393")
    application_id = start(client)
    answer_all(client, application_id, _month())
    item = _application(application_id).checklist[0]
    url = f"/sv/ansokan/{application_id}/handlingar/{item.id}"
    response = client.post(url, data={
        "csrf_token": csrf_token(client, url),
        "files": [(io.BytesIO(simple_pdf()), "bra.pdf"), (io.BytesIO(encrypted_pdf()), "last.pdf")]},
        content_type="multipart/form-data")
    assert response.status_code == 400
    soup = parse(response)
    assert "last.pdf" in soup.select_one(".error-summary").get_text()  # type: ignore[union-attr]
    assert "bra.pdf" in soup.get_text()
    assert _application(application_id).checklist[0].state == ItemState.RECEIVED


def test_the_status_page_shows_staff_reasons_and_the_decision_deadline(app: Flask, client: FlaskClient) -> None:
    login_resident(client, "201701012393")
    application_id = start(client)
    answer_all(client, application_id, _month())
    submit(client, f"/sv/ansokan/{application_id}/granska", {}, action=f"/sv/ansokan/{application_id}/skicka")
    application = _application(application_id)
    item = application.checklist[0]
    item.state, item.reason = ItemState.NEW_COPY_REQUESTED, "incomplete"  # a code from portal.documents.reasons
    intake_item = db.session.get(IntakeItem, application.intake_item_id)
    assert intake_item is not None
    set_documents_complete(intake_item, on=local_today(), actor_label="test")
    db.session.commit()
    text = get_page(client, f"/sv/ansokan/{application_id}/status").get_text(" ", strip=True)
    assert "Vi behöver en ny kopia" in text and "Sidor saknas. Skicka hela dokumentet" in text
    assert "incomplete" not in text
    assert "Beslut senast" in text and "Vi kan säga det" not in text


def test_resuming_goes_to_the_first_unanswered_page(app: Flask, client: FlaskClient) -> None:
    login_resident(client, "201701012393")
    application_id = start(client)
    submit(client, page_url(application_id, "om-dig"), PAGES[0][1])
    client.post("/sv/logga-ut", data={"csrf_token": csrf_token(client, "/sv/ansokan/")})
    login_resident(client, "201701012393")
    index = get_page(client, "/sv/ansokan/")
    link = index.find("a", href=f"/sv/ansokan/{application_id}/fortsatt")
    assert link is not None
    response = client.get(f"/sv/ansokan/{application_id}/fortsatt")
    assert response.headers["Location"].endswith(page_url(application_id, "make-maka-sambo"))


def test_the_co_applicant_confirms_after_logging_in(app: Flask, client: FlaskClient) -> None:
    login_resident(client, "201701012393")
    application_id = start(client)
    answer_all(client, application_id, _month())
    submit(client, page_url(application_id, "make-maka-sambo"), {
        "has_partner": "yes", "partner_name": "Omar", "partner_personnummer": "201701022384"})
    submit(client, f"/sv/ansokan/{application_id}/granska", {}, action=f"/sv/ansokan/{application_id}/skicka")
    client.post("/sv/logga-ut", data={"csrf_token": csrf_token(client, "/sv/ansokan/")})
    login_resident(client, "201701022384")
    index = get_page(client, "/sv/ansokan/")
    assert index.find("a", href=f"/sv/ansokan/{application_id}/bekrafta") is not None
    page = get_page(client, f"/sv/ansokan/{application_id}/bekrafta")
    assert "Storgatan 1" in page.get_text()
    submit(client, f"/sv/ansokan/{application_id}/bekrafta", {})
    assert _application(application_id).co_applicant_confirmed_at is not None
    assert client.get(f"/sv/ansokan/{application_id}/status").status_code == 404


def test_the_pages_are_translated_into_every_language(app: Flask, client: FlaskClient) -> None:
    login_resident(client, "201701012393")
    application_id = start(client)
    answer_all(client, application_id, _month())
    swedish = {path: get_page(client, f"/sv/ansokan/{application_id}/{path}").find("h1").get_text(strip=True)
               for path in ("fraga/om-dig", "handlingar", "granska")}
    for lang in app.config["LANGUAGES"][1:]:
        direction = "rtl" if lang in ("ar", "fa") else "ltr"
        for path, heading in swedish.items():
            soup = get_page(client, f"/{lang}/ansokan/{application_id}/{path}", lang=lang, direction=direction)
            assert soup.find("h1").get_text(strip=True) != heading, (lang, path)  # type: ignore[union-attr]


def test_the_applicant_cannot_name_themselves_as_partner(app: Flask, client: FlaskClient) -> None:
    login_resident(client, "201701012393")
    application_id = start(client)
    response = submit(client, page_url(application_id, "make-maka-sambo"), {
        "has_partner": "yes", "partner_name": "Jag själv", "partner_personnummer": "20170101-2393"})
    assert response.status_code == 400
    assert "inte ditt eget" in parse(response).select_one(".error-summary").get_text()  # type: ignore[union-attr]


def test_an_applicant_outside_the_area_is_told_where_to_turn_and_may_still_apply(app: Flask,
                                                                                client: FlaskClient) -> None:
    app.config.update(SERVICE_AREA_POSTCODES="111", SERVICE_AREA_REFERRALS="123=Stadsdel Syd")
    login_resident(client, "201701012393")
    application_id = start(client)
    response = submit(client, page_url(application_id, "om-dig"), PAGES[0][1], follow_redirects=True)
    assert "Kontakta Stadsdel Syd." in response.get_data(as_text=True)
    answer_all(client, application_id, _month())
    assert "Stadsdel Syd" in get_page(client, f"/sv/ansokan/{application_id}/handlingar").get_text()
    submit(client, f"/sv/ansokan/{application_id}/granska", {}, action=f"/sv/ansokan/{application_id}/skicka")
    application = _application(application_id)
    assert application.status == Status.SUBMITTED and application.outside_area
