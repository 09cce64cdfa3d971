"""The class roster, reports and rescoring for a whole group, and purging a group."""

from __future__ import annotations

import csv
import io
import itertools
import json
import stat
import sys

import pytest
from conftest import pattern_answers

from jobkompas.cli import main
from jobkompas.errors import ExitCode, Interrupted
from jobkompas.store import Store
from test_privacy import interrupt_at, quiz

RIASEC = "RIASEC"


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path, bank, name, likes, respondent=None, country="norway", unsure=False, **edu):
    values = pattern_answers(bank, likes, traits=4, **edu)
    if unsure:
        values = {k: ("unsure" if i % 2 and bank.questions[k].scale != "choice" else v)
                  for i, (k, v) in enumerate(values.items())}
    doc = {"format": "jobkompas-answers/1", "language": "en", "country": country, "answers": values}
    if respondent:
        doc["respondent"] = respondent
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def add(capsys, tmp_path, bank, name, likes, group="10B", respondent=None, **kw) -> str:
    code, out, _ = run(capsys, "import", str(write(tmp_path, bank, name, likes, respondent, **kw)), "--group", group,
                       "--names")
    assert code == 0
    return out.strip()


@pytest.fixture
def klass(capsys, tmp_path, bank):
    """A small class: three clear profiles, one with identical answers, one with many 'not sure'."""
    ids = {
        "ria": add(capsys, tmp_path, bank, "a.json", {"R": 5, "I": 4, "A": 3}, respondent="Åse"),
        "sea": add(capsys, tmp_path, bank, "b.json", {"S": 5, "E": 4, "A": 3}, respondent="Bjørn"),
        "cei": add(capsys, tmp_path, bank, "c.json", {"C": 5, "E": 4, "I": 3}, respondent="Cecilie", country="denmark"),
        "same": add(capsys, tmp_path, bank, "d.json", {}, respondent="Dag", default=3),
        "unsure": add(capsys, tmp_path, bank, "e.json", {"A": 5, "S": 4, "I": 3}, respondent="Eva", unsure=True),
    }
    add(capsys, tmp_path, bank, "x.json", {"R": 5}, group="9A", respondent="Other class")
    return ids


def summary(capsys, *extra):
    code, out, _ = run(capsys, "groups", "summary", "10B", "--format", "json", *extra)
    assert code == 0
    return json.loads(out)


@pytest.mark.slow
def test_the_roster_lists_every_student_of_the_group(capsys, klass):
    s = summary(capsys)
    assert [r["session"] for r in s["roster"]] == list(klass.values())
    first = s["roster"][0]
    assert first["code"] == "RIA" and first["confidence"] and [t["title"] for t in first["top3"]]
    # no form named: the smallest form holding every answer (all interest items: full); some education left out
    assert len(first["top3"]) == 3 and 100 < first["answered"] < first["questions"] == 124


@pytest.mark.slow
def test_the_roster_names_students_only_when_asked(capsys, klass):
    for fmt in ("json", "table", "html", "markdown", "csv"):
        _, out, _ = run(capsys, "groups", "summary", "10B", "--format", fmt)
        assert "Åse" not in out and "Bjørn" not in out, fmt
        _, out, _ = run(capsys, "groups", "summary", "10B", "--format", fmt, "--include-names")
        assert "Åse" in out and "Bjørn" in out, fmt


@pytest.mark.slow
def test_the_first_education_step_follows_the_students_country(capsys, klass):
    rows = {r["session"]: r for r in summary(capsys)["roster"]}
    assert rows[klass["ria"]]["first_step"].startswith(("Vg1", "Studiespesialisering", "Upper secondary"))
    norwegian = rows[klass["ria"]]["first_step"]
    danish = rows[klass["cei"]]["first_step"]
    assert norwegian and danish and "Vg1" not in danish


@pytest.mark.slow
def test_invalid_profiles_are_listed_apart_and_left_out_of_the_figures(capsys, klass):
    s = summary(capsys)
    assert [i["session"] for i in s["invalid"]] == [klass["same"]]
    assert s["students"] == 5 and s["scored"] == 4
    assert sum(n for _, n in s["holland_codes"]) == 4 and sum(s["first_letter"].values()) == 4
    # identical answers (all 50) would pull every minimum down to their level: not here
    assert s["types"]["R"]["max"] == 100.0
    row = next(r for r in s["roster"] if r["session"] == klass["same"])
    assert row["code"] == "" and not row["valid"]


