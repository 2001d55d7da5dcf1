"""No rule and no test reads the real date: only portal/clock.py does (and the session store, which lives in real
time on purpose: portal/sessions.py). A test that read it would pass or fail with the day it runs on."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL_DATE = re.compile(r"\bdate\.today\(\)|\bdatetime\.(?:now|utcnow|today)\(")
ALLOWED = {"portal/clock.py", "portal/sessions.py", "tests/test_clock.py", "tests/test_sessions.py",
           "tests/test_no_real_date.py"}


def test_only_the_clock_reads_the_real_date() -> None:
    found = [f"{path.relative_to(ROOT)}:{number}" for folder in ("portal", "outreach", "tests")
             for path in sorted((ROOT / folder).rglob("*.py")) if str(path.relative_to(ROOT)) not in ALLOWED
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if REAL_DATE.search(line)]
    assert found == []
