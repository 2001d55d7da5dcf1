"""Staff pages for notices: the list, one notice, manual handling, import, typed-in notices, API keys."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from outreach.api import keys as apikeys
from outreach.casework import service as casework
from outreach.casework import timeline
from outreach.casework.forms import (
    CHILDREN_LABELS,
    DATE_FIELDS,
    DATETIME_FIELDS,
    DECISION_LABELS,
    OUTCOME_LABELS,
    TENANCY_LABELS,
    TYPED_FIELDS,
    ApiKeyForm,
    AttemptForm,
    ChildrenForm,
    DecisionForm,
    ImportForm,
    NameForm,
    RegisterForm,
    TenancyOutcomeForm,
    TypedNoticeForm,
)
from outreach.casework.need_to_know import may_see_notice
from outreach.casework.service import CaseworkError
from outreach.funnel import steps as funnel_steps
from outreach.funnel.returns import address_doubtful
from outreach.notices import importer, protection
from outreach.notices.known_clients import get_known_client, import_register, register_size
from outreach.notices.models import (
    AttemptChannel,
    AttemptResult,
    Children,
    Decision,
    Notice,
    TenancyOutcome,
)
from outreach.notices.rules import days_left
from outreach.notices.service import case_notices, get_notice
from outreach.pipeline.followup import list_open_tasks
from portal import audit, interpreter
from portal.clock import local_today
from portal.intake.forms import InterpreterForm
from portal.protection import PROTECTED_ADDRESS_TEXT
from portal.security import staff_required
from portal.staff.models import Role
from portal.staff.service import get_staff

bp = Blueprint("outreach", __name__, url_prefix="/staff/underrattelser", template_folder="templates")
admin_bp = Blueprint("outreach_admin", __name__, url_prefix="/staff/api-nycklar", template_folder="templates")

KIND_LABELS = {"uppsagning": "Uppsägning", "storning": "Störning", "avhysning": "Avhysning", "ovrigt": "Övrigt"}


def _labels() -> dict[str, object]:
    return {"outcome_labels": OUTCOME_LABELS, "kind_labels": KIND_LABELS, "today": local_today(),
            "days_left": days_left, "decision_labels": DECISION_LABELS, "children_labels": CHILDREN_LABELS}


@bp.route("/")
@staff_required(Role.OUTREACH)
def list_page() -> str:
    """Current notices, nearest deadline first, with days left and priority."""
    requested = request.args.get("sida", "1")
    page = max(int(requested), 1) if requested.isdigit() else 1
    notices = casework.list_notices(limit=200, offset=(page - 1) * 200)
    html = render_template("outreach/list.html", notices=notices, page=page, tasks=list_open_tasks(), **_labels())
    audit.record_read("outreach.notice_list_view", person_id=None, object_type="notice_list", object_id=page)
    return html


@bp.route("/manuell")
@staff_required(Role.OUTREACH)
def manual_page() -> str:
    """Notices for manual handling: protected identity, no personnummer, out of area, escalations."""
    html = render_template("outreach/manual.html", notices=casework.list_manual(), **_labels())
    audit.record_read("outreach.manual_list_view", person_id=None, object_type="notice_list", object_id="manual")
    return html


def _visible(notice_id: int) -> Notice:
    notice = get_notice(notice_id)
    # Another caseworker's client answers exactly as a notice that does not exist (ids are in sequence).
    staff = get_staff(int(session["staff_id"]))
    if notice is None or staff is None or not may_see_notice(notice, staff):
        abort(404)
    return notice


@bp.route("/<int:notice_id>")
@staff_required(Role.OUTREACH, Role.CASEWORKER)
def notice_page(notice_id: int) -> str:
    """One notice: linked notices, deadlines, known-client status and the timeline (the read is logged)."""
    return _notice_page(_visible(notice_id))


def _notice_page(notice: Notice, **forms: Any) -> str:
    """The notice's page; a form that failed is shown again as posted, with its errors in place (the read is
    logged either way)."""
    linked = case_notices(notice)
    person = casework.person_of(notice)
    failed = next((form for form in forms.values() if form.errors), None)
    html = render_template(
        "outreach/notice.html", notice=notice, linked=linked, entries=timeline.build(notice, linked),
        funnel=funnel_steps.for_notice(notice), address_doubtful=address_doubtful(notice.tenancy_key),
        client=get_known_client(notice.personnummer), hide_address=protection.is_protected(notice),
        protected_text=PROTECTED_ADDRESS_TEXT, held_name=_held_name(notice), name_form=NameForm(),
        attempt_form=forms.get("attempt_form") or AttemptForm(formdata=None),
        decision_form=forms.get("decision_form") or DecisionForm(formdata=None),
        tenancy_form=forms.get("tenancy_form") or TenancyOutcomeForm(formdata=None, outcome=notice.tenancy_outcome),
        tenancy_labels=TENANCY_LABELS, failed_form=failed,
        children_form=ChildrenForm(formdata=None, children=str(notice.children)),
        interpreter_form=forms.get("interpreter_form") or InterpreterForm(formdata=None).fill(person),
        interpreter_need=interpreter.need_of(person), person=person, **_labels())
    audit.record_read("outreach.notice_view", person_id=notice.person_id, object_type="notice", object_id=notice.id)
    return html


def _held_name(notice: Notice) -> str | None:
    person = casework.person_of(notice)
    return person.name if person is not None else None


@bp.route("/<int:notice_id>/namn", methods=["POST"])
@staff_required(Role.OUTREACH)
def confirm_name(notice_id: int) -> Response:
    """Settle a tenant name that differs from the name held for the personnummer."""
    notice = _visible(notice_id)
    form = NameForm()
    if not form.validate_on_submit():
        flash("Välj vilket namn som stämmer.", "error")
    else:
        try:
            casework.confirm_name(notice, choice=form.choice.data or "", staff_id=int(session["staff_id"]))
        except CaseworkError as error:
            flash(str(error), "error")
        else:
            flash("Personen är bekräftad.", "success")
    return redirect(url_for(".notice_page", notice_id=notice_id))


@bp.route("/<int:notice_id>/forsok", methods=["POST"])
@staff_required(Role.OUTREACH)
def add_attempt(notice_id: int) -> Response | tuple[str, int]:
    """Record an attempt to reach the household; a form with errors is shown again in place, note kept."""
    notice = _visible(notice_id)
    form = AttemptForm()
    if not form.validate_on_submit():
        return _notice_page(notice, attempt_form=form), 400
    casework.record_attempt(notice, channel=AttemptChannel(form.channel.data),
                            result=AttemptResult(form.result.data), note=form.note.data or "",
                            staff_id=int(session["staff_id"]))
    flash("Försöket är sparat.", "success")
    return redirect(url_for(".notice_page", notice_id=notice_id))


@bp.route("/<int:notice_id>/beslut", methods=["POST"])
@staff_required(Role.OUTREACH)
def decide(notice_id: int) -> Response | tuple[str, int]:
    """Record the notice's decision; a form with errors (a rule too: no action needs a reason) is shown again
    in place, with the reason as typed."""
    notice = _visible(notice_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _notice_page(notice, decision_form=form), 400
    try:
        casework.record_decision(notice, decision=Decision(form.decision.data), reason=form.reason.data or "",
                                 staff_id=int(session["staff_id"]))
    except CaseworkError as error:
        form.reason.errors = [*form.reason.errors, str(error)]
        return _notice_page(notice, decision_form=form), 400
    flash("Beslutet är sparat.", "success")
    return redirect(url_for(".notice_page", notice_id=notice_id))


@bp.route("/<int:notice_id>/utfall", methods=["POST"])
@staff_required(Role.OUTREACH)
def tenancy_outcome(notice_id: int) -> Response | tuple[str, int]:
    """Record what became of the home (tenancy kept, agreement, moved, evicted); errors are shown in place."""
    notice = _visible(notice_id)
    form = TenancyOutcomeForm()
    if not form.validate_on_submit():
        return _notice_page(notice, tenancy_form=form), 400
    casework.record_tenancy_outcome(notice, outcome=TenancyOutcome(form.outcome.data),
                                    staff_id=int(session["staff_id"]))
    flash("Utfallet är sparat.", "success")
    return redirect(url_for(".notice_page", notice_id=notice_id))


@bp.route("/<int:notice_id>/tolk", methods=["POST"])
@staff_required(Role.OUTREACH)
def set_interpreter(notice_id: int) -> Response | tuple[str, int]:
    """Record the tenant's interpreter need (held on the person, audit-logged); errors are shown in place."""
    notice = _visible(notice_id)
    person = casework.person_of(notice)
    form = InterpreterForm().fill(person)
    if not form.validate_on_submit():
        return _notice_page(notice, interpreter_form=form), 400
    staff = get_staff(int(session["staff_id"]))
    assert staff is not None  # _visible has checked it
    try:
        changed = casework.set_interpreter(notice, staff=staff, needed=interpreter.parse_choice(form.needed.data or ""),
                                           language=form.language.data or None)
    except CaseworkError as error:
        form.needed.errors = [*form.needed.errors, str(error)]
        return _notice_page(notice, interpreter_form=form), 400
    flash("Tolkbehovet är sparat." if changed else "Tolkbehovet var redan det du valde.", "success")
    return redirect(url_for(".notice_page", notice_id=notice_id))


