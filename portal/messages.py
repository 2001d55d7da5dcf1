"""Validation and error messages people read, in one place, as lazy strings translated at render time."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.bidi import N_, Isolated
from portal.personnummer import Problem

REQUIRED = _l("Fyll i det här fältet.")
PERSONNUMMER_PROBLEMS = {
    Problem.FORMAT: Isolated(N_("Skriv personnumret med 10 eller 12 siffror, till exempel %(example)s."),
                              example=_l("ÅÅÅÅMMDD-NNNN")),
    Problem.DATE: _l("Personnumret innehåller ett datum som inte finns. Kontrollera siffrorna."),
    Problem.CHECKSUM: _l("Personnumret stämmer inte. Kontrollera att alla siffror är rätt."),
}
EMAIL = _l("Skriv en e-postadress i formatet namn@exempel.se.")
SESSION_EXPIRED = _l("Du har loggats ut eftersom du inte har gjort något på en stund. Logga in igen.")
LOGGED_OUT = _l("Du är utloggad.")
EID_FAILED = _l("Inloggningen med e-legitimation misslyckades. Försök igen.")
EID_UNAVAILABLE = _l("Inloggning med e-legitimation fungerar inte just nu. Ring oss så hjälper vi dig.")
EID_NO_PERSONNUMMER = _l("Vi fick inte ditt personnummer från e-legitimationen, så vi kan inte veta att det är du. "
                         "Försök igen, eller ring oss så hjälper vi dig.")
EID_LOA_TOO_LOW = _l("Din e-legitimation har för låg säkerhetsnivå för den här tjänsten. Logga in med en "
                     "e-legitimation med säkerhetsnivå %(level)s eller högre, till exempel BankID eller "
                     "Freja eID Plus.")

# Staff pages are Swedish only (DESIGN.md §5), so their messages are not in the catalog.
STAFF_LOGIN_FAILED = "Fel e-postadress eller lösenord, eller så är kontot tillfälligt låst. Försök igen om en stund."
STAFF_LOGGED_OUT = "Du är utloggad."
STAFF_SESSION_EXPIRED = ("Du har loggats ut: du hade inte gjort något på en stund, inloggningen var för gammal, "
                         "eller så har kontot ändrats. Logga in igen.")
STAFF_REQUIRED = "Fyll i det här fältet."
