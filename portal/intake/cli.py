"""`portal handoff export`: write hand-offs to the case system to a folder."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from portal.intake.handoff import export_to_folder


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


def register_commands(app: Flask) -> None:
    """Attach the handoff command group to the app's CLI."""
    app.cli.add_command(handoff_group)
