"""The landlord notice API (FORMATS.md §2): POST /api/v1/notices with a per-landlord bearer key.

Routes only route: the request's parts go to `outreach.api.service`, its answer or refusal comes back as JSON.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from outreach.api import keys as apikeys
from outreach.api import service
from outreach.api.openapi import document
from portal.extensions import csrf, limiter
from portal.security import public

bp = Blueprint("notice_api", __name__, url_prefix="/api/v1")


def _rate_key() -> str:
    from flask_limiter.util import get_remote_address

    return apikeys.key_prefix(request.headers.get("Authorization")) or get_remote_address()


def _limit() -> str:
    return str(current_app.config.get("API_RATE_LIMIT", "60/minute"))


@bp.route("/notices", methods=["POST"])
@public  # machine access: the bearer key is checked inside
@limiter.limit(_limit, key_func=_rate_key)
def post_notices() -> tuple[Response, int]:
    """Receive one notice or a list; 201 with the created ids, 200 when every one was a repeat."""
    try:
        received = service.receive_notices(
            request.headers.get("Authorization"), lambda: request.get_data(cache=False),
            declared_length=request.content_length, max_bytes=current_app.config.get("API_MAX_BYTES", 1048576))
    except service.Refused as refusal:
        return jsonify(refusal.answer()), refusal.status
    return jsonify(received.answer()), 201 if received.created else 200


@bp.route("/openapi.json")
@public
def openapi() -> Response:
    """The OpenAPI document describing the notice API."""
    return jsonify(document())


csrf.exempt(bp)
