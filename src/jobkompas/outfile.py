"""Writing a file the user named: whole or not at all, and never over a device."""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from .errors import OutputError


@contextmanager
def replacing(path: Path, binary: bool = False) -> Iterator[IO]:
    """Open ``path`` for writing so that it is replaced whole or not at all: the text goes to a
    temporary file beside it, renamed over it only when the block ends without an error. A
    file that cannot be created (no such directory, no permission) is an ``OutputError``.

    A path that exists but is not a regular file (``/dev/null``, ``/dev/stdout``, a named
    pipe) is written directly: renaming over it would replace the device itself. A symbolic
    link is followed, so the link stays and its target gets the new text."""
    path = Path(path)
    if path.is_symlink():
        path = path.resolve()
    try:
        special = not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        special = False
    tmp = path if special else path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        handle = tmp.open("wb") if binary else tmp.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise OutputError(path, exc.strerror or str(exc)) from None
    try:
        with handle:
            yield handle
        if not special:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise OutputError(path, exc.strerror or str(exc)) from None
    finally:
        if not special:
            tmp.unlink(missing_ok=True)


def write_text(path: Path, text: str) -> None:
    with replacing(path) as handle:
        handle.write(text)
