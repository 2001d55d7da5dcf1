"""The e-ID login against a real OpenID Connect provider (oidc-provider on loopback, see tests/oidc_broker.py).

The portal runs as in production for residents: no development login. Every step crosses real HTTP to the
provider: discovery, the authorisation request, the resident identifying at the broker, the code exchange (with
client secret and PKCE verifier), the broker's signing keys, and the logout at the broker.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from portal.audit import AuditEvent
from portal.db import db
from portal.people import Person, get_person_by_personnummer
from tests.oidc_broker import PORTAL, Broker, Resident, query
from tests.pages import csrf_token, parse

LOA = "http://id.elegnamnden.se/loa/1.0/"
PERSONNUMMER = "201701012393"


@pytest.fixture
def app_config(broker: Broker) -> dict[str, Any]:
    return broker.portal_config()


@pytest.fixture
def resident(client: FlaskClient, broker: Broker) -> Resident:
    return Resident(client, broker)


def logins() -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "resident.login")))


def logged_in(client: FlaskClient) -> bool:
    with client.session_transaction() as session:
        return bool(session.get("person_id"))


def refusal(response: Any, *, status: int, lang: str = "sv") -> str:
    """The refusal page's message, after checking it is a page of its own in the resident's language."""
    assert response.status_code == status, response.status_code
    soup = parse(response, lang=lang)
    alert = soup.find(attrs={"role": "alert"})
    assert alert is not None
    assert soup.find("a", href=f"/{lang}/logga-in") is not None, "the page offers to try again"
    return str(alert.get_text(" ", strip=True))


def test_login_page_offers_eid_and_no_development_login(client: FlaskClient) -> None:
    soup = parse(client.get("/sv/logga-in"), lang="sv")
    assert soup.find("a", href=lambda h: str(h).startswith("/sv/logga-in/e-legitimation")) is not None
    assert soup.find("input", attrs={"name": "personnummer"}) is None


def test_whole_login_state_nonce_pkce_code_and_checked_id_token(resident: Resident, broker: Broker,
                                                                app: Flask) -> None:
    authorise = resident.start("sv", next_url="/sv/")
    params = query(authorise)
    assert params["response_type"] == "code"
    assert params["client_id"] == broker.client_id
    assert params["redirect_uri"] == f"{PORTAL}/sv/logga-in/e-legitimation/klar"
    assert set(params["scope"].split()) == {"openid", "profile"}
    assert len(params["state"]) >= 20 and len(params["nonce"]) >= 20
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) == 43
    assert params["acr_values"] == LOA + "loa3"

    login_page = resident.at_broker(authorise)
    callback = resident.identify(login_page, PERSONNUMMER)
    answer = query(callback)
    assert answer["state"] == params["state"] and answer["code"]
    assert answer["iss"] == broker.issuer

    response = resident.back_to_portal(callback)
    assert response.status_code == 302
    assert response.headers["Location"] == "/sv/"
    assert logged_in(resident.client)
    person = get_person_by_personnummer(PERSONNUMMER)
    assert person is not None and person.language == "sv"
    [event] = logins()
    assert event.person_id == person.id
    assert event.detail == f"method=eid loa={LOA}loa3"
    # The resident is in: a resident-only page opens.
    assert resident.client.get("/sv/ansokan/").status_code == 200


def test_a_wrong_state_is_refused(resident: Resident, app: Flask) -> None:
    callback = resident.authorise(PERSONNUMMER)
    forged = callback.replace(f"state={query(callback)['state']}", "state=forged-by-someone-else")
    response = resident.back_to_portal(forged)
    assert "misslyckades" in refusal(response, status=400)
    assert not logged_in(resident.client)
    assert logins() == []


def test_a_replayed_code_is_refused_by_the_broker(resident: Resident, client: FlaskClient, app: Flask,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    callback = resident.authorise(PERSONNUMMER)
    # An attacker copied the browser's cookies and the broker's answer before the resident came back: their
    # copy holds the same state, nonce and PKCE verifier, so only the broker's one-time code stands in the way.
    with client.session_transaction() as session:
        pending = {key: value for key, value in session.items() if key.startswith("_state_")}
    assert pending
    assert resident.back_to_portal(callback).status_code == 302
    assert len(logins()) == 1

    attacker = app.test_client()
    with attacker.session_transaction() as session:
        session.update(pending)
    parts = callback.split(PORTAL, 1)[1]
    with caplog.at_level(logging.WARNING):
        response = attacker.get(parts)
    assert "misslyckades" in refusal(response, status=400)
    assert "invalid_grant" in caplog.text
    assert not logged_in(attacker)
    assert len(logins()) == 1


@pytest.mark.parametrize(("change", "reason"), [
    ({"issued_seconds_ago": 3600}, "ExpiredTokenError"),
    ({"foreign_key": True}, "BadSignatureError"),
    ({"claims": {"iss": "http://127.0.0.1:1"}}, "InvalidClaimError iss"),
    ({"claims": {"aud": "another-client"}}, "InvalidClaimError aud"),
    ({"claims": {"aud": "another-client", "azp": "portal"}}, "InvalidClaimError aud"),
    ({"claims": {"nonce": "not-the-portals-nonce"}}, "InvalidClaimError nonce"),
], ids=["expired", "signature", "issuer", "audience", "audience-with-our-azp", "nonce"])
def test_an_id_token_that_fails_a_check_is_refused(resident: Resident, broker: Broker, app: Flask,
                                                   caplog: pytest.LogCaptureFixture, change: dict[str, Any],
                                                   reason: str) -> None:
    callback = resident.authorise(PERSONNUMMER)
    broker.change_next_id_token(**change)
    with caplog.at_level(logging.WARNING):
        response = resident.back_to_portal(callback)
    assert "misslyckades" in refusal(response, status=400)
    assert reason in caplog.text
    assert not logged_in(resident.client)
    assert logins() == []
    assert get_person_by_personnummer(PERSONNUMMER) is None


def test_an_answer_without_an_id_token_is_refused(resident: Resident, broker: Broker, app: Flask,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    """Without an ID token nothing the broker says is signed: the portal must not fall back on the userinfo
    endpoint (which the old code did, skipping every ID-token check)."""
    callback = resident.authorise(PERSONNUMMER)
    broker.change_next_id_token(without_id_token=True)
    with caplog.at_level(logging.WARNING):
        response = resident.back_to_portal(callback)
    assert "misslyckades" in refusal(response, status=400)
    assert "no id token" in caplog.text
    assert not logged_in(resident.client)
    assert logins() == []


def test_an_unchanged_id_token_signed_again_is_accepted(resident: Resident, broker: Broker, app: Flask) -> None:
    """The control for the checks above: the test broker's re-signing alone breaks nothing."""
    callback = resident.authorise(PERSONNUMMER)
    broker.change_next_id_token(claims={})
    assert resident.back_to_portal(callback).status_code == 302
    assert logged_in(resident.client)


