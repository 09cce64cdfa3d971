"""A large class file scored by several processes, one slice of the rows each (Linux).

Threads share one interpreter lock, and about 40 % of the batch work (splitting chunks,
many small numpy calls, joining output bytes) holds it, so two threads score only ~1.45× as
fast as one. Processes do not share it. After start-up (the imports, the catalogue, the
scorer: all inherited), the parent forks one child per extra slice; each child scores its
slice into an unnamed temporary file and logs its row errors as JSON lines, while the parent
scores the first slice straight to the output. The parent then appends the children's
results and reports their errors in file order, so the output is byte for byte what one
process writes. Nothing is shared while they run: no locks, no pipes to keep drained.

Only plain files whose rows can be cut at any newline get here (``ClassFile.plain_slices``),
never stdin or ``--strict``; fork is used only on Linux, where it is safe with numpy.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import tempfile
from typing import IO, Callable

from .errors import InputError, StorageError

MAX_PROCESSES = 4  # each adds ~35 MB of its own (100,000 rows: 4 processes ~210 MB in all)


def process_count() -> int:
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 1
    return max(1, min(MAX_PROCESSES, len(os.sched_getaffinity(0))))


def score_in_slices(open_slice: Callable, slices: list[tuple[int, int]], score: Callable, target: IO[bytes],
                    report: Callable[[InputError], None], progress) -> tuple[int, int] | None:
    """Score ``slices`` (byte ranges); ``open_slice(start, end)`` gives what to read for one
    (a context manager), ``score(part, target, report, progress)`` scores it and returns
    (rows, failed).
    ``None`` (nothing done) if the temporary files cannot be made."""
    try:
        files = [(tempfile.TemporaryFile(), tempfile.TemporaryFile()) for _ in slices[1:]]
    except OSError:
        return None
    target.flush()
    sys.stdout.flush()
    sys.stderr.flush()
    children: list[int] = []
    try:
        for (start, end), (results, log) in zip(slices[1:], files):
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child (its work is checked through the output)
                _child(open_slice, start, end, score, results, log)
            children.append(pid)
        with open_slice(*slices[0]) as first:
            done, failed = score(first, target, report, progress.scaled(len(slices)))
        for (results, log) in files:
            pid = children.pop(0)
            _, status = os.waitpid(pid, 0)
            results.seek(0)
            shutil.copyfileobj(results, target, 1 << 20)
            log.seek(0)
            finished = False
            for line in log:
                kind, *rest = json.loads(line)
                if kind == "row":
                    failed += 1
                    report(InputError(rest[1], rest[0]))
                elif kind == "done":
                    done += rest[0]
                    finished = True
                elif kind == "stop":  # an error that ends the run, as it would in one process
                    raise InputError(rest[1], rest[0])
                elif kind == "storage":
                    raise StorageError(f"cannot write a temporary file for the batch: {rest[0]}")
            if not finished or status != 0:
                raise RuntimeError(f"a batch worker process ended without finishing (status {status})")
    finally:
        for pid in children:  # only after an error: stop the rest
            try:
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            except OSError:
                pass
        for results, log in files:
            results.close()
            log.close()
    return done, failed


def _child(open_slice, start, end, score, results, log) -> None:
    """Score one slice and leave with os._exit: never return into the parent's code."""
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the parent reports it
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # stopped by the parent: just go
        _die_with_parent()

        def report(error: InputError) -> None:
            log.write((json.dumps(["row", error.where, error.message]) + "\n").encode("utf-8"))

        try:
            with open_slice(start, end) as part:
                done, _failed = score(part, results, report, None)
            log.write((json.dumps(["done", done]) + "\n").encode("utf-8"))
        except InputError as exc:
            log.write((json.dumps(["stop", exc.where, exc.message]) + "\n").encode("utf-8"))
        results.flush()
        log.flush()
        status = 0
    except OSError as exc:  # most likely a full disk under the temporary files
        status = 2
        try:
            log.write((json.dumps(["storage", exc.strerror or str(exc)]) + "\n").encode("utf-8"))
            log.flush()
        except OSError:
            pass
    finally:
        os._exit(status)


def _die_with_parent() -> None:
    """Linux: a worker whose parent is killed (even with SIGKILL) gets SIGTERM, so none is
    left running on its own."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before the line above
            os._exit(1)
    except (OSError, AttributeError):
        pass
