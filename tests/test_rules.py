"""Every scoring rule in jobkompas.rules, one table each, and the paths that must use them."""

from __future__ import annotations

import numpy as np
import pytest

from jobkompas import api, rules
from jobkompas.scoring import config

FLAGS = config()["flags"]
REASONS = config()["reasons"]
EDU = config()["education_fit"]
DISPLAY = config()["display"]


def _flags(total=60, fewest=10, spread=40.0, same=False, gaps=(10.0, 10.0, 10.0), unsure=0):
    found = rules.flags(total, fewest, spread, same, gaps, unsure, FLAGS)
    return {name for name in rules.FLAG_NAMES if found[name]}


@pytest.mark.parametrize("case, kwargs, expected", [
    ("clear profile", {}, set()),
    ("no answers", {"total": 0, "fewest": 0, "spread": 0.0}, {"no_variation", "too_few_answers"}),
    ("every answer the same", {"same": True, "spread": 0.0}, {"no_variation"}),
    ("every answer the same, whatever the spread says", {"same": True, "spread": 40.0}, {"no_variation"}),
    ("11 answers", {"total": 11}, {"too_few_answers"}),
    ("one type with 1 answer", {"fewest": 1}, {"too_few_answers"}),
    ("spread 14.9", {"spread": 14.9}, {"flat_profile"}),
    ("spread 15", {"spread": 15.0}, set()),
    ("1st and 2nd within 3", {"gaps": (2.9, 10.0, 10.0)}, {"uncertain_code"}),
    ("2nd and 3rd within 3", {"gaps": (10.0, 2.9, 10.0)}, {"uncertain_code"}),
    ("3rd and 4th within 3", {"gaps": (10.0, 10.0, 2.9)}, {"uncertain_code"}),
    ("gaps of exactly 3", {"gaps": (3.0, 3.0, 3.0)}, set()),
    ("31 % not sure", {"total": 69, "unsure": 31}, {"many_unsure"}),
    ("30 % not sure", {"total": 70, "unsure": 30}, set()),
])
def test_flag_rules(case, kwargs, expected):
    assert _flags(**kwargs) == expected, case


def test_flag_rules_give_the_same_on_arrays():
    """The batch scorer calls the very same function on whole columns."""
    cases = [(60, 10, 40.0, False, (10.0, 10.0, 10.0), 0), (0, 0, 0.0, False, (0.0, 0.0, 0.0), 0),
             (11, 1, 14.0, False, (2.0, 5.0, 1.0), 0), (69, 10, 40.0, True, (10.0, 2.0, 10.0), 31)]
    columns = [np.array(values) for values in zip(*cases)]
    found = rules.flags(*columns[:4], tuple(np.array(g) for g in zip(*columns[4])), columns[5], FLAGS)
    for k, case in enumerate(cases):
        one = rules.flags(*case, FLAGS)
        assert {n: bool(found[n][k]) for n in rules.FLAG_NAMES} == {n: bool(one[n]) for n in rules.FLAG_NAMES}


@pytest.mark.parametrize("flags, total, expected", [
    ({}, 60, "high"),
    ({"no_variation"}, 60, "none"),
    ({}, 5, "none"),
    ({"too_few_answers"}, 11, "low"),
    ({"flat_profile"}, 60, "low"),
    ({"uncertain_code"}, 60, "medium"),
    ({"many_unsure"}, 60, "medium"),
    ({"flat_profile", "uncertain_code"}, 60, "low"),
])
def test_confidence_rule(flags, total, expected):
    found = {name: name in flags for name in rules.FLAG_NAMES}
    assert rules.CONFIDENCE_NAMES[rules.confidence(found, total)] == expected


@pytest.mark.parametrize("required, highest, route, preferred, expected", [
    (3, 3, "practical", None, 1.0),  # within reach
    (3, 5, "practical", None, 1.0),  # two levels less than planned
    (3, 6, "practical", None, EDU["far_below"]),  # three or more less
    (2, 6, "practical", None, EDU["far_below"]),
    (6, 5, "school", None, EDU["gap"][1]),  # a stretch
    (7, 5, "school", None, EDU["gap"][2]),
    (8, 5, "school", None, EDU["gap"][3]),
    (8, 3, "school", None, EDU["gap"][3]),  # more than 3 levels counts as 3
    (3, 3, "practical", "school", 1.0 - EDU["route_mismatch"]),
    (6, 6, "school", "practical", 1.0 - EDU["route_mismatch"]),
    (6, 6, "school", "either", 1.0),
    (3, 3, "practical", "practical", 1.0),
    (3, None, "practical", "practical", None),  # no level given: no education part
])
def test_education_fit_per_gap_and_route(required, highest, route, preferred, expected):
    fit = rules.education_fit(required, highest, route, preferred, EDU)
    assert fit == (None if expected is None else pytest.approx(max(0.0, expected)))


