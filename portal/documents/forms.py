"""Staff forms for reviewing documents (Swedish only, plain text: staff pages are not translated)."""

from __future__ import annotations

from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from portal.documents.reasons import STAFF_REASONS
from portal.forms import BaseForm

MAX_TEXT = 1000


class AcceptForm(BaseForm):
    """Accept one document (the form carries only the CSRF token)."""


class NewCopyForm(BaseForm):
    """Ask for a new copy of one document, with a reason from the list and, if needed, staff's own words."""

    reason = SelectField("Skäl", choices=[("", "Välj ett skäl"), *STAFF_REASONS.items()],
                         validators=[InputRequired(message="Välj ett skäl.")])
    text = TextAreaField("Meddelande till den sökande (visas som du skriver det, skriv enkel svenska)",
                         validators=[Length(max=MAX_TEXT, message=f"Skriv högst {MAX_TEXT} tecken.")])


class ExtraDocumentForm(BaseForm):
    """Ask the resident for a document that is not on the checklist."""

    description = TextAreaField(
        "Vilket dokument behövs, och varför? (visas för den sökande som du skriver det)",
        validators=[DataRequired(message="Skriv vilket dokument som behövs och varför."),
                    Length(max=MAX_TEXT, message=f"Skriv högst {MAX_TEXT} tecken.")])
