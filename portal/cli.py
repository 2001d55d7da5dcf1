"""The `portal` command: everything an operator does, as subcommands of one Flask CLI group."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from portal import demo, migrate, translations
from portal.data_protection_cli import (
    audit_group,
    person_group,
)
from portal.staff.cli import (
    staff_group,
)


def _create_app() -> Flask:
    from portal import create_app

    return create_app()


class PortalGroup(FlaskGroup):
    """The `portal` group: its own commands are listed even when the configuration would stop the app."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from portal.config import ConfigError, check_safe, load

        try:
            check_safe(load())
        except ConfigError:
            return sorted(self.commands)
        return list(super().list_commands(ctx))


@click.group(cls=PortalGroup, create_app=_create_app, add_default_commands=False, add_version_option=False)
def cli() -> None:
    """The income-support portal and the outreach service (see README.md)."""


def main() -> None:
    """The `portal` console command; an unsafe configuration ends with its message, not a traceback."""
    from portal.config import ConfigError

    try:
        cli.main(prog_name="portal")
    except ConfigError as error:
        click.echo(f"portal: {error}", err=True)
        raise SystemExit(2) from error


@click.group("db", cls=AppGroup)
def db_group() -> None:
    """Database schema migrations."""


@db_group.command("upgrade")
@click.argument("revision", default="heads")
def db_upgrade(revision: str) -> None:
    """Migrate the database to REVISION (default: the newest)."""
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(revision)
    click.echo(f"Databasen är migrerad till {revision}.")


@db_group.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Take the schema back to REVISION (`base` empties it)."""
    migrate.downgrade(revision)
    click.echo(f"Databasen är återställd till {revision}.")


@click.group("demo", cls=AppGroup)
def demo_group() -> None:
    """Demo data."""


@demo_group.command("load")
@click.option("--history", is_flag=True, help="Also add a generated year of history for the statistics (once).")
def demo_load(history: bool) -> None:
    """Load demo data into an empty database and print the staff passwords once."""
    if not demo.is_empty():
        click.echo("Databasen innehåller redan data; inga demodata lades till.")
    else:
        accounts = demo.load()
        click.echo("Demodata är inlagda. Personalkonton (lösenorden visas bara nu):")
        for account in accounts:
            click.echo(f"  {account.role.value:<12} {account.email:<28} {account.password}")
    if history:
        from portal import demo_history

        added = demo_history.load()
        if any(added.values()):
            click.echo("Historik för ett år är inlagd: " + ", ".join(f"{k} {v}" for k, v in added.items() if v) + ".")
        else:
            click.echo("Historiken finns redan; ingen historik lades till.")


@click.group("translations", cls=AppGroup)
def translations_group() -> None:
    """Translation catalogs (Swedish is the source language)."""


@translations_group.command("update")
def translations_update() -> None:
    """Extract strings into messages.pot and merge them into every catalog."""
    translations.update()
    click.echo("Katalogerna är uppdaterade.")


@translations_group.command("fill")
@click.argument("json_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-unknown", is_flag=True, help="Skip texts that are not in the catalog.")
def translations_fill(json_file: Path, skip_unknown: bool) -> None:
    """Fill translations from a JSON file {msgid: {lang: text}}."""
    count = translations.fill(json_file, skip_unknown=skip_unknown)
    click.echo(f"{count} översättningar ifyllda.")


@translations_group.command("compile")
def translations_compile() -> None:
    """Compile every catalog to .mo (fails on placeholder errors)."""
    problems = translations.compile_all()
    if problems:
        raise click.ClickException("\n".join(problems))
    click.echo("Katalogerna är kompilerade.")


@translations_group.command("check")
def translations_check() -> None:
    """Fail when messages.pot is stale or a catalog is incomplete, fuzzy or has wrong placeholders."""
    failures = []
    if translations.pot_is_stale():
        failures.append("messages.pot är inaktuell: kör `portal translations update`.")
    failures += [f"{p.lang}: {p.problem}: {p.msgid!r}" for p in translations.check_catalogs()]
    if failures:
        raise click.ClickException("\n".join(failures[:50]) + (f"\n… och {len(failures) - 50} till"
                                                                if len(failures) > 50 else ""))
    click.echo("Alla kataloger är kompletta.")


@click.command("backup")
@with_appcontext
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def backup_command(out: Path) -> None:
    """Write a consistent copy of the database and every stored file to one archive (while the portal runs)."""
    from portal.backup import BackupError, backup

    try:
        manifest = backup(out)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Säkerhetskopian är skriven: {out} ({len(manifest['files'])} filer).")


@click.command("restore")
@with_appcontext
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm that the current database and files are replaced.")
def restore_command(archive: Path, yes: bool) -> None:
    """Replace the database and the stored files with those in ARCHIVE (stop the portal and scheduler first)."""
    from portal.backup import BackupError, restore

    if not yes:
        raise click.ClickException("Återställningen ersätter databasen och filerna. Bekräfta med --yes.")
    try:
        manifest = restore(archive)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Återställt från {archive} ({len(manifest['files'])} filer).")


@click.command("dev")
@with_appcontext
@click.option("--port", default=5000, show_default=True)
def dev(port: int) -> None:
    """Serve the portal on 127.0.0.1 and run the scheduler beside it; Ctrl-C or SIGTERM stops both, and if the
    scheduler dies on its own the terminal is told at once (the web server carries on)."""
    import signal
    import threading

    worker = None
    stopping = threading.Event()
    if current_app.config["SCHEDULER"]:
        worker = subprocess.Popen([sys.executable, "-m", "portal.cli", "worker"], env=os.environ.copy())

        def watch(child: subprocess.Popen[bytes]) -> None:
            code = child.wait()
            if not stopping.is_set():
                click.echo(f"Schemaläggaren (portal worker, process {child.pid}) har stoppat med kod {code}. "
                           "Webbservern fortsätter, men inga jobb körs: stoppa portal dev och starta den igen.",
                           err=True)

        threading.Thread(target=watch, args=(worker,), name="worker-watch", daemon=True).start()

    def stop(_signum: int, _frame: object) -> None:
        # SIGTERM (systemd, docker stop, kill) ends the server as Ctrl-C does, so the worker is stopped below.
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    from werkzeug.serving import run_simple

    try:
        # Flask's app.run() refuses to run inside the `flask` CLI, so serve with Werkzeug directly.
        run_simple("127.0.0.1", port, current_app._get_current_object(), threaded=True)  # type: ignore[attr-defined]
    except KeyboardInterrupt:
        pass
    finally:
        stopping.set()
        signal.signal(signal.SIGTERM, previous)
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        click.echo("Portalen och schemaläggaren är stoppade.")


for _command in (db_group, demo_group, staff_group, translations_group, audit_group, person_group, backup_command,
                 restore_command, dev):
    cli.add_command(_command)


if __name__ == "__main__":
    main()
