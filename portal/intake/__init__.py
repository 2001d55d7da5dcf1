"""The intake queue: every new thing for the reception (e-applications, outreach hand-offs, phone and walk-in)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the intake pages, their links and navigation, search, the hand-off command and job, demo data."""
    from portal import demo, jobs, search
    from portal.intake import cli, interpreter_views, meeting_views, views  # noqa: F401  (they add routes to bp)
    from portal.intake.demo import load_demo
    from portal.intake.handoff import retry_handoffs
    from portal.intake.pages import bp
    from portal.intake.search import ROLES, find_items
    from portal.roles import Role
    from portal.staff.nav import Section, add_home_link, add_section

    app.register_blueprint(bp)
    cli.register_commands(app)
    jobs.provide(app, "intake.retry_handoffs", retry_handoffs)
    search.add_provider(app, "intake", "Ärenden i intagskön", ROLES, find_items)
    demo.add_loader(app, "intake", load_demo)
    add_section(app, Section("intake", "Intagskön", "staff_intake.queue_page", frozenset({Role.RECEPTION}),
                             ("staff_intake.queue_page", "staff_intake.item_page", "staff_intake.register",
                              "staff_intake.handoffs", "staff_messages.")))
    add_section(app, Section("meeting", "Intagsmötet", "staff_intake.board", frozenset({Role.COORDINATOR}),
                             ("staff_intake.board", "staff_intake.assign", "staff_intake.meetings",
                              "staff_intake.meeting_record")))
    add_section(app, Section("mine", "Mina ärenden", "staff_intake.mine", frozenset({Role.CASEWORKER}),
                             ("staff_intake.mine",)))
    for roles, endpoint, label in (
        (frozenset({Role.RECEPTION}), "staff_intake.queue_page", "Intagskön"),
        (frozenset({Role.RECEPTION}), "staff_intake.register", "Registrera telefon- eller besöksärende"),
        (frozenset({Role.COORDINATOR}), "staff_intake.board", "Intagsmötet"),
        (frozenset({Role.CASEWORKER}), "staff_intake.mine", "Mina tilldelade ärenden"),
        (frozenset({Role.RECEPTION}), "staff_intake.handoffs", "Överlämningar som inte är framme"),
    ):
        add_home_link(app, roles, endpoint, label)

