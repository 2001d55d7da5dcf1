"""Staff pages of the intake queue: the queue, registering phone and walk-in intakes, the item and its actions."""

from __future__ import annotations

from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from portal import interpreter
from portal.intake import claims, deadlines, delay, handoff, panels, queue, service
from portal.intake import labels as labels_module
from portal.intake.forms import LANGUAGE_NAMES, CloseForm, ContactForm, DelayForm, InterpreterForm, VersionForm
from portal.intake.models import IntakeItem, Source, State, Urgency
from portal.intake.pages import RECEPTION, bp, current_staff, labels
from portal.intake.service import IntakeError
from portal.roles import Role
from portal.security import current_role, staff_required


def _enum(enum: type, value: str | None) -> object | None:
    try:
        return enum(value) if value else None
    except ValueError:
        return None


def _filters() -> tuple[queue.QueueFilter, dict[str, str]]:
    args = request.args
    state_arg = args.get("state", "")
    filters = queue.QueueFilter(
        source=_enum(Source, args.get("source")),  # type: ignore[arg-type]
        state=_enum(State, state_arg),  # type: ignore[arg-type]
        include_closed=state_arg == "all",
        urgency=_enum(Urgency, args.get("urgency")),  # type: ignore[arg-type]
        deadline=_enum(deadlines.DeadlineState, args.get("deadline")),  # type: ignore[arg-type]
        mine_id=int(session["staff_id"]) if args.get("mine") == "1" else None,
    )
    kept = {key: args[key] for key in ("source", "state", "urgency", "deadline", "mine") if args.get(key)}
    return filters, kept


@bp.route("/")
@staff_required(RECEPTION)
def queue_page() -> str:
    """The one queue of everything new, earliest deadline first, filtered and paginated."""
    filters, kept = _filters()
    today = service.local_today()
    page = queue.list_queue(filters, today=today, cursor=queue.Cursor.decode(request.args.get("after")))
    names = service.staff_names({item.claimed_by_id for item in page.items})
    html = render_template("intake/queue.html", page=page, kept=kept, today=today, names=names,
                           first_page=not request.args.get("after"), columns=panels.queue_columns(page.items),
                           notices=panels.queue_notices(), **labels())
    # Rendered first (the commit would expire every row), logged before anything is sent.
    service.record_list_view(page.items, "intake.queue_view")
    return html


@bp.route("/ny", methods=["GET", "POST"])
@staff_required(RECEPTION)
def register() -> Response | str | tuple[str, int]:
    """Register a phone or walk-in intake."""
    form = ContactForm()
    form.language.choices = [("", "Okänt")] + [(code, LANGUAGE_NAMES.get(code, code))
                                               for code in current_app.config["LANGUAGES"]]
    if request.method == "GET":
        form.form_key.data = service.new_form_key()
    if form.validate_on_submit():
        try:
            item = service.register_contact(
                staff=current_staff(), source=Source(form.source.data), form_key=form.form_key.data or
                service.new_form_key(), personnummer=form.personnummer.digits, name=form.name.data or "",
                phone=form.phone.data or "", email=form.email.data or "", summary=form.summary.data or "",
                language=form.language.data or None, interpreter_needed=bool(form.interpreter_needed.data),
                urgency=Urgency(form.urgency.data))
        except IntakeError as error:
            flash(str(error), "error")
        else:
            flash("Ärendet är registrerat.", "success")
            return redirect(url_for(".item_page", item_id=item.id))
    status = 400 if form.errors else 200
    return render_template("intake/register.html", form=form), status


def _visible_item(item_id: int) -> IntakeItem:
    """The item if this staff member may see it (404 else: a caseworker is not told others' items exist)."""
    item = service.open_item_for_staff(item_id, role=current_role(), staff_id=int(session["staff_id"]))
    if item is None:
        abort(404)
    return item


@bp.route("/<int:item_id>")
@staff_required(RECEPTION, Role.CASEWORKER)
def item_page(item_id: int) -> str:
    """One item: the person, deadlines, actions and full history (the read is audit-logged)."""
    item = _visible_item(item_id)
    today = service.local_today()
    viewer = panels.Viewer(staff_id=int(session["staff_id"]), is_reception=current_role() != Role.CASEWORKER)
    return render_template(
        "intake/item.html", item=item, today=today, result=service.deadlines_for(item),
        names=service.staff_names({item.claimed_by_id, item.assigned_to_id}),
        version_form=VersionForm(version=item.version), close_form=CloseForm(version=item.version),
        delay_form=DelayForm(version=item.version), needs_delay=delay.needs_delay_notice(item, today=today),
        notices=delay.list_notices(item.id), handoff=handoff.get_handoff(item.id), me=viewer.staff_id,
        is_reception=viewer.is_reception, panels=panels.item_panels(item, viewer),
        interpreter_form=InterpreterForm(formdata=None).fill(item.person), history=_history(item), **labels())


def _history(item: IntakeItem) -> list[tuple[datetime, str, str, str]]:
    """(when, who, what, details): the item's own events and the changes of its person's interpreter need."""
    sources: dict[str, str] = {str(key): label for key, label in labels_module.SOURCE_LABELS.items()}
    rows = [(event.at, event.actor_label, labels_module.EVENT_LABELS.get(event.kind, event.kind),
             sources.get(event.detail, event.detail) if event.kind == "created" else event.detail)
            for event in item.events]
    rows += [(change.at, change.actor, "Tolkbehov ändrat", change.detail)
             for change in interpreter.history(item.person_id)]
    return sorted(rows, key=lambda row: row[0])


