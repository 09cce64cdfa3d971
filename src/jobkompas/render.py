"""Turning results, occupations and group summaries into text: rich tables, JSON, CSV, Markdown and HTML."""

from __future__ import annotations

import csv
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
        "review": {"text": occ.review.get("text"), "paths": occ.review.get("paths", "template")},
    }
    if full:
        data.update({
            "work_styles": occ.work_styles, "traits": {k: round(v, 2) for k, v in occ.traits.items()},
            "related": occ.related, "alt_titles": occ.alt_titles, "summary": occ.summary,
            "tasks": occ.tasks, "workplaces": occ.workplaces, "key_traits": occ.key_traits,
            "next_steps": occ.next_steps,
        })
    from .earnings import for_occupation

    data["earnings_norway"] = for_occupation(occ)
    return data


def render_results(results: list["Result"], fmt: str) -> str:
    if fmt == "json":
        docs = [r.to_dict() for r in results]
        return json.dumps(docs[0] if len(docs) == 1 else docs, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        top = max((len(r.matches) for r in results), default=0)
        writer.writerow(batch_header(top))
        for r in results:
            writer.writerow(batch_row(r, r.answers.respondent or r.answers.source, top))
        return buffer.getvalue()
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


def _jinja():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("jobkompas", "templates"),
                      autoescape=select_autoescape(["html", "xml", "j2"]), trim_blocks=True, lstrip_blocks=True)
    env.globals["zip"] = zip
    from .explain import number

    env.filters["years"] = number
    env.globals["step_label"] = step_label
    env.globals["authorisation_label"] = authorisation_label
    env.globals["OUTLINE_NOTE"] = OUTLINE_NOTE
    env.filters["number"] = number  # number(value, lang[, decimals]): the decimal comma in nb/da
    from .earnings import earnings_text

    env.filters["earnings"] = earnings_text  # occupation|earnings(lang): '' where SSB has no figure
    return env


def shown_code(profile: Any) -> str:
    """The Holland code to show: none when all six types score the same (its letters would
    only be the order R I A S E C, not the student's). JSON keeps the field as it is."""
    return "" if "no_variation" in profile.flags else profile.holland


def _context(r: "Result") -> dict[str, Any]:
    tr = translator(r.language)
    return {"r": r, "tr": tr, "RIASEC": RIASEC, "lang": r.language, "code": shown_code(r.profile),
            "types": r.bank.types, "flags": r.flag_texts(), "confidence": _confidence(r.profile.confidence, r.language)}


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


def render_group_summary(group: str, summary: dict[str, Any], fmt: str, lang: str) -> str:
    """A group summary (:func:`counsellor.group_summary`) as ``table``, ``json`` or ``html``."""
    if fmt == "json":
        return json.dumps({"group": group, **summary}, ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        from .sources import sources_text

        return _jinja().get_template("group.html.j2").render(group=group, s=summary, tr=translator(lang),
                                                             lang=lang, about=sources_text(lang))
    return _group_table(group, summary, lang)


def _group_table(group: str, s: dict[str, Any], lang: str) -> str:
    import sys

    from rich.console import Console
    from rich.table import Table

    from .explain import number

    tr = translator(lang)
    buffer = _TextBuffer()
    buffer.encoding = "utf-8" if shows_unicode(sys.stdout, unknown=True) else "ascii"  # ASCII boxes then
    console = Console(file=buffer, width=100, color_system=None)
    console.print(f"{tr('Group summary')}: {group} — {tr('Students')}: {s['students']}, {tr('Scored')}: {s['scored']}",
                  markup=False)
    table = Table(title=tr("Interest types"))
    for column in ("", tr("Top letter"), tr("Mean"), tr("Median"), "Q1–Q3", tr("Range")):
        table.add_column(column)
    for t, q in s["types"].items():
        cells = [f"{t} {s['type_names'].get(t, '')}", str(s["first_letter"][t])]
        n = lambda v: number(v, lang)  # noqa: E731
        cells += [n(q["mean"]), n(q["median"]), f"{n(q['q1'])}–{n(q['q3'])}", f"{n(q['min'])}–{n(q['max'])}"] if q else ["", "", "", ""]
        table.add_row(*cells)
    console.print(table)
    console.print(tr("Holland codes") + ": " + ", ".join(f"{c} ({n})" for c, n in s["holland_codes"]), markup=False)
    console.print(tr("Occupations most often in a top 10") + ":", markup=False)
    for o in s["occupations"]:
        console.print(f"  {o['students']:3}  {o['title']}", markup=False)
    console.print(tr("Education ambitions") + ": " + ", ".join(f"{lvl} ({n})" for lvl, n in s["ambitions"]), markup=False)
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
    source = occ.codes.get("figures_from") or []
    line = f"O*NET {occ.onet}" if occ.onet else tr("Figures from O*NET: ") + ", ".join(source)
    if codes.get("isco08"):
        line += f" · ISCO-08 {codes['isco08']}"
    if codes.get("styrk08"):
        line += f" · STYRK-08 {codes['styrk08']['code']} {codes['styrk08']['title']}"
    if codes.get("disco08"):
        line += f" · DISCO-08 {codes['disco08']['code']} {codes['disco08']['title']}"
    console.print(Text(line))
    from .earnings import earnings_text

    pay = earnings_text(occ, lang)
    if pay:
        console.print(Text(pay))
    country_q = bank.education("country")
    names = {o.id: o.text.get(lang, o.text["en"]) for o in country_q.options} if country_q else {}
    where = names.get(country, country)
    if country == "other":  # "Another country" is an answer; inside the heading it is not a name
        where = where[:1].lower() + where[1:]
    console.print(Text(tr("Education path") + f" ({where})", style="bold"))
    if catalogue.path_is_outline(occ, country):
        console.print(Text(tr(OUTLINE_NOTE), style="italic"))
    for i, step in enumerate(catalogue.path(occ, country), start=1):
        years = f" – {number(step.years, lang)} " + tr("years") if step.years else ""
        console.print(Text(f"  {i}. {step_label(step, lang, tr)}{years}"))
        if step.authorisation:
            console.print(Text("     → " + authorisation_label(step, lang)))
    if occ.next_steps:
        names = [catalogue.occupations[i].title(lang) for i in occ.next_steps if i in catalogue.occupations]
        console.print(Text(tr("Next career steps: ") + ", ".join(names)))
