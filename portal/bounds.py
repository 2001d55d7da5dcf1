"""Bounded input: every text a person or a sender types has a length limit no larger than the column keeping it.

PostgreSQL refuses a value longer than its VARCHAR (SQLite keeps it silently), so a limit that is only in the
database shows as a 500 in production and never in a test on SQLite. The limit is therefore on the form field
(a clear message in the reader's language), and `tests/test_bounds.py` holds every field to its column.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.validators import Length

TOO_LONG = _l("Svaret är för långt. Skriv högst %(max)s tecken.")
# Staff pages are Swedish only (DESIGN.md §5), so this one is not in the catalog.
STAFF_TOO_LONG = "Texten är för lång. Skriv högst %(max)s tecken."

# Free text (a description, a message): room for a long answer, far below what could fill a disk or a page.
FREE_TEXT = 4000
# A hidden field or a redirect target: what the portal itself puts there is far shorter.
HIDDEN = 2000
# Files one upload may carry: a document of many photographed pages fits; 900 in one request does not.
MAX_FILES_PER_REQUEST = 20
# Every field and file of a form is a part; the rest of the form needs far fewer than this.
MAX_FORM_PARTS = MAX_FILES_PER_REQUEST + 30
# The largest form without its files (a long free-text answer in UTF-8, percent-encoded, is about 50 kB).
MAX_FORM_MEMORY = 256 * 1024
# Line separators outside the C0/C1 controls, which a CSV reader or a log line would also split on.
LINE_SEPARATORS = frozenset("\u2028\u2029")


def resident_length(maximum: int) -> Length:
    """A length limit for a resident's field, refused with a message in the resident's language."""
    return Length(max=maximum, message=TOO_LONG)


def staff_length(maximum: int) -> Length:
    """A length limit for a staff field, refused with a Swedish message."""
    return Length(max=maximum, message=STAFF_TOO_LONG)


def limit_of(field: Field) -> int | None:
    """The most characters a field accepts (the smallest Length maximum on it), or None when unbounded."""
    limits = [validator.max for validator in field.validators
              if isinstance(validator, Length) and validator.max is not None and validator.max >= 0]
    return min(limits) if limits else None


def column_length(column: Any) -> int | None:
    """The length of a model column's VARCHAR (None for TEXT, JSON and other unbounded types)."""
    return getattr(column.property.columns[0].type, "length", None)


def column_limit(columns: Iterable[Any]) -> int:
    """The smallest length of several columns a value is written to."""
    lengths = [length for column in columns if (length := column_length(column)) is not None]
    if not lengths:
        raise ValueError("no bounded column")
    return min(lengths)


def control_character(text: str) -> str | None:
    """The first control character or line break in `text` (NUL, tab, CR, LF, U+2028, ...), or None.

    PostgreSQL refuses NUL in text; a line break inside a one-line field (a date, a name) is a broken export.
    """
    for char in text:
        if unicodedata.category(char) == "Cc" or char in LINE_SEPARATORS:
            return char
    return None
