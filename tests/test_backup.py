"""Backup and restore round trip: every row and every file checksum come back."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import inspect, text

from portal import audit
from portal.db import Base, db
from portal.storage import StoredFile, get_storage, store_file
from tests.factories import create_person, create_staff_user


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    tables = set(inspect(db.engine).get_table_names())
    snapshot = {}
    for table in Base.metadata.sorted_tables:
        if table.name in tables:
            rows = db.session.execute(text(f'SELECT * FROM "{table.name}"')).all()
            snapshot[table.name] = sorted(tuple(str(v) for v in row) for row in rows)
    return snapshot


def _file_checksums(app: Flask) -> dict[str, str]:
    root = Path(app.config["STORAGE_DIR"])
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file()}


def test_backup_then_restore_brings_back_every_row_and_file(app: Flask, runner: Any, tmp_path: Path) -> None:
    person = create_person()
    create_staff_user()
    for n in range(3):
        store_file([f"document {n}".encode()], media_type="application/pdf", original_name=f"d{n}.pdf")
    audit.record("person.view", person_id=person.id, object_type="person", object_id=person.id)
    db.session.commit()
    rows_before, files_before = _snapshot(), _file_checksums(app)
    archive = tmp_path / "backup.tar.gz"

    result = runner.invoke(args=["backup", "--out", str(archive)])
    assert result.exit_code == 0, result.output

    # Things change after the backup: a new person, a file lost, a new file.
    create_person(personnummer="202503082386")
    lost = db.session.scalars(db.select(StoredFile)).first()
    get_storage().delete(lost.key)
    store_file([b"after the backup"], media_type="application/pdf", original_name="late.pdf")
    db.session.commit()
    db.session.remove()

    refused = runner.invoke(args=["restore", str(archive)])
    assert refused.exit_code != 0
    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output

    assert _snapshot() == rows_before
    assert _file_checksums(app) == files_before
    runner.invoke(args=["audit", "verify"])
    assert audit.verify_chain()[1] == []


def test_a_damaged_archive_is_refused_and_changes_nothing(app: Flask, runner: Any, tmp_path: Path) -> None:
    create_person()
    archive = tmp_path / "backup.tar.gz"
    assert runner.invoke(args=["backup", "--out", str(archive)]).exit_code == 0
    archive.write_bytes(archive.read_bytes()[:200])
    rows_before = _snapshot()
    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 1
    assert "cannot be read" in result.output
    assert _snapshot() == rows_before
