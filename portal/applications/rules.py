"""The document checklist: which documents an application needs, built by rules from the answers.

Rules are data (a key, the texts, which answers make it apply) with a plain function each, so tests call
them directly and a municipality chooses its own set with PORTAL_CHECKLIST_RULES. Defaults: DOMAIN.md,
"Documents usually asked for". A repeat application asks only for the monthly documents and for what
changed since the last application.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.applications.models import PersonRole
from portal.applications.money_questions import SPECIAL_COSTS
from portal.applications.questions import RENTED
from portal.applications.steps import has_partner

Answers = dict[str, Any]


def _adults(answers: Answers) -> list[PersonRole]:
    return [PersonRole.APPLICANT, PersonRole.CO_APPLICANT] if has_partner(answers) else [PersonRole.APPLICANT]


def _with_income(kind: str) -> Callable[[Answers], list[PersonRole]]:
    def applies(answers: Answers) -> list[PersonRole]:
        income = answers.get("income", {})
        roles = []
        if kind in income.get("income_types", []):
            roles.append(PersonRole.APPLICANT)
        if has_partner(answers) and kind in income.get("partner_income_types", []):
            roles.append(PersonRole.CO_APPLICANT)
        return roles

    return applies


def _benefit_or_income(*kinds: str) -> Callable[[Answers], list[PersonRole]]:
    def applies(answers: Answers) -> list[PersonRole]:
        roles = set()
        for kind in kinds:
            roles.update(_with_income(kind)(answers))
        benefits = answers.get("benefits", {})
        if set(kinds) & set(benefits.get("received", []) + benefits.get("applied", [])):
            roles.add(PersonRole.APPLICANT)
        return sorted(roles, key=lambda role: role != PersonRole.APPLICANT)

    return applies


def _when(step: str, field: str, test: Callable[[Any], bool]) -> Callable[[Answers], list[PersonRole]]:
    def applies(answers: Answers) -> list[PersonRole]:
        return [PersonRole.APPLICANT] if test(answers.get(step, {}).get(field)) else []

    return applies


@dataclass(frozen=True)
class Rule:
    """One kind of document: what it is, why it is needed, and for whom the answers say it applies.

    `steps` are the question pages whose answers the document is about; on a repeat application a
    non-monthly document is asked for again only when one of those pages changed.
    """

    key: str
    title: Any
    why: Any
    applies: Callable[[Answers], list[PersonRole]]
    steps: tuple[str, ...]
    monthly: bool = False


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("account_statements", _l("Kontoutdrag för alla konton för de senaste tre månaderna"),
         _l("Vi behöver se vilka pengar som har kommit in och gått ut. Vid en ny ansökan räcker den senaste "
            "månaden."), _adults, ("assets",), monthly=True),
    Rule("account_overview", _l("En översikt över alla konton och saldon"),
         _l("Du får översikten från din bank. Den visar att vi har sett alla konton."), _adults, ("assets",)),
    Rule("tax_return", _l("Den senaste deklarationen"),
         _l("Den visar inkomster och tillgångar förra året. Du hittar den hos Skatteverket."),
         _adults, ("income", "assets")),
    Rule("rental_contract", _l("Hyreskontrakt eller avtal om andrahandsuthyrning"),
         _l("Vi behöver veta vad du betalar i hyra och att du bor där."),
         _when("housing", "housing", lambda value: value in RENTED), ("housing",)),
    Rule("rent_notice", _l("Senaste hyresavin och kvitto på att den är betald"),
         _l("Den visar hyran för månaden du söker för."),
         _when("housing", "housing", lambda value: value in RENTED | {"owned"}), ("housing",), monthly=True),
    Rule("payslips", _l("Lönebesked för de senaste tre månaderna"),
         _l("Lönen räknas som inkomst när vi räknar ut hur mycket du kan få."), _with_income("salary"),
         ("income",), monthly=True),
    Rule("fk_decision", _l("Beslut från Försäkringskassan"),
         _l("Beslutet visar hur mycket du får eller har sökt, till exempel sjukpenning eller bostadsbidrag."),
         _benefit_or_income("sickness", "parental", "activity", "housing_allowance", "maintenance_support"),
         ("income", "benefits")),
    Rule("akassa_decision", _l("Beslut eller utbetalning från a-kassan"),
         _l("Ersättningen från a-kassan räknas som inkomst."), _benefit_or_income("unemployment"),
         ("income", "benefits"), monthly=True),
    Rule("csn_decision", _l("Beslut om studiemedel från CSN"),
         _l("Studiemedel räknas som inkomst under terminen."), _with_income("student"), ("income",)),
    Rule("af_plan", _l("Handlingsplan och senaste aktivitetsrapport från Arbetsförmedlingen"),
         _l("De visar att du söker arbete, vilket krävs för att få ekonomiskt bistånd."),
         _when("benefits", "job_seeker", lambda value: value == "yes"), ("benefits",), monthly=True),
    Rule("medical_certificate", _l("Läkarintyg"),
         _l("Intyget visar att du inte kan arbeta eller söka arbete just nu."),
         _when("benefits", "sick_leave", lambda value: value == "yes"), ("benefits",)),
    Rule("electricity_bill", _l("Senaste elräkningen"), _l("Den visar vad hushållselen kostar."),
         _when("costs", "costs", lambda value: "electricity" in (value or [])), ("costs",), monthly=True),
    Rule("insurance_bill", _l("Räkning för hemförsäkringen"), _l("Den visar vad hemförsäkringen kostar."),
         _when("costs", "costs", lambda value: "home_insurance" in (value or [])), ("costs",)),
    Rule("cost_estimate", _l("Kostnadsförslag eller kvitto för de särskilda kostnaderna"),
         _l("Till exempel ett kostnadsförslag från tandläkaren eller optikern. Vi behöver veta vad det kostar."),
         _when("costs", "costs", lambda value: bool(set(value or []) & SPECIAL_COSTS)), ("costs",)),
    Rule("vehicle_papers", _l("Registreringsbevis för fordonet och vad det är värt"),
         _l("Ett fordon kan vara en tillgång som ska säljas, om du inte behöver det för arbete."),
         _when("assets", "car", lambda value: value == "yes"), ("assets",)),
    Rule("property_papers", _l("Papper som visar fastigheten eller bostaden och dess värde"),
         _l("Ett hus, en lägenhet eller mark kan vara en tillgång som ska säljas."),
         _when("assets", "property", lambda value: value == "yes"), ("assets",)),
    Rule("securities_statement", _l("Besked om aktier, fonder eller andra värdesaker och deras värde"),
         _l("Tillgångar ska användas innan man kan få ekonomiskt bistånd."),
         _when("assets", "other_assets", lambda value: value == "yes"), ("assets",)),
)
RULES_BY_KEY = {rule.key: rule for rule in DEFAULT_RULES}
EXTRA_KEY = "extra"


def enabled_rules(setting: str) -> tuple[Rule, ...]:
    """The rules a municipality uses: the comma-separated keys of PORTAL_CHECKLIST_RULES, or all defaults."""
    keys = [key.strip() for key in setting.split(",") if key.strip()]
    if not keys:
        return DEFAULT_RULES
    unknown = [key for key in keys if key not in RULES_BY_KEY]
    if unknown:
        raise ValueError(f"unknown checklist rules: {', '.join(unknown)}")
    return tuple(RULES_BY_KEY[key] for key in keys)


def changed_steps(answers: Answers, previous: Answers | None) -> set[str]:
    """The question pages whose answers differ from the previous application's."""
    if previous is None:
        return set(answers)
    return {key for key in set(answers) | set(previous) if answers.get(key) != previous.get(key)}


def build_checklist(answers: Answers, *, rules: Iterable[Rule] = DEFAULT_RULES,
                    previous: Answers | None = None) -> list[tuple[str, PersonRole]]:
    """The (rule key, whose document) pairs the answers call for, in rule order.

    With `previous` (a repeat application) only monthly documents, and those about pages that changed.
    """
    changed = changed_steps(answers, previous)
    needed: list[tuple[str, PersonRole]] = []
    for rule in rules:
        if previous is not None and not rule.monthly and not (set(rule.steps) & changed):
            continue
        needed.extend((rule.key, role) for role in rule.applies(answers))
    return needed
