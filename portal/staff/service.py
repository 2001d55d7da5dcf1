"""Staff accounts: creation, password checks, lockout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from portal import audit
from portal.db import db, utcnow
from portal.staff.models import Role, StaffUser

_hasher = PasswordHasher()
# Verifying against this when the account does not exist makes a wrong e-mail cost the same time
# as a wrong password, so timing does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")

MIN_PASSWORD_LENGTH = 12


class StaffError(ValueError):
    """An account could not be created."""


def normalise_email(email: str) -> str:
    """E-mail addresses compare case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def create_staff(*, email: str, role: Role, password: str, name: str | None = None) -> StaffUser:
    """Create a staff account and commit it with its audit event."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise StaffError("Ogiltig e-postadress.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffError(f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken.")
    if get_staff_by_email(email) is not None:
        raise StaffError("Det finns redan ett konto med den e-postadressen.")
    user = StaffUser(email=email, role=role, name=name or email.split("@")[0],
                     password_hash=_hasher.hash(password), active=True, failed_logins=0)
    db.session.add(user)
    db.session.flush()
    audit.record("staff.create", object_type="staff_user", object_id=user.id, detail=role.value,
                 actor=("system", None, "cli"))
    db.session.commit()
    return user


def get_staff_by_email(email: str) -> StaffUser | None:
    """The account with this e-mail address, if any."""
    return db.session.scalar(select(StaffUser).where(func.lower(StaffUser.email) == normalise_email(email)))


def get_staff(user_id: int) -> StaffUser | None:
    """The account with this id, if any."""
    return db.session.get(StaffUser, user_id)


def list_staff(role: Role | None = None) -> list[StaffUser]:
    """All accounts, or those with one role, by name."""
    query = select(StaffUser).order_by(StaffUser.name)
    if role is not None:
        query = query.where(StaffUser.role == role)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt; `user` is set only on success."""

    user: StaffUser | None


def authenticate(email: str, password: str, *, max_failures: int, lock_minutes: int,
                 now: datetime | None = None) -> LoginResult:
    """Check a password with lockout; every failure looks the same to the caller."""
    now = now or utcnow()
    user = get_staff_by_email(email)
    if user is None or not user.active:
        _verify(_DUMMY_HASH, password)
        return LoginResult(None)
    if user.locked_until is not None and user.locked_until > now:
        _verify(_DUMMY_HASH, password)
        audit.record("staff.login_locked", object_type="staff_user", object_id=user.id,
                     actor=("anonymous", None, "login"))
        db.session.commit()
        return LoginResult(None)
    if not _verify(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= max_failures:
            user.locked_until = now + timedelta(minutes=lock_minutes)
            user.failed_logins = 0
        audit.record("staff.login_failed", object_type="staff_user", object_id=user.id,
                     actor=("anonymous", None, "login"))
        db.session.commit()
        return LoginResult(None)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    audit.record("staff.login", object_type="staff_user", object_id=user.id,
                 actor=("staff", user.id, user.email))
    db.session.commit()
    return LoginResult(user)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
