"""The reception's calendar for staff: a day's bookings, booking a first appointment for an intake item,
marking attended or no-show, and (administrators) opening hours and closed days. Swedish only (DESIGN.md §5)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import format_date, format_time
from werkzeug.wrappers import Response

from portal import clock, interpreter
from portal.booking import capacity, day_list, first_visit, opening_hours, service
from portal.booking.first_appointment import book_first_appointment
from portal.booking.forms import (
    WEEKDAY_FIELDS,
    ClosedDayForm,
    ExtraTimesForm,
    SettingsForm,
    StaffBookForm,
    StaffStatusForm,
)
from portal.booking.labels import PURPOSE_LABELS, STATUS_LABELS
from portal.intake import service as intake_service
from portal.intake.forms import LANGUAGE_NAMES
from portal.roles import Role
from portal.security import staff_required
from portal.staff.service import get_staff
from portal.staff.views import add_home_warning


def _capacity_warning(role: Role) -> tuple[str, str, str | None, str] | None:
    """The staff home's warning when the reception's free times run short before the open deadlines."""
    view = capacity.outlook()
    if not view.warning:
        return None
    if role == Role.ADMIN:
        return ("Mottagningens lediga tider räcker inte", view.summary(), "staff_booking.settings_page",
                "Se veckorna och lägg till extra tider")
    return ("Mottagningens lediga tider räcker inte", view.summary(), None,
            "En administratör kan lägga till extra tider.")


add_home_warning("capacity", frozenset({Role.ADMIN, Role.RECEPTION, Role.OUTREACH}), _capacity_warning)

bp = Blueprint("staff_booking", __name__, url_prefix="/staff/mottagning", template_folder="templates")

ACTIONS = {"attended": service.mark_attended, "no_show": service.mark_no_show, "cancel": service.cancel_booking}


def _actor() -> str:
    return intake_service.staff_label(get_staff(int(session["staff_id"])))


def _day_arg() -> date:
    try:
        return date.fromisoformat(request.args.get("dag", ""))
    except ValueError:
        return clock.local_today()


@bp.route("/")
@staff_required(Role.RECEPTION, Role.OUTREACH)
def day_page() -> str:
    """One day's bookings with who is coming (the read of names is audit-logged)."""
    day = _day_arg()
    listed = day_list.read_day(day)
    closed = opening_hours.closed_day(day)
    return render_template("booking/staff_day.html", day=day, bookings=listed.bookings, items=listed.items,
                           day_label=format_date(day, "full"), prev_day=day - timedelta(days=1),
                           next_day=day + timedelta(days=1), status_labels=STATUS_LABELS,
                           purpose_labels=PURPOSE_LABELS, form=StaffStatusForm(), closed=closed,
                           language_names=LANGUAGE_NAMES, interpreter_of=interpreter.for_item,
                           open_day=opening_hours.is_open_day(day, {closed.day} if closed else set()),
                           time_of=lambda b: format_time(b.starts_at, "HH:mm"))


@bp.route("/<int:booking_id>/status", methods=["POST"])
@staff_required(Role.RECEPTION, Role.OUTREACH)
def change_status(booking_id: int) -> Response:
    """Attended, no-show (outreach follows it up) or cancelled."""
    form = StaffStatusForm()
    action = ACTIONS.get(request.form.get("action", ""))
    if not form.validate_on_submit() or action is None:
        abort(400)
    booking = service.get_booking(booking_id)
    if booking is None:
        abort(404)
    try:
        action(booking_id, actor=_actor())
    except opening_hours.BookingError as error:
        flash(f"Det gick inte: {error}.", "error")
    else:
        flash("Bokningen är uppdaterad.", "success")
    return redirect(url_for(".day_page", dag=booking.starts_at.astimezone(opening_hours.LOCAL).date().isoformat()))


@bp.route("/boka/<int:item_id>", methods=["GET", "POST"])
@staff_required(Role.RECEPTION)
def book_for_item(item_id: int) -> Response | str | tuple[str, int]:
    """Book a first appointment (nybesök) for an intake item in the reception calendar."""
    item = intake_service.get_item(item_id)
    if item is None:
        abort(404)
    form = StaffBookForm()
    booked = first_visit.current(item.id)
    if form.validate_on_submit():
        try:
            done = book_first_appointment(item_id, datetime.fromisoformat(form.starts_at.data or ""), actor=_actor())
        except (ValueError, opening_hours.BookingError) as error:
            verb = "flytta" if booked is not None else "boka"
            form.starts_at.errors = [f"Tiden gick inte att {verb}: {error}. Välj en annan."]
        else:
            if done.moved:
                flash("Nybesöket är flyttat. Personen ser den nya tiden när hen loggar in; berätta den också.",
                      "success")
            else:
                flash("Nybesöket är bokat. " + ("En bekräftelse har skickats med e-post." if done.mailed else
                      "Ingen bekräftelse med e-post: berätta tiden för personen."), "success")
            return redirect(url_for("staff_intake.item_page", item_id=item_id))
    times = [(format_date(day, "full"), [(s.isoformat(), format_time(s, "HH:mm")) for s in starts])
             for day, starts in opening_hours.offered_times(days=10)]
    status = 400 if form.errors else 200
    return render_template("booking/staff_book.html", item=item, form=form, times=times, booked=booked), status


