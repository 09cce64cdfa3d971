"""The unfinished quiz on disk: saved atomically after every answer, resumed on next start.

A private quiz has one file per user (``unfinished-quiz.json``). A counsellor session quiz
(``quiz --session``) has one file per session identity (display name and group) in
``unfinished/``, so that a student on a shared machine is only ever offered their own
unfinished quiz; a quiz without a name is never offered to anyone, only continued by its
id (``quiz --unfinished u-…``).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import api
from ..errors import NotFoundError
from ..outfile import atomic_open, private_dir

STATE_FILE = "unfinished-quiz.json"
SESSION_DIR = "unfinished"


@dataclass
class QuizState:
    language: str
    form: str
    country: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    position: int = 0
    interests_done: bool = False  # adaptive form: the student skipped the rest of the interest block
    numbered_from: int = 1  # the number on the first numbered question (country and length are not numbered)
    # a session quiz: {"id": "u-…", "name": …, "group": …, "created_at": …}; None for a private quiz
    owner: dict[str, Any] | None = None


def state_from_data(data: Any) -> QuizState:
    """A saved quiz, its types checked: a file edited by hand or damaged raises ``TypeError``
    (and is set aside) rather than crash every start later."""
    if not isinstance(data, dict):
        raise TypeError("not a mapping")
    state = QuizState(**data)
    checks = [isinstance(state.language, str), isinstance(state.form, str),
              state.country is None or isinstance(state.country, str),
              isinstance(state.answers, dict) and all(isinstance(k, str) for k in state.answers),
              isinstance(state.asked, list) and all(isinstance(a, str) for a in state.asked),
              type(state.position) is int, type(state.interests_done) is bool, type(state.numbered_from) is int,
              state.owner is None or (isinstance(state.owner, dict) and isinstance(state.owner.get("id"), str))]
    if not all(checks):
        raise TypeError("a field of the wrong type")
    return state


def drop_invalid_answers(state: QuizState, bank: Any) -> list[str]:
    """Drop saved answers the question bank does not accept (unknown questions, values out of
    range, a level of another country, a country that does not exist): they are asked again.
    Returns the ids dropped."""
    if state.language not in api.LANGUAGES:
        state.language = "en"
    if state.form not in (*bank.forms, "adaptive", ""):
        state.form = ""
    dropped = []
    for qid, value in list(state.answers.items()):
        q = bank.questions.get(qid)
        try:
            if q is None:
                raise ValueError(qid)
            state.answers[qid] = api.check_value(q, value)
        except (ValueError, TypeError):
            del state.answers[qid]
            dropped.append(qid)
    country = state.answers.get("EDU-country")
    for dim in ("current_level", "highest_level"):
        q = bank.education(dim)
        value = state.answers.get(q.id) if q else None
        level = bank.level(value) if isinstance(value, str) else None
        if level and level.countries and country not in level.countries:
            del state.answers[q.id]
            dropped.append(q.id)
    state.asked = [a for a in state.asked if a in bank.questions]
    state.position = max(0, min(state.position, len(state.asked)))
    return dropped


def new_owner(name: str | None, group: str | None, created_at: str | None = None) -> dict[str, Any]:
    """Who a session quiz belongs to, with a new id; ``created_at`` is now (UTC) when left out."""
    if created_at is None:
        from datetime import datetime, timezone

        created_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return {"id": "u-" + secrets.token_hex(4), "name": name or None, "group": group or None,
            "created_at": created_at}


def state_path(unfinished_id: str | None = None) -> Path:
    """The file of the private unfinished quiz, or of a session quiz ``u-`` + 8 hex digits (an
    id typed by a user names a file only in that shape: never a path outside the folder)."""
    if unfinished_id is None:
        return api.user_data_dir() / STATE_FILE
    if not re.fullmatch(r"u-[0-9a-f]{8}", unfinished_id):
        raise NotFoundError(f"no unfinished quiz {unfinished_id!r} (see 'jobkompas sessions list')")
    return api.user_data_dir() / SESSION_DIR / f"{unfinished_id}.json"


def _path_of(state: QuizState) -> Path:
    return state_path(state.owner["id"] if state.owner else None)


def save_state(state: QuizState) -> None:
    """Write the state whole, on disk before it replaces the old one; raises ``OSError``.
    The file and its folders are private to the user (0600 and 0700)."""
    path = _path_of(state)
    private_dir(path.parent)
    with atomic_open(path, fsync=True) as handle:
        json.dump(asdict(state), handle, ensure_ascii=False)


def load_state(unfinished_id: str | None = None) -> QuizState | None:
    path = state_path(unfinished_id)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return state_from_data(data)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError):
        # a damaged file must not block a new quiz; keep it aside for inspection
        try:
            os.replace(path, path.with_suffix(".damaged"))
        except OSError:
            pass
        return None


def clear_state(state_or_id: QuizState | str | None = None) -> None:
    """Delete the private unfinished quiz, or a session's (by state or by id)."""
    if isinstance(state_or_id, QuizState):
        path = _path_of(state_or_id)
    else:
        path = state_path(state_or_id)
    try:
        path.unlink()
    except OSError:
        pass  # nothing saved, or a data dir that cannot be written (the wizard has said so)


def same_identity(a: str | None, b: str | None) -> bool:
    """Display names and groups compare as a person would read them: case, surrounding spaces
    and Unicode composition (å typed as one or two code points) do not matter."""
    def key(text: str | None) -> str:
        return unicodedata.normalize("NFC", text or "").strip().casefold()

    return key(a) == key(b)


def session_states() -> list[QuizState]:
    """Every unfinished session quiz, oldest first (damaged files are left alone)."""
    folder = api.user_data_dir() / SESSION_DIR
    states = []
    for path in sorted(folder.glob("u-*.json")) if folder.is_dir() else ():
        try:
            state = state_from_data(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            continue
        if state.owner and state.owner.get("id") == path.stem:
            states.append(state)
    return sorted(states, key=lambda s: (s.owner or {}).get("created_at", ""))


def find_session_state(name: str | None, group: str | None) -> QuizState | None:
    """The unfinished quiz of this named student in this group; a quiz without a name is
    never found this way (anyone could be behind it)."""
    if not (name or "").strip():
        return None
    for state in session_states():
        owner = state.owner or {}
        if owner.get("name") and same_identity(owner["name"], name) and same_identity(owner.get("group"), group):
            return state
    return None


def resume_command(owner: dict[str, Any], include_name: bool) -> str:
    """The command that continues a session quiz, keeping its name and group: by name when
    names may be shown, else by the unfinished quiz's id."""
    if include_name and owner.get("name"):
        words = ["jobkompas", "quiz", "--session", "--name", owner["name"]]
        if owner.get("group"):
            words += ["--group", owner["group"]]
        return shlex.join(words + ["--resume"])
    return shlex.join(["jobkompas", "quiz", "--unfinished", owner["id"]])
