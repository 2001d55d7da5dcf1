"""Resident login and logout pages."""

from __future__ import annotations

import requests
from authlib.integrations.base_client.errors import OAuthError
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from joserfc.errors import JoseError
from werkzeug.wrappers import Response

from portal import messages
from portal.extensions import limiter
from portal.i18n import add_lang, current_language, pull_lang
from portal.identity import oidc
from portal.identity.forms import DevelopmentLoginForm
from portal.identity.service import (
    DevelopmentLoginRefused,
    Identification,
    Method,
    check_development_login_allowed,
    login_resident,
)
from portal.personnummer import InvalidIdentityNumber
from portal.security import end_session, public, safe_next, start_session

bp = Blueprint("identity", __name__, url_prefix="/<lang>", template_folder="templates")
bp.url_value_preprocessor(pull_lang)
bp.url_defaults(add_lang)


def _dev_login_available() -> bool:
    return bool(current_app.config["DEVELOPMENT"] and current_app.config["DEV_LOGIN"])


def _after_login() -> str:
    return url_for("public.start")


@bp.route("/logga-in")
@public
def login() -> str:
    """Choose how to log in: e-ID, or in development the test login."""
    form = DevelopmentLoginForm(next=request.args.get("next", ""))
    return render_template("identity/login.html", form=form, eid=oidc.client() is not None,
                           dev_login=_dev_login_available())


@bp.route("/logga-in/utveckling", methods=["POST"])
@public
@limiter.limit("20 per minute")
def development_login() -> Response | tuple[str, int]:
    """The development login; the server itself refuses it outside development."""
    try:
        check_development_login_allowed(development=current_app.config["DEVELOPMENT"],
                                         enabled=current_app.config["DEV_LOGIN"])
    except DevelopmentLoginRefused:
        abort(403)
    form = DevelopmentLoginForm()
    if not form.validate_on_submit():
        return render_template("identity/login.html", form=form, eid=oidc.client() is not None,
                               dev_login=True), 400
    person = login_resident(Identification(personnummer=form.personnummer.data or "", assurance_level="test",
                                           method=Method.DEVELOPMENT), language=current_language())
    start_session(person_id=person.id)
    return redirect(safe_next(form.next.data, _after_login()))


@bp.route("/logga-in/e-legitimation")
@public
@limiter.limit("20 per minute")
def eid_start() -> Response:
    """Send the resident to the e-ID broker (state, nonce and PKCE are kept in the session for the answer)."""
    client = oidc.client()
    if client is None:
        flash(str(messages.EID_UNAVAILABLE), "error")
        return redirect(url_for(".login"))
    session["login_next"] = safe_next(request.args.get("next"), _after_login())
    return client.authorize_redirect(url_for(".eid_callback", _external=True),
                                     acr_values=current_app.config["OIDC_MIN_LOA"], ui_locales=current_language())


def _refused(reason: str, message: str, status: int) -> tuple[str, int]:
    """The page that says why the e-ID login did not let the resident in."""
    current_app.logger.warning("e-ID login refused: %s", reason)
    session.pop("login_next", None)
    return render_template("identity/eid_refused.html", message=message), status


@bp.route("/logga-in/e-legitimation/klar")
@public
def eid_callback() -> Response | tuple[str, int]:
    """Receive the broker's answer and log the resident in with the personnummer claim of the checked ID token."""
    client = oidc.client()
    if client is None:
        abort(404)
    try:
        # Checks state (single use), exchanges the code with the PKCE verifier, and checks the ID token's
        # signature, issuer, audience, nonce, expiry and issue time.
        token = client.authorize_access_token(claims_options=oidc.id_token_claims_options())
    except OAuthError as error:
        return _refused(f"{type(error).__name__} {error.error}", str(messages.EID_FAILED), 400)
    except JoseError as error:
        claim = getattr(error, "claim", "")
        return _refused(f"id token: {type(error).__name__} {claim}".rstrip(), str(messages.EID_FAILED), 400)
    except (requests.RequestException, ValueError) as error:
        return _refused(f"broker: {type(error).__name__}", str(messages.EID_FAILED), 400)
    claims = token.get("userinfo")
    if not claims:
        return _refused("no id token", str(messages.EID_FAILED), 400)
    found = oidc.claims_to_identification(
        dict(claims), personnummer_claim=current_app.config["OIDC_PERSONNUMMER_CLAIM"],
        loa_claim=current_app.config["OIDC_LOA_CLAIM"])
    if not found.personnummer:
        return _refused("no personnummer claim", str(messages.EID_NO_PERSONNUMMER), 403)
    minimum = current_app.config["OIDC_MIN_LOA"]
    if oidc.loa_rank(found.loa) < oidc.loa_rank(minimum):
        return _refused(f"assurance level {found.loa or 'missing'} below {minimum}",
                        str(messages.EID_LOA_TOO_LOW) % {"level": oidc.loa_rank(minimum)}, 403)
    try:
        person = login_resident(Identification(personnummer=found.personnummer, assurance_level=found.loa,
                                               method=Method.EID), language=current_language())
    except InvalidIdentityNumber:
        return _refused("personnummer claim is not a valid personnummer", str(messages.EID_FAILED), 400)
    target = session.pop("login_next", None)
    start_session(person_id=person.id, login_method=Method.EID.value)
    return redirect(safe_next(target, _after_login()))


@bp.route("/logga-ut", methods=["POST"])
@public
def logout() -> Response:
    """End the resident's session (in the store too: a copy of the cookie opens nothing afterwards); after an e-ID
    login, end the session at the broker too (RP-initiated logout)."""
    language = current_language()
    at_broker = session.get("login_method") == Method.EID.value
    end_session()
    session["language"] = language
    flash(str(messages.LOGGED_OUT), "info")
    if at_broker:
        try:
            broker_logout = oidc.end_session_url(post_logout_redirect_uri=url_for("public.start", _external=True),
                                                 ui_locales=language)
        except requests.RequestException as error:
            current_app.logger.warning("e-ID broker unreachable for logout: %s", type(error).__name__)
            broker_logout = None
        if broker_logout:
            return redirect(broker_logout)
    return redirect(url_for("public.start"))
