"""Resident identity: e-ID through an OpenID Connect broker, and a development login behind the same interface."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the login pages (the OpenID client itself is set up with the other extensions)."""
    from portal.identity.views import bp

    app.register_blueprint(bp)
