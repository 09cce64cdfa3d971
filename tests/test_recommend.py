"""Which occupations are recommended where, the education level they are judged by, and the
same result whichever way a student is scored."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jobkompas import api
from jobkompas.catalogue import parse_catalogue, parse_occupation
from jobkompas.cli import app
from jobkompas.resources import COUNTRIES, occupations_dir
from jobkompas.scoring import best_ranked, build_profile

CASINO = ("casino-cashier", "casino-change-attendant", "casino-dealer", "casino-floor-supervisor",
          "casino-manager", "casino-surveillance-officer")


def mirror_answers(bank, occ, country):
    """Interest answers that follow ``occ``'s own profile."""
    level = {t: 1 + (occ.interests[k] - 1) * 4 / 6 for k, t in enumerate("RIASEC")}
    values = {q.id: int(min(5, max(1, round(level[q.dimension])))) for q in bank.by_block("interest")}
    values["EDU-country"] = country
    return values


# ------------------------------------------------------------ the not_recommended field


def _occupation(**extra):
    data = {"id": "x-job", "onet": "11-1111.00", "titles": {"en": "X", "nb": "X", "da": "X"}, "codes": {},
            "figures": {"interests": dict(zip("RIASEC", (4, 3, 2, 2, 5, 3))), "education": {"isced": 6}},
            "paths": {"template": "business"}}
    data.update(extra)
    return parse_occupation(Path("x-job.yaml"), data, {"business"})


@pytest.mark.parametrize("node, message", [
    ({"why": "famous"}, "not_recommended.why must be one of elected_office, us_only, not_in_country, not_a_career_start"),
    ({"why": "us_only", "countries": ["sweden"]}, "not_recommended.countries must list some of norway, denmark, other"),
    ({"why": "us_only", "countries": []}, "not_recommended.countries must list some of"),
    ({"why": "us_only", "country": ["norway"]}, "not_recommended: unknown key 'country'"),
    ("elected_office", "not_recommended must be a mapping"),
])
def test_a_bad_not_recommended_is_a_problem_naming_the_field(node, message):
    occ, problems = _occupation(not_recommended=node)
    assert occ is None and any(message in p.message for p in problems)


@pytest.mark.parametrize("node, countries", [
    ({"why": "elected_office"}, COUNTRIES),
    ({"why": "not_in_country", "countries": ["norway"]}, ("norway",)),
    ({"why": "us_only", "countries": ["other", "norway"]}, ("norway", "other")),
])
def test_not_recommended_is_read_with_its_countries(node, countries):
    occ, problems = _occupation(not_recommended=node)
    assert not problems and occ.not_recommended == (node["why"], countries)
    assert [k for k in COUNTRIES if occ.left_out_in(k)] == list(countries)


def test_estimated_work_styles_must_name_where_they_come_from():
    figures = {"interests": dict(zip("RIASEC", (4, 3, 2, 2, 5, 3))), "education": {"isced": 6},
               "work_styles": {"leadership": 4.0}, "work_styles_source": "guessed"}
    occ, problems = _occupation(figures=figures)
    assert occ is None and any("work_styles_source must be 'estimated from <ids>'" in p.message for p in problems)


def test_the_catalogue_marks_elected_offices_and_casinos_in_norway(catalogue):
    assert catalogue.get("member-of-parliament").not_recommended == ("elected_office", COUNTRIES)
    for occ_id in CASINO:
        assert catalogue.get(occ_id).not_recommended == ("not_in_country", ("norway",))


@pytest.mark.parametrize("country", COUNTRIES)
def test_left_out_occupations_are_never_ranked_there(bank, catalogue, country):
    for target in ("member-of-parliament", "casino-floor-supervisor"):
        occ = catalogue.get(target)
        profile = build_profile(mirror_answers(bank, occ, country), bank)
        ranked, _ = best_ranked(profile, catalogue.columns, None)
        ids = [catalogue.columns.ids[i] for _, i, _ in ranked]
        assert (target in ids) is (not occ.left_out_in(country))
        result = api.score(api.new_answers(mirror_answers(bank, occ, country), bank=bank), top=20,
                           bank=bank, catalogue=catalogue)
        if not occ.left_out_in(country):
            assert target in [m.occupation.id for m in result.matches]
        assert not any(m.occupation.left_out_in(country) for m in result.matches)


