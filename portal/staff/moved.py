"""Staff addresses that moved when every path segment after /staff/ became Swedish, as the staff pages are.

Bookmarks, links in e-mails already sent (outreach's caseworker mails link to a notice) and forms on pages
loaded before the change still reach the page: every old address answers with a permanent redirect to the new
one, the rest of the path and the query string kept. 308, not 301, so a POST stays a POST with its body (and
its CSRF token); the page it lands on checks the staff member's role as always.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Flask, redirect, request
from werkzeug.wrappers import Response

from portal.security import public

MOVED = {
    "/staff/intake": "/staff/intag",
    "/staff/notices": "/staff/underrattelser",
    "/staff/api-keys": "/staff/api-nycklar",
    "/staff/audit": "/staff/atkomstlogg",
}


def _redirect_to(new: str) -> Callable[..., Response]:
    @public
    def moved(rest: str = "") -> Response:
        query = request.query_string.decode("latin-1")
        return redirect(f"{new}/{rest}" + (f"?{query}" if query else ""), code=308)

    return moved


def init_app(app: Flask) -> None:
    """Answer every old address with a 308 to its new place."""
    bp = Blueprint("moved", __name__)
    for number, (old, new) in enumerate(MOVED.items()):
        view = _redirect_to(new)
        for rule in (f"{old}/", f"{old}/<path:rest>"):
            bp.add_url_rule(rule, f"moved_{number}", view, methods=["GET", "POST"], strict_slashes=False)
    app.register_blueprint(bp)