def _back(item_id: int) -> Response:
    return redirect(url_for(".item_page", item_id=item_id))


def _version() -> int | None:
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    return form.version.data


@bp.route("/<int:item_id>/ta", methods=["POST"])
@staff_required(RECEPTION)
def claim(item_id: int) -> Response:
    """Claim the item; the loser of a race is told who has it."""
    if service.get_item(item_id) is None:
        abort(404)
    try:
        claims.claim_item(item_id, staff=current_staff())
    except IntakeError as error:
        flash(str(error), "error")
    else:
        flash("Du har tagit ärendet.", "success")
    return _back(item_id)


@bp.route("/<int:item_id>/lamna", methods=["POST"])
@staff_required(RECEPTION)
def release(item_id: int) -> Response:
    """Give the item back to the queue (a coordinator may take it from someone else)."""
    if service.get_item(item_id) is None:
        abort(404)
    force = current_role() == Role.COORDINATOR
    try:
        claims.release_item(item_id, staff=current_staff(), version=_version(), force=force)
    except IntakeError as error:
        flash(str(error), "error")
    else:
        flash("Ärendet är tillbaka i kön.", "success")
    return _back(item_id)


@bp.route("/<int:item_id>/status", methods=["POST"])
@staff_required(RECEPTION)
def change_state(item_id: int) -> Response | tuple[str, int]:
    """A state action: documents complete, waiting for the resident, resume, ready for the meeting.

    Documents complete while something is outstanding shows what is missing and asks for a confirmation with
    a reason (409: nothing was changed) instead of starting the decision clock without a word."""
    item = service.get_item(item_id)
    if item is None:
        abort(404)
    reason = request.form.get("reason", "")
    try:
        claims.change_state(item_id, staff=current_staff(), version=_version(),
                             action=request.form.get("action", ""), reason=reason)
    except claims.NeedsConfirmation as needed:
        return render_template("intake/confirm_complete.html", item=item, missing=needed.items, reason=reason,
                               asked=bool(request.form.get("confirm"))), 409
    except IntakeError as error:
        flash(str(error), "error")
    else:
        flash("Ärendet är uppdaterat.", "success")
    return _back(item_id)


@bp.route("/<int:item_id>/avsluta", methods=["POST"])
@staff_required(RECEPTION)
def close(item_id: int) -> Response:
    """Close the item with a recorded reason."""
    if service.get_item(item_id) is None:
        abort(404)
    form = CloseForm()
    if not form.validate_on_submit():
        flash("Välj ett skäl till att ärendet avslutas.", "error")
        return _back(item_id)
    try:
        claims.close_item(item_id, staff=current_staff(), version=form.version.data,
                           reason_code=form.reason.data or "", text=form.text.data or "")
    except IntakeError as error:
        flash(str(error), "error")
    else:
        flash("Ärendet är avslutat.", "success")
    return _back(item_id)


@bp.route("/<int:item_id>/forsening", methods=["POST"])
@staff_required(RECEPTION)
def send_delay(item_id: int) -> Response:
    """Send the resident a delay notice in their language and record it on the item."""
    if service.get_item(item_id) is None:
        abort(404)
    form = DelayForm()
    if not form.validate_on_submit():
        flash("Skriv det nya datumet (ÅÅÅÅ-MM-DD) och välj ett skäl.", "error")
        return _back(item_id)
    try:
        notice = delay.send_delay_notice(item_id, staff=current_staff(), version=form.version.data,
                                         expected_on=form.expected_on.data, reason_code=form.reason.data or "")
    except IntakeError as error:
        flash(str(error), "error")
    else:
        flash("Beskedet om försening är skickat med e-post." if notice.channel == "email" else
              "Beskedet om försening är sparat. Det kunde inte skickas med e-post: skriv ut det och skicka det "
              "med post, eller läs upp det i telefon.", "success" if notice.channel == "email" else "info")
    return _back(item_id)


@bp.route("/<int:item_id>/forsening/<int:notice_id>.pdf")
@staff_required(RECEPTION)
def delay_notice_pdf(item_id: int, notice_id: int) -> Response:
    """A delay notice as a PDF to print, post or hand over (the read is audit-logged)."""
    notice = delay.get_notice(item_id, notice_id)
    if notice is None:
        abort(404)
    response = current_app.response_class(delay.notice_pdf(notice), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="besked-om-forsening-{notice.id}.pdf"'
    return response


@bp.route("/<int:item_id>/aktualisera", methods=["POST"])
@staff_required(RECEPTION, Role.CASEWORKER)
def hand_off(item_id: int) -> Response:
    """Hand the item over to the case system."""
    if not service.may_open(item_id, role=current_role(), staff_id=int(session["staff_id"])):
        abort(404)
    try:
        result = handoff.hand_off_item(item_id, staff=current_staff(), version=_version())
    except IntakeError as error:
        flash(str(error), "error")
    else:
        flash("Ärendet är aktualiserat och överlämnat till verksamhetssystemet." if result.status == "delivered"
              else "Ärendet är aktualiserat. Överlämningen har inte kommit fram än; den görs om automatiskt.",
              "success" if result.status == "delivered" else "info")
    return _back(item_id)

