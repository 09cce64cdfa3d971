"""The adaptive interest block: ask what changes the ranking, stop when the top 10 is settled.

What the student finally gets is ranked from the plain mean of their answers per type
(scoring.build_profile), so the question each step answers is: how well does the top 10 from
the answers so far agree with the top 10 the student would get from the *whole* bank of 90
interest items? Model (docs/method.md):

- A type's level has a normal prior centred on the student's mean over all answers so far
  (sd ``PRIOR_SD`` on the 1–5 scale); each answer is the level plus noise (sd ``ANSWER_SD``,
  covering both how items of one type differ and how a student answers).
- The whole-bank mean of a type mixes the answers already given (known) with the items not
  yet asked (level + noise each). That gives a prediction, with an uncertainty, of the
  profile the full bank would give.

Start: one round of R I A S E C, then a second. Selection: the type whose next answer is
expected to settle the top-10 boundary most, counting that an answer also turns one unknown
item of the whole bank into a known one. Stopping: draw ``SAMPLES`` whole-bank profiles from
the prediction (seeded, so the quiz is deterministic), rank each, and take the share of the
current top 10 they keep on average — the expected top-10 overlap. It is checked only at the
lengths in ``STOP_CHECKS``, against that length's threshold; whoever is still unsettled after
the last check answers the rest of the bank (``MAX_ITEMS``) or, in the wizard, skips it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from . import rules
from .questions import RIASEC, UNSURE, Question, QuestionBank

PRIOR_SD = 1.0
ANSWER_SD = 0.9
START_PER_TYPE = 2
START_ITEMS = 6 * START_PER_TYPE  # the balanced start; the estimate of stability begins after it
SAMPLES = 200
TOP = 10
SEED = 20261122

# When to check whether to stop (number of interest items asked -> the expected top-10
# overlap needed to stop there). The length goal is: half the students done by 18
# interest items, nine in ten by 30. Stopping before 18 would not help that goal and costs
# agreement, so the first check is at 18, where the settled half (a little more, for a
# margin) stops; at 30 all but the least settled tenth stop. Those are students whose answers
# leave many occupations nearly tied: for them every further answer moves the ranking, so
# they answer the rest of the bank (or choose to skip it) (docs/method.md has the measured trade-off against
# stopping them at 60 or 75). Checking only at these lengths, not after every answer, also
# keeps the quiz from stopping on a lucky fluctuation of the estimate. The bars were tuned
# on simulated seeds 11 and 13 (about 54 % stop at 18 and 92 % by 30) and checked on 7 and 42.
STOP_CHECKS = {18: 0.31, 30: 0.255}
MIN_ITEMS = min(STOP_CHECKS)
MAX_ITEMS = 90  # the whole interest bank
# Typical rise of the expected overlap per extra answer (benchmarks/adaptive.py), used only
# for the "about N more" shown to the student.
OVERLAP_GAIN_PER_ITEM = 0.012
TYPICAL_LENGTH = 18  # the median length there, the guess while the balanced start runs


@dataclass
class AdaptiveState:
    asked: int
    stability: float | None  # expected top-10 overlap with the whole bank's (0–1)
    done: bool


@dataclass
class _TypeTally:
    answered: list[int]  # answers other than "not sure"
    unasked: int  # items of the type not asked yet


def _tallies(values: Mapping[str, Any], bank: QuestionBank) -> list[_TypeTally]:
    tallies = {t: _TypeTally([], 0) for t in RIASEC}
    for q in bank.by_block("interest"):
        if q.id not in values:
            tallies[q.dimension].unasked += 1
        elif values[q.id] != UNSURE:
            tallies[q.dimension].answered.append(values[q.id])
    return [tallies[t] for t in RIASEC]


def _asked_interest(values: Mapping[str, Any], bank: QuestionBank) -> int:
    return sum(1 for qid in values if qid in bank.questions and bank.questions[qid].block == "interest")


def current_profile(tallies: list[_TypeTally]) -> list[float]:
    """The plain means on the 1–5 scale, a type without answers at the mean of the others
    (as scoring.build_profile does), so the ranking here is the one the student gets."""
    means = [sum(t.answered) / len(t.answered) if t.answered else None for t in tallies]
    known = [m for m in means if m is not None]
    fill = sum(known) / len(known) if known else 3.0
    return [fill if m is None else m for m in means]


def whole_bank_prediction(tallies: list[_TypeTally]) -> tuple[list[float], list[float]]:
    """Mean and sd (1–5 scale) of each type's mean over the whole bank, given the answers."""
    everything = [v for t in tallies for v in t.answered]
    prior_mean = sum(everything) / len(everything) if everything else 3.0
    means, sds = [], []
    for t in tallies:
        n, u = len(t.answered), t.unasked
        precision = 1 / PRIOR_SD ** 2 + n / ANSWER_SD ** 2
        level = (prior_mean / PRIOR_SD ** 2 + sum(t.answered) / ANSWER_SD ** 2) / precision
        total = n + u
        if total == 0:
            means.append(level)
            sds.append(0.0)
            continue
        # known answers + u future answers (level + noise each), averaged over all n + u
        means.append((sum(t.answered) + u * level) / total)
        sds.append((u * u / precision + u * ANSWER_SD ** 2) ** 0.5 / total)
    return means, sds


