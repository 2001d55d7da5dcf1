"""Localised error pages: 400, 403, 404, 413, 429, 500 and a failed CSRF check."""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.bidi import N_, Isolated
from portal.bounds import MAX_FILES_PER_REQUEST
from portal.db import db

PAGES = {
    400: (_l("Något blev fel i förfrågan"), _l("Sidan kunde inte visas. Gå tillbaka och försök igen.")),
    403: (_l("Du har inte behörighet"), _l("Du har inte behörighet att se den här sidan.")),
    404: (_l("Sidan finns inte"), _l("Kontrollera adressen, eller gå till startsidan.")),
    405: (_l("Något blev fel i förfrågan"), _l("Sidan kunde inte visas. Gå tillbaka och försök igen.")),
    429: (_l("För många försök"), _l("Du har försökt för många gånger. Vänta en stund och försök igen.")),
    500: (_l("Något gick fel hos oss"), _l("Inget av det du har sparat har försvunnit. Försök igen om en stund.")),
}
CSRF_PAGE = (_l("Sidan har blivit för gammal"),
             _l("Av säkerhetsskäl måste sidan laddas om. Gå tillbaka, ladda om sidan och skicka igen."))


def _render(code: int, title: object, text: object, back: str | None = None) -> tuple[str, int]:
    return render_template("error.html", code=code, title=title, text=text, back=back), code


def _page_of_request() -> str | None:
    """The page the person sent the form from, when its address shows it again (an upload page does);
    a 413 is found before the form is read, so nothing typed or chosen is lost by going back."""
    rule = request.url_rule
    if rule is None or "GET" not in (rule.methods or ()) or request.path.startswith("/api/"):
        return None
    return request.path


def too_large() -> tuple[str, int]:
    """The 413 page: the limits in numbers, and the way back to the page the person was on."""
    megabytes = int(current_app.config.get("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)) // (1024 * 1024)
    text = Isolated(N_("Det du skickade är för stort eller har för många filer. En fil får vara högst %(size)s MB, "
                       "och du kan skicka högst %(max)s filer åt gången. Välj mindre eller färre filer och försök "
                       "igen."), size=megabytes, max=MAX_FILES_PER_REQUEST)
    return _render(413, _("Filen är för stor"), text, back=_page_of_request())


def init_app(app: Flask) -> None:
    """Register the error handlers."""

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> tuple[str, int]:
        return _render(400, *CSRF_PAGE)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
        code = error.code or 500
        if code == 413:
            return too_large()
        if code not in PAGES:
            return error
        return _render(code, *PAGES[code])

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> tuple[str, int]:
        # Nothing half-written may remain: the request's transaction is rolled back before the page.
        db.session.rollback()
        app.logger.exception("unhandled error")
        return _render(500, *PAGES[500])
