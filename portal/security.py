"""Security headers, session lifetime and the checks on it, and the access decorators used on every protected route."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, TypeVar, cast
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, g, redirect, request, session, url_for

from portal.roles import Role, grants

F = TypeVar("F", bound=Callable[..., Any])

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def set_security_headers(response: Response) -> Response:
    """Headers every response carries."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if not current_app.config.get("DEVELOPMENT") and not current_app.config.get("TESTING"):
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if session.get("staff_id") or session.get("person_id"):
        # Pages with personal data must not linger in shared caches or the browser's history cache.
        response.headers["Cache-Control"] = "no-store"
    return response


# The last activity is kept to the half minute: storing it on every request made every page write the session
# anew. Idle sessions end between their limit and half a minute after it.
SEEN_STEP = 30


class StaffAccount(Protocol):
    """What the access checks read of a staff account (portal.staff.models.StaffUser is one)."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def active(self) -> bool: ...
    @property
    def session_version(self) -> int: ...


# The app factory hands init_app the function that loads an account, so the core imports no area.
STAFF_LOADER = "security.load_staff"


def current_staff() -> StaffAccount | None:
    """The logged-in staff member, as the database has the account now (checked on every request)."""
    return cast("StaffAccount | None", g.get("staff"))


def current_role() -> Role | None:
    """The logged-in staff member's role, from the database (never from the session)."""
    user = current_staff()
    return Role(user.role) if user is not None else None


def end_session(*, expired: bool = False) -> None:
    """End the session here and in the store; only the language choice carries over, under a new session id."""
    from portal.sessions import renew

    language = session.get("language")
    session.clear()
    renew(session)
    if language:
        session["language"] = language
    g.pop("staff", None)
    if expired:
        g.session_expired = True


def _limits() -> tuple[str, float, float] | None:
    """Which kind of session this is, with its idle and absolute limits in seconds."""
    config = current_app.config
    if session.get("staff_id"):
        return "staff", config["STAFF_SESSION_MINUTES"] * 60, config["STAFF_SESSION_MAX_HOURS"] * 3600
    if session.get("person_id"):
        return "resident", config["RESIDENT_SESSION_MINUTES"] * 60, config["RESIDENT_SESSION_MAX_HOURS"] * 3600
    if session.get("mfa_pending"):
        step = config["STAFF_LOGIN_STEP_MINUTES"] * 60
        return "login_step", step, step
    return None


def check_session() -> None:
    """On every request: end a session that is idle too long, older than its absolute limit, or whose staff
    account no longer exists, is inactive, or had its rights or credentials changed since the login; otherwise
    load the account (with its role as the database has it now)."""
    g.pop("staff", None)
    if not session:
        return
    limits = _limits()
    if limits is None:
        return
    kind, idle, absolute = limits
    now = int(time.time())
    started, seen = session.get("started"), session.get("seen")
    if started is None or now - int(started) > absolute or (seen is not None and now - int(seen) > idle):
        typed = _typed_answers() if kind == "resident" else None
        end_session(expired=True)
        if typed:
            session[TYPED_KEY] = typed
        return
    if kind == "staff":
        user = current_app.extensions[STAFF_LOADER](int(session["staff_id"]))
        if user is None or not user.active or user.session_version != session.get("staff_version"):
            end_session(expired=True)
            return
        g.staff = user
    if kind != "login_step" and (seen is None or now - int(seen) >= SEEN_STEP):
        session["seen"] = now


# Answers a resident sent after their session had ended (WCAG 2.2.1): kept in the new (anonymous) session, which
# only this browser's cookie points at, and shown again (never saved) on the same page after they log in again.
# Only question pages, and only small forms.
TYPED_KEY = "typed_before_login"
RESTORABLE_ENDPOINTS = frozenset({"applications.question"})
TYPED_MAX_BYTES = 2000


def _typed_answers() -> dict[str, Any] | None:
    if request.method != "POST" or request.endpoint not in RESTORABLE_ENDPOINTS:
        return None
    fields = {key: request.form.getlist(key) for key in request.form if key != "csrf_token"}
    if len(json.dumps(fields, ensure_ascii=False).encode()) > TYPED_MAX_BYTES:
        return None
    return {"path": request.path, "fields": fields}


def take_typed_answers(path: str) -> dict[str, list[str]] | None:
    """What the resident typed on this page when their session ended, once (then it is forgotten)."""
    typed = session.get(TYPED_KEY)
    if not typed or typed.get("path") != path:
        return None
    session.pop(TYPED_KEY, None)
    return dict(typed.get("fields") or {})


def keep_alive() -> None:
    """The resident is still there (the timeout warning's button): the idle clock starts again."""
    session["seen"] = int(time.time())


def start_session(**values: Any) -> None:
    """Begin a fresh session after login, under a new session id (the old one, and anything planted in it,
    is dropped from the store); answers typed after a resident's session ended come along (TYPED_KEY)."""
    typed = session.get(TYPED_KEY) if "person_id" in values else None
    end_session()
    if typed:
        session[TYPED_KEY] = typed
    session.update(values)
    now = int(time.time())
    session["started"] = now
    session["seen"] = now
    session.permanent = False


def safe_next(target: str | None, fallback: str) -> str:
    """Only follow a `next` that stays on this site (no open redirects)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    return target


def staff_required(*roles: Role) -> Callable[[F], F]:
    """Allow only logged-in staff with one of the roles (or a role implying one); others get 403."""
    allowed = frozenset(roles)

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_staff()
            if user is None:
                return redirect(url_for("staff.login", next=request.full_path.rstrip("?")))
            if allowed and not grants(Role(user.role), allowed):
                abort(403)
            return view(*args, **kwargs)

        wrapped.access = ("staff", allowed)  # type: ignore[attr-defined]
        return cast(F, wrapped)

    return decorator


def resident_required(view: F) -> F:
    """Allow only a logged-in resident; others are sent to the login page in their language."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not session.get("person_id"):
            return redirect(url_for("identity.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    wrapped.access = ("resident", frozenset())  # type: ignore[attr-defined]
    return cast(F, wrapped)


def public(view: F) -> F:
    """Mark a route as open to everyone (the access matrix test requires every route to say)."""
    view.access = ("public", frozenset())  # type: ignore[attr-defined]
    return view


def init_app(app: Flask, *, load_staff: Callable[[int], StaffAccount | None]) -> None:
    """Attach headers and the session checks to every request; templates see the staff member as `current_staff`.

    `load_staff` gives the account with an id (or None): the staff area's, handed over by the app factory."""
    app.extensions[STAFF_LOADER] = load_staff
    app.before_request(check_session)
    app.after_request(set_security_headers)

    @app.context_processor
    def staff_context() -> dict[str, Any]:
        return {"current_staff": current_staff()}
