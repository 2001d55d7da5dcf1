"""The questions, one topic per page: each page is a form whose answers are stored under the page's key.

Answers are stored as plain JSON (strings, lists, amounts as decimal strings), so a page can be shown again
from them on any device, and the check-your-answers page can list every answer with its label.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field, StringField

from portal import messages
from portal.applications.fields import (
    CHOOSE_ONE,
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
from portal.bounds import resident_length
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
    partner_personnummer = StringField(
        _l("Hens personnummer"),
        description=Isolated(N_("12 siffror, till exempel %(example)s."), example="19850304-1234"),
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

    def error_question(self, field: Field) -> str:
        """The error summary says which child a field is about ("Child 2: First name")."""
        if field.name.startswith("child") and "_" in field.name:
            return _("Barn %(number)s: %(question)s", number=field.name[5:field.name.index("_")],
                     question=str(field.label.text))
        return str(field.label.text)

    def child_rows(self) -> list[tuple[Field, Field, Field]]:
        """(name, birth date, living) for each row on the page."""
        return [(self[f"child{n}_name"], self[f"child{n}_born"], self[f"child{n}_living"])
                for n in range(1, MAX_CHILDREN + 1)]

    def children_given(self) -> int:
        """How many rows are in use: up to the last one with a name or a birth date."""
        used = [n for n, (name, born, _living) in enumerate(self.child_rows(), 1) if name.data or born.data]
        return max(used, default=0)

    def rows_to_show(self, wanted: int = 0) -> list[tuple[Field, Field, Field]]:
        """The rows the page shows: one at first, every row in use, and one more each time the resident
        asks for it (a phone showed five empty blocks, 2,776 px, whoever had one child)."""
        count = min(MAX_CHILDREN, max(1, self.children_given(), wanted))
        return self.child_rows()[:count]

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


