"""Answer fields as residents type them: amounts with spaces or a decimal comma, dates, choices.

Messages are lazy strings in the resident's language; digits typed on an Arabic or Persian keyboard count.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, RadioField, SelectMultipleField, StringField, widgets
from wtforms.validators import ValidationError

from portal import clock, messages
from portal.bidi import N_, Isolated
from portal.bounds import resident_length

AMOUNT_INVALID = Isolated(N_("Skriv ett belopp i kronor med siffror, till exempel %(example)s eller %(decimals)s."),
                          example="4 500", decimals="4 500,50")
AMOUNT_TOO_LARGE = _l("Beloppet är för stort. Kontrollera siffrorna.")
DATE_INVALID = Isolated(N_("Skriv datumet som år-månad-dag, till exempel %(example)s."), example="2019-04-23")
DATE_FUTURE = _l("Datumet kan inte vara i framtiden.")
POSTCODE_INVALID = Isolated(N_("Skriv postnumret med fem siffror, till exempel %(example)s."), example="123 45")
COUNT_INVALID = Isolated(N_("Skriv ett antal med siffror, till exempel %(example)s."), example="2")
CHOOSE_ONE = _l("Välj ett av alternativen.")
CHOOSE_SOME = _l("Välj minst ett alternativ.")
AMOUNT_LENGTH = 30


def ascii_digits(text: str) -> str:
    """Arabic-Indic and other digits typed on a phone become 0-9; spaces of every kind are dropped."""
    out = []
    for char in text:
        if char.isspace() or char in "\u00a0\u202f\u2009'\u200e\u200f\u061c\u2066\u2067\u2068\u2069":
            continue
        digit = unicodedata.digit(char, None)
        out.append(str(digit) if digit is not None else char)
    return "".join(out)


def parse_amount(text: str) -> Decimal:
    """An amount in kronor as people write it: '12 500', '12500,50', '12 500 kr', '4500:-'. Raises ValueError."""
    cleaned = ascii_digits(text).lower().removesuffix("kr").removesuffix(":-").replace("٫", ",")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d{1,2})?", cleaned):
        cleaned = cleaned.replace(".", "")  # 12.500,50: a dot for thousands
    cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d{1,2})?", cleaned):
        raise ValueError(text)
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(text) from error
    return amount


def parse_date(text: str, *, today: date | None = None) -> date:
    """A date written 2019-04-23, 20190423 or 2019/04/23; not in the future. Raises ValueError."""
    cleaned = ascii_digits(text).replace("/", "-").replace(".", "-")
    match = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})", cleaned)
    if not match:
        raise ValueError(text)
    value = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if value > (today or clock.local_today()):  # the Swedish date, not UTC's
        raise OverflowError(text)
    return value


class AmountField(StringField):
    """An amount in kronor; the stored answer is a decimal string ('12500' or '12500.50')."""

    def __init__(self, *args: Any, required: bool = False, **kwargs: Any) -> None:
        # An amount as typed ('12 500,50 kr') is short; the limit only keeps a pasted page out of the answers.
        kwargs.setdefault("validators", [resident_length(AMOUNT_LENGTH)])
        super().__init__(*args, **kwargs)
        self.required = required
        self.amount: Decimal | None = None

    def pre_validate(self, form: Any) -> None:
        self.amount = None
        if not self.data:
            if self.required:
                raise ValidationError(str(messages.REQUIRED))
            return
        try:
            amount = parse_amount(self.data)
        except ValueError as error:
            raise ValidationError(str(AMOUNT_INVALID)) from error
        if amount > Decimal("10000000"):
            raise ValidationError(str(AMOUNT_TOO_LARGE))
        self.amount = amount

    def answer(self) -> str:
        """The stored form of the amount (empty when not given)."""
        if self.amount is None:
            return ""
        return str(self.amount.quantize(Decimal(1)) if self.amount == self.amount.to_integral() else self.amount)


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (a fieldset in the template)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form: Any) -> None:
        # An unknown value is dropped rather than refused: it can only come from an old page or a crafted post.
        allowed = {value for value, _ in self.choices}
        chosen: list[str] = list(getattr(self, "data", None) or [])
        self.data = [value for value in chosen if value in allowed]


class ChoiceField(RadioField):
    """Exactly one choice as radio buttons; a required question says so in the resident's language."""

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.required = required

    def pre_validate(self, form: Any) -> None:
        allowed = {value for value, _ in self.choices}
        chosen: str | None = getattr(self, "data", None)
        if chosen not in allowed:
            if self.required or chosen:
                raise ValidationError(str(CHOOSE_ONE))
            self.data = ""


def add_error(field: Field, message: Any) -> None:
    field.errors = [*list(field.errors), str(message)]
