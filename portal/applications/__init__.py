"""The e-application: questions one topic per page, the document checklist, submit, receipt and status."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the resident's application pages, reception's message route, search and the reminder job."""
    from portal import jobs, search
    from portal.applications.messages import unread_from_residents_count
    from portal.applications.reminders import send_reminders
    from portal.applications.search import ROLES, find_by_reference
    from portal.applications.staff_views import bp as staff_bp
    from portal.applications.views import bp
    from portal.staff.nav import add_count

    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
    jobs.provide(app, "applications.send_reminders", send_reminders)
    search.add_provider(app, "applications", "E-ansökningar", ROLES, find_by_reference)
    # Residents' messages are read from the intake item, so their count stands beside the intake queue.
    add_count(app, "intake", unread_from_residents_count, "olästa meddelanden")
    from portal.applications import intake_parts

    intake_parts.register(app)
