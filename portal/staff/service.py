"""Staff accounts: creation, password checks, lockout."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select

from portal import audit
from portal.db import db, utcnow
from portal.roles import Role
from portal.staff.models import LoginThrottle, RecoveryCode, StaffUser

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


def list_staff() -> list[StaffUser]:
    """All accounts, by name."""
    return list(db.session.scalars(select(StaffUser).order_by(StaffUser.name)))


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt; `user` is set only on success."""

    user: StaffUser | None


# A lock of one account from one address never lasts longer than this, however often it is repeated.
MAX_LOCK = timedelta(hours=24)


def _throttle(user: StaffUser, address: str) -> LoginThrottle | None:
    return db.session.scalar(select(LoginThrottle).where(LoginThrottle.staff_user_id == user.id,
                                                         LoginThrottle.address == address))


def is_locked(user: StaffUser, address: str, now: datetime | None = None) -> bool:
    """True while this account is locked for attempts from this address (other addresses are not)."""
    throttle = _throttle(user, address)
    return throttle is not None and throttle.locked_until is not None and throttle.locked_until > (now or utcnow())


def record_failure(user: StaffUser, address: str, *, max_failures: int, lock_minutes: int,
                   now: datetime | None = None) -> None:
    """Count a wrong password or a wrong second-factor code for this account from this address (the caller
    commits): after `max_failures` the pair is locked, each lock twice as long as the one before (at most a
    day), so an attacker is slowed down ever more while the colleague logs in from their own address."""
    now = now or utcnow()
    throttle = _throttle(user, address)
    if throttle is None:
        throttle = LoginThrottle(staff_user_id=user.id, address=address, failures=0, locks=0)
        db.session.add(throttle)
    throttle.failures += 1
    throttle.last_failure_at = now
    if throttle.failures >= max_failures:
        period = min(timedelta(minutes=lock_minutes) * (2 ** min(throttle.locks, 16)), MAX_LOCK)
        throttle.locked_until = now + period
        throttle.locks += 1
        throttle.failures = 0
        audit.record("staff.login_throttled", object_type="staff_user", object_id=user.id,
                     detail=f"address={address} minutes={int(period.total_seconds() // 60)}",
                     actor=("anonymous", None, "login"))


def clear_failures(user: StaffUser, address: str) -> None:
    """A complete login from this address forgets its failures (the caller commits)."""
    throttle = _throttle(user, address)
    if throttle is not None:
        db.session.delete(throttle)


def code_failed(user: StaffUser, address: str, *, max_failures: int, lock_minutes: int) -> None:
    """A wrong second-factor code counts like a wrong password, for this account from this address (commits)."""
    record_failure(user, address, max_failures=max_failures, lock_minutes=lock_minutes)
    db.session.commit()


def login_complete(user: StaffUser, address: str) -> None:
    """The login is complete (password and, where asked, the second factor): forget this address's failures
    (commits)."""
    clear_failures(user, address)
    db.session.commit()


def authenticate(email: str, password: str, *, max_failures: int, lock_minutes: int, address: str = "",
                 now: datetime | None = None) -> LoginResult:
    """Check a password, throttled per account and address; every failure looks the same to the caller."""
    now = now or utcnow()
    user = get_staff_by_email(email)
    if user is None or not user.active:
        _verify(_DUMMY_HASH, password)
        return LoginResult(None)
    if is_locked(user, address, now):
        _verify(_DUMMY_HASH, password)
        audit.record("staff.login_locked", object_type="staff_user", object_id=user.id,
                     actor=("anonymous", None, "login"))
        db.session.commit()
        return LoginResult(None)
    if not _verify(user.password_hash, password):
        record_failure(user, address, max_failures=max_failures, lock_minutes=lock_minutes, now=now)
        audit.record("staff.login_failed", object_type="staff_user", object_id=user.id,
                     actor=("anonymous", None, "login"))
        db.session.commit()
        return LoginResult(None)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
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


# Account lifecycle (administrators, on /staff/konton/ and with `portal staff ...`). Each change raises the
# account's session version, which ends every session it has at once (portal.security.check_session).

Actor = tuple[str, int | None, str]


def _changed(user: StaffUser, action: str, actor: Actor, detail: str | None = None) -> None:
    user.session_version += 1
    audit.record(action, object_type="staff_user", object_id=user.id, detail=detail, actor=actor)
    db.session.commit()


def _would_leave_no_admin(user: StaffUser) -> bool:
    if user.role != Role.ADMIN or not user.active:
        return False
    others = db.session.scalar(select(func.count()).select_from(StaffUser).where(
        StaffUser.role == Role.ADMIN, StaffUser.active.is_(True), StaffUser.id != user.id))
    return not others


def deactivate(user: StaffUser, *, actor: Actor) -> None:
    """The account can no longer log in, and every session it has ends now."""
    if _would_leave_no_admin(user):
        raise StaffError("Det sista aktiva administratörskontot kan inte inaktiveras.")
    user.active = False
    _changed(user, "staff.deactivate", actor)


def activate(user: StaffUser, *, actor: Actor) -> None:
    """The account may log in again (with its password and second factor as they are)."""
    user.active = True
    _changed(user, "staff.activate", actor)


def set_role(user: StaffUser, role: Role, *, actor: Actor) -> None:
    """Give the account another role; its sessions end, so the new role applies from its next login."""
    if role == user.role:
        return
    if _would_leave_no_admin(user):
        raise StaffError("Det sista aktiva administratörskontot kan inte få en annan roll.")
    before = user.role
    user.role = role
    _changed(user, "staff.set_role", actor, detail=f"{before}->{role.value}")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reset_password(user: StaffUser, *, actor: Actor, valid_hours: float, now: datetime | None = None) -> str:
    """Make the old password useless, end every session, and return a one-time token for a link with which the
    person sets a new password themselves (shown once; only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    user.password_hash = _hasher.hash(secrets.token_urlsafe(32))
    user.reset_token_hash = _token_hash(token)
    user.reset_expires_at = (now or utcnow()) + timedelta(hours=valid_hours)
    _changed(user, "staff.reset_password", actor)
    return token


def user_for_reset_token(token: str, now: datetime | None = None) -> StaffUser | None:
    """The active account a reset link belongs to, while the link still works."""
    if not token or len(token) > 128:
        return None
    user = db.session.scalar(select(StaffUser).where(StaffUser.reset_token_hash == _token_hash(token)))
    if user is None or not user.active or user.reset_expires_at is None or user.reset_expires_at <= (now or utcnow()):
        return None
    return user


def set_password_with_token(token: str, password: str) -> StaffUser:
    """Set the new password through a reset link; the link works once."""
    user = user_for_reset_token(token)
    if user is None:
        raise StaffError("Länken fungerar inte längre. Be en administratör om en ny.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffError(f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken.")
    user.password_hash = _hasher.hash(password)
    user.reset_token_hash = None
    user.reset_expires_at = None
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.staff_user_id == user.id))
    _changed(user, "staff.password_set", ("staff", user.id, user.email))
    return user


def reset_mfa(user: StaffUser, *, actor: Actor) -> None:
    """Remove the second factor and its recovery codes: the next login enrols a new one. Every session ends."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.staff_user_id == user.id))
    _changed(user, "staff.reset_mfa", actor)
