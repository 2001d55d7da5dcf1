"""Public resident pages: the start page and the language entry point."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the root (language choice) and the resident start pages."""
    from portal.public.views import bp, root

    app.register_blueprint(root)
    app.register_blueprint(bp)
