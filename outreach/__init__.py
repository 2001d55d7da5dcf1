"""The eviction-prevention service: notices, the pipeline, letters, the scheduler and its staff pages."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register outreach's models, commands and scheduled jobs with the app."""
    import outreach.models  # noqa: F401
    from outreach.cli import register_commands

    register_commands(app)
