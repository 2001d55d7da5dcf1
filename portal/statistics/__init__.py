"""Statistics for the board and the unit: counts and aggregates only, drawn as accessible SVG with a table beside."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The statistics pages, their place in the navigation, and the portal's own sections (outreach adds its own)."""
    from portal.staff.nav import Section, add_home_link
    from portal.staff.nav import add_section as add_nav_section
    from portal.statistics import booking_stats, eapp_stats, intake_stats
    from portal.statistics.tables import add_section
    from portal.statistics.views import READERS, bp

    app.register_blueprint(bp)
    add_section(app, "intake", "Mottagningen", intake_stats.build)
    add_section(app, "e_applications", "E-ansökan", eapp_stats.build)
    add_section(app, "reception_appointments", "Besök i mottagningen", booking_stats.build)
    add_home_link(app, frozenset(READERS), "statistics.overview", "Statistik")
    add_nav_section(app, Section("statistics", "Statistik", "statistics.overview", frozenset(READERS),
                                 ("statistics.",)))
