"""Fuzzed answer files and class files: whatever they hold, jobkompas ends with a documented
exit code for bad input (never 1, never a traceback). Bounded: a few seconds in all."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobkompas.cli import main
from jobkompas.errors import ExitCode

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True),
                    st.sampled_from(["1", "5", "unsure", "norway", "denmark", "no", "en", "nb", "mini", "full",
                                     "jobkompas-answers/1", "\ud800", "=1+1", "\x1b[2J", "9" * 50, ""]),
                    st.text(max_size=12))
KEYS = st.sampled_from(["format", "language", "country", "form", "asked", "answers", "respondent", "R01",
                        "I01", "EDU-country", "EDU-highest", "x"])
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(KEYS, inner, max_size=5)), max_leaves=12)
DOCS = st.fixed_dictionaries({"format": st.sampled_from(["jobkompas-answers/1", "jobkompas-answers/1", "x"])},
                             optional={"language": VALUES, "country": VALUES, "form": VALUES, "asked": VALUES,
                                       "respondent": VALUES,
                                       "answers": st.dictionaries(KEYS, VALUES, max_size=6)})
YAML_BITS = ["&a ", "*a ", "!!python/object:os.system ", "[", "{", "- ", ": ", "\t", "'", '"', "\\ud800",
             "\n  ", "<<: *a\n", "? ", "%YAML 1.1\n", "---\n", "...\n", "9" * 5000, "\x00", "\ufeff"]


def answer_text(doc, as_json: bool) -> str:
    if as_json:
        return json.dumps(doc, ensure_ascii=False)
    import yaml

    return yaml.safe_dump(doc, allow_unicode=True)


@FUZZ
@given(doc=DOCS, as_json=st.booleans(), cut=st.integers(0, 400), bit=st.sampled_from(YAML_BITS),
       mutate=st.booleans(), fmt=st.sampled_from(["json", "csv", "table"]))
def test_fuzzed_answer_files_end_with_a_documented_code(tmp_path, capsys, doc, as_json, cut, bit, mutate, fmt):
    try:
        text = answer_text(doc, as_json)
    except (UnicodeEncodeError, ValueError):
        text = repr(doc)
    if mutate:
        at = min(cut, len(text))
        text = text[:at] + bit + text[at:]
    path = tmp_path / ("a.json" if as_json else "a.yaml")
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    code = main(["score", str(path), "--format", fmt])
    out, err = capsys.readouterr()
    assert code in (ExitCode.OK, ExitCode.INPUT), err
    assert "Traceback" not in err and "internal error" not in err
    if code == ExitCode.INPUT:
        assert out == "" and len(err.splitlines()) == 1 and len(err) < 400


CELLS = st.one_of(st.sampled_from(["1", "2", "3", "4", "5", "", "?", "unsure", "6", "norway", "no", "x,y",
                                   '"', '"a', '""', "=1+1", "\x1b[2J", "\r", "\n", "9" * 5000, "\xff"]),
                  st.text(max_size=6))


@FUZZ
@given(data=st.data())
def test_fuzzed_class_files_end_with_a_documented_code(tmp_path, capsys, bank, data):
    questions = [q.id for q in bank.by_block("interest")][:6] + ["EDU-country"]
    header = ["id", *data.draw(st.permutations(questions))]
    if data.draw(st.booleans()):
        header[data.draw(st.integers(0, len(header) - 1))] = data.draw(CELLS)
    rows = [[f"r{k}", *(data.draw(CELLS) for _ in questions)] for k in range(data.draw(st.integers(0, 6)))]
    text = "\n".join(",".join(row) for row in [header, *rows]) + data.draw(st.sampled_from(["\n", "", "\r\n"]))
    raw = text.encode("utf-8", "surrogateescape")
    if data.draw(st.booleans()) and raw:
        at = data.draw(st.integers(0, len(raw) - 1))
        raw = raw[:at] + data.draw(st.sampled_from([b"", b"\xff", b'"', b"\r", b"\n", b"\x00"])) + raw[at + 1:]
    path = tmp_path / "class.csv"
    path.write_bytes(raw)
    command = data.draw(st.sampled_from([["batch", str(path)], ["batch", str(path), "--format", "jsonl"],
                                         ["import", str(path)]]))
    code = main(command)
    _, err = capsys.readouterr()
    assert code in (ExitCode.OK, ExitCode.INPUT, ExitCode.PARTIAL), err
    assert "Traceback" not in err and "internal error" not in err
    assert all(len(line) < 400 for line in err.splitlines())


@pytest.mark.parametrize("name", ["bomb.yaml", "deep.json"])
def test_the_fuzzers_worst_cases_stay_small(tmp_path, capsys, name):
    """The inputs that once took gigabytes: refused before they grow."""
    text = {"bomb.yaml": "format: jobkompas-answers/1\nrespondent: &a [x, x]\nanswers: {R01: *a}\n",
            "deep.json": '{"format": "jobkompas-answers/1", "respondent": ' + "[" * 100_000 + "]" * 100_000 + "}"}[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert main(["score", str(path)]) == ExitCode.INPUT
