"""The area the unit serves: postal codes or prefixes from configuration, and where others should turn."""

from __future__ import annotations


def _digits(postcode: str) -> str:
    return "".join(char for char in postcode if char.isdigit())


def in_service_area(postcode: str | None, setting: str) -> bool:
    """True when the postal code starts with one of the configured codes or prefixes (or none is configured).

    An unknown postal code (no address) counts as inside: nobody is flagged for referral on a guess.
    """
    prefixes = [_digits(code) for code in setting.split(",") if _digits(code)]
    if not prefixes or not postcode or not _digits(postcode):
        return True
    digits = _digits(postcode)
    return any(digits.startswith(prefix) for prefix in prefixes)


def referral_for(postcode: str | None, setting: str) -> str | None:
    """The municipality or district to contact for a postal code, from `prefix=name;...` (longest prefix wins)."""
    if not postcode:
        return None
    digits = _digits(postcode)
    best: tuple[int, str] | None = None
    for pair in setting.split(";"):
        prefix, _, name = pair.partition("=")
        prefix = _digits(prefix)
        if prefix and name.strip() and digits.startswith(prefix) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), name.strip())
    return best[1] if best else None