def test_identical_answers_with_an_education_plan_are_scored_but_give_no_code(capsys, tmp_path, bank):
    """Every interest answer the same, with trait statements that vary and a planned education
    level: the student gets a list (ranked without the interest part) but no Holland code to
    count among the class's."""
    clear = add(capsys, tmp_path, bank, "a.json", {"R": 5, "I": 4, "A": 3}, group="7C")
    path = write(tmp_path, bank, "b.json", {}, default=4, **{"EDU-highest": "no-fagbrev"})
    doc = json.loads(path.read_text(encoding="utf-8"))
    for q in bank.by_block("trait"):  # structured and persistent stand out
        doc["answers"][q.id] = (5 if q.dimension in ("structured", "persistent") else 2) if not q.reverse else 3
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, out, _ = run(capsys, "import", str(path), "--group", "7C")
    assert code == 0
    same = out.strip()
    _, out, _ = run(capsys, "groups", "summary", "7C", "--format", "json")
    s = json.loads(out)
    assert s["scored"] == 2 and not s["invalid"]
    assert sum(n for _, n in s["holland_codes"]) == 1 and sum(s["first_letter"].values()) == 1
    assert s["types"]["R"]["min"] == 100.0  # the six equal scores of the second are not in the figures
    row = next(r for r in s["roster"] if r["session"] == same)
    assert row["code"] == "" and row["valid"] and row["confidence"] == "low" and row["top3"]
    assert next(r for r in s["roster"] if r["session"] == clear)["code"] == "RIA"


@pytest.mark.slow
def test_identical_answers_show_a_dash_not_riasec(capsys, klass):
    _, out, _ = run(capsys, "sessions", "list", "--group", "10B", "--lang", "en")
    line = next(row for row in out.splitlines() if row.startswith(klass["same"]))
    assert "RIA" not in line and "–" in line
    assert out.splitlines()[0].split()[:3] == ["Session", "Group", "Date"]


@pytest.mark.slow
def test_sessions_list_speaks_the_language_with_occupation_titles(capsys, klass):
    _, out, _ = run(capsys, "sessions", "list", "--group", "10B", "--lang", "nb")
    assert out.splitlines()[0].split()[:3] == ["Økt", "Gruppe", "Dato"]
    top = summary(capsys, "--lang", "nb")["roster"][0]["top3"][0]
    assert top["title"] in out and top["id"] not in out


@pytest.mark.slow
def test_who_to_talk_to_first(capsys, klass):
    s = summary(capsys)
    order = [t["session"] for t in s["talk_first"]]
    assert order[0] == klass["same"] and klass["unsure"] in order
    assert klass["ria"] not in order or order.index(klass["unsure"]) < order.index(klass["ria"])
    eva = next(t for t in s["talk_first"] if t["session"] == klass["unsure"])
    assert 'many "not sure"' in eva["reasons"]


@pytest.mark.slow
def test_all_codes_are_counted_not_only_ten(capsys, tmp_path, bank):
    triples = list(itertools.permutations("RIASEC", 3))[::9][:14]
    for i, (a, b, c) in enumerate(triples):
        add(capsys, tmp_path, bank, f"p{i}.json", {a: 5, b: 4, c: 3}, group="big")
    _, out, _ = run(capsys, "groups", "summary", "big", "--format", "json")
    codes = dict(tuple(x) for x in json.loads(out)["holland_codes"])
    assert len(codes) == 14 and sum(codes.values()) == 14


@pytest.mark.slow
def test_unfinished_students_are_in_the_summary_with_the_command_to_continue(capsys, klass):
    with pytest.raises(Interrupted):
        quiz(interrupt_at(7), name="Frida", group="10B")
    s = summary(capsys)
    [u] = s["unfinished"]
    assert u["answered"] == 7 and u["resume"].startswith("jobkompas quiz --unfinished u-")
    _, out, _ = run(capsys, "groups", "summary", "10B", "--include-names")
    assert "jobkompas quiz --session --name Frida --group 10B --resume" in out
    _, out, _ = run(capsys, "groups", "summary", "10B", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["status"] for r in rows].count("unfinished") == 1 and len(rows) == 6


@pytest.mark.slow
def test_summary_formats_have_headers_and_a_date(capsys, klass):
    _, html, _ = run(capsys, "groups", "summary", "10B", "--format", "html")
    assert html.count("<thead>") >= 5 and '<meta name="viewport"' in html
    _, md, _ = run(capsys, "groups", "summary", "10B", "--format", "markdown")
    assert "| Session | Code | Confidence |" in md and "|---|" in md and "Date: " in md
    _, out, _ = run(capsys, "groups", "summary", "10B", "--format", "csv")
    header = out.splitlines()[0].split(",")
    assert header[:3] == ["session", "status", "date"] and "name" not in header


