"""Scoring: answers -> RIASEC profile, flags, and ranked occupation matches with reasons.

Pure functions over plain data; no I/O except reading the weights config once. The method
and its limits are described in docs/method.md.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Mapping

from . import rules
from .columns import TRAITS, CatalogueColumns
from .questions import RIASEC, UNSURE, QuestionBank
from .weights import config

if TYPE_CHECKING:
    from .catalogue import Catalogue, Occupation

# ---------------------------------------------------------------- profile


@dataclass
class EducationAnswers:
    country: str | None = None
    current_level: str | None = None
    highest_level: str | None = None
    highest_isced: int | None = None
    current_isced: int | None = None
    route: str | None = None


@dataclass
class Profile:
    scores: dict[str, float]  # 0–100 per RIASEC type
    answered: dict[str, int]  # answered interest items per type
    unsure: int
    holland: str
    flags: list[str]
    confidence: str  # high | medium | low | none
    traits: dict[str, float]  # 0–100 per trait answered
    education: EducationAnswers
    # ISCO-08 unit group -> activity signal (rules.activity_signal) from the answers to the
    # interest items linked to it; groups without a linked answer are left out (signal 0).
    # An occupation an item's `not_for` leaves out has its own entry, "unit!id" (occupation_signal).
    activities: dict[str, float] = field(default_factory=dict)

    @property
    def scorable(self) -> bool:
        return self.confidence != "none"

    @property
    def without_interests(self) -> bool:
        """Ranked without the interest part: every interest answer the same, but traits or
        education to go on (:func:`rules.ranks_without_interests`)."""
        return "no_variation" in self.flags and self.scorable

    def ranked_on(self) -> tuple[bool, bool] | None:
        """For a profile ranked without the interest part: which parts it is ranked on
        (traits, education); ``None`` otherwise."""
        if not self.without_interests:
            return None
        return trait_unit(self.traits) is not None, self.education.highest_isced is not None


def _scale(value: float) -> float:
    return (value - 1.0) / 4.0 * 100.0


def interest_scores(values: Mapping[str, Any], bank: QuestionBank) -> tuple[dict[str, float | None], dict[str, int], int]:
    sums = dict.fromkeys(RIASEC, 0.0)
    counts = dict.fromkeys(RIASEC, 0)
    unsure = 0
    for qid, value in values.items():
        q = bank.questions.get(qid)
        if q is None or q.block != "interest":
            continue
        if value == UNSURE:
            unsure += 1
            continue
        sums[q.dimension] += value
        counts[q.dimension] += 1
    scores = {t: (_scale(sums[t] / counts[t]) if counts[t] else None) for t in RIASEC}
    return scores, counts, unsure


def build_profile(values: Mapping[str, Any], bank: QuestionBank) -> Profile:
    cfg = config()["flags"]
    raw, counts, unsure = interest_scores(values, bank)
    known = [s for s in raw.values() if s is not None]
    fill = sum(known) / len(known) if known else 50.0
    scores = {t: round(v if (v := raw[t]) is not None else fill, 1) for t in RIASEC}
    total = sum(counts.values())
    interest_values = [v for q, v in values.items()
                       if q in bank.questions and bank.questions[q].block == "interest" and v != UNSURE]
    order = sorted(RIASEC, key=lambda t: (-scores[t], RIASEC.index(t)))
    ranked = [scores[t] for t in order]
    found = rules.flags(total, min(counts.values()), ranked[0] - ranked[-1], len(set(interest_values)) <= 1,
                        (ranked[0] - ranked[1], ranked[1] - ranked[2], ranked[2] - ranked[3]), unsure, cfg)
    flags = [name for name in rules.FLAG_NAMES if found[name]]
    traits, education = trait_scores(values, bank), education_answers(values, bank)
    others = rules.ranks_without_interests(found["no_variation"], total, trait_unit(traits) is not None)
    confidence = rules.CONFIDENCE_NAMES[rules.confidence(found, total, without_interests=others)]
    # no answers, or all the same: the letters would only be R-I-A-S-E-C order, not the student's
    holland = "" if found["no_variation"] else "".join(order[:3])
    return Profile(scores, counts, unsure, holland, flags, confidence, traits, education,
                   activity_signals(values, bank))


def activity_signals(values: Mapping[str, Any], bank: QuestionBank) -> dict[str, float]:
    """Per ISCO-08 unit group linked by an answered interest item: its activity signal
    (:func:`rules.activity_signal` of the :func:`rules.link_value` of those answers). An
    occupation some item of its group leaves out (``not_for``) gets its own entry
    ``"unit!id"`` over the answered items that do link to it (signal 0 when none does), so
    that every occupation's signal is the mean over the items :meth:`Question.links_to` it."""
    left_out: dict[str, set[str]] = {}  # unit -> occupations some item linked to it leaves out
    for q in bank.questions.values():
        for unit in q.links:
            left_out.setdefault(unit, set()).update(q.not_for)
    type_means = {t: sum(v for _, v in items) / len(items)  # the student's, per type (rules.link_value)
                  for t, items in interest_answers_by_type(values, bank).items() if items}
    share = config()["weights"]["activity_type_share"]
    totals: dict[str, float] = {}
    counts: dict[str, int] = {}
    for q in bank.questions.values():  # bank order: the same sums whatever the answer order
        if q.links and q.id in values and values[q.id] != UNSURE:
            value = rules.link_value(values[q.id], True, type_means[q.dimension], share)
            for unit in q.links:
                for key, occupation in [(unit, None)] + [(f"{unit}!{o}", o) for o in sorted(left_out[unit])]:
                    linked = occupation is None or q.links_to(unit, occupation)
                    totals[key] = totals.get(key, 0.0) + (value if linked else 0.0)
                    counts[key] = counts.get(key, 0) + linked
    return {key: rules.activity_signal(totals[key], counts[key]) for key in sorted(totals)}


