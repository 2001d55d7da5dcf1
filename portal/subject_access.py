"""The subject-access export (registerutdrag, GDPR art. 15): everything the unit holds about one person.

The export is for the person themself, so it holds everything as stored, also the address of a person with
skyddade personuppgifter; that is why only administrators can make it, and why every export is written to the
access log with the person (`record_export`).

It walks the data from the person: their applications (as applicant or co-applicant) with answers, checklist,
messages and documents; their intake items with history, meeting decisions, hand-offs, delay notices and
bookings; their letters; the access log about them. Areas that portal must not import (outreach's notices)
add their part with `register_section` in their `init_app`. Every row is dumped with all its columns through
`Export.row`, which also notes the row in `contents` (table → ids), so a new column is never left out and the
completeness test (tests/test_subject_access.py) can compare the export with every table that refers to a person.

The result is written as one ZIP: export.json, export.pdf (readable, in Swedish) and files/ (the documents the
person sent and the letters we sent them, as stored).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any, cast

from flask import Flask
from sqlalchemy import Table, inspect, or_, select
from sqlalchemy.orm import DeclarativeBase

from portal import audit
from portal.applications.models import Application, ApplicationMessage, ChecklistItem
from portal.audit import AuditEvent
from portal.booking.models import Booking, BookingEvent
from portal.db import db, utcnow
from portal.documents.models import Document
from portal.intake.models import DelayNotice, Handoff, IntakeEvent, IntakeItem, MeetingDecision
from portal.letters.models import Letter
from portal.people import Person, get_person_by_personnummer
from portal.personnummer import InvalidIdentityNumber, parse
from portal.registry import Registry
from portal.storage import StoredFile, get_storage, read_chunks, safe_name

FORMAT = "registerutdrag/1"

# Columns left out on purpose: secrets that would only help someone who got hold of the archive (the hash of
# the rebooking code), and the audit chain's own bookkeeping (hashes, sequence, the staff member's IP address).
OMITTED: dict[str, frozenset[str]] = {
    "booking": frozenset({"code_hash"}),
    "audit_event": frozenset({"chain_seq", "prev_hash", "hash", "remote_addr", "actor_id"}),
}


def jsonable(value: Any) -> Any:
    """A column value as JSON: dates as ISO 8601, enums as their stored text, JSON columns as they are."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)  # a StrEnum becomes its plain value
    return value


@dataclass
class ExportFile:
    """A stored file that goes into the archive under `path`."""

    path: str
    stored_file: StoredFile


@dataclass
class Export:
    """One person's export while it is built: the data, the files for the archive, and which rows it holds."""

    person: Person
    data: dict[str, Any] = field(default_factory=dict)
    files: list[ExportFile] = field(default_factory=list)
    contents: dict[str, set[Any]] = field(default_factory=dict)
    # Filled by the core walk, for sections that hang off these records (a notice's intake item).
    intake_item_ids: set[int] = field(default_factory=set)

    def row(self, obj: DeclarativeBase, **extra: Any) -> dict[str, Any]:
        """Every column of one row (less OMITTED), noted in `contents`; `extra` adds nested records."""
        mapper = inspect(obj).mapper
        table = cast(Table, mapper.local_table)  # every model here maps one table
        left_out = OMITTED.get(table.name, frozenset())
        values = {column.name: jsonable(getattr(obj, mapper.get_property_by_column(column).key))
                  for column in table.columns if column.name not in left_out}
        for column in table.primary_key:
            self.contents.setdefault(table.name, set()).add(values[column.name])
        values.update(extra)
        values["table"] = table.name  # which register the record is from (no column is named so)
        return values

    def add_file(self, folder: str, ident: int, stored_file: StoredFile) -> str:
        """Put a stored file in the archive; returns its path there."""
        path = f"files/{folder}/{ident}-{safe_name(stored_file.original_name) or 'fil'}"
        self.files.append(ExportFile(path, stored_file))
        return path


@dataclass(frozen=True)
class Section:
    """An area's part of the export: `collect` returns its records (and may add files)."""

    key: str
    title: str
    collect: Callable[[Export], list[dict[str, Any]]]


SECTIONS: Registry[Section] = Registry("subject_access", key=lambda section: section.key)
# Plain Swedish for stored codes in the PDF, per (table, column): {"submitted": "Skickad, vi går igenom den"}.
VALUE_LABELS: Registry[tuple[str, str, Mapping[Any, Any]]] = Registry("subject_access_labels",
                                                                      key=lambda entry: entry[:2])


def register_section(app: Flask, key: str, title: str, collect: Callable[[Export], list[dict[str, Any]]]) -> None:
    """Let an area add what it holds about a person (from the area's init_app)."""
    SECTIONS.add(app, Section(key, title, collect))


def register_value_labels(app: Flask, table: str, column: str, labels: Mapping[Any, Any]) -> None:
    """Let an area say in words what its stored codes mean, for the PDF (the JSON keeps the codes)."""
    VALUE_LABELS.add(app, (table, column, labels))


