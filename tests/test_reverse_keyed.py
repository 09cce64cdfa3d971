"""Reverse-keyed trait statements: one rule (rules.keyed), the same on every path."""

from __future__ import annotations

import shutil

import pytest

from jobkompas import api, rules
from jobkompas.cli import main
from jobkompas.errors import ExitCode
from jobkompas.resources import questions_dir


def test_a_reverse_keyed_answer_counts_from_the_other_end():
    assert [rules.keyed(v, True) for v in (1, 2, 3, 4, 5)] == [5, 4, 3, 2, 1]
    assert [rules.keyed(v, False) for v in (1, 2, 3, 4, 5)] == [1, 2, 3, 4, 5]


def test_the_bank_has_one_reverse_keyed_statement_per_trait_in_every_form_that_asks_two(bank):
    for trait in bank.traits:
        items = [q for q in bank.by_block("trait") if q.dimension == trait]
        assert sum(q.reverse for q in items) == 1, trait
    for form in ("standard", "full"):
        asked = [bank.questions[q] for q in bank.forms[form] if bank.questions[q].block == "trait"]
        assert {q.dimension for q in asked if q.reverse} == set(bank.traits), form


def test_agreeing_with_everything_no_longer_reads_as_every_trait_at_its_top(bank):
    agree = {q.id: 5 for q in bank.by_block("trait")}
    traits = api.score(api.new_answers(agree, bank=bank), bank=bank).profile.traits
    assert all(v == pytest.approx(66.7, abs=0.05) for v in traits.values())  # (5, 1, 5): 3.67 on 1–5, not 100
    one = {"T-structured-1": 5, "T-structured-r": 5}
    assert api.score(api.new_answers(one, bank=bank), bank=bank).profile.traits["structured"] == 50.0


def test_the_batch_fast_path_scores_reverse_keyed_statements_as_one_answer_set_does(bank, catalogue, tmp_path):
    from test_fastscore import careful_output, fast_output

    ids = [q.id for q in bank.form("full")]
    header = ["id", *ids]
    rows = []
    for n, reversed_answer in enumerate((1, 5, 2, 4)):
        values = []
        for qid in ids:
            q = bank.questions[qid]
            if q.block == "interest":
                values.append(str(5 if q.dimension in "RI" else 2))
            elif q.block == "trait":
                if q.reverse:  # two traits get the row's answer, one its opposite: a different shape per row
                    answer = 6 - reversed_answer if q.dimension == "caring" else reversed_answer
                    values.append(str(answer if q.dimension in ("analytical", "steady", "caring") else 3))
                else:
                    values.append(str(5 if q.dimension in ("analytical", "steady") else 3))
            else:
                values.append({"EDU-country": "norway", "EDU-current": "no-grunnskole", "EDU-highest": "no-bachelor",
                               "EDU-route": "either"}[qid])
        rows.append([f"s{n}", *values])
    path = tmp_path / "class.csv"
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    fast, _ = fast_output(path, bank, catalogue)
    slow, _ = careful_output(path, bank, catalogue)
    assert fast == slow
    lines = fast.splitlines()
    assert lines[1].split(",", 1)[1] != lines[2].split(",", 1)[1]  # the reversed answers changed the ranking


@pytest.mark.slow
@pytest.mark.parametrize("value,message", [('"yes"', "'reverse' must be true or false"),
                                           (None, "every statement is reverse-keyed")])
def test_reverse_flags_are_validated(tmp_path, capsys, value, message):
    folder = shutil.copytree(questions_dir(), tmp_path / "questions")
    traits = folder / "traits.yaml"
    text = traits.read_text(encoding="utf-8")
    if value is not None:
        text = text.replace("      - id: T-caring-r\n        reverse: true\n", f"      - id: T-caring-r\n        reverse: {value}\n")
    else:
        for n in (1, 3):
            text = text.replace(f"      - id: T-caring-{n}\n", f"      - id: T-caring-{n}\n        reverse: true\n")
    traits.write_text(text, encoding="utf-8")
    assert main(["--questions", str(folder), "validate"]) == ExitCode.CONTENT
    captured = capsys.readouterr()
    said = captured.out + captured.err
    assert message in said and "traits.yaml:" in said


