"""Letters on paper: stored PDFs, a review gate, and the daily print batch."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the letters' staff pages, navigation, search and `portal letters export`."""
    from portal import search
    from portal.letters import search as letters_search
    from portal.letters.models import LetterStatus
    from portal.letters.print_batch import letters_cli
    from portal.letters.service import count_letters
    from portal.letters.views import bp
    from portal.staff.models import Role
    from portal.staff.nav import Section, add_home_link, add_section

    app.register_blueprint(bp)
    app.cli.add_command(letters_cli)
    search.add_provider(app, "letters", "Brev", letters_search.ROLES, letters_search.find_letters)
    add_section(app, Section("letters", "Brev", "staff_letters.list_page", frozenset({Role.RECEPTION, Role.OUTREACH}),
                             ("staff_letters.",), lambda: count_letters(LetterStatus.AWAITING_APPROVAL),
                             "att godkänna"))
    add_home_link(app, frozenset({Role.RECEPTION, Role.OUTREACH}), "staff_letters.list_page", "Brev och utskrift")
