"""The adaptive interest block: ask what changes the ranking, stop when the top 10 is stable.

Model (docs/method.md): a type's score is estimated with a normal prior centred on the
student's mean over all answers so far (sd ``PRIOR_SD`` on the 1–5 scale) and answers as
noisy observations (sd ``ANSWER_SD``). After a balanced start (one item per type, then a
second), the next item is of the type whose remaining uncertainty moves the top 10 most:
for each type we shift its estimate by one posterior sd either way and count how many
occupations enter or leave the top 10. Within a type, items are asked in bank order (the
clearest first). We stop when, over ``SAMPLES`` draws of the profile from its posterior,
the top 10 keeps on average at least ``STABLE_OVERLAP`` of its occupations — or at
``MAX_ITEMS``; never before ``MIN_ITEMS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .questions import RIASEC, UNSURE, Question, QuestionBank

PRIOR_SD = 1.0
ANSWER_SD = 0.9
START_PER_TYPE = 2
MIN_ITEMS = 12
MAX_ITEMS = 30
SAMPLES = 40
STABLE_OVERLAP = 0.3
TOP = 10
SEED = 20261122


@dataclass
class AdaptiveState:
    asked: int
    estimate: list[float]  # 0–100 per type
    sd: list[float]  # posterior sd, 0–100 scale
    stability: float | None  # mean top-10 overlap under posterior draws (0–1)
    done: bool


def _interest_answers(values: Mapping[str, Any], bank: QuestionBank) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {t: [] for t in RIASEC}
    for qid, value in values.items():
        q = bank.questions.get(qid)
        if q is not None and q.block == "interest" and value != UNSURE:
            out[q.dimension].append(value)
    return out


def _asked_interest(values: Mapping[str, Any], bank: QuestionBank) -> int:
    return sum(1 for qid in values if qid in bank.questions and bank.questions[qid].block == "interest")


def posterior(values: Mapping[str, Any], bank: QuestionBank) -> tuple[list[float], list[float]]:
    by_type = _interest_answers(values, bank)
    everything = [v for vs in by_type.values() for v in vs]
    prior_mean = sum(everything) / len(everything) if everything else 3.0
    means, sds = [], []
    for t in RIASEC:
        n = len(by_type[t])
        precision = 1 / PRIOR_SD ** 2 + n / ANSWER_SD ** 2
        mean = (prior_mean / PRIOR_SD ** 2 + sum(by_type[t]) / ANSWER_SD ** 2) / precision
        means.append((mean - 1) / 4 * 100)
        sds.append((precision ** -0.5) / 4 * 100)
    return means, sds


class _Ranker:
    """Top-10 sets for many profiles at once (interest shape only, as it drives the ranking)."""

    def __init__(self, catalogue) -> None:
        import numpy as np

        self.np = np
        self.U = np.array(catalogue.columns.interest_unit)

    def boundary_information(self, estimate: list[float], sd: list[float]) -> list[float]:
        """Per type: how much one more answer is expected to settle the top-10 boundary.

        For each pair (a in the top 10, b in places 11–20) the margin fit_a - fit_b has a
        gradient g over the six type scores; its posterior variance is sum_t g_t^2 sd_t^2.
        Pairs that could flip (small margin for their uncertainty) weigh most. An answer of
        type t shrinks sd_t^2 to 1/(1/sd_t^2 + 1/answer_var); its value is the weighted
        reduction of the margins' variance.
        """
        np = self.np
        s = np.asarray(estimate, dtype=float)
        c = s - s.mean()
        norm = np.linalg.norm(c)
        if norm < 1e-9:
            return [float(x) for x in np.asarray(sd) ** 2]
        p = c / norm
        fit = self.U @ p
        order = np.argsort(-fit)
        a, b = order[:TOP], order[TOP:2 * TOP]
        grad = (self.U - np.outer(fit, p)) / norm  # d fit_j / d s_t, (occupations, 6)
        g = grad[a][:, None, :] - grad[b][None, :, :]  # (10, 10, 6)
        margin = fit[a][:, None] - fit[b][None, :]
        var = np.asarray(sd, dtype=float) ** 2
        answer_var = (ANSWER_SD / 4 * 100) ** 2
        total_var = (g ** 2 * var).sum(axis=2) + 1e-12
        weight = np.exp(-margin ** 2 / (2 * total_var)) / np.sqrt(total_var)
        reduction = var - 1 / (1 / var + 1 / answer_var)
        return [float(x) for x in (weight[:, :, None] * g ** 2 * reduction).sum(axis=(0, 1))]

    def top_sets(self, profiles) -> list[set[int]]:
        np = self.np
        P = np.atleast_2d(np.asarray(profiles, dtype=float))
        centred = P - P.mean(axis=1, keepdims=True)
        norm = np.linalg.norm(centred, axis=1, keepdims=True)
        unit = np.divide(centred, norm, out=np.zeros_like(centred), where=norm > 1e-9)
        fit = unit @ self.U.T
        top = np.argpartition(-fit, TOP - 1, axis=1)[:, :TOP]
        return [set(row.tolist()) for row in top]


_rankers: dict[int, _Ranker] = {}


def _ranker(catalogue) -> _Ranker:
    key = id(catalogue)
    if key not in _rankers:
        _rankers[key] = _Ranker(catalogue)
    return _rankers[key]


def assess(values: Mapping[str, Any], bank: QuestionBank, catalogue) -> AdaptiveState:
    asked = _asked_interest(values, bank)
    mean, sd = posterior(values, bank)
    if asked < MIN_ITEMS:
        return AdaptiveState(asked, mean, sd, None, False)
    import numpy as np

    ranker = _ranker(catalogue)
    rng = np.random.default_rng(SEED + asked)
    draws = np.asarray(mean) + rng.standard_normal((SAMPLES, 6)) * np.asarray(sd)
    current = ranker.top_sets([mean])[0]
    stability = float(np.mean([len(current & s) / TOP for s in ranker.top_sets(draws)]))
    return AdaptiveState(asked, mean, sd, stability, stability >= STABLE_OVERLAP or asked >= MAX_ITEMS)


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
    state = assess(values, bank, catalogue)
    if state.done:
        return None
    value = _ranker(catalogue).boundary_information(state.estimate, state.sd)
    candidates = [k for k, t in enumerate(RIASEC) if unasked[t]]
    best = max(candidates, key=lambda k: (value[k], -k))
    return unasked[RIASEC[best]][0]


def remaining_estimate(values: Mapping[str, Any], bank: QuestionBank, catalogue) -> int:
    """About how many more interest items (a rough, honest guess shown to the student)."""
    state = assess(values, bank, catalogue)
    if state.done:
        return 0
    if state.stability is None:
        return max(MIN_ITEMS - state.asked, 1) + 4
    gap = max(0.0, STABLE_OVERLAP - state.stability)
    return max(1, min(MAX_ITEMS - state.asked, round(gap * 40) + 1))