def find_person(personnummer: str) -> Person | None:
    """The person with this personnummer or samordningsnummer, written in any accepted form.

    Raises InvalidIdentityNumber for a number that is not one."""
    return get_person_by_personnummer(parse(personnummer).digits)


def _fixpoint(start: set[int], step: Callable[[set[int]], Iterable[int]]) -> set[int]:
    """Grow a set of ids until `step` finds nothing new (links between records of the same kind)."""
    found = set(start)
    new = set(start)
    while new:
        new = set(step(new)) - found
        found |= new
    return found


def _applications(export: Export) -> list[Application]:
    """The person's applications, as applicant or co-applicant, those that follow them (repeat applications
    of the household) and those filed under one of the person's intake items."""
    pid = export.person.id
    direct = set(db.session.scalars(select(Application.id).where(or_(
        Application.person_id == pid, Application.co_applicant_person_id == pid,
        Application.intake_item_id.in_(export.intake_item_ids)))))
    ids = _fixpoint(direct, lambda new: db.session.scalars(
        select(Application.id).where(Application.previous_application_id.in_(new))))
    return list(db.session.scalars(select(Application).where(Application.id.in_(ids)).order_by(Application.id)))


def _stored_file_fields(export: Export, folder: str, ident: int, stored: StoredFile) -> dict[str, Any]:
    return {"file": export.add_file(folder, ident, stored), "file_sha256": stored.sha256, "file_size": stored.size}


def _collect_applications(export: Export) -> list[dict[str, Any]]:
    records = []
    for application in _applications(export):
        checklist = [export.row(item) for item in application.checklist]
        messages = [export.row(message) for message in db.session.scalars(
            select(ApplicationMessage).where(ApplicationMessage.application_id == application.id)
            .order_by(ApplicationMessage.id))]
        records.append(export.row(application, checklist=checklist, messages=messages))
    return records


def _collect_documents(export: Export) -> list[dict[str, Any]]:
    """Documents on the person's applications, and any the person uploaded elsewhere (as co-applicant)."""
    application_ids = export.contents.get("application", set())
    documents = db.session.scalars(
        select(Document).join(ChecklistItem, Document.checklist_item_id == ChecklistItem.id)
        .where(or_(ChecklistItem.application_id.in_(application_ids),
                   Document.uploaded_by_person_id == export.person.id))
        .order_by(Document.id))
    return [export.row(document, application=document.checklist_item.application.reference,
                       checklist_item=document.checklist_item.key, file_name=document.original_name,
                       **_stored_file_fields(export, "dokument", document.id, document.stored_file))
            for document in documents]


def _collect_intake_items(export: Export) -> list[dict[str, Any]]:
    records = []
    items = db.session.scalars(select(IntakeItem).where(IntakeItem.id.in_(export.intake_item_ids))
                               .order_by(IntakeItem.id))
    for item in items:
        def rows_of(model: Any, item_id: int = item.id) -> list[dict[str, Any]]:
            return [export.row(obj) for obj in db.session.scalars(
                select(model).where(model.item_id == item_id).order_by(model.id))]

        records.append(export.row(item, events=rows_of(IntakeEvent), meeting_decisions=rows_of(MeetingDecision),
                                  handoffs=rows_of(Handoff), delay_notices=rows_of(DelayNotice)))
    return records


def _collect_bookings(export: Export) -> list[dict[str, Any]]:
    bookings = list(db.session.scalars(select(Booking).where(Booking.intake_item_id.in_(export.intake_item_ids))
                                       .order_by(Booking.starts_at)))
    events: dict[int, list[BookingEvent]] = {booking.id: [] for booking in bookings}
    for event in db.session.scalars(select(BookingEvent).where(BookingEvent.booking_id.in_(list(events)))
                                    .order_by(BookingEvent.id)):
        events[event.booking_id].append(event)
    return [export.row(booking, events=[export.row(event) for event in events[booking.id]])
            for booking in bookings]


def _collect_letters(export: Export) -> list[dict[str, Any]]:
    return [export.row(letter, **_stored_file_fields(export, "brev", letter.id, letter.stored_file))
            for letter in db.session.scalars(select(Letter).where(Letter.person_id == export.person.id)
                                             .order_by(Letter.id))]


# Audit events name their object by type and id; the type is the table's name, except here.
OBJECT_TYPES = {"intake_delay_notice": "delay_notice"}


def _collect_access_log(export: Export) -> list[dict[str, Any]]:
    """Events with the person, and events about any record in the export that were written without the person
    (a notice read before the pipeline linked it to them is still a read of their data)."""
    about = [AuditEvent.person_id == export.person.id]
    for table, ids in export.contents.items():
        if table != "audit_event":
            about.append((AuditEvent.object_type == OBJECT_TYPES.get(table, table))
                         & AuditEvent.object_id.in_(sorted(str(i) for i in ids)))
    return [export.row(event) for event in db.session.scalars(
        select(AuditEvent).where(or_(*about)).order_by(AuditEvent.chain_seq))]


