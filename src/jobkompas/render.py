"""Turning results, occupations and group summaries into text: rich tables, JSON, CSV, Markdown and HTML."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

from .i18n import translator
from .questions import RIASEC
from .streams import shows_unicode, terminal_safe

if TYPE_CHECKING:
    from .api import Result
    from .catalogue import Catalogue, Occupation
    from .questions import QuestionBank


def step_dict(step: Any, lang: str | None = None) -> dict[str, Any]:
    """One path step for JSON: its text (every language, or ``lang``'s), the register id, level,
    whether it is optional and the authorisation that follows ({by, text}) or null."""
    text = step.text if lang is None else step.text.get(lang, step.text["en"])
    auth = step.authorisation
    if auth is not None:
        auth = {"by": auth["by"], "text": {k: auth[k] for k in ("en", "nb", "da")} if lang is None
                else auth.get(lang, auth["en"])}
    return {"kind": step.kind, "years": step.years, "text": text, "programme": step.programme,
            "isced": step.isced, "optional": bool(step.optional), "authorisation": auth}


def years_text(years: float, lang: str) -> str:
    """'1 year', '3 years', '1,5 years' (in nb/da: '1 år', '1,5 år')."""
    from .explain import number
    from .i18n import translation

    return translation(lang).ngettext("{n} year", "{n} years", 1 if years == 1 else 2).format(n=number(years, lang))


def step_label(step: Any, lang: str, tr: Any) -> str:
    """A step as a student reads it: 'Optional: …' for an optional one."""
    text = step.text.get(lang, step.text["en"])
    return tr("Optional: {step}").format(step=text) if step.optional else text


def authorisation_label(step: Any, lang: str) -> str:
    """'Authorisation as a nurse (Helsedirektoratet)', or '' when none follows the step."""
    auth = step.authorisation
    return f"{auth.get(lang) or auth['en']} ({auth['by']})" if auth else ""


def occupation_dict(occ: "Occupation", catalogue: "Catalogue", lang: str, full: bool) -> dict[str, Any]:
    countries = ("norway", "denmark", "other")
    data: dict[str, Any] = {
        "id": occ.id, "titles": occ.titles, "title": occ.title(lang), "codes": occ.codes,
        "interests": dict(zip(RIASEC, occ.interests)), "high_point": occ.high_point,
        "job_zone": occ.job_zone, "isced": occ.isced, "curated": occ.curated,
        "paths": {c: [step_dict(s) for s in catalogue.path(occ, c)] for c in countries},
        "path_outline": {c: catalogue.path_is_outline(occ, c) for c in countries},
        "path_level": {c: catalogue.path_level(occ, c) for c in countries},
        "not_recommended": None if occ.not_recommended is None else {
            "why": occ.not_recommended[0], "countries": list(occ.not_recommended[1]),
            "text": not_recommended_text(occ, occ.not_recommended[1][0], lang)},
        "review": {"text": occ.review.get("text"), "paths": occ.review.get("paths", "template")},
    }
    if full:
        data.update({
            "work_styles": occ.work_styles, "work_styles_source": occ.work_styles_source or None, "traits": {k: round(v, 2) for k, v in occ.traits.items()},
            "related": occ.related, "alt_titles": occ.alt_titles, "summary": occ.summary,
            "tasks": occ.tasks, "workplaces": occ.workplaces, "key_traits": occ.key_traits,
            "next_steps": occ.next_steps,
        })
    from .earnings import for_occupation

    data["earnings_norway"] = for_occupation(occ)
    return data


def render_results(results: list["Result"], fmt: str, bom: bool = False) -> str:
    if fmt == "json":
        docs = [r.to_dict() for r in results]
        return json.dumps(docs[0] if len(docs) == 1 else docs, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        from .csvout import csv_text

        top = max((len(r.matches) for r in results), default=0)
        return csv_text(batch_header(top), (batch_row(r, r.answers.respondent or r.answers.source, top)
                                            for r in results), bom=bom)
    if fmt == "markdown":
        return "\n\n".join(render_markdown(r) for r in results)
    if fmt == "html":
        return render_html(results)
    return render_table_text(results)


def batch_header(top: int) -> list[str]:
    return ["id", "holland_code", *RIASEC, "confidence", "flags",
            *[f"{kind}_{i}" for i in range(1, top + 1) for kind in ("occupation", "score")]]


def batch_row(result: "Result", respondent: str, top: int) -> list[Any]:
    p = result.profile
    row: list[Any] = [respondent, p.holland, *[p.scores[t] for t in RIASEC], p.confidence, " ".join(p.flags)]
    for m in result.matches[:top]:
        row += [m.occupation.id, m.score]
    row += [""] * (len(batch_header(top)) - len(row))
    return row


def bar(value: float, width: int, ascii_only: bool) -> str:
    full = round(value / 100 * width)
    return ("#" * full + "." * (width - full)) if ascii_only else ("█" * full + "░" * (width - full))


class _TextBuffer(io.StringIO):
    encoding = "utf-8"


def render_table_text(results: list["Result"]) -> str:
    """Plain text for stdout, as wide as the terminal (100 when piped), ASCII if it must be."""
    import shutil
    import sys

    from rich.console import Console

    # text that stays a str (stdout replaced by a StringIO) can hold anything
    ascii_only = not shows_unicode(sys.stdout, unknown=True)
    width = max(50, min(shutil.get_terminal_size((100, 24)).columns, 160))
    buffer = _TextBuffer()
    buffer.encoding = "ascii" if ascii_only else "utf-8"  # rich draws ASCII boxes for ascii
    console = Console(file=buffer, width=width, color_system=None, record=False, legacy_windows=False)
    for r in results:
        print_result(console, r, ascii_only=ascii_only, detail=width >= 72)
    return console.file.getvalue()  # type: ignore[attr-defined]


def print_result(console: Any, r: "Result", ascii_only: bool, detail: bool = True) -> None:
    from rich.table import Table
    from rich.text import Text

    from .explain import number

    tr = translator(r.language)
    lang = r.language
    p = r.profile
    width = max(10, min(30, console.width - 40))
    console.print(Text(tr("Your interest profile") + (f" — {terminal_safe(r.answers.respondent)}" if r.answers.respondent else ""), style="bold"))
    for t in RIASEC:
        name = r.bank.types[t].name.get(lang, t) if t in r.bank.types else t
        console.print(Text(f"  {t} {name:<14} {bar(p.scores[t], width, ascii_only)} {number(p.scores[t], lang, 1):>5}"))
    _print_code(console, r, tr, style="bold")
    from .rules import liked_types

    for t in liked_types(shown_code(p), p.scores):  # described as a liking only above their own middle
        if t in r.bank.types:
            tt = r.bank.types[t]
            console.print(Text(f"  {t} – {tt.name.get(lang)}: {tt.description.get(lang)}"))
    _print_flags(console, r)
    if not _print_filter_or_none(console, r, tr):
        return
    if not detail:  # narrow terminal: a list keeps the reasons readable
        console.print(Text(tr("Your top matches"), style="bold"))
        if r.matches[0].rank == 1:
            console.print(Text(r.certainty_text()))
        for m in r.matches:
            console.print(Text(f"{m.label:>3}. {terminal_safe(m.occupation.title(lang))} — {m.score:.0f}", style="bold"))
            for reason, text in zip(m.match.reasons, m.reasons):
                console.print(Text(("   + " if reason.positive else "   – ") + text))
            console.print(Text("   " + path_line(m, lang, tr)))
            if m.match.similar:
                console.print(Text("   " + terminal_safe(m.similar_text(r.catalogue, lang))))
        return
    table = Table(title=tr("Your top matches"), show_lines=True, expand=False)
    table.add_column("#", justify="right")
    table.add_column(tr("Occupation"))
    table.add_column(tr("Match"), justify="right")
    table.add_column(tr("Why"))
    for m in r.matches:
        why = "\n".join(("+ " if reason.positive else "– ") + text
                        for reason, text in zip(m.match.reasons, m.reasons))
        why += "\n" + path_line(m, lang, tr)
        if m.match.similar:
            why += "\n" + m.similar_text(r.catalogue, lang)
        table.add_row(Text(m.label), Text(terminal_safe(m.occupation.title(lang))), Text(f"{m.score:.0f}"), Text(terminal_safe(why)))
    console.print(table)
    if r.matches[0].rank == 1:
        console.print(Text(r.certainty_text()))


def strongest_reason(m: Any, r: "Result", common: dict[str, int] | None = None) -> str:
    """The strongest reason that speaks for the job, in a few words; with ``common`` (how many
    jobs on the page share each reason) the strongest that tells this job apart from the
    others. When nothing speaks for the job, the first reason against it, marked '–'."""
    from .explain import reason_short

    short = [(x, reason_short(x, r.language, r.bank, r.country)) for x in m.match.reasons]
    good = [(x, text) for x, text in short if x.positive]
    if good:  # what the job offers before what it spares you; min keeps the first of equals
        return min(good, key=lambda xt: (_REASON_WEIGHT.get(_reason_kind(xt[0]), 1),
                                         (common or {}).get(xt[1], 0)))[1]
    return "– " + short[0][1] if short else ""


_REASON_WEIGHT = {"education_ok": 1, "answer_dislike": 2}


def _reason_kind(reason: Any) -> str:
    return "answer_dislike" if reason.kind == "answer" and reason.data.get("kind") == "dislike" else reason.kind


def _shared_reasons(r: "Result") -> dict[str, int]:
    from collections import Counter

    from .explain import reason_short

    return Counter(text for m in r.matches for text in {reason_short(x, r.language, r.bank, r.country)
                                                         for x in m.match.reasons if x.positive})


def profile_line(r: "Result", short: bool = False) -> str:
    """The six interest scores on one line, strongest first: 'Social 78 · Investigative 70 · …',
    or with ``short`` the letters only: 'S 78 · I 70 · …'."""
    lang = r.language
    order = sorted(RIASEC, key=lambda t: -r.profile.scores[t])
    return " · ".join(f"{t if short or t not in r.bank.types else r.bank.types[t].name.get(lang, t)} "
                      f"{r.profile.scores[t]:.0f}" for t in order)


def print_summary(console: Any, r: "Result", plain: bool = False) -> None:
    """The results as one screen: for the first ranks the profile in two lines, the code and
    the matches one line each with the strongest reason; for later ranks only the matches
    under a heading naming them. The width is read at each call, so a resized terminal gets
    a fitting layout; ``plain`` writes sentences for a screen reader, nothing cut or drawn."""
    from rich.table import Table
    from rich.text import Text

    tr = translator(r.language)
    lang = r.language
    first = not r.matches or r.matches[0].rank == 1
    if first:
        line = tr("Your interests: ") + profile_line(r)
        if len(line) > console.width and not plain:  # a narrow terminal: letters, on one line
            line = tr("Your interests: ") + profile_line(r, short=True)
        console.print(Text(line, style="bold"))
        _print_code(console, r, tr)
        _print_flags(console, r, short=not plain)  # a line each: the whole profile view has them in full
    if not _print_filter_or_none(console, r, tr):
        return
    if first:
        heading = tr("Your top matches")
    else:
        heading = tr("More matches: places {first}–{last}").format(first=r.matches[0].rank, last=r.matches[-1].rank)
    console.print(Text(heading, style="bold"))
    common = _shared_reasons(r)
    if plain:
        for m in r.matches:
            console.print(Text(tr("{place}. {title}, match {score}: {reason}").format(
                place=m.label, title=m.occupation.title(lang), score=f"{m.score:.0f}",
                reason=strongest_reason(m, r, common))))
    else:
        width = console.width
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(no_wrap=True, overflow="ellipsis", max_width=max(14, min(40, width * 2 // 5)))
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(no_wrap=True, overflow="ellipsis", ratio=1)
        for m in r.matches:
            grid.add_row(Text(m.label + "."), Text(m.occupation.title(lang), style="bold"),
                         Text(f"{m.score:.0f}"), Text(strongest_reason(m, r, common), style="dim"))
        console.print(grid)
    # a short terminal (24 rows) has room for the flags or the certainty line, not both; the
    # flags already say the list is uncertain (the whole profile view shows both)
    if first and not (r.flag_texts() and console.height < 28):
        console.print(Text(r.certainty_text()))


def path_line(m: Any, lang: str, tr: Any) -> str:
    """'Path: Vg1 … (1) → … ' for one match, in the chosen language; an outline says so."""
    from .explain import number

    steps = []
    for s in m.path:
        steps.append(step_label(s, lang, tr) + (f" ({number(s.years, lang)})" if s.years else ""))
        if s.authorisation:
            steps.append(authorisation_label(s, lang))
    line = tr("Path (years): ") + " → ".join(steps)
    return line + " " + tr("(general outline)") if getattr(m, "outline", False) else line


def N_(text: str) -> str:  # marks a string for extraction; translated where it is shown
    return text


OUTLINE_NOTE = N_("This is a general outline for the field, not a path written for this job: check the details with a school counsellor.")


def _confidence(value: str, lang: str) -> str:
    from .explain import confidence_text

    return confidence_text(value, lang)


_MD_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_MD_PUNCTUATION = set("\\`*_{}[]()#+-.!|~:\"'=$^")


def md_escape(text: object) -> str:
    """User text (a name, a group, a note) as literal Markdown text on one line: no HTML, no
    links, no emphasis or list markers. ``<``, ``>`` and ``&`` become entities, other ASCII
    punctuation is backslash-escaped (CommonMark shows both as the character itself), and
    line breaks become spaces."""
    out = []
    for ch in " ".join(str(text if text is not None else "").split()):
        if ch in _MD_ENTITIES:
            out.append(_MD_ENTITIES[ch])
        elif ch in _MD_PUNCTUATION:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def md_lines(text: object, indent: str = "  ") -> str:
    """Multi-line user text (a note) for a Markdown list item: each line escaped, kept as a
    line of its own (a hard break), indented to stay inside the item; blank lines kept."""
    lines = str(text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return ("  \n" + indent).join(md_escape(line) for line in lines)


def _jinja():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("jobkompas", "templates"),
                      autoescape=select_autoescape(["html", "xml", "j2"]), trim_blocks=True, lstrip_blocks=True)
    env.globals["zip"] = zip
    from .explain import number

    env.filters["years"] = number
    env.filters["years_text"] = years_text  # years|years_text(lang): '1 year', '3 years'
    env.globals["step_label"] = step_label
    env.globals["authorisation_label"] = authorisation_label
    env.globals["OUTLINE_NOTE"] = OUTLINE_NOTE
    env.filters["number"] = number  # number(value, lang[, decimals]): the decimal comma in nb/da
    env.filters["md"] = md_escape
    env.filters["md_lines"] = md_lines
    from .earnings import earnings_text

    env.filters["earnings"] = earnings_text  # occupation|earnings(lang): '' where SSB has no figure
    return env


def shown_code(profile: Any) -> str:
    """The Holland code to show: none when all six types score the same (its letters would
    only be the order R I A S E C, not the student's). JSON keeps the field as it is."""
    return "" if "no_variation" in profile.flags else profile.holland


def level_filter_text(r: "Result") -> str:
    """'Only jobs up to: Fagbrev' when the matches were chosen with the level filter."""
    if r.max_isced is None:
        return ""
    from .explain import isced_name

    tr = translator(r.language)
    return tr("Only jobs up to: {level}").format(level=isced_name(r.max_isced, r.country, r.bank, r.language))


def _context(r: "Result") -> dict[str, Any]:
    """What a report shows of one result. The student's name only when the result carries one
    (a session report without --include-names carries the session id instead); the
    counsellor's copy adds education answers, traits and how complete the answers are."""
    import datetime

    tr = translator(r.language)
    from .rules import liked_types

    lang = r.language
    meta = r.meta or {}
    name = r.answers.respondent if r.answers.respondent and r.answers.respondent != meta.get("session") else None
    country_q = r.bank.education("country")
    country_name = next((o.text.get(lang, o.text["en"]) for o in (country_q.options if country_q else ())
                         if o.id == r.country), r.country)
    return {"r": r, "tr": tr, "RIASEC": RIASEC, "lang": lang, "code": shown_code(r.profile),
            "liked": liked_types(shown_code(r.profile), r.profile.scores), "level_filter": level_filter_text(r),
            "types": r.bank.types, "flags": r.flag_texts(), "confidence": _confidence(r.profile.confidence, lang),
            "name": name, "country_name": country_name, "date": meta.get("date") or datetime.date.today().isoformat(),
            "counsellor": bool(meta.get("counsellor")), "education": _education_answers(r),
            "traits": sorted(((r.bank.traits[t].name.get(lang, t) if t in r.bank.traits else t, v)
                              for t, v in r.profile.traits.items()), key=lambda kv: -kv[1]),
            "completeness": _completeness(r)}


def _education_answers(r: "Result") -> list[tuple[str, str]]:
    """The education questions and the student's answers, as text in the result's language."""
    from .questions import UNSURE

    tr = translator(r.language)
    lang = r.language
    rows = []
    for q in r.bank.by_block("education"):
        value = r.answers.values.get(q.id)
        option = next((o for o in q.options if o.id == value), None)
        answer = option.text.get(lang, option.text["en"]) if option else (tr("not sure") if value == UNSURE else "–")
        rows.append((q.text.get(lang, q.text["en"]), answer))
    return rows


def _completeness(r: "Result") -> dict[str, int]:
    from .explain import completeness

    return completeness(r.answers.values, r.answers.form, r.bank)


def render_markdown(r: "Result") -> str:
    from .sources import sources_text

    env = _jinja()
    env.autoescape = False  # Markdown is plain text; it is never rendered as HTML by us
    return env.get_template("result.md.j2").render(**_context(r), about=sources_text(r.language))


def render_html(results: list["Result"]) -> str:
    from .sources import sources_text

    language = results[0].language if results else "en"
    return _jinja().get_template("report.html.j2").render(
        results=[_context(r) for r in results], tr=translator(language), about=sources_text(language),
        lang=language, hexagon=hexagon_points)


def render_group_summary(group: str, summary: dict[str, Any], fmt: str, lang: str, names: bool = False,
                         bom: bool = False) -> str:
    """A group summary (:func:`counsellor.group_summary`) as ``table``, ``json``, ``html``,
    ``markdown`` or ``csv`` (the roster, one row per student)."""
    if fmt == "json":
        return json.dumps({"group": group, **summary}, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        from .counsellor import roster_rows
        from .csvout import csv_text

        return csv_text(*roster_rows(summary, names), bom=bom)
    if fmt in ("html", "markdown"):
        from .sources import sources_text

        env = _jinja()
        if fmt == "markdown":
            env.autoescape = False  # user text goes through the md filter instead
        name = "group.html.j2" if fmt == "html" else "group.md.j2"
        return env.get_template(name).render(group=group, s=summary, tr=translator(lang), lang=lang, names=names,
                                             about=sources_text(lang))
    return _group_table(group, summary, lang, names)


def _group_table(group: str, s: dict[str, Any], lang: str, names: bool = False) -> str:
    import sys

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .explain import number

    tr = translator(lang)
    buffer = _TextBuffer()
    buffer.encoding = "utf-8" if shows_unicode(sys.stdout, unknown=True) else "ascii"  # ASCII boxes then
    console = Console(file=buffer, width=120, color_system=None)
    line = (f"{tr('Group summary')}: {group} — {tr('Date')}: {s['generated_at']} — {tr('Students')}: {s['students']}, "
            f"{tr('Scored')}: {s['scored']}")
    if s["unfinished"]:
        line += f", {tr('Not finished')}: {len(s['unfinished'])}"
    console.print(Text(line, style="bold"))
    roster = Table(title=tr("Students"))
    for column in [tr("Session")] + ([tr("Name")] if names else []) + [tr("Code"), tr("Confidence"), tr("Flags"),
                                                                         tr("Top 3"), tr("First education step"), tr("Answered")]:
        roster.add_column(column)
    for r in s["roster"]:
        roster.add_row(*[Text(c) for c in [r["session"]] + ([r.get("name") or ""] if names else []) + [
            r["code"] or "–", r["confidence_text"], ", ".join(r["flag_labels"]),
            "\n".join(f"{i}. {t['title']}" for i, t in enumerate(r["top3"], 1)), r["first_step"],
            f"{r['answered']}/{r['questions']}"]])
    console.print(roster)
    console.print(Text(tr("Not finished"), style="bold"))
    for u in s["unfinished"]:
        who = f" {u.get('name') or ''}" if names else ""
        console.print(Text(f"  {u['session']}{who}  {u['date']}  {u['answered']}  {u['resume']}"))
    if not s["unfinished"]:
        console.print(Text("  " + tr("Everyone has finished.")))
    console.print(Text(tr("Talk to first"), style="bold"))
    for t in s["talk_first"]:
        who = f" ({t['name']})" if names and t.get("name") else ""
        console.print(Text(f"  {t['session']}{who}: {', '.join(t['reasons'])}"))
    if not s["talk_first"]:
        console.print(Text("  " + tr("No profile stands out as uncertain.")))
    if s["invalid"]:
        console.print(Text(tr("Profiles that cannot be read") + " (" + tr("Left out of the figures below.") + ")", style="bold"))
        for t in s["invalid"]:
            who = f" ({t['name']})" if names and t.get("name") else ""
            console.print(Text(f"  {t['session']}{who}: {', '.join(t['reasons'])}"))
    table = Table(title=tr("Interest types"))
    for column in (tr("Type"), tr("Top letter"), tr("Mean"), tr("Median"), "Q1–Q3", tr("Range")):
        table.add_column(column)
    for t, q in s["types"].items():
        cells = [f"{t} {s['type_names'].get(t, '')}", str(s["first_letter"][t])]
        n = lambda v: number(v, lang)  # noqa: E731
        cells += [n(q["mean"]), n(q["median"]), f"{n(q['q1'])}–{n(q['q3'])}", f"{n(q['min'])}–{n(q['max'])}"] if q else ["", "", "", ""]
        table.add_row(*cells)
    console.print(table)
    console.print(Text(tr("Holland codes") + ": " + ", ".join(f"{c} ({n})" for c, n in s["holland_codes"])))
    console.print(Text(tr("Occupations most often in a top 10") + ":"))
    for o in s["occupations"]:
        console.print(Text(f"  {o['students']:3}  {o['title']}"))
    console.print(Text(tr("Education ambitions") + ": " + ", ".join(f"{lvl} ({n})" for lvl, n in s["ambitions"])))
    return console.file.getvalue()  # type: ignore[attr-defined]


def hexagon_points(scores: dict[str, float], radius: float = 90.0, cx: float = 120.0, cy: float = 110.0) -> dict[str, Any]:
    """Points of the RIASEC hexagon (outline, profile polygon, label positions) for SVG."""
    import math

    out: dict[str, Any] = {"outline": [], "profile": [], "labels": []}
    for i, t in enumerate(RIASEC):
        angle = math.radians(-90 + 60 * i)
        x, y = math.cos(angle), math.sin(angle)
        out["outline"].append(f"{cx + radius * x:.1f},{cy + radius * y:.1f}")
        k = radius * max(scores[t], 2) / 100
        out["profile"].append(f"{cx + k * x:.1f},{cy + k * y:.1f}")
        out["labels"].append((t, round(cx + (radius + 14) * x, 1), round(cy + (radius + 14) * y + 4, 1)))
    return out


def not_recommended_text(occ: "Occupation", country: str, lang: str) -> str:
    """Why this occupation is never in the match list for ``country`` ("" when it can be)."""
    from .explain import not_recommended_text as text

    return text(occ.not_recommended[0], lang) if occ.not_recommended and occ.left_out_in(country) else ""


def print_occupation(occ: "Occupation", catalogue: "Catalogue", bank: "QuestionBank", lang: str, country: str,
                     console: Any = None, plain: bool = False) -> None:
    """One occupation in full. ``plain``: for a screen reader, no bullets or arrows."""
    from rich.console import Console
    from rich.text import Text

    from .explain import number

    tr = translator(lang)
    console = console or Console()
    console.print(Text(terminal_safe(occ.title(lang)), style="bold"))
    names = {"en": tr("English"), "nb": tr("Norwegian"), "da": tr("Danish")}
    console.print(Text(terminal_safe(tr("In other languages: ") + ", ".join(
        f"{names[code]} {occ.titles[code]}" for code in ("en", "nb", "da") if code != lang))))
    why = not_recommended_text(occ, country, lang)
    if why:
        console.print(Text("! " + why, style="yellow"))
    if occ.summary:
        console.print(Text(terminal_safe(occ.summary[lang])))
    if occ.work_styles_source:
        console.print(Text(tr("O*NET has no work-style figures for this job; they are estimated from similar jobs.")))
    if occ.tasks:
        console.print(Text(tr("Typical tasks"), style="bold"))
        for task in occ.tasks[lang]:
            console.print(Text(f"  {'' if plain else '• '}{terminal_safe(task)}"))
    if occ.workplaces:
        console.print(Text(tr("Where you work: ") + " · ".join(occ.workplaces[lang])))  # items hold commas
    if occ.alt_titles.get(lang):
        console.print(Text(tr("Also called: ") + ", ".join(occ.alt_titles[lang])))
    if occ.key_traits:
        traits = [bank.traits[t].name[lang].lower() for t in occ.key_traits if t in bank.traits]
        console.print(Text(tr("Matters most: ") + ", ".join(traits)))
    interests = " · ".join(f"{t} {number(v, lang, 1)}" for t, v in zip(RIASEC, occ.interests))  # no comma: 7,0
    console.print(Text(tr("Interest profile (O*NET, 1–7): ") + interests + f"  ({occ.high_point})"))
    codes = occ.codes
    source = occ.codes.get("figures_from") or []
    line = f"O*NET {occ.onet}" if occ.onet else tr("Figures from O*NET: ") + ", ".join(source)
    if codes.get("isco08"):
        line += f" · ISCO-08 {codes['isco08']}"
    # each country's own classification on its language's screens; English shows both
    if codes.get("styrk08") and lang in ("en", "nb"):
        line += f" · STYRK-08 {codes['styrk08']['code']} {codes['styrk08']['title']}"
    if codes.get("disco08") and lang in ("en", "da"):
        line += f" · DISCO-08 {codes['disco08']['code']} {codes['disco08']['title']}"
    console.print(Text(line))
    from .earnings import earnings_text

    pay = earnings_text(occ, lang)
    if pay:
        console.print(Text(pay))
    country_q = bank.education("country")
    country_names = {o.id: o.text.get(lang, o.text["en"]) for o in country_q.options} if country_q else {}
    where = country_names.get(country, country)
    if country == "other":  # "Another country" is an answer; inside the heading it is not a name
        where = where[:1].lower() + where[1:]
    console.print(Text(tr("Education path") + f" ({where})", style="bold"))
    if catalogue.path_is_outline(occ, country):
        console.print(Text(tr(OUTLINE_NOTE), style="italic"))
    for i, step in enumerate(catalogue.path(occ, country), start=1):
        years = " – " + years_text(step.years, lang) if step.years else ""
        console.print(Text(f"  {i}. {step_label(step, lang, tr)}{years}"))
        if step.authorisation:
            console.print(Text(("     " if plain else "     → ") + authorisation_label(step, lang)))
    if occ.next_steps:
        titles = [catalogue.occupations[i].title(lang) for i in occ.next_steps if i in catalogue.occupations]
        console.print(Text(tr("Next career steps: ") + ", ".join(titles)))


def _print_code(console, r: "Result", tr, style: str = "") -> None:
    """'Holland code: RIS   Confidence: medium' (one line in both result views)."""
    from rich.text import Text

    p = r.profile
    console.print(Text(tr("Holland code: {code}   Confidence: {confidence}").format(
        code=shown_code(p) or "–", confidence=_confidence(p.confidence, r.language)), style=style))


def _print_flags(console, r: "Result", short: bool = False) -> None:
    from rich.text import Text

    from .explain import flag_short

    texts = [flag_short(f, r.language) for f in r.profile.flags] if short else r.flag_texts()
    for text in texts:
        console.print(Text("! " + text, style="yellow", no_wrap=short, overflow="ellipsis"))


def _print_filter_or_none(console, r: "Result", tr) -> bool:
    """The level filter line; False (after saying so) when there are no matches to list."""
    from rich.text import Text

    if not r.matches:
        console.print(Text(tr("No matches to show."), style="bold"))
        return False
    if r.max_isced is not None:
        console.print(Text(level_filter_text(r)))
    return True


def columns_text(table: list[list[str]]) -> str:
    """Rows of text cells in aligned columns, the first row as the header."""
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in text)

    widths = [max(width(row[i]) for row in table) for i in range(len(table[0]))]
    lines = ["  ".join(cell + " " * (w - width(cell)) for cell, w in zip(row, widths)).rstrip() for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def groups_text(groups: list[tuple[str, int]], lang: str) -> str:
    """``groups list``: each group with its number of sessions; when there are none, how a
    session gets a group (text safe for a terminal)."""
    tr = translator(lang)
    if not groups:
        return tr("No groups yet. Sessions get a group with --group, e.g. 'jobkompas quiz --session --group 10B' or 'jobkompas import --group 10B FILE…'.") + "\n"
    table = [[tr("Group"), tr("Sessions")]] + [[name, str(count)] for name, count in groups]
    return terminal_safe(columns_text(table)) + "\n"


def sessions_text(rows: list[dict[str, Any]], catalogue: "Catalogue | None", lang: str, names: bool) -> str:
    """``sessions list``: finished sessions and unfinished quizzes in columns, then how to
    continue each unfinished quiz (text safe for a terminal)."""
    from .counsellor import local_time

    tr = translator(lang)
    table = [[tr("Session"), tr("Group"), tr("Date"), tr("Code"), tr("Top match")] + ([tr("Name")] if names else [])]
    waiting = [r for r in rows if r["status"] == "unfinished"]
    for r in rows:
        if r["status"] == "unfinished":
            done = tr("unfinished: {n} of {m} answered").format(n=r["answered"], m=r["questions"]) if r["questions"] \
                else tr("unfinished: {n} answered").format(n=r["answered"])
            code = "–"
        else:
            occ = catalogue.occupations.get(r["top_match"]) if catalogue and r["top_match"] else None
            done = occ.title(lang) if occ else (r["top_match"] or "–")
            code = r["holland_code"] or "–"
        table.append([r["session"], r["group"] or "–", local_time(r["created_at"]), code, done]
                     + ([r.get("name") or ""] if names else []))
    if len(table) == 1:
        return tr("No sessions yet.") + "\n"
    text = terminal_safe(columns_text(table)) + "\n"
    if waiting:
        text += "\n" + tr("To continue an unfinished quiz:") + "\n"
        text += "".join(f"  {r['session']}  {r['resume']}\n" for r in waiting)
    return text


def print_session(console: Any, session: Any, r: "Result", names: bool) -> None:
    """``sessions show``: id, group, date (and with ``names`` the display name), the result and
    the counsellor's notes, numbered."""
    import sys

    from rich.text import Text

    from .counsellor import local_time

    header = f"{session.id}  {session.group or ''}  {local_time(session.created_at)}"
    header += f"  {session.display_name}" if names and session.display_name else ""
    console.print(Text(terminal_safe(header), style="bold"))
    print_result(console, r, ascii_only=not shows_unicode(sys.stdout, unknown=True))
    notes = (r.meta or {}).get("notes") or []
    if notes:
        console.print(Text(translator(r.language)("Counsellor notes"), style="bold"))
    for number, (when, text) in enumerate(notes, start=1):
        console.print(Text(f"{number}. {when}  " + terminal_safe(text).replace("\n", "\n    ")))


def print_profile(console: Any, r: "Result", plain: bool) -> None:
    """The whole interest profile: a bar per type, the liked types described, flags and how
    sure the list is (the quiz's results menu)."""
    from rich.text import Text

    from .explain import number
    from .rules import liked_types

    tr = translator(r.language)
    lang = r.language
    console.print()
    console.print(Text(tr("Your interest profile"), style="bold"))
    width = max(10, min(30, console.width - 40))
    ascii_only = not shows_unicode(console.file, unknown=False)
    for t in RIASEC:
        name = r.bank.types[t].name.get(lang, t) if t in r.bank.types else t
        graph = "" if plain else bar(r.profile.scores[t], width, ascii_only) + " "
        console.print(Text(f"  {t} {name:<14} {graph}{number(r.profile.scores[t], lang, 1):>5}"))
    for t in liked_types(shown_code(r.profile), r.profile.scores):
        if t in r.bank.types:
            tt = r.bank.types[t]
            console.print(Text(f"  {t} – {tt.name.get(lang)}: {tt.description.get(lang)}"))
    for text in r.flag_texts():
        console.print(Text("! " + text, style="yellow"))
    if r.matches and r.matches[0].rank == 1:
        console.print(Text(r.certainty_text()))
