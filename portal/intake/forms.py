"""Staff forms for the intake queue (Swedish only, plain text: staff pages are not translated)."""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError

from portal.bounds import HIDDEN, staff_length
from portal.forms import BaseForm
from portal.intake.delay import REASON_LABELS
from portal.intake.labels import CLOSE_REASONS, URGENCY_LABELS
from portal.intake.models import IntakeItem, Source, Urgency
from portal.personnummer import InvalidIdentityNumber, parse

REQUIRED = "Fyll i det här fältet."
PERSONNUMMER_HELP = {
    "format": "Skriv personnumret med 10 eller 12 siffror, till exempel ÅÅÅÅMMDD-NNNN.",
    "date": "Personnumret innehåller ett datum som inte finns. Kontrollera siffrorna.",
    "checksum": "Personnumret stämmer inte. Kontrollera att alla siffror är rätt.",
}
LANGUAGE_NAMES = {"sv": "svenska", "en": "engelska", "ar": "arabiska", "fa": "persiska", "so": "somaliska",
                  "ti": "tigrinja", "fi": "finska", "uk": "ukrainska"}


class OptionalPersonnummer(StringField):
    """A personnummer that may be left empty (people who phone do not always give it); `.digits` after checks."""

    digits: str | None = None

    def pre_validate(self, form: Any) -> None:
        self.digits = None
        if not self.data:
            return
        try:
            self.digits = parse(self.data).digits
        except InvalidIdentityNumber as error:
            raise ValidationError(PERSONNUMMER_HELP.get(str(error.problem.value), PERSONNUMMER_HELP["format"])) \
                from error


class ContactForm(BaseForm):
    """A phone or walk-in intake: who, how to reach them, their situation, language and urgency."""

    source = RadioField("Hur kom kontakten?", choices=[(Source.PHONE.value, "Telefon"),
                                                       (Source.WALK_IN.value, "Besök i receptionen")],
                        default=Source.PHONE.value, validators=[InputRequired(message="Välj telefon eller besök.")])
    columns = {"name": (IntakeItem.contact_name,), "phone": (IntakeItem.contact_phone,),
               "email": (IntakeItem.contact_email,), "form_key": (IntakeItem.source_key,)}

    personnummer = OptionalPersonnummer("Personnummer eller samordningsnummer (om det är känt)",
                                        validators=[staff_length(20)])
    name = StringField("Namn", validators=[DataRequired(message=REQUIRED), Length(max=200)])
    phone = StringField("Telefonnummer", validators=[staff_length(100)])
    email = StringField("E-postadress", validators=[Optional(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=(
        "Skriv en e-postadress i formatet namn@exempel.se.")), Length(max=254)])
    summary = TextAreaField("Situation", description="Vad personen behöver hjälp med, med egna ord.",
                            validators=[DataRequired(message="Beskriv situationen kort."), Length(max=4000)])
    language = SelectField("Språk", choices=[])
    interpreter_needed = BooleanField("Behöver tolk")
    urgency = SelectField("Hur brådskande är det?", choices=[(u.value, label) for u, label in URGENCY_LABELS.items()],
                          default=Urgency.NORMAL.value)
    # The item's source_key is "walk_in:" + this key (80 characters in all); the page puts a 32-digit uuid here.
    form_key = HiddenField(validators=[staff_length(64)])

    def validate_phone(self, field: StringField) -> None:
        """Someone must be reachable: a phone number or an e-mail address."""
        if not field.data and not self.email.data:
            raise ValidationError("Skriv ett telefonnummer eller en e-postadress så att vi kan nå personen.")


class VersionForm(BaseForm):
    """A one-button action on an item, carrying the version the page showed (optimistic locking)."""

    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])
    action = HiddenField(validators=[staff_length(HIDDEN)])


class CloseForm(BaseForm):
    """Close an item with a reason from the list and, when needed, free text."""

    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])
    reason = SelectField("Skäl", choices=[("", "Välj skäl"), *CLOSE_REASONS.items()],
                         validators=[DataRequired(message="Välj ett skäl.")])
    text = TextAreaField("Kommentar", validators=[Optional(), Length(max=2000)])


class DelayForm(BaseForm):
    """Send the resident a delay notice with the new expected date and the reason."""

    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])
    expected_on = DateField("Nytt datum för beslut", validators=[InputRequired(message="Skriv ett datum.")],
                            description="Till exempel 2026-12-28.")
    reason = SelectField("Skäl till förseningen", choices=[("", "Välj skäl"), *REASON_LABELS.items()],
                         validators=[DataRequired(message="Välj ett skäl.")])


NEED_CHOICES = [("ja", "Behöver tolk"), ("nej", "Behöver inte tolk"), ("", "Vet inte")]


class InterpreterForm(BaseForm):
    """The person's interpreter need as staff learnt it (the intake item's and the notice's page)."""

    needed = RadioField("Tolk", choices=NEED_CHOICES, default="", validate_choice=True)
    language = SelectField("Tolkens språk", choices=[], default="",
                           description="Lämna ”personens eget språk” när tolken ska tala det språk vi har för "
                                       "personen.")

    def fill(self, person: Any) -> InterpreterForm:
        """The choices, and the person's record as the starting point when the form is not posted."""
        from portal import interpreter

        self.language.choices = [("", "Personens eget språk"), *interpreter.staff_choices()]
        if not self.is_submitted() and person is not None:
            self.needed.data = interpreter.choice_of(person.interpreter_needed)
            code = interpreter.language_code(person.interpreter_language)
            self.language.data = code or ""
        return self

    def validate_language(self, field: SelectField) -> None:
        """A language for the interpreter only with a need: a language and "not needed" contradict."""
        if field.data and self.needed.data != "ja":
            raise ValidationError("Välj ”Behöver tolk” om du anger ett språk för tolken, eller välj "
                                  "”personens eget språk”.")
