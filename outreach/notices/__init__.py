"""Eviction-risk notices: the model, import (CSV, API, typed in), linking and the known-client register."""
