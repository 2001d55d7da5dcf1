"""The outreach letter's own short user-agent stylesheet (outreach/letters/letter_ua.css) changes nothing a
reader sees: the templates use only elements it styles, and a letter rasterised with it is the same, pixel for
pixel, as one rendered with WeasyPrint's complete user-agent stylesheet."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from flask import Flask

from outreach.letters import DEFAULTS, STYLESHEET, outreach_letter_html
from portal.pdf import html_to_pdf
from tests.letters.factories import outreach_letter_fields

TEMPLATES = Path(__file__).parents[2] / "outreach" / "templates" / "outreach_letters"


def test_the_letter_templates_use_only_elements_the_short_stylesheet_styles() -> None:
    used = {tag for path in TEMPLATES.glob("*.html")
            for tag in re.findall(r"<([a-z][a-z0-9]*)", path.read_text(encoding="utf-8"))}
    styled = set(re.findall(r"(?<![-.#\w\[:])([a-z][a-z0-9]*)\b(?=[^{}]*\{)",
                            re.sub(r"/\*.*?\*/", "", DEFAULTS.read_text(encoding="utf-8"), flags=re.S)))
    # span only carries dir or a class; inline is every element's initial display.
    assert used - styled <= {"span"}, f"letter elements with no default style: {sorted(used - styled - {'span'})}"
    assert {"p", "h1", "h2", "div", "section", "head", "br", "strong"} <= styled


def pixels(pdf: bytes, tmp_path: Path, name: str) -> list[bytes]:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-gray", str(path), str(tmp_path / name)], check=True)
    return [page.read_bytes() for page in sorted(tmp_path.glob(f"{name}-*.pgm"))]


@pytest.mark.parametrize(("language", "address"), [("ar", True), ("ti", True), (None, True), ("sv", False)])
def test_a_letter_looks_the_same_as_with_weasyprints_own_defaults(app: Flask, tmp_path: Path, language: str | None,
                                                                  address: bool) -> None:
    html = outreach_letter_html(**outreach_letter_fields(language, address=address))
    own = pixels(html_to_pdf(html, stylesheets=(STYLESHEET,), defaults=DEFAULTS), tmp_path, "own")
    weasyprints = pixels(html_to_pdf(html, stylesheets=(STYLESHEET,)), tmp_path, "weasyprint")
    assert len(own) == len(weasyprints) >= 1
    assert own == weasyprints, "the letter looks different with the short user-agent stylesheet"


def test_the_given_defaults_replace_weasyprints_own(tmp_path: Path) -> None:
    """The hook is live: a defaults sheet that hides paragraphs hides them (were the override ignored by a later
    WeasyPrint, the pixel comparison above would still pass, only slower; this would not)."""
    hiding = tmp_path / "hiding.css"
    hiding.write_text("p { display: none }", encoding="utf-8")
    html = "<!doctype html><html lang=sv><title>x</title><p>Synlig med standardvärden</p></html>"

    def text(pdf: bytes) -> str:
        path = tmp_path / "doc.pdf"
        path.write_bytes(pdf)
        return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout

    assert "Synlig med standardvärden" in text(html_to_pdf(html))
    assert "Synlig" not in text(html_to_pdf(html, defaults=hiding))
