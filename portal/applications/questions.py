"""The questions, one topic per page: each page is a form whose answers are stored under the page's key.

Answers are stored as plain JSON (strings, lists, amounts as decimal strings), so a page can be shown again
from them on any device, and the check-your-answers page can list every answer with its label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectField, StringField, TextAreaField

from portal import messages
from portal.applications.fields import (
    CHOOSE_ONE,
    CHOOSE_SOME,
    COUNT_INVALID,
    DATE_FUTURE,
    DATE_INVALID,
    POSTCODE_INVALID,
    AmountField,
    CheckboxesField,
    ChoiceField,
    add_error,
    ascii_digits,
    parse_date,
)
from portal.applications.models import Application
from portal.bidi import N_, Isolated
from portal.bounds import FREE_TEXT, resident_length
from portal.forms import BaseForm
from portal.intake.models import IntakeItem
from portal.people import Person
from portal.personnummer import InvalidIdentityNumber, parse

PARTNER_IS_YOU = _l("Skriv personnumret för din make, maka eller sambo, inte ditt eget.")
YES_NO = [("yes", _l("Ja")), ("no", _l("Nej"))]
MAX_CHILDREN = 5


class StepForm(BaseForm):
    """A question page: `answers()` gives what is stored, `load()` fills the page from stored answers.

    `context` carries what earlier pages said (a partner, a repeat application) that changes this page.
    """

    context: dict[str, Any] = {}

    def answers(self) -> dict[str, Any]:
        """The page's answers as stored (amounts normalised)."""
        result: dict[str, Any] = {}
        for field in self:
            if field.name == "csrf_token":
                continue
            if isinstance(field, AmountField):
                result[field.name] = field.answer()
            elif isinstance(field, CheckboxesField):
                result[field.name] = list(field.data or [])
            else:
                result[field.name] = field.data or ""
        return result

    def load(self, stored: dict[str, Any]) -> None:
        """Show stored answers (a GET of the page)."""
        for field in self:
            if field.name in stored and field.name != "csrf_token":
                field.data = stored[field.name]

    def visible_fields(self, context: dict[str, Any]) -> list[Field]:
        """The fields the page shows, given earlier answers (all of them unless a page says otherwise)."""
        return [field for field in self if field.name != "csrf_token"]


class AboutForm(StepForm):
    """The applicant: name, address (for the area check), contact and interpreter."""

    columns = {"name": (IntakeItem.contact_name, Person.name), "phone": (IntakeItem.contact_phone,),
               "email": (Application.email, IntakeItem.contact_email)}

    name = StringField(_l("Ditt namn"), description=_l("Förnamn och efternamn."), validators=[resident_length(200)])
    street = StringField(_l("Gatuadress"), description=_l("Lämna tomt om du inte har någon adress just nu."),
                         validators=[resident_length(200)])
    postcode = StringField(_l("Postnummer"), validators=[resident_length(20)])
    city = StringField(_l("Ort"), validators=[resident_length(100)])
    phone = StringField(_l("Telefonnummer"), description=_l("Vi ringer om vi har frågor."),
                        validators=[resident_length(100)])
    email = StringField(_l("E-postadress (frivilligt)"),
                        description=_l("Vi skickar bara en påminnelse och besked om att det finns något nytt. "
                                       "Du läser det när du loggar in."),
                        validators=[resident_length(254)])
    interpreter = ChoiceField(_l("Behöver du tolk när vi pratar med dig?"), choices=YES_NO)
    protected_identity = ChoiceField(
        _l("Har du skyddade personuppgifter? (frivilligt)"), choices=YES_NO, required=False,
        description=_l("Till exempel skyddad folkbokföring eller sekretessmarkering. Då visar eller skickar vi "
                       "aldrig din adress, och vi skickar inga brev till den."))
    interpreter_language = StringField(_l("Vilket språk ska tolken tala? (frivilligt)"),
                                       validators=[resident_length(100)])
    urgent = ChoiceField(_l("Är din situation akut?"), choices=[
        ("no", _l("Nej")),
        ("no_money_for_food", _l("Ja, jag har inga pengar till mat")),
        ("no_place_to_sleep", _l("Ja, jag har ingenstans att sova i natt")),
    ])

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if not self.name.data:
            add_error(self.name, messages.REQUIRED)
            ok = False
        if self.postcode.data:
            digits = ascii_digits(self.postcode.data)
            if not re.fullmatch(r"\d{5}", digits):
                add_error(self.postcode, POSTCODE_INVALID)
                ok = False
            else:
                self.postcode.data = f"{digits[:3]} {digits[3:]}"
        if self.email.data and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", self.email.data):
            add_error(self.email, messages.EMAIL)
            ok = False
        return ok


