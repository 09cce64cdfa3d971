"""Every scoring rule, written once.

The one-respondent scorer (:mod:`scoring`), the batch scorer (:mod:`fastscore`) and the
adaptive form's ranking (:mod:`adaptive`) all call these functions. Each takes plain
numbers or numpy arrays alike: only arithmetic, comparisons, ``&``, ``|`` and the ``pick``
passed in are used, so one definition serves both, with the very same arithmetic (and
so the very same numbers). The thresholds and weights live in ``data/weights.yaml``.
"""

from __future__ import annotations

from typing import Any, Callable

FLAG_NAMES = ("no_variation", "too_few_answers", "flat_profile", "uncertain_code", "many_unsure")
CONFIDENCE_NAMES = ("none", "low", "medium", "high")
MIN_SCORABLE = 6  # fewer answered interest items than this: no ranking at all


def pick(condition: Any, yes: Any, no: Any) -> Any:
    """``numpy.where`` for plain values."""
    return yes if condition else no


def flags(total: Any, fewest: Any, spread: Any, same_values: Any, gaps: tuple[Any, Any, Any],
          unsure: Any, cfg: dict[str, Any]) -> dict[str, Any]:
    """The profile flags (docs/method.md), from: ``total`` answered interest items (not
    "not sure"), ``fewest`` answered for any one type, ``spread`` (highest − lowest type
    score), ``same_values`` (every answer the same), ``gaps`` between the 1st/2nd, 2nd/3rd
    and 3rd/4th type scores, and the number of ``unsure`` answers."""
    no_variation = (total == 0) | same_values | (spread < 1e-9)
    varied = no_variation == False  # noqa: E712 (``not`` does not work on arrays)
    near_tie = (gaps[0] < cfg["tie_margin"]) | (gaps[1] < cfg["tie_margin"]) | (gaps[2] < cfg["tie_margin"])
    asked = total + unsure
    return {
        "no_variation": no_variation,
        "too_few_answers": (total < cfg["min_interest_answers"]) | (fewest < cfg["min_per_type"]),
        "flat_profile": varied & (spread < cfg["flat_range"]),
        # a near-tie anywhere in the first four changes the code (its letters or their order)
        "uncertain_code": varied & near_tie,
        "many_unsure": (asked > 0) & (unsure / (asked + (asked == 0)) > cfg["many_unsure_share"]),
    }


def ranks_without_interests(no_variation: Any, total: Any, traits_usable: Any) -> Any:
    """Whether a student whose interest answers show no variation is still ranked, on the
    other parts: at least ``MIN_SCORABLE`` interest answers, all the same (an enthusiastic
    student who likes everything), and trait statements that vary (``traits_usable``: 3 or
    more traits, not all equal). The interest part is then left out of the score, as
    :func:`match_score` leaves out any part that is missing (the education part counts when
    given), and the confidence is low. A planned education level alone is not enough: it
    gives every job within reach the same score, a list in no order at all. Without
    interest answers, or without trait answers that vary, there is no ranking."""
    return no_variation & (total >= MIN_SCORABLE) & traits_usable


def confidence(flag: dict[str, Any], total: Any, where: Callable = pick, without_interests: Any = False) -> Any:
    """Index into ``CONFIDENCE_NAMES``: none (no variation and nothing else to rank on, or
    under 6 answers), low (too few, flat, or ranked without the interest part:
    ``without_interests`` is :func:`ranks_without_interests`), medium (uncertain code, many
    unsure), high."""
    none = where(without_interests, False, flag["no_variation"]) | (total < MIN_SCORABLE)
    low = flag["too_few_answers"] | flag["flat_profile"] | flag["no_variation"]
    medium = flag["uncertain_code"] | flag["many_unsure"]
    return where(none, 0, where(low, 1, where(medium, 2, 3)))


