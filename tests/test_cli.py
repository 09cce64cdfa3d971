from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

import jsonschema
import pytest
import yaml

from jobkompas.cli import main
from jobkompas.errors import ExitCode


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def schema(name):
    return json.loads(resources.files("jobkompas").joinpath(f"schemas/{name}").read_text(encoding="utf-8"))


def filled_template(capsys, tmp_path, form="mini", value=4):
    code, out, _ = run(capsys, "template", "--form", form, "--lang", "nb")
    assert code == 0
    data = yaml.safe_load(out)
    assert data["format"] == "jobkompas-answers/1" and data["form"] == form
    answers = {}
    for qid in data["answers"]:
        if qid.startswith("R"):
            answers[qid] = 5
        elif qid.startswith(("I", "A", "S", "E", "C")):
            answers[qid] = 1
        elif qid.startswith("T-"):
            answers[qid] = value
    answers.update({"EDU-country": "norway", "EDU-current": "no-grunnskole", "EDU-highest": "no-fagbrev",
                    "EDU-route": "practical"})
    data["answers"] = answers
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_version_and_help(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("jobkompas 0.")
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "score" in out and "occupations" in out


@pytest.mark.parametrize("lang, words", [("en", "Sources (figures"), ("nb", "Kilder (tall"), ("da", "Kilder (tal")])
def test_about_credits_sources(capsys, lang, words):
    code, out, _ = run(capsys, "about", "--lang", lang)
    assert code == 0 and words in out
    for source in ("O*NET 29.0", "CC BY 4.0", "Statistisk sentralbyrå", "Danmarks Statistik", "ESCO"):
        assert source in out


def test_template_comments_each_question(capsys, bank):
    """Every question of the form, in order, under its own text in the chosen language (a
    choice question also lists its option ids), blank; one heading per block."""
    from jobkompas.i18n import translator

    for form, lang in (("mini", "da"), ("standard", "nb"), ("full", "en")):
        tr = translator(lang)
        code, out, _ = run(capsys, "template", "--form", form, "--lang", lang)
        assert code == 0
        lines = out.splitlines()
        rows = [i for i, line in enumerate(lines) if line.startswith("  ") and not line.startswith("  #")]
        assert [lines[i].strip() for i in rows] == [f"{qid}:" for qid in bank.forms[form]]
        for i in rows:
            q = bank.questions[lines[i].strip().rstrip(":")]
            expected = [f"  # {q.text[lang]}"]
            if q.scale == "choice":
                unsure = "" if q.dimension == "country" else ", unsure"  # education plans may be open
                expected.append(f"  #   {tr('one of:')} {', '.join(o.id for o in q.options)}{unsure}")
            assert lines[i - len(expected):i] == expected, q.id
        headings = {"en": ("Interests", "How you like to work", "Education"),
                    "nb": ("Interesser", "Hvordan du liker å jobbe", "Utdanning"),
                    "da": ("Interesser", "Hvordan du kan lide at arbejde", "Uddannelse")}[lang]
        assert [line for line in lines if "# ---" in line] == [f"  # --- {b} ---" for b in headings]
        assert "respondent:" in lines  # a line for the name, in every language
        assert yaml.safe_load(out)["answers"] == dict.fromkeys(bank.forms[form])
    assert "  # Reparere en cykel\n  R01:\n" in run(capsys, "template", "--form", "mini", "--lang", "da")[1]


def test_score_json_follows_the_schema(capsys, tmp_path):
    path = filled_template(capsys, tmp_path)
    code, out, err = run(capsys, "score", str(path), "--format", "json", "--top", "5")
    assert code == 0
    doc = json.loads(out)
    jsonschema.validate(doc, schema("result.schema.json"))
    assert doc["profile"]["holland_code"][0] == "R"
    assert len(doc["matches"]) == 5 and doc["language"] == "nb"
    assert all(m["education_path"] for m in doc["matches"])
    assert "Traceback" not in err


def test_answer_files_follow_their_schema(capsys, tmp_path):
    path = filled_template(capsys, tmp_path)
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema("answers.schema.json"))


