"""Staff accounts for administrators: deactivate and reactivate, change role, reset password or second factor.

Every change is audit-logged and ends all the account's sessions at once (portal.staff.service)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from portal import audit
from portal.roles import ROLE_LABELS, Role
from portal.security import current_staff, staff_required
from portal.staff import service
from portal.staff.forms import ActionForm, RoleForm
from portal.staff.models import StaffUser

bp = Blueprint("staff_accounts", __name__, url_prefix="/staff/konton", template_folder="templates")


def _actor() -> service.Actor:
    user = current_staff()
    assert user is not None  # staff_required
    return ("staff", user.id, user.email)


def _account(user_id: int) -> StaffUser:
    user = service.get_staff(user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/")
@staff_required(Role.ADMIN)
def list_page() -> str:
    """Every staff account with its role, state and second factor."""
    accounts = service.list_staff()
    audit.record_read("staff.accounts_list", person_id=None, object_type="staff_user", object_id="all",
                      detail=f"{len(accounts)} konton")
    return render_template("staff/accounts.html", accounts=accounts, action_form=ActionForm(),
                           roles=list(ROLE_LABELS.items()))


def _done(message: str) -> Response:
    flash(message, "info")
    return redirect(url_for(".list_page"))


def _refused(error: service.StaffError) -> Response:
    flash(str(error), "error")
    return redirect(url_for(".list_page"))


@bp.route("/<int:user_id>/inaktivera", methods=["POST"])
@staff_required(Role.ADMIN)
def deactivate(user_id: int) -> Response:
    """The account can no longer log in; its sessions end now."""
    user = _account(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        service.deactivate(user, actor=_actor())
    except service.StaffError as error:
        return _refused(error)
    return _done(f"{user.name} är inaktiverad och utloggad.")


@bp.route("/<int:user_id>/aktivera", methods=["POST"])
@staff_required(Role.ADMIN)
def activate(user_id: int) -> Response:
    """The account may log in again."""
    user = _account(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    service.activate(user, actor=_actor())
    return _done(f"{user.name} är aktiverad igen.")


@bp.route("/<int:user_id>/roll", methods=["POST"])
@staff_required(Role.ADMIN)
def set_role(user_id: int) -> Response:
    """Another role; the account's sessions end, so the new role applies from its next login."""
    user = _account(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.set_role(user, Role(form.role.data), actor=_actor())
    except service.StaffError as error:
        return _refused(error)
    return _done(f"{user.name} har nu rollen {ROLE_LABELS[Role(form.role.data)]} och är utloggad.")


@bp.route("/<int:user_id>/nytt-losenord", methods=["POST"])
@staff_required(Role.ADMIN)
def reset_password(user_id: int) -> str:
    """The old password stops working and the sessions end; the person sets a new one with a one-time link."""
    user = _account(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    token = service.reset_password(user, actor=_actor(), valid_hours=current_app.config["PASSWORD_RESET_HOURS"])
    link = current_app.config["BASE_URL"] + url_for("staff.set_password", token=token)
    return render_template("staff/reset_link.html", user=user, link=link,
                           hours=current_app.config["PASSWORD_RESET_HOURS"])


@bp.route("/<int:user_id>/ny-kod", methods=["POST"])
@staff_required(Role.ADMIN)
def reset_mfa(user_id: int) -> Response:
    """The second factor and recovery codes are removed; the next login connects a new app. Sessions end."""
    user = _account(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    service.reset_mfa(user, actor=_actor())
    return _done(f"{user.name}s andra faktor är borttagen; vid nästa inloggning kopplas en ny app.")
