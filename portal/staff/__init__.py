"""Staff accounts, roles, login and the staff home."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register login and the staff home, the administrator's pages (access log, accounts, subject access)."""
    from portal.staff import moved
    from portal.staff.account_views import bp as accounts_bp
    from portal.staff.audit_views import bp as audit_bp
    from portal.staff.models import Role
    from portal.staff.nav import Section, add_home_link, add_section
    from portal.staff.subject_access_views import bp as subject_access_bp
    from portal.staff.views import bp
    from portal.subject_access_labels import register_core_labels

    for blueprint in (bp, audit_bp, accounts_bp, subject_access_bp):
        app.register_blueprint(blueprint)
    moved.init_app(app)
    register_core_labels(app)
    add_section(app, Section("home", "Start", "staff.home", frozenset(), ("staff.home",)))
    add_section(app, Section("audit", "Åtkomstloggen", "staff_audit.review", frozenset({Role.ADMIN}),
                             ("staff_audit.",)))
    add_section(app, Section("subject_access", "Registerutdrag", "staff_subject_access.export_page",
                             frozenset({Role.ADMIN}), ("staff_subject_access.",)))
    add_home_link(app, frozenset({Role.ADMIN}), "staff_audit.review", "Granska åtkomstloggen")
    add_home_link(app, frozenset({Role.ADMIN}), "staff_accounts.list_page", "Personalkonton")
    add_home_link(app, frozenset({Role.ADMIN}), "staff_subject_access.export_page", "Registerutdrag för en person")
