from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from jobkompas.cli import main
from jobkompas.errors import ExitCode
from jobkompas.resources import occupations_dir, questions_dir


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


@pytest.mark.slow
def test_shipped_content_is_valid(capsys):
    assert main(["validate"]) == 0
    shipped = sum(1 for p in occupations_dir().glob("*.yaml") if not p.name.startswith("_"))
    assert f"{shipped} occupations" in capsys.readouterr().err


@pytest.mark.slow
def test_broken_occupation_file_is_reported_with_file_and_line(tmp_path, capsys):
    occ = copy_tree(occupations_dir(), tmp_path / "occ")
    welder = occ / "welder.yaml"
    lines = welder.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("  interests:"))
    lines[number] = lines[number].replace("R: 7.0", "R: 9.5")
    title_line = next(i for i, line in enumerate(lines) if line.startswith("titles:"))
    lines[title_line] = "titles: {en: Welder, nb: Sveiser}"
    welder.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (occ / "broken.yaml").write_text("id: broken\nonet: [oops\n", encoding="utf-8")
    code = main(["--occupations", str(occ), "validate"])
    out = capsys.readouterr().out
    assert code == ExitCode.CONTENT
    assert f"{welder}:{number + 1}: figures.interests.R must be a number from 1 to 7" in out
    assert f"{welder}:{title_line + 1}: titles: missing or empty 'da' text" in out
    assert f"{occ / 'broken.yaml'}:3: invalid YAML" in out or f"{occ / 'broken.yaml'}:2: invalid YAML" in out


@pytest.mark.slow
def test_unknown_related_id_and_bad_path_step(tmp_path, capsys):
    occ = copy_tree(occupations_dir(), tmp_path / "occ")
    nurse, welder = occ / "nurse.yaml", occ / "production-supervisor.yaml"
    nurse.write_text(nurse.read_text(encoding="utf-8").replace("{programme: no-ba-sykepleie}", "{programme: no-ba-trolldom}", 1),
                     encoding="utf-8")
    text = welder.read_text(encoding="utf-8")
    welder.write_text(text.replace("next_steps: [", "next_steps: [ghost-job, ", 1), encoding="utf-8")
    code = main(["--occupations", str(occ), "validate"])
    out = capsys.readouterr().out.strip().splitlines()
    assert code == ExitCode.CONTENT
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("next_steps:"))
    assert f"{welder}:{line}: next_steps: unknown occupation id 'ghost-job'" in out
    assert any(row.startswith(f"{nurse}:") and "unknown programme 'no-ba-trolldom'" in row for row in out)
    assert len(out) == 2, "one broken file does not cascade into errors elsewhere"


def test_custom_question_bank_directory(tmp_path, capsys, monkeypatch):
    bank_dir = tmp_path / "bank"
    bank_dir.mkdir()
    (bank_dir / "interests.yaml").write_text(
        "items:\n" + "".join(
            f"  - id: X{t}{i}\n    type: {t}\n    text: {{en: Do {t}{i}, nb: Gjør {t}{i}, da: Gør {t}{i}}}\n"
            for t in "RIASEC" for i in range(3)), encoding="utf-8")
    monkeypatch.setenv("JOBKOMPAS_QUESTIONS", str(bank_dir))
    from jobkompas.questions import load_question_bank

    bank = load_question_bank(bank_dir)
    assert len(bank.by_block("interest")) == 18
    assert bank.form("full")[0].id == "XR0"
    assert bank.by_block("trait"), "missing files fall back to the built-in bank"
    assert main(["questions", "list", "--json"]) == 0
    assert '"XR0"' in capsys.readouterr().out


@pytest.mark.slow
def test_question_bank_problems_are_listed(tmp_path, capsys):
    bank_dir = copy_tree(questions_dir(), tmp_path / "q")
    text = (bank_dir / "interests.yaml").read_text(encoding="utf-8")
    (bank_dir / "interests.yaml").write_text(text.replace("type: R", "type: Z", 1), encoding="utf-8")
    code = main(["--questions", str(bank_dir), "validate"])
    out = capsys.readouterr().out
    assert code == ExitCode.CONTENT
    line = text.splitlines().index("    type: R") + 1  # R01's type, the first
    assert f"{bank_dir / 'interests.yaml'}:{line}: R01: 'type' must be one of R, I, A, S, E, C" in out


@pytest.mark.slow
def test_school_comes_before_the_on_the_job_training_it_may_replace():
    """A report's path reads as a sequence. Where a job is learnt on the job (with the short
    courses and licences the job asks for, before or after it) and a trade is optional, the
    optional Vg1/Vg2/fagbrev (GF2/hovedforløb) come first: "Training on the job → Optional: Vg1" told a student to
    start work and go to school after. A helper is the exception: the trade is their next step."""
    from jobkompas import api

    catalogue = api.load_catalogue()
    wrong = []
    for occ in catalogue.occupations.values():
        if occ.id.endswith("-s-helper"):
            continue
        for country in ("norway", "denmark"):
            steps = catalogue.path(occ, country)
            k = 0  # the leading required work, courses and licences ("Driving licence → Training on the job")
            while k < len(steps) and not steps[k].optional and steps[k].kind in ("work", "course", "certificate"):
                k += 1
            if not any(s.kind == "work" for s in steps[:k]):
                continue
            for s in steps[k:]:
                if not s.optional or s.kind == "higher" or (s.isced or 0) > 3:
                    break
                if s.kind in ("school", "apprenticeship"):
                    wrong.append(f"{occ.id} ({country})")
                    break
    assert not wrong, wrong


