"""Command line: the only module that knows about argv and exit codes.

Imports stay light (typer and the standard library) so ``--version`` and ``--help`` are
fast; each command imports what it needs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from . import __version__
from .errors import ExitCode, JobkompasError, UsageError
from .streams import report_row_error, report_rows_done, shows_unicode, terminal_safe

app = typer.Typer(
    name="jobkompas",
    help="A career-choice quiz: your interests, how you like to work and your education, "
    "matched against ~900 occupations with Nordic names and education paths.",
    add_completion=False,
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
questions_app = typer.Typer(help="List the questions in the bank.", no_args_is_help=True)
occupations_app = typer.Typer(help="Browse the occupation catalogue.", no_args_is_help=True)
sessions_app = typer.Typer(help="Counsellor sessions kept on this machine.", no_args_is_help=True)
groups_app = typer.Typer(help="Summaries of a group (class) of sessions.", no_args_is_help=True)
app.add_typer(questions_app, name="questions")
app.add_typer(occupations_app, name="occupations")
app.add_typer(sessions_app, name="sessions")
app.add_typer(groups_app, name="groups")

LANG_HELP = "Language: en, nb (Norwegian Bokmål) or da (Danish). Default: from the locale."
COUNTRY_HELP = "Country for education paths and levels (and which jobs can be recommended there): norway, denmark or other."
BOM_HELP = "CSV: start with a UTF-8 byte order mark, so that Excel shows æ, ø and å correctly."
QUIZ_FORMS = ("mini", "standard", "full", "adaptive")
LANGUAGE_CODES = ("en", "nb", "da")  # resources.LANGUAGES, kept here so --help imports nothing
SCORE_FORMATS = ("table", "json", "csv", "markdown", "html")
BATCH_FORMATS = ("csv", "jsonl")
EXPORT_FORMATS = ("csv", "json")
SUMMARY_FORMATS = ("table", "json", "html", "markdown", "csv")
REPORT_FORMATS = ("html", "markdown")


def _choices(values: tuple[str, ...]) -> str:
    """The metavar that lists an option's choices in --help; the value is checked by
    _check_choice, whose message names the option and the choices."""
    return "[" + "|".join(values) + "]"


# Options shared by several commands, declared once.
LangOption = Annotated[Optional[str], typer.Option("--lang", metavar=_choices(LANGUAGE_CODES), help=LANG_HELP)]
CountryOption = Annotated[Optional[str], typer.Option("--country", metavar=_choices(("norway", "denmark", "other")),
                                                      help=COUNTRY_HELP)]
OutOption = Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file instead of standard output.")]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON on stdout.")]
BomOption = Annotated[bool, typer.Option("--bom", help=BOM_HELP)]
GroupFilterOption = Annotated[Optional[str], typer.Option("--group", help="Only this group.")]
QuizFormOption = Annotated[Optional[str], typer.Option("--form", metavar=_choices(QUIZ_FORMS),
                                                       help="Quiz length: mini (~5 min), standard, full or adaptive.")]
ResumeOption = Annotated[bool, typer.Option("--resume", help="Continue the saved unfinished quiz without asking.")]
FreshOption = Annotated[bool, typer.Option("--fresh", help="Start over, discarding a saved unfinished quiz.")]
PlainOption = Annotated[bool, typer.Option("--plain", help="Numbered line prompts (screen readers, dumb terminals, piped input).")]


def _version(value: bool) -> None:
    if value:
        print(f"jobkompas {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
    questions: Optional[Path] = typer.Option(None, "--questions", envvar="JOBKOMPAS_QUESTIONS", help="Use another question bank directory."),
    occupations: Optional[Path] = typer.Option(None, "--occupations", envvar="JOBKOMPAS_OCCUPATIONS", help="Use another occupation directory."),
    lang: LangOption = None,
    form: QuizFormOption = None,
    resume: ResumeOption = False,
    fresh: FreshOption = False,
    plain: PlainOption = False,
) -> None:
    """Start the quiz when no command is given (the quiz options work here too)."""
    from .api import use_content

    use_content(questions=questions, occupations=occupations)
    if ctx.invoked_subcommand is None:
        quiz(lang=lang, form=form, country=None, answers=None, resume=resume, fresh=fresh, plain=plain,
             session=False, name=None, group=None, unfinished=None)


def _check_choice(option: str, value: Optional[str], allowed) -> None:
    """A flag's value must be one of ``allowed``: one message for every such flag."""
    if value is not None and value not in allowed:
        raise UsageError(f"{option} must be one of {', '.join(allowed)}; got {value!r}")


