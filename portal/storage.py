"""File storage outside the web root behind a small interface, so several machines can share one store.

Files are addressed by a random key; the database keeps the key, the sha256, the size and the media type
in `StoredFile`. Writes are atomic: a temporary file in the same directory is written, fsynced and renamed,
so a crash or a full disk never leaves a half-written file under a real key.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, db, utcnow

CHUNK = 1024 * 1024


class StorageError(RuntimeError):
    """Storing a file failed (for example the disk is full); nothing was stored."""


class TooLarge(StorageError):
    """The stream was longer than the limit; nothing was stored."""


@dataclass(frozen=True)
class Written:
    """What a write produced."""

    key: str
    sha256: str
    size: int


class Storage(Protocol):
    """What the rest of the product needs from a file store."""

    def write(self, chunks: Iterable[bytes], *, max_bytes: int | None = None) -> Written:
        """Store the bytes atomically under a new key."""

    def open(self, key: str) -> BinaryIO:
        """Open a stored file for reading."""

    def delete(self, key: str) -> None:
        """Remove a stored file; missing files are not an error."""

    def exists(self, key: str) -> bool:
        """True when a file is stored under key."""


class LocalStorage:
    """A directory on a local or shared file system."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not key or "/" in key or "\\" in key or key.startswith("."):
            raise ValueError("invalid storage key")
        return self.root / key[:2] / key

    def write(self, chunks: Iterable[bytes], *, max_bytes: int | None = None) -> Written:
        """Write to a temporary file, fsync, then rename into place under a fresh random key."""
        key = secrets.token_hex(16)
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in chunks:
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise TooLarge(f"more than {max_bytes} bytes")
                    digest.update(chunk)
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, target)
        except OSError as error:
            _remove_quietly(tmp_name)
            raise StorageError(str(error)) from error
        except BaseException:
            _remove_quietly(tmp_name)
            raise
        return Written(key=key, sha256=digest.hexdigest(), size=size)

    def open(self, key: str) -> BinaryIO:
        """Open a stored file for reading."""
        return self._path(key).open("rb")

    def delete(self, key: str) -> None:
        """Remove a stored file; missing files are not an error."""
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        """True when a file is stored under key."""
        return self._path(key).is_file()


def _remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def read_chunks(stream: BinaryIO, size: int = CHUNK) -> Iterable[bytes]:
    """Yield a stream in chunks, so large files never sit whole in memory."""
    while chunk := stream.read(size):
        yield chunk


def get_storage() -> Storage:
    """The storage configured for the current app."""
    storage: Storage | None = current_app.extensions.get("portal_storage")
    if storage is None:
        storage = LocalStorage(current_app.config["STORAGE_DIR"])
        current_app.extensions["portal_storage"] = storage
    return storage


class StoredFile(Base):
    """Metadata of one stored file; the bytes live in Storage under `key`."""

    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    media_type: Mapped[str] = mapped_column(String(100))
    original_name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def store_file(chunks: Iterable[bytes], *, media_type: str, original_name: str,
               max_bytes: int | None = None) -> StoredFile:
    """Write the bytes and add (not commit) their metadata row; the caller's transaction owns it.

    The bytes are written first, so a row never points at a missing file; if the caller's transaction
    then rolls back, the file is left unreferenced, which is harmless.
    """
    written = get_storage().write(chunks, max_bytes=max_bytes)
    record = StoredFile(key=written.key, sha256=written.sha256, size=written.size,
                        media_type=media_type, original_name=safe_name(original_name))
    db.session.add(record)
    return record


def safe_name(name: str, limit: int = 120) -> str:
    """A file name safe to show and to put in a Content-Disposition header."""
    base = os.path.basename((name or "").replace("\\", "/"))
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"/\\|?*;')
    cleaned = cleaned.strip(". ") or "file"
    return cleaned[-limit:]
