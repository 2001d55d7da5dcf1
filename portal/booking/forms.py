"""Forms of the rebooking page (residents, translated) and the reception's calendar pages (staff, Swedish)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal import messages
from portal.booking.models import ClosedDay, ExtraSession
from portal.forms import BaseForm

NO_SUCH_CODE = _l("Vi hittar ingen bokning med den koden. Kontrollera koden, eller ring oss. "
                  "En kod gäller bara fram till den bokade tiden.")


class CodeForm(BaseForm):
    """The code printed in the letter."""

    code = StringField(_l("Koden i brevet"), validators=[DataRequired(message=messages.REQUIRED),
                                                         Length(max=40, message=NO_SUCH_CODE)],
                       description=_l("10 tecken, till exempel ABCD 234 567. Stora eller små bokstäver går bra."))


class MoveForm(BaseForm):
    """Pick another free time; choices are filled in by the view."""

    starts_at = RadioField(_l("Välj en ny tid"), validators=[InputRequired(message=_l("Välj en tid."))],
                           choices=[], validate_choice=False)


class CancelForm(BaseForm):
    """Cancelling needs a tick, so a stray tap does not cancel."""

    confirm = BooleanField(_l("Ja, jag vill avboka tiden"),
                           validators=[DataRequired(message=_l("Kryssa i rutan om du vill avboka."))])


# Staff pages are Swedish only (DESIGN.md §5), so their labels are not in the catalog.
class StaffStatusForm(BaseForm):
    """Attended, no-show or cancel; the action comes from the button pressed."""


class StaffBookForm(BaseForm):
    """Book a chosen time for an intake item."""

    starts_at = RadioField("Välj tid", validators=[InputRequired(message="Välj en tid.")], choices=[],
                           validate_choice=False)


class SettingsForm(BaseForm):
    """The reception calendar's rules; opening hours as text per weekday, e.g. `09:00-12:00, 13:00-15:00`."""

    monday = StringField("Måndag", validators=[Optional(), Length(max=100)])
    tuesday = StringField("Tisdag", validators=[Optional(), Length(max=100)])
    wednesday = StringField("Onsdag", validators=[Optional(), Length(max=100)])
    thursday = StringField("Torsdag", validators=[Optional(), Length(max=100)])
    friday = StringField("Fredag", validators=[Optional(), Length(max=100)])
    slot_minutes = IntegerField("Längd på en tid (minuter)", validators=[
        InputRequired(message=messages.STAFF_REQUIRED), NumberRange(min=5, max=240, message="Mellan 5 och 240.")])
    places_per_slot = IntegerField("Platser per tid (samtidiga besök)", validators=[
        InputRequired(message=messages.STAFF_REQUIRED), NumberRange(min=1, max=50, message="Mellan 1 och 50.")])
    lead_working_days = IntegerField(
        "Framförhållning i arbetsdagar för tider i brev", description="Brev tar tid att komma fram.",
        validators=[InputRequired(message=messages.STAFF_REQUIRED), NumberRange(min=0, max=20,
                                                                               message="Mellan 0 och 20.")])


WEEKDAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday")


class ClosedDayForm(BaseForm):
    """Close the reception on a day by hand."""

    columns = {"reason": (ClosedDay.reason,)}

    day = DateField("Datum", validators=[InputRequired(message="Skriv ett datum, till exempel 2026-12-28.")])
    reason = StringField("Anledning (syns bara för personal)", validators=[Optional(), Length(max=200)])


class ExtraTimesForm(BaseForm):
    """Extra times for one day in one step: more places in the usual hours, or an extra session."""

    columns = {"extra_reason": (ExtraSession.reason,)}

    extra_day = DateField("Datum", validators=[InputRequired(message="Skriv ett datum, till exempel 2027-03-15.")])
    extra_places = IntegerField("Extra platser per tid", description="Samtidiga besök utöver de vanliga.", validators=[
        InputRequired(message=messages.STAFF_REQUIRED), NumberRange(min=1, max=50, message="Mellan 1 och 50.")])
    extra_hours = StringField("Tider (lämna tomt för dagens vanliga öppettider)",
                        description="Till exempel 16:00-18:00 för ett extra pass.",
                        validators=[Optional(), Length(max=100)])
    extra_reason = StringField("Anledning (syns bara för personal)", validators=[Optional(), Length(max=200)])