def interest_fit(dot: Any) -> Any:
    """Interest fit from the dot product of the unit profiles (their correlation): 0–1."""
    return (1 + dot) / 2


def link_value(value: Any, answered: Any, type_mean: Any, share: float, where: Callable = pick) -> Any:
    """What one answer to a linked interest item says about the occupations it is linked to:
    (answer − 3) / 2 (strongly like +1, like +0.5, neutral 0, dislike −0.5, strongly dislike
    −1), less ``share`` × (type_mean − 3) / 2, where ``type_mean`` is the student's mean answer
    to the items of the item's type; kept within −1 … 1; 0 when not answered or "not sure"
    (``answered`` false). Why the second part: liking one practical activity may be liking
    that job's work or liking practical work in general, which the interest part already
    counts; an answer cannot tell which, so part of the general liking is taken off. Without
    it, a student who likes every practical activity lifts every job that has an item above
    equally good jobs that have none."""
    raw = (value - 3) / 2 - share * (type_mean - 3) / 2
    return where(answered, where(raw > 1, 1.0, where(raw < -1, -1.0, raw)), 0.0)


def activity_signal(total: Any, count: Any, where: Callable = pick) -> Any:
    """An occupation's activity signal, −1 … 1: the mean :func:`link_value` over the answered
    items linked to its ISCO-08 unit group (``total`` their sum, ``count`` how many); 0 when
    none was answered."""
    return where(count > 0, total / (count + (count == 0)), 0.0)


def linked_score(score: Any, signal: Any, weight: float, where: Callable = pick) -> Any:
    """The match score (0–100) moved by the activity signal: towards 100 by ``weight`` ×
    signal of the distance left when the student likes the job's everyday activities,
    towards 0 by the same share when they dislike them. It moves the whole score, not the
    interest part: jobs of one type all have nearly the same interest fit, so a liked
    everyday activity could hardly move the job it names past the others of its type
    there. Stays within 0–100; a signal of 0 (no linked answer, or only neutral ones)
    leaves the score as it is."""
    return score + weight * signal * where(signal > 0, 100 - score, score)


def activity_reason(value: Any) -> str | None:
    """Which reason an answer to an item linked to the job's unit group gives: ``like`` for a
    like (4–5), ``dislike`` for a dislike (1–2), none for a neutral or "not sure" answer."""
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    return "like" if value >= 4 else ("dislike" if value <= 2 else None)


def job_traits(z: dict[str, float], key_traits: list[str], key_weight: float) -> dict[str, float]:
    """A job's trait importances for the trait fit: O*NET's work styles as catalogue
    z-scores, with each of the job's key traits (the 1–4 its page names) ``key_weight``
    standard deviations higher. O*NET's figures tell similar jobs apart poorly; the key
    traits are what the job is known for, and what the student is shown."""
    out = dict(z)
    for t in key_traits:
        out[t] = out.get(t, 0.0) + key_weight
    return out


def trait_shape(z: dict[str, float]) -> dict[str, float]:
    """What stands out among a job's own traits: its catalogue z-scores centred on their mean.
    The student's side is centred on their own mean too, so the trait fit compares two
    shapes (a correlation), as the interest fit does; a job rated low on every work style
    is then not a poor fit for everyone."""
    if not z:
        return {}
    mean = sum(z.values()) / len(z)
    return {t: v - mean for t, v in z.items()}


def keyed(value: Any, reverse: Any, where: Callable = pick) -> Any:
    """An answer on the 1–5 agree scale as it counts for its trait: a reverse-keyed statement
    ("Group work often annoys me") counts 6 − value, so "strongly agree" there is 1 for the
    trait. Every path (one answer set, the batch fast path, reports) scores traits through this."""
    return where(reverse, 6 - value, value)


def trait_fit(dot: Any, norm: Any) -> Any:
    """Trait fit from the dot product of the student's unit trait profile with the job's
    trait z-scores and the length of those z-scores: the cosine, put on 0–1."""
    return (1 + dot / norm) / 2


