"""The intake queue: every new thing for the reception (e-applications, outreach hand-offs, phone and walk-in)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the intake pages, their staff-home links, the hand-off command, job and demo data."""
    # jobs and demo register themselves on import; views and meeting_views add their routes to the blueprint.
    from portal.intake import cli, demo, interpreter_views, jobs, meeting_views, views  # noqa: F401
    from portal.intake.pages import bp
    from portal.roles import Role
    from portal.staff.views import HOME_LINKS, add_home_link

    app.register_blueprint(bp)
    from portal import search
    from portal.intake.search import ROLES, find_items

    search.add_provider("intake", "Ärenden i intagskön", ROLES, find_items)
    cli.register_commands(app)
    links = (
        (frozenset({Role.RECEPTION}), "staff_intake.queue_page", "Intagskön"),
        (frozenset({Role.RECEPTION}), "staff_intake.register", "Registrera telefon- eller besöksärende"),
        (frozenset({Role.COORDINATOR}), "staff_intake.board", "Intagsmötet"),
        (frozenset({Role.CASEWORKER}), "staff_intake.mine", "Mina tilldelade ärenden"),
        (frozenset({Role.RECEPTION}), "staff_intake.handoffs", "Överlämningar som inte är framme"),
    )
    present = {endpoint for _, endpoint, _ in HOME_LINKS}
    for roles, endpoint, label in links:
        # create_app runs many times in one process (tests): add each link once.
        if endpoint not in present:
            add_home_link(roles, endpoint, label)
