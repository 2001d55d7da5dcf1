"""Reading CSV files as senders write them: UTF-8 with or without BOM or Windows-1252, `;`, `,` or tab."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from outreach.notices.parse import column_name

MAX_FILE_BYTES = 60 * 1024 * 1024


class FileProblem(ValueError):
    """The file as a whole cannot be read (the message is plain Swedish)."""


def decode(data: bytes) -> str:
    """Text of the file: UTF-8 (BOM or not), else Windows-1252 (what Excel writes on Swedish Windows)."""
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(f"Filen är för stor (högst {MAX_FILE_BYTES // (1024 * 1024)} MB).")
    if b"\x00" in data[:4096]:
        raise FileProblem("Filen är ingen textfil (CSV). Spara den som CSV och försök igen.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=lambda sep: counts[sep])


@dataclass
class Row:
    """One data row: its line number in the file and its values by canonical column."""

    line: int
    values: dict[str, str]
    extra: bool  # more non-empty values than headers


@dataclass
class Table:
    """The canonical column names and the rows (blank rows left out)."""

    columns: list[str]
    rows: Iterator[Row]


def read_table(data: bytes) -> Table:
    """Parse the file's header and return its rows lazily; FileProblem when there is no header."""
    text = decode(data)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first:
        raise FileProblem("Filen är tom.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    header: list[str] | None = None
    for cells in reader:
        if any(cell.strip() for cell in cells):
            header = [column_name(cell) for cell in cells]
            break
    if header is None:
        raise FileProblem("Filen är tom.")
    columns = [name for name in header if name]

    def rows() -> Iterator[Row]:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # blank lines and rows of empty columns, as Excel leaves them
            values = {name: cells[index] for index, name in enumerate(header) if name and index < len(cells)}
            extra = any(cell.strip() for cell in cells[len(header):])
            yield Row(line=reader.line_num, values=values, extra=extra)

    return Table(columns=columns, rows=rows())
