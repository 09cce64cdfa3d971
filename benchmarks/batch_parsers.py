"""The batch fast path's reader against the csv module feeding the same vectorised scorer.

    python benchmarks/batch_parsers.py [N]

In one process and one thread, for the same class file (benchmarks/batch.py's): the time to
turn the file into the scorer's code arrays with the numpy tokenizer (``ClassFile.rows``)
and with ``csv.reader`` plus a dictionary per column, and the time to rank and write those
arrays (the same for both). The csv-module reader here maps exact cell texts only; a real
one would also send unusual cells to the careful path, as the tokenizer does.
"""

from __future__ import annotations

import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import ensure_bytecode  # noqa: E402
from batch import generate  # noqa: E402

from jobkompas import api  # noqa: E402
from jobkompas.batchcsv import EMPTY, INVALID, MISSING, NOT_SURE, UNKNOWN, ClassFile, ResultWriter  # noqa: E402
from jobkompas.fastscore import CONFIDENCE_NAMES, FLAG_NAMES, FastScorer  # noqa: E402
from jobkompas.questions import RIASEC  # noqa: E402

RUNS = 5
BLOCK = 5000  # rows per array block, about what one 1 MB chunk of the tokenizer holds


def numpy_reader(path: Path, bank) -> list[tuple[list[bytes], np.ndarray, np.ndarray]]:
    with ClassFile(path, bank) as source:
        return [(rows.ids, rows.scale, rows.choice) for rows in source.rows() if len(rows)]


def csv_reader(path: Path, bank) -> list[tuple[list[bytes], np.ndarray, np.ndarray]]:
    with ClassFile(path, bank) as source:
        layout = source.layout
    scale_code = {"": MISSING, "unsure": NOT_SURE, "not sure": NOT_SURE, "?": NOT_SURE,
                  **{str(v): v for v in range(1, 6)}}
    choice_code = [{"": EMPTY, **accepted} for accepted in layout.accepted]
    blocks = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        while True:
            rows = [row for _, row in zip(range(BLOCK), reader)]
            if not rows:
                break
            columns = list(zip(*rows))
            scale = np.array([[scale_code.get(cell, INVALID) for cell in columns[c]] for c in layout.scale_columns],
                             dtype=np.int8).T.copy()
            choice = np.array([[codes.get(cell, UNKNOWN) for cell in columns[c]]
                               for codes, c in zip(choice_code, layout.choice_columns)], dtype=np.int16).T.copy()
            blocks.append(([cell.encode() for cell in columns[0]], scale, choice))
    return blocks


def timed(fn, *args) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    ensure_bytecode()
    bank, catalogue = api.load_bank(), api.load_catalogue()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "class.csv"
        generate(path, n)
        print(f"{n:,} respondents, {path.stat().st_size / 1e6:.1f} MB; medians of {RUNS} runs, one thread")

        def just_read() -> None:
            with path.open(encoding="utf-8", newline="") as handle:
                for _ in csv.reader(handle):
                    pass

        read, _ = timed(just_read)
        tokenizer, fast_blocks = timed(numpy_reader, path, bank)
        module, csv_blocks = timed(csv_reader, path, bank)
        same = all(np.array_equal(a[1], b[1].astype(a[1].dtype)) and np.array_equal(a[2], b[2].astype(a[2].dtype))
                   for a, b in zip(_reblock(fast_blocks), _reblock(csv_blocks)))
        with ClassFile(path, bank) as source:
            scorer = FastScorer(source.layout, bank, catalogue, 10, None)
        writer = ResultWriter(catalogue.columns.ids, 10, RIASEC, CONFIDENCE_NAMES, FLAG_NAMES)

        def score_all() -> None:
            for ids, scale, choice in fast_blocks:
                writer.rows(ids, scorer.rank(scale, choice))

        scoring, _ = timed(score_all)
        print(f"{'csv module, just reading':<48} {read * 1000:8.0f} ms")
        print(f"{'numpy tokenizer to code arrays':<48} {tokenizer * 1000:8.0f} ms")
        print(f"{'csv module + a dict per column to code arrays':<48} {module * 1000:8.0f} ms")
        print(f"{'  the same arrays both ways':<48} {'yes' if same else 'NO'}")
        print(f"{'ranking and writing (the same for both)':<48} {scoring * 1000:8.0f} ms")
        print(f"{'total with the tokenizer / csv-module read':<48} {(tokenizer + scoring) / read:8.2f}")
        print(f"{'total with the csv module / csv-module read':<48} {(module + scoring) / read:8.2f}")


def _reblock(blocks):
    """Both readers' arrays as one (rows, columns) pair, whatever their block sizes."""
    scale = np.concatenate([b[1] for b in blocks])
    choice = np.concatenate([b[2] for b in blocks])
    return [(None, scale, choice)]


if __name__ == "__main__":
    main()