def test_hostile_names_in_the_summary_are_inert(capsys, tmp_path, bank):
    markdown_it = pytest.importorskip("markdown_it")
    add(capsys, tmp_path, bank, "h.json", {"R": 5, "I": 4}, group="<b>x</b>", respondent='<img src=x onerror=alert(1)>')
    add(capsys, tmp_path, bank, "f.json", {"S": 5, "I": 4}, group="<b>x</b>", respondent='=HYPERLINK("http://e.example")')
    _, md, _ = run(capsys, "groups", "summary", "<b>x</b>", "--format", "markdown", "--include-names")
    page = markdown_it.MarkdownIt("commonmark").enable("table").render(md)
    assert "<img" not in page and "<b>" not in page and "href=" not in page
    _, html, _ = run(capsys, "groups", "summary", "<b>x</b>", "--format", "html", "--include-names")
    assert "<img" not in html and "<b>x" not in html
    _, out, _ = run(capsys, "groups", "summary", "<b>x</b>", "--format", "csv", "--include-names")
    names = [r["name"] for r in csv.DictReader(io.StringIO(out))]
    assert "'=HYPERLINK(\"http://e.example\")" in names


@pytest.mark.slow
def test_groups_report_writes_one_private_report_per_student(capsys, tmp_path, klass):
    run(capsys, "sessions", "note", klass["ria"], "Talk about the Zebrafjord workshop visit")
    folder = tmp_path / "reports"
    code, _, err = run(capsys, "groups", "report", "10B", "--out", str(folder))
    assert code == 0 and "5 report(s)" in err
    files = sorted(p.name for p in folder.iterdir())
    assert files == sorted(f"{i}.html" for i in klass.values())
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())
    student = (folder / f"{klass['ria']}.html").read_text(encoding="utf-8")
    assert "Zebrafjord" not in student and "Åse" not in student
    run(capsys, "groups", "report", "10B", "--out", str(folder), "--counsellor", "--include-names", "--format", "markdown")
    copy = (folder / f"{klass['ria']}.md").read_text(encoding="utf-8")
    assert "Zebrafjord" in copy and "Åse" in copy


@pytest.mark.slow
def test_groups_rescore_rescores_every_session(capsys, klass):
    with Store() as store:
        for sid in klass.values():
            stored = store.get(sid).result
            store.update_result(sid, stored, "2025.1")
    code, out, err = run(capsys, "groups", "rescore", "10B")
    assert code == 0 and len(out.splitlines()) == 5 and "rescored 5 session(s)" in err
    with Store() as store:
        assert "2025.1" not in {s.catalogue_version for s in store.list("10B")}
    assert run(capsys, "groups", "rescore", "nobody")[0] == ExitCode.NOT_FOUND


class _Keyboard(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.slow
def test_purging_a_group_shows_what_goes_and_asks(capsys, monkeypatch, klass):
    code, _, err = run(capsys, "sessions", "purge", "--group", "10B")  # no terminal, no --yes
    assert code == ExitCode.USAGE and "--yes" in err and klass["ria"] in err
    monkeypatch.setattr(sys, "stdin", _Keyboard("n\n"))
    code, _, err = run(capsys, "sessions", "purge", "--group", "10B")
    assert code == 0 and "nothing deleted" in err and "5 session(s)" in err
    with Store() as store:
        assert len(store.list("10B")) == 5
    monkeypatch.setattr(sys, "stdin", _Keyboard("y\n"))
    code, _, err = run(capsys, "sessions", "purge", "--group", "10B")
    assert code == 0 and "deleted 5 session(s)" in err
    with Store() as store:
        assert store.list("10B") == [] and len(store.list("9A")) == 1


@pytest.mark.slow
def test_purge_with_yes_does_not_ask(capsys, klass):
    code, _, err = run(capsys, "sessions", "purge", "--group", "10B", "--yes")
    assert code == 0 and "deleted 5 session(s)" in err
    code, _, err = run(capsys, "sessions", "purge", "--group", "10B", "--yes")
    assert code == 0 and "nothing to delete" in err


def test_rescoring_a_session_without_a_code_shows_a_dash(capsys, klass):
    code, out, _ = run(capsys, "sessions", "rescore", klass["same"])
    assert code == 0 and out.startswith(f"{klass['same']}: – (catalogue ")