@pytest.mark.parametrize("required, highest, kind", [
    (3, 3, "education_ok"), (3, 6, "education_ok"), (6, 5, "education_stretch"),
    (6, 3, "education_gap"), (8, 5, "education_gap"),
])
def test_education_reason_kind(required, highest, kind):
    assert rules.education_kind(required, highest) == kind


@pytest.mark.parametrize("level, comparable", [(2, 2), (3, 3), (4, 3), (5, 5), (6, 6), (8, 8)])
def test_a_path_level_the_level_question_lacks_counts_as_the_one_below(level, comparable):
    assert rules.comparable_level(level) == comparable


@pytest.mark.parametrize("interest, trait, has_trait, edu, has_edu, expected", [
    (0.9, 0.0, False, 0.0, False, 90.0),  # interest only
    (0.9, 0.5, True, 0.0, False, 100 * (0.6 * 0.9 + 0.25 * 0.5) / 0.85),
    (0.9, 0.5, True, 1.0, True, 100 * (0.6 * 0.9 + 0.25 * 0.5 + 0.15 * 1.0)),
    (0.9, 0.0, False, 0.7, True, 100 * (0.6 * 0.9 + 0.15 * 0.7) / 0.75),
])
def test_match_score_is_the_weighted_mean_of_the_parts_present(interest, trait, has_trait, edu, has_edu, expected):
    weights = {"interest": 0.6, "traits": 0.25, "education": 0.15}
    assert rules.match_score(interest, trait, has_trait, edu, has_edu, weights) == pytest.approx(expected)
    arrays = rules.match_score(np.array([interest]), np.array([trait]), np.array([has_trait]),
                               np.array([edu]), np.array([has_edu]), weights, where=np.where)
    assert float(arrays[0]) == rules.match_score(interest, trait, has_trait, edu, has_edu, weights)


@pytest.mark.parametrize("trait, has_trait, edu, has_edu, expected", [
    (0.5, True, 1.0, True, 100 * (0.25 * 0.5 + 0.15 * 1.0) / 0.4),  # traits and education
    (0.5, True, 0.0, False, 50.0),  # traits only
    (0.0, False, 0.7, True, 70.0),  # education only
])
def test_the_interest_part_can_be_left_out_like_any_other(trait, has_trait, edu, has_edu, expected):
    weights = {"interest": 0.6, "traits": 0.25, "education": 0.15}
    one = rules.match_score(0.9, trait, has_trait, edu, has_edu, weights, has_interest=False)
    assert one == pytest.approx(expected)
    arrays = rules.match_score(np.array([0.9]), np.array([trait]), np.array([has_trait]), np.array([edu]),
                               np.array([has_edu]), weights, where=np.where, has_interest=np.array([False]))
    assert float(arrays[0]) == one


@pytest.mark.parametrize("case, no_variation, total, traits, education, ranked, confidence", [
    ("likes everything, traits vary, education given", True, 60, True, True, True, "low"),
    ("likes everything, traits vary", True, 60, True, False, True, "low"),
    # education alone puts every job within reach at the same score: no order to show
    ("likes everything, education given, traits all equal", True, 60, False, True, False, "none"),
    ("likes everything, nothing else to go on", True, 60, False, False, False, "none"),
    ("five answers, all the same", True, 5, True, True, False, "none"),
    ("no interest answers at all", True, 0, True, True, False, "none"),
    ("interests that vary are ranked as always", False, 60, True, True, False, "high"),
])
def test_a_student_with_identical_interest_answers_is_ranked_on_the_other_parts(
        case, no_variation, total, traits, education, ranked, confidence):
    without = rules.ranks_without_interests(no_variation, total, traits)
    assert bool(without) == ranked, case
    found = {name: name == "no_variation" and no_variation for name in rules.FLAG_NAMES}
    found["too_few_answers"] = total < FLAGS["min_interest_answers"]
    assert rules.CONFIDENCE_NAMES[rules.confidence(found, total, without_interests=without)] == confidence, case
    columns = rules.ranks_without_interests(np.array([no_variation]), np.array([total]), np.array([traits]))
    assert bool(columns[0]) == ranked, case


# ------------------------------------------------------------ reasons, one rule each

MIDDLE = 50.0


@pytest.mark.parametrize("person, job, high_point, given", [
    (80, 6.0, "RI", True),
    (80, 3.0, "RI", True),  # one of the job's two high points
    (80, 3.0, "IA", False),  # neither central nor a high point
    (45, 6.0, "RI", False),  # in the code but below the student's own middle: not a liking
])
def test_interest_fit_reason(person, job, high_point, given):
    assert rules.interest_fit_reason(person, MIDDLE, job, high_point, "R", REASONS) is given


@pytest.mark.parametrize("person, job, given", [
    (20, 6.0, True), (20, 4.0, False), (40, 6.0, False), (30, 6.0, True),
])
def test_job_type_clash_reason(person, job, given):
    assert rules.job_type_clash(person, MIDDLE, job, REASONS) is given


