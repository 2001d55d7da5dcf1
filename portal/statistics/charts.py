"""Charts drawn on the server as SVG: no script, readable by screen readers, printable.

Each chart carries a <title> and a <desc> that says in words what it shows, and the page puts the same figures
in a table beside it, so a screen reader and a printer get the same facts.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from portal.statistics.tables import Table

# Colours distinguishable with common colour-vision deficiencies, each with 3:1 contrast on white. Colour is
# never the only difference: each series also has its own pattern (solid, stripes, dots, cross-hatch, ...), in
# the bars and in the legend, so the chart reads in black and white and for anyone who cannot tell the colours.
PALETTE = ("#0b4f8a", "#b35900", "#2e7d32", "#7b1fa2", "#c62828", "#00695c")
PATTERNS = ("solid", "stripes", "dots", "cross", "backstripes", "grid")
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 320, 48, 104, 16
LABEL_FONT = 10
CHAR_WIDTH = 5.6  # a generous average width of a character at LABEL_FONT, in SVG units
LABEL_LINES = 3


def _pattern(ident: str, s: int) -> str:
    """The <pattern> for series `s`: its colour, and a texture of its own (none for the first)."""
    colour = PALETTE[s % len(PALETTE)]
    kind = PATTERNS[s % len(PATTERNS)]
    marks = {
        "solid": "",
        "stripes": '<path d="M0 6 L6 0" stroke="#fff" stroke-width="1.6"/>',
        "dots": '<circle cx="3" cy="3" r="1.3" fill="#fff"/>',
        "cross": '<path d="M0 0 L6 6 M6 0 L0 6" stroke="#fff" stroke-width="1.1"/>',
        "backstripes": '<path d="M0 0 L6 6" stroke="#fff" stroke-width="1.6"/>',
        "grid": '<path d="M3 0 V6 M0 3 H6" stroke="#fff" stroke-width="1.1"/>',
    }[kind]
    return (f'<pattern id="{ident}-p{s}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="{colour}"/>{marks}</pattern>')


def label_lines(label: str, width: float) -> list[str]:
    """A category label broken into lines that fit `width` (words kept whole where they fit); a label that
    needs more than LABEL_LINES lines ends in an ellipsis, the full text is in the table and the <title>."""
    room = max(4, int(width / CHAR_WIDTH))
    lines: list[str] = []
    for word in label.split():
        while len(word) > room:  # a word longer than the room is split, with a hyphen
            lines.append(word[:room - 1] + "-")
            word = word[room - 1:]
        if lines and len(lines[-1]) + 1 + len(word) <= room and not lines[-1].endswith("-"):
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES]
        lines[-1] = lines[-1][:room - 1].rstrip("-") + "…"
    return lines


def _numbers(table: Table) -> list[list[float | None]]:
    out = []
    for row in table.rows:
        out.append([float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None for v in row[1:]])
    return out


def bar_chart(table: Table) -> Markup:
    """Grouped bars, one group per row and one bar per numeric column; suppressed cells are drawn as gaps."""
    values = _numbers(table)
    series = len(table.columns) - 1
    peak = max((v for row in values for v in row if v is not None), default=0.0) or 1.0
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    group_w = plot_w / max(len(values), 1)
    bar_w = max(2.0, group_w * 0.8 / max(series, 1))
    ident = f"chart-{escape(table.key)}"
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{ident}-t {ident}-d" '
             f'xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{ident}-t">{escape(table.title)}</title>',
             f'<desc id="{ident}-d">{escape(_describe(table, values))}</desc>',
             "<defs>" + "".join(_pattern(ident, s) for s in range(series)) + "</defs>",
             f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - 8}" y2="{TOP + plot_h}" stroke="#1b1b1b"/>',
             f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end" font-size="11">{_fmt(peak)}</text>',
             f'<text x="{LEFT - 6}" y="{TOP + plot_h}" text-anchor="end" font-size="11">0</text>']
    for i, row in enumerate(values):
        x0 = LEFT + i * group_w + group_w * 0.1
        for s, value in enumerate(row):
            if value is None:
                continue
            height = plot_h * value / peak
            parts.append(f'<rect x="{x0 + s * bar_w:.1f}" y="{TOP + plot_h - height:.1f}" width="{bar_w:.1f}" '
                         f'height="{height:.1f}" fill="url(#{ident}-p{s})" stroke="#1b1b1b" stroke-width="0.5"/>')
        step = 1 if len(values) <= 20 else max(1, len(values) // 12)
        if i % step == 0:
            centre = x0 + group_w * 0.4
            lines = label_lines(str(table.rows[i][0]), group_w * step * 0.95)
            spans = "".join(f'<tspan x="{centre:.1f}" dy="{0 if n == 0 else LABEL_FONT + 2}">{escape(line)}</tspan>'
                            for n, line in enumerate(lines))
            parts.append(f'<text x="{centre:.1f}" y="{TOP + plot_h + 14}" font-size="{LABEL_FONT}" '
                         f'text-anchor="middle">{spans}</text>')
    for s, name in enumerate(table.columns[1:]):
        y = HEIGHT - 20 + (s // 3) * 14 - (14 if series > 3 else 0)
        x = LEFT + (s % 3) * 190
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="url(#{ident}-p{s})" '
                     f'stroke="#1b1b1b" stroke-width="0.5"/>'
                     f'<text x="{x + 16}" y="{y}" font-size="11">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  # nosec B704 - every interpolated text above is escaped


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def _describe(table: Table, values: list[list[float | None]]) -> str:
    """The chart in words: the largest value per series and where it is."""
    sentences = []
    for s, name in enumerate(table.columns[1:]):
        points = [(row[s], table.rows[i][0]) for i, row in enumerate(values) if row[s] is not None]
        if points:
            top_value, top_label = max(points, key=lambda p: p[0] or 0)
            sentences.append(f"{name}: högst {_fmt(top_value or 0)} ({top_label})")
    return "; ".join(sentences) or "Inga uppgifter för perioden."
