"""Batch scoring of 100,000 respondents against reading the same CSV with the csv module.

    python benchmarks/batch.py [N]
"""

from __future__ import annotations

import csv
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import bench_env, ensure_bytecode, jobkompas, report  # noqa: E402

from jobkompas import api  # noqa: E402


RUNS = 5


def generate(path: Path, n: int) -> None:
    bank = api.load_bank()
    questions = list(bank.form("standard"))
    rnd = random.Random(42)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id"] + [q.id for q in questions])
        for i in range(n):
            bias = {t: rnd.random() * 4 + 1 for t in "RIASEC"}
            row = [f"s{i:06d}"]
            for q in questions:
                if q.dimension == "country":
                    row.append("norway")
                elif q.scale == "choice":
                    options = q.options_for("norway")
                    row.append(options[i % len(options)].id)
                elif q.block == "interest":
                    row.append(str(max(1, min(5, round(bias[q.dimension] + rnd.gauss(0, 0.7))))))
                else:
                    row.append(str(rnd.randint(1, 5)))
            writer.writerow(row)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    ensure_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "class.csv"
        generate(path, n)
        print(f"{n:,} respondents, {path.stat().st_size / 1e6:.1f} MB")
        reads = []
        for _ in range(RUNS):
            start = time.perf_counter()
            with path.open(encoding="utf-8", newline="") as handle:
                for _ in csv.reader(handle):
                    pass
            reads.append(time.perf_counter() - start)
        read = statistics.median(reads)
        report(f"csv module, just reading (median of {RUNS})", read * 1000, "ms")
        # the same read as a command, as `jobkompas batch` is one (Python's own start-up included)
        script = f"import csv\nfor _ in csv.reader(open({str(path)!r}, newline='', encoding='utf-8')): pass"
        command_reads = []
        for _ in range(RUNS):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", script], check=True)
            command_reads.append(time.perf_counter() - start)
        command_read = statistics.median(command_reads)
        report("python -c '<the same read>'", command_read * 1000, "ms")
        env = bench_env(tmp)
        subprocess.run([jobkompas(), "validate"], env=env, capture_output=True)  # warm the cache
        runs = []
        for _ in range(RUNS):
            start = time.perf_counter()
            done = subprocess.run([jobkompas(), "batch", str(path), "--out", str(Path(tmp) / "out.csv")],
                                  env=env, capture_output=True, text=True)
            runs.append(time.perf_counter() - start)
        took = statistics.median(runs)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        report(f"jobkompas batch, CSV out (median of {RUNS})", took * 1000, "ms", read * 1000, 4.0)
        report("  the same, against the read as a command", took * 1000, "ms", command_read * 1000)
        print(f"{'  rows per second':<44} {n / took:9,.0f}")
        print(f"{'peak memory (largest single process)':<44} {peak_mb:9.1f} MB   (goal < 300 MB: "
              f"{'ok' if peak_mb < 300 else 'MISSED'})")
        together = tree_peak_rss([jobkompas(), "batch", str(path), "--out", str(Path(tmp) / "out.csv")], env)
        if together is not None:
            print(f"{'peak memory (PSS), all its processes together':<44} {together:9.1f} MB   (sampled every 2 ms; "
                  f"goal < 300 MB: {'ok' if together < 300 else 'MISSED'})")
        print(done.stderr.strip().splitlines()[-1] if done.stderr else "")


def tree_peak_rss(command: list[str], env: dict) -> float | None:
    """Largest sum of memory (PSS) over a command and its child processes (Linux /proc): a
    large file is scored by several processes, so the largest single one is not the whole."""
    if not Path("/proc/self/task").exists():
        return None

    def rss_kb(pid: int) -> int:
        """Proportional set size: pages shared after the fork count once over the processes
        (resident sizes would count them in each)."""
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def tree(pid: int) -> list[int]:
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return [pid]
        return [pid] + [p for child in children for p in tree(int(child))]

    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, sum(rss_kb(p) for p in tree(process.pid)))
        time.sleep(0.002)
    return peak / 1024


if __name__ == "__main__":
    main()