class PartnerForm(StepForm):
    """A spouse or partner living with the applicant applies together (both confirm with their own e-ID)."""

    columns = {"partner_name": (Person.name,)}

    has_partner = ChoiceField(_l("Bor du med en make, maka, registrerad partner eller sambo?"), choices=YES_NO,
                              description=_l("Ni ansöker då tillsammans. Din make, maka eller sambo bekräftar "
                                             "ansökan genom att logga in med sin egen e-legitimation."))
    partner_name = StringField(_l("Hens namn"), validators=[resident_length(200)])
    partner_personnummer = StringField(_l("Hens personnummer"), description=_l("12 siffror, till exempel "
                                                                                "19850304-1234."),
                                       validators=[resident_length(20)])

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.has_partner.data != "yes":
            self.partner_name.data = self.partner_personnummer.data = ""
            return ok
        if not self.partner_name.data:
            add_error(self.partner_name, messages.REQUIRED)
            ok = False
        if not self.partner_personnummer.data:
            add_error(self.partner_personnummer, messages.REQUIRED)
            return False
        try:
            number = parse(ascii_digits(self.partner_personnummer.data))
        except InvalidIdentityNumber as error:
            add_error(self.partner_personnummer, messages.PERSONNUMMER_PROBLEMS[error.problem])
            return False
        if number.digits == self.context.get("own_personnummer"):
            add_error(self.partner_personnummer, PARTNER_IS_YOU)
            return False
        self.partner_personnummer.data = number.formatted()
        return ok


LIVING_CHOICES = [("full", _l("Hela tiden")), ("part", _l("En del av tiden (växelvis boende)"))]


class ChildrenForm(StepForm):
    """Children living in the household, full or part time (rows left empty are ignored)."""

    has_children = ChoiceField(_l("Bor det barn under 21 år i hushållet?"), choices=YES_NO,
                               description=_l("Räkna också barn som bor hos dig en del av tiden."))

    def child_rows(self) -> list[tuple[Field, Field, Field]]:
        """(name, birth date, living) for each row on the page."""
        return [(self[f"child{n}_name"], self[f"child{n}_born"], self[f"child{n}_living"])
                for n in range(1, MAX_CHILDREN + 1)]

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.has_children.data != "yes":
            for row in self.child_rows():
                for field in row:
                    field.data = ""
            return ok
        filled = 0
        for name, born, living in self.child_rows():
            if not (name.data or born.data):
                living.data = ""
                continue
            filled += 1
            if not name.data:
                add_error(name, messages.REQUIRED)
                ok = False
            if not born.data:
                add_error(born, messages.REQUIRED)
                ok = False
            else:
                try:
                    born.data = parse_date(born.data).isoformat()
                except OverflowError:
                    add_error(born, DATE_FUTURE)
                    ok = False
                except ValueError:
                    add_error(born, DATE_INVALID)
                    ok = False
            if living.data not in ("full", "part"):
                add_error(living, CHOOSE_ONE)
                ok = False
        if filled == 0:
            first = self.child_rows()[0][0]
            add_error(first, messages.REQUIRED)
            ok = False
        return ok


for _n in range(1, MAX_CHILDREN + 1):
    setattr(ChildrenForm, f"child{_n}_name", StringField(_l("Barnets förnamn"), validators=[resident_length(200)]))
    setattr(ChildrenForm, f"child{_n}_born", StringField(_l("Födelsedatum"),
                                                         description=Isolated(N_("Till exempel %(example)s."),
                                                                              example="2019-04-23"),
                                                         validators=[resident_length(20)]))
    setattr(ChildrenForm, f"child{_n}_living", ChoiceField(_l("Bor barnet hos dig"), choices=LIVING_CHOICES,
                                                           required=False))

HOUSING_CHOICES = [
    ("rental", _l("Jag hyr i första hand (eget hyreskontrakt)")),
    ("sublet", _l("Jag hyr i andra hand")),
    ("lodger", _l("Jag bor inneboende hos någon")),
    ("owned", _l("Jag bor i bostadsrätt eller eget hus")),
    ("parents", _l("Jag bor hos mina föräldrar")),
    ("no_home", _l("Jag har ingen egen bostad just nu")),
]
RENTED = frozenset({"rental", "sublet", "lodger"})


