"""What the intake queue's staff pages share: the blueprint, the logged-in staff member and the Swedish labels.

The pages themselves are in portal.intake.views (queue, item, actions) and portal.intake.meeting_views (the
intake meeting and the caseworker's own items); both add their routes to this blueprint.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, session

from portal import interpreter
from portal.intake import deadlines
from portal.intake import labels as labels_module
from portal.intake.forms import LANGUAGE_NAMES
from portal.intake.models import IntakeItem
from portal.roles import Role
from portal.staff.models import StaffUser
from portal.staff.service import get_staff

bp = Blueprint("staff_intake", __name__, url_prefix="/staff/intag", template_folder="templates")

RECEPTION = Role.RECEPTION  # a coordinator may do everything reception may


def current_staff() -> StaffUser:
    """The logged-in staff member (the decorator has checked the session)."""
    user = get_staff(int(session["staff_id"]))
    if user is None:
        abort(403)
    return user


def _urgent(item: IntakeItem, today: date) -> bool:
    return deadlines.is_urgent(legal_deadline=item.legal_deadline, state=item.state, today=today,
                               urgent_days=current_app.config.get("OUTREACH_URGENT_WORKING_DAYS", 5))


def labels() -> dict[str, object]:
    """The Swedish labels every intake template uses."""
    return {"state_labels": labels_module.STATE_LABELS, "source_labels": labels_module.SOURCE_LABELS,
            "urgency_labels": labels_module.URGENCY_LABELS, "deadline_labels": deadlines.DEADLINE_LABELS,
            "deadline_state": deadlines.state_on, "no_deadline": deadlines.NO_DEADLINE, "urgent": _urgent,
            "time_left": deadlines.time_left,
            "language_names": LANGUAGE_NAMES, "event_labels": labels_module.EVENT_LABELS,
            "interpreter_of": interpreter.for_item}
