"""Every model module, imported in one place so SQLAlchemy's metadata is whole."""

from portal.audit import AuditEvent
from portal.intake.models import IntakeEvent, IntakeItem
from portal.jobs import JobRun
from portal.people import Person
from portal.staff.models import StaffUser
from portal.storage import StoredFile

__all__ = ["AuditEvent", "IntakeEvent", "IntakeItem", "JobRun", "Person", "StaffUser", "StoredFile"]
