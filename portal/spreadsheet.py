"""CSV cells a spreadsheet will not execute (OWASP CSV injection), for every CSV file the product writes.

Excel and LibreOffice treat a cell starting with = + - @ (or a tab or carriage return before one) as a
formula: `=HYPERLINK(...)` in a landlord's reference would become a live link in the print shop's manifest.
Such a cell gets a leading single quote, which shows the text as typed and runs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a cell: text that starts like a formula is prefixed with a single quote; numbers pass as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """A whole row of safe cells."""
    return [safe_cell(value) for value in values]