def match_score(interest: Any, trait: Any, has_trait: Any, education: Any, has_education: Any,
                weights: dict[str, float], where: Callable = pick, has_interest: Any = True) -> Any:
    """100 × the weighted mean of the components present. A missing component (``has_…``
    false) leaves its weight out; its value is then not used. At least one must be present."""
    wi, wt, we = weights["interest"], weights["traits"], weights["education"]
    numerator, weight = where(has_interest, 0 + wi * interest, 0.0), where(has_interest, 0 + wi, 0.0)
    numerator = where(has_trait, numerator + wt * trait, numerator)
    weight = where(has_trait, weight + wt, weight)
    numerator = where(has_education, numerator + we * education, numerator)
    weight = where(has_education, weight + we, weight)
    return 100.0 * numerator / weight


def comparable_level(path_level: int) -> int:
    """An occupation's path level as the student's level question sees it. That question has
    no ISCED 4 (post-secondary, non-tertiary): in Norway and Denmark what sits there is the
    level of a fagbrev/svendebrev, so a path at 4 counts as upper secondary (3)."""
    return 3 if path_level == 4 else path_level


def education_fit(required: int, highest: int | None, route: str, preferred: str | None,
                  cfg: dict[str, Any]) -> float | None:
    """The occupation's level in the student's country against the highest level the student
    is willing to reach; less when the preferred route (practical/school) differs. ``None``
    when the student gave no level. The batch scorer tabulates this for every pair."""
    if highest is None:
        return None
    gap = required - highest
    if gap <= -3:
        fit = cfg["far_below"]
    elif gap <= 0:
        fit = 1.0
    else:
        fit = cfg["gap"].get(min(gap, 3), 0.0)
    if preferred in ("practical", "school") and preferred != route:
        fit = max(0.0, fit - cfg["route_mismatch"])
    return fit


def education_kind(required: int, highest: int) -> str:
    """The education reason: within reach, one level beyond (a stretch), or further."""
    gap = required - highest
    return "education_ok" if gap <= 0 else ("education_stretch" if gap == 1 else "education_gap")


def ranking_key(score: float, occupation_id: str) -> tuple[float, str]:
    """Best score first; equal scores by occupation id (every path orders ties this way)."""
    return (-score, occupation_id)


# ---------------------------------------------------------------- reasons
# Each reason kind is one rule: when it is given. ``cfg`` is the ``reasons`` table of
# weights.yaml; type scores are 0–100 for the student and O*NET's 1–7 for the job.


def own_middle(scores: dict[str, float]) -> float:
    """The middle of the student's own six type scores (their mean): a type above it is one
    the student likes more than their other types."""
    return sum(scores.values()) / len(scores)


def liked_types(code: str, scores: dict[str, float]) -> list[str]:
    """The letters of the Holland code that may be described as likings: those above the
    student's own middle (a code letter can be a low score when all six are low)."""
    middle = own_middle(scores)
    return [t for t in code if scores[t] > middle]


def central_to_job(job: float, high_point: str, t: str, cfg: dict[str, Any]) -> bool:
    """A type that makes the job: O*NET interest at or above ``high_occupation``, or one of
    the job's first two high points."""
    return job >= cfg["high_occupation"] or t in high_point[:2]


def interest_fit_reason(person: float, middle: float, job: float, high_point: str, t: str,
                        cfg: dict[str, Any]) -> bool:
    """"Your interest in X fits": X is in the code, above the student's middle, central to the job."""
    return person > middle and central_to_job(job, high_point, t, cfg)


def job_type_clash(person: float, middle: float, job: float, cfg: dict[str, Any]) -> bool:
    """"This job is largely X, an interest you rated low": one of the job's two main types
    is clearly central and the student rated it low and below their own middle."""
    return job >= cfg["high_occupation"] and person <= cfg["low_person"] and person < middle


