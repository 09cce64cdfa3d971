"""Writing a file whole or not at all, and never over a device."""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from .errors import OutputError


@contextmanager
def atomic_open(path: Path, binary: bool = False, *, fsync: bool = False) -> Iterator[IO]:
    """Open ``path`` for writing so that it is replaced whole or not at all: the text goes to a
    temporary file beside it, renamed over it only when the block ends without an error (and,
    with ``fsync``, only once the bytes are on disk). Errors are the plain ``OSError``.

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
    handle = tmp.open("wb") if binary else tmp.open("w", encoding="utf-8", newline="")
    try:
        with handle:
            yield handle
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())
        if not special:
            os.replace(tmp, path)  # a crash leaves the old file or the new one, never half of one
    finally:
        if not special:
            tmp.unlink(missing_ok=True)


@contextmanager
def replacing(path: Path, binary: bool = False) -> Iterator[IO]:
    """:func:`atomic_open` for a file the user named: a file that cannot be created, closed or
    renamed into place (no such directory, no permission, a full disk) is an ``OutputError``."""
    in_block = False
    try:
        with atomic_open(path, binary) as handle:
            in_block = True
            yield handle
            in_block = False
    except OSError as exc:
        if in_block:
            raise  # raised by the caller's own code in the block: not ours to word
        target = Path(path).resolve() if Path(path).is_symlink() else path
        raise OutputError(target, exc.strerror or str(exc)) from None


def write_text(path: Path, text: str) -> None:
    with replacing(path) as handle:
        handle.write(text)