@bp.route("/<int:notice_id>/skyddad", methods=["POST"])
@staff_required(Role.OUTREACH)
def protect(notice_id: int) -> Response:
    """Mark protected identity: no letters, no address, manual handling."""
    notice = _visible(notice_id)  # CSRFProtect has checked the token of every POST
    casework.mark_protected(notice)
    flash("Underrättelsen hanteras nu manuellt med skyddade personuppgifter.", "success")
    return redirect(url_for(".notice_page", notice_id=notice_id))


@bp.route("/<int:notice_id>/barn", methods=["POST"])
@staff_required(Role.OUTREACH)
def children(notice_id: int) -> Response:
    """Record whether children live in the household."""
    notice = _visible(notice_id)
    form = ChildrenForm()
    if form.validate_on_submit():
        casework.set_children(notice, Children(form.children.data))
        flash("Uppgiften om barn är sparad.", "success")
    return redirect(url_for(".notice_page", notice_id=notice_id))


@bp.route("/import", methods=["GET", "POST"])
@staff_required(Role.OUTREACH)
def import_page() -> tuple[str, int] | str:
    """Upload a notice file; the page shows the import report."""
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        # The file is read (its content checked: text, not binary) but not kept: the notices stored from it
        # are the record, and a kept copy would outlive their retention period.
        upload = form.file.data
        report = importer.import_file(upload.read(importer_max() + 1), today=local_today(),
                                      filename=upload.filename or "")
    status = 400 if form.errors else 200
    return render_template("outreach/import.html", form=form, report=report, register_form=RegisterForm(),
                           register_report=None, register_count=register_size()), status


