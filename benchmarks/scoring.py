"""Ranking the whole catalogue for one respondent, after load.

    python benchmarks/scoring.py
"""

from __future__ import annotations

import random
import statistics
import time

from jobkompas import api
from jobkompas.scoring import build_profile, rank


def main() -> None:
    bank = api.load_bank()
    catalogue = api.load_catalogue()
    columns = catalogue.columns
    rnd = random.Random(1)
    profiles = []
    for _ in range(200):
        values = {q.id: rnd.randint(1, 5) for q in bank.form("standard") if q.scale != "choice"}
        values.update({"EDU-country": "norway", "EDU-highest": rnd.choice(["no-fagbrev", "no-bachelor", "no-master"])})
        profiles.append((values, build_profile(values, bank)))
    rank_times, full_times = [], []
    for values, profile in profiles:
        start = time.perf_counter()
        rank(profile, columns)
        rank_times.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        api.score(api.new_answers(values, bank=bank), bank=bank, catalogue=catalogue)
        full_times.append((time.perf_counter() - start) * 1000)
    print(f"occupations ranked: {len(catalogue)}")
    print(f"rank whole catalogue, one respondent:   median {statistics.median(rank_times):6.2f} ms "
          f"(goal < 5 ms: {'ok' if statistics.median(rank_times) < 5 else 'MISSED'})")
    print(f"score() incl. profile, top 10, reasons: median {statistics.median(full_times):6.2f} ms")


if __name__ == "__main__":
    main()
