"""`portal handoff export`: write hand-offs to the case system to a folder."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from portal.intake.handoff import export_to_folder
from portal.intake.service import recompute_all_deadlines


@click.group("handoff")
def handoff_group() -> None:
    """Hand-offs of intake items to the case system (FORMATS.md §5)."""


@handoff_group.command("export")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write <id>.json files to (created if missing).")
@click.option("--all", "include_delivered", is_flag=True, help="Write delivered hand-offs again too (same files).")
def export(out: Path, include_delivered: bool) -> None:
    """Write every hand-off not yet delivered as one JSON file per item; running it again never duplicates."""
    written = export_to_folder(out, include_delivered=include_delivered)
    click.echo(f"{len(written)} överlämningar skrivna till {out}.")


@click.group("intake")
def intake_group() -> None:
    """The intake queue."""


@intake_group.command("recompute-deadlines")
def recompute_deadlines() -> None:
    """Recompute every open item's deadline (after changing PORTAL_DECISION/OVERALL_LIMIT_WORKING_DAYS)."""
    click.echo(f"{recompute_all_deadlines()} ärenden fick en ny frist.")


def register_commands(app: Flask) -> None:
    """Attach the handoff and intake command groups to the app's CLI."""
    app.cli.add_command(handoff_group)
    app.cli.add_command(intake_group)
