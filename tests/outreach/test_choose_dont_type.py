"""Choose, don't type (issue 27 point 4): the typed-in notice form offers choices and date inputs for every
column with a fixed set of values and keeps what was typed when it shows errors; the notice page's forms show
their errors in place (400, the note kept) instead of a flash after a redirect."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from outreach.notices.models import Attempt
from portal.db import db
from portal.staff.models import Role
from tests.factories import PASSWORD, create_staff_user
from tests.outreach.factories import import_rows, notice_by_reference, row
from tests.pages import get_page, login_staff, parse, submit


def _login(client: FlaskClient) -> None:
    user = create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    login_staff(client, user.email, PASSWORD)


def test_the_typed_in_form_offers_choices_and_date_inputs(app: Flask, client: FlaskClient) -> None:
    _login(client)
    page = get_page(client, "/staff/underrattelser/ny")
    assert {i["value"] for i in page.select("input[name=typ][type=radio]")} == {
        "uppsägning", "störning", "avhysning", "övrigt"}
    assert {i["value"] for i in page.select("input[name=barn_i_hushallet][type=radio]")} == {"ja", "nej", "okänt"}
    assert page.select_one("input[name=barn_i_hushallet][value=okänt]").has_attr("checked")
    assert {i["value"] for i in page.select("input[name=skyddad_identitet][type=radio]")} == {"", "ja"}
    languages = [o["value"] for o in page.select("select[name=sprak] option")]
    assert languages[0] == "" and {"ar", "so", "ti", "fi", "uk"} <= set(languages)
    for name in ("uppsagning_datum", "delgiven_datum", "inkom_datum"):
        assert page.select_one(f"input[name={name}]")["type"] == "date"
    assert page.select_one("input[name=avhysning_datum]")["type"] == "datetime-local"
    # Every group of radios is a fieldset with a legend.
    assert all(fs.legend for fs in page.select("fieldset"))


def test_errors_keep_what_was_typed_and_chosen(app: Flask, client: FlaskClient) -> None:
    _login(client)
    get_page(client, "/staff/underrattelser/ny")
    values = {"typ": "avhysning", "referens": "PAPPER-2", "hyresvard": "", "hyresgast_namn": "Åsa Östlund",
              "personnummer": "201701012393", "adress": "Pappersgatan 1", "postnummer": "11860", "ort": "Stockholm",
              "avhysning_datum": "2026-12-10T09:00", "barn_i_hushallet": "ja", "sprak": "so",
              "skyddad_identitet": "ja"}
    response = submit(client, "/staff/underrattelser/ny", values)
    assert response.status_code == 400
    page = parse(response)
    assert page.select_one("input[name=typ][value=avhysning]").has_attr("checked")
    assert page.select_one("input[name=barn_i_hushallet][value=ja]").has_attr("checked")
    assert page.select_one("input[name=skyddad_identitet][value=ja]").has_attr("checked")
    assert page.select_one("select[name=sprak] option[value=so]").has_attr("selected")
    assert page.select_one("input[name=hyresgast_namn]")["value"] == "Åsa Östlund"
    assert page.select_one("input[name=avhysning_datum]")["value"] == "2026-12-10T09:00"
    assert page.select_one("#hyresvard[aria-invalid=true]") is not None
    response = submit(client, "/staff/underrattelser/ny", {**values, "hyresvard": "Pappersbostäder AB"})
    assert response.status_code == 302
    notice = notice_by_reference("PAPPER-2")
    assert (notice.kind, notice.children, notice.language, notice.protected) == ("avhysning", "ja", "so", True)
    assert notice.eviction_at is not None


def test_the_notice_pages_forms_show_errors_in_place_and_keep_the_note(app: Flask, client: FlaskClient) -> None:
    import_rows(row(referens="HV-FORM-1"))
    notice = notice_by_reference("HV-FORM-1")
    _login(client)
    url = f"/staff/underrattelser/{notice.id}"
    response = submit(client, url, {"channel": "call", "note": "Ringde två gånger, ingen svarade"},
                      action=f"{url}/forsok")
    assert response.status_code == 400  # no redirect: the page again, with the error beside the field
    page = parse(response)
    assert page.select_one("#result .field-error") is not None
    assert page.select_one("textarea[name=note]").get_text().strip() == "Ringde två gånger, ingen svarade"
    assert page.select_one("input[name=channel][value=call]").has_attr("checked")
    assert db.session.scalar(db.select(db.func.count()).select_from(Attempt)) == 0
    # A rule of the service (no action needs a reason) is shown in place too, the choice kept.
    response = submit(client, url, {"decision": "no_action", "reason": ""}, action=f"{url}/beslut")
    assert response.status_code == 400
    page = parse(response)
    assert "Skriv varför ingen åtgärd behövs" in page.select_one(".field--error").get_text()
    assert page.select_one("input[name=decision][value=no_action]").has_attr("checked")
    response = submit(client, url, {}, action=f"{url}/utfall")
    assert response.status_code == 400 and parse(response).select_one("#outcome .field-error") is not None