def own_type_clash(person: float, middle: float, job: float, cfg: dict[str, Any]) -> bool:
    """"Your strongest interest, X, plays little part": the student's first type is strong
    and the job has little of it."""
    return person >= cfg["high_person"] and person > middle and job <= cfg["low_occupation"]


def trait_fit_reason(person: float, trait_mean: float, z: float) -> bool:
    """A trait that stands out in the student's own answers and matters more in this job than
    in most (not a uniform "agree" to everything)."""
    return person >= max(70, trait_mean + 5) and z > 0.3


def trait_clash_reason(person: float, trait_mean: float, z: float) -> bool:
    """A trait the job leans on clearly that the student rated low for themselves."""
    return person <= min(35, trait_mean - 5) and z > 0.8


def answer_reason(value: Any, job: float, high_point: str, t: str, cfg: dict[str, Any]) -> str | None:
    """Which answer-based reason an interest answer may give: ``like`` for a like (4–5) of an
    activity of a type that makes the job; ``dislike`` ("you will not have to do much of
    it") for a dislike (1–2) of a type that plays little part in the job; otherwise none (a
    neutral or "not sure" answer says nothing)."""
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    if value >= 4 and central_to_job(job, high_point, t, cfg):
        return "like"
    if value <= 2 and job <= cfg["low_occupation"]:
        return "dislike"
    return None


# ---------------------------------------------------------------- how results are shown


def places(scores: list[float], first: int, tie_points: float) -> list[int]:
    """The place shown for each of ``scores`` (best first, the first at place ``first``): a
    score within ``tie_points`` of the first of its group shares that one's place."""
    out: list[int] = []
    start = None
    for k, score in enumerate(scores):
        # abs: after :func:`spread` a match past the window can score above the one before it
        if start is None or abs(scores[start] - score) >= tie_points:
            start = k
        out.append(first + start)
    return out


def family(isco08: str | None) -> str | None:
    """The narrow family an occupation belongs to for :func:`spread`: its ISCO-08 minor group
    (the first three digits; the same in STYRK-08 and DISCO-08). ``None`` without a code."""
    code = (isco08 or "").strip()
    return code[:3] if len(code) >= 3 and code[:3].isdigit() else None


def spread(families: list[Any], cap: int, window: int) -> tuple[list[int], bool]:
    """A ranked list (best first, given by each entry's family) reordered so that its first
    ``window`` places hold at most ``cap`` occupations of one family: going down the list,
    one whose family already has ``cap`` places there waits, and everything that waited comes
    right after the window, in its own order, followed by the rest. A family of ``None``
    never waits. Returns the new order (positions in the given list) and whether the window
    was filled; when it was not, the list given was too short to decide (unless it was the
    whole ranking) and the order is that of every entry."""
    taken: dict[Any, int] = {}
    first: list[int] = []
    waiting: list[int] = []
    k = 0
    while k < len(families) and len(first) < window:
        name = families[k]
        if name is None or taken.get(name, 0) < cap:
            first.append(k)
            if name is not None:
                taken[name] = taken.get(name, 0) + 1
        else:
            waiting.append(k)
        k += 1
    return first + waiting + list(range(k, len(families))), len(first) >= window


CERTAINTY_NAMES = ("open", "partly", "clear")


def certainty(scores: list[float], confidence: str, cfg: dict[str, Any]) -> tuple[str, int]:
    """How sure a top list is, in a word, and how many of it are clearly ahead (at least
    ``firm_points`` above the last one shown). A profile of low or no confidence is never
    called more than partly sure."""
    if not scores:
        return "open", 0
    firm = sum(1 for s in scores if s - scores[-1] >= cfg["firm_points"])
    level = "clear" if firm >= cfg["firm_for_clear"] else ("partly" if firm else "open")
    if confidence in ("low", "none") and level == "clear":
        level = "partly"
    return level, firm
