"""Documents: upload checks, storage of residents' documents, and the reception's review of them."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the routes (the documents' part of a subject-access export is in portal.subject_access)."""
    from portal.documents.views import bp

    app.register_blueprint(bp)