def _lang(lang: Optional[str]) -> str:
    from .i18n import detect_language
    from .resources import LANGUAGES

    chosen = detect_language(lang)
    _check_choice("--lang", chosen, LANGUAGES)
    return chosen


def _country(country: Optional[str]) -> Optional[str]:
    if country is None:
        return None
    from .api import COUNTRIES, COUNTRY_ALIASES

    value = COUNTRY_ALIASES.get(country.lower(), country.lower())
    _check_choice("--country", value, COUNTRIES)
    return value


# ---------------------------------------------------------------- quiz


@app.command()
def quiz(
    lang: LangOption = None,
    form: QuizFormOption = None,
    country: CountryOption = None,
    answers: Optional[Path] = typer.Option(None, "--answers", help="Prefill from an answer file; only missing questions are asked."),
    resume: ResumeOption = False,
    fresh: FreshOption = False,
    plain: PlainOption = False,
    session: bool = typer.Option(False, "--session", help="Keep the finished quiz as a counsellor session on this machine."),
    name: Optional[str] = typer.Option(None, "--name", help="Optional display name for the session (left out of exports)."),
    group: Optional[str] = typer.Option(None, "--group", help="Optional group (class), e.g. 10B."),
    unfinished: Optional[str] = typer.Option(None, "--unfinished", metavar="ID", help="Continue this unfinished session quiz (u-…, see 'sessions list'), keeping its name and group."),
) -> None:
    """Take the quiz in the terminal (the default command)."""
    from .wizard.flow import run_wizard

    if resume and fresh:
        raise UsageError("--resume and --fresh cannot be used together")
    _check_choice("--form", form, QUIZ_FORMS)
    if unfinished is not None and (name or group or fresh or answers):
        raise UsageError("--unfinished keeps the quiz's own name and group: leave out --name, --group, --fresh and --answers")
    if (name or group) and not session:
        raise UsageError("--name and --group need --session")
    on_finish = identity = None
    if session or unfinished is not None:
        identity = {"unfinished": unfinished} if unfinished is not None else {"name": name, "group": group}

        def on_finish(result, name: Optional[str], group: Optional[str]) -> str:
            from .counsellor import save_result
            from .store import Store

            with Store() as store:
                return save_result(store, result, name=name, group=group)
    run_wizard(lang=_lang(lang) if lang else None, form=form, country=_country(country),
               prefill=answers, resume=resume, fresh=fresh, plain=plain, on_finish=on_finish, session=identity)


# ---------------------------------------------------------------- scripted


@app.command()
def score(
    files: List[str] = typer.Argument(..., help="Answer files (YAML or JSON); '-' reads standard input."),
    fmt: str = typer.Option("table", "--format", "-f", metavar=_choices(SCORE_FORMATS), help="Output format."),
    top: int = typer.Option(10, "--top", min=1, max=200, help="How many matches to show."),
    lang: Optional[str] = typer.Option(None, "--lang", metavar=_choices(LANGUAGE_CODES),
                                       help=LANG_HELP + " Default: the answer file's language."),
    country: CountryOption = None,
    out: OutOption = None,
    bom: BomOption = False,
) -> None:
    """Score answer files and print the results (stdout only; messages on stderr)."""
    from . import api
    from .render import render_results

    _check_choice("--format", fmt, SCORE_FORMATS)
    if files.count("-") > 1:
        raise UsageError("standard input ('-') can be read only once")
    bank = api.load_bank()
    results = []
    for name in files:
        answers = api.read_answers(name, bank=bank)
        for warning in answers.warnings:
            print(f"jobkompas: warning: {warning}", file=sys.stderr)
        results.append(api.score(answers, top=top, country=_country(country),
                                 language=_lang(lang) if lang else None, bank=bank))
    _emit(render_results(results, fmt, bom=bom), out)


@app.command()
def batch(
    file: str = typer.Argument(..., help="CSV: an 'id' column and one column per question id; '-' reads standard input."),
    fmt: str = typer.Option("csv", "--format", "-f", metavar=_choices(BATCH_FORMATS), help="Output format."),
    top: int = typer.Option(10, "--top", min=1, max=50, help="Top occupations per respondent."),
    lang: LangOption = None,
    country: CountryOption = None,
    strict: bool = typer.Option(False, "--strict", help="Stop at the first bad row."),
    out: OutOption = None,
    bom: BomOption = False,
) -> None:
    """Score a whole class from one CSV, streaming; bad rows are reported and skipped."""
    from .batch import run_batch

    _check_choice("--format", fmt, BATCH_FORMATS)
    failed = run_batch(file, fmt=fmt, top=top, lang=_lang(lang) if lang else None,
                       country=_country(country), strict=strict, out=out, bom=bom)
    if failed:
        raise typer.Exit(int(ExitCode.PARTIAL))


