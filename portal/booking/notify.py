"""Booking confirmations by e-mail, for people who gave an address: a link to the time, no personal data.

The link opens the rebooking page, which shows only the time and the place, so the message itself says nothing
about the person or why they are coming.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from portal.booking.links import code_url
from portal.booking.models import Booking
from portal.intake.delay import item_language
from portal.intake.models import IntakeItem
from portal.mail import MailError, mail_configured, send_mail


def confirmation(language: str, link: str) -> tuple[str, str]:
    """Subject and body of a booking confirmation in `language`."""
    with force_locale(language):
        subject = _("Du har en tid hos socialtjänstens mottagning")
        body = "\n\n".join([
            _("Hej!"),
            _("Vi har bokat en tid åt dig hos socialtjänstens mottagning. Här ser du tiden och platsen, och där "
              "kan du byta tid eller avboka:"),
            link,
            _("Med vänliga hälsningar\nSocialtjänsten, mottagningen"),
        ])
    return subject, body


def send_booking_confirmation(item: IntakeItem, booking: Booking, code: str) -> bool:
    """E-mail the confirmation when the person gave an address; False when there is none or sending failed."""
    address = (item.person.email if item.person else None) or item.contact_email
    if not address or not mail_configured() or (item.person is not None and item.person.is_protected):
        return False
    language = item_language(item)
    subject, body = confirmation(language, code_url(code, language))
    try:
        send_mail(to=address, subject=subject, body=body)
    except MailError:
        return False
    return True
