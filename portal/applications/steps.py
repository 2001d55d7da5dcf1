"""The order of the question pages: which page comes next, where a returning resident goes on, and what a
repeat application asks again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.applications.money_questions import AssetsForm, BenefitsForm, CostsForm, IncomeForm, MonthForm
from portal.applications.questions import AboutForm, ChildrenForm, HousingForm, PartnerForm, StepForm


@dataclass(frozen=True)
class Step:
    """One question page."""

    key: str
    slug: str
    title: Any
    form: type[StepForm]


STEPS: tuple[Step, ...] = (
    Step("about", "om-dig", _l("Om dig"), AboutForm),
    Step("partner", "make-maka-sambo", _l("Make, maka eller sambo"), PartnerForm),
    Step("children", "barn", _l("Barn i hushållet"), ChildrenForm),
    Step("housing", "boende", _l("Boende"), HousingForm),
    Step("income", "inkomster", _l("Inkomster"), IncomeForm),
    Step("benefits", "ersattningar", _l("Bidrag och ersättningar"), BenefitsForm),
    Step("assets", "tillgangar", _l("Tillgångar"), AssetsForm),
    Step("costs", "kostnader", _l("Kostnader du söker för"), CostsForm),
    Step("month", "manad", _l("Månad"), MonthForm),
)
STEPS_BY_SLUG = {step.slug: step for step in STEPS}
STEPS_BY_KEY = {step.key: step for step in STEPS}


# A repeat application asks these again: the situation can change overnight, so last time's answer is never
# copied. Every other answer is copied and shown for checking on the check-your-answers page.
ASKED_AGAIN: dict[str, tuple[str, ...]] = {"about": ("urgent",)}
# The pages a repeat application walks through before the check-your-answers page (the rest are one "Ändra" away).
REPEAT_STEPS = ("about", "month")


def path(*, repeat: bool = False) -> tuple[Step, ...]:
    """The pages a resident is led through, in order: every page, or for a repeat application only those
    with something to ask again."""
    return tuple(s for s in STEPS if s.key in REPEAT_STEPS) if repeat else STEPS


def next_step(key: str, *, repeat: bool = False) -> Step | None:
    """The page after this one (None after the last)."""
    steps = path(repeat=repeat)
    keys = [step.key for step in steps]
    if key not in keys:
        return None
    index = keys.index(key)
    return steps[index + 1] if index + 1 < len(steps) else None


def previous_step(key: str, *, repeat: bool = False) -> Step | None:
    """The page before this one (None before the first)."""
    steps = path(repeat=repeat)
    keys = [step.key for step in steps]
    if key not in keys:
        return None
    index = keys.index(key)
    return steps[index - 1] if index > 0 else None


def first_unanswered(answers: dict[str, Any]) -> Step | None:
    """Where a resident coming back goes on: the first page not yet answered, or with a question to ask again."""
    for step in STEPS:
        stored = answers.get(step.key)
        if stored is None or any(name not in stored for name in ASKED_AGAIN.get(step.key, ())):
            return step
    return None


def has_partner(answers: dict[str, Any]) -> bool:
    """True when the applicant lives with a spouse or partner."""
    return bool(answers.get("partner", {}).get("has_partner") == "yes")
