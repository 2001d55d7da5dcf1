"""`portal person` and `portal audit`: a person's protection and subject-access export, and the access log's checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup


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
