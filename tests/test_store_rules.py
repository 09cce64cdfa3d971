"""The storage rules of the counsellor's database, one table each, on a real SQLite file."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from jobkompas.errors import NotFoundError
from jobkompas.store import DB_NAME, Store, parse_age

NOW = datetime.now(timezone.utc)


def stored(tmp_path, ages: dict[str, tuple[int, str | None]]) -> tuple[Store, dict[str, str]]:
    """A store holding one session per name, created ``days`` ago in ``group``."""
    store = Store(tmp_path / DB_NAME)
    ids = {}
    for name, (days, group) in ages.items():
        session = store.add(answers={"R01": 5}, language="en", country="norway", form="mini", result=None,
                            catalogue_version=None, name=name, group=group)
        created = (NOW - timedelta(days=days)).isoformat(timespec="seconds")
        with store.transaction() as db:
            db.execute("UPDATE sessions SET created_at = ?, updated_at = ? WHERE id = ?", (created, created, session))
        ids[name] = session
    return store, ids


SESSIONS = {"old": (400, "7A"), "middle": (100, "7A"), "recent": (10, "7B"), "today": (0, None)}


@pytest.mark.parametrize("group, older_than, deleted", [
    (None, timedelta(days=365), {"old"}),
    (None, timedelta(days=90), {"old", "middle"}),
    (None, timedelta(days=30), {"old", "middle"}),
    (None, timedelta(days=5), {"old", "middle", "recent"}),
    ("7A", timedelta(days=200), {"old"}),
    ("7A", None, {"old", "middle"}),
    ("7B", timedelta(days=30), set()),
    ("8C", None, set()),
])
def test_purge_deletes_exactly_the_older_sessions_of_the_group(tmp_path, group, older_than, deleted):
    store, ids = stored(tmp_path, SESSIONS)
    with store:
        preview = {s.display_name for s in store.purge_preview(group=group, older_than=older_than)}
        assert preview == deleted
        assert store.purge(group=group, older_than=older_than) == len(deleted)
        assert {s.display_name for s in store.list()} == set(SESSIONS) - deleted


def test_list_is_oldest_first_and_filters_by_group(tmp_path):
    store, _ = stored(tmp_path, SESSIONS)
    with store:
        assert [s.display_name for s in store.list()] == ["old", "middle", "recent", "today"]
        assert [s.display_name for s in store.list("7A")] == ["old", "middle"]
        assert store.groups() == [("7A", 2), ("7B", 1)]


@pytest.mark.parametrize("notes, delete, left", [
    (["first", "second", "third"], None, ["first", "second", "third"]),
    (["first", "second", "third"], 1, ["second", "third"]),
    (["first", "second", "third"], 2, ["first", "third"]),
    (["first", "second", "third"], 3, ["first", "second"]),
    (["only"], 1, []),
])
def test_notes_keep_the_order_written_and_delete_by_that_number(tmp_path, notes, delete, left):
    store, ids = stored(tmp_path, {"student": (1, None)})
    with store:
        for text in notes:
            store.add_note(ids["student"], text)
        if delete is not None:
            assert store.delete_note(ids["student"], delete) == notes[delete - 1]
        assert [text for _, text in store.get(ids["student"]).notes] == left


@pytest.mark.parametrize("number", [0, 4, -1])
def test_a_note_number_out_of_range_is_not_found(tmp_path, number):
    store, ids = stored(tmp_path, {"student": (1, None)})
    with store:
        for text in ("a", "b", "c"):
            store.add_note(ids["student"], text)
        with pytest.raises(NotFoundError):
            store.delete_note(ids["student"], number)
        assert len(store.get(ids["student"]).notes) == 3


@pytest.mark.parametrize("how", ["delete", "delete_many", "purge"])
def test_deleting_removes_the_session_its_notes_and_every_copy_of_the_name(tmp_path, how):
    store, ids = stored(tmp_path, {"Secret Student Name": (50, "9Z"), "keep": (0, "9Y")})
    gone = ids["Secret Student Name"]
    with store:
        store.add_note(gone, "private remark about the family")
        if how == "delete":
            store.delete(gone)
        elif how == "delete_many":
            assert store.delete_many([gone]) == 1
        else:
            assert store.purge(group="9Z") == 1
        with pytest.raises(NotFoundError):
            store.get(gone)
        assert [s.display_name for s in store.list()] == ["keep"]
    raw = b"".join(p.read_bytes() for p in tmp_path.glob(DB_NAME + "*"))
    assert b"Secret Student Name" not in raw and b"private remark" not in raw
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        assert db.execute("PRAGMA freelist_count").fetchone()[0] == 0  # the file was rebuilt: no freed pages
        assert db.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 1


def test_deleting_an_unknown_session_is_not_found(tmp_path):
    store, _ = stored(tmp_path, {"keep": (0, None)})
    with store:
        with pytest.raises(NotFoundError):
            store.delete("s-00000000")
        assert len(store.list()) == 1


@pytest.mark.parametrize("text, days", [
    ("90d", 90), ("12w", 84), ("6m", 180), ("1y", 365), (" 0d ", 0), ("2 w", 14),
])
def test_ages_read_as_days(text, days):
    assert parse_age(text) == timedelta(days=days)


@pytest.mark.parametrize("text", ["", "soon", "90", "d", "-5d", "1.5y", "3h"])
def test_an_age_without_a_number_and_unit_is_refused(text):
    with pytest.raises(ValueError):
        parse_age(text)


def test_purging_gives_the_space_back(tmp_path):
    """The file is rebuilt after a purge: no freed pages are left holding old answers."""
    store = Store(tmp_path / DB_NAME)
    with store:
        for i in range(150):
            store.add(answers={f"Q{k:03d}": "unsure" for k in range(120)}, language="en", country="norway",
                      form="full", result=None, catalogue_version=None, name=f"student {i}", group="old")
        store.add(answers={"R01": 5}, language="en", country="norway", form="mini", result=None,
                  catalogue_version=None, name="keep", group="new")
        assert store.purge(group="old") == 150
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        assert db.execute("PRAGMA freelist_count").fetchone()[0] == 0
        assert db.execute("PRAGMA page_count").fetchone()[0] < 10
