"""Scoring a whole class from one CSV, streaming, with per-row errors and a progress bar."""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path
from contextlib import contextmanager
from typing import IO, Iterator

from . import api
from .answers import iter_batch_rows
from .errors import InputError
from .render import batch_header, batch_row


CHUNK = 2000  # rows per numpy block: a few MB per matrix


@contextmanager
def _output(out: Path | None) -> Iterator[IO[str]]:
    """stdout, or a temp file renamed over ``out`` only when the whole run succeeded."""
    if out is None:
        yield sys.stdout
        return
    tmp = out.with_name(f".{out.name}.tmp{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def _report(error: InputError, strict: bool) -> None:
    print(f"jobkompas: error: {error}", file=sys.stderr)
    if strict:
        raise error


def run_batch(file: str, *, fmt: str, top: int, lang: str | None, country: str | None,
              strict: bool, out: Path | None) -> int:
    """Score every row; return the number of rows that failed (reported on stderr)."""
    if fmt == "csv" and country is None:
        return _run_fast_csv(file, top=top, strict=strict, out=out)
    bank = api.load_bank()
    catalogue = api.load_catalogue()
    failed = done = 0
    with _output(out) as target, _Progress() as progress:
        writer = csv.writer(target, lineterminator="\n") if fmt == "csv" else None
        if writer:
            writer.writerow(batch_header(top))
        for line, item in iter_batch_rows(file, bank):
            if isinstance(item, InputError):
                failed += 1
                _report(item, strict)
                continue
            if lang:
                item.language = lang
            result = api.score(item, top=top, country=country, bank=bank, catalogue=catalogue)
            if writer:
                writer.writerow(batch_row(result, item.respondent or str(line), top))
            else:
                target.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
            done += 1
            progress.update(done)
    print(f"jobkompas: scored {done} row(s), {failed} failed", file=sys.stderr)
    return failed


def _run_fast_csv(file: str, *, top: int, strict: bool, out: Path | None) -> int:
    """CSV out, numpy in chunks: rows that parse cleanly go the fast way, others the careful way."""
    from .answers import iter_csv_records
    from .fastscore import FastScorer

    bank = api.load_bank()
    catalogue = api.load_catalogue()
    failed = done = 0
    scorer: FastScorer | None = None
    pending: list[tuple[str, tuple]] = []
    with _output(out) as target, _Progress() as progress:
        writer = csv.writer(target, lineterminator="\n")
        writer.writerow(batch_header(top))

        def flush() -> None:
            nonlocal done
            rows = scorer.score([p for _, p in pending])
            writer.writerows([respondent, *row] for (respondent, _), row in zip(pending, rows))
            done += len(pending)
            pending.clear()
            progress.update(done)

        for header, line, row, careful in iter_csv_records(file, bank):
            if scorer is None:
                scorer = FastScorer(header, bank, catalogue, top)
            parsed = scorer.parse(row) if len(row) == len(header) and row[0].strip() else None
            if parsed is None:
                item = careful()
                if isinstance(item, InputError):
                    failed += 1
                    _report(item, strict)
                    continue
                # valid, but in a form the fast path does not read (e.g. "Not Sure"): score alone,
                # after what is pending, so the output keeps the input's order
                if pending:
                    flush()
                result = api.score(item, top=top, bank=bank, catalogue=catalogue)
                writer.writerow(batch_row(result, item.respondent or str(line), top))
                done += 1
                continue
            pending.append((row[0].strip(), parsed))
            if len(pending) >= CHUNK:
                flush()
        if pending:
            flush()
    print(f"jobkompas: scored {done} row(s), {failed} failed", file=sys.stderr)
    return failed


class _Progress:
    """Respondents scored so far, on one stderr line; silent unless stderr is a terminal."""

    def __init__(self) -> None:
        self.active = sys.stderr.isatty()
        self.shown = 0

    def __enter__(self) -> "_Progress":
        return self

    def update(self, done: int) -> None:
        if self.active and done - self.shown >= 1000:
            self.shown = done
            sys.stderr.write(f"\rjobkompas: {done:,} respondents scored…")
            sys.stderr.flush()

    def __exit__(self, *exc: object) -> None:
        if self.active and self.shown:
            sys.stderr.write("\r\033[K")
