"""What residents read about an application: state names, checklist item texts, answers in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.applications.fields import AmountField, CheckboxesField, ChoiceField
from portal.applications.models import Application, ChecklistItem, ItemState, PersonRole, Status
from portal.applications.questions import ChildrenForm, StepForm
from portal.applications.rules import RULES_BY_KEY
from portal.applications.steps import STEPS, Step, has_partner
from portal.i18n import list_separator

STATUS_LABELS = {
    Status.DRAFT: _l("Inte skickad än"),
    Status.SUBMITTED: _l("Skickad, vi går igenom den"),
    Status.DOCUMENTS_COMPLETE: _l("Alla handlingar har kommit in"),
    Status.DECIDED: _l("Beslut fattat"),
    Status.CLOSED: _l("Avslutad"),
}
ITEM_STATE_LABELS = {
    ItemState.MISSING: _l("Saknas"),
    ItemState.LATER: _l("Du skickar senare"),
    ItemState.RECEIVED: _l("Mottagen"),
    ItemState.ACCEPTED: _l("Godkänd"),
    ItemState.NEW_COPY_REQUESTED: _l("Vi behöver en ny kopia"),
}
ITEM_STATE_TAGS = {
    ItemState.MISSING: "tag--red",
    ItemState.LATER: "tag--amber",
    ItemState.RECEIVED: "",
    ItemState.ACCEPTED: "tag--green",
    ItemState.NEW_COPY_REQUESTED: "tag--red",
}
ROLE_LABELS = {
    PersonRole.APPLICANT: _l("Gäller dig"),
    PersonRole.CO_APPLICANT: _l("Gäller din make, maka eller sambo"),
}


def item_title(item: ChecklistItem) -> str:
    """What the document is, in the current language (staff's own words for a document they asked for)."""
    if item.extra or item.key not in RULES_BY_KEY:
        return item.description or _("Handling som vi har bett om")
    return str(RULES_BY_KEY[item.key].title)


def item_why(item: ChecklistItem) -> str:
    """Why the document is needed."""
    if item.extra or item.key not in RULES_BY_KEY:
        return _("Handläggaren behöver den för att kunna pröva din ansökan.")
    return str(RULES_BY_KEY[item.key].why)


def item_whose(item: ChecklistItem) -> str:
    """Whose document it is, when there are two adults (said only then: alone, every document is yours)."""
    if not item.person_role or not has_partner(item.application.answers):
        return ""
    return str(ROLE_LABELS[PersonRole(item.person_role)])


def amount_text(value: str) -> str:
    """An amount as '12 500 kr' in the current language's number format."""
    if not value:
        return ""
    amount = Decimal(value)
    pattern = "#,##0" if amount == amount.to_integral() else "#,##0.00"
    return _("%(amount)s kr", amount=format_decimal(amount, format=pattern))


def month_text(value: str) -> str:
    """'2026-12' as 'december 2026' in the current language."""
    from flask_babel import format_date

    try:
        year, month = (int(part) for part in value.split("-"))
        return format_date(date(year, month, 1), "LLLL y")
    except ValueError:
        return value


@dataclass(frozen=True)
class AnswerRow:
    """One answer on the check-your-answers page."""

    label: str
    value: str
    field_id: str


@dataclass(frozen=True)
class AnswerSection:
    """One question page's answers."""

    step: Step
    rows: list[AnswerRow]
    title: Any = None


# The co-applicant reads the applicant's answers: every question that says "you" to the applicant is put in the
# third person there, and the partner's own answers say "you" to the partner (they thought "Om dig / Ditt namn"
# was about themselves).
CO_APPLICANT_TITLES: dict[str, Any] = {
    "about": _l("Om den som ansöker"),
    "partner": _l("Du som make, maka eller sambo"),
    "costs": _l("Kostnader ni söker för"),
}
CO_APPLICANT_LABELS: dict[str, Any] = {
    "name": _l("Namn på den som ansöker"),
    "interpreter": _l("Behöver den som ansöker tolk?"),
    "protected_identity": _l("Har den som ansöker skyddade personuppgifter?"),
    "interpreter_language": _l("Vilket språk ska tolken tala?"),
    "urgent": _l("Är situationen akut?"),
    "has_partner": _l("Bor den som ansöker med en make, maka, registrerad partner eller sambo?"),
    "partner_name": _l("Ditt namn"),
    "partner_personnummer": _l("Ditt personnummer"),
    "living": _l("Bor barnet hos den som ansöker"),
    "housing": _l("Hur bor den som ansöker?"),
    "rent_arrears": _l("Finns det obetalda hyror?"),
    "income_types": _l("Inkomster för den som ansöker"),
    "income_amount": _l("Inkomster för den som ansöker per månad efter skatt, i kronor"),
    "partner_income_types": _l("Dina inkomster"),
    "partner_income_amount": _l("Dina inkomster per månad efter skatt, i kronor"),
    "job_seeker": _l("Är den som ansöker inskriven som arbetssökande hos Arbetsförmedlingen?"),
    "sick_leave": _l("Är den som ansöker sjukskriven?"),
    "costs": _l("Vad ni söker pengar till"),
    "month": _l("Månaden ansökan gäller"),
    "changes": _l("Vad har ändrats sedan förra ansökan?"),
    "other": _l("Något mer som den som ansöker ville berätta"),
}


def _co_applicant_label(name: str, label: str) -> str:
    key = "living" if name.startswith("child") and name.endswith("_living") else name
    return str(CO_APPLICANT_LABELS[key]) if key in CO_APPLICANT_LABELS else label


def _value(field: Any, stored: Any) -> str:
    if isinstance(field, AmountField):
        return amount_text(stored or "")
    if isinstance(field, CheckboxesField):
        names = dict(field.choices)
        return list_separator().join(str(names[v]) for v in stored or [] if v in names)
    if isinstance(field, ChoiceField) or getattr(field, "type", "") == "SelectField":
        names = dict(field.choices)
        if field.name == "month":
            return month_text(stored or "")
        return str(names.get(stored, "")) if stored else ""
    return str(stored or "")


def answer_sections(application: Application, context: dict[str, Any],
                    month_choices: list[tuple[str, str]], *, co_applicant: bool = False) -> list[AnswerSection]:
    """Every answered page with each answer in words, for the check-your-answers page and the hand-off;
    `co_applicant` words them for the partner who reads the applicant's answers."""
    sections = []
    for step in STEPS:
        stored = application.answers.get(step.key)
        if stored is None:
            continue
        form: StepForm = step.form(formdata=None, meta={"csrf": False})
        form.context = context
        if step.key == "month":
            form.month.choices = month_choices
        rows = []
        for field in form.visible_fields(context):
            if isinstance(form, ChildrenForm) and field.name.startswith("child") \
                    and not stored.get(field.name):
                continue
            question = str(field.label.text)
            if co_applicant:
                question = _co_applicant_label(field.name, question)
            if isinstance(form, ChildrenForm) and field.name.startswith("child"):
                number = field.name[5:field.name.index("_")]
                label = _("Barn %(number)s: %(question)s", number=number, question=question)
            else:
                label = question
            value = _value(field, stored.get(field.name))
            if not value:
                continue  # optional or not asked (no partner, no children): the section's own link changes it
            rows.append(AnswerRow(label=label, value=value, field_id=field.id))
        title = CO_APPLICANT_TITLES.get(step.key, step.title) if co_applicant else step.title
        sections.append(AnswerSection(step=step, rows=rows, title=title))
    return sections
