"""Documents: upload checks, storage of residents' documents, and the reception's review of them."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the routes (the documents' part of a subject-access export is in portal.subject_access)."""
    from portal.documents.panel import outstanding_documents
    from portal.documents.views import bp
    from portal.intake.panels import add_outstanding_check

    app.register_blueprint(bp)
    add_outstanding_check(app, outstanding_documents)
    from portal.applications.uploads import set_store
    from portal.documents import intake_parts, service

    intake_parts.register(app)
    set_store(app, service)  # the e-application's upload page hands files to this area
