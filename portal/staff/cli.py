"""`portal staff`: create staff accounts, deactivate, change role, reset a password or the second factor."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from portal.roles import Role
from portal.staff.models import StaffUser
from portal.staff.service import StaffError, create_staff


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
