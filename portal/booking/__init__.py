"""The reception calendar: opening hours, closed days, and bookings that never share a place."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the rebooking pages, the reception's calendar, its links and navigation, search, waiting times and
    the calendar's parts of the intake pages and the hand-off (portal.booking.intake_parts)."""
    from portal import search
    from portal.applications.waiting import add_time_source
    from portal.booking import first_visit_views, intake_parts
    from portal.booking import search as booking_search
    from portal.booking.service import upcoming_for_items
    from portal.booking.staff_views import bp as staff_bp
    from portal.booking.views import bp as rebooking_bp
    from portal.booking.views import short as rebooking_short_bp
    from portal.roles import Role
    from portal.staff.nav import Section, add_home_link, add_section

    intake_parts.register(app)
    from portal import jobs
    from portal.booking.capacity import capacity_job

    jobs.provide(app, "booking.capacity_warning", capacity_job)
    app.register_blueprint(rebooking_short_bp)
    app.register_blueprint(rebooking_bp)
    app.register_blueprint(staff_bp)
    first_visit_views.init_app(app)
    add_time_source(app, upcoming_for_items)
    search.add_provider(app, "bookings", "Bokningar", booking_search.ROLES, booking_search.find_bookings)
    add_section(app, Section("reception", "Mottagningen", "staff_booking.day_page",
                             frozenset({Role.RECEPTION, Role.OUTREACH}),
                             ("staff_booking.day_page", "staff_booking.book_for_item")))
    add_section(app, Section("settings", "Öppettider", "staff_booking.settings_page", frozenset({Role.ADMIN}),
                             ("staff_booking.settings_page",)))
    add_home_link(app, frozenset({Role.RECEPTION, Role.OUTREACH}), "staff_booking.day_page", "Mottagningens tider")
    add_home_link(app, frozenset({Role.ADMIN}), "staff_booking.settings_page", "Mottagningens öppettider")
