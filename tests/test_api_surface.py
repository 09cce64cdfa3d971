"""Settings passed explicitly (api.Content) and counsellor sessions through the library
(api.Sessions): what the CLI and the wizard rely on, usable without them."""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import pattern_answers

from jobkompas import api
from jobkompas.errors import InputError, NotFoundError, UsageError
from jobkompas.store import DB_NAME


@pytest.fixture
def bank_copy(tmp_path):
    folder = tmp_path / "bank"
    shutil.copytree(api.Content().questions_dir, folder)
    return folder


def test_content_uses_the_folders_it_is_given_and_nothing_else(bank_copy):
    before = dict(os.environ)
    content = api.Content(questions=bank_copy)
    assert content.bank().directory == bank_copy
    assert content.catalogue() is api.load_catalogue()  # the built-in one, loaded once per process
    assert api.load_bank().directory != bank_copy  # no process state was changed
    assert dict(os.environ) == before


def test_content_defaults_to_the_environment_and_an_argument_wins(bank_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("JOBKOMPAS_QUESTIONS", str(bank_copy))
    assert api.Content().questions_dir == bank_copy
    other = tmp_path / "other"
    shutil.copytree(bank_copy, other)
    assert api.Content(questions=other).questions_dir == other


def test_a_missing_content_folder_is_a_usage_error_naming_it_when_it_is_used(tmp_path):
    content = api.Content(occupations=tmp_path / "nowhere")
    assert content.bank().questions  # the other folder is still usable
    with pytest.raises(UsageError, match=f"occupations directory not found: {tmp_path / 'nowhere'}"):
        content.catalogue()


def test_use_content_still_chooses_the_default_for_older_library_code(bank_copy):
    api.use_content(questions=bank_copy)
    assert api.load_bank().directory == bank_copy and api.default_content().questions_dir == bank_copy
    api.use_content()
    assert api.load_bank().directory != bank_copy


def test_the_cli_hands_its_content_to_the_quiz(bank_copy, monkeypatch):
    """--questions reaches the wizard as an argument, and --session keeps the result through
    the library."""
    from jobkompas.cli import main
    from jobkompas.wizard import flow

    seen = {}
    monkeypatch.setattr(flow, "run_wizard", lambda **kwargs: seen.update(kwargs))
    assert main(["--questions", str(bank_copy), "quiz", "--session", "--group", "10B"]) == 0
    assert seen["content"].questions_dir == bank_copy
    assert seen["on_finish"] is api.save_session and seen["session"] == {"name": None, "group": "10B"}


def test_sessions_keep_notes_and_refuse_an_empty_one_before_opening_anything(bank, tmp_path):
    home = api.user_data_dir()
    with api.Sessions() as sessions:
        with pytest.raises(UsageError, match="the note is empty"):
            sessions.add_note("s-00000000", " \r\n\n")
        assert not (home / DB_NAME).exists()  # the database is opened on first use only
        answers = api.new_answers(pattern_answers(bank, {"S": 5}), country="norway")
        session_id = sessions.save(api.score(answers), group="10B")
        assert sessions.add_note(session_id, "talked about nursing\r\nfollow up\n\n") == "talked about nursing\nfollow up"
        assert sessions.get(session_id).notes[0][1] == "talked about nursing\nfollow up"
        assert sessions.groups() == [("10B", 1)]
        assert [r["session"] for r in sessions.rows("10B")] == [session_id]


def test_a_purge_plan_deletes_exactly_what_it_listed(bank):
    answers = api.new_answers(pattern_answers(bank, {"R": 5}), country="norway")
    with api.Sessions() as sessions:
        kept = sessions.save(api.score(answers), group="9A")
        doomed = sessions.save(api.score(answers), group="10B")
        plan = sessions.purge_plan("10B")
        assert not plan.empty and [item[:2] for item in plan.listing()] == [(doomed, "10B")]
        sessions.save(api.score(answers), group="10B")  # added after the plan was shown
        assert sessions.purge(plan) == 1
        assert [r["group"] for r in sessions.rows()] == ["9A", "10B"] and sessions.get(kept)
        assert sessions.purge_plan("nobody").empty


def test_group_views_of_an_unknown_group_are_not_found():
    with api.Sessions() as sessions:
        with pytest.raises(NotFoundError, match="no sessions in group '7C'"):
            list(sessions.rescore_group("7C"))
        with pytest.raises(NotFoundError, match="no sessions in group '7C'"):
            sessions.group_summary("7C")


def test_rescoring_a_group_says_what_changed(bank):
    answers = api.new_answers(pattern_answers(bank, {"A": 5}), country="denmark")
    with api.Sessions() as sessions:
        session_id = sessions.save(api.score(answers), group="8B")
        [done] = list(sessions.rescore_group("8B"))
        assert done.session_id == session_id and not done.changed and done.code_after.startswith("A")


def test_import_reads_every_file_before_anything_is_stored(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("format: jobkompas-answers/1\nanswers:\n  R01: 5\n", encoding="utf-8")
    batch = api.read_for_import([str(good), str(tmp_path / "missing.yaml")])
    assert len(batch.items) == 1 and len(batch.file_errors) == 1 and batch.files == 2
    with pytest.raises(InputError, match=r"nothing stored: 1 of 2 file\(s\) cannot be read"):
        batch.check()
    assert not (api.user_data_dir() / DB_NAME).exists()


def test_the_student_and_the_counsellor_copy_of_a_report_do_not_share_a_setting(bank):
    from jobkompas.sessions import Scored

    scored = Scored(None, api.score(api.new_answers({"R01": 5, "I01": 2, "A01": 1, "S01": 4, "E01": 3, "C01": 2,
                                                     "R02": 4, "I02": 1}, bank=bank), bank=bank))
    counsellor, student = scored.report(True), scored.report(False)
    assert counsellor.meta["counsellor"] is True and student.meta["counsellor"] is False
