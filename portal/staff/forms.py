"""Forms for staff login, the second factor and account administration."""

from __future__ import annotations

from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from portal import messages
from portal.bounds import HIDDEN, staff_length
from portal.forms import BaseForm
from portal.roles import ROLE_LABELS


class StaffLoginForm(BaseForm):
    """E-mail address and password."""

    email = EmailField("E-postadress", validators=[DataRequired(message=messages.STAFF_REQUIRED), Length(max=254)])
    password = PasswordField("Lösenord", validators=[DataRequired(message=messages.STAFF_REQUIRED),
                                                       Length(max=1024)])
    next = HiddenField(validators=[staff_length(HIDDEN)])


class CodeForm(BaseForm):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = StringField("Kod", description="Sex siffror från din autentiseringsapp, eller en av dina reservkoder.",
                       validators=[DataRequired(message=messages.STAFF_REQUIRED), Length(max=32)])


class ActionForm(BaseForm):
    """A button that changes an account (only the CSRF token travels with it)."""


class RoleForm(BaseForm):
    """Another role for an account."""

    role = SelectField("Roll", choices=[(role.value, label) for role, label in ROLE_LABELS.items()],
                       validators=[DataRequired(message=messages.STAFF_REQUIRED)])


class NewPasswordForm(BaseForm):
    """The password a person sets through a one-time reset link."""

    password = PasswordField("Nytt lösenord", description="Minst 12 tecken.",
                             validators=[DataRequired(message=messages.STAFF_REQUIRED), Length(max=1024)])
    confirm = PasswordField("Samma lösenord igen",
                            validators=[DataRequired(message=messages.STAFF_REQUIRED), Length(max=1024),
                                        EqualTo("password", message="Lösenorden är inte lika.")])
