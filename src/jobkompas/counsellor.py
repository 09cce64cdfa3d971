"""Counsellor features on top of the store: saving results, re-scoring, exports, group views."""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from . import api
from .answers import AnswerSet
from .questions import RIASEC
from .store import Session, Store


def stored_result(result: api.Result, name: str | None) -> dict[str, Any]:
    """The result document as a session keeps it: the only name in it is the session's display
    name, and only when one was given (an answer file's ``respondent`` is dropped otherwise)."""
    doc = result.to_dict()
    doc["respondent"] = name or None
    return doc


def without_name(doc: dict[str, Any] | None, session: Session, include_names: bool) -> dict[str, Any] | None:
    """A stored result to show or export: its name field is the display name when names are
    asked for, and empty otherwise (also for results stored before names were kept apart)."""
    if doc is None:
        return None
    return {**doc, "respondent": session.display_name if include_names else None}


def save_result(store: Store, result: api.Result, *, name: str | None, group: str | None) -> str:
    a = result.answers
    return store.add(answers=a.values, language=a.language, country=a.country, form=a.form,
                     result=stored_result(result, name), catalogue_version=result.catalogue.version,
                     name=name, group=group)


def answers_of(session: Session, include_name: bool = False) -> AnswerSet:
    """The session's answers; they carry the display name only with ``include_name``, else the
    pseudonymous session id, so that a report names the student only when asked to."""
    bank = api.load_bank()
    answers = api.new_answers({k: v for k, v in session.answers.items() if k in bank.questions},
                              language=session.language, form=session.form, bank=bank)
    answers.respondent = (session.display_name if include_name else None) or session.id
    return answers


def rescore(store: Store, session_id: str) -> api.Result:
    session = store.get(session_id)
    result = api.score(answers_of(session))
    store.update_result(session_id, stored_result(result, session.display_name), result.catalogue.version)
    return result


def differs_from_stored(session: Session, result: api.Result) -> bool:
    """Whether ``result`` (the session's answers scored now) ranks differently from the result
    stored with the session: another Holland code or another top list."""
    stored = session.result
    if not stored:
        return False
    stored_ids = [m["id"] for m in stored.get("matches", [])]
    new_ids = [m.occupation.id for m in result.matches]
    n = min(len(stored_ids), len(new_ids))
    return (stored.get("profile", {}).get("holland_code") != result.profile.holland
            or stored_ids[:n] != new_ids[:n])


EXPORT_COLUMNS = ["session", "group", "created_at", "language", "country", "holland_code", *RIASEC,
                  "confidence", "catalogue_version", *[f"occupation_{i}" for i in range(1, 11)]]


def export_rows(sessions: list[Session], include_names: bool) -> tuple[list[str], list[list[Any]]]:
    header = EXPORT_COLUMNS[:1] + (["name"] if include_names else []) + EXPORT_COLUMNS[1:]
    rows = []
    for s in sessions:
        profile = (s.result or {}).get("profile", {})
        scores = profile.get("scores", {})
        matches = [m["id"] for m in (s.result or {}).get("matches", [])][:10]
        row = [s.id] + ([s.display_name or ""] if include_names else []) + [
            s.group or "", local_iso(s.created_at), s.language, s.country or "", profile.get("holland_code", ""),
            *[scores.get(t, "") for t in RIASEC], profile.get("confidence", ""), s.catalogue_version or "",
            *matches, *[""] * (10 - len(matches))]
        rows.append(row)
    return header, rows


def export_json(sessions: list[Session], include_names: bool, include_notes: bool, store: Store) -> list[dict]:
    out = []
    for s in sessions:
        doc: dict[str, Any] = {"session": s.id, "group": s.group, "created_at": local_iso(s.created_at),
                               "updated_at": local_iso(s.updated_at), "language": s.language, "country": s.country,
                               "form": s.form, "answers": s.answers,
                               "result": without_name(s.result, s, include_names),
                               "catalogue_version": s.catalogue_version}
        if include_names:
            doc["name"] = s.display_name
        if include_notes:
            doc["notes"] = [{"created_at": local_iso(t), "text": x} for t, x in store.get(s.id).notes]
        out.append(doc)
    return out


def _quartiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    if len(values) == 1:
        v = values[0]
        return {"mean": v, "min": v, "q1": v, "median": v, "q3": v, "max": v}
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return {"mean": round(statistics.fmean(values), 1), "min": min(values), "q1": round(q1, 1),
            "median": round(median, 1), "q3": round(q3, 1), "max": max(values)}