def quiz_keys(bank, form="mini"):
    """Plain-prompt input for a Danish quiz: every kind of answer, "not sure" included; the
    answers it gives; at the results, "Save my answers to a file" (4), then quit (6)."""
    by_type = {"R": 5, "I": "unsure", "A": 3, "S": 1, "E": 2, "C": 4}
    lines, values = [], {"EDU-country": "denmark"}
    for q in bank.form(form):
        if q.id == "EDU-country":
            continue  # given with --country
        if q.block == "interest":
            value = by_type[q.dimension]
        elif q.block == "trait":
            value = "unsure" if q.dimension == "steady" else 4
        else:
            options = [o.id for o in q.options_for("denmark")]
            value = {"EDU-current": "dk-eud", "EDU-highest": "dk-bachelor", "EDU-route": "practical"}[q.id]
            lines.append(str(options.index(value) + 1))
            values[q.id] = value
            continue
        lines.append("6" if value == "unsure" else str(value))
        values[q.id] = value
    return lines, values


@pytest.mark.slow
def test_files_the_app_writes_follow_their_schemas(capsys, tmp_path, monkeypatch, bank):
    """Answer files written by 'template' and by the quiz's "Save my answers to a file", and
    result JSON from 'score' (edge cases too) and from kept sessions, each against its schema."""
    import io

    answers_schema, result_schema = schema("answers.schema.json"), schema("result.schema.json")
    for form in ("mini", "standard", "full"):
        written = tmp_path / f"template-{form}.yaml"
        code, _, err = run(capsys, "template", "--form", form, "--lang", "da", "--out", str(written))
        assert code == 0, err
        doc = yaml.safe_load(written.read_text(encoding="utf-8"))
        jsonschema.validate(doc, answers_schema)
        assert list(doc["answers"]) == list(bank.forms[form]) and doc["form"] == form

    lines, given = quiz_keys(bank)
    saved = tmp_path / "saved-answers.yaml"
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join([*lines, "5", "3", str(saved), "6"]) + "\n"))  # Save…, answers
    code, out, err = run(capsys, "quiz", "--plain", "--form", "mini", "--lang", "da", "--country", "denmark",
                         "--session", "--group", "9A")
    assert code == 0, err
    assert "Gemt: " in out and "Kunne ikke gemme" not in out  # "Saved: …", in Danish
    doc = yaml.safe_load(saved.read_text(encoding="utf-8"))
    jsonschema.validate(doc, answers_schema)
    assert doc["answers"] == given and doc["language"] == "da" and doc["form"] == "mini"
    assert doc["asked"] == [qid for qid in bank.forms["mini"] if qid != "EDU-country"]

    edge = {  # all "not sure" (no variation, no matches); too few answers; lots unsure, no education
        "unsure.json": {"format": "jobkompas-answers/1", "answers": {q.id: "unsure" for q in bank.form("mini")
                                                                      if q.block != "education"}},
        "few.json": {"format": "jobkompas-answers/1", "language": "nb", "country": "other",
                     "answers": {"R01": 5, "I01": 1, "A01": 2, "S01": 1, "E01": 3, "C01": 1}},
        "mixed.json": {"format": "jobkompas-answers/1", "respondent": 17,
                       "answers": {"R01": 5, "R02": "unsure", "I01": "unsure", "I02": "unsure", "A01": 4,
                                   "S01": 1, "E01": 2, "C01": 3, "T-caring-1": 5}},
    }
    for name, content in edge.items():
        (tmp_path / name).write_text(json.dumps(content), encoding="utf-8")
    report = tmp_path / "results.json"
    code, _, err = run(capsys, "score", str(saved), *(str(tmp_path / n) for n in edge), "--format", "json",
                       "--top", "15", "--out", str(report))
    assert code == 0, err
    docs = json.loads(report.read_text(encoding="utf-8"))
    for d in docs:
        jsonschema.validate(d, result_schema)
    quiz, unsure, few, mixed = docs
    assert quiz["language"] == "da" and quiz["country"] == "denmark" and len(quiz["matches"]) == 15
    assert quiz["profile"]["education"]["highest_level"] == "dk-bachelor"
    assert unsure["matches"] == [] and "no_variation" in [f["id"] for f in unsure["profile"]["flags"]]
    assert "too_few_answers" in [f["id"] for f in few["profile"]["flags"]] and few["country"] == "other"
    assert mixed["respondent"] == "17" and mixed["profile"]["unsure"] == 3

    code, out, err = run(capsys, "sessions", "export", "--format", "json", "--group", "9A")
    assert code == 0, err
    [session] = json.loads(out)
    jsonschema.validate(session["result"], result_schema)
    assert session["answers"] == given
    assert session["result"]["profile"] == quiz["profile"]


