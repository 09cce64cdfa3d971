"""The programme register and the path steps that name it: each rule on its own."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from jobkompas.catalogue import parse_catalogue
from jobkompas.cli import main
from jobkompas.errors import ExitCode
from jobkompas.resources import occupations_dir, programmes_dir

NORWAY = """\
programmes:
  no-vg1-elektro-data:
    kind: school
    isced: 3
    years: 1
    name: {en: Vg1 Electro, nb: Vg1 elektro og datateknologi, da: Vg1 elektro}
  no-vg2-elenergi-ekom:
    kind: school
    isced: 3
    years: 1
    name: {en: Vg2 Power, nb: Vg2 elenergi og ekom, da: Vg2 elenergi}
    after: [no-vg1-elektro-data]
  no-fag-elektriker:
    kind: apprenticeship
    isced: 3
    years: 2
    name: {en: Apprenticeship as an electrician, nb: Læretid og fagbrev i elektrikerfaget, da: Læretid som elektriker}
    after: [no-vg2-*]
    authorisation: {by: DSB, en: Qualified electrician, nb: Kvalifisert elektriker, da: Kvalificeret elektriker}
  no-fagskole-elkraft:
    kind: higher
    isced: 5
    years: 2
    name: {en: Fagskole in electrical power, nb: Fagskole i elkraft, da: Fagskole i elkraft}
"""
DENMARK = """\
programmes:
  dk-gf2-teknologi-byggeri-transport:
    kind: school
    isced: 3
    years: 0.5
    name: {en: Basic course 2, nb: Grunnforløp 2, da: Grundforløb 2}
  dk-eud-elektriker:
    kind: apprenticeship
    isced: 3
    years: 3.5
    name: {en: Electrician, nb: Elektriker, da: Elektriker}
    after: [dk-gf2-*]
"""
OTHER = """\
programmes:
  xx-vocational-school:
    kind: school
    isced: 3
    years: 2
    name: {en: Vocational school, nb: Yrkesskole, da: Erhvervsskole}
  xx-apprenticeship:
    kind: apprenticeship
    isced: 3
    years: 3
    name: {en: Apprenticeship, nb: Lærlingtid, da: Lærlingeuddannelse}
