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
    _init_areas(app)

    return app


def _register_models() -> None:
    """Import every model module so the metadata is complete (migrations and create_all need it)."""
    import portal.models  # noqa: F401


def _init_areas(app: Flask) -> None:
    """Each area registers its pages, commands, jobs, links, statistics, search and demo data onto this app, in
    this order (the navigation bar and the staff home follow it). Nothing registers itself by being imported."""
    import outreach  # the one place portal imports outreach (import contract in pyproject.toml)
    from portal import (
        applications,
        booking,
        demo_history,
        documents,
        identity,
        intake,
        jobs,
        letters,
        public,
        staff,
        statistics,
    )

    for area in (jobs, public, identity, staff, intake, applications, documents, booking, letters, statistics,
                 demo_history, outreach):
        area.init_app(app)
