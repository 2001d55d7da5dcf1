"""Outreach statistics: notices per month, contact before the deadline, attempts, decisions, handling.

Everything is counted in the database (GROUP BY); only the grouped counts come back to Python. A correction
replaces the notice it corrects, so superseded notices are left out; attempts count for the whole case
(every notice of the same household and tenancy), so an attempt recorded on the corrected notice still counts.
Here and not in portal.statistics because portal never imports outreach: the app factory registers this section.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, distinct, extract, func, or_, select
from sqlalchemy.orm import aliased

from outreach.casework.forms import CHANNEL_LABELS, RESULT_LABELS, TENANCY_LABELS
from outreach.notices.models import Attempt, AttemptResult, Children, Decision, Notice, NoticeKind, Outcome
from portal.clock import local_today
from portal.db import db
from portal.statistics.dates import days_between, month_label, percentile_of_counts, utc_day
from portal.statistics.tables import Cell, Period, Table, share

KIND_LABELS = {NoticeKind.TERMINATION: "Hyresskuld", NoticeKind.DISTURBANCE: "Störning",
               NoticeKind.EVICTION: "Kronofogden", NoticeKind.OTHER: "Övrigt"}
DEADLINE_LABELS = {NoticeKind.TERMINATION: "Hyresskuld (återvinningsfristen)",
                   NoticeKind.DISTURBANCE: "Störning (målet tre veckor)",
                   NoticeKind.EVICTION: "Kronofogden (dagen för avhysning)",
                   NoticeKind.OTHER: "Övrigt (målet tre veckor)"}
HANDLING_LABELS = {Outcome.PENDING: "Väntar på behandling",
                   Outcome.KNOWN_CLIENT: "Aktuell klient: handläggaren meddelad",
                   Outcome.CONTACTED: "Brev och bokad tid", Outcome.ESCALATED: "Eskalerad",
                   Outcome.MANUAL: "Manuell hantering", Outcome.OUT_OF_AREA: "Utanför området",
                   Outcome.LINKED: "Kopplad till pågående ärende"}
# The caseworker contacts a known client, and another municipality a household outside the area: not outreach's
# contacts, so left out of the contact measures.
NOT_OURS = (Outcome.KNOWN_CLIENT, Outcome.OUT_OF_AREA)
DECISION_LABELS: dict[str | None, str] = {Decision.CONTACT_MADE.value: "Kontakt tagen",
                                          Decision.INVESTIGATION_OPENED.value: "Utredning inledd",
                                          Decision.NO_ACTION.value: "Ingen åtgärd", None: "Inget beslut ännu"}


def _day_bounds(period: Period) -> tuple[datetime, datetime]:
    return (datetime.combine(period.start, time.min, tzinfo=UTC),
            datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=UTC))


def _current(period: Period) -> list[Any]:
    """The notices a table counts: arrived in the period, not replaced by a correction."""
    return [Notice.received_date >= period.start, Notice.received_date <= period.end, Notice.superseded.is_(False)]


def notices_by_month(period: Period) -> Table:
    """Notices per month by kind, and the households with children among them."""
    year, month = extract("year", Notice.received_date), extract("month", Notice.received_date)
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for y, m, kind, count in db.session.execute(
            select(year, month, Notice.kind, func.count()).where(*_current(period))
            .group_by(year, month, Notice.kind)):
        counts[month_label(y, m)][str(kind)] = int(count)
    household = func.coalesce(Notice.case_id, Notice.id)
    children: dict[str, int] = {}
    for y, m, count in db.session.execute(
            select(year, month, func.count(distinct(household))).where(*_current(period),
                                                                        Notice.children == Children.YES)
            .group_by(year, month)):
        children[month_label(y, m)] = int(count)
    rows: list[list[Cell]] = [[label, *(counts[label].get(kind.value, 0) for kind in KIND_LABELS),
                               children.get(label, 0)] for label in sorted(counts)]
    return Table(key="notices_by_month", title="Underrättelser per månad och slag",
                 columns=["Månad", *KIND_LABELS.values(), "Hushåll med barn"], rows=rows,
                 note="Hushåll med barn räknas en gång per hushåll och månad, när personalen har antecknat barn.")


def _first_contact(period: Period) -> Any:
    """Per current notice outreach works on: its kind, dates and the first time anyone of its case reached the
    household after it arrived (NULL when never)."""
    case_notice = aliased(Notice)
    return (select(Notice.id.label("notice_id"), Notice.kind.label("kind"), Notice.deadline.label("deadline"),
                   Notice.received_date.label("received_date"), func.min(Attempt.at).label("first_at"))
            .select_from(Notice)
            # case_id is indexed; a notice not yet given one is its own case.
            .outerjoin(case_notice, or_(case_notice.id == Notice.id,
                                        case_notice.case_id == func.coalesce(Notice.case_id, Notice.id)))
            .outerjoin(Attempt, and_(Attempt.notice_id == case_notice.id, Attempt.result == AttemptResult.REACHED,
                                     utc_day(Attempt.at) >= Notice.received_date))
            .where(*_current(period), Notice.outcome.not_in(NOT_OURS))
            .group_by(Notice.id, Notice.kind, Notice.deadline, Notice.received_date)
            .subquery())


def reached_in_time(period: Period, minimum: int, today: date | None = None) -> Table:
    """Of the notices whose deadline has passed, how many households were reached on or before it."""
    today = today or local_today()
    first = _first_contact(period)
    in_time = func.sum(case((utc_day(first.c.first_at) <= first.c.deadline, 1), else_=0))
    found = {str(kind): (int(total), int(on_time or 0)) for kind, total, on_time in db.session.execute(
        select(first.c.kind, func.count(), in_time).where(first.c.deadline < today).group_by(first.c.kind))}
    rows: list[list[Cell]] = []
    for kind, label in DEADLINE_LABELS.items():
        total, on_time = found.get(kind.value, (0, 0))
        rows.append([label, total, on_time, share(on_time, total, minimum)])
    total_all, on_time_all = sum(t for t, _ in found.values()), sum(o for _, o in found.values())
    if _small([v for row in rows for v in row[1:3]], minimum):
        rows.append(["Alla", None, None, None])
    else:
        rows.append(["Alla", total_all, on_time_all, share(on_time_all, total_all, minimum)])
    return Table(key="reached_in_time", title="Nådda före tidsfristen", chart=None,
                 columns=["Slag (tidsfrist)", "Tidsfristen har gått ut", "Nådda i tid", "Andel nådda i tid (%)"],
                 rows=rows, note="Räknar underrättelser vars tidsfrist har passerat. Nådd betyder att ett försök "
                                 "gav kontakt med hushållet. Aktuella klienter (handläggaren tar kontakt) och "
                                 "bostäder utanför området räknas inte. Andelen visas inte när underlaget är "
                                 "för litet.")


def days_to_contact(period: Period, minimum: int) -> Table:
    """Days from the notice's arrival to the first contact with the household: median and 90th percentile."""
    first = _first_contact(period)
    days = days_between(first.c.received_date, utc_day(first.c.first_at))
    spread: dict[str, dict[int, int]] = defaultdict(dict)
    query: Select[Any] = (select(first.c.kind, days, func.count()).where(first.c.first_at.is_not(None))
                          .group_by(first.c.kind, days))
    for kind, day_count, count in db.session.execute(query):
        spread[str(kind)][int(day_count)] = int(count)
    everyone: dict[int, int] = defaultdict(int)
    rows: list[list[Cell]] = []
    for kind, label in KIND_LABELS.items():
        counts = spread.get(kind.value, {})
        for value, count in counts.items():
            everyone[value] += count
        rows.append(_spread_row(label, counts, minimum))
    last = _spread_row("Alla", everyone, minimum)
    if _small([row[1] for row in rows], minimum):
        last[1] = None
    rows.append(last)
    return Table(key="days_to_contact", title="Dagar från underrättelse till första kontakt", chart=None,
                 columns=["Slag", "Nådda hushåll", "Median (dagar)", "90:e percentilen (dagar)"], rows=rows,
                 note="Kalenderdagar från dagen underrättelsen kom in. Aktuella klienter och bostäder utanför "
                      "området räknas inte. Median och percentil visas inte när underlaget är för litet.")


