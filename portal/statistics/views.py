"""Staff pages for statistics: the page with charts and tables, CSV per table, and the tertial PDF."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from portal import clock
from portal.pdf import html_to_pdf
from portal.roles import Role
from portal.security import staff_required
from portal.statistics import charts, service
from portal.statistics.tables import tertial

bp = Blueprint("statistics", __name__, url_prefix="/staff/statistik", template_folder="templates")
READERS = (Role.COORDINATOR, Role.ADMIN, Role.OUTREACH, Role.RECEPTION)


@bp.route("/")
@staff_required(*READERS)
def overview() -> str | tuple[str, int]:
    """Every section's tables and charts for a period (default: the current tertial)."""
    try:
        period = service.parse_period(request.args.get("from"), request.args.get("to"), clock.local_today())
    except ValueError:
        return render_template("statistics/overview.html", sections=[], period=None,
                               error="Ange datum som ÅÅÅÅ-MM-DD, och ett slutdatum efter startdatumet.",
                               chart=charts.bar_chart, minimum=service.minimum_cell()), 400
    return render_template("statistics/overview.html", sections=service.build_all(period), period=period, error=None,
                           chart=charts.bar_chart, minimum=service.minimum_cell())


@bp.route("/<section>/<table>.csv")
@staff_required(*READERS)
def table_csv(section: str, table: str) -> Response:
    """One table as CSV."""
    try:
        period = service.parse_period(request.args.get("from"), request.args.get("to"), clock.local_today())
    except ValueError:
        abort(400)
    found = service.find_table(period, section, table)
    if found is None:
        abort(404)
    return Response(service.table_csv_file(found), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{section}-{table}.csv"'})


@bp.route("/tertial/<int:year>/<int:number>.pdf")
@staff_required(*READERS)
def tertial_pdf(year: int, number: int) -> Response:
    """The tertial report to the board as a PDF."""
    try:
        period = tertial(year, number)
    except ValueError:
        abort(404)
    html = render_template("statistics/tertial.html", sections=service.build_all(period), period=period,
                           year=year, number=number, chart=charts.bar_chart, minimum=service.minimum_cell())
    return Response(html_to_pdf(html), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="tertialrapport-{year}-T{number}.pdf"'})
