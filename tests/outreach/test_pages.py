"""Staff pages for notices: list, notice page with its timeline, manual handling, import, typed in, API keys."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from outreach.notices.known_clients import import_register
from outreach.notices.models import Decision, Outcome
from outreach.pipeline.run import run_pass
from portal.audit import AuditEvent
from portal.db import db
from portal.people import Protection
from portal.staff.models import Role
from tests.factories import PASSWORD, create_person, create_staff_user
from tests.outreach.factories import import_rows, notice_by_reference, row, sample
from tests.pages import csrf_token, get_page, login_staff, submit


def _login(client: FlaskClient, role: Role = Role.OUTREACH) -> int:
    user = create_staff_user(email=f"{role.value}@example.org", role=role)
    login_staff(client, user.email, PASSWORD)
    return user.id


def test_import_page_shows_the_report_and_the_list_is_sorted_by_deadline(app: Flask, client: FlaskClient) -> None:
    _login(client)
    get_page(client, "/staff/underrattelser/import")
    token = csrf_token(client, "/staff/underrattelser/import")
    response = client.post("/staff/underrattelser/import", data={
        "csrf_token": token, "file": (io.BytesIO(sample("notices-landlord-sample.csv")), "underrattelser.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Nya: 4, upprepningar: 0, rättelser: 1" in text and "HV-2026-0412-B" in text
    client.post("/staff/underrattelser/import", data={
        "csrf_token": token, "file": (io.BytesIO(sample("notices-enforcement-sample.csv")), "kfm.csv")},
        content_type="multipart/form-data")
    page = get_page(client, "/staff/underrattelser/")
    references = [a.get_text() for a in page.select("tbody tr td:first-child a")]
    assert references[0] == "KFM-12-345690-26"  # eviction on 3 December is the nearest deadline
    assert "HV-2026-0412" not in references  # superseded by its correction


def test_notice_page_shows_the_case_as_one_timeline_and_logs_the_read(app: Flask, client: FlaskClient) -> None:
    staff_id = _login(client)
    import_register(sample("known-clients-sample.csv"))
    import_rows(row(referens="PAGE-1", barn="ja", skuld="14 850"))
    run_pass()
    notice = notice_by_reference("PAGE-1")
    page = get_page(client, f"/staff/underrattelser/{notice.id}")
    text = page.get_text(" ")
    assert "14 850" in text and "Testgatan 1" in text and "Post i intagskön skapad" in text
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "outreach.notice_view"))
    assert event is not None and event.object_id == str(notice.id) and event.actor_id == staff_id
    page_url = f"/staff/underrattelser/{notice.id}"
    submit(client, page_url, {"channel": "call", "result": "not_reached", "note": "Inget svar"},
           action=f"{page_url}/forsok")
    submit(client, page_url, {"decision": "no_action", "reason": ""}, action=f"{page_url}/beslut")
    db.session.refresh(notice)
    assert notice.decision is None  # no action needs a reason
    submit(client, page_url, {"decision": "investigation_opened", "reason": "Barn i hushållet"},
           action=f"{page_url}/beslut")
    db.session.refresh(notice)
    assert notice.decision == Decision.INVESTIGATION_OPENED
    text = get_page(client, f"/staff/underrattelser/{notice.id}").get_text(" ")
    assert "Försök: Samtal" in text and "Beslut: Utredning inledd" in text
    submit(client, page_url, {"outcome": "agreement"}, action=f"{page_url}/utfall")
    db.session.refresh(notice)
    assert notice.tenancy_outcome == "agreement" and notice.tenancy_outcome_by_id == staff_id
    assert "Senast registrerat: Överenskommelse med hyresvärden" in get_page(
        client, f"/staff/underrattelser/{notice.id}").get_text(" ")


def test_the_timeline_tells_whether_a_letter_went_to_print(app: Flask, client: FlaskClient) -> None:
    from portal.letters import print_batch
    from portal.letters.models import Letter
    from tests.letters.factories import stored_letter_path

    _login(client)
    import_rows(row(referens="PRINTED"), row(referens="DAMAGED", personnummer="202503082386", adress="Annan väg 2"))
    run_pass()
    printed, damaged = notice_by_reference("PRINTED"), notice_by_reference("DAMAGED")
    assert "Första brevet : brev skapat, klart för utskrift" in get_page(
        client, f"/staff/underrattelser/{printed.id}").get_text(" ")
    letter = db.session.scalar(select(Letter).where(Letter.dedup_key == f"notice:{damaged.id}:outreach_first"))
    assert letter is not None
    stored_letter_path(app, letter).unlink()
    day = print_batch.utcnow().astimezone(print_batch.LOCAL).date()
    print_batch.claim_batch(day)
    text = get_page(client, f"/staff/underrattelser/{printed.id}").get_text(" ")
    assert f"Första brevet : brev skapat, utskrivet {day.isoformat()}" in text
    text = get_page(client, f"/staff/underrattelser/{damaged.id}").get_text(" ")
    assert "Första brevet : brev skapat, filen är skadad, inte med i utskrift" in text


def test_protected_identity_never_shows_the_address(app: Flask, client: FlaskClient) -> None:
    _login(client)
    create_person(personnummer="202503082386", protection=Protection.CONFIDENTIALITY_MARKING)
    import_rows(row(referens="HIDDEN", personnummer="202503082386", adress="Hemliga gatan 7"))
    run_pass()
    notice = notice_by_reference("HIDDEN")
    for url in (f"/staff/underrattelser/{notice.id}", "/staff/underrattelser/manuell", "/staff/underrattelser/"):
        text = get_page(client, url).get_text(" ")
        assert "Hemliga gatan" not in text
    assert "HIDDEN" in get_page(client, "/staff/underrattelser/manuell").get_text(" ")


def test_staff_can_mark_protection_from_the_page(app: Flask, client: FlaskClient) -> None:
    _login(client)
    import_rows(row(referens="MARK", adress="Synlig gata 1"))
    run_pass()
    notice = notice_by_reference("MARK")
    assert "Synlig gata" in get_page(client, f"/staff/underrattelser/{notice.id}").get_text(" ")
    submit(client, f"/staff/underrattelser/{notice.id}", {}, action=f"/staff/underrattelser/{notice.id}/skyddad")
    db.session.refresh(notice)
    assert notice.protected and notice.outcome == Outcome.MANUAL
    assert "Synlig gata" not in get_page(client, f"/staff/underrattelser/{notice.id}").get_text(" ")


def test_typed_in_notice_uses_the_same_checks(app: Flask, client: FlaskClient) -> None:
    _login(client)
    get_page(client, "/staff/underrattelser/ny")
    values = {"typ": "uppsägning", "referens": "PAPPER-1", "hyresvard": "Pappersbostäder AB",
              "hyresgast_namn": "Pia Papper", "personnummer": "201701012394", "adress": "Pappersgatan 1",
              "postnummer": "11860", "ort": "Stockholm", "skuld_kr": "5 000", "uppsagning_datum": "2026-11-16"}
    response = submit(client, "/staff/underrattelser/ny", values)
    assert response.status_code == 400 and "kontrollsiffra" in response.get_data(as_text=True)
    response = submit(client, "/staff/underrattelser/ny", {**values, "personnummer": "201701012393"})
    assert response.status_code == 302
    assert notice_by_reference("PAPPER-1").channel == "staff"
    again = submit(client, "/staff/underrattelser/ny", {**values, "personnummer": "201701012393"},
                   follow_redirects=True)
    assert "fanns redan" in again.get_data(as_text=True)


def test_roles_outreach_pages_and_a_caseworker_sees_only_their_own_clients_notices(app: Flask,
                                                                                   client: FlaskClient) -> None:
    import_register(sample("known-clients-sample.csv"))  # 200306062381 is Sara Nilsson's client
    import_rows(row(referens="OTHER"), row(referens="CLIENT", personnummer="200306062381", adress="Götgatan 101"))
    run_pass()
    create_staff_user(email="sara.nilsson@example.org", role=Role.CASEWORKER, name="Sara Nilsson")
    login_staff(client, "sara.nilsson@example.org", PASSWORD)
    assert client.get("/staff/underrattelser/").status_code == 403
    assert client.get(f"/staff/underrattelser/{notice_by_reference('OTHER').id}").status_code == 404
    get_page(client, f"/staff/underrattelser/{notice_by_reference('CLIENT').id}")


def test_admin_creates_and_revokes_api_keys_on_the_page(app: Flask, client: FlaskClient) -> None:
    _login(client, Role.ADMIN)
    get_page(client, "/staff/api-nycklar/")
    response = submit(client, "/staff/api-nycklar/", {"landlord_name": "Sidbostäder AB", "landlord_orgnr": ""})
    assert response.status_code == 200 and "nk_" in response.get_data(as_text=True)
    page = get_page(client, "/staff/api-nycklar/")
    action = page.select_one("form[action*=aterkalla]")
    assert action is not None
    submit(client, "/staff/api-nycklar/", {}, action=str(action["action"]))
    assert "Återkallad" in get_page(client, "/staff/api-nycklar/").get_text(" ")
    assert client.get("/staff/underrattelser/").status_code == 403


def test_known_client_register_through_the_page(app: Flask, client: FlaskClient) -> None:
    _login(client)
    token = csrf_token(client, "/staff/underrattelser/import")
    bad = b"personnummer;enhet;handlaggare;epost\r\n201701012394;Enhet;A;a@example.org\r\n"
    response = client.post("/staff/underrattelser/register", data={
        "csrf_token": token, "register_file": (io.BytesIO(bad), "bad.csv")}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Registret ändrades inte" in response.get_data(as_text=True)
    response = client.post("/staff/underrattelser/register", data={
        "csrf_token": token, "register_file": (io.BytesIO(sample("known-clients-sample.csv")), "reg.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 200 and "Registret ersatt: 2 personer" in response.get_data(as_text=True)