def test_a_low_score_above_a_lower_middle_is_no_clash():
    assert rules.job_type_clash(30, 20.0, 6.0, REASONS) is False


@pytest.mark.parametrize("person, job, given", [(80, 2.0, True), (80, 3.0, False), (55, 2.0, False)])
def test_own_type_clash_reason(person, job, given):
    assert rules.own_type_clash(person, MIDDLE, job, REASONS) is given


@pytest.mark.parametrize("person, mean, z, given", [
    (80, 60, 0.5, True), (80, 60, 0.2, False), (65, 55, 0.5, False), (80, 78, 0.5, False),
])
def test_trait_fit_reason(person, mean, z, given):
    assert rules.trait_fit_reason(person, mean, z) is given


@pytest.mark.parametrize("person, mean, z, given", [
    (25, 60, 1.0, True), (25, 60, 0.5, False), (40, 60, 1.0, False), (25, 28, 1.0, False),
])
def test_trait_clash_reason(person, mean, z, given):
    assert rules.trait_clash_reason(person, mean, z) is given


@pytest.mark.parametrize("value, job, high_point, kind", [
    (5, 6.0, "RC", "like"),
    (4, 6.0, "RC", "like"),
    (3, 6.0, "RC", None),  # neutral says nothing
    ("unsure", 6.0, "RC", None),
    (5, 2.0, "IC", None),  # a like of a type that is not in the job
    (1, 2.0, "IC", "dislike"),  # "you will not have to do much of that": true here
    (2, 2.5, "IC", "dislike"),
    (1, 4.0, "IC", None),  # the job has some of it: the dislike is not told
    (1, 6.0, "RC", None),
])
def test_answer_reason(value, job, high_point, kind):
    assert rules.answer_reason(value, job, high_point, "R", REASONS) == kind


@pytest.mark.parametrize("code, scores, liked", [
    ("RIA", {"R": 80, "I": 70, "A": 60, "S": 10, "E": 10, "C": 10}, ["R", "I", "A"]),
    ("RIA", {"R": 60, "I": 42, "A": 40, "S": 40, "E": 40, "C": 38}, ["R"]),  # middle 43.3
    ("", {t: 50 for t in "RIASEC"}, []),
    ("RIA", {"R": 80, "I": 50, "A": 50, "S": 40, "E": 40, "C": 40}, ["R"]),  # I and A at the middle, 50
])
def test_a_type_is_a_liking_only_above_the_students_middle(code, scores, liked):
    assert rules.liked_types(code, scores) == liked


# ------------------------------------------------------------ display


@pytest.mark.parametrize("scores, first, places", [
    ([90.0, 85.0, 80.0], 1, [1, 2, 3]),
    ([90.0, 89.5, 89.1, 85.0], 1, [1, 1, 1, 4]),
    ([90.0, 89.5, 89.0, 88.6], 1, [1, 1, 3, 3]),  # 1.0 apart from the first of the group: a new place
    ([70.0, 69.9], 11, [11, 11]),
    # past the spread window a moved-down match can score above the one before it
    ([80.0, 79.0, 83.0, 82.5], 9, [9, 10, 11, 11]),
])
def test_near_ties_share_a_place(scores, first, places):
    assert rules.places(scores, first, 1.0) == places


@pytest.mark.parametrize("scores, confidence, level, firm", [
    ([95, 94, 93, 92, 91, 85, 85, 84, 84, 84], "high", "clear", 5),
    ([95, 94, 93, 92, 91, 85, 85, 84, 84, 84], "low", "partly", 5),
    ([95, 86, 86, 85, 85, 85, 85, 84, 84, 84], "high", "partly", 1),
    ([86, 86, 85, 85, 85, 85, 85, 84, 84, 84], "high", "open", 0),
    ([], "high", "open", 0),
])
def test_how_sure_a_list_is(scores, confidence, level, firm):
    assert rules.certainty(scores, confidence, DISPLAY) == (level, firm)


def test_the_result_shows_ties_and_how_sure_it_is(bank, catalogue):
    from conftest import pattern_answers

    values = pattern_answers(bank, {"R": 5, "C": 4}, default=2)
    result = api.score(api.new_answers(values, bank=bank), bank=bank, catalogue=catalogue)
    doc = result.to_dict()
    assert doc["certainty"]["level"] in ("clear", "partly", "open") and doc["certainty"]["text"]
    for m, shown in zip(result.matches, doc["matches"]):
        assert shown["tied"] == (m.place != m.rank) and m.label == (f"={m.place}" if m.tied else str(m.rank))
    text = __import__("jobkompas.render", fromlist=["render_results"]).render_results([result], "markdown")
    assert result.certainty_text() in text


