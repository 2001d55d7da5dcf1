"""A document is laid out inside one chunk of CPython's frame memory (portal.pdf's roomy frame).

CPython 3.11 unmaps a 16 KB chunk of frame memory whenever the frame at its start returns, and WeasyPrint's
layout recursion crossed chunk ends hundreds of times a letter. Counted with strace in a child process: the
16 KB unmaps while rendering the same letter through `html_to_pdf` and through the plain renderer beneath it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RENDERS = 3
CHILD = """
import os
import sys
from pathlib import Path
from portal import create_app
from portal.pdf import _html_to_pdf, html_to_pdf
from outreach.letters import DEFAULTS, STYLESHEET, outreach_letter_html
from tests.conftest import _test_config
from tests.letters.factories import outreach_letter_fields

app = create_app(_test_config("sqlite://", Path(sys.argv[1])))
with app.app_context():
    html = outreach_letter_html(**outreach_letter_fields("ar"))
    html_to_pdf(html, stylesheets=(STYLESHEET,), defaults=DEFAULTS)  # fonts and stylesheets loaded first
    for label, render in (("plain", lambda: _html_to_pdf(html, (STYLESHEET,), DEFAULTS)),
                          ("roomy", lambda: html_to_pdf(html, stylesheets=(STYLESHEET,), defaults=DEFAULTS))):
        os.write(2, f"start {label}\\n".encode())
        for _ in range(int(sys.argv[2])):
            render()
        os.write(2, b"end\\n")
"""


def chunk_unmaps(tmp_path: Path) -> dict[str, int]:
    """16 KB unmaps while the child renders the letter each way."""
    trace = tmp_path / "strace.txt"
    subprocess.run(["strace", "-f", "-e", "trace=munmap,write", "-o", str(trace), sys.executable, "-c", CHILD,
                    str(tmp_path / "files"), str(RENDERS)],
                   check=True, capture_output=True, cwd=Path(__file__).parents[2])
    counts: dict[str, int] = {}
    current = None
    for line in trace.read_text().splitlines():
        if 'write(2, "start ' in line:
            current = line.split('write(2, "start ')[1].split("\\")[0]
            counts[current] = 0
        elif 'write(2, "end' in line:
            current = None
        elif current and "munmap(" in line and ", 16384)" in line:
            counts[current] += 1
    return counts


def test_a_letter_is_laid_out_in_one_frame_chunk(tmp_path: Path) -> None:
    counts = chunk_unmaps(tmp_path)
    # Only 16 KB chunks are counted (the roomy frame's own 512 KB one is not); one a render is slack for the
    # interpreter's other frames around it.
    assert counts["roomy"] <= RENDERS, counts
    assert counts["plain"] >= 20 * RENDERS, (
        f"{counts}: this Python no longer unmaps frame chunks during a letter's layout; the roomy frame in "
        "portal/pdf.py can go")
