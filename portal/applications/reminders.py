"""Reminders: a resident who chose "I will send it later" and gave an e-mail address is reminded once.

The e-mail says only that documents are still missing and where to log in: never what the case is about.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, exists, select

from portal.applications.models import Application, ChecklistItem, ItemState, Status
from portal.db import db, utcnow
from portal.i18n import person_language
from portal.mail import MailError, mail_configured, send_mail

log = logging.getLogger(__name__)
BATCH = 50


def _due(cutoff: datetime) -> Select[Application]:
    later = exists().where(ChecklistItem.application_id == Application.id, ChecklistItem.state == ItemState.LATER,
                           ChecklistItem.later_since <= cutoff)
    return (select(Application)
            .where(Application.email.is_not(None), Application.reminded_at.is_(None),
                   Application.status.in_((Status.DRAFT, Status.SUBMITTED)), later)
            .order_by(Application.id).limit(BATCH))


def reminder_text(language: str) -> tuple[str, str]:
    """The reminder's subject and body in a language, with the login link."""
    code = person_language(language)
    url = f"{current_app.config['BASE_URL']}/{code}/ansokan/"
    with force_locale(code):
        subject = _("Påminnelse: handlingar till din ansökan")
        body = "\n\n".join([
            _("Hej!"),
            _("Du har valt att skicka några handlingar till din ansökan senare. Vi har inte fått dem än."),
            _("Logga in för att ladda upp dem: %(url)s", url=url),
            _("Svara inte på det här meddelandet. Vi skriver aldrig något om ditt ärende i e-post."),
        ])
    return subject, body


def send_reminders() -> int:
    """Send every due reminder once and return how many went out.

    Rows are claimed with FOR UPDATE SKIP LOCKED and marked reminded in the same transaction as the send,
    so two schedulers never remind twice; a failed delivery rolls the mark back and is tried at the next run.
    """
    if not mail_configured():
        return 0
    days = int(current_app.config.get("APPLICATION_REMINDER_DAYS", 7))
    cutoff = utcnow() - timedelta(days=days)
    sent = 0
    while True:
        batch = list(db.session.scalars(_due(cutoff).with_for_update(skip_locked=True)))
        if not batch:
            return sent
        failed = 0
        for application in batch:
            subject, body = reminder_text(application.language)
            try:
                send_mail(to=application.email or "", subject=subject, body=body)
            except MailError as error:
                log.warning("reminder for application %s not delivered: %s", application.id, error)
                failed += 1
                continue
            application.reminded_at = utcnow()
            sent += 1
        db.session.commit()
        if failed == len(batch):
            return sent

