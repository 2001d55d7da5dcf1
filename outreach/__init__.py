"""The eviction-prevention service: notices, the pipeline, letters, the scheduler and its staff pages."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register outreach's models, commands, pages, API, scheduled jobs and demo data with the app."""
    import outreach.models  # noqa: F401
    from outreach.api.routes import bp as api_bp
    from outreach.casework.views import admin_bp, bp
    from outreach.cli import register_commands
    from outreach.demo import samples  # noqa: F401  (the demo loader and the jobs register themselves on import)
    from outreach.funnel.views import bp as funnel_bp
    from outreach.funnel.views import variants_bp
    from outreach.notices import protection
    from outreach.pipeline import jobs  # noqa: F401
    from outreach.reports.subject_access import register_export_sections
    from portal.staff.models import Role
    from portal.staff.views import HOME_LINKS, add_home_link

    protection.init_app()
    from outreach.notices.known_clients import get_known_client
    from portal.booking.first_visit import add_known_source

    # A current client has a caseworker already: no first time at the reception is offered online.
    add_known_source(app, lambda personnummer: get_known_client(personnummer) is not None)
    from outreach.casework.search import ROLES, find_notices
    from outreach.pipeline.followup import open_task_count
    from portal.staff.nav import Section
    from portal.staff.nav import add_section as add_nav_section

    add_nav_section(Section("notices", "Underrättelser", "outreach.list_page", frozenset({Role.OUTREACH}),
                            ("outreach.",), open_task_count, "uppgifter att göra"))
    add_nav_section(Section("api_keys", "API-nycklar", "outreach_admin.keys_page", frozenset({Role.ADMIN}),
                            ("outreach_admin.",)))
    from portal import search

    search.add_provider("notices", "Underrättelser", ROLES, find_notices)
    from outreach.funnel import statistics as funnel_stats
    from portal.statistics.tables import add_section as add_statistics_section

    add_statistics_section("funnel", "Kontaktkedjan och brevvarianter", funnel_stats.build)
    register_commands(app)
    register_export_sections()
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(funnel_bp)
    app.register_blueprint(variants_bp)
    links = (
        (frozenset({Role.OUTREACH}), "outreach.list_page", "Underrättelser om risk för vräkning"),
        (frozenset({Role.OUTREACH}), "outreach.manual_page", "Underrättelser för manuell hantering"),
        (frozenset({Role.OUTREACH}), "outreach.import_page", "Läs in underrättelser"),
        (frozenset({Role.OUTREACH, Role.RECEPTION}), "funnel.register_page", "Registrera returbrev"),
        (frozenset({Role.ADMIN}), "outreach_admin.keys_page", "API-nycklar för hyresvärdar"),
        (frozenset({Role.ADMIN}), "letter_variants.variants_page", "Brevvarianter (test av brevtexter)"),
    )
    present = {endpoint for _, endpoint, _ in HOME_LINKS}
    for roles, endpoint, label in links:
        if endpoint not in present:  # create_app runs many times in one process (tests)
            add_home_link(roles, endpoint, label)
