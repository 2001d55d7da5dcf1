"""Forms for staff login and the second factor."""

from __future__ import annotations

from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from portal import messages
from portal.bounds import HIDDEN, staff_length
from portal.forms import BaseForm


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