@bp.route("/installningar", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
def settings_page() -> Response | str | tuple[str, int]:
    """Opening hours, slot length, places per slot, lead time, and days closed by hand."""
    form = SettingsForm(data=_current()) if request.method == "GET" else SettingsForm()
    if form.validate_on_submit():
        hours: dict[str, list[list[str]]] = {}
        for index, name in enumerate(WEEKDAY_FIELDS):
            field = getattr(form, name)
            try:
                hours[str(index)] = opening_hours.parse_hours(field.data or "")
            except opening_hours.BookingError as error:
                field.errors = [f"{error}."]
        if not form.errors:
            opening_hours.save_settings(hours=hours, slot_minutes=form.slot_minutes.data or 30,
                                        places_per_slot=form.places_per_slot.data or 1,
                                        lead_working_days=form.lead_working_days.data or 0, actor=_actor())
            flash("Inställningarna är sparade. Bokade tider ligger kvar.", "success")
            return redirect(url_for(".settings_page"))
    return _settings_page(form=form), 400 if form.errors else 200


def _settings_page(*, form: SettingsForm | None = None, extra_form: ExtraTimesForm | None = None) -> str:
    """The settings page with the capacity outlook for the coming weeks and the extra times."""
    return render_template("booking/staff_settings.html", form=form or SettingsForm(formdata=None, data=_current()),
                           closed_form=ClosedDayForm(), closed=opening_hours.closed_days_from(clock.local_today()),
                           outlook=capacity.outlook(), extra_form=extra_form or ExtraTimesForm(formdata=None),
                           extras=capacity.upcoming_extra_times(), status_form=StaffStatusForm())


def _current() -> dict[str, object]:
    current = opening_hours.get_settings()
    return {**{name: opening_hours.format_hours([list(p) for p in (current.hours or {}).get(str(i), [])])
               for i, name in enumerate(WEEKDAY_FIELDS)},
            "slot_minutes": current.slot_minutes, "places_per_slot": current.places_per_slot,
            "lead_working_days": current.lead_working_days}


@bp.route("/installningar/extra", methods=["POST"])
@staff_required(Role.ADMIN)
def add_extra_times() -> Response | tuple[str, int]:
    """Extra times for one day in one step (more places in the usual hours, or an extra session)."""
    form = ExtraTimesForm()
    if form.validate_on_submit() and form.extra_day.data is not None:
        day = form.extra_day.data
        try:
            added = capacity.add_extra_times(day, places=form.extra_places.data or 0,
                                             hours=form.extra_hours.data or "", reason=form.extra_reason.data or "",
                                             actor=_actor())
        except opening_hours.BookingError as error:
            form.extra_hours.errors = [f"Det gick inte att lägga till tiderna: {error}."]
        else:
            flash(f"Extra tider den {day.isoformat()}: " + ", ".join(
                f"{extra.starts}-{extra.ends} med {extra.places} platser till per tid" for extra in added) + ".",
                "success")
            return redirect(url_for(".settings_page") + "#kapacitet")
    return _settings_page(extra_form=form), 400


@bp.route("/installningar/extra/<int:extra_id>/ta-bort", methods=["POST"])
@staff_required(Role.ADMIN)
def remove_extra_time(extra_id: int) -> Response:
    """Remove an extra time nobody is booked on."""
    if not StaffStatusForm().validate_on_submit():
        abort(400)
    try:
        capacity.remove_extra_time(extra_id, actor=_actor())
    except opening_hours.BookingError as error:
        flash(f"Det gick inte: {error}.", "error")
    else:
        flash("Det extra passet är borttaget.", "success")
    return redirect(url_for(".settings_page") + "#kapacitet")


@bp.route("/installningar/stangt", methods=["POST"])
@staff_required(Role.ADMIN)
def close_day() -> Response:
    """Close the reception on a day by hand; reopen with action=reopen."""
    form = ClosedDayForm()
    if not form.validate_on_submit() or form.day.data is None:
        flash("Skriv ett datum, till exempel 2026-12-28.", "error")
    elif request.form.get("action") == "reopen":
        opening_hours.reopen_day(form.day.data, actor=_actor())
        flash("Dagen är öppen igen.", "success")
    else:
        opening_hours.close_day(form.day.data, reason=form.reason.data or "", actor=_actor())
        flash("Dagen är stängd. Inga nya tider bokas den dagen; redan bokade tider ligger kvar.", "success")
    return redirect(url_for(".settings_page"))
