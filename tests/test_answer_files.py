from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jobkompas import api
from jobkompas.answerfile import MAX_BYTES, write_answer_file
from jobkompas.answers import COUNTRY_ALIASES
from jobkompas.errors import InputError

GOOD = """format: jobkompas-answers/1
language: nb
country: norway
form: mini
answers:
  R01: 5
  I01: unsure
  EDU-highest: no-fagbrev
"""


def write(tmp_path, text, name="a.yaml", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def error_of(tmp_path, text, name="a.yaml") -> str:
    with pytest.raises(InputError) as info:
        api.read_answers(write(tmp_path, text, name))
    return str(info.value)


def test_good_file_is_read(tmp_path):
    answers = api.read_answers(write(tmp_path, GOOD))
    assert answers.values == {"R01": 5, "I01": "unsure", "EDU-highest": "no-fagbrev", "EDU-country": "norway"}
    assert answers.language == "nb" and answers.form == "mini"
    assert answers.warnings and "not answered" in answers.warnings[0]


def test_json_file_with_bom_is_read(tmp_path):
    doc = {"format": "jobkompas-answers/1", "answers": {"R01": 4, "C02": 1}}
    answers = api.read_answers(write(tmp_path, "\ufeff" + json.dumps(doc), "a.json"))
    assert answers.values == {"R01": 4, "C02": 1}


@pytest.mark.parametrize("text, where, words", [
    ("format: jobkompas-answers/1\nanswers:\n  R01: 9\n", ":3", "expected a whole number 1–5"),
    ("format: jobkompas-answers/1\nanswers:\n  R01: 5\n  XX99: 1\n", ":4", "unknown question id 'XX99'"),
    ("format: jobkompas-answers/1\nanswers:\n  R01: 5\n  R01: 4\n", ":4", "duplicate key 'R01'"),
    ("format: jobkompas-answers/1\nanswers:\n  R01: [5\n", ":4", "invalid YAML"),
    ("format: jobkompas-answers/2\nanswers: {}\n", ":1", "unsupported format"),
    ("answers:\n  R01: 5\n", ":1", "missing 'format"),
    ("format: jobkompas-answers/1\ncountry: no\n", ":2", "YAML reads unquoted yes/no"),
    ("format: jobkompas-answers/1\nanswers:\n  R01: true\n", ":3", "expected a whole number"),
    ("format: jobkompas-answers/1\nanswers:\n  EDU-route: sometimes\n", ":3", "expected one of: practical"),
    ("format: jobkompas-answers/1\nlanguage: sv\n", ":2", "language must be one of"),
    ("   \n", ":1", "the file is empty"),
    ("- just\n- a list\n", ":1", "expected a mapping"),
])
def test_bad_files_name_file_line_and_expectation(tmp_path, text, where, words):
    message = error_of(tmp_path, text)
    assert message.startswith(str(tmp_path / "a.yaml") + where), message
    assert words in message


def test_bad_json_reports_line(tmp_path):
    message = error_of(tmp_path, '{"format": "jobkompas-answers/1",\n "answers": {"R01": 5,}}', "a.json")
    assert message.startswith(f"{tmp_path / 'a.json'}:2: invalid JSON")


def test_duplicate_json_key(tmp_path):
    message = error_of(tmp_path, '{"format": "jobkompas-answers/1",\n "answers": {"R01": 5,\n "R01": 3}}', "a.json")
    assert message.startswith(f"{tmp_path / 'a.json'}:3: duplicate key 'R01'")  # the second one


def test_wrong_encoding_missing_path_directory_and_huge_file(tmp_path):
    latin = ("format: jobkompas-answers/1\nlanguage: nb\n# bl\u00e5\n").encode("latin-1")
    assert "not UTF-8" in error_of(tmp_path, latin)
    with pytest.raises(InputError, match="no such file"):
        api.read_answers(tmp_path / "missing.yaml")
    with pytest.raises(InputError, match="is a directory"):
        api.read_answers(tmp_path)
    huge = write(tmp_path, b"#" * (MAX_BYTES + 10), "huge.yaml")
    with pytest.raises(InputError, match="too large"):
        api.read_answers(huge)


def test_no_code_execution_from_yaml_tags(tmp_path):
    message = error_of(tmp_path, "format: !!python/object/apply:os.system ['echo hacked']\n")
    assert "invalid YAML" in message


def test_level_must_belong_to_country(tmp_path):
    text = "format: jobkompas-answers/1\ncountry: denmark\nanswers:\n  EDU-highest: no-fagbrev\n"
    assert error_of(tmp_path, text) == f"{tmp_path / 'a.yaml'}:4: EDU-highest: level 'no-fagbrev' belongs to norway, not denmark"


# ---------------------------------------------------------------- answer maps, with an oracle
#
# check_value's contract (answers.py): interest ("like5") and trait ("agree5") items take a
# whole number 1–5 (also as digits in a string, spaces allowed) or "unsure" / "not sure" / "?"
# (any case); a choice question takes one of its option ids, exactly; the country question
# also takes the aliases in COUNTRY_ALIASES (any case); a blank (null) answer is left out.
# An education level must belong to the chosen country.


UNSURE_SPELLINGS = ["unsure", "Unsure", "UNSURE", " unsure ", "not sure", "Not Sure", "?", " ? "]
LEVEL_DIMENSIONS = ("current_level", "highest_level")


def _likert_valid():
    number = st.integers(1, 5)
    return st.one_of(
        number.map(lambda n: (n, n)),
        st.tuples(number, st.sampled_from(["{}", " {} ", "0{}", "{}\t"])).map(lambda t: (t[1].format(t[0]), t[0])),
        st.sampled_from(UNSURE_SPELLINGS).map(lambda s: (s, "unsure")),
        st.none().map(lambda _: (None, None)),  # blank: not answered
    )


def _choice_valid(q, country):
    options = q.options_for(country) if q.dimension in LEVEL_DIMENSIONS else q.options
    ids = st.sampled_from([o.id for o in options]).map(lambda v: (v, v))
    if q.dimension == "country":
        aliases = st.sampled_from(sorted(COUNTRY_ALIASES)).flatmap(
            lambda a: st.sampled_from([a, a.upper(), a.capitalize()]).map(lambda s: (s, COUNTRY_ALIASES[a])))
        return st.one_of(ids, aliases)
    return ids


@st.composite
def valid_answer_map(draw, bank):
    """(raw answers, the values they must be read as)."""
    qids = draw(st.lists(st.sampled_from(sorted(bank.questions)), unique=True, max_size=14))
    raw, expected = {}, {}
    country = None
    if "EDU-country" in qids:  # decided first: the levels offered must belong to it
        country_answer = draw(_choice_valid(bank.questions["EDU-country"], None))
        country = country_answer[1]
    for qid in qids:
        q = bank.questions[qid]
        if qid == "EDU-country":
            pair = country_answer
        elif q.scale == "choice":
            pair = draw(_choice_valid(q, country))
        else:
            pair = draw(_likert_valid())
        raw[qid] = pair[0]
        if pair[1] is not None:
            expected[qid] = pair[1]
    return raw, expected


def _likert_ok(text: str) -> bool:
    s = text.strip()
    # every digit string is left out of the invalid ones: int() reads "٣" (Arabic-Indic) as 3,
    # and "²" passes isdigit() but not int(), which is refused, though with Python's message
    return s.lower() in {"unsure", "not sure", "?"} or s.isdigit()


NOT_AN_ANSWER = st.one_of(
    st.booleans(), st.floats(allow_nan=False), st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["a", "b"]), st.integers(), min_size=1, max_size=1),
)