@pytest.mark.parametrize("isco, family", [
    ("7411", "741"), ("7231", "723"), (" 2211 ", "221"), ("", None), (None, None), ("X1", None),
])
def test_the_family_is_the_isco_minor_group(isco, family):
    assert rules.family(isco) == family


@pytest.mark.parametrize("families, cap, window, order, filled", [
    # nothing to spread
    (["a", "b", "c", "d"], 2, 3, [0, 1, 2, 3], True),
    # a third of one family waits until after the window, ahead of the rest
    (["a", "a", "a", "b", "c", "d"], 2, 4, [0, 1, 3, 4, 2, 5], True),
    # several wait: they keep their own order
    (["a", "a", "a", "a", "b", "c"], 2, 3, [0, 1, 4, 2, 3, 5], True),
    # no family never waits
    ([None, None, None, "a"], 1, 3, [0, 1, 2, 3], True),
    # cap 1: one of each
    (["a", "a", "b", "b", "c"], 1, 3, [0, 2, 4, 1, 3], True),
    # too short to fill the window: the caller must look further down
    (["a", "a", "a"], 2, 3, [0, 1, 2], False),
])
def test_a_top_list_spreads_over_families(families, cap, window, order, filled):
    assert rules.spread(families, cap, window) == (order, filled)


def test_the_top_10_holds_at_most_two_of_one_family_on_every_path(bank, catalogue):
    """A student of investigative and social interests gets many psychologists, doctors and
    university teachers: no more than two of one ISCO minor group in the top 10, the others
    right after it; "see more" continues the same list."""
    from conftest import pattern_answers

    values = pattern_answers(bank, {"I": 5, "S": 4}, default=1)
    answers = api.new_answers(values, bank=bank)
    top = api.score(answers, top=30, bank=bank, catalogue=catalogue).matches
    cap, window = DISPLAY["family_cap"], DISPLAY["spread_window"]
    families = [rules.family(m.occupation.codes.get("isco08")) for m in top]
    first = [f for f in families[:window] if f]
    assert max(first.count(f) for f in first) <= cap
    scores = [m.score for m in top]
    assert scores[window] > scores[window - 1]  # one moved down (else the test says nothing)
    assert scores[:window] == sorted(scores[:window], reverse=True)
    more = api.score(answers, top=10, offset=10, bank=bank, catalogue=catalogue).matches
    assert [m.occupation.id for m in more] == [m.occupation.id for m in top[10:20]]


def test_a_job_in_the_top_10_links_to_similar_jobs_moved_down(bank, catalogue):
    from conftest import pattern_answers

    from jobkompas.render import render_results

    values = pattern_answers(bank, {"I": 5, "S": 4}, default=1)
    result = api.score(api.new_answers(values, bank=bank), top=10, bank=bank, catalogue=catalogue)
    full = api.score(api.new_answers(values, bank=bank), top=40, bank=bank, catalogue=catalogue).matches
    rank_of = {m.occupation.id: m.rank for m in full}
    window = DISPLAY["spread_window"]
    linked = [(m, oid, rank) for m in result.matches for oid, rank in m.match.similar]
    assert linked
    for m, oid, rank in linked:
        assert rank > window and rank_of[oid] == rank  # the rank it has further down
        assert full[rank - 1].score >= result.matches[-1].score  # it was moved down, not just lower
        assert rules.family(catalogue.occupations[oid].codes["isco08"]) == rules.family(m.occupation.codes["isco08"])
    first, oid, rank = linked[0]
    doc = result.to_dict()["matches"][first.rank - 1]
    assert {"id": oid, "rank": rank} in doc["similar"]
    title = catalogue.occupations[oid].title("nb")
    assert "Lignende yrker lenger ned på lista: " in render_results([result.__class__(
        result.answers, result.profile, result.matches, result.ranked, "nb", result.country, bank, catalogue)], "markdown")
    assert f"{title} ({rank})" in first.similar_text(catalogue, "nb")


# ------------------------------------------------------------ missing data


def test_no_occupation_lacks_work_styles_and_estimates_say_where_from(catalogue):
    estimated = [o for o in catalogue.occupations.values() if o.work_styles_source]
    assert not [o.id for o in catalogue.occupations.values() if not o.work_styles]
    assert len(estimated) >= 40
    for occ in estimated:
        ids = occ.work_styles_source.removeprefix("estimated from ").split(", ")
        assert len(ids) == 1 and all(i in catalogue.occupations and not catalogue.occupations[i].work_styles_source
                                     for i in ids)


@pytest.mark.slow
def test_an_occupation_with_estimated_work_styles_gets_a_trait_part(bank, catalogue):
    from conftest import pattern_answers

    values = pattern_answers(bank, {"S": 5, "R": 4, "I": 4}, default=1, traits=None)
    values.update({q.id: (5 if q.dimension in ("caring", "steady") else 2) for q in bank.by_block("trait")})
    result = api.score(api.new_answers(values, bank=bank), top=len(catalogue), bank=bank, catalogue=catalogue)
    assert all(m.match.components.traits is not None for m in result.matches)