def test_a_token_without_the_personnummer_is_refused_and_says_why(resident: Resident, broker: Broker,
                                                                  app: Flask) -> None:
    broker.add_account("no-number", claims={"name": "Test Testsson"}, acr=LOA + "loa3")
    response = resident.log_in("no-number", lang="en")
    message = refusal(response, status=403, lang="en")
    assert "personal identity number" in message
    assert not logged_in(resident.client)
    assert db.session.scalars(db.select(Person)).all() == []


@pytest.mark.parametrize("acr", [LOA + "loa2", LOA + "uncertified-loa3", "urn:example:unknown"])
def test_an_assurance_level_below_the_minimum_is_refused_in_the_residents_language(
        resident: Resident, broker: Broker, app: Flask, acr: str) -> None:
    broker.add_account("low", claims={"personal_identity_number": PERSONNUMMER}, acr=acr)
    response = resident.log_in("low", lang="en")
    message = refusal(response, status=403, lang="en")
    assert "level 3" in message
    assert not logged_in(resident.client)
    assert get_person_by_personnummer(PERSONNUMMER) is None
    assert logins() == []


def test_the_refusal_is_translated(client: FlaskClient, broker: Broker, app: Flask) -> None:
    broker.add_account("low", claims={"personal_identity_number": PERSONNUMMER}, acr=LOA + "loa2")
    swedish = refusal(Resident(client, broker).log_in("low", lang="sv"), status=403)
    arabic = refusal(Resident(client, broker).log_in("low", lang="ar"), status=403, lang="ar")
    assert "säkerhetsnivå 3" in swedish
    assert arabic != swedish and "3" in arabic


