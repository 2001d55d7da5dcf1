"""Addresses of the rebooking page, as printed in letters and QR codes and sent in e-mail.

Kept apart from the page's views so that services (letters, e-mail) build links without importing a view.
"""

from __future__ import annotations

from flask import current_app

from portal.booking.service import normalise_code


def code_url(code: str, lang: str) -> str:
    """The page of a code, as an absolute address for letters and QR codes."""
    return f"{current_app.config['BASE_URL']}/{lang}/tid/{normalise_code(code)}"


def short_url() -> str:
    """The short address a person types from the letter."""
    return f"{current_app.config['BASE_URL']}/tid"
