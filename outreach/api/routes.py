"""The landlord notice API (FORMATS.md §2): POST /api/v1/notices with a per-landlord bearer key."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy.exc import IntegrityError

from outreach.api import keys as apikeys
from outreach.api.openapi import document
from outreach.notices.models import Channel
from outreach.notices.parse import NoticeInput, read_notice, sender_key
from outreach.notices.service import Stored, store_inputs
from portal import audit
from portal.clock import local_today
from portal.db import db, utcnow
from portal.extensions import csrf, limiter
from portal.security import public

bp = Blueprint("notice_api", __name__, url_prefix="/api/v1")
MAX_ITEMS = 1000
SCALARS = (str, int, float, bool, type(None))


def _rate_key() -> str:
    from flask_limiter.util import get_remote_address

    return apikeys.key_prefix(request.headers.get("Authorization")) or get_remote_address()


def _limit() -> str:
    return str(current_app.config.get("API_RATE_LIMIT", "60/minute"))


def _error(status: int, message: str, **extra: Any) -> tuple[Response, int]:
    return jsonify({"error": message, **extra}), status


@bp.route("/notices", methods=["POST"])
@public  # machine access: the bearer key is checked inside
@limiter.limit(_limit, key_func=_rate_key)
def post_notices() -> tuple[Response, int]:
    """Receive one notice or a list; 201 with the created ids, 200 when every one was a repeat."""
    length = request.content_length
    if length is not None and length > current_app.config.get("API_MAX_BYTES", 1048576):
        return _error(413, "Anropet är för stort.")
    status, key = apikeys.check_key(request.headers.get("Authorization"))
    if status in (apikeys.KeyCheck.MISSING, apikeys.KeyCheck.UNKNOWN) or key is None:
        return _error(401, "Nyckel saknas eller är okänd.")
    if status == apikeys.KeyCheck.REVOKED:
        return _error(403, "Nyckeln är återkallad.")
    raw = request.get_data(cache=False)
    if len(raw) > current_app.config.get("API_MAX_BYTES", 1048576):
        return _error(413, "Anropet är för stort.")
    try:
        body = _json(raw)
    except ValueError:
        return _error(400, "Innehållet är inte giltig JSON (UTF-8).", items=[])
    items = body if isinstance(body, list) else [body]
    if not items or len(items) > MAX_ITEMS or not all(isinstance(item, dict) for item in items):
        return _error(422, f"Skicka ett objekt eller en lista med 1–{MAX_ITEMS} objekt.", items=[])
    today = local_today()
    inputs: list[tuple[int, NoticeInput, str]] = []
    errors = []
    for index, item in enumerate(items):
        nested = {str(k): "är inte en text, ett tal eller null" for k, v in item.items()
                  if not isinstance(v, SCALARS)}
        if nested:
            errors.append({"index": index, "fields": nested})
            continue
        inp, problems = read_notice({str(k): "" if v is None else str(v) for k, v in item.items()}, today=today)
        if inp is None:
            errors.append({"index": index, "fields": dict(problems.items)})
            continue
        # The sender is the key's organisation, not what the body claims (a key cannot speak for another).
        inputs.append((index, inp, sender_key(inp.kind, key.landlord_orgnr, key.landlord_name)))
    if errors:
        return _error(422, "Underrättelserna innehåller fel; ingen sparades.", items=errors)
    try:
        results = store_inputs(inputs, channel=Channel.API, today=today)
        db.session.flush()
    except IntegrityError:
        # The same notice arrived at the same moment by another request or an import: it is now a repeat.
        db.session.rollback()
        results = store_inputs(inputs, channel=Channel.API, today=today)
    key.last_used_at = utcnow()
    created = [r.notice_id for r in results if r.status != Stored.REPEAT]
    audit.record("outreach.notices_received_api", object_type="api_key", object_id=key.id,
                 detail=f"{len(created)} nya, {len(results) - len(created)} upprepningar")
    db.session.commit()
    answer = {"created": created, "repeats": [r.notice_id for r in results if r.status == Stored.REPEAT],
              "items": [{"index": r.line, "id": r.notice_id, "status": r.status.value} for r in results]}
    return jsonify(answer), 201 if created else 200


def _json(raw: bytes) -> Any:
    """The body as JSON; ValueError for anything that is not (bad UTF-8, bad syntax, or nested too deep).

    Python's parser recurses once per level and raises RecursionError (not a ValueError) for a body of
    100,000 brackets, which answered 500.
    """
    import json

    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, RecursionError) as error:
        raise ValueError(str(error)) from error


@bp.route("/openapi.json")
@public
def openapi() -> Response:
    """The OpenAPI document describing the notice API."""
    return jsonify(document())


csrf.exempt(bp)
