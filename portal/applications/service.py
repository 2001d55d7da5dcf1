"""The e-application's rules in action: start, save a page, keep the checklist, submit, confirm, status.

Services own the transaction: each public function that changes something commits once or raises.
Helpers named get_*/list_* never commit.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal import audit, interpreter
from portal.applications.area import in_service_area
from portal.applications.checklist import (
    refresh_checklist,
)
from portal.applications.models import (
    Application,
    ChecklistItem,
    ItemState,
    Kind,
    Status,
)
from portal.applications.steps import ASKED_AGAIN, STEPS_BY_KEY, has_partner
from portal.db import db, utcnow
from portal.intake.models import IntakeItem, Source, Urgency
from portal.people import Person, get_or_add_person
from portal.personnummer import parse
from portal.protection import protect_person

# Letters and digits that cannot be mistaken for each other when read aloud or typed from paper.
REFERENCE_ALPHABET = "ACDEFHJKLMNPRTUVWXY34679"


class ApplicationError(Exception):
    """What the resident asked for cannot be done (the view shows a message in their language)."""


class AlreadySubmitted(ApplicationError):
    """The answers of a sent application can no longer be changed."""


def _actor(person_id: int) -> tuple[str, int, str]:
    return ("resident", person_id, "resident")


def new_reference() -> str:
    """A human reference number such as EB-K7TM-4XRA (random, so it reveals nothing about volumes)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"EB-{chars[:4]}-{chars[4:]}"


def get_application_for_resident(application_id: int, person_id: int) -> Application | None:
    """The application if it is this resident's own (None for anyone else's: the routes then answer 404)."""
    application = db.session.get(Application, application_id)
    if application is None or application.person_id != person_id:
        return None
    return application


def get_application_for_co_applicant(application_id: int, person_id: int) -> Application | None:
    """The sent application if this resident is named on it as the co-applicant.

    A draft is not shown: its answers may still change after the co-applicant has confirmed them.
    """
    application = db.session.get(Application, application_id)
    if application is None or application.co_applicant_person_id != person_id or application.status == Status.DRAFT:
        return None
    return application


def intake_item_of(application_id: int | None) -> int | None:
    """The intake item a sent application is in (None for no application, an unknown one or a draft)."""
    if application_id is None:
        return None
    return db.session.scalar(select(Application.intake_item_id).where(Application.id == application_id))


def list_for_resident(person_id: int) -> list[Application]:
    """The resident's own applications, newest first."""
    return list(db.session.scalars(select(Application).where(Application.person_id == person_id)
                                   .order_by(Application.id.desc())))


def list_awaiting_confirmation(person_id: int) -> list[Application]:
    """Applications that name this resident as co-applicant and that they have not confirmed yet."""
    return list(db.session.scalars(select(Application).where(
        Application.co_applicant_person_id == person_id, Application.co_applicant_confirmed_at.is_(None),
        Application.status != Status.DRAFT).order_by(Application.id)))


def get_draft(person_id: int) -> Application | None:
    """The resident's application in progress, if any."""
    return db.session.scalar(select(Application).where(Application.person_id == person_id,
                                                       Application.status == Status.DRAFT)
                             .order_by(Application.id.desc()).limit(1))


def get_last_submitted(person_id: int) -> Application | None:
    """The resident's latest sent application, if any."""
    return db.session.scalar(select(Application).where(Application.person_id == person_id,
                                                       Application.status != Status.DRAFT)
                             .order_by(Application.submitted_at.desc(), Application.id.desc()).limit(1))


def _prefill(previous: Application) -> dict[str, Any]:
    """A repeat application starts from the last one's answers; the month, what changed and whether the
    situation is urgent are asked anew (steps.ASKED_AGAIN), never copied."""
    answers = {key: dict(value) for key, value in previous.answers.items() if key != "month"}
    for key, names in ASKED_AGAIN.items():
        for name in names:
            answers.get(key, {}).pop(name, None)
    return answers


