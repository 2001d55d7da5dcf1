"""Outreach's part of a person's subject-access export (portal.subject_access): every notice about them,
with the steps taken, each move of its handling and why, the attempts to reach them and the decision, and their
row in the known-client register.

Notices are found by the person and also by personnummer: a notice not yet linked to the person (person_id
empty, as for notices stored before they were tied on arrival) is just as much about them. Corrections of
those notices, and notices filed under one of the person's intake items, are theirs too, unless they carry
another person's number. Fields are exported as stored, the `protected` flag
included: the export is for the person themself.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import or_, select

from outreach.funnel.models import LetterReturn, VariantAssignment
from outreach.notices.models import Attempt, KnownClient, Notice, NoticeAction, OutcomeChange
from portal.db import db
from portal.subject_access import Export, register_section, register_value_labels

# How a returned letter was registered, and which letter of a variant test a notice got.
RETURN_SOURCE_LABELS = {"qr": "QR-koden skannad", "code": "Koden inskriven", "number": "Brevets nummer"}
ARM_LABELS = {"standard": "Det vanliga brevet", "variant": "Brevvarianten som testades"}

# How a notice reached us.
CHANNEL_LABELS = {"file": "Fil från hyresvärden", "api": "Hyresvärdens system (API)",
                  "staff": "Inskriven av oss från papper"}


def _notice_ids(export: Export) -> set[int]:
    """The person's notices: theirs by person or number, and those linked to them (a correction, a notice filed
    under their intake item) unless that one names another person's number: then it is that person's (the
    landlord corrected a wrong number), and showing it here would give away someone else's data."""
    person = export.person
    not_someone_elses = or_(Notice.personnummer.is_(None), Notice.personnummer == person.personnummer)
    found = set(db.session.scalars(select(Notice.id).where(or_(
        Notice.person_id == person.id, Notice.personnummer == person.personnummer,
        Notice.intake_item_id.in_(export.intake_item_ids) & not_someone_elses))))
    new = set(found)
    while new:  # corrections of the person's notices, however many times corrected
        new = set(db.session.scalars(select(Notice.id).where(Notice.corrects_id.in_(new), not_someone_elses))) - found
        found |= new
    return found


def collect_notices(export: Export) -> list[dict[str, Any]]:
    """Every notice about the person, each with its actions, attempts and decision (a column of the notice),
    the letters that came back undelivered, and which letter a variant test gave them (they have a right to
    know they were part of one)."""
    ids = _notice_ids(export)
    records = []
    for notice in db.session.scalars(select(Notice).where(Notice.id.in_(ids)).order_by(Notice.id)):
        actions = [export.row(action) for action in db.session.scalars(
            select(NoticeAction).where(NoticeAction.notice_id == notice.id).order_by(NoticeAction.id))]
        attempts = [export.row(attempt) for attempt in db.session.scalars(
            select(Attempt).where(Attempt.notice_id == notice.id).order_by(Attempt.at, Attempt.id))]
        outcomes = [export.row(change) for change in db.session.scalars(
            select(OutcomeChange).where(OutcomeChange.notice_id == notice.id).order_by(OutcomeChange.id))]
        returned = [export.row(entry) for entry in db.session.scalars(
            select(LetterReturn).where(LetterReturn.notice_id == notice.id).order_by(LetterReturn.id))]
        variant = [export.row(entry) for entry in db.session.scalars(
            select(VariantAssignment).where(VariantAssignment.notice_id == notice.id))]
        records.append(export.row(notice, actions=actions, attempts=attempts, outcome_changes=outcomes,
                                  returned_letters=returned, letter_variant=variant))
    return records


def collect_known_client(export: Export) -> list[dict[str, Any]]:
    """The person's row in the known-client register (which unit and caseworker have them), if any."""
    return [export.row(row) for row in db.session.scalars(
        select(KnownClient).where(KnownClient.personnummer == export.person.personnummer))]


def register_export_sections(app: Flask) -> None:
    """Add the sections, and outreach's codes in words for the PDF, to the export (from outreach.init_app)."""
    from outreach.casework import forms, timeline, views

    register_section(app, "notices", "Underrättelser om risk för vräkning", collect_notices)
    register_section(app, "known_client", "Registret över aktuella klienter", collect_known_client)
    for table, column, labels in (
            ("notice", "kind", views.KIND_LABELS), ("notice", "outcome", forms.OUTCOME_LABELS),
            ("notice", "decision", forms.DECISION_LABELS), ("notice", "children", forms.CHILDREN_LABELS),
            ("notice", "tenancy_outcome", forms.TENANCY_LABELS), ("notice", "channel", CHANNEL_LABELS),
            ("notice_action", "kind", timeline.ACTION_LABELS),
            ("notice_outcome_change", "previous", forms.OUTCOME_LABELS),
            ("notice_outcome_change", "outcome", forms.OUTCOME_LABELS),
            ("notice_action", "status", {"pending": "Väntar", "done": "Klart"}),
            ("notice_attempt", "channel", forms.CHANNEL_LABELS), ("notice_attempt", "result", forms.RESULT_LABELS),
            ("letter_return", "source", RETURN_SOURCE_LABELS),
            ("letter_variant_assignment", "arm", ARM_LABELS)):
        register_value_labels(app, table, column, labels)
