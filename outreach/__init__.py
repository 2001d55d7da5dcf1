"""The eviction-prevention service: notices, the pipeline, letters, the scheduler and its staff pages."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register outreach's models, commands, pages, API, jobs, statistics, search, export and demo data."""
    import outreach.models  # noqa: F401  (the metadata must hold outreach's tables)
    from outreach.api.routes import bp as api_bp
    from outreach.casework.search import ROLES, find_notices
    from outreach.casework.views import admin_bp, bp
    from outreach.cli import register_commands
    from outreach.demo import history, samples
    from outreach.funnel.views import bp as funnel_bp
    from outreach.funnel.views import variants_bp
    from outreach.notices import protection
    from outreach.notices.known_clients import get_known_client
    from outreach.pipeline import jobs
    from outreach.pipeline.followup import open_task_count
    from outreach.reports import funnel as funnel_stats
    from outreach.reports import statistics
    from outreach.reports.subject_access import register_export_sections
    from portal import demo, demo_history, search
    from portal.booking.first_visit import add_known_source
    from portal.jobs import provide
    from portal.staff.models import Role
    from portal.staff.nav import Section, add_home_link, add_section
    from portal.statistics.tables import add_section as add_statistics_section

    protection.init_app()
    from outreach.pipeline import followup
    from outreach.pipeline.reception_need import notices_needing_a_time
    from portal.booking.capacity import add_need_source

    followup.init_app()
    add_need_source("notices", notices_needing_a_time)
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(funnel_bp)
    app.register_blueprint(variants_bp)
    register_commands(app)
    register_export_sections(app)
    # A current client has a caseworker already: no first time at the reception is offered online.
    add_known_source(app, lambda personnummer: get_known_client(personnummer) is not None)
    provide(app, "outreach.pipeline", jobs.pipeline_job)
    provide(app, "outreach.retention", jobs.retention_job)
    search.add_provider(app, "notices", "Underrättelser", ROLES, find_notices)
    add_statistics_section(app, "outreach", "Uppsökande verksamhet", statistics.build)
    add_statistics_section(app, "funnel", "Kontaktkedjan och brevvarianter", funnel_stats.build)
    demo.add_loader(app, "outreach", samples.load_demo)
    demo_history.add_history_loader(app, "outreach", history.outreach_history)
    add_section(app, Section("notices", "Underrättelser", "outreach.list_page", frozenset({Role.OUTREACH}),
                             ("outreach.",), open_task_count, "uppgifter att göra"))
    add_section(app, Section("api_keys", "API-nycklar", "outreach_admin.keys_page", frozenset({Role.ADMIN}),
                             ("outreach_admin.",)))
    for roles, endpoint, label in (
        (frozenset({Role.OUTREACH}), "outreach.list_page", "Underrättelser om risk för vräkning"),
        (frozenset({Role.OUTREACH}), "outreach.manual_page", "Underrättelser för manuell hantering"),
        (frozenset({Role.OUTREACH}), "outreach.import_page", "Läs in underrättelser"),
        (frozenset({Role.OUTREACH, Role.RECEPTION}), "funnel.register_page", "Registrera returbrev"),
        (frozenset({Role.ADMIN}), "outreach_admin.keys_page", "API-nycklar för hyresvärdar"),
        (frozenset({Role.ADMIN}), "letter_variants.variants_page", "Brevvarianter (test av brevtexter)"),
    ):
        add_home_link(app, roles, endpoint, label)
