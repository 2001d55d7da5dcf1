"""Staff roles and which role may do what (DESIGN.md §6): the core, so that the access checks in
portal.security need no area; the accounts that hold a role are in portal.staff.models."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a staff member may do; a coordinator may do everything reception may."""

    RECEPTION = "reception"
    COORDINATOR = "coordinator"
    CASEWORKER = "caseworker"
    OUTREACH = "outreach"
    ADMIN = "admin"


ROLE_LABELS: dict[Role, str] = {
    Role.RECEPTION: "mottagning",
    Role.COORDINATOR: "samordnare",
    Role.CASEWORKER: "handläggare",
    Role.OUTREACH: "uppsökare",
    Role.ADMIN: "administratör",
}

# Roles that include others: a route allowing reception also allows a coordinator.
IMPLIED_ROLES: dict[Role, frozenset[Role]] = {
    Role.COORDINATOR: frozenset({Role.RECEPTION}),
}


def grants(role: Role, allowed: frozenset[Role]) -> bool:
    """True when a user with `role` may use something open to `allowed`."""
    return role in allowed or bool(IMPLIED_ROLES.get(role, frozenset()) & allowed)
