"""The administrator's page for a subject-access request (registerutdrag): type the personnummer, download the
person's whole export as one ZIP. The work is in portal.subject_access; this page only reads the form.

The personnummer is posted, never put in the URL (no personal data in URLs or logs), and every download is in
the access log with the person before the archive is sent."""

from __future__ import annotations

import tempfile

from flask import Blueprint, render_template, request, send_file
from flask.typing import ResponseReturnValue

from portal import clock, subject_access
from portal.roles import Role
from portal.security import staff_required

bp = Blueprint("staff_subject_access", __name__, url_prefix="/staff/registerutdrag", template_folder="templates")

# Files larger than this are spooled to disk while the archive is written, not held in memory.
SPOOL_BYTES = 16 * 1024 * 1024


@bp.route("/", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
def export_page() -> ResponseReturnValue:
    """The form, and on POST the ZIP of everything held about the person."""
    if request.method == "GET":
        return render_template("staff/subject_access.html", error=None, personnummer="")
    personnummer = request.form.get("personnummer", "").strip()
    try:
        person = subject_access.find_person(personnummer)
    except subject_access.InvalidIdentityNumber:
        return render_template("staff/subject_access.html", personnummer=personnummer,
                               error="Skriv ett giltigt personnummer eller samordningsnummer, "
                                     "som ÅÅÅÅMMDD-NNNN."), 400
    if person is None:
        return render_template("staff/subject_access.html", personnummer=personnummer,
                               error="Vi har inga uppgifter om någon med det numret."), 404
    export = subject_access.build_export(person)
    archive = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (send_file closes it)
    subject_access.write_archive(export, archive)
    subject_access.record_export(person)
    archive.seek(0)
    return send_file(archive, mimetype="application/zip", as_attachment=True,
                     download_name=f"registerutdrag-{person.id}-{clock.local_today():%Y%m%d}.zip", max_age=0)
