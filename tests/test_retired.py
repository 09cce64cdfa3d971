"""Questions no longer asked (questions/retired.yaml): an answer given to an old wording is
read and left out, never scored as the question asked in its place."""

from __future__ import annotations

import json
import shutil

import pytest

from jobkompas import api
from jobkompas.cli import main
from jobkompas.errors import ExitCode
from jobkompas.resources import questions_dir

OLD_FILE = """format: jobkompas-answers/1
answers:
  R01: 5
  R09: 5
  I01: 2
  A01: 1
  S01: 2
  E01: 3
  C01: 1
  R02: 4
  I02: 1
  T-structured-1: 5
  T-structured-2: 5
"""


def test_the_built_in_bank_retires_every_reworded_question(bank):
    # the old reverse-keyed positions and the replaced activities (docs/questions.md)
    for trait in bank.traits:
        assert f"T-{trait}-2" in bank.retired and bank.retired[f"T-{trait}-2"].replaced_by == f"T-{trait}-r"
    for qid in ("R09", "R10", "R14", "R15", "I04", "S04", "S09", "S14", "C03", "C15",  # first revision
                "R05", "R08", "R11", "R13", "R19", "S06", "S15"):  # second: activities of missing jobs
        assert qid in bank.retired and qid not in bank.questions
    assert all(qid not in bank.retired for form in bank.forms.values() for qid in form)
    # a replacement named is asked; R14's (R19) was itself retired later, so it names none
    assert all(r.replaced_by is None or r.replaced_by in bank.questions for r in bank.retired.values())
    assert bank.retired["R14"].replaced_by is None
    assert bank.retired["S06"].replaced_by == "S19"
    assert bank.questions["S19"].links == ("2221", "3221")


def test_an_old_answer_file_scores_without_its_retired_answers_and_says_so(bank, tmp_path, capsys):
    old = tmp_path / "old.yaml"
    old.write_text(OLD_FILE, encoding="utf-8")
    without = tmp_path / "without.yaml"
    without.write_text("".join(line for line in OLD_FILE.splitlines(keepends=True)
                               if not line.startswith(("  R09", "  T-structured-2"))), encoding="utf-8")
    assert main(["score", str(old), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert f"{old}:4: 2 answer(s) left out" in captured.err and "R09, T-structured-2" in captured.err
    assert main(["score", str(without), "--format", "json"]) == 0
    assert json.loads(captured.out)["profile"] == json.loads(capsys.readouterr().out)["profile"]


def test_agreeing_with_the_old_tidy_statement_is_not_read_as_the_new_messy_one(bank):
    # "I keep my things tidy" (old T-structured-2) agreed with must not count as "my things
    # are often in a mess" (T-structured-r), which would turn it around
    answers = api.new_answers({"T-structured-1": 5, "T-structured-2": 5}, bank=bank)
    assert answers.warnings and "T-structured-2" in answers.warnings[0]
    assert "T-structured-r" not in answers.values
    assert api.score(answers, bank=bank).profile.traits["structured"] == 100.0


def test_the_asked_list_may_name_retired_questions(bank):
    text = OLD_FILE + "asked: [R01, R09, T-structured-2]\n"
    answers = api.parse_answers(text, bank=bank)
    assert answers.asked == ["R01"]


def test_a_class_file_with_a_retired_column_is_read_without_it_on_both_batch_paths(bank, tmp_path, capsys):
    header = "id,R01,R09,I01,A01,S01,E01,C01,R02,I02,T-structured-1,T-structured-2,EDU-country\n"
    rows = "a,5,5,2,1,2,3,1,4,1,5,5,norway\nb,1,5,5,2,2,1,4,2,5,2,1,denmark\n"
    with_old = tmp_path / "old.csv"
    with_old.write_text(header + rows, encoding="utf-8")
    drop = (2, 11)
    plain = tmp_path / "plain.csv"
    plain.write_text("".join(",".join(c for k, c in enumerate(line.split(",")) if k not in drop) + "\n"
                             for line in (header + rows).splitlines()), encoding="utf-8")
    for fmt in ("csv", "jsonl"):
        assert main(["batch", str(with_old), "--format", fmt]) == 0
        old = capsys.readouterr()
        assert main(["batch", str(plain), "--format", fmt]) == 0
        assert old.out == capsys.readouterr().out, fmt
        warnings = [line for line in old.err.splitlines() if "left out" in line]
        assert len(warnings) == 1 and f"{with_old}:1" in warnings[0] and "R09, T-structured-2" in warnings[0], fmt


def test_a_kept_session_with_retired_answers_is_rescored_without_them(bank):
    from jobkompas.counsellor import answers_of
    from jobkompas.store import Store

    values = {"R01": 5, "R09": 5, "I01": 2, "A01": 1, "S01": 2, "E01": 3, "C01": 1, "T-structured-2": 5}
    with Store() as store:
        sid = store.add(answers=values, language="en", country=None, form="mini", result={},
                        catalogue_version="x", name=None, group=None)
        answers = answers_of(store.get(sid))
    assert "R09" not in answers.values and "T-structured-2" not in answers.values
    assert answers.values["R01"] == 5 and any("R09" in w for w in answers.warnings)


def test_an_unfinished_quiz_asks_the_new_question_again(bank):
    from jobkompas.wizard.state import QuizState, drop_invalid_answers

    state = QuizState(answers={"R01": 4, "T-structured-2": 5}, asked=["R01", "T-structured-2"], position=2,
                      language="en", form="standard")
    assert drop_invalid_answers(state, bank) == ["T-structured-2"]
    assert state.asked == ["R01"] and state.position == 1


@pytest.mark.parametrize("edit,message", [
    (lambda t: t + "  - id: R01\n    text: Old\n", "'R01' is both asked and retired"),
    (lambda t: t.replace("replaced_by: R17", "replaced_by: R99"), "'replaced_by' names no question of the bank"),
    (lambda t: t + "  - id: R09\n", "'R09' is retired twice"),
])
def test_the_retired_list_is_validated(tmp_path, edit, message):
    from jobkompas.questions import parse_question_bank

    folder = shutil.copytree(questions_dir(), tmp_path / "questions")
    retired = folder / "retired.yaml"
    retired.write_text(edit(retired.read_text(encoding="utf-8")), encoding="utf-8")
    problems = parse_question_bank(folder).problems
    assert any(message in p.message and p.file == str(retired) and p.line > 1 for p in problems), problems


@pytest.mark.slow
def test_validate_reports_a_retired_list_problem_with_file_and_line(tmp_path, capsys):
    folder = shutil.copytree(questions_dir(), tmp_path / "questions")
    retired = folder / "retired.yaml"
    retired.write_text(retired.read_text(encoding="utf-8") + "  - id: R09\n", encoding="utf-8")
    assert main(["--questions", str(folder), "validate"]) == ExitCode.CONTENT
    captured = capsys.readouterr()
    assert f"{retired}:" in captured.out + captured.err and "'R09' is retired twice" in captured.out + captured.err
