"""Landlords' API keys: shown once when created, stored only as SHA-256, revocable."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from enum import StrEnum

from sqlalchemy import select

from outreach.notices.models import ApiKey
from portal import audit
from portal.db import db, utcnow

PREFIX = "nk_"


class KeyCheck(StrEnum):
    """Why a presented key was or was not accepted."""

    OK = "ok"
    MISSING = "missing"
    UNKNOWN = "unknown"
    REVOKED = "revoked"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_key(*, landlord_name: str, landlord_orgnr: str | None) -> tuple[ApiKey, str]:
    """Create a key for a landlord organisation; returns the row and the key text (shown once, never stored)."""
    prefix = secrets.token_hex(6)
    key_text = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(prefix=prefix, key_hash=_hash(key_text), landlord_name=landlord_name.strip()[:200],
                 landlord_orgnr=(landlord_orgnr or "").strip()[:20] or None)
    db.session.add(key)
    db.session.flush()
    audit.record("outreach.api_key_created", object_type="api_key", object_id=key.id, detail=key.landlord_name)
    db.session.commit()
    return key, key_text


def list_keys() -> list[ApiKey]:
    """Every key, newest first."""
    return list(db.session.scalars(select(ApiKey).order_by(ApiKey.id.desc())))


def revoke_key(key_id: int) -> ApiKey | None:
    """Revoke a key (it answers 403 from now on); None when there is no such key."""
    key = db.session.get(ApiKey, key_id)
    if key is None:
        return None
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        audit.record("outreach.api_key_revoked", object_type="api_key", object_id=key.id, detail=key.landlord_name)
        db.session.commit()
    return key


def check_key(header: str | None) -> tuple[KeyCheck, ApiKey | None]:
    """Check an `Authorization: Bearer ...` header against the stored hashes (constant-time compare)."""
    if not header or not header.startswith("Bearer "):
        return KeyCheck.MISSING, None
    key_text = header[len("Bearer "):].strip()
    parts = key_text.split("_")
    if not key_text.startswith(PREFIX) or len(parts) < 3:
        return KeyCheck.UNKNOWN, None
    key = db.session.scalar(select(ApiKey).where(ApiKey.prefix == parts[1]))
    if key is None or not hmac.compare_digest(key.key_hash, _hash(key_text)):
        return KeyCheck.UNKNOWN, None
    if key.revoked_at is not None:
        return KeyCheck.REVOKED, key
    return KeyCheck.OK, key


def key_prefix(header: str | None) -> str:
    """The key's public prefix, for rate limiting per key (the remote address when there is none)."""
    if header and header.startswith("Bearer " + PREFIX):
        parts = header[len("Bearer "):].split("_")
        if len(parts) >= 3:
            return parts[1]
    return ""
