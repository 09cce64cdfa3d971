"""The session store fails as storage: a damaged, foreign, newer, empty or full database is
exit 8 with the file and what to do; one bad row costs that row only."""

from __future__ import annotations

import json
import sqlite3
import subprocess

import pytest
from conftest import pattern_answers

from jobkompas.cli import main
from jobkompas.errors import ExitCode
from jobkompas.store import DB_NAME, SCHEMA_VERSION, Store, parse_age


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def db_path(tmp_path):
    return tmp_path / "home" / DB_NAME


def imported(capsys, tmp_path, bank, count=3) -> list[str]:
    ids = []
    for k in range(count):
        doc = {"format": "jobkompas-answers/1", "country": "norway",
               "answers": pattern_answers(bank, {"S": 5}, **{"EDU-highest": "no-fagbrev"})}
        path = tmp_path / f"a{k}.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        code, out, _ = run(capsys, "import", path)
        assert code == 0
        ids.append(out.strip())
    return ids


def test_one_row_of_bad_json_is_reported_and_skipped_not_fatal(capsys, tmp_path, bank):
    first, bad, last = imported(capsys, tmp_path, bank)
    with sqlite3.connect(db_path(tmp_path)) as db:
        db.execute("UPDATE sessions SET answers = '{not json' WHERE id = ?", (bad,))
    code, out, err = run(capsys, "sessions", "list", "--json")
    assert code == 0
    assert [row["session"] for row in json.loads(out) if row["status"] == "finished"] == [first, last]
    assert f"session {bad} cannot be read" in err and f"sessions delete {bad}" in err
    code, _, err = run(capsys, "sessions", "show", bad)
    assert code == ExitCode.STORAGE and f"{db_path(tmp_path)}: session {bad} cannot be read" in err
    assert run(capsys, "sessions", "delete", bad)[0] == 0
    code, out, err = run(capsys, "sessions", "list", "--json")
    assert code == 0 and "warning" not in err


def test_a_corrupted_page_is_a_storage_error_naming_the_file(capsys, tmp_path, bank):
    imported(capsys, tmp_path, bank, count=2)
    path = db_path(tmp_path)
    data = bytearray(path.read_bytes())
    page = 4096
    for at in range(page, len(data)):  # every page after the first one: the schema is readable, the rows are not
        data[at] = 0xA5
    path.write_bytes(bytes(data))
    code, _, err = run(capsys, "sessions", "list")
    assert code == ExitCode.STORAGE, err
    line = err.strip().splitlines()[-1]
    assert line.startswith(f"jobkompas: error: {path}: cannot ") and "backup" in line and "Traceback" not in err


def test_a_file_that_is_not_a_database_is_a_storage_error(capsys, tmp_path):
    path = db_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is a text file, not SQLite\n" * 200)
    code, _, err = run(capsys, "sessions", "list")
    assert code == ExitCode.STORAGE and f"{path}: cannot open the session database" in err


def test_an_empty_file_is_not_taken_as_an_empty_store(capsys, tmp_path):
    path = db_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    code, _, err = run(capsys, "sessions", "list")
    assert code == ExitCode.STORAGE and "empty file (0 bytes)" in err and str(path) in err
    assert path.read_bytes() == b""  # left as it was, for whoever restores it


def test_a_database_from_a_newer_version_is_refused_untouched(capsys, tmp_path, bank):
    imported(capsys, tmp_path, bank, count=1)
    path = db_path(tmp_path)
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    code, _, err = run(capsys, "sessions", "list")
    assert code == ExitCode.STORAGE and "newer jobkompas" in err and f"schema {SCHEMA_VERSION + 1}" in err
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert len(path.read_bytes()) == len(before)


def test_an_older_database_is_migrated_and_stamped(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:  # as the first release left it: sessions, no notes, no version
        db.execute("CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        from jobkompas.store import _m1_sessions

        _m1_sessions(db)
        db.execute("INSERT INTO migrations VALUES (1, 'sessions', '2025-01-01')")
        db.execute("INSERT INTO sessions VALUES ('s-1', 'Kari', NULL, 'en', NULL, NULL, '{}', "
                   "'{\"respondent\": \"Kari\"}', NULL, '2025-01-01', '2025-01-01')")
    with Store(path) as store:
        assert [v for v, _ in store.migrations()] == list(range(1, SCHEMA_VERSION + 1))
        assert store.get("s-1").display_name == "Kari"
        store.add_note("s-1", "ok")
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_full_disk_says_why_a_delete_failed_and_deletes_nothing(capsys, tmp_path, bank, monkeypatch):
    """A real full disk: a small tmpfs (needs root; skipped elsewhere)."""
    mount = tmp_path / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        monkeypatch.setenv("JOBKOMPAS_HOME", str(mount))
        ids = imported(capsys, tmp_path, bank, count=2)
        filler = mount / "filler"
        with open(filler, "wb") as handle:  # fill the disk to the last byte
            try:
                while True:
                    handle.write(b"\0" * 65536)
                    handle.flush()
            except OSError:
                pass
        code, _, err = run(capsys, "sessions", "delete", ids[0])
        assert code in (0, ExitCode.STORAGE), err
        assert "Traceback" not in err
        if code == ExitCode.STORAGE:  # SQLite needs a few KB even to delete: it must say so
            assert "disk is full (0 KB free)" in err and "free some space" in err
            assert "nothing was deleted" in err or "cannot open" in err
        filler.unlink()
        deleted = code == 0
        code, out, _ = run(capsys, "sessions", "list", "--json")
        assert code == 0
        left = [row["session"] for row in json.loads(out)]
        assert left == (ids[1:] if deleted else ids)
        assert run(capsys, "sessions", "delete", left[0])[0] == 0  # with space again it works
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


@pytest.mark.parametrize("age", ["3000y", "999999999999999999999d", "1300m"])
def test_an_absurd_age_is_a_usage_error(capsys, age):
    with pytest.raises(ValueError):
        parse_age(age)
    code, _, err = run(capsys, "sessions", "purge", "--older-than", age, "--yes")
    assert code == ExitCode.USAGE and "at most 100 years" in err


def test_ages_up_to_a_hundred_years_still_work():
    assert parse_age("100y").days == 36_500 and parse_age("007d").days == 7


def test_import_of_several_files_checks_all_before_storing_any(capsys, tmp_path, bank):
    good = []
    for k in range(2):
        doc = {"format": "jobkompas-answers/1", "answers": pattern_answers(bank, {"S": 5})}
        good.append(tmp_path / f"g{k}.json")
        good[-1].write_text(json.dumps(doc), encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: jobkompas-answers/1\nanswers: {R01: 9}\n", encoding="utf-8")
    missing = tmp_path / "missing.json"
    code, out, err = run(capsys, "import", good[0], bad, good[1], missing)
    assert code == ExitCode.INPUT and out == ""
    assert f"{bad}:2:" in err and f"{missing}: no such file" in err
    assert "nothing stored: 2 of 4 file(s)" in err
    code, out, _ = run(capsys, "sessions", "list", "--json")
    assert json.loads(out) == []
    code, out, _ = run(capsys, "import", *good)
    assert code == 0 and len(out.split()) == 2
