"""The helpers that several commands share: what a stream can show, the lines that report
rows on stderr, a group summary as text, and ``--version``/``--help`` staying light."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from conftest import pattern_answers

from jobkompas import api
from jobkompas.cli import main
from jobkompas.counsellor import save_result
from jobkompas.errors import ExitCode, InputError
from jobkompas.render import render_group_summary, render_table_text
from jobkompas.store import Store
from jobkompas.streams import report_row_error, report_rows_done, shows_unicode


class Stream:
    """Just enough of a text stream to name an encoding."""

    def __init__(self, encoding):
        self.encoding = encoding


@pytest.mark.parametrize("encoding", ["utf-8", "UTF-8", "utf8", "utf_8", "cp65001", "utf-16", "utf-16-le", "UTF-32"])
def test_utf_streams_show_unicode(encoding):
    assert shows_unicode(Stream(encoding), unknown=False)


@pytest.mark.parametrize("encoding", ["ascii", "ANSI_X3.4-1968", "latin-1", "cp1252", "no-such-codec"])
def test_other_encodings_do_not(encoding):
    assert not shows_unicode(Stream(encoding), unknown=True)


@pytest.mark.parametrize("unknown", [True, False])
def test_a_stream_without_an_encoding_gets_the_callers_answer(unknown):
    for stream in (io.StringIO(), Stream(None), Stream(""), object()):
        assert shows_unicode(stream, unknown=unknown) is unknown


def test_row_reports_keep_their_wording(capsys):
    report_row_error(InputError("row has 3 cells but the header has 42", "class.csv:9"))
    report_rows_done("scored", 40, "row", 7)
    report_rows_done("stored", 0, "session", 1)
    out, err = capsys.readouterr()
    assert out == ""
    assert err == ("jobkompas: error: class.csv:9: row has 3 cells but the header has 42\n"
                   "jobkompas: scored 40 row(s), 7 failed\n"
                   "jobkompas: stored 0 session(s), 1 failed\n")


def test_import_and_batch_report_bad_rows_alike(capsys, tmp_path, bank):
    ids = [q.id for q in bank.form("mini") if q.block != "education"]
    lines = ["id," + ",".join(ids) + ",EDU-country",
             "s1," + ",".join("4" for _ in ids) + ",norway",
             "s2," + ",".join("9" for _ in ids) + ",norway",
             "s3,1,2"]
    path = tmp_path / "class.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    row_errors = [f"jobkompas: error: {path}:3: row s2, column {ids[0]}: got 9; expected a whole number 1–5 or \"unsure\"",
                  f"jobkompas: error: {path}:4: row has 3 cells but the header has {len(ids) + 2}"]
    for fmt in ("csv", "jsonl"):
        assert main(["batch", str(path), "--format", fmt]) == ExitCode.PARTIAL
        assert capsys.readouterr().err.splitlines() == row_errors + ["jobkompas: scored 1 row(s), 2 failed"]
    assert main(["import", str(path), "--group", "9A"]) == ExitCode.PARTIAL
    assert capsys.readouterr().err.splitlines() == row_errors + ["jobkompas: stored 1 session(s), 2 failed"]


def test_table_text_is_ascii_only_where_stdout_cannot_show_more(monkeypatch, tmp_path, bank):
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"format": "jobkompas-answers/1", "language": "en", "country": "norway",
                                   "answers": pattern_answers(bank, {"R": 5})}), encoding="utf-8")
    result = api.score(api.read_answers(answers), top=3)
    monkeypatch.setattr(sys, "stdout", io.StringIO())  # text that stays a str: anything goes
    assert "█" in render_table_text([result])
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="ascii"))
    text = render_table_text([result])
    assert "#" in text and "█" not in text  # bars
    assert "+---" in text and "─" not in text  # boxes (text such as '→' is left to the stream)


def test_group_summary_renders_without_the_cli(tmp_path, bank):
    from jobkompas.counsellor import group_summary

    with Store() as store:
        for likes in ({"R": 5}, {"S": 5}):
            path = tmp_path / "a.json"
            path.write_text(json.dumps({"format": "jobkompas-answers/1", "language": "en", "country": "norway",
                                        "answers": pattern_answers(bank, likes)}), encoding="utf-8")
            save_result(store, api.score(api.read_answers(path)), name=None, group="9A")
        summary = group_summary(store.list("9A"), "nb")
    doc = json.loads(render_group_summary("9A", summary, "json", "nb"))
    assert list(doc)[0] == "group" and doc["group"] == "9A" and doc["students"] == 2
    table = render_group_summary("9A", summary, "table", "nb")
    assert table.startswith("Oversikt over gruppen: 9A — ") and "Interessetyper" in table
    html = render_group_summary("9A", summary, "html", "nb")
    assert html.startswith("<!DOCTYPE html>") and "9A" in html


@pytest.mark.parametrize("flag", ["--version", "--help"])
@pytest.mark.slow
def test_version_and_help_stay_light(flag):
    heavy = ("rich", "numpy", "questionary", "jinja2", "yaml")
    code = ("import sys\nfrom jobkompas.cli import main\ncode = main([%r])\n"
            "print(sorted(m for m in %r if m in sys.modules), file=sys.stderr)\nsys.exit(code)") % (flag, heavy)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "[]"
