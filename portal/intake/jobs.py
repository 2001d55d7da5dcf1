"""Scheduled intake work: deliver hand-offs whose target was down."""

from __future__ import annotations

from portal.intake.handoff import retry_handoffs
from portal.jobs import JobSpec, register

register(JobSpec(id="intake.retry_handoffs", func=retry_handoffs, trigger="interval", trigger_args={"minutes": 5}))
