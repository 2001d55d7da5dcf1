"""The e-application: questions one topic per page, the document checklist, submit, receipt and status."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the resident's application pages and the reminder job."""
    from portal.applications import reminders  # noqa: F401  (the job registers itself on import)
    from portal.applications.views import bp

    app.register_blueprint(bp)
