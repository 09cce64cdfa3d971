"""Turning results, occupations and group summaries into text: rich tables, JSON, CSV, Markdown and HTML."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

from .i18n import translator
from .questions import RIASEC
from .streams import shows_unicode

if TYPE_CHECKING:
    from .api import Result
    from .catalogue import Catalogue, Occupation
    from .questions import QuestionBank


def occupation_dict(occ: "Occupation", catalogue: "Catalogue", lang: str, full: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": occ.id, "titles": occ.titles, "title": occ.title(lang), "codes": occ.codes,
        "interests": dict(zip(RIASEC, occ.interests)), "high_point": occ.high_point,
        "job_zone": occ.job_zone, "isced": occ.isced, "curated": occ.curated,
        "paths": {c: [{"kind": s.kind, "years": s.years, "text": s.text} for s in catalogue.path(occ, c)]
                  for c in ("norway", "denmark", "other")},
    }
    if full:
        data.update({
            "work_styles": occ.work_styles, "traits": {k: round(v, 2) for k, v in occ.traits.items()},
            "related": occ.related, "alt_titles": occ.alt_titles, "summary": occ.summary,
            "tasks": occ.tasks, "workplaces": occ.workplaces, "key_traits": occ.key_traits,
            "next_steps": occ.next_steps,
        })
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
    console.print(Text(tr("Your interest profile") + (f" — {r.answers.respondent}" if r.answers.respondent else ""), style="bold"))
    for t in RIASEC:
        name = r.bank.types[t].name.get(lang, t) if t in r.bank.types else t
        console.print(Text(f"  {t} {name:<14} {bar(p.scores[t], width, ascii_only)} {number(p.scores[t], lang, 1):>5}"))
    console.print(Text(tr("Holland code: {code}   Confidence: {confidence}").format(
        code=shown_code(p) or "–", confidence=_confidence(p.confidence, lang)), style="bold"))
    for t in shown_code(p):
        if t in r.bank.types:
            tt = r.bank.types[t]
            console.print(Text(f"  {t} – {tt.name.get(lang)}: {tt.description.get(lang)}"))
    for text in r.flag_texts():
        console.print(Text("! " + text, style="yellow"))
    if not r.matches:
        console.print(Text(tr("No matches to show."), style="bold"))
        return
    if not detail:  # narrow terminal: a list keeps the reasons readable
        console.print(Text(tr("Your top matches"), style="bold"))
        for m in r.matches:
            console.print(Text(f"{m.rank:2}. {m.occupation.title(lang)} — {m.score:.0f}", style="bold"))
            for reason, text in zip(m.match.reasons, m.reasons):
                console.print(Text(("   + " if reason.positive else "   – ") + text))
            console.print(Text("   " + path_line(m, lang, tr)))
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
        table.add_row(Text(str(m.rank)), Text(m.occupation.title(lang)), Text(f"{m.score:.0f}"), Text(why))
    console.print(table)


def path_line(m: Any, lang: str, tr: Any) -> str:
    """'Path: Vg1 … (1 yr) → … ' for one match, in the chosen language."""
    from .explain import number

    steps = [s.text.get(lang, s.text["en"]) + (f" ({number(s.years, lang)})" if s.years else "") for s in m.path]
    return tr("Path (years): ") + " → ".join(steps)


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
    env.filters["number"] = number  # number(value, lang[, decimals]): the decimal comma in nb/da
    env.filters["md"] = md_escape
    env.filters["md_lines"] = md_lines
    return env


def shown_code(profile: Any) -> str:
    """The Holland code to show: none when all six types score the same (its letters would
    only be the order R I A S E C, not the student's). JSON keeps the field as it is."""
    return "" if "no_variation" in profile.flags else profile.holland


def _context(r: "Result") -> dict[str, Any]:
    """What a report shows of one result. The student's name only when the result carries one
    (a session report without --include-names carries the session id instead); the
    counsellor's copy adds education answers, traits and how complete the answers are."""
    import datetime

    tr = translator(r.language)
    lang = r.language
    meta = r.meta or {}
    name = r.answers.respondent if r.answers.respondent and r.answers.respondent != meta.get("session") else None
    country_q = r.bank.education("country")
    country_name = next((o.text.get(lang, o.text["en"]) for o in (country_q.options if country_q else ())
                         if o.id == r.country), r.country)
    return {"r": r, "tr": tr, "RIASEC": RIASEC, "lang": lang, "code": shown_code(r.profile),
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


def print_occupation(occ: "Occupation", catalogue: "Catalogue", bank: "QuestionBank", lang: str, country: str,
                     console: Any = None) -> None:
    from rich.console import Console
    from rich.text import Text

    from .explain import number

    tr = translator(lang)
    console = console or Console()
    console.print(Text(occ.title(lang), style="bold"))
    others = [occ.titles[l] for l in ("en", "nb", "da") if l != lang]
    console.print(Text(" / ".join(others)))
    if occ.summary:
        console.print(Text(occ.summary[lang]))
    if occ.tasks:
        console.print(Text(tr("Typical tasks"), style="bold"))
        for task in occ.tasks[lang]:
            console.print(Text(f"  • {task}"))
    if occ.workplaces:
        console.print(Text(tr("Where you work: ") + " · ".join(occ.workplaces[lang])))  # items hold commas
    if occ.alt_titles.get(lang):
        console.print(Text(tr("Also called: ") + ", ".join(occ.alt_titles[lang])))
    if occ.key_traits:
        names = [bank.traits[t].name[lang].lower() for t in occ.key_traits if t in bank.traits]
        console.print(Text(tr("Matters most: ") + ", ".join(names)))
    interests = " · ".join(f"{t} {number(v, lang, 1)}" for t, v in zip(RIASEC, occ.interests))  # no comma: 7,0
    console.print(Text(tr("Interest profile (O*NET, 1–7): ") + interests + f"  ({occ.high_point})"))
    codes = occ.codes
    line = f"O*NET {occ.onet}"
    if codes.get("isco08"):
        line += f" · ISCO-08 {codes['isco08']}"
    if codes.get("styrk08"):
        line += f" · STYRK-08 {codes['styrk08']['code']} {codes['styrk08']['title']}"
    if codes.get("disco08"):
        line += f" · DISCO-08 {codes['disco08']['code']} {codes['disco08']['title']}"
    console.print(Text(line))
    country_q = bank.education("country")
    names = {o.id: o.text.get(lang, o.text["en"]) for o in country_q.options} if country_q else {}
    where = names.get(country, country)
    if country == "other":  # "Another country" is an answer; inside the heading it is not a name
        where = where[:1].lower() + where[1:]
    console.print(Text(tr("Education path") + f" ({where})", style="bold"))
    for i, step in enumerate(catalogue.path(occ, country), start=1):
        years = f" – {number(step.years, lang)} " + tr("years") if step.years else ""
        console.print(Text(f"  {i}. {step.text[lang]}{years}"))
    if occ.next_steps:
        names = [catalogue.occupations[i].title(lang) for i in occ.next_steps if i in catalogue.occupations]
        console.print(Text(tr("Next career steps: ") + ", ".join(names)))
