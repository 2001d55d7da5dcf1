"""The translation workflow: extract, update, fill, compile and check the catalogs in translations/.

Several people (or helpers) may update catalogs at once, so every read-modify-write of a catalog happens
under one file lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import polib
from babel.messages.frontend import CommandLineInterface

from portal.config import PROJECT_ROOT, SUPPORTED_LANGUAGES

TRANSLATIONS = PROJECT_ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
BABEL_CFG = PROJECT_ROOT / "babel.cfg"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


def po_path(lang: str) -> Path:
    """The catalog of one language."""
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


@contextmanager
def catalog_lock() -> Iterator[None]:
    """Serialise every change to the catalogs."""
    TRANSLATIONS.mkdir(exist_ok=True)
    with (TRANSLATIONS / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract(target: Path = POT) -> None:
    """Extract every translatable string from Python and Jinja into a template (paths relative to the project)."""
    previous = os.getcwd()
    os.chdir(PROJECT_ROOT)
    try:
        _pybabel("extract", "-F", str(BABEL_CFG), "-k", "_l", "-k", "lazy_ngettext:1,2", "--no-wrap",
                 "--sort-by-file", "--add-location=file", "--project", "portal", "--version", "1",
                 "-o", str(target), "portal", "outreach")
    finally:
        os.chdir(previous)


def update() -> None:
    """Extract again and merge into every language's catalog (new strings arrive empty)."""
    with catalog_lock():
        extract()
        for lang in SUPPORTED_LANGUAGES:
            path = po_path(lang)
            if path.exists():
                _pybabel("update", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", lang, "--no-wrap",
                         "--no-fuzzy-matching", "--ignore-obsolete")
            else:
                _pybabel("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", lang, "--no-wrap")
        _fill_source_language()


def _fill_source_language() -> None:
    """Swedish is the source: its catalog says each string as written."""
    catalog = polib.pofile(str(po_path("sv")), wrapwidth=0)
    for entry in catalog:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalog.save()


def fill(translations_file: Path, *, skip_unknown: bool = False) -> int:
    """Apply translations from JSON: {"msgid": {"en": "...", "ar": "..."}}; plural msgids take a list per language.

    Returns how many entries were filled. Unknown msgids are reported as an error, so nothing is lost silently,
    unless `skip_unknown` (a file that also covers code not in this checkout).
    """
    data: dict[str, dict[str, str | list[str]]] = json.loads(translations_file.read_text(encoding="utf-8"))
    filled = 0
    with catalog_lock():
        for lang in SUPPORTED_LANGUAGES:
            if lang == "sv":
                continue
            catalog = polib.pofile(str(po_path(lang)), wrapwidth=0)
            by_id = {entry.msgid: entry for entry in catalog}
            for msgid, per_lang in data.items():
                if lang not in per_lang:
                    continue
                entry = by_id.get(msgid)
                if entry is None and skip_unknown:
                    continue
                if entry is None:
                    raise KeyError(f"not in the catalog (run `portal translations update`): {msgid!r}")
                value = per_lang[lang]
                if entry.msgid_plural:
                    forms = value if isinstance(value, list) else [value]
                    entry.msgstr_plural = dict(enumerate(forms))
                else:
                    entry.msgstr = value if isinstance(value, str) else value[0]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                filled += 1
            catalog.save()
    return filled


def compile_all() -> list[str]:
    """Compile every catalog to .mo; returns the problems msgfmt reported (empty when all is well)."""
    problems = []
    for lang in SUPPORTED_LANGUAGES:
        path = po_path(lang)
        result = subprocess.run(["msgfmt", "--check", "-o", str(path.with_suffix(".mo")), str(path)],  # noqa: S607
                                capture_output=True, text=True, check=False)
        if result.returncode != 0:
            problems.append(f"{lang}: {result.stderr.strip()}")
    return problems


@dataclass(frozen=True)
class CatalogProblem:
    """One thing wrong with one catalog entry."""

    lang: str
    msgid: str
    problem: str


def pot_is_stale() -> bool:
    """True when extracting again would change the set of strings or their places in messages.pot."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "messages.pot"
        extract(fresh)
        return _signature(fresh) != _signature(POT)


def _signature(path: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    if not path.exists():
        return []
    return sorted((e.msgid, e.msgid_plural, tuple(sorted({f for f, _ in e.occurrences})))
                  for e in polib.pofile(str(path)))


def check_catalogs() -> list[CatalogProblem]:
    """Every catalog holds every string, translated, not fuzzy, with the same placeholders."""
    template = {entry.msgid for entry in polib.pofile(str(POT))}
    problems: list[CatalogProblem] = []
    for lang in SUPPORTED_LANGUAGES:
        path = po_path(lang)
        if not path.exists():
            problems.append(CatalogProblem(lang, "", "catalog missing"))
            continue
        catalog = polib.pofile(str(path))
        present = {entry.msgid for entry in catalog if not entry.obsolete}
        problems += [CatalogProblem(lang, msgid, "missing from catalog") for msgid in sorted(template - present)]
        for entry in catalog:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                problems.append(CatalogProblem(lang, entry.msgid, "fuzzy"))
            translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
            if not translations or any(not text.strip() for text in translations):
                problems.append(CatalogProblem(lang, entry.msgid, "untranslated"))
                continue
            wanted = sorted(PLACEHOLDER.findall(entry.msgid))
            for text in translations:
                if sorted(PLACEHOLDER.findall(text)) != wanted and not (entry.msgid_plural and _drops_count(text)):
                    problems.append(CatalogProblem(lang, entry.msgid, f"placeholders differ: {text!r}"))
    return problems


def _drops_count(text: str) -> bool:
    # A plural form for exactly one may say "one" in words instead of %(num)d; that is allowed.
    return "%(num)" not in text and "%(count)" not in text and "%d" not in text
