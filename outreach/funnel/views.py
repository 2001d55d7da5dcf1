"""Staff pages of the funnel: register returned letters one after another, confirm a doubtful address.
Swedish only (DESIGN.md §5)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from outreach.funnel import returns
from outreach.notices.service import get_notice
from portal.forms import BaseForm
from portal.security import current_role, staff_required
from portal.staff.models import Role

bp = Blueprint("funnel", __name__, url_prefix="/staff/retur", template_folder="templates")
REGISTRARS = (Role.RECEPTION, Role.OUTREACH)


class ReturnForm(BaseForm):
    """One returned letter: the scanner types the QR code's address and Enter, or staff type the code."""

    scanned = StringField("QR-kod, kod eller brevnummer", validators=[
        InputRequired(message="Skanna QR-koden eller skriv brevets kod eller nummer."),
        Length(max=300, message="Det är för långt för en kod: skanna QR-koden igen.")])


class ConfirmForm(BaseForm):
    """A button that confirms the address; CSRF only."""


def _page(form: ReturnForm, status: int = 200) -> tuple[str, int]:
    staff_id = int(session["staff_id"])
    return render_template("funnel/returns.html", form=form, registered=returns.list_registered_today(staff_id),
                           may_open=current_role() == Role.OUTREACH), status


@bp.route("/", methods=["GET", "POST"])
@staff_required(*REGISTRARS)
def register_page() -> Response | tuple[str, int]:
    """Register returned letters, many in a row: the field has focus again after each."""
    form = ReturnForm()
    if not form.validate_on_submit():
        return _page(form, 400 if form.is_submitted() else 200)
    try:
        done = returns.register_return(form.scanned.data or "", staff_id=int(session["staff_id"]))
    except returns.ReturnError as error:
        form.scanned.errors = [str(error)]
        return _page(form, 400)
    if done.already:
        flash(f"Brev {done.letter_id} ({done.reference}) var redan registrerat som retur. Inget ändrades.", "info")
    else:
        flash(f"Brev {done.letter_id} ({done.reference}) är registrerat som retur"
              f"{': uppgift skapad för uppsökare' if done.task else ''}.", "success")
    return redirect(url_for(".register_page"))


@bp.route("/adress/<int:notice_id>", methods=["POST"])
@staff_required(Role.OUTREACH)
def confirm_address(notice_id: int) -> Response:
    """Staff confirmed the address a letter came back from: the letters held for it go to print."""
    notice = get_notice(notice_id)
    if notice is None:
        abort(404)
    released = returns.confirm_address(notice, staff_id=int(session["staff_id"]))
    flash(f"Adressen är bekräftad. {released} brev släpptes till utskrift.", "success")
    return redirect(url_for("outreach.notice_page", notice_id=notice_id))
