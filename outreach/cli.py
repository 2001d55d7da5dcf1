"""Outreach's `portal` subcommands."""

from __future__ import annotations

import logging
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup


def register_commands(app: Flask) -> None:
    """Add outreach's commands to the `portal` group."""

    @app.cli.command("worker")
    def worker() -> None:
        """Run the scheduler process (outreach pipeline, reminders, retention) until stopped."""
        from outreach.pipeline.scheduler import run_forever

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
        click.echo("Schemaläggaren startar. Stoppa med Ctrl-C.")
        run_forever(current_app._get_current_object())  # type: ignore[attr-defined]

    for group in (notices_group, known_clients_group, outreach_group, retention_group, apikeys_group):
        app.cli.add_command(group)


notices_group = AppGroup("notices", help="Notices of eviction risk.")
known_clients_group = AppGroup("known-clients", help="The register of known clients.")
outreach_group = AppGroup("outreach", help="The outreach pipeline.")
retention_group = AppGroup("retention", help="Retention: deleting what is kept no longer.")
apikeys_group = AppGroup("apikeys", help="The landlords' API keys.")


@notices_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_notices(path: Path) -> None:
    """Import a notice file (FORMATS.md §1) and print the report; importing it again creates nothing."""
    from outreach.notices.importer import import_file
    from portal.clock import local_today

    report = import_file(path.read_bytes(), today=local_today(), filename=path.name)
    for line in report.lines():
        click.echo(line)
    if report.file_problem:
        raise SystemExit(1)


@known_clients_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_known_clients(path: Path) -> None:
    """Replace the known-client register with this snapshot (a bad file leaves the old one)."""
    from outreach.notices.known_clients import import_register

    report = import_register(path.read_bytes())
    if not report.ok:
        click.echo("Registret ändrades inte:", err=True)
        for problem in report.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1)
    click.echo(f"Registret ersatt: {report.loaded} personer.")


@outreach_group.command("run")
def run_once() -> None:
    """One full pass of the pipeline over every due notice, then follow-up and e-mail; then exit."""
    from outreach.pipeline.run import run_pass

    click.echo(f"Klart: {run_pass()}.")


@retention_group.command("run")
def run_retention() -> None:
    """Delete notices that never became a case after the configured period (anonymous counts stay)."""
    from outreach.pipeline.retention import run_retention as run

    click.echo(f"Gallrade underrättelser: {run()}.")


@apikeys_group.command("create")
@click.option("--landlord", required=True, help="The landlord's name.")
@click.option("--orgnr", default="", help="Organisationsnummer.")
def create_key(landlord: str, orgnr: str) -> None:
    """Create a key; it is printed once and stored only as a hash."""
    from outreach.api.keys import create_key as create

    key, text = create(landlord_name=landlord, landlord_orgnr=orgnr)
    click.echo(f"Nyckel {key.id} för {key.landlord_name} (visas bara nu):")
    click.echo(text)


@apikeys_group.command("list")
def list_keys() -> None:
    """List keys (prefix, landlord, state)."""
    from outreach.api.keys import list_keys as keys

    for key in keys():
        state = f"återkallad {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "aktiv"
        click.echo(f"{key.id}\tnk_{key.prefix}_…\t{key.landlord_name}\t{state}")


@apikeys_group.command("revoke")
@click.argument("key_id", type=int)
def revoke_key(key_id: int) -> None:
    """Revoke a key by id."""
    from outreach.api.keys import revoke_key as revoke

    if revoke(key_id) is None:
        click.echo(f"Ingen nyckel med id {key_id}.", err=True)
        raise SystemExit(1)
    click.echo(f"Nyckel {key_id} är återkallad.")
