"""Scheduled outreach work, thin around the services: the pipeline pass and retention."""

from __future__ import annotations

from outreach.pipeline.retention import run_retention
from outreach.pipeline.run import run_pass


def pipeline_job() -> str:
    """One pipeline pass (safe with several schedulers: claims and unique steps)."""
    return str(run_pass())


def retention_job() -> int:
    """Delete expired notices."""
    return run_retention()

