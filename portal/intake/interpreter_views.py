"""The interpreter need on an intake item's page: staff record what they learnt (held on the person)."""

from __future__ import annotations

from flask import abort, flash, redirect, session, url_for
from werkzeug.wrappers import Response

from portal import interpreter
from portal.intake import service
from portal.intake.access import may_see
from portal.intake.forms import InterpreterForm
from portal.intake.pages import RECEPTION, bp, current_staff
from portal.roles import Role
from portal.security import current_role, staff_required


@bp.route("/<int:item_id>/tolk", methods=["POST"])
@staff_required(RECEPTION, Role.CASEWORKER)
def set_interpreter(item_id: int) -> Response:
    """Record the person's interpreter need (audit-logged; shown on their timeline)."""
    item = service.get_item(item_id)
    if item is None or not may_see(item, role=current_role(), staff_id=int(session["staff_id"])):
        abort(404)
    form = InterpreterForm().fill(item.person)
    if not form.validate_on_submit():
        flash(" ".join(error for errors in form.errors.values() for error in errors), "error")
    else:
        try:
            changed = service.set_interpreter(item_id, staff=current_staff(),
                                              needed=interpreter.parse_choice(form.needed.data or ""),
                                              language=form.language.data or None)
        except interpreter.InterpreterError as error:
            flash(str(error), "error")
        else:
            flash("Tolkbehovet är sparat." if changed else "Tolkbehovet var redan det du valde.", "success")
    return redirect(url_for(".item_page", item_id=item_id))