class _Ranker:
    """Top-10 sets for many profiles at once (the interest fit, as it drives the ranking, with
    the activity links of the answers given: rules.linked_score on that fit), over the occupations
    recommended in the student's country."""

    def __init__(self, catalogue, country: str | None = None) -> None:
        import numpy as np

        from .scoring import config

        self.np = np
        columns = catalogue.columns
        keep = [not out for out in columns.left_out[columns.country(country)]]
        self.U = np.array(columns.interest_unit)[np.array(keep, dtype=bool)]
        self.units = [(unit, oid) for unit, oid, kept in zip(columns.units, columns.ids, keep) if kept]
        self.link_weight = config()["weights"]["activity_link"]

    def signal(self, values: Mapping[str, Any], bank: QuestionBank):
        """Every occupation's activity signal from the answers given (scoring.activity_signals),
        or ``None`` when no linked item was answered."""
        from .scoring import activity_signals, occupation_signal

        signals = activity_signals(values, bank)
        if not signals:
            return None
        return self.np.array([occupation_signal(signals, unit, oid) or 0.0 for unit, oid in self.units])

    def fits(self, profiles, signal=None):
        np = self.np
        P = np.atleast_2d(np.asarray(profiles, dtype=float))
        centred = P - P.mean(axis=1, keepdims=True)
        norm = np.linalg.norm(centred, axis=1, keepdims=True)
        unit = np.divide(centred, norm, out=np.zeros_like(centred), where=norm > 1e-9)
        fit = rules.interest_fit(unit @ self.U.T)
        if signal is not None:
            fit = rules.linked_score(100 * fit, signal[None, :], self.link_weight, where=np.where) / 100
        return fit

    def top_mask(self, profiles, signal=None):
        """Boolean (profiles, occupations): in that profile's top 10."""
        np = self.np
        fit = self.fits(profiles, signal)
        top = np.argpartition(-fit, TOP - 1, axis=1)[:, :TOP]
        mask = np.zeros(fit.shape, dtype=bool)
        np.put_along_axis(mask, top, True, axis=1)
        return mask

    def boundary_information(self, estimate: list[float], var: list[float], after: list[float]) -> list[float]:
        """Per type: how much one more answer is expected to settle the top-10 boundary.

        For each pair (a in the top 10, b in places 11–20) the margin fit_a - fit_b has a
        gradient g over the six type scores; its variance is sum_t g_t^2 var_t. Pairs that
        could flip (small margin for their uncertainty) weigh most. An answer of type t
        lowers var_t to after_t; its value is the weighted reduction of the margins' variance.
        """
        np = self.np
        s = np.asarray(estimate, dtype=float)
        var = np.asarray(var, dtype=float)
        c = s - s.mean()
        norm = np.linalg.norm(c)
        if norm < 1e-9:
            return [float(x) for x in var - np.asarray(after)]
        p = c / norm
        fit = self.U @ p  # the correlation: interest fit is (1 + it) / 2, and only differences count here
        order = np.argsort(-fit)
        a, b = order[:TOP], order[TOP:2 * TOP]
        grad = (self.U - np.outer(fit, p)) / norm  # d fit_j / d s_t, (occupations, 6)
        g = grad[a][:, None, :] - grad[b][None, :, :]  # (10, 10, 6)
        margin = fit[a][:, None] - fit[b][None, :]
        total_var = (g ** 2 * var).sum(axis=2) + 1e-12
        weight = np.exp(-margin ** 2 / (2 * total_var)) / np.sqrt(total_var)
        reduction = var - np.asarray(after, dtype=float)
        return [float(x) for x in (weight[:, :, None] * g ** 2 * reduction).sum(axis=(0, 1))]


_rankers: dict[tuple[int, str | None], _Ranker] = {}


def _ranker(catalogue, values: Mapping[str, Any] | None = None) -> _Ranker:
    country = (values or {}).get("EDU-country")
    key = (id(catalogue), country)
    if key not in _rankers:
        _rankers[key] = _Ranker(catalogue, country)
    return _rankers[key]


