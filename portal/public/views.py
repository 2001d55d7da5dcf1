"""The resident start page, in every language."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from werkzeug.wrappers import Response

from portal.i18n import add_lang, pull_lang, select_locale
from portal.security import public

bp = Blueprint("public", __name__, url_prefix="/<lang>", template_folder="templates")
bp.url_value_preprocessor(pull_lang)
bp.url_defaults(add_lang)

root = Blueprint("root", __name__)


@root.route("/")
@public
def index() -> Response:
    """Send a visitor to the start page in the best language their browser asks for."""
    return redirect(url_for("public.start", lang=select_locale()))


@bp.route("/")
@public
def start() -> str:
    """What ekonomiskt bistånd is, who can apply, how it works, and how to get help."""
    return render_template("public/start.html")