def occupation_signal(signals: Mapping[str, float], unit: str | None, occupation_id: str) -> float | None:
    """An occupation's activity signal from :func:`activity_signals`: its own entry if an item
    leaves it out, else its unit group's; ``None`` when no item linked to it was answered."""
    if unit is None or unit not in signals:
        return None
    return signals.get(f"{unit}!{occupation_id}", signals[unit])


def trait_scores(values: Mapping[str, Any], bank: QuestionBank) -> dict[str, float]:
    sums: dict[str, float] = {}
    counts: dict[str, int] = {}
    for qid, value in values.items():
        q = bank.questions.get(qid)
        if q is None or q.block != "trait" or value == UNSURE:
            continue
        sums[q.dimension] = sums.get(q.dimension, 0.0) + rules.keyed(value, q.reverse)
        counts[q.dimension] = counts.get(q.dimension, 0) + 1
    return {t: round(_scale(sums[t] / counts[t]), 1) for t in TRAITS if counts.get(t)}


def education_answers(values: Mapping[str, Any], bank: QuestionBank) -> EducationAnswers:
    edu = EducationAnswers()
    for dimension in ("country", "current_level", "highest_level", "route"):
        q = bank.education(dimension)
        if q is not None and values.get(q.id) not in (None, UNSURE):
            setattr(edu, dimension, values[q.id])
    for dimension in ("current", "highest"):
        level = bank.level(getattr(edu, f"{dimension}_level"))
        if level is not None:
            setattr(edu, f"{dimension}_isced", level.isced)
    return edu


def _unit(vector: list[float]) -> list[float] | None:
    mean = sum(vector) / len(vector)
    centred = [v - mean for v in vector]
    norm = math.sqrt(sum(c * c for c in centred))
    if norm < 1e-9:
        return None
    return [c / norm for c in centred]


