"""Browser tests: the fixtures live in tests/browser_fixtures.py, loaded for the whole suite."""

from tests.browser_fixtures import CHROMIUM_ARGS, LiveServer, axe_violations, describe

__all__ = ["CHROMIUM_ARGS", "LiveServer", "axe_violations", "describe"]