def test_score_several_files_csv_markdown_html(capsys, tmp_path):
    path = filled_template(capsys, tmp_path)
    code, out, _ = run(capsys, "score", str(path), str(path), "--format", "csv", "--top", "3")
    rows = out.strip().splitlines()
    assert code == 0 and len(rows) == 3 and rows[0].startswith("id,holland_code,R,I,A,S,E,C")
    code, out, _ = run(capsys, "score", str(path), "--format", "markdown", "--lang", "en")
    assert code == 0 and "## Your top matches" in out and "Holland code" in out
    report = tmp_path / "r.html"
    code, _, err = run(capsys, "score", str(path), "--format", "html", "--out", str(report))
    html = report.read_text(encoding="utf-8")
    assert code == 0 and "<svg" in html and "O*NET" in html and "<script" not in html


def test_html_escapes_hostile_names(capsys, tmp_path):
    doc = {"format": "jobkompas-answers/1", "respondent": "<script>alert(1)</script>",
           "answers": {"R01": 5, "R02": 4, "I01": 1, "A01": 2, "S01": 1, "E01": 1, "C01": 3}}
    path = tmp_path / "x.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, out, _ = run(capsys, "score", str(path), "--format", "html")
    assert code == 0
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_score_from_stdin(capsys, tmp_path, monkeypatch):
    import io

    path = filled_template(capsys, tmp_path)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes())))
    code, out, _ = run(capsys, "score", "-", "--format", "json")
    assert code == 0 and json.loads(out)["profile"]["holland_code"].startswith("R")


@pytest.mark.parametrize("args, code, words", [
    (["score", "missing.yaml"], ExitCode.INPUT, "missing.yaml: no such file"),
    (["score", "x.yaml", "--format", "pdf"], ExitCode.USAGE, "--format must be one of table, json, csv, markdown, html; got 'pdf'"),
    (["score", "--top", "0", "x.yaml"], ExitCode.USAGE, "Invalid value for '--top'"),
    (["occupations", "show", "no-such-job"], ExitCode.NOT_FOUND, "no-such-job"),
    (["quiz", "--form", "huge"], ExitCode.USAGE, "--form must be one of mini, standard, full, adaptive; got 'huge'"),
    (["nonsense"], ExitCode.USAGE, "No such command 'nonsense'. (see 'jobkompas --help')"),
])
@pytest.mark.slow
def test_errors_are_one_line_with_documented_codes(capsys, args, code, words):
    got, out, err = run(capsys, *args)
    assert got == code and out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("jobkompas: error: ") and words in err


