"""Staff login, logout and the staff home."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from portal import messages
from portal.extensions import limiter
from portal.security import public, safe_next, staff_required, start_session
from portal.staff import service
from portal.staff.forms import StaffLoginForm
from portal.staff.models import Role, grants

bp = Blueprint("staff", __name__, url_prefix="/staff", template_folder="templates")

# What each role finds on its home page; areas add their links here when they register.
HOME_LINKS: list[tuple[frozenset[Role], str, str]] = []


def add_home_link(roles: frozenset[Role], endpoint: str, label: str) -> None:
    """Let an area put a link on the staff home for the roles that may use it."""
    HOME_LINKS.append((roles, endpoint, label))


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit("10 per minute", methods=["POST"])
def login() -> Response | str | tuple[str, int]:
    """Log in with e-mail and password; every failure gets the same answer."""
    form = StaffLoginForm(next=request.args.get("next", ""))
    if g.get("session_expired"):
        flash(messages.STAFF_SESSION_EXPIRED, "info")
    if form.validate_on_submit():
        result = service.authenticate(form.email.data or "", form.password.data or "",
                                      max_failures=current_app.config["LOGIN_MAX_FAILURES"],
                                      lock_minutes=current_app.config["LOGIN_LOCK_MINUTES"])
        if result.user is not None:
            start_session(staff_id=result.user.id, staff_role=result.user.role, staff_email=result.user.email,
                          staff_name=result.user.name)
            return redirect(safe_next(form.next.data, url_for(".home")))
        form.password.errors = [messages.STAFF_LOGIN_FAILED]
        return render_template("staff/login.html", form=form), 401
    status = 400 if form.errors else 200
    return render_template("staff/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@public
def logout() -> Response:
    """End the staff session."""
    session.clear()
    flash(messages.STAFF_LOGGED_OUT, "info")
    return redirect(url_for(".login"))


@bp.route("/")
@staff_required()
def home() -> str:
    """The staff home: what this role works with."""
    role = Role(session["staff_role"])
    links = [(endpoint, label) for roles, endpoint, label in HOME_LINKS if grants(role, roles)]
    return render_template("staff/home.html", role=role, links=links)
