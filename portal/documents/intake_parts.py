"""The documents' part of an intake item's page: the review panel of an e-application's documents (registered
by init_app; portal.intake.panels)."""

from __future__ import annotations

from flask import Flask, render_template

from portal.documents.panel import review_panel
from portal.intake import panels
from portal.intake.models import IntakeItem


def documents_panel(item: IntakeItem, viewer: panels.Viewer) -> str | None:
    """Each checklist item with its files and, for whoever holds the item, the review actions."""
    review = review_panel(item, staff_id=viewer.staff_id)
    if review is None or not viewer.is_reception:
        return None
    return render_template("documents/_review_panel.html", review=review, is_reception=viewer.is_reception)


def register(app: Flask) -> None:
    """Add the review panel to the intake item's page."""
    panels.add_item_panel(app, documents_panel, place=panels.Place.BELOW_ACTIONS, order=10)
