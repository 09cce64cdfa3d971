"""Reports: a student's copy and a counsellor's copy that read well on screen, phone and paper."""

from __future__ import annotations

import json
import re

import pytest
from conftest import pattern_answers

from jobkompas.cli import main


def run(capsys, *args):
    """The output as read: HTML entities (&#39; for an apostrophe) turned into characters."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out.replace("&#39;", "'"), err


def session(capsys, tmp_path, bank, name="Kari Nordmann", note="Wants to visit a workshop\nCall the parents first",
            likes=None, country="norway"):
    values = pattern_answers(bank, {"R": 5, "I": 4} if likes is None else likes, traits=4,
                             **{"EDU-highest": "no-fagbrev", "EDU-route": "practical"} if country == "norway" else {})
    values = {k: v for k, v in values.items() if k in bank.questions}
    doc = {"format": "jobkompas-answers/1", "language": "en", "country": country, "form": "standard",
           "answers": values, "respondent": name}
    path = tmp_path / "a.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, "import", str(path), "--names", "--group", "10B")
    assert code == 0, err
    sid = out.strip()
    if note:
        run(capsys, "sessions", "note", sid, note)
    return sid


@pytest.fixture
def sid(capsys, tmp_path, bank):
    return session(capsys, tmp_path, bank)


@pytest.mark.parametrize("fmt", ["html", "markdown"])
@pytest.mark.slow
def test_the_students_copy_has_no_notes(capsys, sid, fmt):
    code, out, _ = run(capsys, "report", sid, "--format", fmt)
    assert code == 0 and "Wants to visit" not in out and "Call the parents" not in out and "Counsellor notes" not in out
    assert "Education answers" not in out and "Counsellor's copy" not in out


@pytest.mark.parametrize("fmt", ["html", "markdown"])
@pytest.mark.slow
def test_the_counsellors_copy_has_notes_answers_traits_and_completeness(capsys, sid, fmt):
    code, out, _ = run(capsys, "report", sid, "--format", fmt, "--counsellor")
    assert code == 0 and "Counsellor's copy" in out
    assert "Wants to visit a workshop" in out and "Call the parents first" in out
    assert "Education answers" in out and "How you like to work" in out
    assert re.search(r"Answered: \d+/84", out)


@pytest.mark.slow
def test_multi_line_notes_keep_their_lines_in_html(capsys, sid):
    _, out, _ = run(capsys, "report", sid, "--counsellor")
    assert "Wants to visit a workshop\nCall the parents first" in out and ".note { white-space: pre-wrap; }" in out


@pytest.mark.slow
def test_html_report_reads_on_a_phone_and_to_a_screen_reader(capsys, sid, bank):
    _, out, _ = run(capsys, "report", sid)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in out
    assert '<svg' in out and 'aria-hidden="true"' in out.split("<svg", 1)[1][:120]
    table = out.split('<table class="scores">', 1)[1].split("</table>", 1)[0]
    for t in "RIASEC":  # each type by letter and name, with its score, as text in a table
        assert re.search(rf'<th scope="row">{t} {bank.types[t].name["en"]}</th><td class="n">\d+(\.\d)?</td>', table)


@pytest.mark.slow
def test_reasons_are_marked_plus_or_minus_in_text_not_only_colour(capsys, tmp_path, bank):
    sid = session(capsys, tmp_path, bank, likes={"A": 5, "S": 4, "R": 1})
    _, out, _ = run(capsys, "report", sid)
    marks = re.findall(r'<li class="(pos|neg)"><span class="mark">(.)</span>', out)
    assert marks and all((kind == "pos") == (mark == "+") for kind, mark in marks)
    assert {"+", "–"} == {mark for _, mark in marks}
    _, md, _ = run(capsys, "report", sid, "--format", "markdown")
    assert "\n- + " in md and "\n- – " in md


@pytest.mark.slow
def test_headings_stay_with_their_content_when_printed(capsys, sid):
    _, out, _ = run(capsys, "report", sid)
    assert "h1, h2, h3 { break-after: avoid; page-break-after: avoid; }" in out
    assert ".match { break-inside: avoid;" in out and "@page { size: A4;" in out


@pytest.mark.slow
def test_title_date_and_country(capsys, sid):
    _, out, _ = run(capsys, "report", sid, "--include-names")
    assert "<title>jobkompas result — Kari Nordmann</title>" in out and "<h1>Kari Nordmann</h1>" in out
    assert re.search(r"Date: \d{4}-\d\d-\d\d", out) and "Country: Norway" in out
    _, out, _ = run(capsys, "report", sid, "--lang", "nb")
    assert "Kari" not in out and "<h1>Resultat fra jobkompas</h1>" in out and "Land: Norge" in out


def test_identical_answers_report_shows_a_dash_for_the_code(capsys, tmp_path, bank):
    # every interest answer the same, every trait equal, no education level: nothing to rank on
    sid = session(capsys, tmp_path, bank, likes={}, note=None, country="denmark")
    _, out, _ = run(capsys, "report", sid)
    assert "<strong>Holland code: –</strong>" in out and "Your top matches" not in out
    assert "No matches are shown" in out


def test_identical_answers_with_only_an_education_plan_report_no_list_and_say_why(capsys, tmp_path, bank):
    sid = session(capsys, tmp_path, bank, likes={}, note=None)  # education level given, traits all equal
    _, out, _ = run(capsys, "report", sid)
    assert "<strong>Holland code: –</strong>" in out and "Confidence: none" in out
    assert "Your top matches" not in out
    assert "No matches are shown; try again and use the whole scale." in out
