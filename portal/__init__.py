"""The portal: e-application, intake queue, booking, and the outreach service's staff pages."""

from __future__ import annotations

from typing import Any

from flask import Flask

from portal import bidi
from portal import config as config_module


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application; `config` overrides what the environment says (tests use it)."""
    app = Flask(__name__, instance_path=str(config_module.DEFAULT_INSTANCE))
    app.config.update(config_module.load())
    if config:
        app.config.update(config)
    config_module.check_safe(app.config)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = config_module.engine_options(app.config)

    from portal import clock, errors, i18n, security
    from portal.extensions import babel, csrf, db, limiter
    from portal.identity import oidc

    if app.config.get("TRUSTED_PROXIES"):
        # Behind that many proxies, the client's address and scheme come from their X-Forwarded-For and
        # X-Forwarded-Proto: rate limits, the audit log, throttling and secure-request checks see the resident,
        # not the proxy. Without the setting those headers are ignored (anyone could send them).
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    from portal import sessions

    db.init_app(app)
    sessions.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)
    oidc.init_app(app)
    i18n.init_app(app)
    from portal.staff.service import get_staff

    security.init_app(app, load_staff=get_staff)
    errors.init_app(app)
    app.jinja_env.add_extension("jinja2.ext.do")
    from portal.forms import error_question, first_errors, has_errors
    from portal.roles import ROLE_LABELS, Role

    def role_label(role: object) -> str:
        return ROLE_LABELS[Role(str(role))] if role in set(Role) else str(role)

    from portal.staff.nav import staff_nav

    app.jinja_env.globals.update(form_errors=first_errors, error_question=error_question, has_errors=has_errors,
                                 role_label=role_label, ltr=bidi.ltr, own=bidi.own, staff_nav=staff_nav)
    # Staff pages show Swedish local time, never UTC: {{ moment|local }} or {{ moment|local("%Y-%m-%d") }}.
    app.jinja_env.filters["local"] = clock.local_format
    _register_models()
    _register_blueprints(app)

    return app


def _unread_messages() -> int:
    from portal.applications.messages import unread_from_residents_count

    return unread_from_residents_count()


def _register_models() -> None:
    """Import every model module so the metadata is complete (migrations and create_all need it)."""
    import portal.models  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from portal.identity.views import bp as identity_bp
    from portal.public.views import bp as public_bp
    from portal.public.views import root
    from portal.roles import Role
    from portal.staff.account_views import bp as staff_accounts_bp
    from portal.staff.audit_views import bp as staff_audit_bp
    from portal.staff.subject_access_views import bp as staff_subject_access_bp
    from portal.staff.views import add_home_link
    from portal.staff.views import bp as staff_bp

    app.register_blueprint(root)
    app.register_blueprint(public_bp)
    app.register_blueprint(identity_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(staff_audit_bp)
    app.register_blueprint(staff_accounts_bp)
    app.register_blueprint(staff_subject_access_bp)
    from portal.statistics import intake_stats
    from portal.statistics.tables import add_section
    from portal.statistics.views import READERS
    from portal.statistics.views import bp as statistics_bp

    app.register_blueprint(statistics_bp)
    add_section("intake", "Mottagningen", intake_stats.build)
    add_home_link(frozenset(READERS), "statistics.overview", "Statistik")
    add_home_link(frozenset({Role.ADMIN}), "staff_audit.review", "Granska åtkomstloggen")
    add_home_link(frozenset({Role.ADMIN}), "staff_accounts.list_page", "Personalkonton")
    add_home_link(frozenset({Role.ADMIN}), "staff_subject_access.export_page", "Registerutdrag för en person")

    from portal import intake

    intake.init_app(app)
    from portal import applications

    applications.init_app(app)
    from portal import documents

    documents.init_app(app)
    from portal import letters

    letters.register_commands(app)
    from portal import booking

    booking.init_app(app)
    from portal.booking.staff_views import bp as staff_booking_bp
    from portal.booking.views import bp as rebooking_bp
    from portal.booking.views import short as rebooking_short_bp
    from portal.letters.views import bp as staff_letters_bp

    app.register_blueprint(rebooking_short_bp)
    app.register_blueprint(rebooking_bp)
    app.register_blueprint(staff_booking_bp)
    app.register_blueprint(staff_letters_bp)
    from portal.booking import first_visit_views

    first_visit_views.init_app(app)
    from portal.applications.waiting import add_time_source
    from portal.booking.service import upcoming_for_items

    add_time_source(app, upcoming_for_items)
    add_home_link(frozenset({Role.RECEPTION, Role.OUTREACH}), "staff_booking.day_page", "Mottagningens tider")
    add_home_link(frozenset({Role.RECEPTION, Role.OUTREACH}), "staff_letters.list_page", "Brev och utskrift")
    add_home_link(frozenset({Role.ADMIN}), "staff_booking.settings_page", "Mottagningens öppettider")
    from portal.letters.models import LetterStatus
    from portal.letters.service import count_letters
    from portal.staff.nav import Section
    from portal.staff.nav import add_section as add_nav_section

    add_nav_section(Section("home", "Start", "staff.home", frozenset(), ("staff.home",)))
    add_nav_section(Section("intake", "Intagskön", "staff_intake.queue_page", frozenset({Role.RECEPTION}),
                            ("staff_intake.queue_page", "staff_intake.item_page", "staff_intake.register",
                             "staff_intake.handoffs", "staff_messages."),
                            _unread_messages, "olästa meddelanden"))
    add_nav_section(Section("meeting", "Intagsmötet", "staff_intake.board", frozenset({Role.COORDINATOR}),
                            ("staff_intake.board", "staff_intake.assign", "staff_intake.meetings",
                             "staff_intake.meeting_record")))
    add_nav_section(Section("mine", "Mina ärenden", "staff_intake.mine", frozenset({Role.CASEWORKER}),
                            ("staff_intake.mine",)))
    add_nav_section(Section("reception", "Mottagningen", "staff_booking.day_page",
                            frozenset({Role.RECEPTION, Role.OUTREACH}),
                            ("staff_booking.day_page", "staff_booking.book_for_item")))
    add_nav_section(Section("letters", "Brev", "staff_letters.list_page", frozenset({Role.RECEPTION, Role.OUTREACH}),
                            ("staff_letters.",), lambda: count_letters(LetterStatus.AWAITING_APPROVAL),
                            "att godkänna"))
    add_nav_section(Section("statistics", "Statistik", "statistics.overview", frozenset(READERS), ("statistics.",)))
    add_nav_section(Section("audit", "Åtkomstloggen", "staff_audit.review", frozenset({Role.ADMIN}),
                            ("staff_audit.",)))
    add_nav_section(Section("subject_access", "Registerutdrag", "staff_subject_access.export_page",
                            frozenset({Role.ADMIN}), ("staff_subject_access.",)))
    add_nav_section(Section("settings", "Öppettider", "staff_booking.settings_page", frozenset({Role.ADMIN}),
                            ("staff_booking.settings_page",)))
    from portal import search
    from portal.booking import search as booking_search
    from portal.letters import search as letters_search

    search.add_provider("letters", "Brev", letters_search.ROLES, letters_search.find_letters)
    search.add_provider("bookings", "Bokningar", booking_search.ROLES, booking_search.find_bookings)

    # Portal never imports outreach except here, where the factory registers its blueprint and commands.
    import outreach

    outreach.init_app(app)
    from outreach.reports import statistics as outreach_stats

    add_section("outreach", "Uppsökande verksamhet", outreach_stats.build)
    # Importing it adds outreach's part of `portal demo load --history`.
    import outreach.demo.history
    from portal.statistics import eapp_stats

    add_section("e_applications", "E-ansökan", eapp_stats.build)
    from portal.statistics import booking_stats

    add_section("reception_appointments", "Besök i mottagningen", booking_stats.build)
