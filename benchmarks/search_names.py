"""Share of common Nordic job names that search puts at rank 1 (tests/data/nordic_job_names.tsv).

    python benchmarks/search_names.py [--misses]

Each name is searched as a student types it; the first hit counts when it is one of the
expected ids. Prints the share and, with --misses, every name whose first hit is wrong.
"""

from __future__ import annotations

import sys
from pathlib import Path

NAMES = Path(__file__).resolve().parent.parent / "tests" / "data" / "nordic_job_names.tsv"


def read_names(path: Path = NAMES) -> list[tuple[str, str, set[str]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("lang\t"):
            continue
        lang, name, expected = line.split("\t")
        rows.append((lang, name, set(expected.split("|"))))
    return rows


def rank_one(catalogue, rows) -> tuple[float, list[tuple[str, str, str]]]:
    from jobkompas.search import search

    misses = []
    for lang, name, expected in rows:
        hits = search(catalogue, name, limit=1)
        first = hits[0][0].id if hits else "-"
        if first not in expected:
            misses.append((lang, name, first))
    return 1 - len(misses) / len(rows), misses


def main() -> int:
    from jobkompas.api import load_catalogue

    rows = read_names()
    share, misses = rank_one(load_catalogue(), rows)
    print(f"{len(rows)} names, found at rank 1: {len(rows) - len(misses)} ({100 * share:.1f} %)")
    if "--misses" in sys.argv:
        for lang, name, first in misses:
            print(f"  {lang} {name!r}: first hit {first}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
