"""Scoring a whole class from one CSV, streaming, with per-row errors and a progress bar."""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path
from typing import IO

from . import api
from .answers import iter_batch_rows
from .errors import InputError
from .render import batch_header, batch_row


CHUNK = 2000  # rows per numpy block: a few MB per matrix


def run_batch(file: str, *, fmt: str, top: int, lang: str | None, country: str | None,
              strict: bool, out: Path | None) -> int:
    """Score every row; return the number of rows that failed (reported on stderr)."""
    if fmt == "csv" and country is None:
        return _run_fast_csv(file, top=top, strict=strict, out=out)
    bank = api.load_bank()
    catalogue = api.load_catalogue()
    target: IO[str]
    tmp = None
    if out is None:
        target = sys.stdout
    else:
        tmp = out.with_name(f".{out.name}.tmp{os.getpid()}")
        target = tmp.open("w", encoding="utf-8", newline="")
    failed = done = 0
    size = os.path.getsize(file) if file != "-" and os.path.isfile(file) else 0
    progress = _Progress(size) if sys.stderr.isatty() and size > 200_000 else None
    try:
        writer = csv.writer(target, lineterminator="\n") if fmt == "csv" else None
        if writer:
            writer.writerow(batch_header(top))
        for line, item in iter_batch_rows(file, bank):
            if isinstance(item, InputError):
                failed += 1
                print(f"jobkompas: error: {item}", file=sys.stderr)
                if strict:
                    raise item
                continue
            if lang:
                item.language = lang
            result = api.score(item, top=top, country=country, bank=bank, catalogue=catalogue)
            if writer:
                writer.writerow(batch_row(result, item.respondent or str(line), top))
            else:
                target.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
            done += 1
            if progress and done % 200 == 0:
                progress.update(done, line)
    finally:
        if progress:
            progress.close()
        if tmp is not None:
            target.close()
            os.replace(tmp, out)
    print(f"jobkompas: scored {done} row(s), {failed} failed", file=sys.stderr)
    return failed


class _Progress:
    """A one-line progress indicator on stderr (only on a terminal)."""

    def __init__(self, size: int) -> None:
        self.size = size

    def update(self, done: int, line: int) -> None:
        sys.stderr.write(f"\rjobkompas: {done:,} respondents scored…")
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\r\033[K")


def _run_fast_csv(file: str, *, top: int, strict: bool, out: Path | None) -> int:
    """CSV out, numpy in chunks: rows that parse cleanly go the fast way, others the careful way."""
    from .answers import iter_csv_records
    from .fastscore import FastScorer

    bank = api.load_bank()
    catalogue = api.load_catalogue()
    tmp = out.with_name(f".{out.name}.tmp{os.getpid()}") if out is not None else None
    target: IO[str] = tmp.open("w", encoding="utf-8", newline="") if tmp is not None else sys.stdout
    writer = csv.writer(target, lineterminator="\n")
    writer.writerow(batch_header(top))
    failed = done = 0
    progress = _Progress(0) if sys.stderr.isatty() else None
    scorer: FastScorer | None = None
    pending: list[tuple[str, list]] = []

    def flush() -> None:
        nonlocal done
        writer.writerows([respondent, *row] for (respondent, _), row in zip(pending, scorer.score([p for _, p in pending])))
        done += len(pending)
        pending.clear()
        if progress:
            progress.update(done, 0)

    try:
        for header, line, row, careful in iter_csv_records(file, bank):
            if scorer is None:
                scorer = FastScorer(header, bank, catalogue, top)
            parsed = scorer.parse(row) if len(row) == len(header) and row[0].strip() else None
            if parsed is None:
                item = careful()
                if isinstance(item, InputError):
                    failed += 1
                    print(f"jobkompas: error: {item}", file=sys.stderr)
                    if strict:
                        raise item
                    continue
                parsed = scorer.parse([row[0], *[_clean(c) for c in row[1:]]])
                if parsed is None:  # the careful path accepted what the fast one cannot read
                    if pending:
                        flush()  # keep the output in input order
                    result = api.score(item, top=top, bank=bank, catalogue=catalogue)
                    writer.writerow(batch_row(result, item.respondent or str(line), top))
                    done += 1
                    continue
            pending.append((row[0].strip(), parsed))
            if len(pending) >= CHUNK:
                flush()
        if pending:
            flush()
    finally:
        if progress:
            progress.close()
        if tmp is not None:
            target.close()
            os.replace(tmp, out)
    print(f"jobkompas: scored {done} row(s), {failed} failed", file=sys.stderr)
    return failed


def _clean(cell: str) -> str:
    return cell.strip().lower()
