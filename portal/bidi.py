"""Numbers, dates, codes, phone numbers and addresses read left to right inside right-to-left text.

In an Arabic or Persian sentence the bidi algorithm lays out `08-123 456 00` as `00 456 123-08` unless the
value is isolated. In HTML a value is wrapped in `<bdi dir="ltr">`; in plain text (error messages, letters
typeset by Typst, which honours the Unicode isolates) it is wrapped in LRI … PDI (U+2066 … U+2069).
Translated sentences carry such values as placeholders, never in the msgstr, so the value is isolated after
it is substituted.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from markupsafe import Markup, escape

LRI = "\u2066"
FSI = "\u2068"
PDI = "\u2069"
NBSP = "\u00a0"


def ltr(value: Any) -> Markup:
    """The value as HTML isolated left to right: `<bdi dir="ltr">value</bdi>`."""
    return Markup('<bdi dir="ltr">%s</bdi>') % (value,)


def ltr_text(value: Any) -> str:
    """The value in plain text isolated left to right (LRI … PDI)."""
    return f"{LRI}{value}{PDI}"


def own(value: Any) -> Markup:
    """A formatted date (or date and time) as HTML isolated in its own direction: `<bdi>value</bdi>`.

    A date in words is laid out as its language writes it: an Arabic `الخميس، 3 ديسمبر 2026` isolated left to
    right would be read year first. Isolated all the same, so a number beside it never joins its digits.
    """
    return Markup("<bdi>%s</bdi>") % (value,)


def own_text(value: Any) -> str:
    """A formatted date in plain text isolated in its own direction (FSI … PDI: the first strong letter decides,
    and an all-number date such as `2026-12-03` stays left to right), kept on one line (no-break spaces) so its
    day and its year are never read on different lines."""
    return f"{FSI}{str(value).replace(' ', NBSP)}{PDI}"


def unisolated(text: str) -> str:
    """Text without the isolates (for a value stored or compared as typed)."""
    return text.replace(LRI, "").replace(FSI, "").replace(PDI, "")


class Isolated:
    """A translated sentence whose placeholders are left-to-right values, translated when it is shown.

    For a form field's description or an error message defined at import time: `str()` gives plain text with
    the values between LRI and PDI, and in a template (`__html__`) each value is a `<bdi dir="ltr">`.
    """

    def __init__(self, msgid: str, **values: Any) -> None:
        self.msgid = msgid
        self.values = values

    def __str__(self) -> str:
        return gettext(self.msgid, **{k: ltr_text(v) for k, v in self.values.items()})

    def __html__(self) -> Markup:
        # The translation is escaped first; only the isolated values (themselves escaped) are markup.
        return escape(gettext(self.msgid)) % {k: ltr(v) for k, v in self.values.items()}

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"Isolated({self.msgid!r})"


def N_(msgid: str) -> str:  # noqa: N802  # the name pybabel extracts by default
    """Marks a message for extraction, translated later (by Isolated)."""
    return msgid
