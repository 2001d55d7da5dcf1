"""The delay notice (underrättelse om försening, 11 § förvaltningslagen), in the resident's language.

When a decision will be seriously delayed the authority must tell the applicant, with the reason. Staff are
prompted on the item page when its deadline is in warning or overdue; the notice is rendered through gettext
in the person's language, e-mailed when an address is known (no personal details beyond the reason and the
new date), and always recorded on the item so it can be printed or read out on the phone.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import audit
from portal.bidi import ltr_text, own_text
from portal.db import db, utcnow
from portal.i18n import person_language, source_language
from portal.intake import deadlines
from portal.intake.models import DelayNotice, IntakeItem, Source, Urgency
from portal.intake.service import (
    IntakeError,
    StaleItem,
    add_event,
    clock_for,
    commit_or_stale,
    get_item,
    local_date,
    local_today,
    staff_label,
)
from portal.mail import MailError, mail_configured, send_mail
from portal.staff.models import StaffUser

# Reasons as the resident reads them (gettext) and as staff choose them (plain Swedish).
REASONS = {
    "waiting_documents": _l("Vi väntar fortfarande på handlingar som behövs för att pröva din ansökan."),
    "investigation": _l("Din ansökan behöver utredas mer innan vi kan fatta beslut."),
    "workload": _l("Vi har just nu många ansökningar och behöver längre tid för att pröva din."),
}
REASON_LABELS = {
    "waiting_documents": "Vi väntar på handlingar från den sökande",
    "investigation": "Ansökan behöver utredas mer",
    "workload": "Hög arbetsbelastning",
}


def item_language(item: IntakeItem) -> str:
    """The language to write to the item's resident in (portal.i18n.person_language): the person's own, else
    the one the intake recorded, else Swedish."""
    return person_language(item.person.language if item.person else None, item.language)


def render_notice(*, language: str, expected_on: date, reason_code: str) -> tuple[str, str]:
    """Subject and body of the notice in `language`: the date isolated in its own direction and the address
    left to right (portal.bidi), in the e-mail as on paper."""
    with force_locale(language):
        subject = _("Besked om att beslutet i ditt ärende dröjer")
        body = "\n\n".join([
            _("Hej!"),
            _("Beslutet om din ansökan om ekonomiskt bistånd blir försenat. Vi räknar med att fatta beslut "
              "senast %(date)s.", date=own_text(format_date(expected_on, format="long"))),
            _("Skälet till förseningen: %(reason)s", reason=str(REASONS[reason_code])),
            _("Vi skickar det här beskedet enligt 11 § förvaltningslagen. Om du vill veta mer, logga in på "
              "%(url)s eller ring mottagningen. Du kan få hjälp av en tolk.",
              url=ltr_text(current_app.config["BASE_URL"])),
            _("Med vänliga hälsningar\nSocialtjänsten, mottagningen"),
        ])
    return subject, body


def needs_delay_notice(item: IntakeItem, *, today: date | None = None) -> bool:
    """True when staff should be prompted to send a delay notice: an application near or past its deadline
    with no notice yet that promises a date still ahead."""
    if not item.is_open or item.source == Source.OUTREACH:
        return False
    day = today or local_today()
    # The decision's own deadlines count here, not the same-day handling of an acute need.
    result = deadlines.compute(replace(clock_for(item), urgency=Urgency.NORMAL),
                               decision_days=current_app.config.get("DECISION_WORKING_DAYS", 5),
                               overall_days=current_app.config.get("OVERALL_LIMIT_WORKING_DAYS", 15))
    if deadlines.state_on(result.due_on, result.warn_on, day) not in (deadlines.DeadlineState.WARNING,
                                                                      deadlines.DeadlineState.OVERDUE):
        return False
    latest = latest_notice(item.id)
    return latest is None or latest.expected_on < day


def latest_notice(item_id: int) -> DelayNotice | None:
    """The last delay notice recorded on an item."""
    return db.session.scalars(db.select(DelayNotice).where(DelayNotice.item_id == item_id)
                              .order_by(DelayNotice.id.desc()).limit(1)).first()


def get_notice(item_id: int, notice_id: int) -> DelayNotice | None:
    """One delay notice of an item, with the staff read in the access log (it names the person's case)."""
    notice = db.session.get(DelayNotice, notice_id)
    if notice is None or notice.item_id != item_id:
        return None
    item = get_item(item_id)
    audit.record_read("intake.delay_notice_read", person_id=item.person_id if item else None,
                      object_type="delay_notice", object_id=notice.id)
    return notice


def list_notices(item_id: int) -> list[DelayNotice]:
    """Every delay notice recorded on an item, oldest first."""
    return list(db.session.scalars(db.select(DelayNotice).where(DelayNotice.item_id == item_id)
                                   .order_by(DelayNotice.id)))


def send_delay_notice(item_id: int, *, staff: StaffUser, version: int | None, expected_on: date,
                      reason_code: str, today: date | None = None) -> DelayNotice:
    """Record a delay notice on the item (committed first, so a double submit is refused) and e-mail it."""
    if reason_code not in REASONS:
        raise IntakeError("Välj ett skäl till förseningen.")
    if expected_on <= (today or local_today()):
        raise IntakeError("Det nya datumet för beslut måste ligga efter i dag.")
    item = get_item(item_id)
    if item is None:
        raise IntakeError("Ärendet finns inte.")
    if version is not None and item.version != version:
        raise StaleItem()
    language = item_language(item)
    subject, body = render_notice(language=language, expected_on=expected_on, reason_code=reason_code)
    address = (item.person.email if item.person else None) or item.contact_email
    notice = DelayNotice(item_id=item.id, language=language, expected_on=expected_on, reason=reason_code,
                         subject=subject, body=body, channel="email" if address and mail_configured() else "manual",
                         sent_by_id=staff.id)
    db.session.add(notice)
    add_event(item, staff_label(staff), "delay_notice",
              f"nytt datum {expected_on.isoformat()}, {REASON_LABELS[reason_code]}, språk {language}")
    item.updated_at = utcnow()  # bumps the version: the same form sent twice is refused as stale
    db.session.flush()
    audit.record("intake.delay_notice", person_id=item.person_id, object_type="intake_item", object_id=item.id)
    commit_or_stale()
    if notice.channel == "email" and address:
        try:
            send_mail(to=address, subject=subject, body=body)
        except MailError as error:
            notice.channel, notice.error = "manual", str(error)[:500]
            db.session.commit()
    return notice


def notice_pdf(notice: DelayNotice) -> bytes:
    """The notice as an A4 PDF to print and post or hand over: in the resident's language, then in Swedish.

    Only the words already sent or recorded: the same subject and body, re-rendered in Swedish from the same
    date and reason. No address is printed (staff address the envelope; a protected identity's address is never
    in the portal's hands), so the PDF can be given out as it is.
    """
    from portal.i18n import direction
    from portal.pdf import render_pdf

    source = source_language()
    sections = [(notice.language, direction(notice.language), notice.subject, notice.body)]
    if notice.language != source:
        subject, body = render_notice(language=source, expected_on=notice.expected_on, reason_code=notice.reason)
        sections.append((source, direction(source), subject, body))
    return render_pdf("intake/delay_notice_pdf.html", language=source, sections=sections,
                      sender=current_app.config["LETTER_SENDER"],
                      created_on=local_date(notice.created_at))
