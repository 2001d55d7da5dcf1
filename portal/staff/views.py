"""Staff login, logout and the staff home."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TypedDict, cast

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from portal import jobs, messages, search
from portal.clock import LOCAL_TZ
from portal.extensions import limiter
from portal.roles import Role, grants
from portal.security import current_role, current_staff, end_session, public, safe_next, staff_required, start_session
from portal.staff import mfa as second_factor
from portal.staff import service
from portal.staff.forms import CodeForm, NewPasswordForm, StaffLoginForm
from portal.staff.models import StaffUser
from portal.staff.nav import home_links

bp = Blueprint("staff", __name__, url_prefix="/staff", template_folder="templates")

# Warnings other areas put on the staff home (the booking area's capacity warning): each check returns
# (heading, text, link endpoint or None, link text) or None; the area registers it, so staff imports no area.
HomeWarning = tuple[str, str, str | None, str]
HOME_WARNINGS: dict[str, tuple[frozenset[Role], Callable[[Role], HomeWarning | None]]] = {}


def add_home_warning(name: str, roles: frozenset[Role], check: Callable[[Role], HomeWarning | None]) -> None:
    """Show a warning on the staff home to these roles whenever `check` returns one (registering again
    replaces)."""
    HOME_WARNINGS[name] = (roles, check)


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit("10 per minute", methods=["POST"])
def login() -> Response | str | tuple[str, int]:
    """Log in with e-mail and password; every failure gets the same answer."""
    form = StaffLoginForm(next=request.args.get("next", ""))
    if g.get("session_expired"):
        flash(messages.STAFF_SESSION_EXPIRED, "info")
    if form.validate_on_submit():
        result = service.authenticate(form.email.data or "", form.password.data or "", address=_address(),
                                      **_throttle_settings())
        if result.user is not None:
            target = safe_next(form.next.data, url_for(".home"))
            if current_app.config["STAFF_MFA"]:
                # Only half logged in: nothing but the second-factor pages until the code is given, for a few
                # minutes (PORTAL_STAFF_LOGIN_STEP_MINUTES, checked by portal.security.check_session).
                start_session(mfa_pending=result.user.id, mfa_version=result.user.session_version, mfa_next=target)
                return redirect(url_for(".mfa" if second_factor.is_enrolled(result.user) else ".mfa_enrol"))
            _finish_login(result.user)
            return redirect(target)
        form.password.errors = [messages.STAFF_LOGIN_FAILED]
        return render_template("staff/login.html", form=form), 401
    status = 400 if form.errors else 200
    return render_template("staff/login.html", form=form), status


def _address() -> str:
    """The client's address (the proxy's word for it only with PORTAL_TRUSTED_PROXIES)."""
    return (request.remote_addr or "")[:45]


class _ThrottleSettings(TypedDict):
    max_failures: int
    lock_minutes: int


def _throttle_settings() -> _ThrottleSettings:
    return {"max_failures": int(current_app.config["LOGIN_MAX_FAILURES"]),
            "lock_minutes": int(current_app.config["LOGIN_LOCK_MINUTES"])}


def _finish_login(user: StaffUser) -> None:
    """The session holds the account's id and the version of its rights and credentials, nothing else about it."""
    service.login_complete(user, _address())
    start_session(staff_id=user.id, staff_version=user.session_version)


def _pending_user() -> StaffUser | None:
    """The account whose password was given in this session, while it may still give its second factor."""
    user_id = session.get("mfa_pending")
    if not user_id:
        return None
    user = service.get_staff(int(user_id))
    if (user is None or not user.active or user.session_version != session.get("mfa_version")
            or service.is_locked(user, _address())):
        end_session()
        return None
    return user


def _code_failed(user: StaffUser) -> None:
    """A wrong code counts like a wrong password, for this account from this address."""
    service.code_failed(user, _address(), **_throttle_settings())


