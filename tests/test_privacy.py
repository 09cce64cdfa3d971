"""Names only where asked, one unfinished quiz per student, files private to the user."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import stat
from pathlib import Path

import pytest
from conftest import pattern_answers

from jobkompas import api
from jobkompas.cli import main
from jobkompas.counsellor import save_result
from jobkompas.errors import ExitCode, Interrupted
from jobkompas.store import DB_NAME, Store
from jobkompas.wizard.flow import run_wizard
from jobkompas.wizard.state import load_state, session_states
from test_wizard import PipedQuestionary, console, question_number, realistic_keys

NAME = "Åse Ødegård-Ærø 🦊"


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def home() -> Path:
    return Path(os.environ["JOBKOMPAS_HOME"])


def answer_file(tmp_path, bank, likes, name="a.json", respondent=NAME):
    values = pattern_answers(bank, likes, traits=4, **{"EDU-highest": "no-fagbrev"})
    doc = {"format": "jobkompas-answers/1", "language": "en", "country": "norway", "answers": values,
           "respondent": respondent}
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def database_bytes() -> bytes:
    return b"".join(p.read_bytes() for p in home().glob(DB_NAME + "*"))


def imported(capsys, tmp_path, bank, *flags) -> str:
    code, out, _ = run(capsys, "import", str(answer_file(tmp_path, bank, {"S": 5})), "--group", "10B", *flags)
    assert code == 0
    return out.strip()


# ------------------------------------------------------------------ names only where asked


def test_import_without_names_keeps_the_respondent_nowhere(capsys, tmp_path, bank):
    session = imported(capsys, tmp_path, bank)
    with Store() as store:
        stored = store.get(session)
    assert stored.display_name is None and stored.result["respondent"] is None
    assert NAME.encode("utf-8") not in database_bytes()


def test_import_with_names_keeps_the_name_as_display_name(capsys, tmp_path, bank):
    session = imported(capsys, tmp_path, bank, "--names")
    with Store() as store:
        stored = store.get(session)
    assert stored.display_name == NAME and stored.result["respondent"] == NAME


def test_json_export_leaves_names_out_unless_asked(capsys, tmp_path, bank):
    imported(capsys, tmp_path, bank, "--names")
    code, out, _ = run(capsys, "sessions", "export", "--format", "json", "--include-notes")
    assert code == 0 and NAME not in out
    [doc] = json.loads(out)
    assert "name" not in doc and doc["result"]["respondent"] is None
    code, out, _ = run(capsys, "sessions", "export", "--format", "json", "--include-names")
    [doc] = json.loads(out)
    assert doc["name"] == NAME and doc["result"]["respondent"] == NAME


def test_csv_export_leaves_names_out_unless_asked(capsys, tmp_path, bank):
    imported(capsys, tmp_path, bank, "--names")
    code, out, _ = run(capsys, "sessions", "export")
    assert code == 0 and NAME not in out and "name" not in out.splitlines()[0].split(",")
    code, out, _ = run(capsys, "sessions", "export", "--include-names")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["name"] == NAME


@pytest.mark.slow
def test_show_leaves_the_name_out_unless_asked(capsys, tmp_path, bank):
    session = imported(capsys, tmp_path, bank, "--names")
    for args in (("sessions", "show", session), ("sessions", "show", session, "--json"),
                 ("sessions", "list"), ("sessions", "list", "--json")):
        code, out, _ = run(capsys, *args)
        assert code == 0 and NAME not in out, args
    code, out, _ = run(capsys, "sessions", "show", session, "--names")
    assert NAME in out


@pytest.mark.parametrize("fmt", ["html", "markdown"])
@pytest.mark.slow
def test_session_report_names_the_student_only_when_asked(capsys, tmp_path, bank, fmt):
    session = imported(capsys, tmp_path, bank, "--names")
    code, out, _ = run(capsys, "report", session, "--format", fmt)
    assert code == 0 and "Ødegård" not in out and session in out
    code, out, _ = run(capsys, "report", session, "--format", fmt, "--include-names")
    assert "Ødegård" in out


@pytest.mark.slow
def test_answer_file_report_names_the_respondent_only_when_asked(capsys, tmp_path, bank):
    path = answer_file(tmp_path, bank, {"A": 5})
    code, out, _ = run(capsys, "report", str(path), "--format", "markdown")
    assert code == 0 and "Ødegård" not in out
    code, out, _ = run(capsys, "report", str(path), "--format", "markdown", "--include-names")
    assert "Ødegård" in out


def test_rescore_keeps_no_name_in_an_anonymous_session(capsys, tmp_path, bank):
    session = imported(capsys, tmp_path, bank)
    assert run(capsys, "sessions", "rescore", session)[0] == 0
    with Store() as store:
        assert store.get(session).result["respondent"] is None


def test_opening_an_older_database_removes_names_kept_in_results(tmp_path, bank):
    """A database written before names were kept apart: the respondent sits in the result."""
    path = tmp_path / "old.sqlite3"
    result = api.score(api.new_answers(pattern_answers(bank, {"C": 5}), bank=bank), bank=bank)
    doc = {**result.to_dict(), "respondent": NAME}
    with sqlite3.connect(path) as db:
        from jobkompas.store import _m1_sessions, _m2_notes

        db.execute("CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        _m1_sessions(db)
        _m2_notes(db)
        db.executemany("INSERT INTO migrations VALUES (?, ?, 'x')", [(1, "sessions"), (2, "notes")])
        db.execute("INSERT INTO sessions VALUES ('s-00000001', NULL, '9A', 'en', NULL, NULL, '{}', ?, '1', 'x', 'x')",
                   (json.dumps(doc, ensure_ascii=False),))
    with Store(path) as store:
        assert store.get("s-00000001").result["respondent"] is None
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("old.sqlite3*"))
    assert NAME.encode("utf-8") not in raw


# ------------------------------------------------------------------ one unfinished quiz per student


def interrupt_at(number):
    def decide(header, message, choices, default):
        danish = re.match(r"Spørgsmål (\d+) af ", header)
        if question_number(header) == number or (danish and int(danish.group(1)) == number):
            return "\x03"
        return realistic_keys(header, message, choices, default)
    return decide


def keep(result, name, group):
    with Store() as store:
        return save_result(store, result, name=name, group=group)


def quiz(decide, *, resume=False, **session):
    prompter = PipedQuestionary(decide)
    result = run_wizard(lang="en", form="mini", country=None, prefill=None, resume=resume, fresh=False,
                        plain=False, prompter=prompter, console=console(), on_finish=keep, session=session)
    return result, prompter


@pytest.mark.slow
def test_a_session_quiz_is_saved_under_its_own_identity_not_the_private_file():
    with pytest.raises(Interrupted, match="quiz --session --name Ada --group 10B --resume"):
        quiz(interrupt_at(8), name="Ada", group="10B")
    assert load_state() is None  # the private quiz file is not used
    [state] = session_states()
    assert state.owner["name"] == "Ada" and state.owner["group"] == "10B" and len(state.answers) == 7


@pytest.mark.slow
def test_another_named_student_is_not_offered_the_unfinished_quiz():
    with pytest.raises(Interrupted):
        quiz(interrupt_at(8), name="Ada", group="10B")
    result, prompter = quiz(realistic_keys, name="Bo", group="10B")
    assert not any("unfinished quiz" in m for m in prompter.messages)
    assert any(question_number(m) == 2 for m in prompter.messages)  # started from the first question
    with Store() as store:
        [bo] = store.list("10B")
    assert bo.display_name == "Bo"
    assert [s.owner["name"] for s in session_states()] == ["Ada"]  # Ada's is still waiting


@pytest.mark.slow
def test_the_same_name_in_another_group_is_another_student():
    with pytest.raises(Interrupted):
        quiz(interrupt_at(8), name="Ada", group="10B")
    _, prompter = quiz(realistic_keys, name="Ada", group="10C")
    assert not any("unfinished quiz" in m for m in prompter.messages)


@pytest.mark.slow
def test_a_quiz_without_a_name_is_never_offered_to_the_next_student():
    with pytest.raises(Interrupted, match="quiz --unfinished u-"):
        quiz(interrupt_at(8), group="10B")
    _, prompter = quiz(realistic_keys, group="10B")
    assert not any("unfinished quiz" in m for m in prompter.messages)


@pytest.mark.slow
def test_the_student_is_offered_their_own_quiz_and_finishes_it():
    with pytest.raises(Interrupted):
        quiz(interrupt_at(8), name="Ada", group="10B")
    [saved] = session_states()
    result, prompter = quiz(realistic_keys, name=" ada ", group="10b")  # as typed another day
    assert "unfinished quiz (7 answered" in prompter.messages[0]
    assert {k: result.answers.values[k] for k in saved.answers} == saved.answers
    assert session_states() == []
    with Store() as store:
        [ada] = store.list("10B")
    assert ada.display_name == "Ada" and ada.group == "10B"  # the identity it was started with


@pytest.mark.slow
def test_an_unfinished_quiz_continues_by_id_keeping_name_and_group():
    with pytest.raises(Interrupted):
        quiz(interrupt_at(8), name="Ada", group="10B")
    [saved] = session_states()
    result, prompter = quiz(realistic_keys, unfinished=saved.owner["id"])
    assert not any("unfinished quiz" in m for m in prompter.messages)  # asked for: no question
    with Store() as store:
        [ada] = store.list("10B")
    assert ada.display_name == "Ada"


def test_an_unknown_unfinished_id_is_a_not_found_error(capsys):
    code, _, err = run(capsys, "quiz", "--unfinished", "u-00000000", "--plain")
    assert code == ExitCode.NOT_FOUND and "u-00000000" in err and "Traceback" not in err
    code, _, err = run(capsys, "quiz", "--unfinished", "u-00000000", "--name", "X")
    assert code == ExitCode.USAGE


@pytest.mark.slow
def test_the_counsellor_sees_unfinished_quizzes_with_the_command_to_continue(capsys):
    with pytest.raises(Interrupted):
        quiz(interrupt_at(8), name="Ada", group="10B")
    [saved] = session_states()
    uid = saved.owner["id"]
    code, out, _ = run(capsys, "sessions", "list", "--lang", "en")
    assert code == 0 and uid in out and "unfinished: 7 of 44 answered" in out
    assert f"jobkompas quiz --unfinished {uid}" in out and "Ada" not in out
    code, out, _ = run(capsys, "sessions", "list", "--names", "--lang", "en")
    assert "jobkompas quiz --session --name Ada --group 10B --resume" in out
    code, out, _ = run(capsys, "sessions", "list", "--json")
    [row] = json.loads(out)
    assert row["status"] == "unfinished" and row["answered"] == 7 and "name" not in row


@pytest.mark.slow
def test_deleting_and_purging_remove_unfinished_quizzes(capsys):
    with pytest.raises(Interrupted):
        quiz(interrupt_at(8), name="Ada", group="10B")
    with pytest.raises(Interrupted):
        quiz(interrupt_at(8), name="Bo", group="10C")
    ada = next(s for s in session_states() if s.owner["name"] == "Ada")
    assert run(capsys, "sessions", "delete", ada.owner["id"])[0] == 0
    assert run(capsys, "sessions", "delete", ada.owner["id"])[0] == ExitCode.NOT_FOUND
    code, _, err = run(capsys, "sessions", "purge", "--group", "10C", "--yes")
    assert code == 0 and session_states() == []


# ------------------------------------------------------------------ files private to the user


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    old = os.umask(0o022)  # the usual default: new files readable by everyone
    yield
    os.umask(old)


def test_the_database_and_its_folder_are_private(capsys, tmp_path, bank, open_umask):
    imported(capsys, tmp_path, bank)
    assert mode(home()) == 0o700
    for path in home().glob(DB_NAME + "*"):
        assert mode(path) == 0o600, path


def test_an_older_database_readable_by_others_becomes_private(tmp_path, open_umask):
    path = tmp_path / "db.sqlite3"
    Store(path).close()
    os.chmod(path, 0o644)
    Store(path).close()
    assert mode(path) == 0o600


@pytest.mark.slow
def test_unfinished_quizzes_are_private(open_umask):
    with pytest.raises(Interrupted):
        quiz(interrupt_at(5), name="Ada", group="10B")
    [saved] = session_states()
    path = home() / "unfinished" / f"{saved.owner['id']}.json"
    assert mode(path) == 0o600 and mode(path.parent) == 0o700 and mode(home()) == 0o700
    with pytest.raises(Interrupted):
        run_wizard(lang="en", form="mini", country=None, prefill=None, resume=False, fresh=True, plain=False,
                   prompter=PipedQuestionary(interrupt_at(5)), console=console())
    assert mode(home() / "unfinished-quiz.json") == 0o600


@pytest.mark.slow
def test_written_reports_and_exports_are_private(capsys, tmp_path, bank, open_umask):
    session = imported(capsys, tmp_path, bank)
    for args, name in ((("report", session), "r.html"), (("sessions", "export"), "e.csv"),
                       (("groups", "summary", "10B"), "g.txt")):
        target = tmp_path / name
        assert run(capsys, *args, "--out", str(target))[0] == 0
        assert mode(target) == 0o600, args


@pytest.mark.slow
def test_an_existing_report_keeps_its_mode(capsys, tmp_path, bank, open_umask):
    session = imported(capsys, tmp_path, bank)
    target = tmp_path / "shared.html"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    assert run(capsys, "report", session, "--out", str(target))[0] == 0
    assert mode(target) == 0o640 and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# ------------------------------------------------------------------ correcting records


@pytest.mark.slow
def test_a_wrong_note_can_be_deleted_for_good(capsys, tmp_path, bank):
    session = imported(capsys, tmp_path, bank)
    run(capsys, "sessions", "note", session, "first, correct")
    run(capsys, "sessions", "note", session, "wrong: about another student")
    _, out, _ = run(capsys, "sessions", "show", session)
    assert "1. " in out and "2. " in out and "wrong: about another student" in out
    assert run(capsys, "sessions", "delete-note", session, "2")[0] == 0
    with Store() as store:
        assert [text for _, text in store.get(session).notes] == ["first, correct"]
    assert b"about another student" not in database_bytes()
    assert run(capsys, "sessions", "delete-note", session, "5")[0] == ExitCode.NOT_FOUND
    assert run(capsys, "sessions", "delete-note", "s-00000000", "1")[0] == ExitCode.NOT_FOUND


@pytest.mark.slow
def test_every_command_the_privacy_page_names_exists(capsys):
    """docs/privacy.md tells schools which commands delete, correct and show data."""
    import re

    text = (Path(__file__).resolve().parent.parent / "docs" / "privacy.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(?:jobkompas )?((?:sessions|groups) [a-z-]+|report|import)\b", text))
    assert {"sessions delete", "sessions delete-note", "sessions purge", "report", "sessions show"} <= named
    for command in named:
        code, out, _ = run(capsys, *command.split(), "--help")
        assert code == 0 and "Usage" in out, command
    for topic in ("data controller", "Legal basis", "Retention", "DPIA", "Article 9", "**Norsk (bokmål)**",
                  "**Dansk**", "Access (Article 15)", "Correction (Article 16)"):
        assert topic in text, topic


NOTICE = {"en": "Your answers are kept by your counsellor on this machine",
          "nb": "Svarene dine blir tatt vare på av rådgiveren din på denne maskinen",
          "da": "Dine svar bliver gemt af din vejleder på denne computer"}


@pytest.mark.parametrize("lang", ["en", "nb", "da"])
@pytest.mark.slow
def test_a_session_quiz_tells_the_student_their_answers_are_kept(lang):
    for session, shown in (({"name": "Ada", "group": "10B"}, True), (None, False)):
        out = console()
        with pytest.raises(Interrupted):
            run_wizard(lang=lang, form="mini", country=None, prefill=None, resume=False, fresh=True, plain=False,
                       prompter=PipedQuestionary(interrupt_at(3)), console=out, session=session)
        assert (NOTICE[lang] in " ".join(out.file.getvalue().split())) == shown, (lang, session)
