"""add_document on both databases: refused files leave nothing behind, accepted ones are stored and recorded."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from portal.applications.models import ChecklistItem, ItemState
from portal.audit import AuditEvent
from portal.db import db
from portal.documents.checks import UploadRejected
from portal.documents.models import Document, DocumentStatus
from portal.documents.service import NotYours, add_document
from portal.storage import StoredFile, get_storage
from tests.documents import samples
from tests.documents.factories import create_application, upload
from tests.documents.test_checks import ATTACKS, CountingStream
from tests.factories import create_person
from tests.pages import login_resident, parse

OTHER_PERSONNUMMER = "202503082386"


def _stored_files(app: Flask) -> list[Path]:
    root = Path(app.config["STORAGE_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_no_file_of_the_attack_corpus_is_stored_or_recorded(app: Flask) -> None:
    person = create_person()
    application = create_application(person_id=person.id)
    item = application.checklist[0]
    for label, make, reason in ATTACKS:
        with pytest.raises(UploadRejected) as caught:
            add_document(item, upload(make(), name="kontoutdrag.pdf"), person_id=person.id)
        assert caught.value.reason == reason
        assert (_count(StoredFile), _count(Document), _stored_files(app)) == (0, 0, []), label
    for name in ("../../../etc/passwd", "kvitto\r\nSet-Cookie: x=1.pdf"):
        with pytest.raises(UploadRejected) as caught:
            add_document(item, upload(samples.real_pdf(), name=name), person_id=person.id)
        assert caught.value.reason == "name"
    db.session.expire_all()
    assert db.session.get(ChecklistItem, item.id).state == ItemState.MISSING  # type: ignore[union-attr]
    assert (_count(StoredFile), _count(Document), _stored_files(app)) == (0, 0, [])


def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(app: Flask) -> None:
    app.config["UPLOAD_MAX_BYTES"] = 1024 * 1024
    person = create_person()
    item = create_application(person_id=person.id).checklist[0]
    stream = CountingStream(100 * 1024 * 1024)
    with pytest.raises(UploadRejected) as caught:
        add_document(item, FileStorage(stream=stream, filename="stor.pdf"),  # type: ignore[arg-type]
                     person_id=person.id)
    with app.test_request_context("/ar/"):
        assert "1 MB" in str(caught.value)
        assert str(caught.value) != str(caught.value.message._args[0])  # translated into Arabic
    assert stream.consumed < 2 * 1024 * 1024
    assert (_count(StoredFile), _stored_files(app)) == (0, [])


def test_a_real_pdf_is_stored_unchanged_and_the_item_is_received(app: Flask) -> None:
    person = create_person()
    application = create_application(person_id=person.id)
    item = application.checklist[0]
    data = samples.real_pdf()
    document = add_document(item, upload(data, name="C:\\Users\\Amina\\Kontoutdrag okt.pdf"), person_id=person.id)
    db.session.expire_all()
    document = db.session.get(Document, document.id)
    assert document is not None
    assert document.status == DocumentStatus.RECEIVED
    assert (document.media_type, document.size) == ("application/pdf", len(data))
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.original_name == "Kontoutdrag okt.pdf"
    assert document.checklist_item.state == ItemState.RECEIVED
    with get_storage().open(document.stored_file.key) as handle:
        assert handle.read() == data
    stored = _stored_files(app)
    assert len(stored) == 1
    assert Path(app.config["STORAGE_DIR"]) in stored[0].parents
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "document.upload"))
    assert event is not None
    assert (event.actor_kind, event.person_id) == ("resident", person.id)


def test_a_phone_photo_and_a_heic_photo_are_stored_as_clean_jpegs(app: Flask) -> None:
    person = create_person()
    item = create_application(person_id=person.id).checklist[0]
    photo = add_document(item, upload(samples.phone_jpeg(), name="IMG_2041.JPG", content_type="image/jpeg"),
                         person_id=person.id)
    heic = add_document(item, upload(samples.phone_heic(), name="IMG_2042.HEIC", content_type="image/heic"),
                        person_id=person.id)
    for document in (photo, heic):
        assert document.media_type == "image/jpeg"
        with get_storage().open(document.stored_file.key) as handle:
            data = handle.read()
        assert data.startswith(b"\xff\xd8\xff")
        assert b"Exif" not in data[:64]
    assert heic.stored_file.original_name == "IMG_2042.jpg"


def test_another_persons_checklist_item_is_refused(app: Flask) -> None:
    owner = create_person()
    other = create_person(personnummer=OTHER_PERSONNUMMER, name="Annan Person")
    item = create_application(person_id=owner.id).checklist[0]
    with pytest.raises(NotYours):
        add_document(item, upload(samples.simple_pdf()), person_id=other.id)
    assert _count(StoredFile) == 0


def test_a_full_disk_gives_a_clear_message_and_leaves_nothing(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    person = create_person()
    item = create_application(person_id=person.id).checklist[0]

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(UploadRejected) as caught:
        add_document(item, upload(samples.simple_pdf()), person_id=person.id)
    assert caught.value.reason == "storage"
    assert (_count(StoredFile), _count(Document), _stored_files(app)) == (0, 0, [])


def test_a_100_mb_request_gets_413_with_a_clear_page_before_the_body_is_read(app: Flask,
                                                                              client: FlaskClient) -> None:
    login_resident(client, "201701012393")
    stream = CountingStream(100 * 1024 * 1024)
    response = client.post("/sv/logga-in/utveckling", input_stream=stream,  # type: ignore[arg-type]
                           content_type="multipart/form-data; boundary=x",
                           headers={"Content-Length": str(100 * 1024 * 1024)})
    assert response.status_code == 413
    page = parse(response)
    assert "för stor" in page.get_text()
    assert stream.consumed == 0
    assert _count(StoredFile) == 0


def test_the_upload_limit_setting_sizes_the_request_limit(app: Flask) -> None:
    from portal.config import load

    config = load({"PORTAL_UPLOAD_MAX_MB": "8"})
    assert config["UPLOAD_MAX_BYTES"] == 8 * 1024 * 1024
    assert config["MAX_CONTENT_LENGTH"] == 13 * 1024 * 1024
    assert load({})["UPLOAD_MAX_BYTES"] == 20 * 1024 * 1024


def test_a_subject_access_export_lists_the_persons_documents(app: Flask) -> None:
    from portal.subject_access import build_export

    person = create_person()
    application = create_application(person_id=person.id)
    add_document(application.checklist[0], upload(samples.simple_pdf(), name="lön.pdf"), person_id=person.id)
    exported = build_export(person).data["documents"]
    assert [(d["application"], d["file_name"], d["status"]) for d in exported] == [
        (application.reference, "lön.pdf", "received")]
    assert build_export(create_person(personnummer=OTHER_PERSONNUMMER)).data["documents"] == []
