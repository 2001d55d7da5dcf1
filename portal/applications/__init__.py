"""The e-application: questions one topic per page, the document checklist, submit, receipt and status."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the resident's application pages, reception's message route and the reminder job."""
    from portal.applications import reminders  # noqa: F401  (the job registers itself on import)
    from portal.applications.staff_views import bp as staff_bp
    from portal.applications.views import bp

    app.register_blueprint(bp)
    from portal import search
    from portal.applications.search import ROLES, find_by_reference

    search.add_provider("applications", "E-ansökningar", ROLES, find_by_reference)
    app.register_blueprint(staff_bp)
    from portal.applications import intake_parts

    intake_parts.register(app)
