"""Forms for staff login."""

from __future__ import annotations

from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Length

from portal import messages
from portal.forms import BaseForm


class StaffLoginForm(BaseForm):
    """E-mail address and password."""

    email = EmailField("E-postadress", validators=[DataRequired(message=messages.STAFF_REQUIRED), Length(max=254)])
    password = PasswordField("Lösenord", validators=[DataRequired(message=messages.STAFF_REQUIRED),
                                                          Length(max=1024)])
    next = HiddenField()
