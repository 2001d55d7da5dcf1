"""Staff pages for the intake meeting, the caseworker's own items and hand-offs waiting for delivery."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from portal.intake import handoff, meeting, service
from portal.intake.meeting import Assignment
from portal.intake.pages import bp, current_staff, labels
from portal.intake.service import IntakeError
from portal.roles import Role
from portal.security import staff_required


@bp.route("/mote", methods=["GET"])
@staff_required(Role.COORDINATOR)
def board() -> str:
    """The intake meeting board: ready items, caseworkers' loads, one assignment per row or several at once."""
    today = service.local_today()
    result = meeting.get_board(today=today)
    html = render_template("intake/board.html", board=result, today=today, **labels())
    service.record_list_view(result.items, "intake.board_view")  # logged before anything is sent
    return html


def _assignments(form: dict[str, str], only: str | None) -> list[Assignment]:
    """The rows of the board form that name a caseworker (or just the one whose button was pressed)."""
    lines = []
    for key, value in form.items():
        if not key.startswith("cw-") or not value:
            continue
        item_id = key[3:]
        if only and item_id != only:
            continue
        try:
            lines.append(Assignment(item_id=int(item_id), version=int(form.get(f"v-{item_id}", "")),
                                    caseworker_id=int(value)))
        except ValueError:
            abort(400)
    return lines


@bp.route("/mote", methods=["POST"])
@staff_required(Role.COORDINATOR)
def assign() -> Response:
    """Assign the chosen items at today's meeting (all or nothing)."""
    lines = _assignments(request.form.to_dict(), request.form.get("only"))
    try:
        meeting.assign_items(lines, staff=current_staff())
    except IntakeError as error:
        flash(str(error), "error")
    else:
        count = len(lines)
        flash("1 ärende är fördelat." if count == 1 else f"{count} ärenden är fördelade.", "success")
    return redirect(url_for(".board"))


@bp.route("/moten")
@staff_required(Role.COORDINATOR)
def meetings() -> str:
    """Past intake meetings."""
    return render_template("intake/meetings.html", meetings=meeting.list_meetings())


@bp.route("/moten/<int:meeting_id>")
@staff_required(Role.COORDINATOR)
def meeting_record(meeting_id: int) -> str:
    """Who decided what at one meeting."""
    record = meeting.get_meeting_record(meeting_id)
    if record is None:
        abort(404)
    held, rows = record
    html = render_template("intake/meeting.html", meeting=held, rows=rows)
    service.record_list_view([row.item for row in rows], "intake.meeting_view")
    return html


@bp.route("/mina")
@staff_required(Role.CASEWORKER)
def mine() -> str:
    """The items assigned to the logged-in caseworker."""
    items = meeting.list_assigned_to(int(session["staff_id"]))
    html = render_template("intake/mine.html", items=items, today=service.local_today(), **labels())
    service.record_list_view(items, "intake.assigned_view")
    return html


@bp.route("/overlamningar")
@staff_required(Role.RECEPTION)
def handoffs() -> str:
    """Hand-offs that have not reached the case system yet."""
    return render_template("intake/handoffs.html", rows=handoff.list_waiting())


@bp.route("/overlamningar", methods=["POST"])
@staff_required(Role.RECEPTION)
def retry_handoffs() -> Response:
    """Try every waiting hand-off again now."""
    delivered, waiting = handoff.retry_waiting()
    flash(f"Nytt försök gjort: {delivered} kom fram, {waiting} väntar fortfarande.", "info")
    return redirect(url_for(".handoffs"))
