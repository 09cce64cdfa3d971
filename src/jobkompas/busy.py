"""A spinner for work that may take a moment (parsing the content on a first run from a
source tree): drawn on stderr only after ``delay`` seconds, only on a terminal that can move
the cursor, and wiped when the work is done, so quick work and piped output show nothing."""

from __future__ import annotations

import os
import sys
import threading
from contextlib import contextmanager
from typing import IO, Iterator

FRAMES_UNICODE = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
FRAMES_ASCII = "|/-\\"


def can_animate(stream: IO[str] | None) -> bool:
    """A terminal that redraws a line: a tty, and not TERM=dumb (or unset)."""
    try:
        tty = bool(stream and stream.isatty())
    except (ValueError, OSError):
        tty = False
    return tty and os.environ.get("TERM", "dumb") not in ("dumb", "")


@contextmanager
def busy(message: str, delay: float = 0.3, stream: IO[str] | None = None) -> Iterator[None]:
    stream = stream if stream is not None else sys.stderr
    if not can_animate(stream):
        yield
        return
    from .streams import shows_unicode

    frames = FRAMES_UNICODE if shows_unicode(stream, unknown=False) else FRAMES_ASCII
    done = threading.Event()
    drawn = []

    def spin() -> None:
        if done.wait(delay):
            return
        i = 0
        while not done.is_set():
            stream.write(f"\r{frames[i % len(frames)]} {message}")
            stream.flush()
            drawn.append(True)
            i += 1
            done.wait(0.1)

    thread = threading.Thread(target=spin, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        if drawn:
            stream.write("\r\x1b[2K")
            stream.flush()
