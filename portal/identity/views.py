"""Resident login and logout pages."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
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
    """Send the resident to the e-ID broker."""
    client = oidc.client()
    if client is None:
        flash(str(messages.EID_UNAVAILABLE), "error")
        return redirect(url_for(".login"))
    session["login_next"] = safe_next(request.args.get("next"), _after_login())
    return client.authorize_redirect(url_for(".eid_callback", _external=True))


@bp.route("/logga-in/e-legitimation/klar")
@public
def eid_callback() -> Response:
    """Receive the broker's answer and log the resident in with the personnummer claim."""
    client = oidc.client()
    if client is None:
        abort(404)
    try:
        token = client.authorize_access_token()
        claims = token.get("userinfo") or client.userinfo()
        number, loa = oidc.claims_to_identification(
            dict(claims), personnummer_claim=current_app.config["OIDC_PERSONNUMMER_CLAIM"],
            loa_claim=current_app.config["OIDC_LOA_CLAIM"])
        person = login_resident(Identification(personnummer=number, assurance_level=loa, method=Method.EID),
                                language=current_language())
    except (InvalidIdentityNumber, ValueError, KeyError) as error:
        current_app.logger.warning("e-ID login failed: %s", type(error).__name__)
        flash(str(messages.EID_FAILED), "error")
        return redirect(url_for(".login"))
    target = session.pop("login_next", None)
    start_session(person_id=person.id)
    return redirect(safe_next(target, _after_login()))


@bp.route("/logga-ut", methods=["POST"])
@public
def logout() -> Response:
    """End the resident's session, in the store too: a copy of the cookie opens nothing afterwards."""
    language = current_language()
    end_session()
    session["language"] = language
    flash(str(messages.LOGGED_OUT), "info")
    return redirect(url_for("public.start"))