@app.command()
def template(
    form: str = typer.Option("standard", "--form", help="mini, standard or full."),
    lang: LangOption = None,
    out: OutOption = None,
) -> None:
    """Write a ready-to-fill answer file with each question's text as a comment."""
    from . import api

    bank = api.load_bank()
    _check_choice("--form", form, tuple(bank.forms))
    _emit(api.answer_template(form, language=_lang(lang), bank=bank), out)


@questions_app.command("list")
def questions_list(
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Every question: id, block, dimension, forms, allowed values and texts."""
    from . import api

    bank = api.load_bank()
    rows = [{
        "id": q.id, "block": q.block, "dimension": q.dimension, "scale": q.scale,
        "forms": bank.forms_of(q.id), "allowed": q.allowed_values(), "text": q.text,
        **({"options": [{"id": o.id, "text": o.text, "isced": o.isced, "countries": list(o.countries)} for o in q.options]} if q.options else {}),
    } for q in bank.questions.values()]
    if as_json:
        _emit_json(rows)
        return
    language = _lang(lang)
    for row in rows:
        print(f"{row['id']:<22} {row['block']:<9} {row['dimension']:<14} {','.join(row['forms']):<20} {row['text'][language]}")


# ---------------------------------------------------------------- occupations


@occupations_app.command("list")
def occupations_list(
    as_json: JsonOption = False,
    lang: LangOption = None,
    curated: bool = typer.Option(False, "--curated", help="Only occupations with hand-written text."),
) -> None:
    """All occupations: id, title, Holland code, job zone."""
    from . import api
    from .render import occupation_dict

    catalogue = api.load_catalogue()
    language = _lang(lang)
    occs = [o for o in catalogue.occupations.values() if o.curated or not curated]
    occs.sort(key=lambda o: o.title(language).lower())
    if as_json:
        _emit_json([occupation_dict(o, catalogue, language, full=False) for o in occs])
        return
    for o in occs:
        print(f"{o.id:<48} {o.high_point:<4} {o.job_zone or '-'}  {o.title(language)}")


@occupations_app.command("search")
def occupations_search(
    text: str = typer.Argument(..., help="Any title or alternative title, in any language; typos are tolerated."),
    as_json: JsonOption = False,
    lang: LangOption = None,
    limit: int = typer.Option(10, "--limit", min=1, max=100),
) -> None:
    """Find occupations by title in English, Norwegian or Danish."""
    from . import api
    from .render import occupation_dict

    catalogue = api.load_catalogue()
    language = _lang(lang)
    hits = api.search(text, limit=limit, catalogue=catalogue)
    if as_json:
        _emit_json([{**occupation_dict(o, catalogue, language, full=False), "relevance": round(s, 3)} for o, s in hits])
        return
    if not hits:
        print(f"jobkompas: no occupation matches {text!r}", file=sys.stderr)
        raise typer.Exit(int(ExitCode.NOT_FOUND))
    for o, _ in hits:
        print(f"{o.id:<48} {o.title(language)}")


@occupations_app.command("show")
def occupations_show(
    occupation_id: str = typer.Argument(..., metavar="ID"),
    as_json: JsonOption = False,
    lang: LangOption = None,
    country: CountryOption = None,
) -> None:
    """One occupation in full: text, codes, figures and education paths."""
    from . import api
    from .errors import NotFoundError
    from .render import occupation_dict, print_occupation

    catalogue = api.load_catalogue()
    occ = catalogue.get(occupation_id)
    if occ is None:
        hint = api.search(occupation_id, limit=3, catalogue=catalogue)
        more = f"; did you mean {', '.join(o.id for o, _ in hint)}?" if hint else ""
        raise NotFoundError(f"no occupation with id {occupation_id!r}{more}")
    language = _lang(lang)
    if as_json:
        _emit_json(occupation_dict(occ, catalogue, language, full=True))
        return
    print_occupation(occ, catalogue, api.load_bank(), language, _country(country) or "norway")


# ---------------------------------------------------------------- content


@app.command()
def validate(
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only problems."),
) -> None:
    """Check the question bank and the catalogue; print every problem as file:line: message."""
    from . import api

    bank, catalogue, problems = api.check_content()
    for problem in problems:
        print(problem)
    if problems:
        print(f"jobkompas: {len(problems)} problem(s) found", file=sys.stderr)
        raise typer.Exit(int(ExitCode.CONTENT))
    if not quiet:
        curated = sum(o.curated for o in catalogue.occupations.values())
        print(f"jobkompas: ok: {len(bank.questions)} questions in {bank.directory}; "
              f"{len(catalogue)} occupations ({curated} hand-written) in {catalogue.directory}",
              file=sys.stderr)
        register = catalogue.register
        if register is not None:
            n = register.counts()
            print(f"jobkompas: programme register: {n['norway']} Norway, {n['denmark']} Denmark, "
                  f"{n['other']} elsewhere in {register.directory}", file=sys.stderr)
        c = catalogue.review_counts()
        print(f"jobkompas: paths: {c['paths_written']} written, {c['paths_checked']} checked, "
              f"{c['paths_template']} template-built; texts: {c['text_written']} written, "
              f"{c['text_checked']} checked, {c['text_none']} without", file=sys.stderr)


@app.command()
def about(lang: LangOption = None) -> None:
    """Sources, licences and where jobkompas keeps its files."""
    from .i18n import translator
    from .resources import occupations_dir, programmes_dir, questions_dir, user_cache_dir, user_data_dir
    from .sources import sources_text

    language = _lang(lang)
    tr = translator(language)
    print(f"jobkompas {__version__}\n")
    print(sources_text(language) + "\n")
    places = [(tr("Questions"), questions_dir()), (tr("Occupations"), occupations_dir()),
              (tr("Education programmes"), programmes_dir(occupations_dir())),
              (tr("Your data (sessions, unfinished quiz)"), user_data_dir()),
              (tr("Cache (safe to delete)"), user_cache_dir())]
    width = max(len(label) for label, _ in places) + 2
    for label, folder in places:
        print(f"{label + ':':<{width}}{folder}")




# ---------------------------------------------------------------- counsellor


@app.command("import")
def import_(
    files: List[str] = typer.Argument(..., help="Answer files, or batch CSV files (one student per row)."),
    group: Optional[str] = typer.Option(None, "--group", help="Group (class) for all imported sessions."),
    names: bool = typer.Option(False, "--names", help="Keep the respondent/id field as the display name."),
) -> None:
    """Store answer files or a batch CSV as sessions (scored now)."""
    from . import api
    from .counsellor import save_result
    from .errors import InputError
    from .store import Store

    bank = api.load_bank()
    # every file is read and checked before anything is stored: a bad file stores nothing
    items: list = []
    bad_files = 0
    for name in files:
        try:
            if name.lower().endswith(".csv"):
                items.extend(item for _, item in api.read_class_file(name, bank=bank))
            else:
                items.append(api.read_answers(name, bank=bank))
        except InputError as exc:
            report_row_error(exc)
            bad_files += 1
    if bad_files:
        raise InputError(f"nothing stored: {bad_files} of {len(files)} file(s) cannot be read (see above)")
    stored = failed = 0
    with Store() as store:
        for item in items:
            if isinstance(item, InputError):
                failed += 1
                report_row_error(item)
                continue
            result = api.score(item, bank=bank)
            session_id = save_result(store, result, name=item.respondent if names else None, group=group)
            print(session_id, flush=True)  # stored: a later failure leaves this one listed
            stored += 1
    report_rows_done("stored", stored, "session", failed)
    if failed:
        raise typer.Exit(int(ExitCode.PARTIAL))


@sessions_app.command("list")
def sessions_list(
    group: GroupFilterOption = None,
    as_json: JsonOption = False,
    names: bool = typer.Option(False, "--names", help="Show display names."),
    lang: LangOption = None,
) -> None:
    """Sessions, oldest first: id, group, date, Holland code, top match; then unfinished quizzes
    with the command that continues each."""
    from . import api
    from .counsellor import local_time, stored_code, unfinished, unfinished_row
    from .i18n import translator
    from .store import Store

    with Store() as store:
        sessions = store.list(group)
    rows = [{"session": s.id, "status": "finished", "group": s.group, "created_at": s.created_at,
             "holland_code": stored_code(s.result) or None,
             "top_match": ((s.result or {}).get("matches") or [{}])[0].get("id"),
             **({"name": s.display_name} if names else {})} for s in sessions]
    waiting = [unfinished_row(state, names) for state in unfinished(group)]
    if as_json:
        _emit_json(rows + waiting)
        return
    language = _lang(lang)
    tr = translator(language)
    catalogue = api.load_catalogue() if rows else None
    table = [[tr("Session"), tr("Group"), tr("Date"), tr("Code"), tr("Top match")] + ([tr("Name")] if names else [])]
    for r in rows:
        occ = catalogue.occupations.get(r["top_match"]) if catalogue and r["top_match"] else None
        table.append([r["session"], r["group"] or "–", local_time(r["created_at"]), r["holland_code"] or "–",
                      occ.title(language) if occ else (r["top_match"] or "–")] + ([r.get("name") or ""] if names else []))
    for r in waiting:
        done = tr("unfinished: {n} of {m} answered").format(n=r["answered"], m=r["questions"]) if r["questions"] \
            else tr("unfinished: {n} answered").format(n=r["answered"])
        table.append([r["session"], r["group"] or "–", local_time(r["created_at"]), "–", done]
                     + ([r.get("name") or ""] if names else []))
    if len(table) == 1:
        print(tr("No sessions yet."))
        return
    print(terminal_safe(_columns(table)))
    if waiting:
        print("\n" + tr("To continue an unfinished quiz:"))
        for r in waiting:
            print(f"  {r['session']}  {r['resume']}")


def _columns(table: list[list[str]]) -> str:
    """Rows of text cells in aligned columns, the first row as the header."""
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in text)

    widths = [max(width(row[i]) for row in table) for i in range(len(table[0]))]
    lines = ["  ".join(cell + " " * (w - width(cell)) for cell, w in zip(row, widths)).rstrip() for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


@sessions_app.command("show")
def sessions_show(
    session_id: str = typer.Argument(..., metavar="ID"),
    as_json: JsonOption = False,
    names: bool = typer.Option(False, "--names", help="Show the display name."),
) -> None:
    """One session: profile, matches and notes."""
    from .counsellor import export_json
    from .store import Store

    with Store() as store:
        session = store.get(session_id)
        if as_json:
            _emit_json(export_json([session], include_names=names, include_notes=True, store=store)[0])
            return
    result = _session_result(session, include_name=names)
    from rich.console import Console
    from rich.text import Text

    from .counsellor import local_time
    from .render import print_result

    console = Console()
    header = f"{session.id}  {session.group or ''}  {local_time(session.created_at)}"
    header += f"  {session.display_name}" if names and session.display_name else ""
    console.print(Text(terminal_safe(header), style="bold"))
    print_result(console, result, ascii_only=not shows_unicode(sys.stdout, unknown=True))
    if result.meta["notes"]:
        from .i18n import translator

        console.print(Text(translator(result.language)("Counsellor notes"), style="bold"))
    for number, (when, text) in enumerate(result.meta["notes"], start=1):
        console.print(Text(f"{number}. {when}  " + terminal_safe(text).replace("\n", "\n    ")))


@sessions_app.command("note")
def sessions_note(
    session_id: str = typer.Argument(..., metavar="ID"),
    text: str = typer.Argument(..., help="The note; line breaks are kept. '-' reads it from standard input."),
) -> None:
    """Add a counsellor note to a session (it may hold sensitive data: see docs/privacy.md)."""
    from .store import Store

    if text == "-":
        text = sys.stdin.read()
    text = text.replace("\r\n", "\n").strip("\n").rstrip()
    if not text.strip():
        raise UsageError("the note is empty; write something, or leave the session as it is")
    with Store() as store:
        store.add_note(session_id, text)
    print(f"jobkompas: note added to {session_id}", file=sys.stderr)


@sessions_app.command("delete-note")
def sessions_delete_note(
    session_id: str = typer.Argument(..., metavar="ID"),
    number: int = typer.Argument(..., metavar="N", help="The note's number, as 'sessions show' lists them (1 = oldest)."),
) -> None:
    """Delete one counsellor note for good (to correct a record; see docs/privacy.md)."""
    from .store import Store

    with Store() as store:
        store.delete_note(session_id, number)
    print(f"jobkompas: deleted note {number} of {session_id}", file=sys.stderr)


@sessions_app.command("rescore")
def sessions_rescore(session_id: str = typer.Argument(..., metavar="ID")) -> None:
    """Score a session again with the current catalogue and keep the new result."""
    from .counsellor import rescore
    from .store import Store

    with Store() as store:
        before = store.get(session_id).catalogue_version
        result = rescore(store, session_id)
    print(f"{session_id}: {result.profile.holland} (catalogue {before} -> {result.catalogue.version})")


@sessions_app.command("export")
def sessions_export(
    group: GroupFilterOption = None,
    fmt: str = typer.Option("csv", "--format", "-f", metavar=_choices(EXPORT_FORMATS), help="Output format."),
    include_names: bool = typer.Option(False, "--include-names", help="Include display names (left out by default)."),
    include_notes: bool = typer.Option(False, "--include-notes", help="Include counsellor notes (json only)."),
    out: OutOption = None,
    bom: BomOption = False,
) -> None:
    """Export sessions; names and notes stay out unless asked for."""
    import json

    from .counsellor import export_json, export_rows
    from .csvout import csv_text
    from .store import Store

    _check_choice("--format", fmt, EXPORT_FORMATS)
    with Store() as store:
        sessions = store.list(group)
        if fmt == "json":
            text = json.dumps(export_json(sessions, include_names, include_notes, store), ensure_ascii=False, indent=2) + "\n"
        else:
            text = csv_text(*export_rows(sessions, include_names), bom=bom)
    _emit(text, out)


@sessions_app.command("delete")
def sessions_delete(session_id: str = typer.Argument(..., metavar="ID")) -> None:
    """Delete one session and its notes (or an unfinished quiz, u-…) for good."""
    from .store import Store

    if session_id.startswith("u-"):
        from .counsellor import delete_unfinished
        from .errors import NotFoundError

        if not delete_unfinished(session_id):
            raise NotFoundError(f"no unfinished quiz {session_id!r} (see 'jobkompas sessions list')")
        print(f"jobkompas: deleted {session_id}", file=sys.stderr)
        return
    with Store() as store:
        store.delete(session_id)
    print(f"jobkompas: deleted {session_id}", file=sys.stderr)


@sessions_app.command("purge")
def sessions_purge(
    group: GroupFilterOption = None,
    older_than: Optional[str] = typer.Option(None, "--older-than", help="Only sessions older than this, e.g. 90d, 12w, 6m, 1y."),
    yes: bool = typer.Option(False, "--yes", help="Delete without asking (for scripts); needed too when neither --group nor --older-than narrows the purge."),
) -> None:
    """Delete many sessions (and unfinished quizzes) for good, after showing which and asking."""
    from .counsellor import local_time, purge_unfinished, unfinished_to_purge
    from .store import Store, parse_age

    if group is None and older_than is None and not yes:
        raise UsageError("this would delete every session; add --yes, or narrow it with --group / --older-than")
    try:
        age = parse_age(older_than) if older_than else None
    except ValueError as exc:
        raise UsageError(f"--older-than: {exc}") from None
    with Store() as store:
        doomed = store.purge_preview(group, age)
        waiting = unfinished_to_purge(group, age)
        if not doomed and not waiting:
            print("jobkompas: nothing to delete", file=sys.stderr)
            return
        print(f"jobkompas: this deletes {len(doomed)} session(s) and {len(waiting)} unfinished quiz(zes) for good:",
              file=sys.stderr)
        for s in doomed:
            print(terminal_safe(f"  {s.id}  {s.group or '-'}  {local_time(s.created_at)}"), file=sys.stderr)
        for w in waiting:
            print(terminal_safe(f"  {w.owner['id']}  {w.owner.get('group') or '-'}  "
                                f"{local_time(w.owner.get('created_at', ''))}"), file=sys.stderr)
        if not yes:
            if not (sys.stdin and sys.stdin.isatty()):
                raise UsageError("nothing deleted: add --yes to delete without asking")
            if not typer.confirm("Delete them?", default=False, err=True):
                print("jobkompas: nothing deleted", file=sys.stderr)
                return
        count = store.delete_many([s.id for s in doomed])  # what was shown, nothing added since
    count += purge_unfinished(waiting)
    print(f"jobkompas: deleted {count} session(s)", file=sys.stderr)


@groups_app.command("list")
def groups_list(as_json: JsonOption = False) -> None:
    """The groups (classes) kept on this machine, with how many sessions each has."""
    from .store import Store

    with Store() as store:
        groups = store.groups()
    if as_json:
        _emit_json([{"group": name, "sessions": count} for name, count in groups])
        return
    for name, count in groups:
        print(f"{name:<12} {count}")


@groups_app.command("summary")
def groups_summary(
    group: str = typer.Argument(..., help="The group (class), e.g. 10B."),
    fmt: str = typer.Option("table", "--format", "-f", metavar=_choices(SUMMARY_FORMATS), help="Output format (csv: the roster)."),
    lang: LangOption = None,
    include_names: bool = typer.Option(False, "--include-names", help="Show display names (left out by default)."),
    out: OutOption = None,
    bom: BomOption = False,
) -> None:
    """A class roster: every student with code, confidence, flags, top 3 and first education
    step; who has not finished; who to talk to first; codes, types and common matches."""
    from .counsellor import group_summary, unfinished
    from .errors import NotFoundError
    from .render import render_group_summary
    from .store import Store

    _check_choice("--format", fmt, SUMMARY_FORMATS)
    language = _lang(lang)
    with Store() as store:
        sessions = store.list(group)
    waiting = unfinished(group)
    if not sessions and not waiting:
        raise NotFoundError(f"no sessions in group {group!r} (see 'jobkompas sessions list')")
    summary = group_summary(sessions, language, include_names, waiting)
    _emit(render_group_summary(group, summary, fmt, language, include_names, bom), out)


@groups_app.command("report")
def groups_report(
    group: str = typer.Argument(..., help="The group (class), e.g. 10B."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the reports (created private to you if missing); one file per student, named by session id."),
    fmt: str = typer.Option("html", "--format", "-f", metavar=_choices(REPORT_FORMATS), help="Output format."),
    lang: LangOption = None,
    include_names: bool = typer.Option(False, "--include-names", help="Name each student in their report."),
    counsellor: bool = typer.Option(False, "--counsellor", help="Counsellor's copies (with notes); without it, the students' copies."),
) -> None:
    """One report per student of a group, written into a folder."""
    from .errors import NotFoundError, OutputError
    from .outfile import private_dir, write_text
    from .render import render_results
    from .store import Store

    _check_choice("--format", fmt, REPORT_FORMATS)
    language = _lang(lang) if lang else None
    with Store() as store:
        sessions = [store.get(s.id) for s in store.list(group)]
    if not sessions:
        raise NotFoundError(f"no sessions in group {group!r} (see 'jobkompas sessions list')")
    try:
        private_dir(out)
    except OSError as exc:
        raise OutputError(out, exc.strerror or str(exc)) from None
    suffix = ".html" if fmt == "html" else ".md"
    for session in sessions:
        result = _session_result(session, language, include_names)
        result.meta["counsellor"] = counsellor
        write_text(out / f"{session.id}{suffix}", render_results([result], fmt))
    print(f"jobkompas: wrote {len(sessions)} report(s) to {out}", file=sys.stderr)


@groups_app.command("rescore")
def groups_rescore(group: str = typer.Argument(..., help="The group (class), e.g. 10B.")) -> None:
    """Score every session of a group again with the current catalogue and keep the new results."""
    from .counsellor import rescore, stored_code
    from .errors import NotFoundError
    from .store import Store

    changed = 0
    with Store() as store:
        sessions = store.list(group)
        if not sessions:
            raise NotFoundError(f"no sessions in group {group!r} (see 'jobkompas sessions list')")
        for session in sessions:
            before = stored_code(session.result)
            top_before = ((session.result or {}).get("matches") or [{}])[0].get("id")
            result = rescore(store, session.id)
            after = stored_code(store.get(session.id).result)
            top_after = result.matches[0].occupation.id if result.matches else None
            mark = "" if (before, top_before) == (after, top_after) else "  *"
            changed += bool(mark)
            print(f"{session.id}  {before or '–'} -> {after or '–'}  {top_after or '–'}{mark}")
    print(f"jobkompas: rescored {len(sessions)} session(s), {changed} changed (*)", file=sys.stderr)


def _session_result(session, language: str | None = None, include_name: bool = False):
    """A stored session scored from its answers (what reports and ``sessions show`` render).

    The stored result is the record (``--json``, exports, group summaries). When the catalogue
    has changed since, the two can rank differently: that is said on stderr rather than shown
    silently, with the command that keeps the new ranking.
    """
    from . import api
    from .counsellor import answers_of, differs_from_stored, local_date, local_time

    result = api.score(answers_of(session, include_name), language=language)
    result.meta = {"session": session.id, "group": session.group, "date": local_date(session.created_at),
                   "notes": [(local_time(when), text) for when, text in session.notes]}
    if differs_from_stored(session, result):
        print(f"jobkompas: note: {session.id} was stored with catalogue {session.catalogue_version}; shown "
              f"here scored with catalogue {result.catalogue.version}, which ranks it differently "
              f"('jobkompas sessions rescore {session.id}' stores this ranking)", file=sys.stderr)
    return result


@app.command()
def report(
    source: str = typer.Argument(..., metavar="SESSION_OR_ANSWER_FILE"),
    fmt: str = typer.Option("html", "--format", "-f", metavar=_choices(REPORT_FORMATS), help="Output format."),
    out: OutOption = None,
    lang: LangOption = None,
    include_names: bool = typer.Option(False, "--include-names", help="Name the student (a session's display name, an answer file's respondent); left out by default."),
    counsellor: bool = typer.Option(False, "--counsellor", help="The counsellor's copy: with notes, education answers, work-style traits and how complete the answers are. Without it: the student's copy."),
) -> None:
    """A printable report (self-contained HTML or Markdown) for a session or an answer file:
    the student's copy, or with --counsellor the counsellor's."""
    import datetime
    import re

    from . import api
    from .render import render_results

    _check_choice("--format", fmt, REPORT_FORMATS)
    if re.fullmatch(r"s-[0-9a-f]{8}", source) and not Path(source).exists():
        from .store import Store

        with Store() as store:
            session = store.get(source)
        result = _session_result(session, _lang(lang) if lang else None, include_names)
    else:
        answers = api.read_answers(source)
        if not include_names:
            answers.respondent = None
        result = api.score(answers, language=_lang(lang) if lang else None)
        result.meta = {"date": datetime.date.today().isoformat(), "notes": []}
    result.meta["counsellor"] = counsellor
    _emit(render_results([result], fmt), out)


# ---------------------------------------------------------------- helpers


def _emit(text: str, out: Optional[Path]) -> None:
    if out is None:
        sys.stdout.write(terminal_safe(text) if sys.stdout.isatty() else text)
        return
    from .outfile import write_text

    write_text(out, text)
    print(f"jobkompas: wrote {out}", file=sys.stderr)


def _emit_json(data: object) -> None:
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _is_usage_error(exc: Exception) -> bool:
    """click's ClickException (typer vendors click and does not export the class): it
    carries the message for the user and the exit code."""
    return any(cls.__name__ == "ClickException" for cls in type(exc).__mro__) and hasattr(exc, "format_message")


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # as Ctrl-C: temporary files are removed, workers stopped, answers saved


def main(argv: Optional[List[str]] = None) -> int:
    """Run the CLI; turn every error into one line on stderr and its exit code. SIGTERM stops
    it as Ctrl-C does (exit 130), so that nothing is left behind."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return _main(argv)
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        return _main(argv)
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


def _main(argv: Optional[List[str]] = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # a non-UTF-8 terminal (LANG=C, old consoles) gets '?' for what it cannot show,
        # never a crash; bars and boxes switch to ASCII where they are drawn
        if stream is not None and not shows_unicode(stream, unknown=False):
            try:
                stream.reconfigure(errors="replace")  # type: ignore[union-attr]  # a TextIOWrapper
            except (AttributeError, ValueError):
                pass
    try:
        result = app(args=argv, prog_name="jobkompas", standalone_mode=False)
    except JobkompasError as exc:
        # stopping on Ctrl-C is no error: its (translated) message stands on its own
        label = "" if exc.code == ExitCode.INTERRUPTED else "error: "
        print(terminal_safe(f"jobkompas: {label}{exc}"), file=sys.stderr)
        return int(exc.code)
    except typer.Exit as exc:
        return int(getattr(exc, "exit_code", 0))
    except (typer.Abort, KeyboardInterrupt):
        print("\njobkompas: interrupted", file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except Exception as exc:
        if _is_usage_error(exc):  # bad flags or arguments: one line too
            message = " ".join(exc.format_message().split())  # type: ignore[attr-defined]
            ctx = getattr(exc, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            print(f"jobkompas: error: {message}{hint}", file=sys.stderr)
            return int(exc.exit_code)  # type: ignore[attr-defined]
        # a bug: one line, and the traceback only when asked for
        if os.environ.get("JOBKOMPAS_DEBUG"):
            raise
        print(f"jobkompas: internal error: {type(exc).__name__}: {exc} "
              "(please report it; JOBKOMPAS_DEBUG=1 shows the traceback)", file=sys.stderr)
        return int(ExitCode.INTERNAL)
    return result if isinstance(result, int) else 0
