"""Counsellor sessions through the library (``api.Sessions``; documented in docs/api.md).

One object over the SQLite store (:mod:`jobkompas.store`) and the unfinished session quizzes
(:mod:`jobkompas.wizard.state`), with the content the sessions are scored with. It returns
data; the CLI chooses how to show it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator, NamedTuple

from . import api
from .counsellor import (answers_of, delete_unfinished, differs_from_stored, export_json, export_rows, group_summary,
                         local_date, local_time, purge_unfinished, rescore, save_result, stored_code, unfinished,
                         unfinished_row, unfinished_to_purge)
from .errors import InputError, NotFoundError, UsageError
from .settings import Content
from .store import Session, Store

__all__ = ["GroupRescore", "PurgePlan", "Rescored", "Scored", "Session", "Sessions", "report_result"]

SESSION_ID = re.compile(r"s-[0-9a-f]{8}")


class Scored(NamedTuple):
    """A stored session (or an answer file: ``session`` is ``None``) scored now, with
    ``result.meta`` filled for reports. ``stale``: the session's stored result (scored with the
    catalogue of its time) ranks differently from this one."""

    session: Session | None
    result: api.Result
    stale: bool = False

    def report(self, counsellor: bool) -> api.Result:
        """The result as a report shows it: the counsellor's copy (notes, education answers,
        traits, completeness) or the student's."""
        import copy

        shown = copy.copy(self.result)  # the student's and the counsellor's copy never share a setting
        shown.meta = {**(self.result.meta or {}), "counsellor": counsellor}
        return shown


class Rescored(NamedTuple):
    session_id: str
    catalogue_before: str | None
    result: api.Result


class GroupRescore(NamedTuple):
    """One session of ``groups rescore``: Holland code and top match before and after."""

    session_id: str
    code_before: str
    code_after: str
    top_before: str | None
    top_after: str | None

    @property
    def changed(self) -> bool:
        return (self.code_before, self.top_before) != (self.code_after, self.top_after)


class PurgePlan(NamedTuple):
    """What ``sessions purge`` with these filters deletes: exactly these, nothing added since."""

    sessions: list[Session]
    unfinished: list[Any]  # QuizState of unfinished session quizzes

    @property
    def empty(self) -> bool:
        return not (self.sessions or self.unfinished)

    def listing(self) -> list[tuple[str, str | None, str]]:
        """(id, group, local time) of each session and unfinished quiz, sessions first."""
        return ([(s.id, s.group, local_time(s.created_at)) for s in self.sessions]
                + [(w.owner["id"], w.owner.get("group"), local_time(w.owner.get("created_at", "")))
                   for w in self.unfinished])


