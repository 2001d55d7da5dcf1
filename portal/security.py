"""Security headers, session lifetime and the access decorators used on every protected route."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, g, redirect, request, session, url_for

from portal.staff.models import Role, grants

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


# The last activity is kept to the half minute: storing it on every request made every page re-sign the session
# and send it back as a new cookie. Idle sessions end between their limit and half a minute after it.
SEEN_STEP = 30


def expire_idle_sessions() -> None:
    """End a session after inactivity: staff sooner than residents."""
    if not session:
        return
    now = int(time.time())
    last = session.get("seen")
    if session.get("staff_id"):
        limit = current_app.config["STAFF_SESSION_MINUTES"] * 60
    elif session.get("person_id"):
        limit = current_app.config["RESIDENT_SESSION_MINUTES"] * 60
    else:
        return
    if last is not None and now - int(last) > limit:
        language = session.get("language")
        typed = _typed_answers() if session.get("person_id") else None
        session.clear()
        if language:
            session["language"] = language
        if typed:
            session[TYPED_KEY] = typed
        g.session_expired = True
        return
    if last is None or now - int(last) >= SEEN_STEP:
        session["seen"] = now


# Answers a resident sent after their session had ended (WCAG 2.2.1): kept in the signed session cookie, which
# only this browser holds, and shown again (never saved) on the same page after they log in again. Only question
# pages, and only small forms, so the cookie stays under the browser's 4 kB.
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
    """Begin a fresh session after login (the old one, and anything planted in it, is dropped)."""
    language = session.get("language")
    typed = session.get(TYPED_KEY) if "person_id" in values else None
    session.clear()
    if language:
        session["language"] = language
    if typed:
        session[TYPED_KEY] = typed
    session.update(values)
    session["seen"] = int(time.time())
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
            if not session.get("staff_id"):
                return redirect(url_for("staff.login", next=request.full_path.rstrip("?")))
            role = Role(session["staff_role"])
            if allowed and not grants(role, allowed):
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


def init_app(app: Flask) -> None:
    """Attach headers and session expiry to every request."""
    app.before_request(expire_idle_sessions)
    app.after_request(set_security_headers)