def test_no_path_leads_from_a_general_studies_programme_to_a_trade_certificate():
    """A general-studies programme (music, dance and drama; sports) has no apprenticeship
    after it: a template that put one there once sent dancers and referees to a fagbrev."""
    from jobkompas import api

    catalogue = api.load_catalogue()
    wrong, general_paths = [], 0
    for occ in catalogue.occupations.values():
        for country in ("norway", "denmark", "other"):
            steps = catalogue.path(occ, country)
            first = steps[0]
            general = first.kind == "school" and ("general studies" in first.text["en"]
                                                  or "studieforberedende" in first.text["nb"])
            general_paths += general
            if general and any(s.kind == "apprenticeship" for s in steps):
                wrong.append(f"{occ.id} ({country})")
    assert wrong == [] and general_paths > 100  # (and the wording it looks for is still there)


@pytest.mark.slow
def test_a_broken_template_file_is_one_problem_named_once(tmp_path, capsys, monkeypatch):
    occ = copy_tree(occupations_dir(), tmp_path / "occ")
    (occ / "_path-templates.yaml").write_text("fields: [\n", encoding="utf-8")
    monkeypatch.setenv("JOBKOMPAS_OCCUPATIONS", str(occ))
    assert main(["validate"]) == ExitCode.CONTENT
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{occ / '_path-templates.yaml'}:2: invalid YAML: did not find expected node content"]


@pytest.mark.slow
def test_path_templates_keep_what_their_header_comment_says():
    """Every promise in the header comment of _path-templates.yaml, checked: a FIELD named by
    `paths: {template: FIELD}` exists; its {placeholders} are filled from the field, so each
    one used is defined by every field in that very language (the filler would otherwise fall
    back to another language or leave the braces) and each one defined is used; an occupation
    gets the recipe for its country and its own ISCED level (not a lower one); a step has kind
    (one of the kinds listed there), years and en/nb/da. docs/content.md's example too."""
    import itertools
    import json
    import re
    from importlib import resources

    import yaml

    from jobkompas import api
    from jobkompas.catalogue import STEP_KINDS
    from jobkompas.resources import COUNTRIES, LANGUAGES

    text = (occupations_dir() / "_path-templates.yaml").read_text(encoding="utf-8")
    header = " ".join(line.lstrip("#").strip()
                      for line in itertools.takewhile(lambda row: row.startswith("#"), text.splitlines()))
    data = yaml.safe_load(text)
    fields, recipes = data["fields"], data["recipes"]
    catalogue = api.load_catalogue()

    # "An occupation with `paths: {template: FIELD}` …": every FIELD named exists
    assert "`paths: {template: FIELD}`" in header
    templated = [occ for occ in catalogue.occupations.values() if occ.template is not None]
    assert {occ.template for occ in templated} <= set(fields)  # (the shipped pages all have written paths)
    for occ in catalogue.occupations.values():  # without a FIELD, no recipe: (the code would
        if occ.template is None:  # fall back to 'business' for a country with no written path)
            assert set(occ.explicit_paths) == set(COUNTRIES), occ.id

    # "A recipe step: kind (school|…|course), years, en/nb/da."
    step_doc = re.search(r"A recipe step: kind \(([a-z|]+)\), (\w+), ([a-z/]+)\.", header)
    assert step_doc, header
    kinds = step_doc.group(1).split("|")
    step_keys = {"kind", step_doc.group(2), *step_doc.group(3).split("/")}
    result_schema = json.loads(resources.files("jobkompas").joinpath("schemas/result.schema.json").read_text())
    path_kinds = result_schema["properties"]["matches"]["items"]["properties"]["education_path"]["items"]
    assert set(kinds) == set(STEP_KINDS) == set(path_kinds["properties"]["kind"]["enum"])
    assert step_keys == {"kind", "years", *LANGUAGES}
    assert set(recipes) == set(COUNTRIES)
    steps = [(f"recipes.{country}.{level} step {i}", step)
             for country, levels in recipes.items() for level, chain in levels.items()
             for i, step in enumerate(chain, 1)]
    for where, step in steps:
        assert set(step) == step_keys and step["kind"] in kinds, (where, step)
        assert isinstance(step["years"], (int, float)) and step["years"] >= 0, (where, step)

    # "… with {placeholders} filled from the field": {key.lang}, nothing else in braces
    used: set[str] = set()
    for where, step in steps:
        for lang in LANGUAGES:
            found = re.findall(r"\{([^{}]*)\}", step[lang])
            assert all(re.fullmatch(r"\w+\.\w+", p) for p in found), (where, lang, step[lang])
            assert not re.search(r"[{}]", re.sub(r"\{\w+\.\w+\}", "", step[lang])), (where, lang, step[lang])
            used.update(found)
    defined = {f"{key}.{lang}" for field in fields.values() for key, names in field.items() for lang in names}
    assert sorted(used - defined) == [], "placeholders that no field defines"
    assert sorted(defined - used) == [], "field entries that no recipe uses"
    for name, field in fields.items():
        own = {f"{key}.{lang}": value for key, names in field.items() for lang, value in names.items()}
        assert sorted(used - set(own)) == [], f"field {name} lacks these (another language would be shown)"
        assert all(isinstance(v, str) and v.strip() for v in own.values()), name
    docs = (Path(__file__).parent.parent / "docs" / "content.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`\{(\w+\.\w+)\}`", docs))
    assert documented and documented <= used

    # "… gets the recipe for its country and its typical ISCED level (figures.education.isced)"
    for occ in templated:
        field = fields[occ.template]
        for country in COUNTRIES:
            if country in occ.explicit_paths:
                continue
            assert occ.isced in recipes[country], f"{occ.id}: no {country} recipe for ISCED {occ.isced}"
            recipe, shown = recipes[country][occ.isced], catalogue.path(occ, country)
            assert [(s.kind, s.years) for s in shown] == [(r["kind"], r["years"]) for r in recipe], occ.id
            for step, raw in zip(shown, recipe):
                for lang in LANGUAGES:
                    expected = re.sub(r"\{(\w+)\.(\w+)\}", lambda m, field=field: field[m[1]][m[2]], raw[lang])
                    assert step.text[lang] == expected, (occ.id, country, lang)


