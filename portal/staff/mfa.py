"""The staff second factor: TOTP (RFC 6238) with one-time recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
from sqlalchemy import select

from portal import audit, qr
from portal.db import db, utcnow
from portal.staff.models import RecoveryCode, StaffUser

ISSUER = "Ekonomiskt bistånd"
RECOVERY_CODES = 10


def new_secret() -> str:
    """A fresh base32 TOTP secret."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg_data_uri(uri: str) -> str:
    """The QR code as an SVG data URI (allowed by the CSP as an image; no script, no outside request)."""
    return qr.svg_data_uri(uri, scale=5)


def _matching_step(secret: str, code: str, at: float | None = None) -> int | None:
    """The time step a code belongs to (one step of clock drift each way), or None."""
    totp = pyotp.TOTP(secret)
    now = at if at is not None else time.time()
    cleaned = code.replace(" ", "")
    for drift in (0, -1, 1):
        moment = now + drift * totp.interval
        if hmac.compare_digest(totp.at(moment), cleaned):
            return int(moment // totp.interval)
    return None


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").replace(" ", "").lower().encode()).hexdigest()


def enrol(user: StaffUser, secret: str, code: str) -> list[str] | None:
    """Confirm enrolment with a first code; returns the recovery codes (shown once), or None if the code is wrong."""
    step = _matching_step(secret, code)
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.staff_user_id == user.id))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(staff_user_id=user.id, code_hash=_hash_code(c)) for c in codes)
    audit.record("staff.mfa_enrolled", object_type="staff_user", object_id=user.id,
                 actor=("staff", user.id, user.email))
    db.session.commit()
    return codes


def verify(user: StaffUser, code: str, at: float | None = None) -> bool:
    """Check a TOTP code (each time step only once) or an unused recovery code; commits the result."""
    if not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code, at)
    if step is not None and (user.totp_last_step is None or step > user.totp_last_step):
        user.totp_last_step = step
        db.session.commit()
        return True
    recovery = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.staff_user_id == user.id, RecoveryCode.code_hash == _hash_code(code),
        RecoveryCode.used_at.is_(None)))
    if recovery is not None:
        recovery.used_at = utcnow()
        audit.record("staff.recovery_code_used", object_type="staff_user", object_id=user.id,
                     actor=("staff", user.id, user.email))
        db.session.commit()
        return True
    audit.record("staff.mfa_failed", object_type="staff_user", object_id=user.id, actor=("anonymous", None, "login"))
    db.session.commit()
    return False


def is_enrolled(user: StaffUser) -> bool:
    """True when the user has a confirmed second factor."""
    return user.totp_enabled_at is not None and bool(user.totp_secret)