@bp.route("/login/kod", methods=["GET", "POST"])
@public
@limiter.limit("10 per minute", methods=["POST"])
def mfa() -> Response | str | tuple[str, int]:
    """The second step of login: a TOTP code or a recovery code."""
    user = _pending_user()
    if user is None or not second_factor.is_enrolled(user):
        return redirect(url_for(".login"))
    form = CodeForm()
    if form.validate_on_submit():
        if second_factor.verify(user, form.code.data or ""):
            target = session.get("mfa_next") or url_for(".home")
            _finish_login(user)
            return redirect(safe_next(target, url_for(".home")))
        _code_failed(user)
        form.code.errors = ["Koden stämmer inte. Försök igen med en ny kod."]
        return render_template("staff/mfa.html", form=form), 401
    return render_template("staff/mfa.html", form=form), 400 if form.errors else 200


@bp.route("/login/aktivera-kod", methods=["GET", "POST"])
@public
@limiter.limit("10 per minute", methods=["POST"])
def mfa_enrol() -> Response | str | tuple[str, int]:
    """First login: connect an authenticator app with a QR code, confirm with a code, get recovery codes."""
    user = _pending_user()
    if user is None:
        return redirect(url_for(".login"))
    if second_factor.is_enrolled(user):
        return redirect(url_for(".mfa"))
    secret = session.get("mfa_secret") or second_factor.new_secret()
    session["mfa_secret"] = secret
    form = CodeForm()
    if form.validate_on_submit():
        codes = second_factor.enrol(user, secret, form.code.data or "")
        if codes is not None:
            target = session.get("mfa_next") or url_for(".home")
            _finish_login(user)
            return render_template("staff/recovery_codes.html", codes=codes, target=target)
        _code_failed(user)
        form.code.errors = ["Koden stämmer inte. Kontrollera att appen visar koden för det här kontot."]
    uri = second_factor.provisioning_uri(secret, user.email)
    return render_template("staff/mfa_enrol.html", form=form, qr=second_factor.qr_svg_data_uri(uri), secret=secret), (
        400 if form.errors else 200)


@bp.route("/logout", methods=["POST"])
@public
def logout() -> Response:
    """End the staff session, in the store too: a copy of the cookie opens nothing afterwards."""
    end_session()
    flash(messages.STAFF_LOGGED_OUT, "info")
    return redirect(url_for(".login"))


@bp.route("/")
@staff_required()
def home() -> str:
    """The staff home: what this role works with."""
    role = current_role()
    assert role is not None  # staff_required
    links = [(link.endpoint, link.label) for link in home_links(role)]
    # Those who can act on it see when the reception's free times run short before the open deadlines.
    warnings = [warning for roles, check in HOME_WARNINGS.values()
                if grants(role, roles) and (warning := check(role)) is not None]
    return render_template("staff/home.html", role=role, links=links, jobs=jobs.job_overview(),
                           warnings=warnings, local=lambda at: at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M"),
                           every=_every)


def _every(interval: timedelta) -> str:
    minutes = int(interval.total_seconds() // 60)
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return "varje dag" if days == 1 else f"var {days}:e dag"
    if minutes % 60 == 0:
        return "varje timme" if minutes == 60 else f"var {minutes // 60}:e timme"
    return f"var {minutes}:e minut"


@bp.route("/sok")
@staff_required()
def search_page() -> str:
    """The staff search's results: every area this role may open, need-to-know applied; the search is logged."""
    # The account security loaded is this area's StaffUser (the app factory hands it get_staff).
    user = cast("StaffUser | None", current_staff())
    text = request.args.get("q", "")
    results = search.search(text, user) if user is not None and text.strip() else None
    return render_template("staff/search.html", text=text, results=results)



@bp.route("/nytt-losenord/<token>", methods=["GET", "POST"])
@public
@limiter.limit("10 per minute", methods=["POST"])
def set_password(token: str) -> Response | str | tuple[str, int]:
    """The one-time link from a password reset: the person sets their own new password, then logs in."""
    if service.user_for_reset_token(token) is None:
        return render_template("staff/set_password.html", form=None), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            service.set_password_with_token(token, form.password.data or "")
        except service.StaffError as error:
            form.password.errors = [str(error)]
            return render_template("staff/set_password.html", form=form), 400
        end_session()
        flash("Lösenordet är sparat. Logga in med det nya lösenordet.", "info")
        return redirect(url_for(".login"))
    return render_template("staff/set_password.html", form=form), 400 if form.errors else 200
