"""The reception calendar's parts of the intake pages: an item's bookings (and booking a first appointment) on
its page, each item's next booked time in the queue, and the booking in the hand-off (registered by init_app;
portal.intake.panels)."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template
from markupsafe import Markup

from portal.booking.service import bookings_for_item, next_bookings
from portal.clock import LOCAL_TZ, local_format
from portal.intake import panels
from portal.intake.models import IntakeItem


def bookings_panel(item: IntakeItem, viewer: panels.Viewer) -> str:
    """The item's times in the reception and, for reception, a way to book a first appointment."""
    return render_template("booking/_item_panel.html", item=item, bookings=bookings_for_item(item.id),
                           local_tz=LOCAL_TZ, is_reception=viewer.is_reception)


def booked_cells(items: list[IntakeItem]) -> dict[int, str]:
    """Each item's next booked time, Swedish time (one query for the page)."""
    return {item_id: Markup('<time datetime="{}">{}</time>').format(at.astimezone(LOCAL_TZ).isoformat(),
                                                                   local_format(at, "%Y-%m-%d %H:%M"))
            for item_id, at in next_bookings([item.id for item in items]).items()}


def handoff_booking(item: IntakeItem, protected: bool) -> dict[str, Any] | None:
    """The item's current reception time (the latest booking still booked or attended), if any."""
    for booking in bookings_for_item(item.id):
        if booking.status in ("booked", "attended"):
            return {"starts_at": booking.starts_at.isoformat(), "purpose": str(booking.purpose),
                    "status": str(booking.status)}
    return None


def register(app: Flask) -> None:
    """Add the calendar's parts to the intake pages and the hand-off."""
    panels.add_item_panel(app, bookings_panel, place=panels.Place.ABOVE_ACTIONS, order=10)
    panels.add_queue_column(app, panels.QueueColumn("Bokad tid", booked_cells))
    panels.add_handoff_part(app, "booking", handoff_booking)
