"""Scheduled outreach work, thin around the services: the pipeline pass and retention."""

from __future__ import annotations

from outreach.pipeline import run_pass
from outreach.retention import run_retention


def pipeline_job() -> str:
    """One pipeline pass (safe with several schedulers: claims and unique steps)."""
    return str(run_pass())


def retention_job() -> int:
    """Delete expired notices."""
    return run_retention()