@pytest.mark.slow
@pytest.mark.parametrize("links, message", [
    ("'7411'", "'links' must be a non-empty list"),
    ("[]", "'links' must be a non-empty list"),
    ("['741']", "link '741' is not an ISCO-08 unit group"),
    ("[7411]", "link 7411 is not an ISCO-08 unit group"),
    ("['7411', '7411']", "link '7411' is listed twice"),
])
def test_activity_links_are_validated(tmp_path, capsys, links, message):
    folder = shutil.copytree(questions_dir(), tmp_path / "questions")
    interests = folder / "interests.yaml"
    text = interests.read_text(encoding="utf-8")
    old = "  - id: R01\n    type: R\n    links: ['7234']  # bicycle repairers\n"
    assert old in text
    interests.write_text(text.replace(old, f"  - id: R01\n    type: R\n    links: {links}\n"), encoding="utf-8")
    assert main(["--questions", str(folder), "validate"]) == ExitCode.CONTENT
    captured = capsys.readouterr()
    said = captured.out + captured.err
    assert f"R01: {message}" in said and "interests.yaml:" in said


@pytest.mark.slow
@pytest.mark.parametrize("not_for, message", [
    ("[electrician]", "not_for: electrician is in unit group 7411, not in the item's links (7231)"),
    ("[no-such-job]", "not_for: unknown occupation id 'no-such-job'"),
    ("car-mechanic", "'not_for' must be a non-empty list of occupation ids"),
    ("[car-mechanic, car-mechanic]", "'not_for' names an occupation twice"),
])
def test_links_not_for_is_validated(tmp_path, capsys, not_for, message):
    """``not_for`` must name occupations of the item's own linked groups, once each; the
    message names interests.yaml and the line of the entry."""
    folder = shutil.copytree(questions_dir(), tmp_path / "questions")
    interests = folder / "interests.yaml"
    text = interests.read_text(encoding="utf-8")
    old = ("    links: ['7231']  # motor vehicle mechanics and repairers\n"
           "    not_for: [auto-glass-fitter, boat-mechanic, car-body-repairer, small-engine-mechanic]")
    assert old in text
    interests.write_text(text.replace(old, f"    links: ['7231']\n    not_for: {not_for}"), encoding="utf-8")
    assert main(["--questions", str(folder), "validate"]) == ExitCode.CONTENT
    said = "".join(capsys.readouterr())
    number = text.splitlines().index("  - id: R04") + 4  # its not_for line, 1-based
    assert f"R04: {message}" in said and f"interests.yaml:{number}:" in said


def test_not_for_needs_links(tmp_path):
    from jobkompas.questions import parse_question_bank

    folder = shutil.copytree(questions_dir(), tmp_path / "questions")
    interests = folder / "interests.yaml"
    text = interests.read_text(encoding="utf-8")
    old = "  - id: I01\n    type: I\n"
    assert old in text
    interests.write_text(text.replace(old, old + "    not_for: [chemist]\n"), encoding="utf-8")
    problems = [p.message for p in parse_question_bank(folder).problems]
    assert "I01: 'not_for' needs 'links' (it names occupations the links leave out)" in problems


def test_not_for_ids_another_catalogue_lacks_are_reported_only_for_a_bank_of_ones_own(bank):
    """The built-in bank names built-in occupations: checked with another catalogue that has
    none of them, nothing is wrong (they leave nothing out); one's own bank is checked in full."""
    from jobkompas.questions import check_links

    other_catalogue = {"car-mechanic": "7231"}  # no auto glass fitter, no boat mechanic …
    assert check_links(bank, other_catalogue, unknown_ids=False) == []
    reported = [p.message for p in check_links(bank, other_catalogue, unknown_ids=True)]
    assert "R04: not_for: unknown occupation id 'auto-glass-fitter'" in reported
    # an id the catalogue has, in a group the item does not link, is a mistake either way
    moved = {"auto-glass-fitter": "7411"}
    assert [p.message for p in check_links(bank, moved, unknown_ids=False)] == [
        "R04: not_for: auto-glass-fitter is in unit group 7411, not in the item's links (7231)"]
