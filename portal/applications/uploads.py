"""The e-application's upload page hands the resident's files to the documents area, which checks and stores them.

The documents area builds on the application (a document belongs to a checklist item) and registers its store
in its init_app (onto app.extensions), so the application's pages import nothing of it (README: Layout).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, cast

from flask import Flask, current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from portal.applications.models import ChecklistItem
from portal.bounds import MAX_FILES_PER_REQUEST

STORE = "applications.document_store"


class UploadRefused(ValueError):
    """A file the store would not take; str() of it says why, in the resident's language."""


class DocumentStore(Protocol):
    """What the upload page needs of the documents area (portal.documents.service is one)."""

    def add_document(self, item: ChecklistItem, upload: FileStorage, *, person_id: int) -> Any: ...

    def list_documents(self, item: ChecklistItem) -> Sequence[Any]: ...


def set_store(app: Flask, store: DocumentStore) -> None:
    """Let the upload page hand files to `store`."""
    app.extensions[STORE] = store


def _store() -> DocumentStore:
    return cast(DocumentStore, current_app.extensions[STORE])


def save_uploads(item: ChecklistItem, files: Sequence[FileStorage], *, person_id: int) -> tuple[int, list[str]]:
    """Store each file for the checklist item: how many were stored, and one line per file refused (or about
    the whole request). A refused file loses nothing else: the others are stored all the same."""
    if not files:
        return 0, [_("Välj minst en fil att ladda upp.")]
    if len(files) > MAX_FILES_PER_REQUEST:
        return 0, [_("Du kan ladda upp högst %(max)s filer åt gången. Ingen av filerna sparades. "
                     "Dela upp dem och försök igen.", max=MAX_FILES_PER_REQUEST)]
    saved, problems = 0, []
    for upload in files:
        try:
            _store().add_document(item, upload, person_id=person_id)
            saved += 1
        except UploadRefused as error:
            problems.append(_("%(name)s: %(problem)s", name=upload.filename or "", problem=str(error)))
    return saved, problems


def list_documents(item: ChecklistItem) -> list[Any]:
    """The files sent for the checklist item, oldest first."""
    return list(_store().list_documents(item))