def start_application(person_id: int, *, language: str) -> Application:
    """The resident's draft (one at a time), or a new one, pre-filled from the last one when there is one.

    A double click sends two starts at once. On PostgreSQL the person's row is locked, so the second waits and
    then finds the first one's draft; SQLite has one writer at a time, so after its insert the second sees the
    first's committed draft and gives up its own.
    """
    db.session.execute(select(Person.id).where(Person.id == person_id).with_for_update())
    draft = get_draft(person_id)
    if draft is not None:
        return draft
    previous = get_last_submitted(person_id)
    application = Application(person_id=person_id, status=Status.DRAFT, language=language, answers={},
                              started_at=utcnow(), kind=Kind.FIRST)
    if previous is not None:
        application.answers = _prefill(previous)
        application.previous_application_id = previous.id
        window = timedelta(days=current_app.config.get("REPEAT_APPLICATION_DAYS", 62))
        if previous.submitted_at is not None and utcnow() - previous.submitted_at <= window:
            application.kind = Kind.REPEAT
        application.email = previous.email
        application.co_applicant_person_id = previous.co_applicant_person_id
    for _ in range(5):
        application.reference = new_reference()
        db.session.add(application)
        try:
            db.session.flush()
            break
        except IntegrityError:  # pragma: no cover - a clash needs one in 24^8 luck
            db.session.rollback()
    earlier = db.session.scalar(select(Application).where(Application.person_id == person_id,
                                                          Application.status == Status.DRAFT,
                                                          Application.id != application.id)
                                .order_by(Application.id).limit(1))
    if earlier is not None:
        db.session.rollback()
        return earlier
    refresh_checklist(application)
    audit.record("application.start", person_id=person_id, object_type="application", object_id=application.id,
                 actor=_actor(person_id))
    db.session.commit()
    return application


def step_context(application: Application) -> dict[str, Any]:
    """What earlier pages said that changes a page (a partner's questions, a repeat application's)."""
    person = db.session.get(Person, application.person_id)
    return {"has_partner": has_partner(application.answers), "repeat": application.kind == Kind.REPEAT,
            "own_personnummer": person.personnummer if person else None}


def save_step(application: Application, step_key: str, answers: dict[str, Any], *, person_id: int) -> Application:
    """Store one page's answers at once (resume from any device), update the flags and checklist, and commit."""
    if application.status != Status.DRAFT:
        raise AlreadySubmitted()
    if step_key not in STEPS_BY_KEY:
        raise KeyError(step_key)
    stored = dict(application.answers)
    stored[step_key] = answers
    if step_key == "partner" and answers.get("has_partner") != "yes":
        income = dict(stored.get("income", {}))
        if income:
            income["partner_income_types"], income["partner_income_amount"] = [], ""
            stored["income"] = income
    application.answers = stored  # a new dict, so the JSON column is written
    if step_key == "about":
        application.email = answers.get("email") or None
        application.outside_area = not in_service_area(answers.get("postcode"),
                                                       current_app.config.get("SERVICE_AREA_POSTCODES", ""))
        person = db.session.get(Person, person_id)
        if person is not None and not person.name and answers.get("name"):
            person.name = answers["name"]
    if step_key == "partner":
        _set_co_applicant(application, answers)
    refresh_checklist(application)
    db.session.commit()
    return application


def _set_co_applicant(application: Application, answers: dict[str, Any]) -> None:
    number = answers.get("partner_personnummer") if answers.get("has_partner") == "yes" else None
    if not number:
        application.co_applicant_person_id = None
        application.co_applicant_confirmed_at = None
        return
    partner = get_or_add_person(parse(number).digits)
    if partner.id == application.person_id:
        return
    if application.co_applicant_person_id != partner.id:
        application.co_applicant_person_id = partner.id
        application.co_applicant_confirmed_at = None
    if not partner.name and answers.get("partner_name"):
        partner.name = answers["partner_name"]


def send_later(item: ChecklistItem, *, person_id: int) -> ChecklistItem:
    """The resident will send this document later: remember when, for the reminder, and commit."""
    if item.state in (ItemState.MISSING, ItemState.NEW_COPY_REQUESTED):
        item.state = ItemState.LATER
        item.later_since = utcnow()
        audit.record("application.document_later", person_id=person_id, object_type="checklist_item",
                     object_id=item.id, actor=_actor(person_id))
        db.session.commit()
    return item


def _summary(application: Application) -> str:
    """The intake item's one-line summary: staff language, no more than the queue needs."""
    month = application.answers.get("month", {}).get("month", "")
    parts = ["E-ansökan", "återansökan" if application.kind == Kind.REPEAT else "nyansökan"]
    if month:
        parts.append(f"för {month}")
    if application.outside_area:
        parts.append("UTANFÖR OMRÅDET: hänvisa")
    if application.co_applicant_person_id and application.co_applicant_confirmed_at is None:
        parts.append("medsökande har inte bekräftat")
    return ", ".join(parts)


def _urgency(application: Application) -> Urgency:
    value = application.answers.get("about", {}).get("urgent", "no")
    return Urgency(value) if value in (Urgency.NO_MONEY_FOR_FOOD, Urgency.NO_PLACE_TO_SLEEP) else Urgency.NORMAL


