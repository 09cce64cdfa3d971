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
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import wraps
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

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
        try:
            doc = json.loads(row[2])
        except ValueError:
            continue  # a damaged row is reported when it is read, and must not stop the others
        if isinstance(doc, dict) and doc.get("respondent") != row[1]:
            doc["respondent"] = row[1]
            db.execute("UPDATE sessions SET result = ? WHERE id = ?", (json.dumps(doc, ensure_ascii=False), row[0]))


# Small named steps, applied in order and recorded in the database; never edit a released one.
MIGRATIONS: list[tuple[int, str, Callable[[sqlite3.Connection], None]]] = [
    (1, "sessions", _m1_sessions),
    (2, "notes", _m2_notes),
    (3, "names only as display name", _m3_names_only_as_display_name),
]


SCHEMA_VERSION = MIGRATIONS[-1][0]  # kept in PRAGMA user_version too


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


F = TypeVar("F", bound=Callable[..., Any])
LOW_SPACE = 1 << 20  # bytes: below this, a failure to open or write is taken as a full disk


def storage_error(exc: sqlite3.Error, path: Path, doing: str) -> StorageError:
    """A database error as a storage error: what failed, in SQLite's words, and what to do."""
    import shutil

    text = str(exc)
    low = text.lower()
    try:
        free = shutil.disk_usage(path.parent).free
    except OSError:
        free = None
    full = getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in low
    if full or (free is not None and free < LOW_SPACE):
        advice = (f"the disk is full ({free // 1024 if free is not None else '?'} KB free), and SQLite needs a "
                  "little space for its journal even to delete: free some space and try again")
    elif "malformed" in low or "not a database" in low or "corrupt" in low:
        advice = ("the file is damaged: restore it from a backup, or move it away to start "
                  "a new, empty one")
    elif "locked" in low or "busy" in low:
        advice = "is another jobkompas running? try again when it has finished"
    elif "readonly" in low or "read-only" in low:
        advice = "the file or its folder is read-only: check their permissions"
    else:
        advice = "check the file and its folder, or move the file away to start a new one"
    if doing.startswith("delete"):
        advice = "nothing was deleted; " + advice
    return StorageError(f"cannot {doing} the session database ({text}); {advice}", str(path))


