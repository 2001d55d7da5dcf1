"""The resident's application pages: thin routes around portal.applications.service."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.wrappers import Response
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from portal.applications import after_submit, answering, labels, messages, receipt, service, uploads, waiting
from portal.applications.area import referral_for
from portal.applications.checklist import get_item_for_resident, outstanding_items
from portal.applications.models import OUTSTANDING, Application, ItemState, Kind, Status
from portal.applications.questions import MAX_CHILDREN
from portal.applications.steps import STEPS_BY_SLUG, first_unanswered, next_step, path, previous_step
from portal.forms import BaseForm
from portal.i18n import add_lang, current_language, pull_lang
from portal.security import resident_required, take_typed_answers

bp = Blueprint("applications", __name__, url_prefix="/<lang>/ansokan", template_folder="templates")
bp.url_value_preprocessor(pull_lang)
bp.url_defaults(add_lang)


class ActionForm(BaseForm):
    """A button that changes something: only the CSRF token."""


class MessageForm(BaseForm):
    """The resident's message to the reception."""

    body = TextAreaField(_l("Ditt meddelande"),
                         description=_l(
                             "Vi svarar här. Har du lämnat en e-postadress får du ett meddelande när det finns ett svar."),  # noqa: E501
                         validators=[DataRequired(_l("Skriv ditt meddelande.")),
                                     Length(max=messages.MAX_LENGTH,
                                            message=_l("Meddelandet är för långt. Skriv högst 2000 tecken."))])


def _person_id() -> int:
    return int(session["person_id"])


def _own(application_id: int) -> Application:
    application = service.get_application_for_resident(application_id, _person_id())
    if application is None:
        abort(404)
    return application


@bp.route("/")
@resident_required
def index() -> str:
    """The resident's applications, what is in progress, and applications waiting for their confirmation."""
    person_id = _person_id()
    applications = service.list_for_resident(person_id)
    awaiting = service.list_awaiting_confirmation(person_id)
    return render_template("applications/index.html", applications=applications,
                           waiting=waiting.list_waiting(applications, awaiting), Waiting=waiting.Kind,
                           form=ActionForm(), draft=service.get_draft(person_id), labels=labels)


@bp.route("/ny", methods=["POST"])
@resident_required
def start() -> Response:
    """Start an application (or go on with the one in progress)."""
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".index"))
    application = service.start_application(_person_id(), language=current_language())
    return redirect(_continue_url(application))


def _continue_url(application: Application) -> str:
    step = first_unanswered(application.answers)
    if step is not None:
        return url_for(".question", application_id=application.id, slug=step.slug)
    return url_for(".review", application_id=application.id)


@bp.route("/<int:application_id>/fortsatt")
@resident_required
def resume(application_id: int) -> Response:
    """Go on where the resident left off (on this or another device)."""
    application = _own(application_id)
    if application.status != Status.DRAFT:
        return redirect(url_for(".status", application_id=application.id))
    return redirect(_continue_url(application))