@pytest.mark.slow
def test_estimated_figures_do_not_win_more_than_their_share(bank, catalogue):
    """The rule that fills in missing work styles keeps those occupations from winning just
    because a part of the score is missing (benchmarks/quality.py measures it at full size)."""
    rng = np.random.default_rng(5)
    occupations = list(catalogue.occupations.values())
    share = sum(o.estimated_figures for o in occupations) / len(occupations)
    places = held = 0
    for _ in range(40):
        occ = occupations[rng.integers(len(occupations))]
        level = {t: 1 + (occ.interests[k] - 1) * 4 / 6 for k, t in enumerate("RIASEC")}
        values = {q.id: int(min(5, max(1, round(level[q.dimension] + rng.normal(0, 0.8)))))
                  for q in bank.by_block("interest")}
        values.update({q.id: int(rng.integers(1, 6)) for q in bank.by_block("trait")})
        result = api.score(api.new_answers(values, bank=bank), bank=bank, catalogue=catalogue)
        places += len(result.matches)
        held += sum(m.occupation.estimated_figures for m in result.matches)
    assert held / places <= 3 * share


def test_empty_answers_have_no_holland_code(bank, catalogue):
    result = api.score(api.new_answers({}, bank=bank), bank=bank, catalogue=catalogue)
    assert result.profile.holland == "" and result.to_dict()["profile"]["holland_code"] == ""
    same = api.score(api.new_answers({q.id: 4 for q in bank.by_block("interest")}, bank=bank),
                     bank=bank, catalogue=catalogue)
    assert same.profile.holland == "" and not same.matches


def _enthusiast(bank, **extra):
    """'Like' to every activity of the standard form, trait statements that vary, and ``extra``."""
    values = {q.id: 4 for q in bank.form("standard") if q.block == "interest"}
    traits = sorted({q.dimension for q in bank.by_block("trait")})
    for q in bank.form("standard"):
        if q.block == "trait":
            level = 1 + (2 * traits.index(q.dimension)) % 5
            values[q.id] = 6 - level if q.reverse else level  # a reverse-keyed statement the other way
    values.update(extra)
    return values


@pytest.mark.parametrize("lang, says", [
    ("en", "This list comes only from how you like to work and what education you plan."),
    ("nb", "Denne lista bygger bare på hvordan du liker å jobbe og hvilken utdanning du planlegger."),
    ("da", "Listen bygger kun på, hvordan du kan lide at arbejde, og hvilken uddannelse du planlægger."),
])
def test_an_enthusiastic_student_gets_a_list_from_traits_and_education_and_is_told_so(bank, catalogue, lang, says):
    values = _enthusiast(bank, **{"EDU-highest": "no-fagbrev", "EDU-route": "practical"})
    result = api.score(api.new_answers(values, bank=bank, country="norway", language=lang), bank=bank,
                       catalogue=catalogue)
    assert len(result.matches) == 10
    assert result.flags == ["no_variation"] and result.profile.confidence == "low" and result.profile.holland == ""
    for m in result.matches:
        c = m.match.components
        assert c.interest is None and c.traits is not None and c.education is not None
        assert not [r for r in m.match.reasons if r.kind in ("interest_fit", "interest_clash", "answer")]
    doc = result.to_dict()
    assert doc["profile"]["holland_code"] == "" and doc["profile"]["confidence"] == "low"
    assert doc["matches"][0]["breakdown"]["interest"] is None
    (flag,) = doc["profile"]["flags"]
    assert flag["id"] == "no_variation" and says in flag["text"] and result.flag_texts() == [flag["text"]]
    assert doc["certainty"]["level"] != "clear"  # never more than partly sure
    import json
    from importlib import resources

    import jsonschema

    jsonschema.validate(doc, json.loads(resources.files("jobkompas").joinpath("schemas/result.schema.json").read_text()))
    from jobkompas.render import render_results

    shown = render_results([result], "markdown")
    assert says in shown
    assert result.matches[0].occupation.title(lang) in shown


def test_with_traits_only_the_student_is_told_so_and_education_alone_gives_no_list(bank, catalogue):
    traits_only = api.score(api.new_answers(_enthusiast(bank), bank=bank), bank=bank, catalogue=catalogue)
    assert traits_only.matches and "comes only from how you like to work." in traits_only.flag_texts()[0]
    assert all(m.match.components.education is None for m in traits_only.matches)
    values = {q.id: 2 for q in bank.form("standard") if q.block == "interest"}
    values["EDU-highest"] = "no-bachelor"
    education_only = api.score(api.new_answers(values, bank=bank, country="norway"), bank=bank, catalogue=catalogue)
    assert not education_only.matches and education_only.profile.confidence == "none"