def test_bad_answer_file_is_one_line_naming_file_and_line(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: jobkompas-answers/1\nanswers:\n  R01: 7\n", encoding="utf-8")
    code, out, err = run(capsys, "score", str(bad))
    assert code == ExitCode.INPUT and out == ""
    assert err.strip() == f"jobkompas: error: {bad}:3: R01: got 7; expected a whole number 1–5 or \"unsure\""


def test_batch_scores_good_rows_and_reports_bad_ones(capsys, tmp_path, bank):
    ids = [q.id for q in bank.form("mini") if q.block != "education"]
    lines = ["id," + ",".join(ids) + ",EDU-country"]
    lines.append("s1," + ",".join("5" if i.startswith("R") else "1" for i in ids) + ",norway")
    lines.append("s2," + ",".join("9" for _ in ids) + ",norway")
    lines.append("s3," + ",".join("5" if i.startswith("S") else "2" for i in ids) + ",dk")
    lines.append("s4,1,2")
    csv_path = tmp_path / "class.csv"
    csv_path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "batch", str(csv_path), "--top", "3")
    rows = out.strip().splitlines()
    assert code == ExitCode.PARTIAL
    assert [r.split(",")[0] for r in rows] == ["id", "s1", "s3"]
    assert rows[1].split(",")[1].startswith("R") and rows[2].split(",")[1].startswith("S")
    assert f"{csv_path}:3: row s2, column R01: got 9" in err
    assert f"{csv_path}:5: row has 3 cells" in err
    code, out, err = run(capsys, "batch", str(csv_path), "--strict")
    assert code == ExitCode.INPUT
    assert err.count("got 9") == 1  # reported once, then it stops
    assert [r.split(",")[0] for r in out.strip().splitlines()] == ["id", "s1"]  # rows before it are written
    code, out, _ = run(capsys, "batch", str(csv_path), "--format", "jsonl")
    docs = [json.loads(line) for line in out.splitlines()]
    assert [d["respondent"] for d in docs] == ["s1", "s3"]
    for d in docs:
        jsonschema.validate(d, schema("result.schema.json"))


def test_batch_rejects_unknown_columns(capsys, tmp_path):
    csv_path = tmp_path / "c.csv"
    csv_path.write_text("id,R01,Q999\na,1,2\n", encoding="utf-8")
    code, _, err = run(capsys, "batch", str(csv_path))
    assert code == ExitCode.INPUT and f"{csv_path}:1: unknown column 'Q999'" in err


def test_questions_list_json(capsys):
    code, out, _ = run(capsys, "questions", "list", "--json")
    rows = json.loads(out)
    interest = [r for r in rows if r["block"] == "interest"]
    assert len(interest) >= 90
    assert {r["dimension"] for r in interest} == set("RIASEC")
    assert all(r["text"]["nb"] and r["text"]["da"] for r in rows)
    assert next(r for r in rows if r["id"] == "R01")["forms"] == ["mini", "standard", "full"]


@pytest.mark.slow
def test_occupations_list_search_show(capsys):
    code, out, _ = run(capsys, "occupations", "list", "--json")
    occs = json.loads(out)
    assert len(occs) >= 900
    assert all(o["titles"]["en"] and o["titles"]["nb"] and o["titles"]["da"] for o in occs)
    assert all(o["paths"]["norway"] and o["paths"]["denmark"] for o in occs)
    assert sum(o["curated"] for o in occs) >= 100
    for query, expected in (("sveis", "welder"), ("Svejser", "welder"), ("sykepleier", "nurse"),
                            ("tomrer", "carpenter"), ("elektrikker", "electrician"), ("Arbeidsleder innen industri", "production-supervisor"),
                            # British titles, found by the American spelling too
                            ("paediatrician", "pediatrician"), ("pediatrician", "pediatrician"),
                            ("tyre fitter", "tire-fitter"), ("tire fitter", "tire-fitter")):
        code, out, _ = run(capsys, "occupations", "search", query, "--json")
        assert code == 0 and json.loads(out)[0]["id"] == expected, query
    code, out, _ = run(capsys, "occupations", "show", "production-supervisor", "--lang", "nb", "--country", "norway")
    assert code == 0 and "Arbeidsleder innen industri og produksjon" in out and "Fagbrev" in out.replace("fagbrev", "Fagbrev")


