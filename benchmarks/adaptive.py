"""Simulated respondents: adaptive vs mini vs standard form, each against the full bank.

    python benchmarks/adaptive.py [N] [--seed S]    (seed 7 by default; about a minute for 1,000)

Response model (docs/method.md): a respondent is drawn around a random occupation's O*NET
interest profile: true level per type theta_t = 1 + (OI_t - 1) * 4/6 + N(0, 0.5) on the 1–5
scale. Each item i has a fixed offset b_i ~ N(0, 0.35) (some activities are simply more
liked). An answer is round(theta_t + b_i + N(0, 0.8)) clipped to 1–5, or "not sure" with
probability 0.03. Only the interest block is simulated (traits and education are the same
for every form). Rankings are by interest fit, the part the forms differ in.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

from jobkompas import api
from jobkompas.adaptive import START_ITEMS, next_interest_item, remaining_estimate
from jobkompas.questions import RIASEC
from jobkompas.scoring import build_profile, rank


def simulate(n: int, seed: int = 7) -> None:
    bank = api.load_bank()
    catalogue = api.load_catalogue()
    columns = catalogue.columns
    items = bank.by_block("interest")
    rng = np.random.default_rng(seed)
    offsets = {q.id: rng.normal(0, 0.35) for q in items}
    occupations = list(catalogue.occupations.values())
    standard = [q.id for q in bank.form("standard") if q.block == "interest"]
    forms = {"fixed-18": standard[:18],  # a balanced fixed form as long as the adaptive median
             "mini": [q.id for q in bank.form("mini") if q.block == "interest"],
             "standard": standard}
    results = {name: {"items": [], "overlap": [], "code": [], "first": [], "corr": []}
               for name in ("adaptive", "fixed-18", "mini", "standard")}
    guess_errors = []  # "about N more" after the balanced start against what was really asked
    started = time.perf_counter()
    for _ in range(n):
        occ = occupations[rng.integers(len(occupations))]
        theta = {t: 1 + (v - 1) * 4 / 6 + rng.normal(0, 0.5) for t, v in zip(RIASEC, occ.interests)}
        full = {}
        for q in items:
            if rng.random() < 0.03:
                full[q.id] = "unsure"
            else:
                full[q.id] = int(np.clip(round(theta[q.dimension] + offsets[q.id] + rng.normal(0, 0.8)), 1, 5))
        reference = build_profile(full, bank)
        ref_top = {columns.ids[i] for _, i, _ in rank(reference, columns)[:10]}
        ref_scores = [reference.scores[t] for t in RIASEC]
        asked_sets = dict(forms)
        values: dict = {}
        guess = None
        while (q := next_interest_item(values, bank, catalogue)) is not None:
            values[q.id] = full[q.id]
            if len(values) == START_ITEMS:
                guess = remaining_estimate(values, bank, catalogue)
        if guess is not None:
            guess_errors.append(guess - (len(values) - START_ITEMS))
        asked_sets["adaptive"] = list(values)
        for name, ids in asked_sets.items():
            profile = build_profile({i: full[i] for i in ids}, bank)
            top = {columns.ids[i] for _, i, _ in rank(profile, columns)[:10]}
            r = results[name]
            r["items"].append(len(ids))
            r["overlap"].append(len(top & ref_top) / 10)
            r["code"].append(profile.holland == reference.holland)
            r["first"].append(profile.holland[0] == reference.holland[0])
            scores = [profile.scores[t] for t in RIASEC]
            if np.std(scores) > 0 and np.std(ref_scores) > 0:
                r["corr"].append(float(np.corrcoef(scores, ref_scores)[0, 1]))
    took = time.perf_counter() - started
    print(f"{n} simulated respondents (seed {seed}), full bank = {len(items)} interest items, {took:.0f} s")
    print(f"{'form':<10} {'items med':>9} {'p90':>5} {'top-10 overlap':>15} {'code =':>7} {'1st =':>6} {'profile r':>10}")
    for name, r in results.items():
        p90 = float(np.percentile(r["items"], 90))
        print(f"{name:<10} {statistics.median(r['items']):9.0f} {p90:5.0f} {statistics.fmean(r['overlap']):15.3f} "
              f"{statistics.fmean(r['code']):7.2f} {statistics.fmean(r['first']):6.2f} {statistics.fmean(r['corr']):10.3f}")
    lengths = np.array(results["adaptive"]["items"])
    print(f"adaptive lengths: {np.mean(lengths <= 18):.1%} done by 18 items, {np.mean(lengths <= 30):.1%} by 30, "
          f"mean {lengths.mean():.1f}, longest {lengths.max()}")
    print(f"adaptive 'about N more' after the {START_ITEMS}-item balanced start: mean error "
          f"{statistics.fmean(guess_errors):+.1f}, mean absolute error "
          f"{statistics.fmean(abs(e) for e in guess_errors):.1f} items")
    a, m = results["adaptive"], results["mini"]
    checks = [
        ("median items ≤ 18", statistics.median(a["items"]) <= 18),
        ("90th percentile ≤ 30", float(np.percentile(a["items"], 90)) <= 30),
        ("top-10 overlap ≥ mini form's", statistics.fmean(a["overlap"]) >= statistics.fmean(m["overlap"])),
        ("profile correlation ≥ 0.95", statistics.fmean(a["corr"]) >= 0.95),
    ]
    for label, ok in checks:
        print(f"goal: {label:<32} {'ok' if ok else 'MISSED'}")


if __name__ == "__main__":
    args = sys.argv[1:]
    seed = 7
    if "--seed" in args:
        at = args.index("--seed")
        seed = int(args[at + 1])
        del args[at:at + 2]
    simulate(int(args[0]) if args else 1000, seed)
