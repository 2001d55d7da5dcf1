"""Staff pages of the funnel: register returned letters one after another, confirm a doubtful address, and the
administrator's letter-variant tests. Swedish only (DESIGN.md §5); the variant's texts are the resident's, in
every language, and are typed by the administrator."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, session, url_for
from werkzeug.wrappers import Response
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from outreach.funnel import returns, variants
from outreach.notices.service import get_notice
from portal.forms import BaseForm
from portal.security import current_role, staff_required
from portal.staff.models import Role

bp = Blueprint("funnel", __name__, url_prefix="/staff/retur", template_folder="templates")
REGISTRARS = (Role.RECEPTION, Role.OUTREACH)


class ReturnForm(BaseForm):
    """One returned letter: the scanner types the QR code's address and Enter, or staff type the code."""

    scanned = StringField("QR-kod, kod eller brevnummer", validators=[
        InputRequired(message="Skanna QR-koden eller skriv brevets kod eller nummer."),
        Length(max=300, message="Det är för långt för en kod: skanna QR-koden igen.")])


class ConfirmForm(BaseForm):
    """A button that confirms the address; CSRF only."""


def _page(form: ReturnForm, status: int = 200) -> tuple[str, int]:
    staff_id = int(session["staff_id"])
    return render_template("funnel/returns.html", form=form, registered=returns.list_registered_today(staff_id),
                           may_open=current_role() == Role.OUTREACH), status


@bp.route("/", methods=["GET", "POST"])
@staff_required(*REGISTRARS)
def register_page() -> Response | tuple[str, int]:
    """Register returned letters, many in a row: the field has focus again after each."""
    form = ReturnForm()
    if not form.validate_on_submit():
        return _page(form, 400 if form.is_submitted() else 200)
    try:
        done = returns.register_return(form.scanned.data or "", staff_id=int(session["staff_id"]))
    except returns.ReturnError as error:
        form.scanned.errors = [str(error)]
        return _page(form, 400)
    if done.already:
        flash(f"Brev {done.letter_id} ({done.reference}) var redan registrerat som retur. Inget ändrades.", "info")
    else:
        flash(f"Brev {done.letter_id} ({done.reference}) är registrerat som retur"
              f"{': uppgift skapad för uppsökare' if done.task else ''}.", "success")
    return redirect(url_for(".register_page"))


@bp.route("/adress/<int:notice_id>", methods=["POST"])
@staff_required(Role.OUTREACH)
def confirm_address(notice_id: int) -> Response:
    """Staff confirmed the address a letter came back from: the letters held for it go to print."""
    notice = get_notice(notice_id)
    if notice is None:
        abort(404)
    released = returns.confirm_address(notice, staff_id=int(session["staff_id"]))
    flash(f"Adressen är bekräftad. {released} brev släpptes till utskrift.", "success")
    return redirect(url_for("outreach.notice_page", notice_id=notice_id))


variants_bp = Blueprint("letter_variants", __name__, url_prefix="/staff/brevvarianter", template_folder="templates")
KIND_CHOICES = [("", "Välj"), ("uppsagning", "Uppsägning (hyresskuld)"), ("storning", "Störning"),
                ("avhysning", "Avhysning (Kronofogden)"), ("ovrigt", "Övrigt")]


def variant_form(languages: tuple[str, ...]) -> Any:
    """The form for a new variant: kind, name, share, and a heading and an opening in every language."""

    class VariantForm(BaseForm):
        kind = SelectField("Slag av underrättelse", choices=KIND_CHOICES,
                           validators=[InputRequired(message="Välj slag av underrättelse.")])
        name = StringField("Namn på varianten (syns bara för personal)", validators=[
            InputRequired(message="Ge varianten ett namn."), Length(max=120, message="Högst 120 tecken.")])
        share = IntegerField("Andel av nya underrättelser som får varianten (procent)", default=50, validators=[
            InputRequired(message="Skriv en andel i procent."),
            NumberRange(min=1, max=90, message="Andelen ska vara mellan 1 och 90 procent.")])

    for lang in languages:
        setattr(VariantForm, f"heading_{lang}", StringField(f"Rubrik ({LANGUAGE_NAMES.get(lang, lang)})", validators=[
            InputRequired(message=f"Skriv rubriken på {LANGUAGE_NAMES.get(lang, lang)}."),
            Length(max=variants.HEADING_MAX, message=f"Högst {variants.HEADING_MAX} tecken.")]))
        setattr(VariantForm, f"opening_{lang}", TextAreaField(
            f"Inledning ({LANGUAGE_NAMES.get(lang, lang)})", validators=[
                InputRequired(message=f"Skriv inledningen på {LANGUAGE_NAMES.get(lang, lang)}."),
                Length(max=variants.OPENING_MAX, message=f"Högst {variants.OPENING_MAX} tecken.")]))
    return VariantForm()


LANGUAGE_NAMES = {"sv": "svenska", "en": "engelska", "ar": "arabiska", "fa": "persiska", "so": "somaliska",
                  "ti": "tigrinja", "fi": "finska", "uk": "ukrainska"}


def _variants_page(form: Any, status: int = 200) -> tuple[str, int]:
    languages = tuple(current_app.config["LANGUAGES"])
    return render_template("funnel/variants.html", form=form, languages=languages, language_names=LANGUAGE_NAMES,
                           variants=variants.list_variants(), stop_form=ConfirmForm(),
                           kind_labels=dict(KIND_CHOICES)), status


@variants_bp.route("/", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
def variants_page() -> Response | tuple[str, int]:
    """Letter-variant tests: start one (every language), see them, stop one with one click."""
    languages = tuple(current_app.config["LANGUAGES"])
    form = variant_form(languages)
    if not form.validate_on_submit():
        return _variants_page(form, 400 if form.is_submitted() else 200)
    texts = {lang: {"heading": getattr(form, f"heading_{lang}").data or "",
                    "opening": getattr(form, f"opening_{lang}").data or ""} for lang in languages}
    try:
        variant = variants.start(kind=form.kind.data or "", name=form.name.data or "",
                                 share_percent=int(form.share.data or 0), texts=texts,
                                 staff_id=int(session["staff_id"]))
    except variants.VariantError as error:
        form.kind.errors = [*form.kind.errors, str(error)]
        return _variants_page(form, 400)
    flash(f"Testet {variant.name} har startat: {variant.share_percent} % av nya underrättelser får varianten.",
          "success")
    return redirect(url_for(".variants_page"))


@variants_bp.route("/<int:variant_id>/stoppa", methods=["POST"])
@staff_required(Role.ADMIN)
def stop_variant(variant_id: int) -> Response:
    """Stop a test: new notices get the standard letter again; letters already written are unchanged."""
    try:
        variant = variants.stop(variant_id, staff_id=int(session["staff_id"]))
    except variants.VariantError:
        abort(404)
    flash(f"Testet {variant.name} är stoppat. Nya underrättelser får det vanliga brevet.", "success")
    return redirect(url_for(".variants_page"))
