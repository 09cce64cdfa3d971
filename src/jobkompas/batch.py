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


def run_batch(file: str, *, fmt: str, top: int, lang: str | None, country: str | None,
              strict: bool, out: Path | None) -> int:
    """Score every row; return the number of rows that failed (reported on stderr)."""
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