def submit_application(application_id: int, *, person_id: int, language: str | None = None) -> Application:
    """Send the application: mark it submitted and put it in the intake queue, once.

    A double click or a resent form never makes two: the conditional UPDATE (status still draft) is the
    lock. On PostgreSQL a second transaction waits for the first one's row lock, then finds the status
    changed and updates nothing; SQLite serialises writers. The intake item's unique source_key is a
    second guard. Documents may still be missing: nobody is turned away for them.
    """
    application = get_application_for_resident(application_id, person_id)
    if application is None:
        raise LookupError(application_id)
    if application.status != Status.DRAFT:
        return application
    from portal.intake.service import add_intake_item

    now = utcnow()
    result = db.session.execute(
        update(Application).where(Application.id == application_id, Application.status == Status.DRAFT)
        .values(status=Status.SUBMITTED, submitted_at=now, updated_at=now)
        .execution_options(synchronize_session=False))
    if getattr(result, "rowcount", 0) != 1:
        db.session.rollback()
        refreshed = get_application_for_resident(application_id, person_id)
        assert refreshed is not None
        return refreshed
    db.session.refresh(application)
    if language:
        application.language = language
    about = application.answers.get("about", {})
    item = add_intake_item(source=Source.E_APPLICATION, source_key=f"application:{application.id}",
                           person_id=person_id, summary=_summary(application), urgency=_urgency(application),
                           language=application.language, actor_label="e-ansökan", received_at=now)
    item.contact_name = about.get("name") or None
    item.contact_phone = about.get("phone") or None
    item.contact_email = application.email
    application.intake_item_id = item.id
    person = db.session.get(Person, person_id)
    if about.get("protected_identity") == "yes" and person is not None:
        # The resident's own word is enough to hide the address everywhere; never cleared by a later "no".
        protect_person(person, source="e-ansökan")
    if person is not None:
        # The person's own word, held on the person: the reception's day list, the item, the meeting and any
        # outreach letter read it from there.
        interpreter.record_from_source(
            person, needed={"yes": True, "no": False}.get(about.get("interpreter", "")),
            language=about.get("interpreter_language") or (application.language if about.get("interpreter") ==
                                                            "yes" else None),
            source=interpreter.APPLICATION, actor=_actor(person_id))
    audit.record("application.submit", person_id=person_id, object_type="application", object_id=application.id,
                 actor=_actor(person_id))
    try:
        db.session.commit()
    except IntegrityError:
        # The other request created the intake item first (unique source_key): its submit stands.
        db.session.rollback()
        refreshed = get_application_for_resident(application_id, person_id)
        assert refreshed is not None
        return refreshed
    return application


def confirm_as_co_applicant(application_id: int, *, person_id: int) -> Application:
    """The co-applicant confirms the application with their own e-ID login; confirming twice changes nothing."""
    application = get_application_for_co_applicant(application_id, person_id)
    if application is None:
        raise LookupError(application_id)
    if application.co_applicant_confirmed_at is None:
        application.co_applicant_confirmed_at = utcnow()
        if application.intake_item_id is not None:
            from portal.intake.service import add_event

            item = db.session.get(IntakeItem, application.intake_item_id)
            if item is not None:
                item.summary = _summary(application)
                add_event(item, "e-ansökan", "co_applicant_confirmed")
        audit.record("application.co_applicant_confirm", person_id=person_id, object_type="application",
                     object_id=application.id, actor=_actor(person_id))
        db.session.commit()
    return application


def decision_deadline(application: Application) -> date | None:
    """The promised decision day, once the documents are complete (read from the intake item's clock)."""
    if application.intake_item_id is None:
        return None
    from portal.intake.service import deadlines_for

    item = db.session.get(IntakeItem, application.intake_item_id)
    if item is None or item.documents_complete_on is None:
        return None
    return deadlines_for(item).decision_on


def same_month_applications(application: Application) -> list[Application]:
    """The household's other sent applications for the month this one is for (a warning, never a refusal:
    a second application for a month can be right, for example after a change)."""
    month = application.answers.get("month", {}).get("month")
    if not month:
        return []
    sent = db.session.scalars(select(Application).where(Application.person_id == application.person_id,
                                                        Application.id != application.id,
                                                        Application.status != Status.DRAFT)
                              .order_by(Application.id))
    return [other for other in sent if other.answers.get("month", {}).get("month") == month]


def person_name(person_id: int) -> str:
    """The name we know for a person (empty when none), to start the first page with."""
    person = db.session.get(Person, person_id)
    return (person.name or "") if person else ""


def minutes_to_complete() -> list[float]:
    """Minutes from start to submission of every sent application (for reporting time to complete)."""
    rows = db.session.execute(select(Application.started_at, Application.submitted_at)
                              .where(Application.submitted_at.is_not(None))).all()
    return [(submitted - started).total_seconds() / 60 for started, submitted in rows if submitted and started]

