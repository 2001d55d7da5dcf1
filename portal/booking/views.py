"""The rebooking page: with the code from the letter, see the time and place, move it, cancel it, or save it.

No e-ID and no personal data: the page shows only the time and the place, never a name or a reason, because
anyone holding the letter can open it. Codes are hashed, expire after the appointment, and attempts are limited.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import format_date, format_time
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.booking import opening_hours, service
from portal.booking.forms import NO_SUCH_CODE, CancelForm, CodeForm, MoveForm
from portal.booking.models import Booking, BookingStatus
from portal.extensions import limiter
from portal.i18n import add_lang, pull_lang, select_locale
from portal.security import public

bp = Blueprint("rebooking", __name__, url_prefix="/<lang>/tid", template_folder="templates")
bp.url_value_preprocessor(pull_lang)
bp.url_defaults(add_lang)
short = Blueprint("rebooking_short", __name__)

# Per address: a person needs a handful of tries; guessing a 50-bit code needs billions.
ATTEMPTS = "20 per minute;100 per day"


@short.route("/tid")
@public
def short_entry() -> Response:
    """The short address printed in letters, in the best language the browser asks for."""
    return redirect(url_for("rebooking.enter", lang=select_locale()))


def _booking_or_404(code: str) -> Booking:
    booking = service.get_booking_by_code(code)
    if booking is None:
        abort(404)
    return booking


def _times(booking: Booking) -> list[tuple[str, list[tuple[str, str]]]]:
    """Free times grouped by day, as (day label, [(value, time label)]), in the page's language."""
    return [(format_date(day, "full"), [(start.isoformat(), format_time(start, "HH:mm")) for start in starts])
            for day, starts in opening_hours.offered_times(exclude=booking.id)]


def _page(booking: Booking, form: MoveForm, cancel_form: CancelForm, code: str) -> str:
    return render_template("booking/show.html", booking=booking, form=form, times=_times(booking),
                           cancel_form=cancel_form, code=code,
                           unscheduled=booking.status == BookingStatus.UNSCHEDULED,
                           when_day=format_date(booking.starts_at, "full"),
                           when_time=format_time(booking.starts_at, "HH:mm"))


@bp.route("/", methods=["GET", "POST"])
@public
@limiter.limit(ATTEMPTS, methods=["POST"])
def enter() -> Response | str | tuple[str, int]:
    """Type the code from the letter."""
    form = CodeForm()
    if form.validate_on_submit():
        if service.get_booking_by_code(form.code.data or "") is not None:
            return redirect(url_for(".show", code=service.normalise_code(form.code.data or "")))
        form.code.errors = [str(NO_SUCH_CODE)]
        return render_template("booking/enter.html", form=form), 404
    return render_template("booking/enter.html", form=form)


@bp.route("/<code>", methods=["GET", "POST"])
@public
@limiter.limit(ATTEMPTS)
def show(code: str) -> Response | str | tuple[str, int]:
    """The booked time and place, and other free times to choose from."""
    booking = _booking_or_404(code)
    form = MoveForm()
    if form.validate_on_submit():
        try:
            chosen = datetime.fromisoformat(form.starts_at.data or "")
            service.move_booking(booking.id, chosen, actor="ombokning med kod")
        except (ValueError, opening_hours.BookingError):
            form.starts_at.errors = [_("Den tiden går inte att boka längre. Välj en annan tid.")]
            return _page(booking, form, CancelForm(), code), 409
        flash(_("Klart! Din nya tid är bokad."), "success")
        return redirect(url_for(".show", code=code))
    return _page(booking, form, CancelForm(), code), 400 if form.errors else 200


@bp.route("/<code>/avboka", methods=["POST"])
@public
@limiter.limit(ATTEMPTS)
def cancel(code: str) -> Response | str | tuple[str, int]:
    """Cancel the time (a tick confirms it); the page then says how to get a new one."""
    booking = _booking_or_404(code)
    form = CancelForm()
    if booking.status != BookingStatus.BOOKED:
        return redirect(url_for(".show", code=code))
    if not form.validate_on_submit():
        return _page(booking, MoveForm(), form, code), 400
    service.cancel_online(booking.id, actor="avbokning med kod")
    return redirect(url_for(".cancelled"))


@bp.route("/avbokad")
@public
def cancelled() -> str:
    """After cancelling: how to get a new time."""
    return render_template("booking/cancelled.html")


@bp.route("/<code>/kalender.ics")
@public
@limiter.limit(ATTEMPTS)
def calendar_file(code: str) -> Response:
    """The time as a calendar file: time and place only."""
    booking = _booking_or_404(code)
    if booking.status != BookingStatus.BOOKED:
        abort(404)
    data = service.booking_ics(booking, summary=_("Besök hos socialtjänstens mottagning"),
                               location=current_app.config["RECEPTION_ADDRESS"],
                               uid_domain=urlsplit(current_app.config["BASE_URL"]).hostname or "portal")
    return Response(data, mimetype="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="mottagningen.ics"'})
