"""Every model module, imported in one place so SQLAlchemy's metadata is whole."""

from portal.applications.models import Application, ChecklistItem
from portal.audit import AuditChainHead, AuditEvent
from portal.booking.models import Booking, CalendarSettings, ClosedDay
from portal.documents.models import Document
from portal.intake.models import DelayNotice, Handoff, IntakeEvent, IntakeItem, IntakeMeeting, MeetingDecision
from portal.jobs import JobRun
from portal.letters.models import Letter, PrintBatch
from portal.people import Person
from portal.sessions import WebSession
from portal.staff.models import LoginThrottle, RecoveryCode, StaffUser
from portal.storage import StoredFile

__all__ = ["Application", "AuditChainHead", "AuditEvent", "Booking", "CalendarSettings", "ChecklistItem",
           "ClosedDay", "DelayNotice", "Document", "Handoff", "IntakeEvent", "IntakeItem", "IntakeMeeting", "JobRun",
           "Letter", "LoginThrottle", "MeetingDecision", "Person", "PrintBatch", "RecoveryCode", "StaffUser",
           "StoredFile",
           "WebSession"]
