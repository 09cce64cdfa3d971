"""Counsellor sessions in a local SQLite database (never anything over a network).

One file in the user data dir (``JOBKOMPAS_HOME`` overrides), WAL mode, every write in
its own ``BEGIN IMMEDIATE`` transaction, migrations recorded in the database. Deleting
really deletes: ``secure_delete`` overwrites freed pages, and delete/purge vacuum and
truncate the WAL afterwards.
"""

from __future__ import annotations

import builtins
import json
import secrets
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from .errors import NotFoundError, StorageError
from .outfile import private_dir, private_file
from .resources import user_data_dir

DB_NAME = "jobkompas.sqlite3"


def _m1_sessions(db: sqlite3.Connection) -> None:
    db.execute("""
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            display_name TEXT,
            grp TEXT,
            language TEXT NOT NULL,
            country TEXT,
            form TEXT,
            answers TEXT NOT NULL,
            result TEXT,
            catalogue_version TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX sessions_grp ON sessions (grp)")
    db.execute("CREATE INDEX sessions_created ON sessions (created_at)")


def _m2_notes(db: sqlite3.Connection) -> None:
    db.execute("""
        CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX notes_session ON notes (session_id)")


def _m3_names_only_as_display_name(db: sqlite3.Connection) -> None:
    """Results stored by older versions kept an imported answer file's ``respondent`` even when
    no display name was asked for: keep the display name there, or nothing."""
    for row in db.execute("SELECT id, display_name, result FROM sessions WHERE result IS NOT NULL").fetchall():
        doc = json.loads(row[2])
        if doc.get("respondent") != row[1]:
            doc["respondent"] = row[1]
            db.execute("UPDATE sessions SET result = ? WHERE id = ?", (json.dumps(doc, ensure_ascii=False), row[0]))


# Small named steps, applied in order and recorded in the database; never edit a released one.
MIGRATIONS: list[tuple[int, str, Callable[[sqlite3.Connection], None]]] = [
    (1, "sessions", _m1_sessions),
    (2, "notes", _m2_notes),
    (3, "names only as display name", _m3_names_only_as_display_name),
]


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Session:
    id: str
    display_name: str | None
    group: str | None
    language: str
    country: str | None
    form: str | None
    answers: dict[str, Any]
    result: dict[str, Any] | None
    catalogue_version: str | None
    created_at: str
    updated_at: str
    notes: list[tuple[str, str]] = field(default_factory=list)  # (created_at, text)

    @property
    def holland(self) -> str:
        return (self.result or {}).get("profile", {}).get("holland_code", "")


class Store:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or (user_data_dir() / DB_NAME)
        try:
            private_dir(self.path.parent)
            private_file(self.path)  # SQLite gives its -wal and -shm files the database's mode
            _tighten(self.path)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA secure_delete=ON")
            self.db.execute("PRAGMA busy_timeout=30000")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"cannot open the session database: {exc}", str(self.path)) from None
        except OSError as exc:
            raise StorageError(f"cannot create the data directory: {exc.strerror}", str(self.path.parent)) from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write: all of it or nothing, and no other writer in between."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StorageError(f"the session database is busy or locked ({exc}); is another jobkompas running?", str(self.path)) from None
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    def _migrate(self) -> None:
        with self.transaction() as db:
            db.execute("CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
            done = {row[0] for row in db.execute("SELECT version FROM migrations")}
            applied = False
            for version, name, step in MIGRATIONS:
                if version not in done:
                    step(db)
                    db.execute("INSERT INTO migrations VALUES (?, ?, ?)", (version, name, now()))
                    applied = True
        if applied and done:
            self._compact()  # a migration may have rewritten personal data: leave no old copy

    def migrations(self) -> list[tuple[int, str]]:
        return [(r[0], r[1]) for r in self.db.execute("SELECT version, name FROM migrations ORDER BY version")]

    # ------------------------------------------------------------ sessions

    def add(self, *, answers: dict[str, Any], language: str, country: str | None, form: str | None,
            result: dict[str, Any] | None, catalogue_version: str | None, name: str | None = None,
            group: str | None = None) -> str:
        stamp = now()
        for _ in range(5):
            session_id = "s-" + secrets.token_hex(4)
            try:
                with self.transaction() as db:
                    db.execute(
                        "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (session_id, name or None, group or None, language, country, form,
                         json.dumps(answers, ensure_ascii=False), json.dumps(result, ensure_ascii=False) if result else None,
                         catalogue_version, stamp, stamp))
                return session_id
            except sqlite3.IntegrityError:
                continue
        raise StorageError("cannot create a unique session id; try again", str(self.path))

    def get(self, session_id: str) -> Session:
        row = self.db.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no session {session_id!r} (see 'jobkompas sessions list')")
        notes = [(r["created_at"], r["text"]) for r in
                 self.db.execute("SELECT created_at, text FROM notes WHERE session_id = ? ORDER BY id", (session_id,))]
        return _session(row, notes)

    def list(self, group: str | None = None) -> list[Session]:
        if group is None:
            rows = self.db.execute("SELECT * FROM sessions ORDER BY created_at, rowid")
        else:
            rows = self.db.execute("SELECT * FROM sessions WHERE grp = ? ORDER BY created_at, rowid", (group,))
        return [_session(r, []) for r in rows]

    def groups(self) -> builtins.list[tuple[str, int]]:
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT grp, COUNT(*) FROM sessions WHERE grp IS NOT NULL GROUP BY grp ORDER BY grp")]

    def add_note(self, session_id: str, text: str) -> None:
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
                raise NotFoundError(f"no session {session_id!r}")
            db.execute("INSERT INTO notes (session_id, text, created_at) VALUES (?, ?, ?)", (session_id, text, now()))
            db.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", (now(), session_id))

    def delete_note(self, session_id: str, number: int) -> str:
        """Delete the session's ``number``-th note (1 = oldest, as ``sessions show`` numbers
        them) for good; returns its text."""
        with self.transaction() as db:
            rows = db.execute("SELECT id, text FROM notes WHERE session_id = ? ORDER BY id", (session_id,)).fetchall()
            if not rows and db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
                raise NotFoundError(f"no session {session_id!r}")
            if not 1 <= number <= len(rows):
                raise NotFoundError(f"session {session_id} has no note {number} (it has {len(rows)})")
            db.execute("DELETE FROM notes WHERE id = ?", (rows[number - 1][0],))
            db.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", (now(), session_id))
        self._compact()
        return rows[number - 1][1]

    def update_result(self, session_id: str, result: dict[str, Any], catalogue_version: str) -> None:
        with self.transaction() as db:
            changed = db.execute("UPDATE sessions SET result = ?, catalogue_version = ?, updated_at = ? WHERE id = ?",
                                 (json.dumps(result, ensure_ascii=False), catalogue_version, now(), session_id)).rowcount
        if not changed:
            raise NotFoundError(f"no session {session_id!r}")

    def delete(self, session_id: str) -> None:
        with self.transaction() as db:
            if not db.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount:
                raise NotFoundError(f"no session {session_id!r}")
        self._compact()

    @staticmethod
    def _purge_where(group: str | None, older_than: timedelta | None) -> tuple[str, builtins.list[str]]:
        clauses, params = [], []
        if group is not None:
            clauses.append("grp = ?")
            params.append(group)
        if older_than is not None:
            clauses.append("created_at <= ?")
            params.append((datetime.now(timezone.utc) - older_than).isoformat(timespec="seconds"))
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def purge_preview(self, group: str | None = None, older_than: timedelta | None = None) -> builtins.list[Session]:
        """The sessions :meth:`purge` with the same arguments would delete."""
        where, params = self._purge_where(group, older_than)
        return [_session(r, []) for r in self.db.execute(f"SELECT * FROM sessions{where} ORDER BY created_at, rowid", params)]

    def delete_many(self, session_ids: builtins.list[str]) -> int:
        """Delete exactly these sessions (those a preview showed), in one transaction."""
        with self.transaction() as db:
            count = sum(db.execute("DELETE FROM sessions WHERE id = ?", (i,)).rowcount for i in session_ids)
        self._compact()
        return count

    def purge(self, group: str | None = None, older_than: timedelta | None = None) -> int:
        where, params = self._purge_where(group, older_than)
        with self.transaction() as db:
            count = db.execute(f"DELETE FROM sessions{where}", params).rowcount
        self._compact()
        return count

    def _compact(self) -> None:
        """Leave no copy of deleted rows behind: rebuild the file and empty the WAL."""
        self.db.execute("VACUUM")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _tighten(db_path: Path) -> None:
    """A database made by an older version may be readable by others: it holds students' data
    and is jobkompas's own file (not one the user named), so it becomes private (0600)."""
    import os
    import stat

    for path in (db_path, db_path.with_name(db_path.name + "-wal"), db_path.with_name(db_path.name + "-shm")):
        try:
            if stat.S_IMODE(path.stat().st_mode) & 0o077:
                os.chmod(path, 0o600)
        except OSError:
            pass  # absent, or not ours to change: SQLite will say if it cannot be used


def _session(row: sqlite3.Row, notes: list[tuple[str, str]]) -> Session:
    return Session(
        id=row["id"], display_name=row["display_name"], group=row["grp"], language=row["language"],
        country=row["country"], form=row["form"], answers=json.loads(row["answers"]),
        result=json.loads(row["result"]) if row["result"] else None,
        catalogue_version=row["catalogue_version"], created_at=row["created_at"],
        updated_at=row["updated_at"], notes=notes)


def parse_age(text: str) -> timedelta:
    """'90d', '12w', '6m' (30-day months), '1y' -> a timedelta."""
    import re

    match = re.fullmatch(r"\s*(\d+)\s*([dwmy])\s*", text or "")
    if not match:
        raise ValueError("expected a number and a unit, e.g. 90d, 12w, 6m or 1y")
    n, unit = int(match.group(1)), match.group(2)
    return timedelta(days=n * {"d": 1, "w": 7, "m": 30, "y": 365}[unit])
