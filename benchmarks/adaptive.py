"""Simulated respondents: adaptive vs mini vs standard form, each against the full bank.

    python benchmarks/adaptive.py [N] [--seed S]    (seed 7 by default; about a minute for 1,000)
    python benchmarks/adaptive.py [N] --seeds 1,2,3  (one summary line per seed, then the spread)

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


def simulate(n: int, seed: int = 7, quiet: bool = False) -> dict:
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
    a, m = results["adaptive"], results["mini"]
    # Each simulated student answers every form, so the comparison is paired: its standard
    # error is that of the per-student differences (about 0.009 for 1,000 students).
    differences = np.array(a["overlap"]) - np.array(m["overlap"])
    lengths = np.array(a["items"])
    summary = {"seed": seed, "adaptive": statistics.fmean(a["overlap"]), "mini": statistics.fmean(m["overlap"]),
               "difference": float(differences.mean()),
               "se": float(differences.std(ddof=1) / np.sqrt(len(differences))),
               "by18": float(np.mean(lengths <= 18)), "by30": float(np.mean(lengths <= 30)),
               "median": statistics.median(lengths), "p90": float(np.percentile(lengths, 90)),
               "r": statistics.fmean(a["corr"])}
    if quiet:
        return summary
    print(f"{n} simulated respondents (seed {seed}), full bank = {len(items)} interest items, {took:.0f} s")
    print(f"{'form':<10} {'items med':>9} {'p90':>5} {'top-10 overlap':>15} {'code =':>7} {'1st =':>6} {'profile r':>10}")
    for name, r in results.items():
        p90 = float(np.percentile(r["items"], 90))
        print(f"{name:<10} {statistics.median(r['items']):9.0f} {p90:5.0f} {statistics.fmean(r['overlap']):15.3f} "
              f"{statistics.fmean(r['code']):7.2f} {statistics.fmean(r['first']):6.2f} {statistics.fmean(r['corr']):10.3f}")
    print(f"adaptive − mini top-10 overlap: {summary['difference']:+.3f} "
          f"(paired standard error {summary['se']:.3f})")
    print(f"adaptive lengths: {np.mean(lengths <= 18):.1%} done by 18 items, {np.mean(lengths <= 30):.1%} by 30, "
          f"mean {lengths.mean():.1f}, longest {lengths.max()}")
    print(f"adaptive 'about N more' after the {START_ITEMS}-item balanced start: mean error "
          f"{statistics.fmean(guess_errors):+.1f}, mean absolute error "
          f"{statistics.fmean(abs(e) for e in guess_errors):.1f} items")
    checks = [
        ("median items ≤ 18", statistics.median(a["items"]) <= 18),
        ("90th percentile ≤ 30", float(np.percentile(a["items"], 90)) <= 30),
        ("top-10 overlap ≥ mini form's", statistics.fmean(a["overlap"]) >= statistics.fmean(m["overlap"])),
        ("profile correlation ≥ 0.95", statistics.fmean(a["corr"]) >= 0.95),
    ]
    for label, ok in checks:
        print(f"goal: {label:<32} {'ok' if ok else 'MISSED'}")
    return summary


def over_seeds(n: int, seeds: list[int]) -> None:
    """The goals depend on the simulated bank (its item offsets) and on the sample: one line per
    seed, then how the difference from the mini form spreads across them."""
    print(f"{'seed':>5} {'by 18':>6} {'by 30':>6} {'adaptive':>9} {'mini':>6} {'difference':>11} {'± se':>6} {'r':>6}")
    rows = []
    for seed in seeds:
        s = simulate(n, seed, quiet=True)
        rows.append(s)
        print(f"{seed:>5} {s['by18']:6.1%} {s['by30']:6.1%} {s['adaptive']:9.3f} {s['mini']:6.3f} "
              f"{s['difference']:+11.3f} {s['se']:6.3f} {s['r']:6.3f}", flush=True)
    diffs = [s["difference"] for s in rows]
    print(f"adaptive ≥ mini on {sum(d >= 0 for d in diffs)} of {len(diffs)} seeds; mean difference "
          f"{statistics.fmean(diffs):+.3f}, lowest {min(diffs):+.3f}; length goals met on "
          f"{sum(s['median'] <= 18 and s['p90'] <= 30 for s in rows)} of {len(rows)}")


if __name__ == "__main__":
    args = sys.argv[1:]
    seed = 7
    if "--seeds" in args:
        at = args.index("--seeds")
        seeds = [int(x) for x in args[at + 1].split(",")]
        del args[at:at + 2]
        over_seeds(int(args[0]) if args else 1000, seeds)
        sys.exit()
    if "--seed" in args:
        at = args.index("--seed")
        seed = int(args[at + 1])
        del args[at:at + 2]
    simulate(int(args[0]) if args else 1000, seed)