class HousingForm(StepForm):
    """Housing and rent."""

    housing = ChoiceField(_l("Hur bor du?"), choices=HOUSING_CHOICES)
    rent = AmountField(_l("Hyra eller månadsavgift per månad, i kronor"),
                       description=Isolated(N_("Till exempel %(example)s. Lämna tomt om du inte betalar hyra."),
                                            example="6 500"))
    rent_arrears = ChoiceField(_l("Har du obetalda hyror?"), choices=YES_NO)

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.housing.data in RENTED | {"owned"} and self.rent.amount is None and not self.rent.errors:
            add_error(self.rent, messages.REQUIRED)
            ok = False
        return ok


INCOME_CHOICES = [
    ("salary", _l("Lön")),
    ("sickness", _l("Sjukpenning eller sjukersättning")),
    ("unemployment", _l("Ersättning från a-kassan")),
    ("activity", _l("Aktivitetsstöd eller etableringsersättning")),
    ("parental", _l("Föräldrapenning")),
    ("student", _l("Studiemedel från CSN")),
    ("pension", _l("Pension")),
    ("other", _l("Annan inkomst")),
]


class IncomeForm(StepForm):
    """Income of each adult this month."""

    income_types = CheckboxesField(_l("Vilka inkomster har du?"), choices=INCOME_CHOICES,
                                   description=_l("Välj allt som stämmer. Välj inget om du inte har någon "
                                                  "inkomst."))
    income_amount = AmountField(_l("Hur mycket får du in per månad efter skatt, i kronor?"),
                                description=_l("Skriv 0 om du inte har någon inkomst."), required=True)
    partner_income_types = CheckboxesField(_l("Vilka inkomster har din make, maka eller sambo?"),
                                           choices=INCOME_CHOICES, description=_l("Välj allt som stämmer."))
    partner_income_amount = AmountField(_l("Hur mycket får din make, maka eller sambo in per månad efter skatt?"),
                                        description=_l("Skriv 0 om hen inte har någon inkomst."))

    def visible_fields(self, context: dict[str, Any]) -> list[Field]:
        fields = super().visible_fields(context)
        if not context.get("has_partner"):
            fields = [f for f in fields if not f.name.startswith("partner_")]
        return fields

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if not self.context.get("has_partner"):
            # Without a partner the partner's fields are not on the page: nothing of theirs is stored.
            self.partner_income_types.data = []
            self.partner_income_amount.data = ""
            self.partner_income_amount.amount = None
            self.partner_income_amount.errors = []
            return ok
        if self.partner_income_amount.amount is None and not self.partner_income_amount.errors:
            add_error(self.partner_income_amount, messages.REQUIRED)
            ok = False
        return ok


BENEFIT_CHOICES = [
    ("housing_allowance", _l("Bostadsbidrag")),
    ("child_allowance", _l("Barnbidrag")),
    ("maintenance_support", _l("Underhållsstöd")),
    ("sickness", _l("Sjukpenning")),
    ("unemployment", _l("Ersättning från a-kassan")),
    ("other", _l("Annan ersättning")),
]


class BenefitsForm(StepForm):
    """Benefits received or applied for, work seeking and sick leave."""

    received = CheckboxesField(_l("Vilka bidrag eller ersättningar får hushållet?"), choices=BENEFIT_CHOICES,
                               description=_l("Välj allt som stämmer."))
    applied = CheckboxesField(_l("Vilka har ni sökt men inte fått beslut om än?"), choices=BENEFIT_CHOICES,
                              description=_l("Välj allt som stämmer."))
    job_seeker = ChoiceField(_l("Är du inskriven som arbetssökande hos Arbetsförmedlingen?"), choices=YES_NO)
    sick_leave = ChoiceField(_l("Är du sjukskriven?"), choices=YES_NO)