def group_summary(sessions: list[Session], lang: str) -> dict[str, Any]:
    """What a class looks like: codes, spread of each type, common matches, ambitions."""
    bank = api.load_bank()
    catalogue = api.load_catalogue()
    scored = [s for s in sessions if s.result]
    profiles = [s.result["profile"] for s in scored]
    codes = Counter(p["holland_code"] for p in profiles if p.get("confidence") != "none")
    first = Counter(code[0] for code in codes.elements())
    occupations: Counter[str] = Counter()
    for s in scored:
        occupations.update(m["id"] for m in s.result.get("matches", [])[:10])
    ambitions: Counter[str] = Counter()
    routes: Counter[str] = Counter()
    highest_q, route_q = bank.education("highest_level"), bank.education("route")
    for s in sessions:
        level = bank.level(s.answers.get(highest_q.id)) if highest_q else None
        ambitions[level.text.get(lang, level.text["en"]) if level else "—"] += 1
        option = next((o for o in (route_q.options if route_q else ()) if o.id == s.answers.get(route_q.id)), None)
        routes[option.text.get(lang, option.text["en"]) if option else "—"] += 1
    return {
        "students": len(sessions),
        "scored": len(scored),
        "confidence": dict(Counter(p.get("confidence", "none") for p in profiles)),
        "first_letter": {t: first.get(t, 0) for t in RIASEC},
        "holland_codes": codes.most_common(10),
        "types": {t: _quartiles([p["scores"][t] for p in profiles]) for t in RIASEC},
        "type_names": {t: bank.types[t].name.get(lang, t) for t in RIASEC if t in bank.types},
        "occupations": [{"id": occ_id, "title": catalogue.occupations[occ_id].title(lang) if occ_id in catalogue.occupations else occ_id,
                         "students": n} for occ_id, n in occupations.most_common(15)],
        "ambitions": ambitions.most_common(),
        "routes": routes.most_common(),
    }


def stored_flags(result: dict[str, Any] | None) -> list[str]:
    """Flag ids of a stored result (stored as ``{"id", "text"}`` documents)."""
    flags = (result or {}).get("profile", {}).get("flags", [])
    return [f["id"] if isinstance(f, dict) else str(f) for f in flags]


def stored_code(result: dict[str, Any] | None) -> str:
    """The Holland code to show for a stored result: none when all six types scored the same
    (its letters would only be the order R I A S E C, not the student's)."""
    if "no_variation" in stored_flags(result):
        return ""
    return (result or {}).get("profile", {}).get("holland_code", "")


def local_time(stamp: str, seconds: bool = False) -> str:
    """A stored UTC time as the machine's local time, 'YYYY-MM-DD HH:MM' (the system's time
    zone, ``TZ`` if set): a session at 00:30 in Oslo is dated that day, not the day before."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return stamp or ""
    if moment.tzinfo is None:
        return moment.isoformat(sep=" ", timespec="seconds" if seconds else "minutes")
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def local_iso(stamp: str) -> str:
    """A stored UTC time as local time in ISO 8601 with its offset (for exports)."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(stamp).astimezone().isoformat(timespec="seconds")
    except (TypeError, ValueError):
        return stamp or ""


def local_date(stamp: str) -> str:
    return local_time(stamp)[:10]


def unfinished(group: str | None = None) -> list[Any]:
    """Unfinished session quizzes (``QuizState`` with an owner), oldest first."""
    from .wizard.state import same_identity, session_states

    return [s for s in session_states() if group is None or same_identity((s.owner or {}).get("group"), group)]


def unfinished_row(state: Any, include_names: bool) -> dict[str, Any]:
    """What a counsellor sees of an unfinished quiz: who (if allowed), how far, how to go on."""
    from .wizard.state import resume_command

    owner = state.owner or {}
    bank = api.load_bank()
    form = state.form if state.form in bank.forms else "standard"
    total = len(bank.form(form)) if state.form != "adaptive" else None
    row = {"session": owner.get("id"), "status": "unfinished", "group": owner.get("group"),
           "created_at": owner.get("created_at"), "language": state.language, "form": state.form or None,
           "answered": len(state.answers), "questions": total,
           "resume": resume_command(owner, include_name=include_names)}
    if include_names:
        row["name"] = owner.get("name")
    return row


def delete_unfinished(unfinished_id: str) -> bool:
    from .wizard.state import clear_state, load_state

    state = load_state(unfinished_id)
    if state is None or not state.owner:
        return False
    clear_state(state)
    return True


def purge_unfinished(group: str | None, older_than: Any) -> int:
    """Delete unfinished session quizzes as ``Store.purge`` deletes sessions."""
    from datetime import datetime, timezone

    from .wizard.state import clear_state

    count = 0
    for state in unfinished(group):
        created = (state.owner or {}).get("created_at", "")
        if older_than is not None:
            try:
                if datetime.fromisoformat(created) > datetime.now(timezone.utc) - older_than:
                    continue
            except ValueError:
                pass
        clear_state(state)
        count += 1
    return count