@pytest.mark.slow
def test_written_paths_without_a_template_cover_every_country(tmp_path, capsys):
    """Otherwise the missing country would quietly get another field's templated path."""
    occ = copy_tree(occupations_dir(), tmp_path / "occ")
    dj = occ / "dj.yaml"  # written paths, no template
    lines = dj.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("  other:\n")
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(("    ", "  -"))), len(lines))
    dj.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    code = main(["--occupations", str(occ), "validate"])
    out = capsys.readouterr().out.strip().splitlines()
    assert code == ExitCode.CONTENT
    assert len(out) == 1 and out[0].startswith(f"{dj}:")
    assert out[0].endswith("paths need a 'template' or steps for every country; missing: other")


@pytest.mark.slow
def test_a_custom_bank_without_interests_is_an_error_not_the_built_in_bank(tmp_path, capsys):
    bank_dir = tmp_path / "bank"
    bank_dir.mkdir()
    copy_tree(questions_dir(), tmp_path / "full")
    (bank_dir / "traits.yaml").write_text((tmp_path / "full" / "traits.yaml").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    code = main(["--questions", str(bank_dir), "questions", "list"])
    _, err = capsys.readouterr()
    assert code == ExitCode.CONTENT
    assert f"{bank_dir / 'interests.yaml'}:1: file is missing; a question bank needs its own interests.yaml" in err
    assert main(["--questions", str(bank_dir), "validate"]) == ExitCode.CONTENT


@pytest.mark.slow
def test_a_symlink_loop_in_the_occupations_folder_is_one_problem_not_a_crash(tmp_path, capsys):
    occ = copy_tree(occupations_dir(), tmp_path / "occ")
    shutil.copytree(occupations_dir().parent / "programmes", tmp_path / "programmes")
    (occ / "loop.yaml").symlink_to("loop.yaml")
    assert main(["--occupations", str(occ), "validate"]) == ExitCode.CONTENT
    out = capsys.readouterr().out
    assert f"{occ / 'loop.yaml'}:1: cannot read" in out


@pytest.mark.slow
@pytest.mark.parametrize("file, old, new, message", [
    ("education.yaml", "    options:", "    options: 5\n    old_options:", "EDU-country: 'options' must be a list"),
    ("education.yaml", "levels:", "levels: 5\nold_levels:", "'levels' must be a list"),
    ("education.yaml", "questions:", "questions: {a: 1}\nold_questions:", "'questions' must be a list"),
    ("traits.yaml", "    items:", "    items: 7\n    old_items:", "trait structured: 'items' must be a list"),
    ("traits.yaml", "traits:", "traits: 3\nold_traits:", "'traits' must be a list"),
    ("forms.yaml", "\nforms:", "\nforms: [mini, standard]\nold_forms:", "'forms' must map each form's name"),
])
def test_a_bank_section_that_is_not_a_list_is_a_problem_with_its_line(tmp_path, capsys, file, old, new, message):
    bank = copy_tree(questions_dir(), tmp_path / "q")
    text = (bank / file).read_text(encoding="utf-8")
    (bank / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    assert main(["--questions", str(bank), "validate"]) == ExitCode.CONTENT
    out = capsys.readouterr().out
    assert re.search(rf"{re.escape(str(bank / file))}:\d+: {re.escape(message)}", out), out
