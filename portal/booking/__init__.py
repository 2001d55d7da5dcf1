"""The reception calendar: opening hours, closed days, and bookings that never share a place."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Add the calendar's parts to the intake pages and the hand-off (portal.booking.intake_parts)."""
    from portal.booking import intake_parts

    intake_parts.register(app)