def expected_overlap(tallies: list[_TypeTally], ranker: _Ranker, asked: int, signal=None) -> float:
    """Share of the current top 10 expected in the whole bank's top 10 (Monte Carlo). The
    activity ``signal`` of the answers given applies to both (the unasked items' links are
    not predicted)."""
    np = ranker.np
    profile = current_profile(tallies)
    if max(profile) - min(profile) < 1e-9:
        # every answer so far the same: there is no interest ranking to settle yet (the
        # final list would leave the interest part out, rules.ranks_without_interests)
        return 0.0
    mean, sd = whole_bank_prediction(tallies)
    rng = np.random.default_rng(SEED + asked)
    draws = np.asarray(mean) + rng.standard_normal((SAMPLES, 6)) * np.asarray(sd)
    current = ranker.top_mask([profile], signal)[0]
    return float(ranker.top_mask(draws, signal)[:, current].sum(axis=1).mean() / TOP)


def assess(values: Mapping[str, Any], bank: QuestionBank, catalogue) -> AdaptiveState:
    tallies = _tallies(values, bank)
    asked = _asked_interest(values, bank)
    if asked < START_ITEMS:
        return AdaptiveState(asked, None, False)
    ranker = _ranker(catalogue, values)
    stability = expected_overlap(tallies, ranker, asked, ranker.signal(values, bank))
    threshold = STOP_CHECKS.get(asked)
    settled = threshold is not None and stability >= threshold
    return AdaptiveState(asked, stability, settled or asked >= MAX_ITEMS)


def item_values(tallies: list[_TypeTally], ranker: _Ranker) -> list[float]:
    """Per type, what one more answer is worth for the top-10 boundary."""
    var, after = [], []
    for t in tallies:
        n, total = len(t.answered), len(t.answered) + t.unasked
        # error of the plain mean against the whole-bank mean: ANSWER_SD^2 (1/n - 1/total)
        var.append(ANSWER_SD ** 2 * (1 / max(n, 1) - 1 / max(total, 1)))
        after.append(ANSWER_SD ** 2 * (1 / (n + 1) - 1 / max(total, 1)) if t.unasked else var[-1])
    return ranker.boundary_information(current_profile(tallies), var, after)


def next_interest_item(values: Mapping[str, Any], bank: QuestionBank, catalogue) -> Question | None:
    """The next interest item to ask, or ``None`` when the interest block is done."""
    by_type_items = {t: [q for q in bank.by_block("interest") if q.dimension == t] for t in RIASEC}
    unasked = {t: [q for q in items if q.id not in values] for t, items in by_type_items.items()}
    asked_per_type = {t: len(by_type_items[t]) - len(unasked[t]) for t in RIASEC}
    asked = sum(asked_per_type.values())
    if asked >= MAX_ITEMS or not any(unasked.values()):
        return None
    for round_ in range(START_PER_TYPE):  # balanced start: R I A S E C, then again
        for t in RIASEC:
            if asked_per_type[t] <= round_ and unasked[t]:
                return unasked[t][0]
    if asked in STOP_CHECKS and assess(values, bank, catalogue).done:
        return None
    value = item_values(_tallies(values, bank), _ranker(catalogue, values))
    candidates = [k for k, t in enumerate(RIASEC) if unasked[t]]
    best = max(candidates, key=lambda k: (value[k], -k))
    return unasked[RIASEC[best]][0]


def may_skip_rest(values: Mapping[str, Any], bank: QuestionBank) -> bool:
    """Past the last check, the block runs to the whole bank: a student may choose to skip
    the rest (and get a less certain list) rather than answer up to 60 more."""
    return _asked_interest(values, bank) >= max(STOP_CHECKS)


def remaining_estimate(values: Mapping[str, Any], bank: QuestionBank, catalogue) -> int:
    """About how many more interest items: the first check the expected overlap should pass,
    if it keeps rising at its typical rate (an honest guess, not a promise)."""
    state = assess(values, bank, catalogue)
    if state.done:
        return 0
    if state.stability is None:
        return TYPICAL_LENGTH - state.asked
    ahead = [(check, bar) for check, bar in sorted(STOP_CHECKS.items()) if check > state.asked]
    for check, threshold in ahead:
        if state.stability + OVERLAP_GAIN_PER_ITEM * (check - state.asked) >= threshold:
            return check - state.asked
    # Nine in ten stop by the last check, so that is the guess until it has been missed;
    # only then is the rest of the bank announced.
    return (ahead[-1][0] if ahead else MAX_ITEMS) - state.asked