def test_the_batch_csv_leaves_them_out_for_the_rows_country(bank, catalogue, tmp_path):
    occ = catalogue.get("casino-floor-supervisor")
    rows = []
    for country in ("norway", "denmark"):
        values = mirror_answers(bank, occ, country)
        rows.append({"id": country, **values})
    path = tmp_path / "class.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = CliRunner().invoke(app, ["batch", str(path), "--top", "20"])
    assert result.exit_code == 0, result.output
    lines = {row["id"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    def listed(row):
        return {v for k, v in row.items() if k.startswith("occupation_")}
    assert "casino-floor-supervisor" in listed(lines["denmark"])
    assert not listed(lines["norway"]) & set(CASINO)


def test_the_adaptive_form_ranks_only_what_can_be_recommended(catalogue):
    from jobkompas.adaptive import _Ranker

    import yaml

    # what the pages say, read from the YAML here rather than through the code under test
    marked: dict[str, set[str]] = {"norway": set(), "denmark": set()}
    for path in occupations_dir().glob("[!_]*.yaml"):
        flag = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("not_recommended")
        if flag:
            for country in flag.get("countries") or ["norway", "denmark"]:  # elected office, us_only: both
                marked[country].add(path.stem)
    assert "member-of-parliament" in marked["norway"] and "nurse" not in marked["denmark"]
    every = len(catalogue.columns.ids)
    for country in ("norway", "denmark"):
        ranker = _Ranker(catalogue, country)
        assert len(ranker.U) == every - len(marked[country]), country
        assert {o.id for o in catalogue.occupations.values() if o.left_out_in(country)} == marked[country]
    assert set(CASINO) <= marked["norway"]


@pytest.mark.parametrize("lang, text", [
    ("en", "This is an elected office, not a job you train for"),
    ("nb", "Dette er et folkevalgt verv, ikke et yrke du utdanner deg til"),
    ("da", "Dette er et folkevalgt hverv, ikke et job, du uddanner dig til"),
])
def test_show_tells_the_student_why_it_is_not_recommended(lang, text):
    result = CliRunner().invoke(app, ["occupations", "show", "member-of-parliament", "--lang", lang])
    assert result.exit_code == 0 and text in " ".join(result.stdout.split())
    doc = json.loads(CliRunner().invoke(app, ["occupations", "show", "member-of-parliament", "--json",
                                              "--lang", lang]).stdout)
    assert doc["not_recommended"]["why"] == "elected_office" and text in doc["not_recommended"]["text"]


def test_a_casino_job_is_explained_in_norway_only():
    norway = CliRunner().invoke(app, ["occupations", "show", "casino-dealer", "--country", "norway"]).stdout
    denmark = CliRunner().invoke(app, ["occupations", "show", "casino-dealer", "--country", "denmark"]).stdout
    assert "hardly exists in the country you chose" in " ".join(norway.split())
    assert "hardly exists" not in denmark


# ------------------------------------------------------------ education level from the path shown


def test_reasons_filter_and_score_use_the_level_of_the_path_shown(bank, catalogue):
    """One level per occupation and country: the reason names it, the filter keeps what is at or
    under it, and the required level in the result is it."""
    from jobkompas.rules import comparable_level

    values = mirror_answers(bank, catalogue.get("nurse"), "norway")
    values["EDU-highest"] = "no-fagbrev"
    answers = api.new_answers(values, bank=bank)
    result = api.score(answers, top=30, bank=bank, catalogue=catalogue)
    for m in result.matches:
        level = comparable_level(catalogue.path_level(m.occupation, "norway"))
        assert m.match.required_isced == level
        kinds = [r.kind for r in m.match.reasons if r.kind.startswith("education")]
        assert kinds == [("education_ok" if level <= 3 else "education_stretch" if level == 4
                          else "education_gap" if level > 4 else "")]
    capped = api.score(answers, top=30, max_isced=3, bank=bank, catalogue=catalogue)
    assert capped.matches and all(m.match.required_isced <= 3 for m in capped.matches)
    more = api.score(answers, top=30, offset=30, max_isced=3, bank=bank, catalogue=catalogue)
    assert all(m.match.required_isced <= 3 for m in more.matches)


@pytest.mark.slow
def test_the_wizard_keeps_the_level_filter_for_more_matches_and_the_report(bank, catalogue, tmp_path):
    from rich.console import Console

    from jobkompas.wizard.flow import _results_menu

    values = mirror_answers(bank, catalogue.get("nurse"), "norway")
    values["EDU-highest"] = "no-master"
    result = api.score(api.new_answers(values, bank=bank), bank=bank, catalogue=catalogue)
    report = tmp_path / "report.md"
    script = iter(["filter", 3, "more", "save", "markdown", "quit"])
    shown = []

    class Scripted:
        def select(self, message, choices, default=None, header=None):
            return next(script)

        def text(self, message, default=""):
            return str(report)

    import jobkompas.render as render

    original = render.print_summary

    def spy(console, r, *args, **kwargs):
        shown.append(r)
        return original(console, r, *args, **kwargs)

    render.print_summary = spy
    try:
        _results_menu(Scripted(), Console(file=io.StringIO(), width=120), result)
    finally:
        render.print_summary = original
    filtered, more = shown[1], shown[2]
    assert filtered.max_isced == 3 and more.max_isced == 3 and more.matches[0].rank == 11
    assert all(m.match.required_isced <= 3 for m in filtered.matches + more.matches)
    text = report.read_text(encoding="utf-8")
    assert "Only jobs up to:" in text
    assert all(m.occupation.title("en") in text for m in filtered.matches)


def test_the_wizard_opens_a_similar_job_moved_down_from_the_top_10(bank, catalogue):
    """Details of a top-10 job name the similar jobs moved further down, and those can be
    opened from the same list."""
    from rich.console import Console

    from conftest import pattern_answers
    from jobkompas.wizard.flow import _results_menu

    values = pattern_answers(bank, {"I": 5, "S": 4}, default=1)
    result = api.score(api.new_answers(values, bank=bank), bank=bank, catalogue=catalogue)
    head = next(m for m in result.matches if m.match.similar)
    moved, rank = head.match.similar[0]
    offered = []
    script = iter(["details", head.occupation.id, "details", moved, "quit"])

    class Scripted:
        def select(self, message, choices, default=None, header=None):
            offered.append([value for _, value in choices])
            return next(script)

    out = io.StringIO()
    _results_menu(Scripted(), Console(file=out, width=120), result)
    text = out.getvalue()
    assert moved in offered[1] and moved not in [m.occupation.id for m in result.matches]
    assert f"Similar jobs further down the list: {catalogue.occupations[moved].title('en')} ({rank})" in text
    assert text.count(catalogue.occupations[moved].title("en")) >= 2  # named, then its own page shown


# ------------------------------------------------------------ one result, every path


@pytest.mark.slow
def test_a_warm_cache_ranks_exactly_like_a_cold_parse(bank, catalogue):
    cold = parse_catalogue(catalogue.directory)
    warm_columns, cold_columns = catalogue.columns, cold.columns
    assert warm_columns.levels == cold_columns.levels and warm_columns.left_out == cold_columns.left_out
    assert warm_columns.routes == cold_columns.routes
    import random

    rnd = random.Random(3)
    for _case in range(10):
        values = {q.id: rnd.randint(1, 5) for q in bank.questions.values() if q.block in ("interest", "trait")}
        values["EDU-highest"] = rnd.choice(bank.education("highest_level").options).id
        values["EDU-country"] = rnd.choice(COUNTRIES)
        profile = build_profile(values, bank)
        warm, _ = best_ranked(profile, warm_columns, 40)
        again, _ = best_ranked(profile, cold_columns, 40)
        assert [(s, warm_columns.ids[i]) for s, i, _ in warm] == [(s, cold_columns.ids[i]) for s, i, _ in again]


@pytest.mark.slow
@pytest.mark.parametrize("student", ["electrician", "likes every activity"])
def test_score_batch_api_and_wizard_give_the_same_result(bank, catalogue, tmp_path, student):
    from jobkompas.answerfile import write_answer_file

    if student == "likes every activity":  # no variation: ranked on traits and education alone
        values = {q.id: 4 for q in bank.by_block("interest")}
        values["EDU-country"] = "denmark"
    else:
        values = mirror_answers(bank, catalogue.get("electrician"), "denmark")
    values.update({q.id: 4 if q.dimension in ("structured", "persistent") else 2 for q in bank.by_block("trait")})
    if student == "likes every activity":  # traits that stand out, reverse-keyed statements the other way
        values.update({q.id: 6 - values[q.id] for q in bank.by_block("trait") if q.reverse})
    values.update({"EDU-current": "dk-folkeskole", "EDU-highest": "dk-svendebrev", "EDU-route": "practical"})
    answers = api.new_answers(values, bank=bank, language="da")
    answers.respondent = "elev-1"
    path = tmp_path / "a.yaml"
    write_answer_file(answers, path, bank)
    expected = api.score(api.read_answers(path, bank=bank), bank=bank, catalogue=catalogue).to_dict()
    assert len(expected["matches"]) == 10
    assert (expected["profile"]["confidence"] == "low") == (student == "likes every activity")

    scored = CliRunner().invoke(app, ["score", str(path), "--format", "json"])
    assert json.loads(scored.stdout) == expected

    row = {"id": "elev-1", "language": "da", **values}
    class_file = tmp_path / "class.csv"
    with class_file.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    jsonl = CliRunner().invoke(app, ["batch", str(class_file), "--format", "jsonl"])
    batch_doc = json.loads(jsonl.stdout.splitlines()[0])
    assert batch_doc["matches"] == expected["matches"] and batch_doc["profile"] == expected["profile"]
    fast = CliRunner().invoke(app, ["batch", str(class_file)]).stdout
    slow = CliRunner().invoke(app, ["score", str(path), "--format", "csv"]).stdout
    assert fast.splitlines()[1].split(",")[1:] == slow.splitlines()[1].split(",")[1:]

    from rich.console import Console

    from jobkompas.wizard.flow import run_wizard

    class Quit:
        def select(self, message, choices, default=None, header=None):
            return "quit"

        def text(self, message, default=""):
            return default

    result = run_wizard(lang="da", form="standard", country=None, prefill=str(path), resume=False, fresh=True,
                        plain=True, prompter=Quit(), console=Console(file=io.StringIO(), width=100))
    wizard = result.to_dict()
    assert wizard["matches"] == expected["matches"] and wizard["profile"] == expected["profile"]