def test_identical_interests_and_nothing_else_to_go_on_still_give_no_matches(bank, catalogue):
    values = {q.id: 5 for q in bank.form("standard") if q.block == "interest"}
    values.update({q.id: 3 for q in bank.by_block("trait")})  # all traits equal: no trait part
    result = api.score(api.new_answers(values, bank=bank), bank=bank, catalogue=catalogue)
    assert not result.matches and result.profile.confidence == "none"
    assert "No matches are shown" in result.flag_texts()[0]


# ------------------------------------------------------------ activity links


@pytest.mark.parametrize("value, answered, type_mean, share, expected", [
    # a student neutral on the type as a whole: (answer − 3) / 2
    (5, True, 3.0, 0.5, 1.0), (4, True, 3.0, 0.5, 0.5), (3, True, 3.0, 0.5, 0.0), (2, True, 3.0, 0.5, -0.5),
    (1, True, 3.0, 0.5, -1.0),
    # one who likes the whole type: half of that general liking is taken off
    (5, True, 5.0, 0.5, 0.5), (4, True, 4.0, 0.5, 0.25), (3, True, 4.0, 0.5, -0.25),
    # one who dislikes the type but likes this activity: clear, and kept within −1 … 1
    (5, True, 2.0, 0.5, 1.0), (5, True, 1.5, 1.0, 1.0), (1, True, 4.5, 1.0, -1.0),
    (5, True, 5.0, 0.0, 1.0),  # share 0: the answer alone
    (5, False, 3.0, 0.5, 0.0),  # not answered, or "not sure"
])
def test_link_value_of_an_answer(value, answered, type_mean, share, expected):
    assert rules.link_value(value, answered, type_mean, share) == expected
    arrays = rules.link_value(np.array([float(value)]), np.array([answered]), np.array([type_mean]), share, where=np.where)
    assert float(arrays[0]) == expected


def test_liking_every_activity_of_a_type_lifts_linked_jobs_less_than_liking_one(bank, catalogue):
    """A student who likes every practical activity says less about the electrician's own
    work than one who likes finding electrical faults above the other practical activities."""
    from jobkompas.scoring import activity_signals

    everything = {q.id: 5 for q in bank.by_block("interest") if q.dimension == "R"}
    one = {**{q.id: 3 for q in bank.by_block("interest") if q.dimension == "R"}, "R25": 5}
    share = config()["weights"]["activity_type_share"]
    assert activity_signals(everything, bank)["7411"] == 1.0 - share
    assert activity_signals(one, bank)["7411"] == pytest.approx(1.0 - share * ((5 - 3) / len(one)) / 2)
    assert activity_signals(one, bank)["7411"] > activity_signals(everything, bank)["7411"]


@pytest.mark.parametrize("total, count, signal", [
    (1.0, 1, 1.0), (1.5, 2, 0.75), (-0.5, 1, -0.5), (0.5, 2, 0.25),  # mean of the answered linked items
    (0.0, 0, 0.0),  # none answered
])
def test_activity_signal_is_the_mean_over_answered_linked_items(total, count, signal):
    assert rules.activity_signal(total, count) == signal
    assert float(rules.activity_signal(np.array([total]), np.array([count]), where=np.where)[0]) == signal


@pytest.mark.parametrize("score, signal, weight, moved", [
    (80.0, 1.0, 0.5, 90.0),  # strongly like: half the way to 100
    (80.0, 0.5, 0.5, 85.0),  # like: a quarter of the way
    (80.0, -1.0, 0.5, 40.0),  # strongly dislike: half the way to 0
    (80.0, 0.0, 0.5, 80.0),  # nothing linked answered, or only neutral answers
    (80.0, 1.0, 0.0, 80.0),  # weight 0: no links
    (100.0, 1.0, 1.0, 100.0), (0.0, -1.0, 1.0, 0.0),  # never beyond 0–100
])
def test_linked_activities_move_the_match_score(score, signal, weight, moved):
    assert rules.linked_score(score, signal, weight) == pytest.approx(moved)
    arrays = rules.linked_score(np.array([score]), np.array([signal]), weight, where=np.where)
    assert float(arrays[0]) == rules.linked_score(score, signal, weight)


def test_a_liked_activity_moves_a_job_past_others_of_its_type(bank, catalogue):
    """Jobs of one type have nearly the same interest fit, so the link moves the whole score:
    a strongly liked "find and fix the fault when something electrical stops working" takes
    the electrician's score (here the interest part alone) ``activity_link`` × signal of the
    way to 100."""
    from conftest import pattern_answers

    base = pattern_answers(bank, {"R": 4, "C": 3}, default=2)
    got = {}
    for answer in (3, 5):
        result = api.score(api.new_answers({**base, "R25": answer}, bank=bank), top=len(catalogue), bank=bank,
                           catalogue=catalogue)
        got[answer] = next(m for m in result.matches if m.occupation.id == "electrician")
    neutral, liked = got[3], got[5]
    weight = config()["weights"]["activity_link"]
    for m in (neutral, liked):  # the interest part alone, moved by the signal of R25
        unlinked, signal = 100 * m.match.components.interest, m.match.components.activity
        moved = unlinked + weight * signal * (100 - unlinked if signal > 0 else unlinked)
        assert m.score == round(moved, 1)
    assert liked.match.components.activity > 0 > neutral.match.components.activity  # R25 vs the other R answers
    assert liked.rank < neutral.rank