@pytest.mark.slow
def test_no_terminal_fails_fast_with_a_hint():
    result = subprocess.run([sys.executable, "-m", "jobkompas"], stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == ExitCode.NO_TTY
    assert "jobkompas score" in result.stderr and "--answers" in result.stderr
    assert "Traceback" not in result.stderr and "Warning" not in result.stderr


@pytest.mark.slow
def test_non_utf8_and_narrow_terminals_stay_readable(capsys, tmp_path):
    import os

    path = filled_template(capsys, tmp_path)
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "COLUMNS": "60"}
    done = subprocess.run([sys.executable, "-m", "jobkompas", "score", str(path), "--top", "3", "--lang", "nb"],
                          capture_output=True, text=True, env=env, encoding="ascii", errors="strict", timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "R Praktisk       ######" in done.stdout
    assert max(len(line) for line in done.stdout.splitlines()) <= 60
    assert " 1. " in done.stdout and "   + " in done.stdout  # reasons listed, not dropped


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_batch_out_into_a_missing_directory_is_a_usage_error(capsys, tmp_path, fmt):
    path = tmp_path / "c.csv"
    path.write_text("id,R01,I01\ns0,5,1\n", encoding="utf-8")
    target = tmp_path / "no-such-dir" / "out.csv"
    code, out, err = run(capsys, "batch", str(path), "--format", fmt, "--out", str(target))
    assert code == ExitCode.USAGE and out == ""
    assert err == f"jobkompas: error: cannot write {target}: No such file or directory\n"


@pytest.mark.slow
def test_identical_answers_show_no_holland_code(capsys, tmp_path, bank):
    """All six types tied: the letters would only be the order R I A S E C, so none are shown
    (the JSON keeps its field, with the no_variation flag beside it)."""
    values = {q.id: 3 for q in bank.by_block("interest")}
    path = tmp_path / "flat.json"
    path.write_text(json.dumps({"format": "jobkompas-answers/1", "answers": values}), encoding="utf-8")
    for args, line in ((["score", str(path)], "Holland code: –"),
                       (["report", str(path), "--format", "markdown"], "**Holland code: –**"),
                       (["report", str(path), "--format", "html"], "Holland code: –</strong>")):
        code, out, _ = run(capsys, *args)
        assert code == 0 and line in out, args
        assert "Realistic:" not in out and "R – Realistic" not in out and "<strong>Realistic</strong>" not in out


def test_content_folders_are_chosen_without_touching_the_environment(capsys, tmp_path, monkeypatch):
    import os
    import shutil

    from jobkompas import api
    from jobkompas.resources import questions_dir

    bank = tmp_path / "bank"
    shutil.copytree(questions_dir(), bank)
    before = dict(os.environ)
    code, out, _ = run(capsys, "--questions", str(bank), "questions", "list", "--json")
    assert code == 0 and json.loads(out)
    assert dict(os.environ) == before
    assert json.loads(out)[0]["id"] in api.load_bank(bank).questions
    assert api.load_bank().directory != bank  # chosen for that run only, passed explicitly: no process state
    code, _, _ = run(capsys, "questions", "list", "--json")
    assert code == 0 and api.load_bank().directory != bank
    assert run(capsys, "--questions", str(tmp_path / "missing"), "questions", "list")[0] == ExitCode.USAGE


@pytest.mark.parametrize("args, says", [
    (["--lang", "da", "questions", "list"], "Reparere en cykel"),
    (["--lang", "nb", "template", "--form", "mini"], "Svarfil for jobkompas"),
    (["--lang", "da", "occupations", "show", "welder"], "Svejser"),
])
def test_the_root_lang_option_is_the_default_for_the_command_after_it(capsys, args, says):
    code, out, _ = run(capsys, *args)
    assert code == 0 and says in out


def test_a_command_s_own_lang_wins_over_the_root_one(capsys):
    code, out, _ = run(capsys, "--lang", "da", "questions", "list", "--lang", "nb")
    assert code == 0 and "Reparere en sykkel" in out and "Reparere en cykel" not in out


def test_the_root_lang_reaches_a_score_of_a_file_in_another_language(capsys, tmp_path):
    path = filled_template(capsys, tmp_path)  # a Norwegian answer file
    code, out, _ = run(capsys, "--lang", "da", "score", str(path), "--format", "json")
    assert code == 0 and json.loads(out)["language"] == "da"


def test_a_wrong_questions_folder_stops_only_the_commands_that_use_it(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("JOBKOMPAS_QUESTIONS", str(tmp_path / "missing"))
    code, out, err = run(capsys, "sessions", "list")
    assert code == 0 and "No sessions yet." in out
    code, _, err = run(capsys, "questions", "list")
    assert code == ExitCode.USAGE and f"questions directory not found: {tmp_path / 'missing'}" in err