def education_fit(required: int, highest: int | None, route: str, preferred: str | None) -> float | None:
    """:func:`rules.education_fit` with the configured values."""
    return rules.education_fit(required, highest, route, preferred, config()["education_fit"])


# ---------------------------------------------------------------- matching


@dataclass
class Components:
    interest: float | None
    traits: float | None
    education: float | None
    activity: float | None = None  # the activity signal of the job's unit group, if one was answered

    def total(self) -> float:
        weights = config()["weights"]
        score = rules.match_score(self.interest or 0.0, self.traits or 0.0, self.traits is not None,
                                  self.education or 0.0, self.education is not None, weights,
                                  has_interest=self.interest is not None)
        if self.activity is None:
            return score
        return rules.linked_score(score, self.activity, weights["activity_link"])


@dataclass
class Reason:
    kind: str  # interest_fit | interest_clash | trait_fit | trait_clash | education_ok | education_stretch | education_gap | activity | answer
    positive: bool
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Match:
    id: str
    score: float
    components: Components
    reasons: list[Reason]
    required_isced: int
    # occupations of this one's family moved down from the top places by rules.spread:
    # (id, rank), at most SIMILAR_SHOWN
    similar: list[tuple[str, int]] = field(default_factory=list)


def trait_unit(scores: Mapping[str, float]) -> tuple[list[str], list[float]] | None:
    """The traits answered and the student's trait scores centred on their own mean, length
    1; ``None`` with fewer than 3 traits or all equal (no trait part)."""
    traits = [t for t in TRAITS if t in scores]
    if len(traits) < 3:
        return None
    unit = _unit([scores[t] for t in traits])
    return (traits, unit) if unit else None


def rank(profile: Profile, columns: CatalogueColumns, *, country: str | None = None,
         max_isced: int | None = None) -> list[tuple[float, int, Components]]:
    """Every recommended occupation's score, best first: (score, index, components)."""
    return best_ranked(profile, columns, None, country=country, max_isced=max_isced)[0]


def person_unit(scores: Mapping[str, float]) -> list[float] | None:
    """The student's six type scores centred on their own mean, length 1 (None if flat)."""
    return _unit([scores[t] for t in RIASEC])


def best_ranked(profile: Profile, columns: CatalogueColumns, count: int | None, *,
                country: str | None = None,
                max_isced: int | None = None) -> tuple[list[tuple[float, int, Components]], int]:
    """The best ``count`` (all if ``None``) as (score, index, components), best first, and how
    many occupations were ranked. Occupations not recommended in ``country`` (default: the
    student's) and, with ``max_isced``, those whose path there goes further are left out.
    Every rule is one of :mod:`rules`."""
    person = person_unit(profile.scores) if profile.scorable else None
    if person is None and not profile.without_interests:
        return [], 0
    country = columns.country(country or profile.education.country)
    levels, routes, left_out = columns.levels[country], columns.routes[country], columns.left_out[country]
    interest: list[float | None]
    if person is None:  # every interest answer the same: ranked on the other parts alone
        interest = [None] * len(columns.ids)
    else:
        a, b, c, d, e, f = person
        interest = [rules.interest_fit(a * x0 + b * x1 + c * x2 + d * x3 + e * x4 + f * x5)
                    for x0, x1, x2, x3, x4, x5 in zip(*columns.interest_cols)]
    tv = trait_unit(profile.traits)
    if tv:
        names, vec = tv
        z_columns, norms = columns.trait_columns(tuple(names))
        # sum(p * q for p, q in zip(vec, zs)) for every occupation at once, adding in the
        # same order (from 0, trait by trait), so the very same numbers
        dots: list[float] = [0] * len(norms)
        for p, col in zip(vec, z_columns):
            dots = [d + p * z for d, z in zip(dots, col)]
        traits: list[float | None] = [rules.trait_fit(dot, norm) if norm else None for dot, norm in zip(dots, norms)]
    else:
        traits = [None] * len(interest)
    edu = profile.education
    fits: dict[tuple[int, str], float | None] = {}
    weights = config()["weights"]
    # the activities the student likes or dislikes move their jobs (none when the interest
    # part is left out: every interest answer the same says nothing about one activity)
    signals = profile.activities if person is not None else {}
    scored = []
    for i, inter in enumerate(interest):
        required = levels[i]
        if left_out[i] or (max_isced is not None and required > max_isced):
            continue
        key = (required, routes[i])
        if key not in fits:
            fits[key] = education_fit(required, edu.highest_isced, routes[i], edu.route)
        fit, trait = fits[key], traits[i]
        if inter is None and trait is None and fit is None:
            continue  # nothing to score this occupation on
        score = rules.match_score(inter or 0.0, trait or 0.0, trait is not None, fit or 0.0, fit is not None,
                                  weights, has_interest=inter is not None)
        if signals and (signal := occupation_signal(signals, columns.units[i], columns.ids[i])) is not None:
            score = rules.linked_score(score, signal, weights["activity_link"])
        scored.append((score, i))
    chosen = spread_ranking(scored, columns, count)
    return [(score, i, Components(interest[i], traits[i], fits[(levels[i], routes[i])],
                                  occupation_signal(signals, columns.units[i], columns.ids[i]) if signals else None))
            for score, i in chosen], len(scored)