class AssetsForm(StepForm):
    """Accounts, savings, car and property."""

    accounts = StringField(_l("Hur många bankkonton har ni i hushållet?"),
                           description=_l("Räkna alla konton, också sparkonton och konton utomlands."),
                           validators=[resident_length(10)])
    savings = AmountField(_l("Hur mycket pengar finns på kontona sammanlagt, i kronor?"), required=True,
                          description=_l("Skriv 0 om det inte finns några pengar."))
    car = ChoiceField(_l("Äger någon i hushållet en bil, motorcykel eller båt?"), choices=YES_NO)
    property = ChoiceField(_l("Äger någon i hushållet ett hus, en lägenhet eller mark, utöver där ni bor?"),
                           choices=YES_NO)
    other_assets = ChoiceField(_l("Har någon i hushållet aktier, fonder eller andra värdesaker?"), choices=YES_NO)

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        digits = ascii_digits(self.accounts.data or "")
        if not digits:
            add_error(self.accounts, messages.REQUIRED)
            ok = False
        elif not digits.isdigit() or int(digits) > 99:
            add_error(self.accounts, COUNT_INVALID)
            ok = False
        else:
            self.accounts.data = str(int(digits))
        return ok


COST_CHOICES = [
    ("living", _l("Vanliga levnadskostnader (mat, kläder, hygien, telefon)")),
    ("rent", _l("Hyra")),
    ("electricity", _l("Hushållsel")),
    ("home_insurance", _l("Hemförsäkring")),
    ("dental", _l("Tandvård")),
    ("glasses", _l("Glasögon")),
    ("medicine", _l("Läkarvård och medicin")),
    ("other", _l("Annan kostnad")),
]
SPECIAL_COSTS = frozenset({"dental", "glasses", "medicine", "other"})


class CostsForm(StepForm):
    """What the application is for: regular living costs and special costs."""

    costs = CheckboxesField(_l("Vad söker du pengar till?"), choices=COST_CHOICES,
                            description=_l("Välj allt som stämmer."))
    electricity = AmountField(_l("Hushållsel per månad, i kronor"))
    home_insurance = AmountField(_l("Hemförsäkring per månad, i kronor"))
    special_description = TextAreaField(_l("Beskriv de särskilda kostnaderna"),
                                        description=_l("Till exempel: tandläkare, lagning av en tand."),
                                        validators=[resident_length(FREE_TEXT)])
    special_amount = AmountField(_l("Vad kostar det, i kronor?"))

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        chosen = set(self.costs.data or [])
        if not chosen:
            add_error(self.costs, CHOOSE_SOME)
            ok = False
        for key in ("electricity", "home_insurance"):
            field = self[key]
            if key in chosen and field.amount is None and not field.errors:
                add_error(field, messages.REQUIRED)
                ok = False
        if chosen & SPECIAL_COSTS:
            if not self.special_description.data:
                add_error(self.special_description, messages.REQUIRED)
                ok = False
            if self.special_amount.amount is None and not self.special_amount.errors:
                add_error(self.special_amount, messages.REQUIRED)
                ok = False
        return ok


class MonthForm(StepForm):
    """The month applied for, and for a repeat application what changed."""

    month = SelectField(_l("Vilken månad söker du för?"), choices=[])
    changes = TextAreaField(_l("Vad har ändrats sedan din förra ansökan?"),
                            description=_l("Till exempel ny hyra, nytt jobb eller ett nytt konto. Skriv "
                                           "”Inget” om inget har ändrats."),
                            validators=[resident_length(FREE_TEXT)])
    other = TextAreaField(_l("Finns det något mer du vill berätta? (frivilligt)"),
                          validators=[resident_length(FREE_TEXT)])

    def visible_fields(self, context: dict[str, Any]) -> list[Field]:
        fields = super().visible_fields(context)
        if not context.get("repeat"):
            fields = [f for f in fields if f.name != "changes"]
        return fields

    def set_months(self, months: Iterable[tuple[str, str]]) -> None:
        """The months one may apply for (this month and the next)."""
        self.month.choices = list(months)

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.month.errors:
            self.month.errors = [str(CHOOSE_ONE)]
        return ok


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


def next_step(key: str) -> Step | None:
    """The page after this one (None after the last)."""
    keys = [step.key for step in STEPS]
    index = keys.index(key)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def previous_step(key: str) -> Step | None:
    """The page before this one (None before the first)."""
    keys = [step.key for step in STEPS]
    index = keys.index(key)
    return STEPS[index - 1] if index > 0 else None


def first_unanswered(answers: dict[str, Any]) -> Step | None:
    """Where a resident coming back goes on: the first page not yet answered."""
    for step in STEPS:
        if step.key not in answers:
            return step
    return None


def has_partner(answers: dict[str, Any]) -> bool:
    """True when the applicant lives with a spouse or partner."""
    return bool(answers.get("partner", {}).get("has_partner") == "yes")
