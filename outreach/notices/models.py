"""Notices (underrättelser), the steps taken on them, attempts, the known-client register and API keys."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow
from portal.search_keys import NameKeys, keep_name_keys


class NoticeKind(StrEnum):
    """The `typ` column: what the notice is about."""

    TERMINATION = "uppsagning"
    DISTURBANCE = "storning"
    EVICTION = "avhysning"
    OTHER = "ovrigt"


class Children(StrEnum):
    """Whether children live in the household (usually not on the notice: staff record it)."""

    YES = "ja"
    NO = "nej"
    UNKNOWN = "okant"


class Channel(StrEnum):
    """How a notice arrived."""

    FILE = "file"
    API = "api"
    STAFF = "staff"


class Outcome(StrEnum):
    """What the pipeline did with a notice."""

    PENDING = "pending"
    SUPERSEDED = "superseded"
    KNOWN_CLIENT = "known_client"
    MANUAL = "manual"
    OUT_OF_AREA = "out_of_area"
    CONTACTED = "contacted"          # booked (when a time was free), letter, intake item
    ESCALATED = "escalated"          # no time free before the deadline, or a Kronofogden notice on an open case
    LINKED = "linked"                # another open notice of the same household and flat is already in hand


class NameCheck(StrEnum):
    """Whether the name on a notice agrees with the name held for its personnummer."""

    MISMATCH = "mismatch"            # waiting for staff: which name is right, or is the number wrong
    CONFIRMED = "confirmed"          # staff confirmed the person; letters may go


class Decision(StrEnum):
    """Every notice ends with one of these (JO 1683-2017)."""

    CONTACT_MADE = "contact_made"
    INVESTIGATION_OPENED = "investigation_opened"
    NO_ACTION = "no_action"


class TenancyOutcome(StrEnum):
    """What became of the home, as staff learnt it afterwards (the board's measure of prevented evictions)."""

    KEPT = "kept"
    AGREEMENT = "agreement"
    MOVED = "moved"
    EVICTED = "evicted"
    UNKNOWN = "unknown"


class ActionKind(StrEnum):
    """One step of the pipeline on one notice; unique per notice, so no step ever runs twice."""

    INTAKE_ITEM = "intake_item"
    BOOKING = "booking"
    LETTER_FIRST = "letter_first"
    LETTER_SECOND = "letter_second"
    CASEWORKER_MAIL = "caseworker_mail"
    MANUAL = "manual"
    ESCALATION = "escalation"
    FOLLOWUP_TASK = "followup_task"
    DEADLINE_ESCALATION = "deadline_escalation"


class ActionStatus(StrEnum):
    """Whether a step is done or still waiting (an e-mail not yet delivered, a booking module not installed)."""

    PENDING = "pending"
    DONE = "done"


class AttemptChannel(StrEnum):
    """How staff tried to reach the household, or how the household reached us (phoned in, came in)."""

    LETTER = "letter"
    CALL = "call"
    TEXT = "text"
    HOME_VISIT = "home_visit"
    # The household got in touch themselves (issue 28's funnel counts these as contact through their channel).
    PHONED_IN = "phoned_in"
    WALK_IN = "walk_in"


class AttemptResult(StrEnum):
    """What came of an attempt."""

    REACHED = "reached"
    NOT_REACHED = "not_reached"
    MESSAGE_LEFT = "message_left"


class AsReceived:
    """What the sender sent, as it arrived (FORMATS.md §1-2); the pipeline and staff never change these.

    The amount is kept as text exactly as received (RH 1995:34: a wrong amount can stop an eviction).
    `sender_protected` is the sender's own protected-identity flag (`skyddad_identitet`); whether the notice is
    *handled* as protected is `Triage.protected`, which more sources set. It is None on notices stored before
    migration 0032 kept the two apart.
    """

    sender: Mapped[str] = mapped_column(String(120))
    reference: Mapped[str] = mapped_column(String(80))
    kind: Mapped[NoticeKind] = mapped_column(String(20))
    channel: Mapped[Channel] = mapped_column(String(10))
    landlord_name: Mapped[str] = mapped_column(String(200))
    landlord_orgnr: Mapped[str | None] = mapped_column(String(20))
    landlord_contact: Mapped[str | None] = mapped_column(String(200))
    tenant_name: Mapped[str] = mapped_column(String(200))
    personnummer: Mapped[str | None] = mapped_column(String(12), index=True)
    address: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(100))
    flat_number: Mapped[str | None] = mapped_column(String(40))
    flat_size: Mapped[str | None] = mapped_column(String(80))
    amount_text: Mapped[str | None] = mapped_column(String(40))
    amount_ore: Mapped[int | None]
    termination_date: Mapped[date | None]
    served_date: Mapped[date | None]
    received_date: Mapped[date]
    eviction_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    eviction_text: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(8))
    sender_protected: Mapped[bool | None] = mapped_column(default=False)
    corrects_reference: Mapped[str | None] = mapped_column(String(80))


class CaseLinks:
    """What the notice is tied to: its person, its tenancy, its case, the notice it corrects, its intake item.

    `case_id` is the id of the first notice for the same household and tenancy (itself for the first), so a
    case's notices are found on one index (outreach.notices.service links them when storing).
    """

    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    tenancy_key: Mapped[str] = mapped_column(String(220), index=True)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("notice.id", ondelete="SET NULL"))
    superseded: Mapped[bool] = mapped_column(default=False)
    case_id: Mapped[int | None] = mapped_column()
    intake_item_id: Mapped[int | None] = mapped_column(ForeignKey("intake_item.id", ondelete="SET NULL"))


