"""Shared form pieces: a base form that strips whitespace, and a personnummer field."""

from __future__ import annotations

import functools
from typing import Any, ClassVar

from babel import support
from flask import current_app
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import Field, StringField
from wtforms.i18n import messages_path
from wtforms.validators import ValidationError

from portal import messages
from portal.personnummer import InvalidIdentityNumber, parse


@functools.cache
def _wtforms_catalog(locale: str) -> support.NullTranslations:
    """WTForms' own messages (a default label, a too-long value) in `locale`, read from disk once per process."""
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """A form whose text inputs lose surrounding whitespace before validation.

    `columns` names, per field, the model columns its value is written to: `tests/test_bounds.py` fails when a
    field accepts more characters than one of them holds.
    """

    columns: ClassVar[dict[str, tuple[Any, ...]]] = {}

    class Meta(FlaskForm.Meta):
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            filters = list(unbound_field.kwargs.get("filters", []))
            filters.append(_strip)
            return unbound_field.bind(form=form, filters=filters, **options)

        def get_translations(self, form: Any) -> Any:
            # Flask-WTF reads WTForms' catalog from disk again in every request that needs a message from it:
            # a quarter of the login page's time.
            locale = get_locale()
            if locale is None or not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _wtforms_catalog(str(locale))


class PersonnummerField(StringField):
    """A personnummer or samordningsnummer; `.identity` holds the parsed number after validation."""

    identity = None

    def pre_validate(self, form: Any) -> None:
        if not self.data:
            raise ValidationError(str(messages.REQUIRED))
        try:
            self.identity = parse(self.data)
        except InvalidIdentityNumber as error:
            raise ValidationError(str(messages.PERSONNUMMER_PROBLEMS[error.problem])) from error


def first_errors(form: Any) -> list[tuple[Field, str]]:
    """Each field's first error, in the order of the form, for the error summary."""
    if not isinstance(form, FlaskForm):
        return []
    return [(field, field.errors[0]) for field in form if field.errors]


def error_question(form: Any, field: Field) -> str:
    """The question an error summary names for a field's error (a form may word it, as the children page
    says which child): "Fill in this field." twice on one page must say which field each time."""
    named = getattr(form, "error_question", None)
    if callable(named):
        return str(named(field))
    return str(field.label.text)


def has_errors(*forms: Any) -> bool:
    """Whether any of the page's forms has an error (the page title then starts with "Fel:")."""
    return any(first_errors(form) for form in forms)
