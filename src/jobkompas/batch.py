"""Scoring a whole class from one CSV, streaming, with per-row errors and a progress bar."""

from __future__ import annotations

import codecs
import json
import os
import sys
from pathlib import Path
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from typing import IO, Iterator

from . import api
from .answers import iter_batch_rows, retired_note
from .errors import InputError
from .streams import report_row_error, report_rows_done, terminal_safe


# numpy's OpenBLAS runs a thread per core. The batch's matrix products are small (1,024 × 17
# × 93, ten per block of rows), and for those the threads cost more than they save: 1.3× slower on an idle machine
# and 40× slower when another process keeps a core busy (measured). Set before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


@contextmanager
def _output(out: Path | None, binary: bool = False) -> Iterator[IO]:
    """stdout, or a temp file renamed over ``out`` only when the whole run succeeded."""
    if out is None:
        if binary:
            sys.stdout.flush()
            yield sys.stdout.buffer
            sys.stdout.buffer.flush()
        else:
            yield sys.stdout
        return
    from .outfile import replacing

    with replacing(out, binary=binary) as handle:
        yield handle


def _warn_retired(warnings: list[str]) -> None:
    """Columns of questions no longer asked are not read; said once, not for every row."""
    for warning in warnings:
        print(terminal_safe(f"jobkompas: warning: {warning}"), file=sys.stderr)


def _report(error: InputError, strict: bool) -> None:
    if strict:
        raise error  # the CLI prints it, once
    report_row_error(error)


def run_batch(file: str, *, fmt: str, top: int, lang: str | None, country: str | None,
              strict: bool, out: Path | None, bom: bool = False, bank=None, catalogue=None) -> int:
    """Score every row; return the number of rows that failed (reported on stderr). CSV ids
    that a spreadsheet would run as formulas are neutralised (:mod:`csvout`); ``bom`` puts a
    UTF-8 byte order mark first, for Excel. ``bank`` and ``catalogue``: the content to use
    (the library's default when left out)."""
    bank = bank or api.load_bank()
    catalogue = catalogue or api.load_catalogue()
    if fmt == "csv":  # the language changes only reasons and paths, not in CSV rows
        return _run_fast_csv(file, top=top, country=country, strict=strict, out=out, bom=bom, bank=bank,
                             catalogue=catalogue)
    return _run_jsonl(file, top=top, lang=lang, country=country, strict=strict, out=out, bank=bank,
                      catalogue=catalogue)


JSONL_SLICE_BYTES = 200_000  # about 1,000 rows, 2–3 s of work: worth a process of its own


def _run_jsonl(file: str, *, top: int, lang: str | None, country: str | None, strict: bool,
               out: Path | None, bank, catalogue) -> int:
    """One ``jobkompas-result/1`` document per row (with reasons and paths: the one-respondent
    scorer, a few ms a row), on several processes for a large plain file (:mod:`batchsplit`)."""
    from .batchcsv import ClassFile
    from .batchsplit import process_count, score_in_slices

    def score(span: tuple[int, int] | None, target: IO[bytes], report, progress) -> tuple[int, int]:
        done = failed = 0
        for _line, item in iter_batch_rows(file, bank, span):
            if isinstance(item, InputError):
                failed += 1
                report(item)
                continue
            if span is None and done == 0 and item.warnings:  # a sliced run warned from the header
                _warn_retired(item.warnings)
            if lang:
                item.language = lang
            result = api.score(item, top=top, country=country, bank=bank, catalogue=catalogue)
            target.write((json.dumps(result.to_dict(), ensure_ascii=False) + "\n").encode("utf-8"))
            done += 1
            if progress is not None and done % 100 == 0:
                progress.update(done)
        return done, failed

    slices = None
    if not strict and file != "-":
        with ClassFile(file, bank) as source:  # checks the header, and finds where to cut
            slices = source.plain_slices(process_count(), JSONL_SLICE_BYTES)
            retired = [column for column in source.header[1:] if column in bank.retired]
            if slices and retired:
                _warn_retired([retired_note(f"{source.name}:1", retired)])
    with _output(out, binary=True) as target, _Progress() as progress:
        counts = None
        if slices:
            counts = score_in_slices(lambda start, end: nullcontext((start, end)), slices, score, target,
                                     lambda error: _report(error, False), progress)
        if counts is None:
            counts = score(None, target, lambda error: _report(error, strict), progress)
    done, failed = counts
    report_rows_done("scored", done, "row", failed)
    return failed


