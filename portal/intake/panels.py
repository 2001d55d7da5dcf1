"""What the areas built on the intake queue add to its pages and its hand-off, registered in their init_app.

An intake item's page shows the item's bookings, its documents and its messages; the queue shows each item's
booked time and the residents' unread messages; the hand-off carries the application and the booking. Those
belong to the booking, documents and applications areas, which build on intake: each registers its part here
(portal.registry, per app), so portal.intake imports no other area (README: Layout; `lint-imports` checks it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from flask import Flask
from markupsafe import Markup

from portal.intake.models import IntakeItem
from portal.registry import Registry


class Place(StrEnum):
    """Where on the item's page a panel goes: above the reception's actions, or below them."""

    ABOVE_ACTIONS = "above_actions"
    BELOW_ACTIONS = "below_actions"


@dataclass(frozen=True)
class Viewer:
    """Who is looking at the item's page: the panels show actions only to those who may take them."""

    staff_id: int
    is_reception: bool


# A panel: the item and its viewer in, the panel's HTML out (rendered from the area's own template), or None
# when the area has nothing to show for this item.
ItemPanel = Callable[[IntakeItem, Viewer], str | None]
# A queue column: the page's items in, each item's cell (HTML) out; items without a cell show a dash.
QueueCells = Callable[[list[IntakeItem]], dict[int, str]]
# A notice above the queue (HTML), or None.
QueueNotice = Callable[[], str | None]
# A part of the hand-off document: the item and whether the person's identity is protected in, plain JSON out.
HandoffPart = Callable[[IntakeItem, bool], dict[str, Any] | None]
# What is still outstanding on an item, as lines for the reception (empty when nothing is).
OutstandingCheck = Callable[[IntakeItem], list[str]]


@dataclass(frozen=True)
class QueueColumn:
    """A column of the queue's table."""

    title: str
    cells: QueueCells


def _name(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


# Each list is the app's own; an entry added twice (a panel, a column title, a hand-off slot) raises at start-up.
ITEM_PANELS: Registry[tuple[Place, int, ItemPanel]] = Registry("intake_item_panels",
                                                               key=lambda entry: _name(entry[2]))
QUEUE_COLUMNS: Registry[QueueColumn] = Registry("intake_queue_columns", key=lambda column: column.title)
QUEUE_NOTICES: Registry[QueueNotice] = Registry("intake_queue_notices", key=_name)
HANDOFF_PARTS: Registry[tuple[str, HandoffPart]] = Registry("intake_handoff_parts", key=lambda entry: entry[0])
# What an area knows is still outstanding on an item (the documents area: checklist items not yet sent).
OUTSTANDING_CHECKS: Registry[OutstandingCheck] = Registry("intake_outstanding", key=_name)


def add_item_panel(app: Flask, panel: ItemPanel, *, place: Place, order: int) -> None:
    """Show `panel` on every item's page at `place`; panels at one place go in `order`, lowest first."""
    ITEM_PANELS.add(app, (place, order, panel))


def add_queue_column(app: Flask, column: QueueColumn) -> None:
    """Add a column to the queue's table (after the page's own columns, in the order registered)."""
    QUEUE_COLUMNS.add(app, column)


def add_queue_notice(app: Flask, notice: QueueNotice) -> None:
    """Show `notice` above the queue."""
    QUEUE_NOTICES.add(app, notice)


def add_handoff_part(app: Flask, slot: str, part: HandoffPart) -> None:
    """Fill one of the hand-off document's slots (FORMATS.md §5: "application" and "booking")."""
    HANDOFF_PARTS.add(app, (slot, part))


def add_outstanding_check(app: Flask, check: OutstandingCheck) -> None:
    """Let an area say what is still outstanding on an item."""
    OUTSTANDING_CHECKS.add(app, check)


def outstanding(item: IntakeItem) -> list[str]:
    """Everything the areas say is still outstanding on the item."""
    return [entry for check in OUTSTANDING_CHECKS.all() for entry in check(item)]


def item_panels(item: IntakeItem, viewer: Viewer) -> dict[str, list[Markup]]:
    """The registered panels' HTML for this item, by place, in order."""
    shown: dict[str, list[Markup]] = {place.value: [] for place in Place}
    for place, _order, panel in sorted(ITEM_PANELS.all(), key=lambda entry: (entry[0], entry[1])):
        html = panel(item, viewer)
        if html:
            shown[place].append(Markup(html))  # noqa: S704  # nosec B704 - rendered by the area's own (autoescaped) template
    return shown


def queue_columns(items: Iterable[IntakeItem]) -> list[tuple[str, dict[int, Markup]]]:
    """Each registered column's title and its cells for these items."""
    page = list(items)
    return [(column.title, {item_id: Markup(html)  # noqa: S704  # nosec B704 - built with escaping by the area
                            for item_id, html in column.cells(page).items()})
            for column in QUEUE_COLUMNS.all()]


def queue_notices() -> list[Markup]:
    """The notices the areas show above the queue now."""
    return [Markup(html) for notice in QUEUE_NOTICES.all()  # noqa: S704  # nosec B704 - the area's own template
            if (html := notice())]


def handoff_parts(item: IntakeItem, *, protected: bool) -> dict[str, Any]:
    """The registered parts of the hand-off document for this item, by slot (a slot nobody fills is left out)."""
    return {slot: part(item, protected) for slot, part in HANDOFF_PARTS.all()}
