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
from portal.applications.models import Application, ChecklistItem, ItemState, Role, Status
from portal.applications.questions import STEPS, ChildrenForm, Step, StepForm, has_partner
from portal.applications.rules import RULES_BY_KEY

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
    Role.APPLICANT: _l("Gäller dig"),
    Role.CO_APPLICANT: _l("Gäller din make, maka eller sambo"),
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
    return str(ROLE_LABELS[Role(item.person_role)])


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


def _value(field: Any, stored: Any) -> str:
    if isinstance(field, AmountField):
        return amount_text(stored or "")
    if isinstance(field, CheckboxesField):
        names = dict(field.choices)
        return ", ".join(str(names[v]) for v in stored or [] if v in names)
    if isinstance(field, ChoiceField) or getattr(field, "type", "") == "SelectField":
        names = dict(field.choices)
        if field.name == "month":
            return month_text(stored or "")
        return str(names.get(stored, "")) if stored else ""
    return str(stored or "")


def answer_sections(application: Application, context: dict[str, Any],
                    month_choices: list[tuple[str, str]]) -> list[AnswerSection]:
    """Every answered page with each answer in words, for the check-your-answers page and the hand-off."""
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
            if isinstance(form, ChildrenForm) and field.name.startswith("child"):
                number = field.name[5:field.name.index("_")]
                label = _("Barn %(number)s: %(question)s", number=number, question=str(field.label.text))
            else:
                label = str(field.label.text)
            value = _value(field, stored.get(field.name))
            if not value:
                continue  # optional or not asked (no partner, no children): the section's own link changes it
            rows.append(AnswerRow(label=label, value=value, field_id=field.id))
        sections.append(AnswerSection(step=step, rows=rows))
    return sections