SPREAD_LOOKAHEAD = 40  # ranked beyond ``count`` first; the whole list only if the window is not filled


def spread_ranking(scored: list[tuple[float, int]], columns: CatalogueColumns,
                   count: int | None) -> list[tuple[float, int]]:
    """The best ``count`` (all if ``None``) of (score, index), best first by
    :func:`rules.ranking_key`, then spread over families (:func:`rules.spread`)."""
    ids, families = columns.ids, columns.families
    display = config()["display"]
    key_of = lambda item: rules.ranking_key(item[0], ids[item[1]])  # noqa: E731
    depth = None if count is None else count + display["spread_window"] + SPREAD_LOOKAHEAD
    ordered = None
    if depth is not None and depth < len(scored):
        ordered = heapq.nsmallest(depth, scored, key=key_of)
        order, filled = rules.spread([families[i] for _, i in ordered], display["family_cap"], display["spread_window"])
        if not filled:
            ordered = None
    if ordered is None:
        ordered = sorted(scored, key=key_of)
        order, _ = rules.spread([families[i] for _, i in ordered], display["family_cap"], display["spread_window"])
    spread = [ordered[k] for k in order]
    return spread if count is None else spread[:count]


def top_matches(profile: Profile, values: Mapping[str, Any], bank: QuestionBank,
                catalogue: "Catalogue", top: int = 10, *, country: str | None = None,
                max_isced: int | None = None, offset: int = 0) -> tuple[list[Match], int]:
    """The best ``top`` matches (after ``offset``) with reasons, and how many were ranked."""
    columns = catalogue.columns
    country = columns.country(country or profile.education.country)
    best, ranked = best_ranked(profile, columns, offset + top + SPREAD_LOOKAHEAD, country=country, max_isced=max_isced)
    similar = moved_down(best, columns)
    chosen = best[offset:offset + top]
    answers = interest_answers_by_type(values, bank)  # the same for every match: sorted once
    matches = []
    for score, index, comp in chosen:
        occ = catalogue.occupations[columns.ids[index]]
        required = columns.levels[country][index]
        matches.append(Match(occ.id, round(score, 1), comp,
                             explain(profile, values, bank, occ, columns, index, comp, answers, required=required),
                             required, similar.get(index, [])))
    return matches, ranked


SIMILAR_SHOWN = 3


