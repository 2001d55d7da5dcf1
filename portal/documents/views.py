"""Document routes: residents fetch their own files, reception fetches and reviews them.

Files are only ever served as attachments with nosniff and a sandboxing CSP, so even a file that fooled the
checks is never rendered by the browser as part of the site.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, send_file, session, url_for
from werkzeug.wrappers import Response

from portal.applications.service import intake_item_of
from portal.documents import service
from portal.documents.forms import ExtraDocumentForm
from portal.documents.models import Document
from portal.documents.panel import new_copy_form
from portal.i18n import add_lang, pull_lang
from portal.intake.service import IntakeError
from portal.roles import Role
from portal.security import resident_required, staff_required
from portal.staff.models import StaffUser
from portal.staff.service import get_staff
from portal.storage import get_storage

bp = Blueprint("documents", __name__, template_folder="templates")
bp.url_value_preprocessor(pull_lang)
bp.url_defaults(add_lang)

# The resident's pages (the applications area) show why a new copy is needed with {{ document_reason(item) }}.
bp.add_app_template_global(service.new_copy_reason_text, "document_reason")

REVIEWERS = Role.RECEPTION  # a coordinator may do everything reception may
# Even opened directly, a served file may run nothing, load nothing and frame nothing.
FILE_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"


def _send(document: Document) -> Response:
    try:
        handle = get_storage().open(document.stored_file.key)
    except FileNotFoundError:
        current_app.logger.error("stored file of document %s is missing", document.id)
        abort(404)
    response = send_file(handle, mimetype=document.media_type, as_attachment=True,
                         download_name=document.stored_file.original_name, etag=False, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_CSP
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<lang>/dokument/<int:document_id>")
@resident_required
def resident_download(document_id: int) -> Response:
    """A resident downloads a file they (or their co-applicant) sent; anyone else's answers 404."""
    document = service.get_resident_document(document_id, person_id=int(session["person_id"]))
    if document is None:
        abort(404)
    return _send(document)


@bp.route("/staff/dokument/<int:document_id>")
@staff_required(REVIEWERS)
def staff_download(document_id: int) -> Response:
    """Reception downloads a resident's file; the read is in the audit log before a byte is sent."""
    document = service.open_for_staff_download(document_id)
    if document is None:
        abort(404)
    return _send(document)


def _staff() -> StaffUser:
    user = get_staff(int(session["staff_id"]))
    if user is None:
        abort(403)
    return user


def _back(document: Document | None = None, application_id: int | None = None) -> Response:
    item_id = intake_item_of(document.checklist_item.application_id if document else application_id)
    if item_id is None:
        abort(404)
    return redirect(url_for("staff_intake.item_page", item_id=item_id) + "#handlingar")


@bp.route("/staff/dokument/<int:document_id>/godkann", methods=["POST"])
@staff_required(REVIEWERS)
def accept(document_id: int) -> Response:
    """Accept a document."""
    document = service.get_document(document_id)
    if document is None:
        abort(404)
    try:
        service.accept_document(document_id, staff=_staff())
    except IntakeError as error:
        flash(str(error), "error")
    else:
        flash("Handlingen är godkänd.", "success")
    return _back(document)


@bp.route("/staff/dokument/<int:document_id>/ny-kopia", methods=["POST"])
@staff_required(REVIEWERS)
def new_copy(document_id: int) -> Response:
    """Ask the resident for a new copy of a document, with a reason."""
    document = service.get_document(document_id)
    if document is None:
        abort(404)
    form = new_copy_form(document_id)
    if not form.validate_on_submit():
        flash("Välj ett skäl till att en ny kopia behövs (och skriv högst 1000 tecken).", "error")
        return _back(document)
    try:
        service.request_new_copy(document_id, staff=_staff(), reason_code=form.reason.data or "",
                                 text=form.text.data or "")
    except IntakeError as error:
        flash(str(error), "error")
    else:
        flash("Den sökande har fått besked om att skicka en ny kopia.", "success")
    return _back(document)


@bp.route("/staff/ansokan/<int:application_id>/extra-dokument", methods=["POST"])
@staff_required(REVIEWERS)
def extra_document(application_id: int) -> Response:
    """Ask the resident for a document that is not on the checklist."""
    back = _back(application_id=application_id)
    form = ExtraDocumentForm()
    if not form.validate_on_submit():
        flash("Skriv vilket dokument som behövs och varför (högst 1000 tecken).", "error")
        return back
    try:
        service.request_extra_document(application_id, staff=_staff(), description=form.description.data or "")
    except IntakeError as error:
        flash(str(error), "error")
    else:
        flash("Den sökande har fått besked om det nya dokumentet.", "success")
    return back