class Sessions:
    """Counsellor sessions kept on this machine, scored with ``content``.

    Use as a context manager; the database is opened on first use, so that working only with
    unfinished quizzes never creates it.
    """

    def __init__(self, content: Content | None = None, path: Path | None = None) -> None:
        self.content = content or api.default_content()
        self._path = path
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self._path)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> "Sessions":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ keeping results

    def save(self, result: api.Result, *, name: str | None = None, group: str | None = None) -> str:
        """Keep a result; returns the new session's id."""
        return save_result(self.store, result, name=name, group=group)

    def store_answers(self, items: list[api.AnswerSet | InputError], *, group: str | None = None,
                      names: bool = False) -> Iterator[str | InputError]:
        """Score and keep each answer set (as ``import`` does), yielding each new session's id as
        soon as it is stored, or the row's error; ``names`` keeps each respondent as the name."""
        store, bank, catalogue = self.store, self.content.bank(), self.content.catalogue()
        for item in items:
            if isinstance(item, InputError):
                yield item
                continue
            result = api.score(item, bank=bank, catalogue=catalogue)
            yield save_result(store, result, name=item.respondent if names else None, group=group)

    # ------------------------------------------------------------ reading

    def get(self, session_id: str) -> Session:
        return self.store.get(session_id)

    def groups(self) -> list[tuple[str, int]]:
        """(group, number of sessions), by group."""
        return self.store.groups()

    def rows(self, group: str | None = None, *, names: bool = False) -> list[dict[str, Any]]:
        """Sessions, oldest first, then unfinished quizzes (``sessions list --json``)."""
        finished = [{"session": s.id, "status": "finished", "group": s.group, "created_at": s.created_at,
                     "holland_code": stored_code(s.result) or None,
                     "top_match": ((s.result or {}).get("matches") or [{}])[0].get("id"),
                     **({"name": s.display_name} if names else {})} for s in self.store.list(group)]
        waiting = unfinished(group)
        bank = self.content.bank() if waiting else None
        return finished + [unfinished_row(state, names, bank) for state in waiting]

    def scored(self, session: Session | str, *, language: str | None = None, include_name: bool = False) -> Scored:
        """A session scored from its answers now (what reports and ``sessions show`` render).

        The stored result is the record (``--json``, exports, group summaries); when the
        catalogue has changed since, the two can rank differently, and ``stored_with`` says so.
        """
        if isinstance(session, str):
            session = self.get(session)
        bank = self.content.bank()
        result = api.score(answers_of(session, include_name, bank), language=language, bank=bank,
                           catalogue=self.content.catalogue())
        result.meta = {"session": session.id, "group": session.group, "date": local_date(session.created_at),
                       "notes": [(local_time(when), text) for when, text in session.notes]}
        return Scored(session, result, differs_from_stored(session, result))

    def export(self, group: str | None = None, *, include_names: bool = False,
               include_notes: bool = False) -> list[dict[str, Any]]:
        """Sessions as JSON documents (``sessions export --format json``)."""
        return export_json(self.store.list(group), include_names, include_notes, self.store)

    def export_rows(self, group: str | None = None, *, include_names: bool = False) -> tuple[list[str], list[list[Any]]]:
        """Sessions as a CSV header and rows (``sessions export``)."""
        return export_rows(self.store.list(group), include_names)

    def document(self, session_id: str, *, include_names: bool = False) -> dict[str, Any]:
        """One session as ``sessions show --json`` gives it, notes included."""
        return export_json([self.get(session_id)], include_names=include_names, include_notes=True,
                           store=self.store)[0]

    # ------------------------------------------------------------ changing

    def add_note(self, session_id: str, text: str) -> str:
        """Add a counsellor note (line breaks kept, Windows ones made plain); returns it as stored."""
        text = text.replace("\r\n", "\n").strip("\n").rstrip()
        if not text.strip():
            raise UsageError("the note is empty; write something, or leave the session as it is")
        self.store.add_note(session_id, text)
        return text

    def delete_note(self, session_id: str, number: int) -> str:
        """Delete the ``number``-th note (1 = oldest) for good; returns its text."""
        return self.store.delete_note(session_id, number)

    def rescore(self, session_id: str) -> Rescored:
        """Score a session again with the current content and keep the new result."""
        before = self.get(session_id).catalogue_version
        result = rescore(self.store, session_id, self.content.bank(), self.content.catalogue())
        return Rescored(session_id, before, result)

    def delete(self, session_id: str) -> None:
        """Delete a session and its notes, or an unfinished session quiz (``u-…``), for good."""
        if session_id.startswith("u-"):
            if not delete_unfinished(session_id):
                raise NotFoundError(f"no unfinished quiz {session_id!r} (see 'jobkompas sessions list')")
            return
        self.store.delete(session_id)

    def purge_plan(self, group: str | None = None, older_than: Any = None) -> PurgePlan:
        """What :meth:`purge` deletes for these filters (``older_than``: a ``timedelta``)."""
        return PurgePlan(self.store.purge_preview(group, older_than), unfinished_to_purge(group, older_than))

    def purge(self, plan: PurgePlan) -> int:
        """Delete what ``plan`` lists; returns how many sessions were deleted."""
        count = self.store.delete_many([s.id for s in plan.sessions])
        return count + purge_unfinished(plan.unfinished)

    # ------------------------------------------------------------ groups

    def _group(self, group: str) -> list[Session]:
        sessions = self.store.list(group)
        if not sessions:
            raise NotFoundError(f"no sessions in group {group!r} (see 'jobkompas sessions list')")
        return sessions

    def group_summary(self, group: str, *, language: str = "en", include_names: bool = False) -> dict[str, Any]:
        """A class roster and what the class looks like (:func:`counsellor.group_summary`)."""
        sessions = self.store.list(group)
        waiting = unfinished(group)
        if not sessions and not waiting:
            raise NotFoundError(f"no sessions in group {group!r} (see 'jobkompas sessions list')")
        return group_summary(sessions, language, include_names, waiting, self.content.bank(),
                             self.content.catalogue())

    def group_results(self, group: str, *, language: str | None = None, include_names: bool = False) -> list[Scored]:
        """Every session of a group scored now, for one report each."""
        sessions = [self.get(s.id) for s in self._group(group)]
        return [self.scored(s, language=language, include_name=include_names) for s in sessions]

    def rescore_group(self, group: str) -> Iterator[GroupRescore]:
        """Score every session of a group again and keep the new results, one at a time."""
        for session in self._group(group):
            before = stored_code(session.result)
            top_before = ((session.result or {}).get("matches") or [{}])[0].get("id")
            done = self.rescore(session.id)
            after = stored_code(self.get(session.id).result)
            top_after = done.result.matches[0].occupation.id if done.result.matches else None
            yield GroupRescore(session.id, before, after, top_before, top_after)


def report_result(source: str, *, language: str | None = None, include_names: bool = False,
                  content: Content | None = None) -> Scored:
    """What ``report`` shows: a session (``s-…``, unless a file has that name) or an answer
    file, scored now; a file's respondent is left out unless ``include_names``."""
    import datetime

    content = content or api.default_content()
    if SESSION_ID.fullmatch(source) and not Path(source).exists():
        with Sessions(content) as sessions:
            return sessions.scored(source, language=language, include_name=include_names)
    bank = content.bank()
    answers = api.read_answers(source, bank=bank)
    if not include_names:
        answers.respondent = None
    result = api.score(answers, language=language, bank=bank, catalogue=content.catalogue())
    result.meta = {"date": datetime.date.today().isoformat(), "notes": []}
    return Scored(None, result)
