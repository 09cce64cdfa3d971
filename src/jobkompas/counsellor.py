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


def answers_of(session: Session, include_name: bool = False, bank: Any = None) -> AnswerSet:
    """The session's answers; they carry the display name only with ``include_name``, else the
    pseudonymous session id, so that a report names the student only when asked to."""
    bank = bank or api.load_bank()
    answers = api.new_answers({k: v for k, v in session.answers.items() if k in bank.questions or k in bank.retired},
                              language=session.language, form=session.form, bank=bank)
    answers.respondent = (session.display_name if include_name else None) or session.id
    return answers


def rescore(store: Store, session_id: str, bank: Any = None, catalogue: Any = None) -> api.Result:
    session = store.get(session_id)
    result = api.score(answers_of(session, bank=bank), bank=bank, catalogue=catalogue)
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


# who to talk to first: the flags that make a result less dependable, most serious first
ATTENTION_FLAGS = ("no_variation", "too_few_answers", "flat_profile", "many_unsure", "uncertain_code")


def flag_label(flag: str, lang: str) -> str:
    """A few words for a flag, for a counsellor's list (the student sees the full sentence)."""
    from .i18n import translator

    tr = translator(lang)
    return {
        "no_variation": tr("identical answers"), "too_few_answers": tr("too few answers"),
        "flat_profile": tr("flat profile"), "uncertain_code": tr("uncertain code"),
        "many_unsure": tr("many \"not sure\""),
    }.get(flag, flag)


def _country_of(session: Session) -> str:
    return session.country or session.answers.get("EDU-country") or (session.result or {}).get("country") or "other"


def first_step(session: Session, lang: str, catalogue: Any) -> str:
    """The first education step towards the student's top match, in their country (the Vg1
    programme, EUD or gymnasium, …), or '' when there is no match."""
    from .explain import number

    matches = (session.result or {}).get("matches") or []
    occ = catalogue.occupations.get(matches[0]["id"]) if matches else None
    steps = catalogue.path(occ, _country_of(session)) if occ else []
    if not steps:
        return ""
    step = steps[0]
    text = step.text.get(lang, step.text["en"])
    return text + (f" ({number(step.years, lang)})" if step.years else "")


def completeness(session: Session, bank: Any) -> dict[str, int]:
    from .explain import completeness as answered

    return answered(session.answers, session.form, bank)


def group_summary(sessions: list[Session], lang: str, include_names: bool = False,
                  waiting: list[Any] | None = None, bank: Any = None, catalogue: Any = None) -> dict[str, Any]:
    """A class roster and what the class looks like: every student (named only with
    ``include_names``) with code, confidence, flags, top 3 and first education step; who has
    not finished; who to talk to first; the spread of all codes and each type; common matches
    and ambitions. Profiles that cannot be read (identical answers, too few) are listed apart
    and left out of the figures."""
    from datetime import datetime

    from .explain import confidence_text

    bank = bank or api.load_bank()
    catalogue = catalogue or api.load_catalogue()
    roster, invalid = [], []
    talk_first: list[dict[str, Any]] = []
    valid_profiles = []
    occupations: Counter[str] = Counter()
    for s in sessions:
        result = s.result or {}
        profile = result.get("profile", {})
        flags = stored_flags(result)
        valid = bool(profile) and profile.get("confidence", "none") != "none"
        top3 = [{"id": m["id"], "title": catalogue.occupations[m["id"]].title(lang)
                 if m["id"] in catalogue.occupations else m["id"]} for m in (result.get("matches") or [])[:3]]
        row: dict[str, Any] = {
            "session": s.id, **({"name": s.display_name} if include_names else {}),
            "date": local_date(s.created_at), "code": stored_code(result) if valid else "",
            "confidence": profile.get("confidence", "none"),
            "confidence_text": confidence_text(profile.get("confidence", "none"), lang),
            "flags": flags, "flag_labels": [flag_label(f, lang) for f in flags],
            "top3": top3, "first_step": first_step(s, lang, catalogue) if valid else "",
            **completeness(s, bank), "valid": valid,
        }
        roster.append(row)
        reasons = [f for f in ATTENTION_FLAGS if f in flags]
        if reasons:
            talk_first.append({"session": s.id, **({"name": s.display_name} if include_names else {}),
                               "reasons": [flag_label(f, lang) for f in reasons],
                               "rank": min(ATTENTION_FLAGS.index(f) for f in reasons)})
        if not valid:
            invalid.append({"session": s.id, **({"name": s.display_name} if include_names else {}),
                            "reasons": [flag_label(f, lang) for f in flags if f in ("no_variation", "too_few_answers")]
                            or [confidence_text("none", lang)]})
            continue
        valid_profiles.append(profile)
        occupations.update(m["id"] for m in (result.get("matches") or [])[:10])
    talk_first.sort(key=lambda t: t.pop("rank"))
    # a profile ranked without its interests (every answer the same) has a list but no code,
    # and its six equal scores say nothing about the class's interests
    coded = [p for p in valid_profiles if p.get("holland_code")]
    codes = Counter(p["holland_code"] for p in coded)
    first = Counter(p["holland_code"][0] for p in coded)
    ambitions: Counter[str] = Counter()
    routes: Counter[str] = Counter()
    highest_q, route_q = bank.education("highest_level"), bank.education("route")
    for s in sessions:
        level = bank.level(s.answers.get(highest_q.id)) if highest_q else None
        ambitions[level.text.get(lang, level.text["en"]) if level else "–"] += 1
        option = next((o for o in (route_q.options if route_q else ()) if route_q and o.id == s.answers.get(route_q.id)), None)
        routes[option.text.get(lang, option.text["en"]) if option else "–"] += 1
    return {
        "generated_at": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
        "students": len(sessions),
        "scored": len(valid_profiles),
        "unfinished": [unfinished_row(w, include_names, bank) for w in (waiting or [])],
        "roster": roster,
        "invalid": invalid,
        "talk_first": talk_first,
        "confidence": dict(Counter(p.get("confidence", "none") for p in valid_profiles)),
        "first_letter": {t: first.get(t, 0) for t in RIASEC},
        "holland_codes": sorted(codes.items(), key=lambda kv: (-kv[1], kv[0])),
        "types": {t: _quartiles([p["scores"][t] for p in coded]) for t in RIASEC},
        "type_names": {t: bank.types[t].name.get(lang, t) for t in RIASEC if t in bank.types},
        "occupations": [{"id": occ_id, "title": catalogue.occupations[occ_id].title(lang) if occ_id in catalogue.occupations else occ_id,
                         "students": n} for occ_id, n in occupations.most_common(15)],
        "ambitions": ambitions.most_common(),
        "routes": routes.most_common(),
    }