@bp.route("/register", methods=["POST"])
@staff_required(Role.OUTREACH)
def register_import() -> tuple[str, int]:
    """Replace the known-client register with an uploaded snapshot (a bad file keeps the old one)."""
    register_form = RegisterForm()
    register_report = None
    if register_form.validate_on_submit():
        register_report = import_register(register_form.register_file.data.read(importer_max() + 1))
    status = 400 if register_form.errors or (register_report and not register_report.ok) else 200
    return render_template("outreach/import.html", form=ImportForm(), report=None, register_form=register_form,
                           register_report=register_report, register_count=register_size()), status


def importer_max() -> int:
    """Largest file the page reads."""
    from outreach.notices.csvread import MAX_FILE_BYTES

    return MAX_FILE_BYTES


@bp.route("/ny", methods=["GET", "POST"])
@staff_required(Role.OUTREACH)
def typed_in() -> Response | tuple[str, int]:
    """Type in a notice that came on paper; the same checks as a file row."""
    form = TypedNoticeForm()
    if form.validate_on_submit():
        values = {name: getattr(form, name).data or "" for name, _ in TYPED_FIELDS}
        result, problems = importer.add_typed_notice(values, today=local_today())
        if result is not None:
            flash("Underrättelsen är sparad." if result.status.value != "repeat" else
                  "Underrättelsen fanns redan; ingenting ändrades.", "success")
            return redirect(url_for(".notice_page", notice_id=result.notice_id))
        for column, reason in problems.items:
            field = getattr(form, column, None) or form.typ
            field.errors = [*field.errors, reason[0].upper() + reason[1:] + "."]
    status = 400 if form.errors else 200
    return render_template("outreach/typed_in.html", form=form, fields=[name for name, _ in TYPED_FIELDS],
                           date_fields=DATE_FIELDS, datetime_fields=DATETIME_FIELDS), status


@admin_bp.route("/", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
def keys_page() -> tuple[str, int] | str:
    """Landlord API keys: create (shown once), list, revoke."""
    form = ApiKeyForm()
    new_key = None
    if form.validate_on_submit():
        _, new_key = apikeys.create_key(landlord_name=form.landlord_name.data or "",
                                        landlord_orgnr=form.landlord_orgnr.data)
    status = 400 if form.errors else 200
    return render_template("outreach/api_keys.html", form=form, keys=apikeys.list_keys(), new_key=new_key), status


@admin_bp.route("/<int:key_id>/aterkalla", methods=["POST"])
@staff_required(Role.ADMIN)
def revoke(key_id: int) -> Response:
    """Revoke one key."""
    if apikeys.revoke_key(key_id) is None:  # CSRFProtect has checked the token of every POST
        abort(404)
    flash("Nyckeln är återkallad.", "success")
    return redirect(url_for(".keys_page"))
