"""Staff pages for letters: preview before they go, approve or cancel, and the daily print batch.
Swedish only (DESIGN.md §5)."""

from __future__ import annotations

import tempfile
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from werkzeug.wrappers import Response

from portal import clock
from portal.forms import BaseForm
from portal.letters import print_batch
from portal.letters.labels import KIND_LABELS, STATUS_LABELS
from portal.letters.models import LetterStatus
from portal.letters.service import (
    LetterError,
    LetterFileDamaged,
    LetterWithheld,
    approve_letter,
    cancel_letter,
    check_letter_file_again,
    count_letters,
    get_letter,
    list_letters,
    open_for_staff,
)
from portal.protection import PROTECTED_ADDRESS_TEXT
from portal.roles import Role
from portal.security import staff_required

bp = Blueprint("staff_letters", __name__, url_prefix="/staff/brev", template_folder="templates")
READERS = (Role.RECEPTION, Role.OUTREACH)


class ActionForm(BaseForm):
    """A button that changes a letter; CSRF only."""


def _status_arg() -> LetterStatus | None:
    try:
        return LetterStatus(request.args.get("status", ""))
    except ValueError:
        return None


@bp.route("/")
@staff_required(*READERS)
def list_page() -> str:
    """Letters, newest first, with the print batches (no names: the list shows references only)."""
    status = _status_arg()
    return render_template("letters/list.html", letters=list_letters(status), status=status,
                           kind_labels=KIND_LABELS, status_labels=STATUS_LABELS, form=ActionForm(),
                           batches=print_batch.list_batches(), today=clock.local_today(),
                           damaged=count_letters(LetterStatus.FILE_DAMAGED))


@bp.route("/<int:letter_id>.pdf")
@staff_required(*READERS)
def preview(letter_id: int) -> Response:
    """The letter exactly as it will be printed (the read is audit-logged)."""
    try:
        opened = open_for_staff(letter_id)
    except LetterWithheld:
        flash(f"Brev {letter_id} visas inte: det har en adress som nu är skyddad. {PROTECTED_ADDRESS_TEXT}", "error")
        return redirect(url_for(".list_page"))
    except LetterFileDamaged as error:
        flash(f"Brevet går inte att visa: {error}.", "error")
        return redirect(url_for(".list_page"))
    if opened is None:
        abort(404)
    letter, data = opened
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="brev-{letter.id}.pdf"'})


@bp.route("/<int:letter_id>/<action>", methods=["POST"])
@staff_required(*READERS)
def change(letter_id: int, action: str) -> Response:
    """Approve a letter waiting for review, or stop one that has not been printed."""
    if not ActionForm().validate_on_submit():
        abort(400)
    handlers = {"godkann": (approve_letter, "Brevet är godkänt och går med nästa utskrift."),
                "stoppa": (cancel_letter, "Brevet är stoppat och skrivs inte ut."),
                "kontrollera": (check_letter_file_again, "Brevets fil är hel igen. Brevet går med nästa utskrift.")}
    if action not in handlers or get_letter(letter_id) is None:
        abort(404)
    handler, message = handlers[action]
    try:
        handler(letter_id)
    except LetterError as error:
        flash(f"Det gick inte: {error}.", "error")
    else:
        flash(message, "success")
    return redirect(url_for(".list_page"))


@bp.route("/utskrift", methods=["POST"])
@staff_required(*READERS)
def make_batch() -> Response:
    """Put the day's queued letters into its print batch (once per day; later letters go in the next)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        day = date.fromisoformat(request.form.get("day", ""))
    except ValueError:
        flash("Skriv ett datum, till exempel 2026-12-01.", "error")
        return redirect(url_for(".list_page"))
    _batch, letters = print_batch.claim_batch(day)
    # Letters set aside for a damaged file are named by the page's own banner.
    flash(f"Utskriften för {day.isoformat()} har {len(letters)} brev.", "success")
    return redirect(url_for(".list_page"))


@bp.route("/utskrift/<day>/<name>")
@staff_required(*READERS)
def batch_file(day: str, name: str) -> Response:
    """A print batch's PDF or manifest; the same bytes every time, and every download is logged."""
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        abort(404)
    if name not in (print_batch.PDF_NAME, print_batch.MANIFEST_NAME):
        abort(404)
    if not print_batch.batch_exists(wanted):
        abort(404)
    _batch, letters = print_batch.claim_batch(wanted)
    if name == print_batch.PDF_NAME:
        # Made in a temporary file and sent from there: a day after a landlord's yearly file is thousands of
        # letters, a PDF of hundreds of MB that should not sit in a web process's memory.
        handle = tempfile.TemporaryFile()  # noqa: SIM115  # the response closes it once it is sent
        try:
            print_batch.write_letters_pdf(wanted, letters, handle)
        except LetterFileDamaged as error:
            handle.close()
            flash(f"Utskriften för {wanted.isoformat()} går inte att ladda ner: {error}. Be IT återställa filen "
                  "från säkerhetskopian och ladda ner igen.", "error")
            return redirect(url_for(".list_page"))
        except BaseException:
            handle.close()
            raise
        handle.seek(0)
        return send_file(handle, mimetype="application/pdf", as_attachment=True,
                         download_name=f"utskrift-{wanted.isoformat()}.pdf", etag=False)
    return Response(print_batch.manifest_csv(letters), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="manifest-{day}.csv"'})