def _run_fast_csv(file: str, *, top: int, country: str | None, strict: bool, out: Path | None,
                  bom: bool, bank, catalogue) -> int:
    """CSV out at numpy speed (see :mod:`batchcsv` and :mod:`fastscore`): a large plain file
    in slices on several processes (:mod:`batchsplit`), anything else on worker threads."""
    from .batchcsv import ClassFile, ResultWriter
    from .batchsplit import process_count, score_in_slices
    from .fastscore import CONFIDENCE_NAMES, FLAG_NAMES, FastScorer
    from .questions import RIASEC

    with ClassFile(file, bank) as source, _output(out, binary=True) as target:
        retired = [column for column in source.header[1:] if column in bank.retired]
        if retired:
            _warn_retired([retired_note(f"{source.name}:1", retired)])
        scorer = FastScorer(source.layout, bank, catalogue, top, country)
        writer = ResultWriter(catalogue.columns.ids, top, RIASEC, CONFIDENCE_NAMES, FLAG_NAMES)
        if bom:
            target.write(codecs.BOM_UTF8)
        target.write(writer.header())
        slices = None if strict else source.plain_slices(process_count())
        if slices:
            def open_slice(start: int, end: int) -> ClassFile:
                part = source if start == slices[0][0] else ClassFile(file, bank)
                part.slice(start, end)
                return part

            def score(part: ClassFile, into, report, progress) -> tuple[int, int]:
                return _score_serially(part, scorer, writer, into, report, progress)

            with _Progress(source.size) as progress:
                counts = score_in_slices(open_slice, slices, score, target, lambda error: _report(error, False), progress)
            if counts is None:  # no room for the slices' temporary files: one process it is
                with _Progress(source.size) as progress:
                    counts = _score_in_threads(source, scorer, writer, target, strict, progress)
            done, failed = counts
        else:
            with _Progress(source.size) as progress:
                done, failed = _score_in_threads(source, scorer, writer, target, strict, progress)
    report_rows_done("scored", done, "row", failed)
    return failed


def _score_serially(source, scorer, writer, target: IO[bytes], report, progress) -> tuple[int, int]:
    """One process, one thread: a slice of a file (see :mod:`batchsplit`)."""
    done = failed = 0
    for rows in source.rows():
        for error in rows.errors:
            failed += 1
            report(error)
        if len(rows):
            target.write(writer.rows(rows.ids, scorer.rank(rows.scale, rows.choice)))
        done += len(rows)
        if progress is not None:
            progress.update(done, source.consumed)
    return done, failed


def _score_in_threads(source, scorer, writer, target: IO[bytes], strict: bool, progress) -> tuple[int, int]:
    """Splitting, scoring and formatting on worker threads (numpy lets go of the GIL for
    much of it) while this thread reads the next chunk and writes finished ones in order."""
    from .batchcsv import error_line

    failed = done = 0
    workers = max(1, min(2, os.cpu_count() or 1))
    pending: deque = deque()

    def score(ids: list[bytes], scale, choice) -> bytes:
        return writer.rows(ids, scorer.rank(scale, choice))

    def split_and_score(rows) -> tuple[list[InputError], int, bytes]:
        if callable(rows):  # a chunk still to split: the worker does that too
            rows, _ = rows()
        return rows.errors, len(rows), score(rows.ids, rows.scale, rows.choice) if len(rows) else b""

    def write_oldest() -> None:
        nonlocal done, failed
        errors, count, text = pending.popleft().result()
        for error in errors:
            failed += 1
            _report(error, strict)
        target.write(text)
        done += count
        progress.update(done, source.consumed)

    with ThreadPoolExecutor(workers) as pool:
        # --strict needs each chunk's errors before its rows are written: split here
        for rows in source.rows(deferred=not strict):
            if strict and rows.errors:  # what came before the first bad row is still written
                while pending:
                    write_oldest()
                good = int((rows.lines < error_line(rows.errors[0])).sum())
                if good:
                    target.write(score(rows.ids[:good], rows.scale[:good], rows.choice[:good]))
                _report(rows.errors[0], strict)
            pending.append(pool.submit(split_and_score, rows))
            while len(pending) > workers:
                write_oldest()
        while pending:
            write_oldest()
    return done, failed


class _Progress:
    """A progress bar on stderr (share of the file read, rows scored); only on a terminal."""

    def __init__(self, total_bytes: int | None = None) -> None:
        self.bar = None
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("scoring"), BarColumn(), TaskProgressColumn(),
                                TextColumn("{task.fields[rows]:,} rows"), TimeRemainingColumn(),
                                console=Console(stderr=True), transient=True)
            self.task = self.bar.add_task("batch", total=total_bytes, rows=0)

    def __enter__(self) -> "_Progress":
        self.started = False  # on the first update: rich's refresh thread must not exist
        return self           # yet when a batch forks its worker processes

    def update(self, done: int, consumed: int | None = None) -> None:
        if self.bar is not None:
            if not self.started:
                self.bar.start()
                self.started = True
            self.bar.update(self.task, completed=consumed if consumed is not None else done, rows=done)

    def scaled(self, factor: int) -> "_Progress":
        """For one of ``factor`` slices scored alongside each other: shows its progress
        as the whole file's (an estimate: the slices are of equal size)."""
        whole = self

        class Scaled:
            def update(self, done: int, consumed: int | None = None) -> None:
                whole.update(done * factor, None if consumed is None else consumed * factor)

        return Scaled()  # type: ignore[return-value]

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None and self.started:
            self.bar.stop()
