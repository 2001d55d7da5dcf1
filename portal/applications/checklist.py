"""The application's checklist: which documents the answers call for, kept in line as the answers change.

The rules that decide it are plain functions in portal.applications.rules; this module applies them."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import func, select

from portal.applications import rules
from portal.applications.models import (
    OUTSTANDING,
    Application,
    ChecklistItem,
    ItemState,
    Kind,
    PersonRole,
)
from portal.db import db


def previous_answers(application: Application) -> dict[str, Any] | None:
    """The previous application's answers, for a repeat application (None for a first one)."""
    if application.kind != Kind.REPEAT or application.previous_application_id is None:
        return None
    previous = db.session.get(Application, application.previous_application_id)
    return dict(previous.answers) if previous is not None else None


def _has_documents(item: ChecklistItem) -> bool:
    """Whether any document row points at the item (the documents area's table, when it exists)."""
    table = db.metadata.tables.get("document")
    if table is None or "checklist_item_id" not in table.c:
        return False
    count = db.session.scalar(select(func.count()).select_from(table).where(table.c.checklist_item_id == item.id))
    return bool(count)


def refresh_checklist(application: Application) -> None:
    """Bring the checklist in line with the answers: add what is now needed, drop what no longer is.

    Items the resident has sent something for, and items staff asked for, always stay.
    """
    enabled = rules.enabled_rules(current_app.config.get("CHECKLIST_RULES", ""))
    needed = rules.build_checklist(application.answers, rules=enabled, previous=previous_answers(application))
    existing: dict[tuple[str, PersonRole | None], ChecklistItem] = {
        (item.key, item.person_role): item for item in application.checklist if not item.extra}
    for pair in needed:
        if pair not in existing:
            application.checklist.append(ChecklistItem(key=pair[0], person_role=pair[1], state=ItemState.MISSING))
    wanted: set[tuple[str, PersonRole | None]] = set(needed)
    for held, item in existing.items():
        if held not in wanted and item.state in (ItemState.MISSING, ItemState.LATER) \
                and not _has_documents(item):
            application.checklist.remove(item)
    db.session.flush()


def get_item_for_resident(application: Application, item_id: int) -> ChecklistItem | None:
    """A checklist item of this (already access-checked) application."""
    item = db.session.get(ChecklistItem, item_id)
    if item is None or item.application_id != application.id:
        return None
    return item


def outstanding_items(application: Application) -> list[ChecklistItem]:
    """Checklist items the resident still has to send."""
    return [item for item in application.checklist if item.state in OUTSTANDING]
