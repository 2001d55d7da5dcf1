"""Answering one question page: the form a page starts from, and what the resident is told once it is saved.

What differs between pages lives here (the months on offer, the name we already know, the area and same-month
notices, one more child's row), so the route only routes: the page's form in, one call to save, a redirect out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from portal import clock
from portal.applications import labels, service
from portal.applications.area import referral_for
from portal.applications.models import Application
from portal.applications.money_questions import MonthForm
from portal.applications.questions import AboutForm, ChildrenForm, StepForm
from portal.applications.steps import Step
from portal.bidi import ltr_text


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_choices(stored: str | None = None) -> list[tuple[str, str]]:
    """This month and the next, by Swedish time (and a month chosen earlier), named in the current language."""
    first = clock.local_today().replace(day=1)
    values = [first.strftime("%Y-%m"), _next_month(first).strftime("%Y-%m")]
    if stored and stored not in values:
        values.insert(0, stored)
    return [(value, labels.month_text(value)) for value in values]


def page_form(application: Application, step: Step, *, typed: dict[str, Any] | None = None) -> StepForm:
    """The page's form, knowing what earlier pages said; `typed`: answers sent after the session had ended,
    shown again (never saved) once the resident has logged in again."""
    form = step.form(formdata=MultiDict(typed)) if typed else step.form()
    form.context = service.step_context(application)
    if isinstance(form, MonthForm):
        form.set_months(month_choices(application.answers.get(step.key, {}).get("month")))
    return form


def fill_from_answers(form: StepForm, application: Application, step: Step, *, person_id: int) -> None:
    """Show what is stored for the page; a page not answered yet starts from the name we already know."""
    stored = application.answers.get(step.key)
    if stored is not None:
        form.load(stored)
    elif isinstance(form, AboutForm):
        form.name.data = service.person_name(person_id)


@dataclass
class Saved:
    """What follows a saved page: notices for the resident (in their language), and on the children's page the
    number of rows wanted when they asked for one more."""

    notices: list[str] = field(default_factory=list)
    children_wanted: int | None = None


def save_page(application: Application, step: Step, form: StepForm, *, person_id: int,
              add_child: bool = False) -> Saved:
    """Store the page's answers at once (portal.applications.service.save_step commits) and say what follows."""
    service.save_step(application, step.key, form.answers(), person_id=person_id)
    saved = Saved()
    if isinstance(form, AboutForm) and application.outside_area:
        saved.notices.append(_outside_area_notice(application))
    if isinstance(form, MonthForm):
        saved.notices.extend(_same_month_notices(application))
    if isinstance(form, ChildrenForm) and add_child:
        # One more child: the answers so far are saved, and the page comes back with one more empty row.
        saved.children_wanted = form.children_given() + 1
    return saved


def referral(application: Application, step: Step) -> str | None:
    """Where a resident outside the area should turn, shown on the page about them (None elsewhere)."""
    if step.form is not AboutForm or not application.outside_area:
        return None
    return referral_for(application.answers.get(step.key, {}).get("postcode"),
                        current_app.config["SERVICE_AREA_REFERRALS"])


def _same_month_notices(application: Application) -> list[str]:
    """Say so when the household already applied for this month; the application can still be sent."""
    return [_("Du har redan skickat en ansökan för %(month)s (%(reference)s). Du kan ändå skicka den här, "
              "till exempel om något har ändrats. Skriv då vad som har ändrats.",
              month=labels.month_text(other.answers["month"]["month"]), reference=ltr_text(other.reference))
            for other in service.same_month_applications(application)]


def _outside_area_notice(application: Application) -> str:
    """Say at once where to turn; the application can still be sent here (it is flagged, never refused)."""
    name = referral_for(application.answers.get("about", {}).get("postcode"),
                        current_app.config["SERVICE_AREA_REFERRALS"])
    if name:
        return _("Du bor utanför vårt område. Kontakta %(name)s. Du kan ändå skicka ansökan hit, så skickar vi den "
                 "vidare.", name=name)
    return _("Du bor utanför vårt område. Kontakta socialtjänsten i kommunen eller stadsdelen där du bor. Du kan "
             "ändå skicka ansökan hit, så skickar vi den vidare.")
