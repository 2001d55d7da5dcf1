"""Forms for resident login."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField

from portal.bidi import N_, Isolated
from portal.bounds import HIDDEN, resident_length
from portal.forms import BaseForm, PersonnummerField


class DevelopmentLoginForm(BaseForm):
    """Log in as any person with a valid test personnummer (development only)."""

    personnummer = PersonnummerField(_l("Personnummer"),
                                     description=Isolated(N_("12 siffror, till exempel %(example)s."),
                                                          example="20170101-2393"),
                                     validators=[resident_length(20)])
    next = HiddenField(validators=[resident_length(HIDDEN)])
