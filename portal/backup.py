"""Backup and restore: the database and the stored files in one archive, with checksums to prove it whole.

The database is copied first and the files after, because files are always written before the rows that point
at them: every file a copied row refers to is then in the archive. SQLite is copied with its online backup API
(a consistent snapshot while the portal runs); PostgreSQL with pg_dump, which also reads one snapshot.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy.engine import make_url

from portal.db import db

FORMAT = "portal-backup-1"


class BackupError(RuntimeError):
    """The backup or restore could not be done; nothing was changed."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_url() -> str:
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _sqlite_path() -> Path:
    database = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).database
    if not database:
        raise BackupError("in-memory SQLite cannot be backed up")
    return Path(database)


def backup(out: Path) -> dict[str, Any]:
    """Write a consistent archive of the database and every stored file to `out` (atomically)."""
    dialect = db.engine.dialect.name
    storage = Path(current_app.config["STORAGE_DIR"])
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if dialect == "sqlite":
            db_file = work / "database.sqlite3"
            source = sqlite3.connect(_sqlite_path())
            target = sqlite3.connect(db_file)
            with target:
                source.backup(target)
            source.close()
            target.close()
        elif dialect == "postgresql":
            db_file = work / "database.pgdump"
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(db_file),
                  "--dbname", _pg_url()])
        else:
            raise BackupError(f"unsupported database: {dialect}")
        files = {}
        if storage.is_dir():
            for path in sorted(storage.rglob("*")):
                if path.is_file() and not path.name.startswith(".tmp-"):
                    files[path.relative_to(storage).as_posix()] = _sha256(path)
        manifest: dict[str, Any] = {"format": FORMAT, "database": dialect, "database_file": db_file.name,
                    "database_sha256": _sha256(db_file), "files": files}
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / "manifest.json", arcname="manifest.json")
            archive.add(db_file, arcname=db_file.name)
            for relative in files:
                archive.add(storage / relative, arcname=f"files/{relative}")
        os.replace(partial, out)
    return manifest


def restore(archive_path: Path) -> dict[str, Any]:
    """Replace the database and the stored files with an archive's, after checking every checksum in it."""
    storage = Path(current_app.config["STORAGE_DIR"])
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                archive.extractall(work, filter="data")
            manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
        except (tarfile.TarError, EOFError, OSError, ValueError) as error:
            raise BackupError("the archive cannot be read (damaged or not a portal backup)") from error
        if manifest.get("format") != FORMAT:
            raise BackupError("not a portal backup")
        db_file = work / manifest["database_file"]
        if _sha256(db_file) != manifest["database_sha256"]:
            raise BackupError("the database copy in the archive is damaged")
        for relative, checksum in manifest["files"].items():
            if _sha256(work / "files" / relative) != checksum:
                raise BackupError(f"a file in the archive is damaged: {relative}")
        dialect = db.engine.dialect.name
        if dialect != manifest["database"]:
            raise BackupError(f"the archive holds a {manifest['database']} database, this portal uses {dialect}")
        db.session.remove()
        db.engine.dispose()
        if dialect == "sqlite":
            target = _sqlite_path()
            staged = target.with_name(target.name + ".restoring")
            shutil.copyfile(db_file, staged)
            for suffix in ("-wal", "-shm"):
                Path(str(target) + suffix).unlink(missing_ok=True)
            os.replace(staged, target)
        else:
            _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                  "--dbname", _pg_url(), str(db_file)])
        new_storage = storage.with_name(storage.name + ".restoring")
        shutil.rmtree(new_storage, ignore_errors=True)
        if (work / "files").is_dir():
            shutil.copytree(work / "files", new_storage)
        else:
            new_storage.mkdir(parents=True)
        old_storage = storage.with_name(storage.name + ".before-restore")
        shutil.rmtree(old_storage, ignore_errors=True)
        if storage.exists():
            os.replace(storage, old_storage)
        os.replace(new_storage, storage)
        shutil.rmtree(old_storage, ignore_errors=True)
    return manifest


def _run(command: list[str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} is not installed (Debian package postgresql-client)")
    result = subprocess.run([tool, *command[1:]], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:500]}")