@pytest.mark.parametrize("answers, occupation, signal", [
    # unit group 4321 (stock clerks): C07, C14 and C17 link to it; the weigher and checker is
    # left out of C07 (lending equipment) and C17 (ordering stock), not of C14 (a storeroom).
    # C01 (and C06) are unlinked answers that bring the student's mean for the type to 3, so
    # each linked answer counts (answer − 3) / 2 (rules.link_value).
    ({"C07": 5, "C14": 1, "C17": 5, "C01": 1}, "shipping-and-receiving-clerk", (1 - 1 + 1) / 3),
    ({"C07": 5, "C14": 1, "C17": 5, "C01": 1}, "weigher-and-checker", -1.0),
    ({"C07": 5, "C17": 4, "C01": 1, "C06": 2}, "weigher-and-checker", 0.0),  # only items that leave it out
    ({"C07": 5, "C17": 4, "C01": 1, "C06": 2}, "shipping-and-receiving-clerk", 0.75),
    ({"R04": 5, "R03": 1}, "car-mechanic", 1.0),
    ({"R04": 5, "R03": 1}, "auto-glass-fitter", 0.0),  # a tyre is not an auto glass fitter's everyday work
    ({"R25": 5}, "car-mechanic", None),  # nothing linked to its group answered
    # R25 (electrical faults) reaches all of ISCO-08 741 but the valve technician (7412)
    ({"R25": 5, "R03": 1}, "elevator-technician", 1.0),
    ({"R25": 5, "R03": 1}, "power-line-worker", 1.0),
    ({"R25": 5, "R03": 1}, "control-valve-technician", 0.0),
])
def test_an_items_not_for_leaves_those_occupations_out_of_its_link(bank, catalogue, answers, occupation, signal):
    from jobkompas.scoring import activity_signals, occupation_signal

    occ = catalogue.occupations[occupation]
    assert occupation_signal(activity_signals(answers, bank), occ.codes.get("isco08"), occ.id) == signal


def test_an_activity_is_not_given_as_everyday_work_where_it_is_not(bank, catalogue):
    """Liking "change a tyre" raises the car mechanic and says so; the auto glass fitter, in
    the same ISCO-08 group, is neither raised nor told that tyres are its everyday work."""
    from conftest import pattern_answers

    base = pattern_answers(bank, {"R": 4, "C": 3}, default=2)
    got = {}
    for answer in (3, 5):
        result = api.score(api.new_answers({**base, "R04": answer}, bank=bank), top=len(catalogue), bank=bank,
                           catalogue=catalogue)
        got[answer] = {m.occupation.id: m for m in result.matches}
    for job, linked in (("car-mechanic", True), ("auto-glass-fitter", False)):
        told = [r for r in got[5][job].match.reasons if r.kind == "activity" and r.data["question"] == "R04"]
        moved = got[5][job].score - got[3][job].score
        assert bool(told) is linked
        assert (moved >= 1.0) if linked else (abs(moved) < 1.0)


@pytest.mark.parametrize("value, kind", [(5, "like"), (4, "like"), (3, None), (2, "dislike"), (1, "dislike"),
                                         ("unsure", None)])
def test_activity_reason(value, kind):
    assert rules.activity_reason(value) == kind


def test_a_liked_everyday_activity_raises_its_jobs_and_says_so(bank, catalogue):
    """Liking electrical fault-finding raises the electrician (ISCO 7411) and says why;
    disliking it lowers the electrician; other jobs keep their scores."""
    from conftest import pattern_answers

    base = pattern_answers(bank, {"R": 4, "I": 3}, default=1)
    scores = {}
    for answer in (1, 3, 5):
        result = api.score(api.new_answers({**base, "R25": answer}, bank=bank), top=len(catalogue), bank=bank,
                           catalogue=catalogue)
        scores[answer] = {m.occupation.id: m for m in result.matches}
    liked, neutral, disliked = (scores[a]["electrician"] for a in (5, 3, 1))
    assert liked.score > neutral.score > disliked.score
    assert liked.rank < neutral.rank < disliked.rank
    assert 'You said you would like to "find and fix the fault when something electrical' in " ".join(liked.reasons)
    assert "everyday work in this job" in " ".join(disliked.reasons)
    assert not [r for r in disliked.match.reasons if r.kind == "activity" and r.positive]
    assert not [r for r in neutral.match.reasons if r.kind == "activity"]
    # a job the item is not linked to gets no reason from it
    assert not [r for r in scores[5]["plumber"].match.reasons if r.kind == "activity" and r.data["question"] == "R25"]


