"""Receiving a landlord's request to the notice API: the key, the body, the notices, one transaction.

The route hands the request's parts over and turns the answer (or the refusal) into JSON; everything that
decides, stores, retries and audits is here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError

from outreach.api import keys as apikeys
from outreach.notices.models import Channel
from outreach.notices.parse import NoticeInput, read_notice, sender_key
from outreach.notices.service import Stored, StoreResult, store_inputs
from portal import audit
from portal.clock import local_today
from portal.db import db, utcnow

MAX_ITEMS = 1000
SCALARS = (str, int, float, bool, type(None))


class Refused(Exception):
    """The request stored nothing: `status` is the HTTP status, `items` the per-item problems where there are any."""

    def __init__(self, status: int, message: str, items: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.items = items

    def answer(self) -> dict[str, Any]:
        """The JSON body FORMATS.md §2 gives for a refusal."""
        body: dict[str, Any] = {"error": self.message}
        if self.items is not None:
            body["items"] = self.items
        return body


@dataclass
class Received:
    """What a request stored: the ids of new notices (and corrections), of repeats, and each item's status."""

    results: list[StoreResult] = field(default_factory=list)

    @property
    def created(self) -> list[int]:
        return [r.notice_id for r in self.results if r.status != Stored.REPEAT]

    def answer(self) -> dict[str, Any]:
        """The JSON body FORMATS.md §2 gives for an accepted request."""
        return {"created": self.created,
                "repeats": [r.notice_id for r in self.results if r.status == Stored.REPEAT],
                "items": [{"index": r.line, "id": r.notice_id, "status": r.status.value} for r in self.results]}


def receive_notices(authorization: str | None, read_body: Callable[[], bytes], *, declared_length: int | None,
                    max_bytes: int) -> Received:
    """Check the key, read and check every item, and store them all in one transaction, or raise Refused.

    `read_body` is called only once the key is accepted and the declared length fits, so an unknown caller's
    body is never read. Either every item is stored or none (one bad item refuses the request with each
    item's problems). A notice that arrives at the same moment by another request or an import becomes a
    repeat on the second try, not an error.
    """
    if declared_length is not None and declared_length > max_bytes:
        raise Refused(413, "Anropet är för stort.")
    status, key = apikeys.check_key(authorization)
    if status in (apikeys.KeyCheck.MISSING, apikeys.KeyCheck.UNKNOWN) or key is None:
        raise Refused(401, "Nyckel saknas eller är okänd.")
    if status == apikeys.KeyCheck.REVOKED:
        raise Refused(403, "Nyckeln är återkallad.")
    raw = read_body()
    if len(raw) > max_bytes:
        raise Refused(413, "Anropet är för stort.")
    try:
        body = _json(raw)
    except ValueError:
        raise Refused(400, "Innehållet är inte giltig JSON (UTF-8).", items=[]) from None
    items = body if isinstance(body, list) else [body]
    if not items or len(items) > MAX_ITEMS or not all(isinstance(item, dict) for item in items):
        raise Refused(422, f"Skicka ett objekt eller en lista med 1–{MAX_ITEMS} objekt.", items=[])
    today = local_today()
    inputs: list[tuple[int, NoticeInput, str]] = []
    errors: list[dict[str, Any]] = []
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
        raise Refused(422, "Underrättelserna innehåller fel; ingen sparades.", items=errors)
    try:
        results = store_inputs(inputs, channel=Channel.API, today=today)
        db.session.flush()
    except IntegrityError:
        # The same notice arrived at the same moment by another request or an import: it is now a repeat.
        db.session.rollback()
        results = store_inputs(inputs, channel=Channel.API, today=today)
    key.last_used_at = utcnow()
    received = Received(results)
    audit.record("outreach.notices_received_api", object_type="api_key", object_id=key.id,
                 detail=f"{len(received.created)} nya, {len(results) - len(received.created)} upprepningar")
    db.session.commit()
    return received


def _json(raw: bytes) -> Any:
    """The body as JSON; ValueError for anything that is not (bad UTF-8, bad syntax, or nested too deep).

    Python's parser recurses once per level and raises RecursionError (not a ValueError) for a body of
    100,000 brackets, which answered 500.
    """
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, RecursionError) as error:
        raise ValueError(str(error)) from error