@bp.route("/<int:application_id>/fraga/<slug>", methods=["GET", "POST"])
@resident_required
def question(application_id: int, slug: str) -> Response | str | tuple[str, int]:
    """One question page; sending it saves the answers at once."""
    application = _own(application_id)
    step = STEPS_BY_SLUG.get(slug)
    if step is None:
        abort(404)
    if application.status != Status.DRAFT:
        return redirect(url_for(".status", application_id=application.id))
    typed = take_typed_answers(request.path) if request.method == "GET" else None
    form = answering.page_form(application, step, typed=typed)
    back_to_review = request.args.get("tillbaka") == "granska"
    if form.validate_on_submit():
        saved = answering.save_page(application, step, form, person_id=_person_id(),
                                    add_child=bool(request.form.get("add_child")))
        for notice in saved.notices:
            flash(notice, "info")
        if saved.children_wanted:
            return redirect(url_for(".question", application_id=application.id, slug=step.slug,
                                    barn=saved.children_wanted, tillbaka="granska" if back_to_review else None,
                                    _anchor=f"child{saved.children_wanted}_name"))
        following = next_step(step.key, repeat=application.kind == Kind.REPEAT)
        if back_to_review:
            return redirect(url_for(".review", application_id=application.id))
        if following is None:
            return redirect(url_for(".checklist", application_id=application.id))
        return redirect(url_for(".question", application_id=application.id, slug=following.slug))
    status = 200
    if request.method == "POST":
        status = 400
    elif typed:
        flash(_("Du loggades ut eftersom du inte hade gjort något på en stund. Här är det du skrev. Det är inte "
                "sparat än: kontrollera det och tryck på knappen för att spara."), "info")
    else:
        answering.fill_from_answers(form, application, step, person_id=_person_id())
    steps = path(repeat=application.kind == Kind.REPEAT)
    previous = previous_step(step.key, repeat=application.kind == Kind.REPEAT)
    back = url_for(".review", application_id=application.id) if back_to_review else (
        url_for(".question", application_id=application.id, slug=previous.slug) if previous
        else url_for(".index"))
    referral = answering.referral(application, step)
    html = render_template("applications/step.html", application=application, step=step, form=form,
                           fields=form.visible_fields(form.context), back=back, back_to_review=back_to_review,
                           number=_step_number(steps, step.key), total=len(steps),
                           referral=referral, repeat=application.kind == Kind.REPEAT,
                           children_wanted=request.args.get("barn", 0, type=int), max_children=MAX_CHILDREN)
    return html, status


def _step_number(steps: tuple[Any, ...], key: str) -> int | None:
    keys = [s.key for s in steps]
    return keys.index(key) + 1 if key in keys else None


@bp.route("/<int:application_id>/handlingar")
@resident_required
def checklist(application_id: int) -> str:
    """The documents the answers call for, each with why, and upload or "send later"."""
    application = _own(application_id)
    referral = None
    if application.outside_area:
        referral = referral_for(application.answers.get("about", {}).get("postcode"),
                                current_app.config["SERVICE_AREA_REFERRALS"])
    return render_template("applications/checklist.html", application=application, labels=labels,
                           outstanding=OUTSTANDING, form=ActionForm(), referral=referral)


def _item_or_404(application: Application, item_id: int) -> Any:
    item = get_item_for_resident(application, item_id)
    if item is None:
        abort(404)
    return item


def _after_item(application: Application) -> str:
    if application.status == Status.DRAFT:
        return url_for(".checklist", application_id=application.id)
    return url_for(".status", application_id=application.id)


@bp.route("/<int:application_id>/handlingar/<int:item_id>", methods=["GET", "POST"])
@resident_required
def document(application_id: int, item_id: int) -> Response | str | tuple[str, int]:
    """Upload one or more files for a checklist item; a refused file is explained here and nothing else is lost."""
    application = _own(application_id)
    item = _item_or_404(application, item_id)
    form = ActionForm()
    problems: list[str] = []
    if form.validate_on_submit():
        files = [upload for upload in request.files.getlist("files") if upload.filename]
        saved, problems = uploads.save_uploads(item, files, person_id=_person_id())
        if saved:
            flash(ngettext("%(num)s fil är uppladdad.", "%(num)s filer är uppladdade.", saved), "success")
        if not problems:
            return redirect(_after_item(application))
    documents = uploads.list_documents(item)
    html = render_template("applications/document.html", application=application, item=item, labels=labels,
                           form=form, problems=problems, documents=documents, back=_after_item(application),
                           page_error=bool(problems))
    return html, 400 if problems else 200


@bp.route("/<int:application_id>/handlingar/<int:item_id>/senare", methods=["POST"])
@resident_required
def later(application_id: int, item_id: int) -> Response:
    """The resident will send this document later (a reminder follows if they gave an e-mail address)."""
    application = _own(application_id)
    item = _item_or_404(application, item_id)
    if ActionForm().validate_on_submit():
        service.send_later(item, person_id=_person_id())
    return redirect(_after_item(application))