def moved_down(best: list[tuple[float, int, Any]], columns: CatalogueColumns) -> dict[int, list[tuple[str, int]]]:
    """For each occupation in the top places of a spread ranking (best first): those of its
    family that :func:`rules.spread` moved down, as (id, rank). An entry past the window
    waited exactly when it ranks above the window's last one by :func:`rules.ranking_key`."""
    window = config()["display"]["spread_window"]
    if len(best) <= window:
        return {}
    ids, families = columns.ids, columns.families
    last = rules.ranking_key(best[window - 1][0], ids[best[window - 1][1]])
    out: dict[int, list[tuple[str, int]]] = {}
    for rank, (score, index, _) in enumerate(best[window:], start=window + 1):
        if rules.ranking_key(score, ids[index]) >= last:
            break
        for _, head, _ in best[:window]:
            if families[head] == families[index] and len(out.setdefault(head, [])) < SIMILAR_SHOWN:
                out[head].append((ids[index], rank))
                break
    return out


# ---------------------------------------------------------------- reasons


def explain(profile: Profile, values: Mapping[str, Any], bank: QuestionBank, occ: "Occupation",
            columns: CatalogueColumns, index: int, comp: Components,
            answers: dict[str, list[tuple[str, int]]] | None = None, *, required: int) -> list[Reason]:
    """The reasons for one match, each given by its rule in :mod:`rules`. ``required`` is the
    occupation's level in the student's country (the path shown there)."""
    cfg = config()["reasons"]
    reasons: list[Reason] = []
    occ_scores = dict(zip(RIASEC, occ.interests))
    occ_order = sorted(RIASEC, key=lambda t: -occ_scores[t])
    middle = rules.own_middle(profile.scores)
    for t in profile.holland:
        if rules.interest_fit_reason(profile.scores[t], middle, occ_scores[t], occ.high_point, t, cfg):
            reasons.append(Reason("interest_fit", True, {"type": t, "person": profile.scores[t], "occupation": occ_scores[t]}))
    for t in occ_order[:2]:
        if rules.job_type_clash(profile.scores[t], middle, occ_scores[t], cfg):
            reasons.append(Reason("interest_clash", False, {"type": t, "person": profile.scores[t], "occupation": occ_scores[t], "side": "job"}))
    if profile.holland:
        top_type = profile.holland[0]
        if rules.own_type_clash(profile.scores[top_type], middle, occ_scores[top_type], cfg):
            reasons.append(Reason("interest_clash", False, {"type": top_type, "person": profile.scores[top_type], "occupation": occ_scores[top_type], "side": "you"}))
    told = activity_reasons(values, bank, columns.units[index], columns.ids[index]) if comp.interest is not None else []
    reasons.extend(told)
    z = columns.trait_z[index]
    trait_mean = sum(profile.traits.values()) / len(profile.traits) if profile.traits else 0.0
    fits = sorted((t for t in profile.traits if t in z and rules.trait_fit_reason(profile.traits[t], trait_mean, z[t])),
                  key=lambda t: -z[t])
    for t in fits[:2]:
        reasons.append(Reason("trait_fit", True, {"trait": t, "person": profile.traits[t], "z": round(z[t], 2)}))
    clashes = sorted((t for t in profile.traits if t in z and rules.trait_clash_reason(profile.traits[t], trait_mean, z[t])),
                     key=lambda t: -z[t])
    for t in clashes[:1]:
        reasons.append(Reason("trait_clash", False, {"trait": t, "person": profile.traits[t], "z": round(z[t], 2)}))
    highest = profile.education.highest_isced
    if highest is not None:
        kind = rules.education_kind(required, highest)
        reasons.append(Reason(kind, kind == "education_ok", {"required": required, "highest": highest,
                                                             "gap": max(required - highest, 0)}))
    reasons.extend(answer_influence(profile, values, bank, occ, comp, answers=answers,
                                    skip={r.data["question"] for r in told}))
    return reasons


ACTIVITIES_SHOWN = 2