def _small(values: list[Cell], minimum: int) -> bool:
    """True when a count will be suppressed: then a total beside it would let a reader subtract it back."""
    return any(isinstance(v, int) and 0 < v < minimum for v in values)


def _spread_row(label: str, counts: dict[int, int], minimum: int) -> list[Cell]:
    total = sum(counts.values())
    if total < minimum:
        return [label, total, None, None]
    median, p90 = percentile_of_counts(counts, 50), percentile_of_counts(counts, 90)
    return [label, total, None if median is None else float(median), None if p90 is None else float(p90)]


def attempts_by_channel(period: Period) -> Table:
    """Attempts to reach households in the period, by channel and result."""
    start, end = _day_bounds(period)
    found = {(str(channel), str(result)): int(count) for channel, result, count in db.session.execute(
        select(Attempt.channel, Attempt.result, func.count()).where(Attempt.at >= start, Attempt.at < end)
        .group_by(Attempt.channel, Attempt.result))}
    rows: list[list[Cell]] = [[label, *(found.get((channel.value, result.value), 0) for result in RESULT_LABELS)]
                              for channel, label in CHANNEL_LABELS.items()]
    return Table(key="attempts_by_channel", title="Kontaktförsök per sätt och resultat",
                 columns=["Sätt", *RESULT_LABELS.values()], rows=rows)