@bp.route("/<int:application_id>/granska")
@resident_required
def review(application_id: int) -> Response | str:
    """Check your answers: every answer with a link to change it, then send."""
    application = _own(application_id)
    if application.status != Status.DRAFT:
        return redirect(url_for(".status", application_id=application.id))
    missing_step = first_unanswered(application.answers)
    context = service.step_context(application)
    sections = labels.answer_sections(application, context,
                                      answering.month_choices(application.answers.get("month", {}).get("month")))
    return render_template("applications/review.html", application=application, sections=sections,
                           missing_step=missing_step, same_month=service.same_month_applications(application),
                           form=ActionForm(), labels=labels,
                           outstanding=outstanding_items(application))


@bp.route("/<int:application_id>/skicka", methods=["POST"])
@resident_required
def submit(application_id: int) -> Response:
    """Send the application; a double click or a resent form gives the same receipt."""
    application = _own(application_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".review", application_id=application.id))
    if application.status == Status.DRAFT and first_unanswered(application.answers) is not None:
        return redirect(url_for(".review", application_id=application.id))
    sent = service.submit_application(application.id, person_id=_person_id(), language=current_language())
    return redirect(after_submit.next_page(sent, _person_id())
                    or url_for(".receipt_page", application_id=application.id))


@bp.route("/<int:application_id>/kvitto")
@resident_required
def receipt_page(application_id: int) -> Response | str:
    """The receipt: reference number and what happens next."""
    application = _own(application_id)
    if application.status == Status.DRAFT:
        return redirect(url_for(".review", application_id=application.id))
    return render_template("applications/receipt.html", application=application, labels=labels,
                           outstanding=outstanding_items(application))


@bp.route("/<int:application_id>/kvitto.pdf")
@resident_required
def receipt_pdf(application_id: int) -> Response:
    """The receipt as a PDF, in the resident's language and in Swedish."""
    application = _own(application_id)
    if application.status == Status.DRAFT:
        abort(404)
    pdf = receipt.receipt_pdf(application, language=current_language())
    response = current_app.response_class(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="kvitto-{application.reference}.pdf"'
    return response


@bp.route("/<int:application_id>/status")
@resident_required
def status(application_id: int) -> Response | str:
    """Where the application stands: each document's state, staff's reasons, and the decision deadline."""
    application = _own(application_id)
    if application.status == Status.DRAFT:
        return redirect(url_for(".resume", application_id=application.id))
    return _status_page(application, MessageForm())


def _status_page(application: Application, form: MessageForm) -> str:
    thread, unread = messages.open_thread(application.id, reader=messages.Author.RESIDENT)
    return render_template("applications/status.html", application=application, labels=labels,
                           outstanding=OUTSTANDING, deadline=service.decision_deadline(application),
                           ItemState=ItemState, thread=thread, unread=unread, form=form)


@bp.route("/<int:application_id>/meddelande", methods=["POST"])
@resident_required
def send_message(application_id: int) -> Response | tuple[str, int]:
    """The resident writes to the reception from the status page."""
    application = _own(application_id)
    if application.status == Status.DRAFT:
        abort(404)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            messages.send_from_resident(application, body=form.body.data or "")
        except messages.MessageError:
            form.body.errors = [_("Skriv ditt meddelande.")]
        else:
            flash(_("Ditt meddelande är skickat. Mottagningen svarar här."), "success")
            return redirect(url_for(".status", application_id=application.id, _anchor="meddelanden"))
    return _status_page(application, form), 400


@bp.route("/<int:application_id>/bekrafta", methods=["GET", "POST"])
@resident_required
def confirm(application_id: int) -> Response | str:
    """The co-applicant reads the application and confirms it with their own e-ID login."""
    application = service.get_application_for_co_applicant(application_id, _person_id())
    if application is None:
        abort(404)
    form = ActionForm()
    if form.validate_on_submit():
        service.confirm_as_co_applicant(application.id, person_id=_person_id())
        flash(_("Tack! Du har bekräftat ansökan."), "success")
        return redirect(url_for(".index"))
    context = service.step_context(application)
    sections = labels.answer_sections(application, context,
                                      answering.month_choices(application.answers.get("month", {}).get("month")),
                                      co_applicant=True)
    return render_template("applications/confirm.html", application=application, sections=sections, form=form,
                           applicant=service.person_name(application.person_id))
