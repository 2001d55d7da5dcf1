"""Telling a resident by e-mail that there is something new in the e-service (a message, a document asked for)."""

from __future__ import annotations

import logging

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.applications.models import Application
from portal.db import db
from portal.i18n import person_language
from portal.mail import MailError, mail_configured, send_mail
from portal.people import Person

log = logging.getLogger(__name__)


def notify_resident(application: Application) -> bool:
    """E-mail the resident that there is something new, in their language, if they gave an address.

    The message names nothing about the case (the mailbox may be shared or read by others): only that there
    is something new and where to log in. A failed delivery is logged, never fatal: the status page has it all.
    """
    person = db.session.get(Person, application.person_id)
    address = application.email or (person.email if person else None)
    if not address or not mail_configured():
        return False
    language = person_language(application.language, person.language if person else None)
    url = f"{current_app.config['BASE_URL']}/{language}/"
    with force_locale(language):
        subject = _("Du har fått ett nytt meddelande")
        body = "\n\n".join([
            _("Hej!"),
            _("Det finns något nytt för dig i kommunens e-tjänst. Logga in för att läsa det: %(url)s",
              url=url),
            _("Svara inte på det här meddelandet. Vi skriver aldrig något om ditt ärende i e-post."),
        ])
    try:
        send_mail(to=address, subject=subject, body=body)
    except MailError as error:
        log.warning("notice e-mail for application %s not delivered: %s", application.id, error)
        return False
    return True
