"""Folded name keys for the staff search: stored beside a name, so a partial, accent- and case-insensitive
search is a range on an ordinary index (see portal.search)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy import String, event
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement

KEY_LENGTH = 200


def fold(text: str | None) -> str:
    """Lower case, accents and punctuation removed, words run together: 'Östlund-Åberg, Zoë' -> 'ostlundabergzoe'."""
    return "".join(_words(text))


def _words(text: str | None) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return [word for word in re.split(r"[\W_]+", plain) if word]


def name_keys(name: str | None) -> tuple[str | None, str | None]:
    """The two folded keys of a name: from its first word, and from its last word onwards-then-the-rest."""
    words = _words(name)
    if not words:
        return None, None
    first = "".join(words)[:KEY_LENGTH]
    last = "".join(words[-1:] + words[:-1])[:KEY_LENGTH]
    return first, last


def prefix_range(column: Any, prefix: str) -> ColumnElement[bool]:
    """`column` starts with `prefix`, as a range an ordinary index answers (no LIKE, no collation tricks)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return (column >= prefix) & (column < upper)


class NameKeys:
    """Mixin for a model with a searchable name: the two folded keys, kept up to date on every insert/update."""

    name_key: Mapped[str | None] = mapped_column(String(KEY_LENGTH), index=True)
    name_key_last: Mapped[str | None] = mapped_column(String(KEY_LENGTH), index=True)


_FILLERS: dict[type, Any] = {}


def keep_name_keys(model: type, name_attribute: str) -> None:
    """Fill `name_key`/`name_key_last` from `name_attribute` whenever a row of `model` is written by the ORM
    (called once, next to the model). Bulk inserts that bypass the ORM must set the keys with `name_keys`."""
    if model in _FILLERS:
        return

    def fill(_mapper: Any, _connection: Any, target: Any) -> None:
        target.name_key, target.name_key_last = name_keys(getattr(target, name_attribute))

    _FILLERS[model] = fill
    event.listen(model, "before_insert", fill)
    event.listen(model, "before_update", fill)
