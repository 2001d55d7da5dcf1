"""Telling a known client's caseworker: a link to the notice page, no personal data in the message."""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import select

from outreach.notices.actions import finish
from outreach.notices.models import ActionKind, ActionStatus, NoticeAction
from portal.db import db
from portal.mail import MailError, mail_configured, send_mail

log = logging.getLogger("outreach.mail")
SUBJECT = "Nytt ärende i portalen"
BODY = ("Hej!\n\nEn underrättelse om risk för vräkning har kommit in som rör en person med öppet ärende hos er.\n"
        "Logga in i portalen för att läsa den:\n{link}\n\nMeddelandet innehåller inga personuppgifter.\n")


def claim_pending_mail(limit: int, skip: int = 0) -> list[NoticeAction]:
    """Undelivered caseworker e-mails, locked so that two schedulers never send the same one."""
    return list(db.session.scalars(
        select(NoticeAction).where(NoticeAction.kind == ActionKind.CASEWORKER_MAIL,
                                   NoticeAction.status == ActionStatus.PENDING)
        .order_by(NoticeAction.id).offset(skip).limit(limit).with_for_update(skip_locked=True)))


def deliver_pending(limit: int = 200) -> int:
    """Send each pending caseworker e-mail and mark it sent, one claim and commit at a time."""
    if not mail_configured():
        return 0
    sent, failed = 0, 0
    while sent + failed < limit:
        # One row per transaction: a commit releases every lock, so claiming more would let another
        # scheduler take (and send) the rest while this one still works through its list.
        claimed = claim_pending_mail(1, skip=failed)
        if not claimed:
            break
        action = claimed[0]
        link = f"{current_app.config['BASE_URL']}/staff/underrattelser/{action.notice_id}"
        try:
            send_mail(to=action.detail, subject=SUBJECT, body=BODY.format(link=link))
        except MailError as error:
            log.warning("caseworker mail for notice %s failed: %s", action.notice_id, error)
            db.session.rollback()
            failed += 1
            continue
        # Sent but not yet committed is the one window for a repeat (at-least-once): it is a short one.
        finish(action)
        db.session.commit()
        sent += 1
    db.session.commit()
    return sent
