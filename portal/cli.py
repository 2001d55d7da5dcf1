"""The `portal` command: everything an operator does, as subcommands of one Flask CLI group."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from portal import demo, migrate, translations
from portal.staff.models import Role, StaffUser
from portal.staff.service import StaffError, create_staff


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


@click.group("staff", cls=AppGroup)
def staff_group() -> None:
    """Staff accounts."""


@staff_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--name", default=None, help="Name shown to colleagues.")
def staff_create(email: str, role: str, name: str | None) -> None:
    """Create a staff account; the password is asked for, or read from standard input when it is not a terminal."""
    if sys.stdin.isatty():
        password = click.prompt("Lösenord", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = create_staff(email=email, role=Role(role), password=password, name=name)
    except StaffError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Kontot {user.email} ({user.role}) är skapat.")


_CLI_ACTOR = ("system", None, "cli")


def _account(email: str) -> StaffUser:
    from portal.staff.service import get_staff_by_email

    user = get_staff_by_email(email)
    if user is None:
        raise click.ClickException(f"Det finns inget konto med e-postadressen {email}.")
    return user


@staff_group.command("deactivate")
@click.argument("email")
def staff_deactivate(email: str) -> None:
    """Deactivate an account: it cannot log in, and every session it has ends now."""
    from portal.staff import service

    user = _account(email)
    try:
        service.deactivate(user, actor=_CLI_ACTOR)
    except StaffError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Kontot {user.email} är inaktiverat och utloggat.")


@staff_group.command("activate")
@click.argument("email")
def staff_activate(email: str) -> None:
    """Let a deactivated account log in again."""
    from portal.staff import service

    user = _account(email)
    service.activate(user, actor=_CLI_ACTOR)
    click.echo(f"Kontot {user.email} är aktiverat.")


@staff_group.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([role.value for role in Role]))
def staff_set_role(email: str, role: str) -> None:
    """Give an account another role; its sessions end, so the role applies from its next login."""
    from portal.staff import service

    user = _account(email)
    try:
        service.set_role(user, Role(role), actor=_CLI_ACTOR)
    except StaffError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Kontot {user.email} har rollen {user.role} och är utloggat.")


@staff_group.command("reset-password")
@click.argument("email")
def staff_reset_password(email: str) -> None:
    """Make the password useless, end every session, and print a one-time link for setting a new one."""
    from flask import url_for

    from portal.staff import service

    user = _account(email)
    token = service.reset_password(user, actor=_CLI_ACTOR, valid_hours=current_app.config["PASSWORD_RESET_HOURS"])
    base = current_app.config["BASE_URL"]
    with current_app.test_request_context(base_url=base):
        link = base + url_for("staff.set_password", token=token)
    click.echo(f"Det gamla lösenordet fungerar inte längre. Länk för ett nytt (en gång, "
               f"{current_app.config['PASSWORD_RESET_HOURS']:g} timmar):")
    click.echo(link)


@staff_group.command("reset-mfa")
@click.argument("email")
def staff_reset_mfa(email: str) -> None:
    """Remove the second factor and recovery codes (the next login connects a new app); sessions end."""
    from portal.staff import service

    user = _account(email)
    service.reset_mfa(user, actor=_CLI_ACTOR)
    click.echo(f"Kontot {user.email} har ingen andra faktor längre; nästa inloggning kopplar en ny app.")


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


@click.group("audit", cls=AppGroup)
def audit_group() -> None:
    """The access log."""


@audit_group.command("verify")
def audit_verify() -> None:
    """Check the hash chain of the whole access log; fails if any event was changed, removed or inserted."""
    from portal.audit import verify_chain

    checked, problems = verify_chain()
    if problems:
        raise click.ClickException("Loggkedjan är bruten:\n" + "\n".join(
            f"  händelse {p.chain_seq}: {p.problem}" for p in problems))
    click.echo(f"Loggkedjan är hel ({checked} händelser kontrollerade).")


@audit_group.command("report")
@click.option("--month", required=True, help="YYYY-MM")
def audit_report(month: str) -> None:
    """The monthly review: reads per staff member, unusual volumes, reads of protected identities."""
    from portal.audit_review import month_report

    try:
        report = month_report(month)
    except ValueError as error:
        raise click.ClickException("Ange månaden som ÅÅÅÅ-MM, till exempel 2026-11.") from error
    click.echo(f"Granskning av åtkomstloggen för {report.month}")
    click.echo(f"{'personal':<32} {'läsningar':>10} {'personer':>9} {'skyddade':>9}  avvikande")
    for actor in report.actors:
        click.echo(f"{actor.actor_label:<32} {actor.reads:>10} {actor.persons:>9} {actor.protected_reads:>9}  "
                   f"{'JA' if actor.unusual else ''}")
    click.echo(f"\nLäsningar av personer med skyddade personuppgifter: {len(report.protected)}")
    for at, label, action, person_id in report.protected:
        click.echo(f"  {at:%Y-%m-%d %H:%M} {label} {action} person {person_id}")


@click.group("person", cls=AppGroup)
def person_group() -> None:
    """A person's data."""


