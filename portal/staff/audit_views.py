"""The access-log review page for the monthly review (administrators)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from portal import audit, clock
from portal.audit_review import month_report
from portal.roles import Role
from portal.security import staff_required

bp = Blueprint("staff_audit", __name__, url_prefix="/staff/atkomstlogg", template_folder="templates")


@bp.route("/")
@staff_required(Role.ADMIN)
def review() -> str | tuple[str, int]:
    """Reads per staff member, unusual volumes and reads of protected identities in one month."""
    month = request.args.get("month") or clock.local_today().strftime("%Y-%m")
    try:
        report = month_report(month)
    except ValueError:
        return render_template("staff/audit_review.html", report=None, month=month,
                               error="Ange månaden som ÅÅÅÅ-MM, till exempel 2026-11."), 400
    audit.record_read("audit.review", person_id=None, object_type="audit_month", object_id=month)
    verified, problems = audit.verify_chain()
    return render_template("staff/audit_review.html", report=report, month=month, error=None,
                           verified=verified, problems=problems)