class Deadlines:
    """The deadlines the rules derive from the notice (outreach.notices.rules) and the priority they give."""

    recovery_deadline: Mapped[date | None]
    eviction_date: Mapped[date | None]
    deadline: Mapped[date | None]
    priority: Mapped[int] = mapped_column(default=0)


class Triage:
    """Where the pipeline has got with the notice and why it is handled as it is.

    `outcome` moves only through outreach.notices.state, which records each move and why. `pipeline_due`
    marks notices the pipeline still has to move on; it is claimed with FOR UPDATE SKIP LOCKED and cleared in
    the same transaction as the steps it causes.
    """

    pipeline_due: Mapped[bool] = mapped_column(default=True)
    # The first day the follow-up's date rules (escalation before the deadline, urgency, no contact after the
    # letter) can act on the notice, computed whenever its state changes; NULL once nothing dated is left (a
    # decision, a correction that superseded it). The daily sweep reads only the notices whose day has come.
    next_check_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[Outcome] = mapped_column(String(20), default=Outcome.PENDING)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalation_reason: Mapped[str | None] = mapped_column(Text)
    # True when this notice must be handled as protected: its sender said so, its person is protected, or
    # someone on the same tenancy is (there the address itself is the secret). See outreach.notices.protection.
    protected: Mapped[bool] = mapped_column(default=False)
    # NameCheck: the tenant's name differs from the name held for the personnummer; no letter until staff say.
    name_check: Mapped[str | None] = mapped_column(String(20))
    out_of_area: Mapped[bool] = mapped_column(default=False)


class StaffRecord:
    """What staff decide and learn: children in the household (the sender's answer until staff record theirs),
    the decision every notice ends with (JO 1683-2017), and what became of the home."""

    children: Mapped[Children] = mapped_column(String(10), default=Children.UNKNOWN)
    decision: Mapped[Decision | None] = mapped_column(String(30))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    tenancy_outcome: Mapped[TenancyOutcome | None] = mapped_column(String(20))
    tenancy_outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    tenancy_outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))

    @property
    def has_children(self) -> bool:
        """True when the household is known to have children."""
        return self.children == Children.YES


class Notice(NameKeys, AsReceived, CaseLinks, Deadlines, Triage, StaffRecord, Base):
    """One notice from a landlord or Kronofogden; (sender, reference) identifies it.

    One table, its columns in one class per concern: what the sender sent (AsReceived), what it is tied to
    (CaseLinks), the deadlines derived from it (Deadlines), the pipeline's handling (Triage) and what staff
    record (StaffRecord).
    """

    __tablename__ = "notice"
    __table_args__ = (
        UniqueConstraint("sender", "reference"),
        # The staff search finds a notice by its reference alone, whoever sent it.
        Index("ix_notice_reference", "reference"),
        Index("ix_notice_due", "pipeline_due", "priority", "id"),
        Index("ix_notice_deadline", "superseded", "deadline", "id"),
        # The daily follow-up reads only the notices whose next check has come (outreach.pipeline.followup).
        Index("ix_notice_next_check_on", "next_check_on"),
        # "Is anyone on this flat protected?" is asked for every notice stored and every one processed.
        Index("ix_notice_tenancy_protected", "tenancy_key", "protected"),
        # Partial: most notices start a case of their own (NULL); counting those in the index's statistics made
        # SQLite's planner judge it useless and scan the table for a case's notices.
        Index("ix_notice_case_id", "case_id", sqlite_where=text("case_id IS NOT NULL"),
              postgresql_where=text("case_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


keep_name_keys(Notice, "tenant_name")


class NoticeAction(Base):
    """A step the pipeline took on a notice; the unique (notice, kind) makes every step happen once."""

    __tablename__ = "notice_action"
    __table_args__ = (UniqueConstraint("notice_id", "kind"), Index("ix_notice_action_status", "status", "kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"))
    kind: Mapped[ActionKind] = mapped_column(String(30))
    status: Mapped[ActionStatus] = mapped_column(String(10), default=ActionStatus.DONE)
    detail: Mapped[str] = mapped_column(Text, default="")
    ref_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutcomeChange(Base):
    """One move of a notice's `outcome` and why, written by outreach.notices.state only; the notice's timeline
    shows them, so staff can see why a notice is where it is."""

    __tablename__ = "notice_outcome_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"), index=True)
    previous: Mapped[Outcome | None] = mapped_column(String(20))
    outcome: Mapped[Outcome] = mapped_column(String(20))
    why: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    notice: Mapped[Notice] = relationship()


class Attempt(Base):
    """One attempt by staff to reach a household, and its result."""

    __tablename__ = "notice_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"), index=True)
    channel: Mapped[AttemptChannel] = mapped_column(String(20))
    result: Mapped[AttemptResult] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class KnownClient(Base):
    """One row of the latest known-client register snapshot (aktuella klienter)."""

    __tablename__ = "known_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    personnummer: Mapped[str] = mapped_column(String(12), unique=True)
    unit: Mapped[str] = mapped_column(String(200))
    caseworker: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApiKey(Base):
    """A landlord organisation's API key; only its SHA-256 is stored, the prefix finds it."""

    __tablename__ = "notice_api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    landlord_name: Mapped[str] = mapped_column(String(200))
    landlord_orgnr: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RetentionCount(Base):
    """Anonymous counts of notices deleted by retention, per year received and kind (nothing personal)."""

    __tablename__ = "notice_retention_count"
    __table_args__ = (UniqueConstraint("year", "kind", "decision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str] = mapped_column(String(30))
    count: Mapped[int] = mapped_column(default=0)
