"""The e-application's parts of the intake pages: the messages with the resident on an item's page, the unread
messages above the queue, and the application in the hand-off (registered by init_app; portal.intake.panels)."""

from __future__ import annotations

from flask import Flask, render_template
from sqlalchemy import select

from portal.applications import messages
from portal.applications.handoff import application_section
from portal.applications.models import Application, Author
from portal.applications.staff_views import StaffMessageForm
from portal.db import db
from portal.intake import panels
from portal.intake.models import IntakeItem, Source
from portal.intake.service import staff_names


def application_of(item: IntakeItem) -> Application | None:
    """The e-application behind an intake item (None for items from other sources)."""
    if item.source != Source.E_APPLICATION:
        return None
    return db.session.scalar(select(Application).where(Application.intake_item_id == item.id))


def messages_panel(item: IntakeItem, viewer: panels.Viewer) -> str | None:
    """The thread with the resident (opening it marks the resident's messages seen) and, for reception, the form."""
    application = application_of(item)
    if application is None:
        return None
    thread, unread = messages.open_thread(application.id, reader=Author.STAFF)
    return render_template("applications/_staff_messages.html", application=application, thread=thread,
                           unread=unread, names=staff_names({m.staff_id for m in thread}),
                           is_reception=viewer.is_reception, message_form=StaffMessageForm())


def unread_notice() -> str | None:
    """Which open items have messages from residents that nobody has read yet."""
    unread = messages.items_with_unread_from_residents()
    return render_template("applications/_queue_unread.html", unread=unread) if unread else None


def handoff_application(item: IntakeItem, protected: bool) -> dict[str, object] | None:
    """The application's answers and documents for the case system (no address for a protected identity)."""
    return application_section(item.id, protected=protected)


def register(app: Flask) -> None:
    """Add the e-application's parts to the intake pages and the hand-off."""
    panels.add_item_panel(app, messages_panel, place=panels.Place.BELOW_ACTIONS, order=20)
    panels.add_queue_notice(app, unread_notice)
    panels.add_handoff_part(app, "application", handoff_application)