# Portal's own parts, in the order the PDF shows them; registered sections (notices) come after the letters.
CORE_BEFORE: tuple[Section, ...] = (
    Section("applications", "Ansökningar om ekonomiskt bistånd", _collect_applications),
    Section("documents", "Handlingar du har skickat in", _collect_documents),
    Section("intake_items", "Ärenden i mottagningens kö", _collect_intake_items),
    Section("bookings", "Bokade tider", _collect_bookings),
    Section("letters", "Brev", _collect_letters),
)
CORE_AFTER: tuple[Section, ...] = (
    Section("access_log", "Vem som har läst eller ändrat uppgifter om dig", _collect_access_log),
)


def sections() -> list[Section]:
    """Every section, in the order of the export."""
    return [*CORE_BEFORE, *SECTIONS.all(), *CORE_AFTER]


def build_export(person: Person) -> Export:
    """Walk everything held about the person (reads only; the caller records the export)."""
    export = Export(person=person)
    export.intake_item_ids = set(db.session.scalars(select(IntakeItem.id).where(IntakeItem.person_id == person.id)))
    export.data["format"] = FORMAT
    export.data["made_at"] = utcnow().isoformat()
    # Named, not only dumped with the columns: the protection stays in the export however Person comes to
    # hold it (a column today, possibly derived from its sources later).
    export.data["person"] = export.row(person, protection=jsonable(person.protection))
    for section in sections():
        export.data[section.key] = section.collect(export)
    export.data["tables"] = {table: sorted(ids, key=str) for table, ids in sorted(export.contents.items())}
    export.data["files"] = [f.path for f in export.files]
    return export


def export_json(export: Export) -> bytes:
    """The export as UTF-8 JSON (non-ASCII kept readable)."""
    return json.dumps(export.data, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")


def export_pdf(export: Export) -> bytes:
    """The export as a readable PDF in Swedish (portal.pdf: WeasyPrint from an HTML template)."""
    from portal.pdf import render_pdf
    from portal.subject_access_labels import field_label, format_value, part_label

    value_labels = {(table, column): labels for table, column, labels in VALUE_LABELS.all()}

    def readable(table: str | None, column: str, value: Any) -> str:
        labels = value_labels.get((table or "", column))
        if labels is not None and isinstance(value, str) and value in labels:
            return str(labels[value])
        return format_value(value)

    return render_pdf("subject_access/export_pdf.html", language="sv", export=export, data=export.data,
                      sections=sections(), field_label=field_label, part_label=part_label, readable=readable,
                      answers_in_words=_answers_in_words(export))


def _answers_in_words(export: Export) -> dict[int, list[tuple[str, list[tuple[str, str]]]]]:
    """Each application's answers as the resident saw them on the check-your-answers page (question and answer
    in words, in Swedish), for the PDF; the JSON keeps them as stored."""
    from flask_babel import force_locale

    from portal.applications import labels
    from portal.applications.service import step_context

    words: dict[int, list[tuple[str, list[tuple[str, str]]]]] = {}
    with force_locale("sv"):
        for application in db.session.scalars(select(Application).where(
                Application.id.in_(export.contents.get("application", set())))):
            month = (application.answers.get("month") or {}).get("month")
            choices = [(month, labels.month_text(month))] if month else []
            words[application.id] = [
                (str(section.step.title), [(row.label, row.value) for row in section.rows])
                for section in labels.answer_sections(application, step_context(application), choices)]
    return words


def write_archive(export: Export, target: IO[bytes]) -> list[str]:
    """Write the ZIP (export.json, export.pdf, files/…) to `target`; returns the files that could not be read
    or no longer match their checksum (they are left out and named in files/SAKNAS.txt, never silently)."""
    problems: list[str] = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export.json", export_json(export))
        archive.writestr("export.pdf", export_pdf(export))
        storage = get_storage()
        for item in export.files:
            try:
                with storage.open(item.stored_file.key) as stream, archive.open(item.path, "w") as out:
                    digest = hashlib.sha256()
                    for chunk in read_chunks(stream):
                        digest.update(chunk)
                        out.write(chunk)
            except OSError:
                problems.append(f"{item.path}: filen saknas i lagringen")
                continue
            if digest.hexdigest() != item.stored_file.sha256:
                problems.append(f"{item.path}: filen stämmer inte med sin kontrollsumma")
        if problems:
            archive.writestr("files/SAKNAS.txt", "\n".join(problems) + "\n")
    return problems


def record_export(person: Person, *, actor: tuple[str, int | None, str] | None = None) -> None:
    """Write the export to the access log with the person, and commit (the export is the most complete read
    of a person there is)."""
    audit.record("person.export", person_id=person.id, object_type="person", object_id=person.id,
                 detail="registerutdrag", actor=actor)
    db.session.commit()


__all__ = ["Export", "InvalidIdentityNumber", "build_export", "export_json", "export_pdf", "find_person",
           "record_export", "register_section", "write_archive"]
