"""What the areas add to the app when it is made: each list lives on `app.extensions`, filled by `init_app`.

Nothing registers itself by being imported. The factory calls each area's `init_app`, which adds its jobs, staff
home links, navigation sections, statistics sections, search providers, subject-access sections and demo loaders
to *that* app. A new app starts with empty lists, so making the app many times in one process (the tests) never
adds anything twice, and adding the same key twice to one app is a mistake that raises at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from flask import Flask, current_app

T = TypeVar("T")


class Registry(Generic[T]):
    """One named list of entries per app, in the order the areas added them; each entry has a unique key."""

    def __init__(self, name: str, key: Callable[[T], object]) -> None:
        self.name = f"portal.registry.{name}"
        self.key = key

    def _entries(self, app: Flask) -> dict[object, T]:
        entries: dict[object, T] = app.extensions.setdefault(self.name, {})
        return entries

    def add(self, app: Flask, entry: T) -> None:
        """Add an entry to this app's list; a key already there raises (two areas claiming one name)."""
        entries = self._entries(app)
        key = self.key(entry)
        if key in entries:
            raise ValueError(f"{self.name}: {key!r} is registered twice")
        entries[key] = entry

    def all(self, app: Flask | None = None) -> list[T]:
        """The entries of `app` (the current app when none is given), in the order they were added."""
        return list(self._entries(app or current_app._get_current_object()).values())  # type: ignore[attr-defined]