def test_the_adaptive_ranking_uses_the_activity_links(bank, catalogue):
    """The adaptive form's ranking (on the interest fit) moves it by the same rule as the score."""
    from jobkompas.adaptive import _Ranker, current_profile, _tallies
    from jobkompas.scoring import best_ranked, build_profile, occupation_signal

    values = {q.id: (4 if q.dimension == "R" else 2) for q in bank.form("standard") if q.block == "interest"}
    values.update({"R25": 5, "R04": 1, "EDU-country": "norway"})
    ranker = _Ranker(catalogue, "norway")
    signal = ranker.signal(values, bank)
    fits = ranker.fits([current_profile(_tallies(values, bank))], signal)[0]
    columns = catalogue.columns
    kept = [i for i, out in enumerate(columns.left_out["norway"]) if not out]
    ranked, _ = best_ranked(build_profile(values, bank), columns, None)
    signals = build_profile(values, bank).activities
    interest = {i: rules.linked_score(100 * comp.interest, occupation_signal(signals, columns.units[i], columns.ids[i]) or 0.0,
                                      config()["weights"]["activity_link"]) / 100 for _, i, comp in ranked}
    assert np.allclose([interest[i] for i in kept], fits, rtol=0, atol=1e-12)
    electrician = kept.index(columns.ids.index("electrician"))
    r_answers = [v for qid, v in values.items() if qid in bank.questions and bank.questions[qid].dimension == "R"]
    mean, share = sum(r_answers) / len(r_answers), config()["weights"]["activity_type_share"]
    assert signal[electrician] == rules.link_value(5, True, mean, share) > 0
    assert signal[kept.index(columns.ids.index("car-mechanic"))] == rules.link_value(1, True, mean, share) < 0
    # the tyre is not an auto glass fitter's everyday work (R04's not_for): no signal from it
    assert signal[kept.index(columns.ids.index("auto-glass-fitter"))] == 0.0


@pytest.mark.parametrize("item, job", [
    ("S19", "nurse"), ("S20", "physiotherapist"), ("R20", "veterinarian"), ("R21", "airline-pilot"),
    ("R22", "police-officer"), ("R23", "mechanical-engineer"), ("R24", "baker"),
])
def test_each_activity_of_the_second_revision_raises_the_job_it_was_written_for(bank, catalogue, item, job):
    """The seven activities added for jobs the bank had no item for (docs/questions.md) are
    linked to those jobs' unit groups: liking one moves the job up and names the activity."""
    from conftest import pattern_answers

    assert item in [q.id for q in bank.form("standard")]
    base = pattern_answers(bank, {"R": 3, "S": 3}, default=2)
    ranks = {}
    for answer in (3, 5):
        result = api.score(api.new_answers({**base, item: answer}, bank=bank), top=len(catalogue), bank=bank,
                           catalogue=catalogue)
        ranks[answer] = next(m for m in result.matches if m.occupation.id == job)
    assert ranks[5].rank < ranks[3].rank
    told = [r for r in ranks[5].match.reasons if r.kind == "activity" and r.positive]
    assert [r.data["question"] for r in told] == [item]


def test_the_json_breakdown_gives_the_activity_signal_that_moved_the_score(bank, catalogue):
    """breakdown has the three parts and the activity signal; the score is their weighted
    mean moved by that signal (rules.linked_score), so a script can recompute it."""
    from conftest import pattern_answers
    from jobkompas.scoring import activity_signals, occupation_signal

    values = {**pattern_answers(bank, {"R": 4, "C": 3}, default=2), "R25": 5, "R04": 2}
    result = api.score(api.new_answers(values, bank=bank), top=len(catalogue), bank=bank, catalogue=catalogue)
    matches = {m["id"]: m for m in result.to_dict()["matches"]}
    weights = config()["weights"]
    signals = activity_signals(values, bank)
    for job in ("electrician", "car-mechanic", "plumber", "drilling-machine-operator"):
        occ = catalogue.occupations[job]
        signal = occupation_signal(signals, occ.codes.get("isco08"), job)
        b = matches[job]["breakdown"]
        assert b["activity"] == (None if signal is None else round(signal, 4))
        parts = rules.match_score(b["interest"] / 100, 0.0, False, 0.0, False, weights)
        expected = parts if signal is None else rules.linked_score(parts, signal, weights["activity_link"])
        assert matches[job]["score"] == pytest.approx(expected, abs=0.06)
    assert matches["electrician"]["breakdown"]["activity"] > 0 > matches["car-mechanic"]["breakdown"]["activity"]
    assert matches["drilling-machine-operator"]["breakdown"]["activity"] is None
