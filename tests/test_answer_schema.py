"""The answer file's shape is its JSON Schema (jobkompas/schemas/answers.schema.json): the
reader checks every file against that file, and the docs' examples follow it."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jobkompas import answerfile, api
from jobkompas.answerfile import FORMAT, conforms
from jobkompas.errors import InputError
from jobkompas.resources import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent


def shipped_schema() -> dict:
    return json.loads(resources.files("jobkompas").joinpath("schemas/answers.schema.json").read_text(encoding="utf-8"))


def error_of(text: str) -> str:
    with pytest.raises(InputError) as info:
        api.parse_answers(text)
    return str(info.value)


@pytest.fixture
def schema_changed(monkeypatch):
    """Run the reader with a changed copy of the schema; ``change(schema)`` edits it."""
    def use(change):
        changed = copy.deepcopy(shipped_schema())
        change(changed)
        monkeypatch.setattr(answerfile, "schema", lambda: changed)
        answerfile._validator.cache_clear()
    yield use
    answerfile._validator.cache_clear()


def test_the_reader_checks_against_the_schema_in_the_package():
    assert answerfile.schema() == shipped_schema()
    assert shipped_schema()["properties"]["format"]["const"] == FORMAT
    assert tuple(shipped_schema()["properties"]["language"]["enum"]) == LANGUAGES


def test_a_rule_added_to_the_schema_is_enforced_with_the_schemas_reason(schema_changed):
    text = f"format: {FORMAT}\nlanguage: nb\nrespondent: Kari Nordmann\nanswers:\n  R01: 5\n"
    assert api.parse_answers(text).respondent == "Kari Nordmann"
    schema_changed(lambda s: s["properties"]["respondent"].update(maxLength=5))
    assert error_of(text) == "<answers>:3: respondent: 'Kari Nordmann' is too long"


def test_the_languages_allowed_are_the_schemas(schema_changed):
    text = f"format: {FORMAT}\nlanguage: da\n"
    assert api.parse_answers(text).language == "da"
    schema_changed(lambda s: s["properties"]["language"].update(enum=["en", "nb"]))
    assert error_of(text) == "<answers>:2: language must be one of en, nb; got 'da'"


def test_a_new_top_level_key_in_the_schema_is_accepted_and_the_known_keys_listed(schema_changed):
    text = f"format: {FORMAT}\nschool: Nordvik\n"
    assert error_of(text) == ("<answers>:2: unknown key 'school' "
                              "(known: answers, asked, country, form, format, language, respondent)")
    schema_changed(lambda s: s["properties"].update(school={"type": "string"}))
    assert api.parse_answers(text).values == {}


# Files that break the schema and no rule of the question bank: the message and line each gives.
SHAPE_ONLY = [
    ("- a list\n", "1", f"expected a mapping with 'format: {FORMAT}' and 'answers'"),
    ("language: nb\n", "1", f"missing 'format: {FORMAT}'"),
    ("format:\n", "1", f"missing 'format: {FORMAT}'"),
    ("format: 2\n", "1", f"unsupported format 2; this version reads {FORMAT}"),
    (f"format: {FORMAT}\n\nschool: x\n", "3", "unknown key 'school' (known: answers, asked, country, form, format, language, respondent)"),
    (f"format: {FORMAT}\nlanguage: sv\n", "2", "language must be one of en, nb, da; got 'sv'"),
    (f"format: {FORMAT}\nform: [mini]\n", "2", "form must be one of mini, standard, full, adaptive; got a list"),
    (f"format: {FORMAT}\nrespondent: [a]\n", "2", "'respondent' must be a name or a number"),
    (f"format: {FORMAT}\nrespondent: true\n", "2", "'respondent' must be a name or a number"),
    (f"format: {FORMAT}\nasked: R01\n", "2", "'asked' must list known question ids in the order they were asked"),
    (f"format: {FORMAT}\nasked: ''\n", "2", "'asked' must list known question ids in the order they were asked"),
    (f"format: {FORMAT}\nasked: [R01, 7]\n", "2", "'asked' must list known question ids in the order they were asked"),
    (f"format: {FORMAT}\nanswers: [R01]\n", "2", "'answers' must be a mapping of question id to answer"),
    (f"format: {FORMAT}\nanswers:\n  R01: 6\n", "3", "R01: got 6; expected a whole number 1–5 or \"unsure\""),
    (f"format: {FORMAT}\nanswers:\n  R01: [5]\n", "3", "R01: got a list; expected a whole number 1–5 or \"unsure\""),
    (f"format: {FORMAT}\nanswers:\n  EDU-route: {{a: 1}}\n", "3",
     "EDU-route: got a mapping; expected one of: practical, school, either or unsure"),
    (f"format: {FORMAT}\ncountry: 47\n", "2", "country: got 47; expected one of: norway, denmark, other"),
    # values quoted as the file spells them, not as Python does
    (f"format: {FORMAT}\nanswers:\n  R01: true\n", "3", "R01: got true; expected a whole number 1–5 or \"unsure\""),
    (f"format: {FORMAT}\ncountry: false\n", "2", "country: got false (YAML reads unquoted yes/no/on/off as true/false); expected one of: norway, denmark, other"),
    (f"format: {FORMAT}\nlanguage: ~\n", "2", "language must be one of en, nb, da; got null (an empty value)"),
    (f"format: {FORMAT}\nanswers:\n  XX99: [5]\n", "3", "unknown question id 'XX99' (see 'jobkompas questions list')"),
]


@pytest.mark.parametrize("text, line, message", SHAPE_ONLY)
def test_a_file_that_breaks_only_the_schema_is_refused_with_its_line(text, line, message):
    assert not jsonschema.Draft202012Validator(shipped_schema()).is_valid(yaml.safe_load(text))
    assert error_of(text) == f"<answers>:{line}: {message}"


def test_a_wrong_format_is_named_before_anything_else():
    """A file of another version of the format is said to be that, not to have unknown keys."""
    text = "school: x\nlanguage: sv\nformat: jobkompas-answers/2\n"
    assert error_of(text) == f"<answers>:3: unsupported format 'jobkompas-answers/2'; this version reads {FORMAT}"


def test_of_several_problems_the_earliest_line_is_reported():
    text = f"format: {FORMAT}\nasked: 5\nlanguage: sv\nrespondent: [x]\n"
    assert error_of(text).startswith("<answers>:2: 'asked' must")
    text = f"format: {FORMAT}\nrespondent: [x]\nlanguage: sv\nasked: 5\n"
    assert error_of(text) == "<answers>:2: 'respondent' must be a name or a number"


def test_json_files_are_checked_against_the_same_schema():
    text = '{"format": "jobkompas-answers/1",\n "language": "en",\n "asked": "R01"}'
    assert error_of(text) == "<answers>:3: 'asked' must list known question ids in the order they were asked"


# ---------------------------------------------------------------- the check before jsonschema

KEYS = ["format", "language", "country", "form", "respondent", "asked", "answers", "school"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2, 8), st.sampled_from([3.0, 2.5, float("nan")]),
                    st.sampled_from([FORMAT, "jobkompas-answers/2", "en", "nb", "sv", "norway", "R01", "unsure", ""]))
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3),
                   st.dictionaries(st.sampled_from(["R01", "I01", "EDU-route", "x y"]), st.one_of(SCALARS, st.lists(SCALARS, max_size=2)),
                                   max_size=3))
DOCUMENTS = st.one_of(
    st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=6),
    st.fixed_dictionaries({"format": st.just(FORMAT)},
                          optional={"language": st.sampled_from(["en", "nb", "da"]), "asked": st.lists(st.sampled_from(["R01", "I01"])),
                                    "answers": st.dictionaries(st.sampled_from(["R01", "I01", "EDU-route"]), SCALARS, max_size=3),
                                    "respondent": SCALARS}),
    VALUES,
)


@settings(max_examples=400, deadline=None)
@given(DOCUMENTS)
def test_the_quick_check_passes_exactly_what_jsonschema_passes(document):
    """Files the quick check passes never reach jsonschema: the two must agree."""
    assert conforms(shipped_schema(), document) == jsonschema.Draft202012Validator(shipped_schema()).is_valid(document)


def test_a_keyword_the_quick_check_does_not_read_goes_to_jsonschema():
    schema = {"type": "string", "maxLength": 2}
    assert not conforms(schema, "ab") and not conforms(schema, "abc")
    assert conforms({"type": "string"}, "abc") and not conforms({"type": "integer"}, True)


@pytest.mark.slow
def test_jsonschema_is_imported_only_for_a_file_that_breaks_the_schema(tmp_path):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.json"
    good.write_text(f"format: {FORMAT}\nlanguage: nb\nasked: [R01]\nanswers:\n  R01: 5\n  EDU-route: school\n", encoding="utf-8")
    bad.write_text(json.dumps({"format": FORMAT, "asked": "R01"}), encoding="utf-8")
    code = ("import sys\nfrom jobkompas import api\nfrom jobkompas.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "seen = ['jsonschema' in sys.modules]\n"
            f"api.read_answers({str(good)!r})\nseen.append('jsonschema' in sys.modules)\n"
            f"try:\n    api.read_answers({str(bad)!r})\nexcept Exception as exc:\n    print(exc)\n"
            "seen.append('jsonschema' in sys.modules)\nprint(seen)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60).stdout
    assert out.splitlines()[-2:] == [f"{bad}:1: 'asked' must list known question ids in the order they were asked",
                                     "[False, False, True]"]


# ---------------------------------------------------------------- the docs


def doc_examples() -> list[tuple[str, str]]:
    """(place, text) of every answer file written out in the docs and the README."""
    found = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"^```(yaml|json)\n(.*?)^```", text, re.S | re.M):
            if FORMAT in match.group(2):
                found.append((f"{path.name}:{text.count(chr(10), 0, match.start()) + 1}", match.group(2)))
    return found


def test_the_answer_files_in_the_docs_follow_the_schema_and_are_read():
    examples = doc_examples()
    assert {place.split(":")[0] for place, _ in examples} >= {"answers.md"}
    for place, text in examples:
        data = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
        jsonschema.validate(data, shipped_schema())
        answers = api.parse_answers(text, source=place)
        assert answers.values, place


# ---------------------------------------------------------------- writing


@pytest.mark.parametrize("name", ["Åse Ødegård \"10B\"", "tab\there", "csi\x9b[2J", "line\u2028sep", "back\\slash", "yes", "12"])
def test_a_saved_answer_file_reads_back_as_written(tmp_path, bank, name):
    """Names are written by the YAML emitter, escaped as YAML needs (a C1 control character
    written as it is would make the file unreadable), and the longest 'asked' stays one line."""
    from jobkompas.answerfile import write_answer_file
    from jobkompas.answers import AnswerSet

    asked = [q.id for q in bank.by_block("interest")]
    answers = AnswerSet(values={qid: 1 + k % 5 for k, qid in enumerate(asked)} | {"EDU-route": "school"},
                        language="nb", form="adaptive", asked=asked, respondent=name)
    path = tmp_path / "saved.yaml"
    write_answer_file(answers, path, bank)
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), shipped_schema())
    again = api.read_answers(path, bank=bank)
    assert (again.respondent, again.values, again.asked, again.form) == (name, answers.values, asked, "adaptive")
    assert sum(line.startswith("asked: [") for line in path.read_text(encoding="utf-8").splitlines()) == 1


def test_a_wrong_education_level_names_a_few_levels_and_where_the_rest_are(bank):
    """The levels of three countries would make a 500-character line: the message quotes the
    first eight and says how many there are and where to see them, and stays one line."""
    from jobkompas import api

    with pytest.raises(InputError) as error:
        api.parse_answers(f"format: {FORMAT}\nanswers:\n  EDU-highest: [a]\n", source="a.yaml", bank=bank)
    message = str(error.value)
    levels = [o.id for o in bank.education("highest_level").options]
    assert message.startswith("a.yaml:3: EDU-highest: got a list; expected one of: " + ", ".join(levels[:8]) + " …")
    assert f"({len(levels)} in all: 'jobkompas template' lists them) or unsure" in message
    assert "\n" not in message and len(message) < 240
