"""Where sending an application leads: the receipt, unless another area has a step first (booking offers a
person new to the unit their first time at the reception). Registered on the app, so this area never imports
booking."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

from portal.applications.models import Application

NEXT_PAGES = "portal.applications.after_submit"

# (the sent application, the resident's person id) -> the address of the step, or None.
NextPage = Callable[[Application, int], str | None]


def add_next_page(app: Flask, page: NextPage) -> None:
    """Let another area put a step between sending and the receipt."""
    app.extensions.setdefault(NEXT_PAGES, []).append(page)


def next_page(application: Application, person_id: int) -> str | None:
    """The first registered step that applies, or None (the receipt)."""
    pages: list[NextPage] = current_app.extensions.get(NEXT_PAGES, [])
    for page in pages:
        address = page(application, person_id)
        if address:
            return address
    return None