def _guarded(doing: str) -> Callable[[F], F]:
    """Every SQLite error in the method becomes a :class:`StorageError` (exit 8)."""
    def decorate(method: F) -> F:
        @wraps(method)
        def guarded(self: "Store", *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                raise storage_error(exc, self.path, doing) from None
        return guarded  # type: ignore[return-value]
    return decorate


def _warn(message: str) -> None:
    print(f"jobkompas: warning: {message}", file=sys.stderr)


class Store:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or (user_data_dir() / DB_NAME)
        self._db: sqlite3.Connection | None = None
        try:
            private_dir(self.path.parent)
            existed = self.path.exists()
            private_file(self.path)  # SQLite gives its -wal and -shm files the database's mode
            if existed and self.path.is_file() and self.path.stat().st_size == 0 and not self._wal().exists():
                raise StorageError("the session database is an empty file (0 bytes), not a database; restore it "
                                   "from a backup, or delete it to start a new, empty one", str(self.path))
            _tighten(self.path)
            self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA secure_delete=ON")
            self.db.execute("PRAGMA busy_timeout=30000")
            self._migrate()
        except sqlite3.Error as exc:
            self.close()
            raise storage_error(exc, self.path, "open") from None
        except OSError as exc:
            self.close()
            raise StorageError(f"cannot create the data directory: {exc.strerror}", str(self.path.parent)) from None
        except BaseException:
            self.close()
            raise

    def _wal(self) -> Path:
        return self.path.with_name(self.path.name + "-wal")

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise StorageError("the session database is closed", str(self.path))
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

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
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise storage_error(exc, self.path, "write to") from None
            raise StorageError(f"the session database is busy or locked ({exc}); is another jobkompas running?", str(self.path)) from None
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    def _migrate(self) -> None:
        """Bring an older database up to SCHEMA_VERSION; refuse one from a newer jobkompas,
        whose data this version could misread or damage."""
        with self.transaction() as db:
            db.execute("CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
            done = {row[0] for row in db.execute("SELECT version FROM migrations")}
            found = max([db.execute("PRAGMA user_version").fetchone()[0], *done])
            if found > SCHEMA_VERSION:
                raise StorageError(f"the session database was made by a newer jobkompas (schema {found}; this "
                                   f"version knows up to {SCHEMA_VERSION}); update jobkompas to use it", str(self.path))
            applied = False
            for version, name, step in MIGRATIONS:
                if version not in done:
                    step(db)
                    db.execute("INSERT INTO migrations VALUES (?, ?, ?)", (version, name, now()))
                    applied = True
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")
        if applied and done:
            self._compact()  # a migration may have rewritten personal data: leave no old copy

    @_guarded("read")
    def migrations(self) -> list[tuple[int, str]]:
        return [(r[0], r[1]) for r in self.db.execute("SELECT version, name FROM migrations ORDER BY version")]

    # ------------------------------------------------------------ sessions

    @_guarded("write to")
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

    @_guarded("read")
    def get(self, session_id: str) -> Session:
        row = self.db.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no session {session_id!r} (see 'jobkompas sessions list')")
        notes = [(r["created_at"], r["text"]) for r in
                 self.db.execute("SELECT created_at, text FROM notes WHERE session_id = ? ORDER BY id", (session_id,))]
        try:
            return _session(row, notes)
        except BadRow as exc:
            raise StorageError(f"{exc}; 'jobkompas sessions delete {session_id}' removes it", str(self.path)) from None

    @_guarded("read")
    def list(self, group: str | None = None) -> list[Session]:
        if group is None:
            rows = self.db.execute("SELECT * FROM sessions ORDER BY created_at, rowid")
        else:
            rows = self.db.execute("SELECT * FROM sessions WHERE grp = ? ORDER BY created_at, rowid", (group,))
        return _readable(rows, self.path)

    @_guarded("read")
    def groups(self) -> builtins.list[tuple[str, int]]:
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT grp, COUNT(*) FROM sessions WHERE grp IS NOT NULL GROUP BY grp ORDER BY grp")]

    @_guarded("write to")
    def add_note(self, session_id: str, text: str) -> None:
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
                raise NotFoundError(f"no session {session_id!r}")
            db.execute("INSERT INTO notes (session_id, text, created_at) VALUES (?, ?, ?)", (session_id, text, now()))
            db.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", (now(), session_id))

    @_guarded("delete from")
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

    @_guarded("write to")
    def update_result(self, session_id: str, result: dict[str, Any], catalogue_version: str) -> None:
        with self.transaction() as db:
            changed = db.execute("UPDATE sessions SET result = ?, catalogue_version = ?, updated_at = ? WHERE id = ?",
                                 (json.dumps(result, ensure_ascii=False), catalogue_version, now(), session_id)).rowcount
        if not changed:
            raise NotFoundError(f"no session {session_id!r}")

    @_guarded("delete from")
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

    @_guarded("read")
    def purge_preview(self, group: str | None = None, older_than: timedelta | None = None) -> builtins.list[Session]:
        """The sessions :meth:`purge` with the same arguments would delete."""
        where, params = self._purge_where(group, older_than)
        return _readable(self.db.execute(f"SELECT * FROM sessions{where} ORDER BY created_at, rowid", params), self.path)

    @_guarded("delete from")
    def delete_many(self, session_ids: builtins.list[str]) -> int:
        """Delete exactly these sessions (those a preview showed), in one transaction."""
        with self.transaction() as db:
            count = sum(db.execute("DELETE FROM sessions WHERE id = ?", (i,)).rowcount for i in session_ids)
        self._compact()
        return count

    @_guarded("delete from")
    def purge(self, group: str | None = None, older_than: timedelta | None = None) -> int:
        where, params = self._purge_where(group, older_than)
        with self.transaction() as db:
            count = db.execute(f"DELETE FROM sessions{where}", params).rowcount
        self._compact()
        return count

    def _compact(self) -> None:
        """Leave no copy of deleted rows behind: rebuild the file and empty the WAL.

        The delete itself is done by then, and ``secure_delete`` has already overwritten the
        freed pages; a rebuild that fails (it needs free space as large as the file) only
        leaves the file its old size, so it is a warning, never an error."""
        try:
            self.db.execute("VACUUM")
        except sqlite3.Error as exc:
            _warn(f"{self.path}: deleted, but the file could not be compacted ({exc}); the deleted data is "
                  "overwritten, and the file shrinks at a later delete when there is free space")
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass  # the next write checkpoints it


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


class BadRow(Exception):
    """A row whose stored JSON cannot be read: reported and skipped, not fatal for the others."""


def _session(row: sqlite3.Row, notes: list[tuple[str, str]]) -> Session:
    try:
        answers = json.loads(row["answers"])
        result = json.loads(row["result"]) if row["result"] else None
    except (TypeError, ValueError, RecursionError) as exc:
        raise BadRow(f"session {row['id']} cannot be read (its stored data is not valid JSON: {str(exc)[:60]})") from None
    if not isinstance(answers, dict) or not isinstance(result, (dict, type(None))):
        raise BadRow(f"session {row['id']} cannot be read (its stored data has the wrong shape)")
    return Session(
        id=row["id"], display_name=row["display_name"], group=row["grp"], language=row["language"],
        country=row["country"], form=row["form"], answers=answers, result=result,
        catalogue_version=row["catalogue_version"], created_at=row["created_at"],
        updated_at=row["updated_at"], notes=notes)


def _readable(rows: Any, path: Path) -> list[Session]:
    """The sessions of ``rows``; one that cannot be read is reported on stderr and skipped."""
    sessions = []
    for row in rows:
        try:
            sessions.append(_session(row, []))
        except BadRow as exc:
            _warn(f"{path}: {exc}; skipped ('jobkompas sessions delete {row['id']}' removes it)")
    return sessions


MAX_AGE_DAYS = 36_500  # 100 years: older than anything kept, and far from the calendar's end


def parse_age(text: str) -> timedelta:
    """'90d', '12w', '6m' (30-day months), '1y' -> a timedelta."""
    import re

    match = re.fullmatch(r"\s*(\d+)\s*([dwmy])\s*", text or "")
    if not match:
        raise ValueError("expected a number and a unit, e.g. 90d, 12w, 6m or 1y")
    digits, unit = match.group(1).lstrip("0") or "0", match.group(2)
    days = int(digits) * {"d": 1, "w": 7, "m": 30, "y": 365}[unit] if len(digits) <= 6 else MAX_AGE_DAYS + 1
    if days > MAX_AGE_DAYS:
        raise ValueError("at most 100 years (100y, 1200m, 36500d)")
    return timedelta(days=days)
