"""The page after sending an application where a person new to the unit picks their first time at the
reception (portal.booking.first_visit); thin routes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Flask, abort, flash, redirect, render_template, session, url_for
from flask_babel import format_date, format_time
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response
from wtforms import RadioField, SubmitField
from wtforms.validators import Optional

from portal.applications.models import Application, Status
from portal.applications.service import get_application_for_resident
from portal.booking import first_visit
from portal.booking.links import code_url, short_url
from portal.forms import BaseForm
from portal.i18n import add_lang, current_language, pull_lang
from portal.security import resident_required

bp = Blueprint("first_visit", __name__, url_prefix="/<lang>/ansokan", template_folder="templates")
bp.url_value_preprocessor(pull_lang)
bp.url_defaults(add_lang)


# A first time is offered while the application waits for a decision, not after it.
OPEN = frozenset({Status.SUBMITTED, Status.DOCUMENTS_COMPLETE})


class FirstVisitForm(BaseForm):
    """A free time (the first one is chosen already), or "not now"."""

    starts_at = RadioField(_l("Välj en tid"), validators=[Optional()], choices=[], validate_choice=False)
    later = SubmitField(_l("Inte nu, mottagningen hör av sig"))


def _times() -> list[tuple[str, list[tuple[str, str]]]]:
    """Free times grouped by day, as (day label, [(value, time label)]), in the page's language."""
    return [(format_date(day, "full"), [(start.isoformat(), format_time(start, "HH:mm")) for start in starts])
            for day, starts in first_visit.free_times()]


def _own(application_id: int) -> Application:
    application = get_application_for_resident(application_id, int(session["person_id"]))
    if application is None:
        abort(404)
    return application


@bp.route("/<int:application_id>/forsta-tid", methods=["GET", "POST"])
@resident_required
def choose(application_id: int) -> Response | str | tuple[str, int]:
    """Pick the first time at the reception, or leave it to reception; then the receipt."""
    application = _own(application_id)
    receipt = url_for("applications.receipt_page", application_id=application.id)
    if application.status == Status.DRAFT:
        return redirect(url_for("applications.review", application_id=application.id))
    person_id = int(session["person_id"])
    if application.status not in OPEN or not first_visit.may_choose(person_id, application.intake_item_id):
        return redirect(receipt)
    times = _times()
    form = FirstVisitForm()
    if not times:
        return redirect(receipt)
    if form.validate_on_submit():
        if form.later.data:
            return redirect(receipt)
        try:
            chosen = datetime.fromisoformat(form.starts_at.data or times[0][1][0][0])
            assert application.intake_item_id is not None
            first_visit.book(person_id, application.intake_item_id, chosen)
        except (ValueError, first_visit.TimeTaken):
            form.starts_at.errors = [_("Den tiden går inte att boka längre. Välj en annan tid.")]
            return render_template("booking/first_visit.html", form=form, times=_times(),
                                   application=application), 409
        except first_visit.AlreadyBooked:
            return redirect(receipt)
        flash(_("Din tid är bokad."), "success")
        return redirect(receipt)
    if not form.starts_at.data:
        form.starts_at.data = times[0][1][0][0]  # the first free time, proposed
    return render_template("booking/first_visit.html", form=form, times=times, application=application), (
        400 if form.errors else 200)


def next_page(application: Application, person_id: int) -> str | None:
    """Where sending an application leads: the choice of a first time, for a person new to the unit while
    there are free times (applications' submit asks through portal.applications.after_submit)."""
    if first_visit.may_choose(person_id, application.intake_item_id) and first_visit.free_times():
        return url_for("first_visit.choose", application_id=application.id)
    return None


def _template_helpers() -> dict[str, Any]:
    def first_visit_of(application: Application) -> dict[str, Any] | None:
        """The booked first time for the receipt and status pages: when, the code and where to use it."""
        visit = first_visit.current(application.intake_item_id)
        if visit is None:
            return None
        lang = current_language()
        return {"day": format_date(visit.starts_at, "full"), "time": format_time(visit.starts_at, "HH:mm"),
                "code": visit.code, "short_url": short_url(),
                "code_url": code_url(visit.code, lang) if visit.code else None,
                "ics_url": url_for("rebooking.calendar_file", code=visit.code) if visit.code else None}

    def may_choose_first_visit(application: Application) -> bool:
        person_id = session.get("person_id")
        return (person_id is not None and application.status in OPEN
                and first_visit.may_choose(int(person_id), application.intake_item_id))

    return {"first_visit_of": first_visit_of, "may_choose_first_visit": may_choose_first_visit}


def init_app(app: Flask) -> None:
    """The page, the step after sending, and the helpers the receipt and status templates use."""
    from portal.applications.after_submit import add_next_page

    app.register_blueprint(bp)
    add_next_page(app, next_page)
    app.context_processor(_template_helpers)