def _person_or_fail(personnummer: str) -> Any:
    from portal.people import get_person_by_personnummer
    from portal.personnummer import InvalidIdentityNumber, parse

    try:
        number = parse(personnummer)
    except InvalidIdentityNumber as error:
        raise click.ClickException("Ogiltigt personnummer.") from error
    person = get_person_by_personnummer(number.digits)
    if person is None:
        raise click.ClickException("Personen finns inte i systemet.")
    return person


@person_group.command("protect")
@click.argument("personnummer")
@click.option("--level", type=click.Choice(["sekretessmarkering", "skyddad_folkbokforing",
                                            "fingerade_personuppgifter", "skyddad_niva_okand"]),
              default="skyddad_niva_okand", show_default=True)
def person_protect(personnummer: str, level: str) -> None:
    """Mark a person protected: every notice, letter and page of theirs (and of their flats) hides the address."""
    from portal.db import db
    from portal.people import Protection
    from portal.protection import protect_person

    person = _person_or_fail(personnummer)
    changed = protect_person(person, source="personal", level=Protection(level))
    db.session.commit()
    click.echo("Skyddet är satt." if changed else "Personen hade redan skyddade personuppgifter.")


@person_group.command("lift-protection")
@click.argument("personnummer")
@click.option("--reason", required=True, help="Why the protection is lifted (e.g. a decision from Skatteverket).")
def person_lift_protection(personnummer: str, reason: str) -> None:
    """Lift a person's protection (an administrator's decision, with a reason, in the access log)."""
    from portal.protection import ProtectionError, lift_protection

    try:
        lift_protection(_person_or_fail(personnummer), reason=reason)
    except ProtectionError as error:
        raise click.ClickException(str(error)) from error
    click.echo("Skyddet är borttaget.")


@person_group.command("export")
@click.argument("personnummer")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the ZIP (export.json, export.pdf, files/…) here; without it, the JSON is printed.")
def person_export(personnummer: str, out: Path | None) -> None:
    """Export everything held about a person (subject-access request, GDPR art. 15); the export is audit-logged."""
    from portal import subject_access

    person = _person_or_fail(personnummer)
    export = subject_access.build_export(person)
    if out is None:
        subject_access.record_export(person, actor=("system", None, "cli"))
        click.echo(subject_access.export_json(export).decode("utf-8"))
        return
    with out.open("wb") as target:
        problems = subject_access.write_archive(export, target)
    subject_access.record_export(person, actor=("system", None, "cli"))
    for problem in problems:
        click.echo(f"Saknas i arkivet: {problem}", err=True)
    click.echo(f"Registerutdraget är skrivet: {out} ({len(export.files) - len(problems)} filer).")


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
