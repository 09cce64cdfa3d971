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
    print(terminal_safe(f"jobkompas: error: {error}"), file=sys.stderr)


def report_rows_done(verb: str, count: int, noun: str, failed: int) -> None:
    """The closing line on stderr, e.g. 'jobkompas: scored 40 row(s), 2 failed'."""
    print(f"jobkompas: {verb} {count} {noun}(s), {failed} failed", file=sys.stderr)


_CONTROL = None


def terminal_safe(text: str) -> str:
    """``text`` without control characters (C0 but tab and line feed, DEL, C1), so that user
    text (a name, a group, a note, a title from custom content) cannot move the cursor, clear
    the screen or set the window title when shown on a terminal."""
    global _CONTROL
    if _CONTROL is None:
        import re

        _CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
    return _CONTROL.sub("", text)