def _likert_invalid():
    return st.one_of(
        st.integers().filter(lambda n: not 1 <= n <= 5),
        st.sampled_from(["0", "6", "10", "-1", "007", "3.5", "2,5", "five", "yes", "none"]),
        st.text(min_size=1, max_size=8).filter(lambda s: s.strip() and not _likert_ok(s)),
        NOT_AN_ANSWER,
    )


def _choice_invalid(q):
    ids = {o.id for o in q.options}
    # the country takes its aliases, and only the country may not be "unsure"
    near = {i.lower() for i in ids} | (set(COUNTRY_ALIASES) if q.dimension == "country" else {"unsure", "not sure", "?"})
    return st.one_of(
        st.integers(-2, 9), NOT_AN_ANSWER, *([st.just("unsure")] if q.dimension == "country" else []),
        st.text(min_size=1, max_size=12).filter(lambda s: s.strip() and s.strip().lower() not in near),
    )


@st.composite
def invalid_answer_map(draw, bank):
    """(raw answers, the one question id that must be named): a valid map plus one bad entry."""
    raw, _ = draw(valid_answer_map(bank))
    kind = draw(st.sampled_from(["unknown id", "bad value", "level of another country"]))
    if kind == "unknown id":
        qid = draw(st.from_regex(r"\A[A-Z][A-Za-z0-9-]{0,6}\Z").filter(lambda s: s not in bank.questions))
        bad = draw(st.one_of(st.integers(1, 5), st.just("unsure")))
    elif kind == "bad value":
        qid = draw(st.sampled_from(sorted(bank.questions)))
        q = bank.questions[qid]
        bad = draw(_choice_invalid(q) if q.scale == "choice" else _likert_invalid())
    else:
        qid = draw(st.sampled_from(["EDU-current", "EDU-highest"]))
        country = draw(st.sampled_from(["norway", "denmark", "other"]))
        raw.pop("EDU-current", None), raw.pop("EDU-highest", None)
        raw["EDU-country"] = country
        bad = draw(st.sampled_from([o.id for o in bank.questions[qid].options if country not in o.countries]))
    raw.pop(qid, None)
    items = list(raw.items())
    items.insert(draw(st.integers(0, len(items))), (qid, bad))
    return dict(items), qid