"""
GOOD_PATHS = """\
  norway:
  - programme: no-vg1-elektro-data
  - programme: no-vg2-elenergi-ekom
  - programme: no-fag-elektriker
  - {kind: work, years: 2, en: A few years' work, nb: Noen års arbeid, da: Nogle års arbejde}
  - programme: no-fagskole-elkraft
    optional: true
  denmark:
  - programme: dk-gf2-teknologi-byggeri-transport
  - programme: dk-eud-elektriker
    note: {en: with a training agreement, nb: med læreplass, da: med uddannelsesaftale}
  other:
  - programme: xx-vocational-school
    subject: {en: electrical installation, nb: elektroinstallasjon, da: el-installation}
  - programme: xx-apprenticeship
"""


def occupation(paths: str = GOOD_PATHS, extra: str = "") -> str:
    return textwrap.dedent("""\
        id: sparky
        onet: 47-2111.00
        titles: {en: Electrician, nb: Elektriker, da: Elektriker}
        codes: {onet_soc: 47-2111.00}
        figures:
          interests: {R: 7.0, I: 3.0, A: 1.5, S: 1.5, E: 2.0, C: 3.5}
          high_point: RC
          job_zone: 3
          education: {isced: 3}
        """) + "paths:\n" + paths + extra


@pytest.fixture
def content(tmp_path: Path):
    """A one-occupation catalogue with a small register beside it; returns a writer."""
    occ, prog = tmp_path / "occupations", tmp_path / "programmes"
    occ.mkdir()
    prog.mkdir()
    shutil.copy(occupations_dir() / "_path-templates.yaml", occ)

    def write(paths: str = GOOD_PATHS, extra: str = "", *, norway: str = NORWAY, denmark: str = DENMARK,
              other: str = OTHER):
        (occ / "sparky.yaml").write_text(occupation(paths, extra), encoding="utf-8")
        (prog / "norway.yaml").write_text(norway, encoding="utf-8")
        (prog / "denmark.yaml").write_text(denmark, encoding="utf-8")
        (prog / "other.yaml").write_text(other, encoding="utf-8")
        return parse_catalogue(occ)

    write.occ, write.prog = occ, prog
    return write


def messages(catalogue) -> list[str]:
    return [f"{Path(p.file).name}:{p.line}: {p.message}" for p in catalogue.problems]


def test_a_good_path_resolves_names_levels_and_authorisations(content):
    cat = content()
    assert messages(cat) == []
    occ = cat.get("sparky")
    norway = cat.path(occ, "norway")
    assert [s.programme for s in norway] == ["no-vg1-elektro-data", "no-vg2-elenergi-ekom", "no-fag-elektriker",
                                            None, "no-fagskole-elkraft"]
    assert norway[2].text["nb"] == "Læretid og fagbrev i elektrikerfaget" and norway[2].years == 2
    assert norway[2].authorisation["by"] == "DSB"
    assert norway[4].optional and norway[3].kind == "work"
    assert cat.path_level(occ, "norway") == 3, "the optional fagskole does not raise the level"
    assert cat.get("sparky").path_levels["norway"] == 3
    assert cat.path(occ, "denmark")[1].text["da"] == "Elektriker – med uddannelsesaftale"
    assert cat.path(occ, "other")[0].text["en"] == "Vocational school: electrical installation"
    assert not any(cat.path_is_outline(occ, c) for c in ("norway", "denmark", "other"))


def test_a_required_higher_step_sets_the_level(content):
    cat = content(GOOD_PATHS.replace("    optional: true\n", ""))
    assert cat.path_level(cat.get("sparky"), "norway") == 5


def test_a_template_path_is_an_outline_at_the_recipes_level(content):
    cat = content("  template: electro\n")
    occ = cat.get("sparky")
    assert cat.path_is_outline(occ, "norway") and cat.path(occ, "norway")
    assert cat.path_level(occ, "norway") == cat.templates.level("norway", 3)


STEP_PROBLEMS = [
    ("unknown id", ("no-fag-elektriker", "no-fag-trollmann"),
     "paths.norway step 3: unknown programme 'no-fag-trollmann' (not in programmes/norway.yaml)"),
    ("another country's id", ("- programme: no-fagskole-elkraft", "- programme: dk-eud-elektriker"),
     "paths.norway step 5: 'dk-eud-elektriker' is not a programme of norway (ids here start with 'no-'; "
     "'dk-eud-elektriker' belongs to denmark)"),
    ("prerequisite missing", ("  - programme: no-vg2-elenergi-ekom\n", ""),
     "paths.norway step 2: no-fag-elektriker comes after no-vg2-*, which must appear earlier in the path"),
    ("prerequisite later", ("  - programme: no-vg1-elektro-data\n  - programme: no-vg2-elenergi-ekom\n",
                            "  - programme: no-vg2-elenergi-ekom\n  - programme: no-vg1-elektro-data\n"),
     "paths.norway step 1: no-vg2-elenergi-ekom comes after no-vg1-elektro-data, which must appear earlier in the path"),
    ("years disagree", ("  - programme: no-fag-elektriker\n", "  - programme: no-fag-elektriker\n    years: 3\n"),
     "paths.norway step 3: 'years' (3) disagrees with the register (2 for no-fag-elektriker); "
     "leave it out or correct the register"),
    ("free school step", ("  - {kind: work, years: 2,", "  - {kind: school, years: 2,"),
     "paths.norway step 4: a school step names a register entry ('programme: <id>'); "
     "free steps are only of kind work or course"),
    ("subject on a national id", ("    note: {en: with", "    subject: {en: with"),
     "paths.denmark step 2: 'subject' is for the generic xx- programmes; a national programme already names its subject"),
    ("note without Danish", ("nb: med læreplass, da: med uddannelsesaftale}", "nb: med læreplass}"),
     "paths.denmark step 2: 'note' needs en, nb and da text; missing da"),
    ("optional not a boolean", ("    optional: true\n", "    optional: maybe\n"),
     "paths.norway step 5: 'optional' must be true or false"),
    ("unknown key", ("    optional: true\n", "    optinal: true\n"),
     "paths.norway step 5: unknown key 'optinal' in a programme step (use optional, note, subject; "
     "the register gives kind, years and names)"),
]


@pytest.mark.parametrize("case, change, expected", STEP_PROBLEMS, ids=[c[0] for c in STEP_PROBLEMS])
@pytest.mark.slow
def test_each_path_step_rule(content, case, change, expected):
    old, new = change
    assert old in GOOD_PATHS
    cat = content(GOOD_PATHS.replace(old, new, 1))
    found = [m.split(": ", 1)[1] for m in messages(cat)]
    assert found == [expected]


REVIEW_PROBLEMS = [
    ("unknown value", "review: {paths: done}\n", "review.paths must be one of template, written, checked"),
    ("unknown key", "review: {paths: written, texts: written}\n", "review: unknown key 'texts' (use text and paths)"),
    ("text without a summary", "review: {text: checked, paths: written}\n", "review.text is 'checked' but the file has no summary"),
    ("not a mapping", "review: written\n", "review must be a mapping such as {text: written, paths: written}"),
]


@pytest.mark.parametrize("case, review, expected", REVIEW_PROBLEMS, ids=[c[0] for c in REVIEW_PROBLEMS])
@pytest.mark.slow
def test_each_review_rule(content, case, review, expected):
    cat = content(extra=review)
    assert [m.split(": ", 1)[1] for m in messages(cat)] == [expected]


def test_written_paths_must_cover_every_country_and_a_template_state_needs_a_template(content):
    only_norway = GOOD_PATHS.split("  denmark:")[0] + "  template: electro\n"
    cat = content(only_norway, "review: {paths: written}\n")
    assert [m.split(": ", 1)[1] for m in messages(cat)] == [
        "review.paths is 'written' but paths are not written for: denmark, other"]
    cat = content(extra="review: {paths: template}\n")
    assert [m.split(": ", 1)[1] for m in messages(cat)] == [
        "review.paths is 'template' but the file names no path template"]


def test_review_state_is_kept_and_derived(content):
    assert content().get("sparky").review == {"text": None, "paths": "written"}
    cat = content("  template: electro\n")
    assert cat.get("sparky").review == {"text": None, "paths": "template"}
    assert cat.review_counts()["paths_template"] == 1


REGISTER_PROBLEMS = [
    ("name without Danish", ("da: Vg1 elektro}", "}"), "norway.yaml",
     "programme no-vg1-elektro-data: name: missing or empty 'da' text"),
    ("level out of range", ("    isced: 5\n", "    isced: 9\n"), "norway.yaml",
     "programme no-fagskole-elkraft: 'isced' must be a whole number from 0 to 8"),
    ("unknown kind", ("    kind: higher\n", "    kind: university\n"), "norway.yaml",
     "programme no-fagskole-elkraft: 'kind' must be one of school, apprenticeship, certificate, higher, course, military"),
    ("years missing", ("    years: 2\n    name: {en: Fagskole", "    name: {en: Fagskole"), "norway.yaml",
     "programme no-fagskole-elkraft: 'years' must be a number from 0 to 12"),
    ("another country's prefix", ("  no-fagskole-elkraft:", "  dk-fagskole-elkraft:"), "norway.yaml",
     "programme dk-fagskole-elkraft: ids in norway.yaml start with 'no-'"),
    ("after names nothing", ("after: [no-vg2-*]", "after: [no-vg2-*, no-vg3-*]"), "norway.yaml",
     "programme no-fag-elektriker: 'after' names unknown 'no-vg3-*'"),
    ("authorisation without who", ("authorisation: {by: DSB, ", "authorisation: {"), "norway.yaml",
     "programme no-fag-elektriker: authorisation needs 'by' (who grants it)"),
    ("unknown key", ("    years: 2\n    name: {en: Fagskole", "    years: 2\n    level: 5\n    name: {en: Fagskole"),
     "norway.yaml", "programme no-fagskole-elkraft: unknown key 'level'"),
]


@pytest.mark.parametrize("case, change, file, expected", REGISTER_PROBLEMS, ids=[c[0] for c in REGISTER_PROBLEMS])
@pytest.mark.slow
def test_each_register_rule(content, case, change, file, expected):
    old, new = change
    assert old in NORWAY
    paths = GOOD_PATHS if case != "another country's prefix" else GOOD_PATHS.replace(
        "  - programme: no-fagskole-elkraft\n    optional: true\n", "")
    cat = content(paths, norway=NORWAY.replace(old, new, 1))
    found = [m for m in messages(cat) if m.startswith(file)]
    assert [m.split(": ", 1)[1] for m in found] == [expected]


@pytest.mark.slow
def test_validate_names_file_and_line_and_prints_the_counts(content, capsys):
    content(GOOD_PATHS.replace("no-fag-elektriker\n", "no-fag-trollmann\n", 1))
    code = main(["--occupations", str(content.occ), "validate"])
    out = capsys.readouterr().out
    assert code == ExitCode.CONTENT
    line = occupation().splitlines().index("  - programme: no-fag-elektriker") + 1
    assert f"{content.occ / 'sparky.yaml'}:{line}: paths.norway step 3: unknown programme 'no-fag-trollmann'" in out

    content(extra="review: {paths: checked}\n")
    assert main(["--occupations", str(content.occ), "validate"]) == 0
    err = capsys.readouterr().err
    assert "programme register: 4 Norway, 2 Denmark, 2 elsewhere" in err
    assert "paths: 0 written, 1 checked, 0 template-built" in err
    assert "texts: 0 written, 0 checked, 1 without" in err


def test_a_changed_register_invalidates_the_cached_catalogue(content, monkeypatch):
    from jobkompas.catalogue import load_catalogue

    content()
    first = load_catalogue(content.occ)
    assert first.path(first.get("sparky"), "norway")[0].text["nb"] == "Vg1 elektro og datateknologi"
    text = (content.prog / "norway.yaml").read_text(encoding="utf-8")
    (content.prog / "norway.yaml").write_text(text.replace("nb: Vg1 elektro og datateknologi", "nb: Vg1 elektro"),
                                              encoding="utf-8")
    again = load_catalogue(content.occ)
    assert again.path(again.get("sparky"), "norway")[0].text["nb"] == "Vg1 elektro"


# ---------------------------------------------------------------- what a student sees


def test_the_occupation_page_shows_programmes_optional_steps_and_authorisations(capsys):
    assert main(["occupations", "show", "nurse", "--lang", "nb", "--country", "norway"]) == 0
    out = capsys.readouterr().out
    assert "2. Bachelor i sykepleie – 3 år" in out
    assert "→ Autorisasjon som sykepleier (Helsedirektoratet)" in out
    assert "3. Valgfritt: Videreutdanning i intensivsykepleie" in out
    assert "generell skisse" not in out, "a written path is not called an outline"


@pytest.fixture(scope="module")
def outline_dir(tmp_path_factory) -> Path:
    """The shipped catalogue with every other practical occupation (job zone 1–3) switched
    back to a template-built path, as a counsellor's own content may still have."""
    from jobkompas.yamlio import dump_yaml, load_yaml_file

    root = tmp_path_factory.mktemp("outline")
    occ = root / "occupations"
    shutil.copytree(occupations_dir(), occ)
    shutil.copytree(programmes_dir(), root / "programmes")
    practical = sorted(p for p in occ.glob("*.yaml") if not p.name.startswith("_")
                       and (load_yaml_file(p, with_lines=False).get("figures") or {}).get("job_zone", 5) <= 3)
    for path in practical[::2]:
        data = load_yaml_file(path, with_lines=False)
        data["paths"] = {"template": "industry"}
        data["review"] = {**(data.get("review") or {}), "paths": "template"}
        path.write_text(dump_yaml(data), encoding="utf-8")
    return occ


@pytest.mark.slow
def test_a_template_built_path_says_it_is_a_general_outline(capsys, outline_dir):
    catalogue = parse_catalogue(outline_dir)
    occ = next(o for o in catalogue.occupations.values() if catalogue.path_is_outline(o, "denmark"))
    assert main(["--occupations", str(outline_dir), "occupations", "show", occ.id, "--lang", "da",
                 "--country", "denmark"]) == 0
    assert "Dette er en generel skitse for faget" in capsys.readouterr().out


def test_shipped_occupations_have_no_template_built_paths(catalogue):
    assert not [o.id for o in catalogue.occupations.values()
                if any(catalogue.path_is_outline(o, c) for c in ("norway", "denmark", "other"))]


def test_occupation_json_carries_ids_levels_optional_authorisation_and_review(capsys):
    import json

    assert main(["occupations", "show", "electrician", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    norway = doc["paths"]["norway"]
    assert [s["programme"] for s in norway][:3] == ["no-vg1-elektro-data", "no-vg2-elenergi-ekom", "no-fag-elektriker"]
    assert norway[2]["isced"] == 3 and norway[2]["years"] == 2
    assert norway[2]["authorisation"]["by"].startswith("DSB")
    assert norway[3]["optional"] is True and norway[3]["programme"] == "no-fagskole-elkraft"
    assert doc["path_level"] == {"norway": 3, "denmark": 3, "other": 3}
    assert doc["path_outline"] == {"norway": False, "denmark": False, "other": False}
    assert doc["review"] == {"text": "checked", "paths": "checked"}


@pytest.mark.slow
def test_score_json_marks_outlines_and_validates_against_the_schema(bank, outline_dir):
    import json
    from importlib import resources

    import jsonschema

    from conftest import pattern_answers

    from jobkompas import api

    answers = api.new_answers(pattern_answers(bank, {"R": 5, "C": 4}), bank=bank)
    result = api.score(answers, top=30, country="norway", language="nb", catalogue=parse_catalogue(outline_dir))
    doc = result.to_dict()
    schema = json.loads(resources.files("jobkompas").joinpath("schemas/result.schema.json").read_text())
    jsonschema.validate(doc, schema)
    outlines = {m["path_outline"] for m in doc["matches"]}
    assert outlines == {True, False}, "a top 30 of practical jobs has written and template-built paths"
    written = next(m for m in doc["matches"] if not m["path_outline"])
    assert any(s["programme"] for s in written["education_path"])
    from jobkompas.render import render_markdown

    markdown = render_markdown(result)
    assert "_(Dette er en generell skisse for fagområdet" in markdown


@pytest.mark.slow
def test_the_result_table_marks_an_outline_path(bank, outline_dir):
    from conftest import pattern_answers

    from jobkompas import api
    from jobkompas.render import path_line
    from jobkompas.i18n import translator

    result = api.score(api.new_answers(pattern_answers(bank, {"R": 5, "C": 4}), bank=bank), top=30,
                       country="denmark", language="da", catalogue=parse_catalogue(outline_dir))
    tr = translator("da")
    lines = {m.outline: path_line(m, "da", tr) for m in result.matches}
    assert lines[True].endswith("(generel skitse)")
    assert "generel skitse" not in lines[False] and lines[False].startswith("Uddannelsesvej (år): ")


@pytest.mark.slow
def test_a_missing_register_file_is_one_problem_and_does_not_cascade(content, capsys):
    content()
    (content.prog / "denmark.yaml").unlink()
    assert main(["--occupations", str(content.occ), "validate"]) == ExitCode.CONTENT
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [f"{content.prog / 'denmark.yaml'}:1: no such file"]


@pytest.mark.slow
def test_register_entries_of_any_shape_give_problems_not_exceptions():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from jobkompas.problems import Checker
    from jobkompas.programmes import parse_entry

    scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 20), st.floats(allow_nan=False), st.text(max_size=8))
    values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(st.text(max_size=6), inner, max_size=4)),
                          max_leaves=8)
    keys = st.sampled_from(["kind", "isced", "years", "name", "after", "authorisation", "other"])

    @settings(max_examples=200, deadline=None)
    @given(st.text(max_size=20), st.one_of(values, st.dictionaries(keys, values, max_size=7)))
    def check(programme_id, raw):
        c = Checker("norway.yaml")
        result = parse_entry(c, "norway", programme_id, raw)
        assert (result is None) == bool(c.problems) or result is None

    check()