def decisions_by_kind(period: Period) -> Table:
    """The decision on each notice of the period (JO 1683-2017), by the notice's kind."""
    found = {(None if decision is None else str(decision), str(kind)): int(count)
             for decision, kind, count in db.session.execute(
                 select(Notice.decision, Notice.kind, func.count()).where(*_current(period))
                 .group_by(Notice.decision, Notice.kind))}
    rows: list[list[Cell]] = [[label, *(found.get((decision, kind.value), 0) for kind in KIND_LABELS)]
                              for decision, label in DECISION_LABELS.items()]
    return Table(key="decisions_by_kind", title="Beslut om underrättelserna per slag",
                 columns=["Beslut", *KIND_LABELS.values()], rows=rows)


def tenancy_outcomes(period: Period) -> Table:
    """What became of the home, as staff recorded it, by the notice's kind; evictions prevented read off here."""
    found = {(None if outcome is None else str(outcome), str(kind)): int(count)
             for outcome, kind, count in db.session.execute(
                 select(Notice.tenancy_outcome, Notice.kind, func.count()).where(*_current(period))
                 .group_by(Notice.tenancy_outcome, Notice.kind))}
    labels: dict[str | None, str] = {**{outcome.value: label for outcome, label in TENANCY_LABELS.items()},
                                     None: "Inte registrerat ännu"}
    rows: list[list[Cell]] = [[label, *(found.get((outcome, kind.value), 0) for kind in KIND_LABELS)]
                              for outcome, label in labels.items()]
    return Table(key="tenancy_outcomes", title="Utfall för boendet per slag (registrerat av personal)",
                 columns=["Utfall", *KIND_LABELS.values()], rows=rows)


def handling(period: Period) -> Table:
    """How the pipeline moved each notice of the period on."""
    found = {str(outcome): int(count) for outcome, count in db.session.execute(
        select(Notice.outcome, func.count()).where(*_current(period)).group_by(Notice.outcome))}
    return Table(key="handling", title="Hur underrättelserna hanterades", columns=["Hantering", "Antal"],
                 rows=[[label, found.get(outcome.value, 0)] for outcome, label in HANDLING_LABELS.items()])


def build(period: Period, minimum: int) -> list[Table]:
    """Every outreach table for the period."""
    return [notices_by_month(period), reached_in_time(period, minimum), days_to_contact(period, minimum),
            attempts_by_channel(period), decisions_by_kind(period), tenancy_outcomes(period), handling(period)]

