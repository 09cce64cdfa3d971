"""Counsellor sessions: a real SQLite file in a temp dir, several writers, crashes."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import pattern_answers

from jobkompas import api
from jobkompas.cli import main
from jobkompas.counsellor import save_result
from jobkompas.errors import ExitCode
from jobkompas.store import DB_NAME, Store


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def answer_file(tmp_path, bank, likes, name="a.yaml", respondent=None):
    values = pattern_answers(bank, likes, traits=4, **{"EDU-highest": "no-fagbrev"})
    doc = {"format": "jobkompas-answers/1", "language": "en", "country": "norway", "answers": values}
    if respondent:
        doc["respondent"] = respondent
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_database_uses_wal_and_records_migrations(tmp_path):
    with Store(tmp_path / "db.sqlite3") as store:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.migrations() == [(1, "sessions"), (2, "notes"), (3, "names only as display name")]
    with Store(tmp_path / "db.sqlite3") as again:  # re-opening applies nothing twice
        assert again.migrations() == [(1, "sessions"), (2, "notes"), (3, "names only as display name")]


def test_import_list_note_show_rescore_export(capsys, tmp_path, bank):
    files = [answer_file(tmp_path, bank, {"R": 5}, "r.json", "Kari Nordmann"),
             answer_file(tmp_path, bank, {"S": 5, "A": 4}, "s.json", "Ola Hansen")]
    code, out, _ = run(capsys, "import", *map(str, files), "--group", "10B", "--names")
    ids = out.split()
    assert code == 0 and len(ids) == 2 and all(i.startswith("s-") for i in ids)
    code, out, _ = run(capsys, "sessions", "list", "--group", "10B", "--json")
    listed = json.loads(out)
    assert [r["holland_code"][0] for r in listed] == ["R", "S"] and "name" not in listed[0]
    assert run(capsys, "sessions", "note", ids[0], "Talk about apprenticeships")[0] == 0
    code, out, _ = run(capsys, "sessions", "show", ids[0], "--json", "--names")
    shown = json.loads(out)
    assert shown["notes"][0]["text"] == "Talk about apprenticeships" and shown["name"] == "Kari Nordmann"
    code, out, _ = run(capsys, "sessions", "rescore", ids[1])
    assert code == 0 and out.startswith(ids[1])
    code, out, _ = run(capsys, "sessions", "export", "--group", "10B")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:3] == ["session", "group", "created_at"] and "name" not in rows[0]
    assert "Kari" not in out and "Ola" not in out
    code, out, _ = run(capsys, "sessions", "export", "--format", "json", "--include-names")
    assert {d["name"] for d in json.loads(out)} == {"Kari Nordmann", "Ola Hansen"}


@pytest.mark.slow
def test_show_and_report_say_when_the_stored_result_is_out_of_date(capsys, tmp_path, bank):
    code, out, _ = run(capsys, "import", str(answer_file(tmp_path, bank, {"I": 5, "R": 4}, "i.json")))
    session = out.strip()
    code, out, err = run(capsys, "sessions", "show", session)
    assert code == 0 and "note:" not in err
    # as after a catalogue update: the stored ranking is not the one the answers give now
    with Store() as store:
        stored = store.get(session).result
        stored["matches"] = stored["matches"][::-1]
        store.update_result(session, stored, "2025.1")
    for args in (("sessions", "show", session), ("report", session, "--format", "markdown")):
        code, out, err = run(capsys, *args)
        assert code == 0 and err.count("\n") == 1, args
        assert f"{session} was stored with catalogue 2025.1" in err
        assert f"jobkompas sessions rescore {session}" in err
    assert run(capsys, "sessions", "rescore", session)[0] == 0
    code, out, err = run(capsys, "sessions", "show", session)
    assert "note:" not in err
    code, out, _ = run(capsys, "sessions", "show", session, "--json")
    stored_top = json.loads(out)["result"]["matches"][0]["id"]
    assert stored_top == api.score(api.read_answers(tmp_path / "i.json")).matches[0].occupation.id


def test_groups_list_says_how_to_make_a_group_when_there_is_none(capsys):
    code, out, _ = run(capsys, "groups", "list")
    assert code == 0 and out.startswith("No groups yet.") and "--group 10B" in out
    assert run(capsys, "groups", "list", "--json")[1].strip() == "[]"
    code, out, _ = run(capsys, "groups", "list", "--lang", "nb")
    assert out.startswith("Ingen grupper ennå.")


@pytest.mark.slow
def test_group_summary_table_json_html(capsys, tmp_path, bank):
    for i, likes in enumerate(({"R": 5}, {"R": 5, "C": 2}, {"S": 5}, {"E": 5, "C": 4})):
        run(capsys, "import", str(answer_file(tmp_path, bank, likes, f"{i}.json")), "--group", "9A")
    run(capsys, "import", str(answer_file(tmp_path, bank, {"I": 5}, "x.json")), "--group", "10B")
    code, out, _ = run(capsys, "groups", "list", "--json")
    assert code == 0 and json.loads(out) == [{"group": "10B", "sessions": 1}, {"group": "9A", "sessions": 4}]
    code, out, _ = run(capsys, "groups", "list")
    assert code == 0 and out.splitlines()[0].split() == ["Group", "Sessions"]
    assert [line.split() for line in out.splitlines()[2:]] == [["10B", "1"], ["9A", "4"]]
    code, out, _ = run(capsys, "groups", "summary", "9A", "--format", "json")
    summary = json.loads(out)
    assert code == 0 and summary["students"] == 4
    assert summary["first_letter"]["R"] == 2 and summary["first_letter"]["S"] == 1
    assert summary["types"]["R"]["max"] == 100.0 and summary["occupations"][0]["students"] >= 2
    assert summary["ambitions"][0][1] == 4
    code, out, _ = run(capsys, "groups", "summary", "9A")
    assert "Interest types" in out and "Holland codes" in out
    code, out, _ = run(capsys, "groups", "summary", "9A", "--format", "html")
    assert out.startswith("<!DOCTYPE html>") and "O*NET" in out
    assert run(capsys, "groups", "summary", "nobody")[0] == ExitCode.NOT_FOUND


@pytest.mark.slow
def test_report_escapes_hostile_names_and_notes(capsys, tmp_path, bank):
    path = answer_file(tmp_path, bank, {"I": 5}, "x.json", "<img src=x onerror=alert(1)>")
    code, out, _ = run(capsys, "import", str(path), "--names")
    session = out.strip()
    run(capsys, "sessions", "note", session, "<script>steal()</script> & more")
    report = tmp_path / "report.html"
    code, _, _ = run(capsys, "report", session, "--format", "html", "--out", str(report), "--counsellor",
                     "--include-names")
    html = report.read_text(encoding="utf-8")
    assert code == 0
    assert "<script>" not in html and "&lt;script&gt;steal()&lt;/script&gt; &amp; more" in html
    assert "<img" not in html
    assert "<svg" in html and "@page" in html and "http" not in html.replace("http-equiv", "").split("<footer>")[0]
    code, out, _ = run(capsys, "report", session, "--format", "markdown", "--counsellor")
    assert "## Counsellor notes" in out and "O*NET 29.0" in out


def test_delete_and_purge_really_remove_data(capsys, tmp_path, bank):
    home = Path(os.environ["JOBKOMPAS_HOME"])
    code, out, _ = run(capsys, "import", str(answer_file(tmp_path, bank, {"C": 5}, "c.json", "Secret Student Name")), "--names", "--group", "7C")
    session = out.strip()
    run(capsys, "sessions", "note", session, "private remark about the family")
    run(capsys, "import", str(answer_file(tmp_path, bank, {"A": 5}, "a.json")), "--group", "8D")
    assert run(capsys, "sessions", "delete", session)[0] == 0
    raw = b"".join(p.read_bytes() for p in home.glob(DB_NAME + "*"))
    assert b"Secret Student Name" not in raw and b"private remark" not in raw
    with sqlite3.connect(home / DB_NAME) as db:
        assert db.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 0
    assert run(capsys, "sessions", "delete", session)[0] == ExitCode.NOT_FOUND
    assert run(capsys, "sessions", "purge")[0] == ExitCode.USAGE  # would delete everything
    code, _, err = run(capsys, "sessions", "purge", "--older-than", "0d", "--yes")
    assert code == 0 and "deleted 1" in err
    assert run(capsys, "sessions", "purge", "--older-than", "soon")[0] == ExitCode.USAGE


def _writer(db_path: str, worker: int, count: int) -> None:
    bank = api.load_bank()
    values = pattern_answers(bank, {"RIASEC"[worker % 6]: 5})
    result = api.score(api.new_answers(values, bank=bank), bank=bank)
    with Store(Path(db_path)) as store:
        for i in range(count):
            save_result(store, result, name=f"w{worker}-{i}", group=f"g{worker}")


@pytest.mark.slow
def test_concurrent_writers_lose_nothing(tmp_path):
    db_path = str(tmp_path / "shared.sqlite3")
    Store(Path(db_path)).close()
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(db_path, w, 15)) for w in range(4)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(120)
        assert p.exitcode == 0
    with Store(Path(db_path)) as store:
        sessions = store.list()
        assert len(sessions) == 60 and len({s.id for s in sessions}) == 60
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


CRASHER = r"""
import sys, time
from pathlib import Path
from jobkompas.store import Store
store = Store(Path(sys.argv[1]))
with store.transaction() as db:
    db.execute("INSERT INTO sessions VALUES ('s-deadbeef', 'half', NULL, 'en', NULL, NULL, '{}', NULL, NULL, 'x', 'x')")
    print("inside", flush=True)
    time.sleep(60)
"""


@pytest.mark.slow
def test_a_crash_mid_write_keeps_finished_sessions(tmp_path, bank):
    db_path = tmp_path / "crash.sqlite3"
    result = api.score(api.new_answers(pattern_answers(bank, {"E": 5}), bank=bank), bank=bank)
    with Store(db_path) as store:
        kept = save_result(store, result, name=None, group="x")
    child = subprocess.Popen([sys.executable, "-c", CRASHER, str(db_path)], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "inside"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(30)
    with Store(db_path) as store:
        assert [s.id for s in store.list()] == [kept]
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        save_result(store, result, name=None, group="x")  # the store is writable again
        assert len(store.list()) == 2


@pytest.mark.parametrize("args", [["sessions", "delete"], ["quiz", "--plain", "--unfinished"]])
def test_an_unfinished_quiz_id_names_a_file_only_in_its_own_shape(capsys, tmp_path, args):
    # an id typed by a user never reaches outside the folder of unfinished quizzes
    from jobkompas.cli import main
    from jobkompas.errors import ExitCode

    assert main([*args, "u-x/../../quiz"]) == ExitCode.NOT_FOUND
    assert "no unfinished quiz 'u-x/../../quiz'" in capsys.readouterr().err
