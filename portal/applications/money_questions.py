"""The question pages about money: income, benefits, assets, what the application is for, and the month.

Stored like every page (portal.applications.questions): plain JSON, amounts as decimal strings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectField, StringField, TextAreaField

from portal import messages
from portal.applications.fields import (
    CHOOSE_ONE,
    CHOOSE_SOME,
    COUNT_INVALID,
    AmountField,
    CheckboxesField,
    ChoiceField,
    add_error,
    ascii_digits,
)
from portal.applications.questions import YES_NO, StepForm
from portal.bounds import FREE_TEXT, resident_length

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
