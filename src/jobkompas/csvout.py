"""CSV that is safe to open in a spreadsheet: one rule for every CSV jobkompas writes.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be
read by Excel, LibreOffice or Google Sheets as a formula (``=HYPERLINK(…)`` in a name, say).
Such a cell is written with an apostrophe in front (``'=HYPERLINK(…)``), which spreadsheets
show as the text itself. A plain negative number (``-3``, ``-2.5``) stays a number. Numbers
that are not text are never changed.

``--bom`` puts a UTF-8 byte order mark first, so that Excel opens æ, ø and å correctly.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any, Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
_NEGATIVE_NUMBER = re.compile(r"-\d+(?:[.,]\d+)?")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet shows it and never runs it (see the module's rule)."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if _NEGATIVE_NUMBER.fullmatch(value):
        return value
    return "'" + value


def safe_cell_bytes(cell: bytes) -> bytes:
    """:func:`safe_cell` for a UTF-8 cell that needs no quoting (the batch's fast path)."""
    if cell[:1] not in (b"=", b"+", b"-", b"@", b"\t", b"\r"):
        return cell
    return safe_cell(cell.decode("utf-8", "replace")).encode("utf-8")


def csv_text(header: list[str], rows: Iterable[Iterable[Any]], bom: bool = False) -> str:
    """A whole CSV document, every cell through :func:`safe_cell`; ``\\n`` line ends."""
    buffer = io.StringIO()
    if bom:
        buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return buffer.getvalue()
