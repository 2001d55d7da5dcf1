"""Eviction-risk notices, the bottom of outreach: the model, import (CSV, API, typed in), storing and linking,
the rules on a notice (deadlines, priority, tenancy, area), its steps (`actions`), its protection, and the
known-client register. Imports no other outreach package."""