def answer_document(answers: dict, as_json: bool, **top) -> str:
    doc = {"format": "jobkompas-answers/1", **top, "answers": answers}
    if as_json:
        return json.dumps(doc, indent=1)
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def line_of_answer(text: str, qid: str) -> int:
    """The 1-based line on which the answer for ``qid`` is written (after 'answers:')."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith(('answers:', '"answers":')))
    for i, line in enumerate(lines[start + 1:], start + 2):
        if line.lstrip().startswith((f"{qid}:", f'"{qid}":', f"'{qid}':")):
            return i
    raise AssertionError(f"{qid} not in\n{text}")


@settings(max_examples=150, deadline=None, database=None)
@given(data=st.data(), as_json=st.booleans(), language=st.sampled_from(["en", "nb", "da"]),
       form=st.sampled_from([None, "mini", "standard", "full", "adaptive"]))
@pytest.mark.slow
def test_valid_answer_maps_are_read_and_survive_a_saved_answer_file(bank, tmp_path_factory, data, as_json, language, form):
    raw, expected = data.draw(valid_answer_map(bank), label="answers")
    top = {"language": language, **({"form": form} if form else {})}
    parsed = api.parse_answers(answer_document(raw, as_json, **top), bank=bank)
    assert parsed.values == expected
    assert (parsed.language, parsed.form) == (language, form)
    # what the quiz's "Save my answers to a file" writes, read back: the very same answers
    path = tmp_path_factory.getbasetemp() / "saved-answers.yaml"
    write_answer_file(parsed, path, bank)
    again = api.read_answers(path, bank=bank)
    assert again.values == expected
    assert (again.language, again.form) == (language, form)


@settings(max_examples=200, deadline=None, database=None)
@given(data=st.data(), as_json=st.booleans())
@pytest.mark.slow
def test_an_invalid_answer_is_refused_naming_its_question_and_line(bank, data, as_json):
    raw, qid = data.draw(invalid_answer_map(bank), label="answers")
    text = answer_document(raw, as_json)
    with pytest.raises(InputError) as info:
        api.parse_answers(text, bank=bank)
    message, line = str(info.value), line_of_answer(text, qid)
    if _has_huge_number(raw[qid]):
        # refused while parsing, before any question is looked at (docs/answers.md), on the number's line
        at, detail = message.removeprefix("<answers>:").split(": ", 1)
        assert int(at) >= line and detail == "a number with more than 20 digits; expected 1–5", message
        return
    where = f"<answers>:{line}: "
    assert message.startswith(where), message
    detail = message.removeprefix(where)
    assert detail.startswith((f"{qid}: ", f"unknown question id {qid!r}")), message


def _has_huge_number(value) -> bool:
    if isinstance(value, dict):
        return any(_has_huge_number(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_huge_number(v) for v in value)
    return isinstance(value, int) and not isinstance(value, bool) and len(str(abs(value))) > 20


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
@pytest.mark.slow
def test_random_bytes_never_crash_the_reader(tmp_path_factory, bank, data):
    path = tmp_path_factory.mktemp("fuzz") / "f.yaml"
    path.write_bytes(data)
    try:
        answers = api.read_answers(path)
    except InputError as exc:
        assert str(exc).startswith(f"{path}"), str(exc)
    else:  # what is accepted is a clean answer set
        assert_clean(answers, bank)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(GOOD) - 1), st.sampled_from(["", ":", "-", "{", "\t", "\"", "'", "\n", "&a", "*a", "!!"]))
def test_mutated_good_file_parses_or_fails_cleanly(bank, position, insert):
    text = GOOD[:position] + insert + GOOD[position + 1:]
    try:
        answers = api.parse_answers(text, bank=bank)
    except InputError as exc:
        assert str(exc).startswith("<answers>:")
    else:
        assert_clean(answers, bank)


def assert_clean(answers, bank):
    """Every value is one the question accepts, as it accepts it (a re-check changes nothing)."""
    from jobkompas.answers import check_value
    from jobkompas.resources import LANGUAGES

    assert answers.language in LANGUAGES
    for qid, value in answers.values.items():
        assert qid in bank.questions, qid
        assert check_value(bank.questions[qid], value) == value, (qid, value)


CELL = st.one_of(st.sampled_from(["1", "5", "unsure", "", " 3 ", "9", "x", "norway", "dk", "no-fagbrev", "\"", ","]),
                 st.text(max_size=6))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(CELL, min_size=0, max_size=6), max_size=6))
@pytest.mark.slow
def test_random_batch_rows_are_scored_or_reported(tmp_path_factory, rows):
    import csv as csvmod
    import io as iomod

    from jobkompas.classfile import iter_batch_rows

    buffer = iomod.StringIO()
    writer = csvmod.writer(buffer)
    writer.writerow(["id", "R01", "I01", "EDU-country", "EDU-highest", "language"])
    for row in rows:
        writer.writerow(row)
    path = tmp_path_factory.mktemp("csv") / "b.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    for line, item in iter_batch_rows(path, api.load_bank()):
        if isinstance(item, InputError):
            assert str(item).startswith(f"{path}:{line}")
        else:
            assert item.respondent


def test_a_bad_byte_in_a_class_file_is_blamed_on_its_own_line(tmp_path):
    """score/import/JSONL batch read a CSV line by line: the row with Latin-1 text is reported
    with its own line number and skipped, the rows around it are read; a BOM and Windows line
    ends are fine."""
    from jobkompas.classfile import iter_batch_rows

    good = "s{0},4,2\r\n"
    body = "\ufeffid,R01,I01\r\n" + "".join(good.format(i) for i in range(5))
    path = write(tmp_path, body.encode("utf-8") + "s5,5,bl\u00e5\r\n".encode("latin-1") + b"s6,1,1\r\n", "c.csv")
    items = list(iter_batch_rows(path, api.load_bank()))
    assert [line for line, _ in items] == [2, 3, 4, 5, 6, 7, 8]
    assert [item.respondent for _, item in items if not isinstance(item, InputError)] == [f"s{i}" for i in (0, 1, 2, 3, 4, 6)]
    assert str(items[5][1]) == f"{path}:7: not UTF-8 text; save the file as UTF-8"


def test_a_bad_byte_in_a_batch_is_one_failed_row(tmp_path):
    from typer.testing import CliRunner

    from jobkompas.cli import app

    rows = b"id,R01,I01\n" + b"".join(b"s%d,4,2\n" % i for i in range(4)) + b"s4,5,bl\xe5\ns5,1,1\n"
    path = write(tmp_path, rows, "c.csv")
    result = CliRunner().invoke(app, ["batch", str(path)])
    assert result.exit_code == 6
    assert [line.split(",")[0] for line in result.stdout.splitlines()[1:]] == ["s0", "s1", "s2", "s3", "s5"]
    assert f"{path}:6: not UTF-8 text" in result.stderr


def test_a_quoted_class_file_with_interest_columns_only(tmp_path):
    from typer.testing import CliRunner

    from jobkompas.cli import app

    quoted = write(tmp_path, '"id","R01","I01"\n"s0","4","2"\n"s1","1","5"\n', "quoted.csv")
    plain = write(tmp_path, 'id,R01,I01\ns0,4,2\ns1,1,5\n', "plain.csv")
    results = [CliRunner().invoke(app, ["batch", str(path)]) for path in (quoted, plain)]
    assert [r.exit_code for r in results] == [0, 0], results[0].output
    assert results[0].stdout == results[1].stdout
    assert [line.split(",")[:2] for line in results[0].stdout.splitlines()[1:]] == [["s0", "RAS"], ["s1", "IAS"]]


def test_out_to_a_named_pipe_writes_into_it_and_leaves_it_a_pipe(tmp_path):
    """--out /dev/null (or a pipe) must be written, not replaced: renaming a finished temp
    file over it would put a regular file where the device was (as root, even /dev/null)."""
    import os
    import stat
    import threading

    from typer.testing import CliRunner

    from jobkompas.cli import app

    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    path = write(tmp_path, "id,R01,I01\ns0,5,1\n", "c.csv")
    result = CliRunner().invoke(app, ["batch", str(path), "--out", str(pipe)])
    reader.join(timeout=10)
    if reader.is_alive():  # nothing was written into the pipe: let the reader go
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
    assert not reader.is_alive() or received
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert received and received[0].startswith(b"id,holland_code,") and b"\ns0," in received[0]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_out_through_a_symbolic_link_keeps_the_link(tmp_path):
    from typer.testing import CliRunner

    from jobkompas.cli import app

    target = write(tmp_path, "old\n", "results.csv")
    link = tmp_path / "latest.csv"
    link.symlink_to(target)
    path = write(tmp_path, "id,R01,I01\ns0,5,1\n", "c.csv")
    result = CliRunner().invoke(app, ["batch", str(path), "--out", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and target.read_text().startswith("id,holland_code,")


@pytest.mark.parametrize("raw, expected", [("Norway", "norway"), (" DENMARK ", "denmark"), ("Other", "other"),
                                           ("Norge", "norway"), ("danmark", "denmark")])
def test_a_country_may_be_written_in_any_case(bank, raw, expected):
    doc = f"format: jobkompas-answers/1\nanswers:\n  EDU-country: {raw!r}\n"
    assert api.parse_answers(doc, bank=bank).values["EDU-country"] == expected


@pytest.mark.parametrize("digit", ["²", "٣", "３"])
def test_digits_from_other_scripts_are_named_not_read(bank, digit):
    doc = f"format: jobkompas-answers/1\nanswers:\n  R01: {digit!r}\n"
    with pytest.raises(InputError) as error:
        api.parse_answers(doc, source="a.yaml", bank=bank)
    assert str(error.value) == f"a.yaml:3: R01: got {digit!r}; expected a whole number 1–5 or \"unsure\""


@pytest.mark.parametrize("raw, expected", [
    (1, 1), (5, 5), ("3", 3), (" 4 ", 4), ("unsure", "unsure"), ("Not sure", "unsure"), ("?", "unsure"),
])
def test_a_scale_answer_is_a_whole_number_1_to_5_or_unsure(bank, raw, expected):
    doc = f"format: jobkompas-answers/1\nanswers:\n  R01: {raw!r}\n"
    assert api.parse_answers(doc, bank=bank).values["R01"] == expected


@pytest.mark.parametrize("raw", [0, 6, -1, "6", 2.5, "five", "maybe"])
def test_a_scale_answer_outside_1_to_5_is_refused(bank, raw):
    doc = f"format: jobkompas-answers/1\nanswers:\n  R01: {raw!r}\n"
    with pytest.raises(InputError) as error:
        api.parse_answers(doc, source="a.yaml", bank=bank)
    assert str(error.value).startswith("a.yaml:3: R01: got ")


@pytest.mark.parametrize("country, edu_country, refused", [
    ("norway", "denmark", True),
    ("Denmark", "norway", True),
    ("norway", "norway", False),
    ("Danmark", "denmark", False),
])
def test_a_country_given_twice_must_agree(bank, country, edu_country, refused):
    doc = f"format: jobkompas-answers/1\ncountry: {country}\nanswers:\n  EDU-country: {edu_country}\n"
    if refused:
        with pytest.raises(InputError) as error:
            api.parse_answers(doc, source="a.yaml", bank=bank)
        assert str(error.value).startswith("a.yaml:2: country is ") and "keep only one" in str(error.value)
    else:
        assert api.parse_answers(doc, bank=bank).values["EDU-country"] == edu_country
