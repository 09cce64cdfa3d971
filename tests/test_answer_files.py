from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, HealthCheck
from hypothesis import strategies as st

from jobkompas import api
from jobkompas.answers import MAX_BYTES
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


VALUE = st.one_of(st.integers(-3, 9), st.text(max_size=8), st.booleans(), st.none(), st.floats(allow_nan=True),
                  st.lists(st.integers(), max_size=2))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["R01", "I02", "A03", "EDU-route", "EDU-country", "bogus", "T-steady-1"]), VALUE))
def test_random_answer_maps_either_parse_or_fail_cleanly(bank, answers):
    doc = json.dumps({"format": "jobkompas-answers/1", "answers": answers})
    try:
        parsed = api.parse_answers(doc, bank=bank)
    except InputError as exc:
        assert str(exc).startswith("<answers>:")
    else:
        for qid, value in parsed.values.items():
            assert value in bank.questions[qid].allowed_values()


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_crash_the_reader(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "f.yaml"
    path.write_bytes(data)
    try:
        api.read_answers(path)
    except InputError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(GOOD) - 1), st.sampled_from(["", ":", "-", "{", "\t", "\"", "'", "\n", "&a", "*a", "!!"]))
def test_mutated_good_file_parses_or_fails_cleanly(bank, position, insert):
    text = GOOD[:position] + insert + GOOD[position + 1:]
    try:
        api.parse_answers(text, bank=bank)
    except InputError as exc:
        assert str(exc).startswith("<answers>:")


CELL = st.one_of(st.sampled_from(["1", "5", "unsure", "", " 3 ", "9", "x", "norway", "dk", "no-fagbrev", "\"", ","]),
                 st.text(max_size=6))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(CELL, min_size=0, max_size=6), max_size=6))
def test_random_batch_rows_are_scored_or_reported(tmp_path_factory, rows):
    import csv as csvmod
    import io as iomod

    from jobkompas.answers import iter_batch_rows

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
    from jobkompas.answers import iter_batch_rows

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