ROSTER_COLUMNS = ["session", "status", "date", "holland_code", "confidence", "flags", "answered", "unsure",
                  "questions", "top_1", "top_2", "top_3", "first_step", "resume"]


def roster_rows(summary: dict[str, Any], include_names: bool) -> tuple[list[str], list[list[Any]]]:
    """The roster as CSV rows: finished students, then unfinished quizzes."""
    header = ROSTER_COLUMNS[:1] + (["name"] if include_names else []) + ROSTER_COLUMNS[1:]
    rows = []
    for r in summary["roster"]:
        tops = [t["title"] for t in r["top3"]] + [""] * (3 - len(r["top3"]))
        rows.append([r["session"]] + ([r.get("name") or ""] if include_names else []) + [
            "finished" if r["valid"] else "invalid", r["date"], r["code"], r["confidence"], " ".join(r["flags"]),
            r["answered"], r["unsure"], r["questions"], *tops, r["first_step"], ""])
    for u in summary["unfinished"]:
        rows.append([u["session"]] + ([u.get("name") or ""] if include_names else []) + [
            "unfinished", local_date(u["created_at"] or ""), "", "", "", u["answered"], "", u["questions"] or "",
            "", "", "", "", u["resume"]])
    return header, rows


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


def unfinished_row(state: Any, include_names: bool, bank: Any = None) -> dict[str, Any]:
    """What a counsellor sees of an unfinished quiz: who (if allowed), how far, how to go on."""
    from .wizard.state import resume_command

    owner = state.owner or {}
    bank = bank or api.load_bank()
    form = state.form if state.form in bank.forms else "standard"
    total = len(bank.form(form)) if state.form != "adaptive" else None
    row = {"session": owner.get("id"), "status": "unfinished", "group": owner.get("group"),
           "created_at": owner.get("created_at"), "date": local_date(owner.get("created_at") or ""), "language": state.language, "form": state.form or None,
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


def unfinished_to_purge(group: str | None, older_than: Any) -> list[Any]:
    """The unfinished session quizzes ``sessions purge`` with these filters deletes."""
    from datetime import datetime, timezone

    chosen = []
    for state in unfinished(group):
        created = (state.owner or {}).get("created_at", "")
        if older_than is not None:
            try:
                if datetime.fromisoformat(created) > datetime.now(timezone.utc) - older_than:
                    continue
            except ValueError:
                pass
        chosen.append(state)
    return chosen


def purge_unfinished(states: list[Any]) -> int:
    from .wizard.state import clear_state

    for state in states:
        clear_state(state)
    return len(states)
