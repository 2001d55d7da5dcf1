"""Reception writes to a resident about their application (from the intake item's page)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, session, url_for
from werkzeug.wrappers import Response
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from portal.applications import messages
from portal.applications.service import intake_item_of
from portal.forms import BaseForm
from portal.roles import Role
from portal.security import staff_required
from portal.staff.service import get_staff

bp = Blueprint("staff_messages", __name__)


STAFF_ERRORS = {
    "empty": "Skriv meddelandet.",
    "too_long": f"Skriv högst {messages.MAX_LENGTH} tecken.",
    "draft": "Meddelandet kunde inte skickas: ansökan är inte inskickad.",
}


class StaffMessageForm(BaseForm):
    """Staff's message to the resident (staff pages are Swedish only)."""

    body = TextAreaField("Meddelande till den sökande",
                         description="Den sökande läser det när hen loggar in och får ett e-postmeddelande om att "
                                     "det finns något nytt (utan innehållet).",
                         validators=[DataRequired("Skriv meddelandet."),
                                     Length(max=messages.MAX_LENGTH,
                                            message=f"Skriv högst {messages.MAX_LENGTH} tecken.")])


@bp.route("/staff/ansokan/<int:application_id>/meddelande", methods=["POST"])
@staff_required(Role.RECEPTION)
def send(application_id: int) -> Response:
    """Send a message to the resident and go back to the intake item."""
    item_id = intake_item_of(application_id)
    staff = get_staff(int(session["staff_id"]))
    if item_id is None or staff is None:
        abort(404)
    form = StaffMessageForm()
    if form.validate_on_submit():
        try:
            messages.send_from_staff(application_id, staff=staff, body=form.body.data or "")
        except messages.MessageError as error:
            flash(STAFF_ERRORS.get(error.code, "Meddelandet kunde inte skickas."), "error")
        else:
            flash("Meddelandet är skickat till den sökande.", "success")
    else:
        flash(next(iter(form.body.errors), "Skriv meddelandet."), "error")
    return redirect(url_for("staff_intake.item_page", item_id=item_id) + "#meddelanden")
