"""Outreach's `portal` subcommands."""

from __future__ import annotations

import logging

import click
from flask import Flask, current_app


def register_commands(app: Flask) -> None:
    """Add outreach's commands to the `portal` group."""

    @app.cli.command("worker")
    def worker() -> None:
        """Run the scheduler process (outreach pipeline, reminders, retention) until stopped."""
        from outreach.scheduler import run_forever

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
        click.echo("Schemaläggaren startar. Stoppa med Ctrl-C.")
        run_forever(current_app._get_current_object())  # type: ignore[attr-defined]