class TestConfiguredMinimum:
    @pytest.fixture
    def app_config(self, broker: Broker) -> dict[str, Any]:
        return {**broker.portal_config(), "OIDC_MIN_LOA": LOA + "loa4"}

    def test_loa3_is_refused_when_loa4_is_required(self, resident: Resident, app: Flask) -> None:
        message = refusal(resident.log_in(PERSONNUMMER, lang="en"), status=403, lang="en")
        assert "level 4" in message

    def test_loa4_is_let_in(self, resident: Resident, broker: Broker, app: Flask) -> None:
        broker.add_account("strong", claims={"personal_identity_number": PERSONNUMMER}, acr=LOA + "loa4")
        assert resident.log_in("strong").status_code == 302
        [event] = logins()
        assert event.detail == f"method=eid loa={LOA}loa4"


def test_cancelling_at_the_broker_shows_the_refusal_page(resident: Resident, broker: Broker, app: Flask) -> None:
    login_page = resident.at_broker(resident.start("sv"))
    uid = str(login_page.url).rsplit("/", 1)[-1]
    cancelled = resident.http.post(f"{broker.issuer}/interaction/{uid}/abort", allow_redirects=False, timeout=10)
    back = resident.at_broker(urljoin(broker.issuer, cancelled.headers["Location"]))
    assert query(str(back.url))["error"] == "access_denied"
    assert "misslyckades" in refusal(resident.back_to_portal(str(back.url)), status=400)
    assert not logged_in(resident.client)


def test_logout_ends_the_session_at_the_broker_too(resident: Resident, broker: Broker, app: Flask) -> None:
    assert resident.log_in(PERSONNUMMER).status_code == 302
    # While the broker's session lasts, a new login comes straight back without identifying again.
    again = resident.at_broker(resident.start("sv"))
    assert str(again.url).startswith(f"{PORTAL}/sv/logga-in/e-legitimation/klar?code=")

    token = csrf_token(resident.client, "/sv/")
    response = resident.client.post("/sv/logga-ut", data={"csrf_token": token})
    assert response.status_code == 302
    end_session = response.headers["Location"]
    assert end_session.startswith(broker.issuer + "/session/end?")
    params = query(end_session)
    assert params["client_id"] == broker.client_id
    assert params["post_logout_redirect_uri"] == f"{PORTAL}/sv/"
    assert not logged_in(resident.client), "the portal's own session ends before the broker is asked"

    confirm = resident.at_broker(end_session)
    form = BeautifulSoup(confirm.text, "html.parser").find("form")
    assert form is not None
    fields = {str(i["name"]): str(i.get("value", "")) for i in form.find_all("input") if i.get("name")}
    done = resident.http.post(urljoin(broker.issuer, str(form["action"])), data={**fields, "logout": "yes"},
                              allow_redirects=False, timeout=10)
    assert done.status_code in (302, 303)
    landing = resident.back_from_broker(urljoin(broker.issuer, done.headers["Location"]))
    assert landing.startswith(f"{PORTAL}/sv/?state=")
    page = resident.client.get(landing.split(PORTAL, 1)[1])
    assert "Du är utloggad." in page.get_data(as_text=True)

    # The broker's session is gone: the next login asks the resident to identify again.
    fresh = resident.at_broker(resident.start("sv"))
    assert fresh.status_code == 200 and str(fresh.url).startswith(broker.issuer + "/interaction/")


def test_assurance_levels_are_ranked() -> None:
    from portal.identity.oidc import loa_rank

    assert loa_rank(LOA + "loa4") > loa_rank(LOA + "loa3") > loa_rank(LOA + "loa2") > 0
    assert loa_rank(LOA + "eidas-sub") == loa_rank(LOA + "loa3")
    assert loa_rank(LOA + "uncertified-loa3") == loa_rank("urn:example:unknown") == loa_rank("") == 0


def test_production_refuses_a_minimum_it_cannot_rank() -> None:
    import secrets

    from portal import config

    settings = config.load({"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": secrets.token_hex(32),
                            "PORTAL_DEV_LOGIN": "off", "PORTAL_OIDC_MIN_LOA": "loa3"})
    with pytest.raises(config.ConfigError, match="PORTAL_OIDC_MIN_LOA"):
        config.check_safe(settings)
    assert config.load({})["OIDC_MIN_LOA"] == LOA + "loa3"
