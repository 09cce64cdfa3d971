"""How good is the list a student gets? Three seeded benchmarks through the public API.

    python benchmarks/quality.py [--seed S] [--mirror N] [--retest N]

1. Mirror students. For each occupation recommended in Norway (or a seeded sample of N), a
   student whose answers follow that occupation's own O*NET figures: on the standard form,
   interest item answers round(1 + (OI_t − 1)·4/6 + b_i + e) with a fixed item offset
   b_i ~ N(0, 0.35) and noise e ~ N(0, 0.5); trait statements round(3 + z + e) where z is
   the occupation's catalogue z-score of that trait from O*NET work styles (estimated
   figures are not used: a student without O*NET figures gets z ~ N(0, 1)); the highest
   education the level of the occupation's path in Norway (Catalogue.path_level, 4 read as
   3), or with ``--mirror-education onet`` its US level from O*NET. Reported: the share that find
   their own occupation in the top 10 and top 20, and the share of all top-10 places held
   by occupations whose work styles are estimated or missing, against their share of the
   catalogue.
2. Personas (benchmarks/personas.yaml): students described in words by a counsellor, each
   answering the standard form item by item as written there (per type, in the form's
   order), with the occupations a counsellor would expect. Reported: the rank of the best expected occupation and of each.
3. Retest. A student drawn around a random occupation (true level per type 1 + (OI − 1)·4/6
   + N(0, 0.5), trait level 3 + z + N(0, 0.7)) answers the standard form twice with fresh
   answer noise (N(0, 0.8) per interest answer, N(0, 0.6) per trait statement): the share of
   the first top 10 that is in the second, and how that depends on a place's distance in
   score from the 10th place (what the result screen uses to show near-ties and to say how
   sure a list is).

Only the public API is used, so the same script measures any version of jobkompas
(PYTHONPATH=<other checkout>/src). Occupations marked ``not_recommended`` for Norway in this
checkout's files are never mirror targets or persona expectations, in any version.
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import yaml

from jobkompas import api

HERE = Path(__file__).resolve().parent
COUNTRY = "norway"


def marked_left_out(country: str) -> set[str]:
    """Occupations this checkout marks as not recommended in ``country``."""
    out = set()
    for path in sorted((HERE.parent / "occupations").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if not re.search(r"^not_recommended:", text, re.M):
            continue
        node = (yaml.safe_load(text) or {}).get("not_recommended") or {}
        if country in (node.get("countries") or ["norway", "denmark", "other"]):
            out.add(path.stem)
    return out


def onet_z(catalogue, traits: dict[str, tuple[str, ...]]) -> dict[str, dict[str, float]]:
    """Per occupation with O*NET's own work styles: each trait's catalogue z-score."""
    own = {o.id: o for o in catalogue.occupations.values()
           if o.work_styles and not getattr(o, "work_styles_source", "")}
    importance = {oid: {t: statistics.mean(o.work_styles[s] for s in styles if s in o.work_styles)
                        for t, styles in traits.items() if any(s in o.work_styles for s in styles)}
                  for oid, o in own.items()}
    z: dict[str, dict[str, float]] = {oid: {} for oid in importance}
    for t in traits:
        values = [v[t] for v in importance.values() if t in v]
        mean, sd = statistics.mean(values), statistics.pstdev(values) or 1.0
        for oid, v in importance.items():
            if t in v:
                z[oid][t] = (v[t] - mean) / sd
    return z


def estimated(occ) -> bool:
    return not occ.work_styles or bool(getattr(occ, "work_styles_source", ""))


class Setup:
    def __init__(self, seed: int) -> None:
        from jobkompas.questions import TRAIT_WORK_STYLES

        self.bank = api.load_bank()
        self.catalogue = api.load_catalogue()
        self.rng = np.random.default_rng(seed)
        form = self.bank.form("standard")
        self.interest_items = [q for q in form if q.block == "interest"]
        self.trait_items = [q for q in form if q.block == "trait"]
        self.offsets = {q.id: self.rng.normal(0, 0.35) for q in self.interest_items}
        self.z = onet_z(self.catalogue, TRAIT_WORK_STYLES)
        self.left_out = marked_left_out(COUNTRY)
        # occupations an activity of the standard form is everyday work of (its links less its
        # not_for; older versions: its links alone)
        def linked(q, occ) -> bool:
            unit = occ.codes.get("isco08")
            return q.links_to(unit, occ.id) if hasattr(q, "links_to") else unit in getattr(q, "links", ())
        self.linked = {o.id for o in self.catalogue.occupations.values()
                       if o.id not in self.left_out and any(linked(q, o) for q in self.interest_items)}
        levels = self.bank.education("highest_level").options_for(COUNTRY)
        self.level_options = sorted(levels, key=lambda o: o.isced)

    def highest_for(self, isced: int) -> str:
        level = 3 if isced == 4 else isced
        return next((o.id for o in self.level_options if o.isced >= level), self.level_options[-1].id)

    def top(self, values: dict, n: int = 20) -> list[tuple[str, float]]:
        answers = api.new_answers(values, bank=self.bank, country=COUNTRY)
        result = api.score(answers, top=n, bank=self.bank, catalogue=self.catalogue)
        return [(m.occupation.id, m.score) for m in result.matches]


def clip(x: float) -> int:
    return int(min(5, max(1, round(x))))


def mirror(s: Setup, count: int | None, education: str = "path") -> dict:
    targets = [o for o in s.catalogue.occupations.values() if o.id not in s.left_out]
    if count is not None and count < len(targets):
        targets = [targets[k] for k in sorted(s.rng.choice(len(targets), count, replace=False))]
    types = "RIASEC"
    in10 = in20 = 0
    places = est_places = 0
    for occ in targets:
        level = {t: 1 + (occ.interests[k] - 1) * 4 / 6 for k, t in enumerate(types)}
        values = {q.id: clip(level[q.dimension] + s.offsets[q.id] + s.rng.normal(0, 0.5)) for q in s.interest_items}
        z = s.z.get(occ.id) or {}
        fallback = {}
        for q in s.trait_items:
            t = q.dimension
            if t not in z and t not in fallback:
                fallback[t] = s.rng.normal(0, 1)
            level = 3 + z.get(t, fallback.get(t, 0.0)) + s.rng.normal(0, 0.5)
            values[q.id] = clip(6 - level if q.reverse else level)  # a reverse-keyed statement: disagree
        level = s.catalogue.path_level(occ, COUNTRY) if education == "path" else occ.isced
        values["EDU-highest"] = s.highest_for(level)
        top = [oid for oid, _ in s.top(values)]
        in10 += occ.id in top[:10]
        in20 += occ.id in top[:20]
        places += len(top[:10])
        est_places += sum(estimated(s.catalogue.occupations[oid]) for oid in top[:10])
    recommended = [o for o in s.catalogue.occupations.values() if o.id not in s.left_out]
    share = sum(estimated(o) for o in recommended) / len(recommended)
    return {"students": len(targets), "top10": in10 / len(targets), "top20": in20 / len(targets),
            "estimated_places": est_places / max(places, 1), "estimated_share": share}


def personas(s: Setup) -> list[dict]:
    data = yaml.safe_load((HERE / "personas.yaml").read_text(encoding="utf-8"))
    out = []
    for p in data["personas"]:
        values: dict = {}
        for t in "RIASEC":  # the standard form's items of this type, in the form's order
            digits = p["interests"][t].replace(" ", "")
            items = [q for q in s.interest_items if q.dimension == t]
            assert len(digits) == len(items), (p["id"], t, len(items))
            for q, d in zip(items, digits):
                values[q.id] = "unsure" if d == "?" else int(d)
        for qid, value in (p.get("answers") or {}).items():  # by question id
            assert qid in s.bank.questions and qid not in s.bank.retired, (p["id"], qid)
            values[qid] = value
        traits = p.get("traits") or {}
        for q in s.trait_items:  # statements 1 and 2 of each trait; unlisted traits: 3, 3
            digits = str(traits.get(q.dimension, "33"))
            value = int(digits[1 if q.reverse else 0])  # how much the student has the trait
            values[q.id] = 6 - value if q.reverse else value  # a reverse-keyed statement: the other way
        if p.get("highest"):
            values["EDU-highest"] = p["highest"]
        if p.get("route"):
            values["EDU-route"] = p["route"]
        answers = api.new_answers(values, bank=s.bank, country=p.get("country", COUNTRY))
        result = api.score(answers, top=len(s.catalogue), bank=s.bank, catalogue=s.catalogue)
        order = [m.occupation.id for m in result.matches]
        expect = [e for e in p["expect"] if e not in s.left_out]
        ranks = {e: (order.index(e) + 1 if e in order else None) for e in expect}
        found = [r for r in ranks.values() if r is not None]
        out.append({"id": p["id"], "best": min(found) if found else None, "ranks": ranks,
                    "top3": order[:3], "result": result})
    return out


def explain_miss(p: dict) -> None:
    """Why a persona misses: their profile, then the parts of the score (interest, traits,
    education, each 0–100) of the top 3 and of each expected occupation."""
    result = p["result"]
    prof = result.profile
    print(f"\n{p['id']}: {' '.join(f'{t} {v:g}' for t, v in prof.scores.items())}  code {prof.holland}  "
          f"traits {' '.join(f'{t[:5]} {v:g}' for t, v in prof.traits.items())}  "
          f"education {prof.education.highest_isced}/{prof.education.route}")
    rows = result.matches[:3] + [m for m in result.matches if m.occupation.id in p["ranks"]]
    for m in rows:
        c = m.match.components
        parts = " ".join(f"{name} {'-' if v is None else f'{100 * v:.1f}'}"
                         for name, v in (("interest", c.interest), ("traits", c.traits), ("education", c.education)))
        interests = " ".join(f"{v:.1f}" for v in m.occupation.interests)
        print(f"  {m.rank:>4} {m.occupation.id:<34} {m.score:5.1f}  {parts}  O*NET {interests}  "
              f"key traits {','.join(m.occupation.key_traits)}")


def retest(s: Setup, count: int) -> dict:
    occupations = [o for o in s.catalogue.occupations.values() if o.id not in s.left_out]
    overlaps = []
    by_gap: dict[str, list[int]] = {}
    gap_edges = (0.5, 1.0, 2.0, 4.0, math.inf)
    kept_by_rank = [[] for _ in range(10)]
    flips: dict[str, list[bool]] = {}
    linked_places = places = 0
    for _ in range(count):
        occ = occupations[s.rng.integers(len(occupations))]
        theta = {t: 1 + (occ.interests[k] - 1) * 4 / 6 + s.rng.normal(0, 0.5) for k, t in enumerate("RIASEC")}
        z = s.z.get(occ.id) or {}
        trait = {q.dimension: 3 + z.get(q.dimension, s.rng.normal(0, 1)) + s.rng.normal(0, 0.7) for q in s.trait_items}
        highest = s.highest_for(occ.isced)

        def answer() -> dict:
            values = {q.id: clip(theta[q.dimension] + s.offsets[q.id] + s.rng.normal(0, 0.8)) for q in s.interest_items}
            for q in s.trait_items:
                level = trait[q.dimension] + s.rng.normal(0, 0.6)
                values[q.id] = clip(6 - level if q.reverse else level)
            values["EDU-highest"] = highest
            return values

        first, second = s.top(answer(), 10), s.top(answer(), 10)
        if len(first) < 10 or len(second) < 10:
            continue
        again = {oid for oid, _ in second}
        where = {oid: k for k, (oid, _) in enumerate(second)}
        for (a, sa), (b, sb) in zip(first, first[1:]):  # neighbours: does their order hold?
            if a in where and b in where:
                label = next(f"< {edge:g}" for edge in gap_edges if sa - sb < edge)
                flips.setdefault(label, []).append(where[a] > where[b])
        overlaps.append(sum(oid in again for oid, _ in first) / 10)
        places += len(first)
        linked_places += sum(oid in s.linked for oid, _ in first)
        tenth = first[9][1]
        for rank, (oid, score) in enumerate(first):
            kept_by_rank[rank].append(oid in again)
            gap = score - tenth
            label = next(f"< {edge:g}" for edge in gap_edges if gap < edge)
            by_gap.setdefault(label, []).append(oid in again)
    linked_share = len(s.linked) / len(occupations)
    return {"students": len(overlaps), "overlap": statistics.mean(overlaps),
            "linked_places": linked_places / max(places, 1), "linked_share": linked_share,
            "overlap_sd": statistics.pstdev(overlaps),
            "kept_by_rank": [statistics.mean(k) for k in kept_by_rank],
            "kept_by_gap": {k: (statistics.mean(v), len(v)) for k, v in sorted(by_gap.items(), key=lambda kv: float(kv[0][2:]))},
            "flips": {k: (statistics.mean(v), len(v)) for k, v in sorted(flips.items(), key=lambda kv: float(kv[0][2:]))}}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--mirror", type=int, default=None, help="sample this many mirror students (default: all)")
    parser.add_argument("--retest", type=int, default=200)
    parser.add_argument("--explain", action="store_true",
                        help="for each persona whose expected occupations miss the top 20: profile, parts of the score, what beats them")
    parser.add_argument("--mirror-education", choices=("path", "onet"), default="path",
                        help="mirror students plan the level of the Norwegian path (default) or O*NET's US level")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    s = Setup(args.seed)
    m = mirror(s, args.mirror, args.mirror_education)
    print(f"mirror students ({m['students']}): own occupation in top 10 {m['top10']:.1%}, top 20 {m['top20']:.1%}")
    ratio = m["estimated_places"] / m["estimated_share"] if m["estimated_share"] else float("nan")
    print(f"  top-10 places held by occupations with estimated or missing work styles: {m['estimated_places']:.1%} "
          f"(catalogue share {m['estimated_share']:.1%}, {ratio:.2f}x)")
    ps = personas(s)
    in20 = sum(1 for p in ps if p["best"] is not None and p["best"] <= 20)
    every = sum(1 for p in ps if p["ranks"] and all(r is not None and r <= 20 for r in p["ranks"].values()))
    bests = [p["best"] for p in ps if p["best"] is not None]
    print(f"personas ({len(ps)}): best expected occupation in top 10 {sum(b <= 10 for b in bests)}, "
          f"in top 20 {in20}; every expected one in top 20: {every}; median best rank "
          f"{statistics.median(bests) if bests else float('nan'):g}")
    for p in ps:
        ranks = ", ".join(f"{k} {v if v is not None else '-'}" for k, v in p["ranks"].items())
        flag = "" if p["best"] is not None and p["best"] <= 20 else "   <- not in top 20"
        print(f"  {p['id']:<28} best {p['best'] if p['best'] is not None else '-':>4}   ({ranks}){flag}")
    if args.explain:
        for p in ps:
            if p["best"] is None or p["best"] > 20:
                explain_miss(p)
    r = retest(s, args.retest)
    print(f"retest ({r['students']} students, fresh answer noise): top-10 overlap {r['overlap']:.2f} "
          f"(sd {r['overlap_sd']:.2f})")
    print(f"  top-10 places held by occupations an activity of the standard form links to: {r['linked_places']:.1%} "
          f"(catalogue share {r['linked_share']:.1%}, {r['linked_places'] / r['linked_share']:.2f}x)")
    print("  kept in the second top 10, by place in the first: "
          + " ".join(f"{k + 1}:{v:.2f}" for k, v in enumerate(r["kept_by_rank"])))
    print("  kept, by score above the 10th place: "
          + "; ".join(f"{k} points: {v:.2f} (n={n})" for k, (v, n) in r["kept_by_gap"].items()))
    print("  neighbours in the first top 10 that swap places in the second, by their score gap: "
          + "; ".join(f"{k} points: {v:.2f} (n={n})" for k, (v, n) in r["flips"].items()))
    print(f"({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
