"""Writing a file whole or not at all, and never over a device."""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from .errors import OutputError

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) if needed; a folder created here is private to
    the user (0700, as the XDG base directory rules ask), one that exists is left as it is.
    Errors are the plain ``OSError``."""
    path = Path(path)
    if not path.is_dir():
        if path.parent != path:
            private_dir(path.parent)
        try:
            path.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            pass
        else:
            os.chmod(path, PRIVATE_DIR)  # whatever the umask
    return path


def private_file(path: Path) -> None:
    """Create an empty file private to the user (0600) unless it exists already."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        return
    os.chmod(path, PRIVATE_FILE)


@contextmanager
def atomic_open(path: Path, binary: bool = False, *, fsync: bool = False) -> Iterator[IO]:
    """Open ``path`` for writing so that it is replaced whole or not at all: the text goes to a
    temporary file beside it, renamed over it only when the block ends without an error (and,
    with ``fsync``, only once the bytes are on disk). Errors are the plain ``OSError``.

    A path that exists but is not a regular file (``/dev/null``, ``/dev/stdout``, a named
    pipe) is written directly: renaming over it would replace the device itself. So is a file
    with hard links, which a rename would split from its other names. A symbolic link is
    followed, so the link stays and its target gets the new text.

    A new file is private to the user (0600): what jobkompas writes can be about a student.
    A file that exists keeps its mode (whoever made it readable to others chose so)."""
    path = Path(path)
    try:
        st = path.stat()  # follows links: /dev/stdout on a pipe is a link to no path at all
        special, mode = not stat.S_ISREG(st.st_mode) or st.st_nlink > 1, stat.S_IMODE(st.st_mode)
    except OSError:
        special, mode = False, PRIVATE_FILE
    if path.is_symlink() and not special:
        path = path.resolve()
    if not special:
        _remove_stale_temporaries(path)
    tmp = path if special else path.with_name(f".{path.name}.tmp{os.getpid()}")
    if special:
        handle = tmp.open("wb") if binary else tmp.open("w", encoding="utf-8", newline="")
    else:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), PRIVATE_FILE)
        try:
            if hasattr(os, "fchmod"):  # POSIX; on Windows the user's folders are private already
                os.fchmod(fd, mode)
        except BaseException:
            os.close(fd)
            raise
        handle = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
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


def _remove_stale_temporaries(path: Path) -> None:
    """Remove this file's temporaries left by a process that was killed (SIGKILL, a power
    cut) before it could remove them: those whose process no longer runs."""
    try:
        stale = list(path.parent.glob(f".{glob_escape(path.name)}.tmp*"))
    except OSError:
        return
    for tmp in stale:
        pid = tmp.name.rsplit(".tmp", 1)[1]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
        except (OSError, OverflowError):
            pass  # alive under another user, or not a pid: not ours to remove


def glob_escape(name: str) -> str:
    import glob

    return glob.escape(name)


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
