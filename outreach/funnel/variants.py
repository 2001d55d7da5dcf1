"""Letter variants: an administrator's other wording of the first letter's heading and opening, tested on a share
of new notices of one kind against the standard letter.

The draw is random but reproducible: a hash of the test's own random seed and the notice's id decides, so the
same notice always lands in the same arm (a letter written again, or an audit, gives the same answer) and no
one can steer a notice into an arm. The arm is recorded per notice when its first letter is written, so the
statistics compare what was actually sent. One running test per notice kind (a partial unique index holds it);
stopping is one click and changes no letter already written.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from outreach.funnel.models import Arm, LetterVariant, VariantAssignment
from outreach.notices.models import Notice, NoticeKind
from portal import audit
from portal.db import db, utcnow

HEADING_MAX = 200
OPENING_MAX = 1500


class VariantError(ValueError):
    """A variant test that cannot be started or stopped as asked (message in Swedish)."""


def draw(seed: str, notice_id: int, share_percent: int) -> Arm:
    """The notice's arm: the variant for `share_percent` % of notices, uniformly, the same answer every time."""
    digest = hashlib.sha256(f"{seed}:{notice_id}".encode()).digest()
    return Arm.VARIANT if int.from_bytes(digest[:8], "big") % 10_000 < share_percent * 100 else Arm.STANDARD


def running_for(kind: str) -> LetterVariant | None:
    """The variant test running for this notice kind, if any."""
    return db.session.scalar(select(LetterVariant).where(LetterVariant.notice_kind == kind,
                                                         LetterVariant.stopped_at.is_(None)))


def assign(notice: Notice) -> VariantAssignment | None:
    """Draw and record the notice's arm when a test runs for its kind (no commit); the first draw stands."""
    existing = db.session.scalar(select(VariantAssignment).where(VariantAssignment.notice_id == notice.id))
    if existing is not None:
        return existing
    variant = running_for(str(notice.kind))
    if variant is None:
        return None
    assignment = VariantAssignment(notice_id=notice.id, variant_id=variant.id,
                                   arm=draw(variant.seed, notice.id, variant.share_percent), assigned_at=utcnow())
    db.session.add(assignment)
    return assignment


def texts_for(assignment: VariantAssignment | None) -> tuple[int, dict[str, Any]] | None:
    """(variant id, texts per language) when the notice drew the variant, else None (the standard letter)."""
    if assignment is None or assignment.arm != Arm.VARIANT:
        return None
    variant = db.session.get(LetterVariant, assignment.variant_id)
    return None if variant is None else (variant.id, variant.texts)


def start(*, kind: str, name: str, share_percent: int, texts: dict[str, dict[str, str]], staff_id: int
          ) -> LetterVariant:
    """Start a test (commits, audit-logged); refused without every language's text or while one runs."""
    if kind not in {k.value for k in NoticeKind}:
        raise VariantError("Välj slag av underrättelse.")
    if not name.strip():
        raise VariantError("Ge varianten ett namn.")
    if not 1 <= share_percent <= 90:
        raise VariantError("Andelen ska vara mellan 1 och 90 procent: resten får det vanliga brevet.")
    missing = [lang for lang in current_app.config["LANGUAGES"]
               if not (texts.get(lang, {}).get("heading", "").strip() and texts.get(lang, {}).get("opening", "")
                       .strip())]
    if missing:
        raise VariantError(f"Rubrik och inledning saknas på: {', '.join(missing)}. Varje brev går på svenska och "
                           f"mottagarens språk, så varianten behövs på alla språk.")
    if running_for(kind) is not None:
        raise VariantError("Ett test pågår redan för det slaget. Stoppa det först.")
    cleaned = {lang: {"heading": texts[lang]["heading"].strip()[:HEADING_MAX],
                      "opening": texts[lang]["opening"].strip()[:OPENING_MAX]}
               for lang in current_app.config["LANGUAGES"]}
    variant = LetterVariant(notice_kind=kind, name=name.strip()[:120], texts=cleaned, share_percent=share_percent,
                            seed=secrets.token_hex(16), started_at=utcnow(), created_by_id=staff_id)
    db.session.add(variant)
    try:
        db.session.flush()
    except IntegrityError as error:  # another administrator started one at the same moment
        db.session.rollback()
        raise VariantError("Ett test pågår redan för det slaget. Stoppa det först.") from error
    audit.record("outreach.letter_variant_started", person_id=None, object_type="letter_variant",
                 object_id=variant.id, detail=f"{kind} {share_percent} %")
    db.session.commit()
    return variant


def stop(variant_id: int, *, staff_id: int) -> LetterVariant:
    """Stop a test (commits, audit-logged); stopping a stopped one changes nothing."""
    variant = db.session.get(LetterVariant, variant_id, with_for_update=True)
    if variant is None:
        raise VariantError("Varianten finns inte.")
    if variant.stopped_at is None:
        variant.stopped_at = utcnow()
        audit.record("outreach.letter_variant_stopped", person_id=None, object_type="letter_variant",
                     object_id=variant.id, detail=f"av {staff_id}")
    db.session.commit()
    return variant


def list_variants() -> list[LetterVariant]:
    """Every test, running ones first, newest first."""
    return list(db.session.scalars(select(LetterVariant).order_by(LetterVariant.stopped_at.is_not(None),
                                                                  LetterVariant.id.desc())))
