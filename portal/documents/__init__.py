"""Documents: upload checks, storage of residents' documents, and the reception's review of them."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the routes, and the documents' part of a subject-access export."""
    from portal.audit_review import add_exporter
    from portal.documents.service import export_for_person
    from portal.documents.views import bp

    app.register_blueprint(bp)
    add_exporter("documents", export_for_person)
