"""Standard output and error: what a stream can show, and the lines that report rows.

Standard library only: the CLI uses it before every command, ``--version`` included.
"""

from __future__ import annotations

import sys
from typing import Any

UNICODE_ENCODINGS = ("utf8", "utf16", "utf32")


def shows_unicode(stream: Any, *, unknown: bool) -> bool:
    """Whether ``stream`` can be written any character (bars, boxes, 'ø'), from its encoding.

    ``unknown`` is the answer for a stream that names no encoding, such as ``io.StringIO``:
    the caller knows whether its text stays a ``str`` or will meet a terminal later.
    """
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return unknown
    import codecs

    try:  # the codec's own name: 'UTF8', 'utf_8' and 'cp65001' all mean UTF-8
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name.replace("-", "").replace("_", "").startswith(UNICODE_ENCODINGS)  # utf16le too


def report_row_error(error: Exception) -> None:
    """One line on stderr for a row or file that failed; the run goes on without it."""
    print(f"jobkompas: error: {error}", file=sys.stderr)


def report_rows_done(verb: str, count: int, noun: str, failed: int) -> None:
    """The closing line on stderr, e.g. 'jobkompas: scored 40 row(s), 2 failed'."""
    print(f"jobkompas: {verb} {count} {noun}(s), {failed} failed", file=sys.stderr)