def activity_reasons(values: Mapping[str, Any], bank: QuestionBank, unit: str | None,
                      occupation_id: str) -> list[Reason]:
    """Up to ``ACTIVITIES_SHOWN`` answers to interest items that are the job's everyday work
    (:meth:`Question.links_to`) and moved it (:func:`rules.activity_reason`): likes first, the
    strongest first, then dislikes, the strongest first; equal answers in bank order."""
    if unit is None:
        return []
    found = []
    for k, q in enumerate(bank.questions.values()):
        if q.links_to(unit, occupation_id) and q.id in values:
            kind = rules.activity_reason(values[q.id])
            if kind is not None:
                found.append((kind != "like", abs(values[q.id] - 3) * -1, k, q.id, values[q.id], kind))
    found.sort()
    return [Reason("activity", kind == "like", {"question": qid, "value": value, "kind": kind})
            for _, _, _, qid, value, kind in found[:ACTIVITIES_SHOWN]]


@lru_cache(maxsize=512)
def _unit_without(scores: tuple[float, ...], k: int, replaced: float) -> list[float] | None:
    """The unit profile with type ``k``'s score replaced (one answer left out). Answers of
    one type with the same value leave the same profile, and every match of a respondent
    asks for the same few, so they are worked out once."""
    return _unit([replaced if j == k else v for j, v in enumerate(scores)])


def interest_answers_by_type(values: Mapping[str, Any], bank: QuestionBank) -> dict[str, list[tuple[str, int]]]:
    """The interest answers other than "not sure", as (question id, value) per type in RIASEC order."""
    by_type: dict[str, list[tuple[str, int]]] = {t: [] for t in RIASEC}
    for qid, value in values.items():
        q = bank.questions.get(qid)
        if q is not None and q.block == "interest" and value != UNSURE:
            by_type[q.dimension].append((qid, value))
    return by_type


def answer_influence(profile: Profile, values: Mapping[str, Any], bank: QuestionBank,
                     occ: "Occupation", comp: Components, limit: int = 2,
                     answers: dict[str, list[tuple[str, int]]] | None = None,
                     skip: set[str] | frozenset[str] = frozenset()) -> list[Reason]:
    """Up to ``limit`` answers that speak for this match (:func:`rules.answer_reason`): a like
    of an activity of a type that makes the job, or a dislike of a type the job has little
    of. Among those, the ones that count most: drop each answer and see how far the interest
    fit falls. ``answers`` is :func:`interest_answers_by_type` of ``values``, if already
    worked out; answers in ``skip`` were already given as another reason."""
    if comp.interest is None:
        return []
    cfg = config()["reasons"]
    occ_unit = _unit(list(occ.interests))
    if occ_unit is None:
        return []
    by_type = answers if answers is not None else interest_answers_by_type(values, bank)
    effects = []
    scores = tuple(profile.scores[k] for k in RIASEC)
    for k, (t, items) in enumerate(by_type.items()):  # in RIASEC order
        if len(items) < 2:
            continue
        total = sum(v for _, v in items)
        job = occ.interests[k]
        # answers of one type with the same value have the same effect: at most five fits
        fits: dict[int, float | None] = {}
        for qid, value in items:
            kind = rules.answer_reason(value, job, occ.high_point, t, cfg)
            if kind is None or qid in skip:  # skip: already told as an everyday activity of the job
                continue
            if value not in fits:
                unit = _unit_without(scores, k, _scale((total - value) / (len(items) - 1)))
                fits[value] = None if unit is None else rules.interest_fit(sum(p * q for p, q in zip(unit, occ_unit)))
            fit = fits[value]
            if fit is not None:
                effects.append((comp.interest - fit, qid, value, kind))
    effects.sort(key=lambda e: (-e[0], e[1]))
    return [Reason("answer", True, {"question": qid, "value": value, "kind": kind})
            for delta, qid, value, kind in effects[:limit] if delta > 0.001]
