"""Letters on paper: stored PDFs, a review gate, and the daily print batch."""

from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    """Add `portal letters export` to the app's CLI."""
    from portal.letters.print_batch import letters_cli

    if letters_cli.name not in app.cli.commands:
        app.cli.add_command(letters_cli)
