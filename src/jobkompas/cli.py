"""Command line: the only module that knows about argv and exit codes.

Each command parses its options, calls :mod:`jobkompas.api` and chooses an output; the
modules it imports besides the library are the presentation layer (docs/api.md lists them,
and tests/test_layers.py keeps it so). Imports stay light (typer and the standard library) so
``--version`` and ``--help`` are fast; each command imports what it needs.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, List, Optional

import typer

from . import __version__
from .errors import ExitCode, JobkompasError, UsageError
from .streams import report_row_error, report_rows_done, shows_unicode, terminal_safe

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .api import Content, Scored

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


# The choices of options, one Enum each: --help lists them (as the option's metavar) and a
# value outside them is one line naming the option (:func:`_choice`). Kept here rather than
# taken from the library so that --help imports nothing.
class Language(str, Enum):  # resources.LANGUAGES
    en = "en"
    nb = "nb"
    da = "da"


class Country(str, Enum):  # resources.COUNTRIES; api.country_code also takes aliases (Norge, dk)
    norway = "norway"
    denmark = "denmark"
    other = "other"


class QuizForm(str, Enum):
    mini = "mini"
    standard = "standard"
    full = "full"
    adaptive = "adaptive"


class ScoreFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"


class BatchFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"


class SummaryFormat(str, Enum):
    table = "table"
    json = "json"
    html = "html"
    markdown = "markdown"
    csv = "csv"


class ReportFormat(str, Enum):
    html = "html"
    markdown = "markdown"


def _values(choices: type[Enum]) -> tuple[str, ...]:
    return tuple(c.value for c in choices)


def _check_choice(option: str, value: Optional[str], allowed: tuple[str, ...]) -> None:
    """A flag's value must be one of ``allowed``: one message for every such flag."""
    if value is not None and value not in allowed:
        raise UsageError(f"{option} must be one of {', '.join(allowed)}; got {value!r}")


def _choice(choices: type[Enum], *names: str, default: Optional[str] = None, **kwargs: Any) -> Any:
    """An option whose value is one of ``choices``: listed in --help, checked as it is parsed.
    ``default`` only where it is not an ``Annotated`` alias (those take the parameter's)."""
    allowed = _values(choices)

    def check(value: Optional[str]) -> Optional[str]:
        _check_choice(names[0], value, allowed)
        return value

    decls = (default, *names) if default is not None else names
    return typer.Option(*decls, metavar="[" + "|".join(allowed) + "]", callback=check, **kwargs)


def _country_value(value: Optional[str]) -> Optional[str]:
    """--country: a country or one of its aliases (Norge, dk), as its code."""
    if value is None:
        return None
    from .api import country_code

    code = country_code(value)
    if code is None:
        _check_choice("--country", value.lower(), _values(Country))
    return code


def _age_value(value: Optional[str]) -> Any:
    """--older-than: '90d', '12w', '6m' or '1y' as a timedelta."""
    if value is None:
        return None
    from .api import parse_age

    try:
        return parse_age(value)
    except ValueError as exc:
        raise UsageError(f"--older-than: {exc}") from None


LANG_HELP = "Language: en, nb (Norwegian Bokmål) or da (Danish). Default: from the locale."
COUNTRY_HELP = "Country for education paths and levels (and which jobs can be recommended there): norway, denmark or other."
BOM_HELP = "CSV: start with a UTF-8 byte order mark, so that Excel shows æ, ø and å correctly."

# Options and arguments shared by several commands, declared once.
LangOption = Annotated[Optional[str], _choice(Language, "--lang", help=LANG_HELP)]
AnswerLangOption = Annotated[Optional[str], _choice(Language, "--lang", help=LANG_HELP + " Default: the answer file's language.")]
CountryOption = Annotated[Optional[str], typer.Option("--country", metavar="[" + "|".join(_values(Country)) + "]",
                                                      callback=_country_value, help=COUNTRY_HELP)]
OutOption = Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file instead of standard output.")]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON on stdout.")]
BomOption = Annotated[bool, typer.Option("--bom", help=BOM_HELP)]
GroupFilterOption = Annotated[Optional[str], typer.Option("--group", help="Only this group.")]
QuizFormOption = Annotated[Optional[str], _choice(QuizForm, "--form", help="Quiz length: mini (~5 min), standard, full or adaptive.")]
ResumeOption = Annotated[bool, typer.Option("--resume", help="Continue the saved unfinished quiz without asking.")]
FreshOption = Annotated[bool, typer.Option("--fresh", help="Start over, discarding a saved unfinished quiz.")]
PlainOption = Annotated[bool, typer.Option("--plain", help="Numbered line prompts (screen readers, dumb terminals, piped input).")]
ReportFormatOption = Annotated[str, _choice(ReportFormat, "--format", "-f", help="Output format.")]
IdArgument = Annotated[str, typer.Argument(metavar="ID")]
GroupArgument = Annotated[str, typer.Argument(help="The group (class), e.g. 10B.")]


def _version(value: bool) -> None:
    if value:
        print(f"jobkompas {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
    questions: Optional[Path] = typer.Option(None, "--questions", help="Use another question bank directory (default: $JOBKOMPAS_QUESTIONS, else the built-in one)."),
    occupations: Optional[Path] = typer.Option(None, "--occupations", help="Use another occupation directory (default: $JOBKOMPAS_OCCUPATIONS, else the built-in one)."),
    lang: LangOption = None,
    form: QuizFormOption = None,
    resume: ResumeOption = False,
    fresh: FreshOption = False,
    plain: PlainOption = False,
) -> None:
    """Start the quiz when no command is given (the quiz options work here too)."""
    from .api import Content

    # every command's content, passed on through the context; a folder is checked when a command
    # first uses it, so a wrong $JOBKOMPAS_QUESTIONS does not break 'sessions list'
    ctx.obj = Content(questions, occupations)
    if ctx.invoked_subcommand is not None:  # 'jobkompas --lang da quiz': the root's options are the defaults below
        given = {"lang": lang, "form": form, "resume": resume or None, "fresh": fresh or None, "plain": plain or None}
        ctx.default_map = _defaults_below(ctx.command, {k: v for k, v in given.items() if v is not None})
    if ctx.invoked_subcommand is None:
        quiz(ctx, lang=lang, form=form, country=None, answers=None, resume=resume, fresh=fresh, plain=plain,
             session=False, name=None, group=None, unfinished=None)


def _defaults_below(group: Any, given: dict[str, Any]) -> dict[str, Any]:
    """click's ``default_map`` for every command under ``group``: the root's ``--lang`` for each
    command that has it; the quiz options (form, resume, fresh, plain) for the quiz."""
    out: dict[str, Any] = {}
    for name, command in getattr(group, "commands", {}).items():
        params = {p.name for p in command.params}
        keys = given if name == "quiz" else {k: v for k, v in given.items() if k == "lang"}
        below = _defaults_below(command, given)
        own = {k: v for k, v in keys.items() if k in params}
        if own or below:
            out[name] = {**own, **below}
    return out


def _content(ctx: typer.Context) -> Content:
    """The content chosen by the root options (the defaults when a command runs on its own)."""
    from .api import Content

    return ctx.obj if isinstance(ctx.obj, Content) else Content()


def _lang(lang: Optional[str]) -> str:
    """--lang, else the language of the environment (JOBKOMPAS_LANG, the locale), else English."""
    from .i18n import detect_language

    return detect_language(lang)


# ---------------------------------------------------------------- quiz


@app.command()
def quiz(
    ctx: typer.Context,
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
    from . import api
    from .wizard.flow import run_wizard

    if resume and fresh:
        raise UsageError("--resume and --fresh cannot be used together")
    if unfinished is not None and (name or group or fresh or answers):
        raise UsageError("--unfinished keeps the quiz's own name and group: leave out --name, --group, --fresh and --answers")
    if (name or group) and not session:
        raise UsageError("--name and --group need --session")
    identity = None
    if session or unfinished is not None:
        identity = {"unfinished": unfinished} if unfinished is not None else {"name": name, "group": group}
    run_wizard(lang=lang, form=form, country=country, prefill=answers, resume=resume, fresh=fresh, plain=plain,
               on_finish=api.save_session if identity else None, session=identity, content=_content(ctx))


# ---------------------------------------------------------------- scripted


@app.command()
def score(
    ctx: typer.Context,
    files: List[str] = typer.Argument(..., help="Answer files (YAML or JSON); '-' reads standard input."),
    fmt: str = _choice(ScoreFormat, "--format", "-f", default="table", help="Output format."),
    top: int = typer.Option(10, "--top", min=1, max=200, help="How many matches to show."),
    lang: AnswerLangOption = None,
    country: CountryOption = None,
    out: OutOption = None,
    bom: BomOption = False,
) -> None:
    """Score answer files and print the results (stdout only; messages on stderr)."""
    from . import api
    from .busy import busy
    from .i18n import translator
    from .render import render_results

    if files.count("-") > 1:
        raise UsageError("standard input ('-') can be read only once")
    content = _content(ctx)
    results = []
    for name in files:
        answers = api.read_answers(name, bank=content.bank())
        for warning in answers.warnings:
            print(f"jobkompas: warning: {warning}", file=sys.stderr)
        with busy(translator(_lang(lang or answers.language))("Finding the jobs that fit you …")):
            results.append(api.score(answers, top=top, country=country, language=lang, bank=content.bank(),
                                     catalogue=content.catalogue()))
    _emit(render_results(results, fmt, bom=bom), out)


@app.command()
def batch(
    ctx: typer.Context,
    file: str = typer.Argument(..., help="CSV: an 'id' column and one column per question id; '-' reads standard input."),
    fmt: str = _choice(BatchFormat, "--format", "-f", default="csv", help="Output format."),
    top: int = typer.Option(10, "--top", min=1, max=50, help="Top occupations per respondent."),
    lang: LangOption = None,
    country: CountryOption = None,
    strict: bool = typer.Option(False, "--strict", help="Stop at the first bad row."),
    out: OutOption = None,
    bom: BomOption = False,
) -> None:
    """Score a whole class from one CSV, streaming; bad rows are reported and skipped."""
    from . import api

    failed = api.score_class_file(file, fmt=fmt, top=top, language=lang, country=country, strict=strict, out=out,
                                  bom=bom, content=_content(ctx))
    if failed:
        raise typer.Exit(int(ExitCode.PARTIAL))


@app.command()
def template(
    ctx: typer.Context,
    form: str = typer.Option("standard", "--form", help="mini, standard or full."),
    lang: LangOption = None,
    out: OutOption = None,
) -> None:
    """Write a ready-to-fill answer file with each question's text as a comment."""
    from . import api

    bank = _content(ctx).bank()
    _check_choice("--form", form, tuple(bank.forms))  # the bank's own forms: a custom bank may have others
    _emit(api.answer_template(form, language=_lang(lang), bank=bank), out)


@questions_app.command("list")
def questions_list(ctx: typer.Context, as_json: JsonOption = False, lang: LangOption = None) -> None:
    """Every question: id, block, dimension, forms, allowed values and texts."""
    from . import api

    rows = api.describe_questions(_content(ctx).bank())
    if as_json:
        _emit_json(rows)
        return
    language = _lang(lang)
    for row in rows:
        print(f"{row['id']:<22} {row['block']:<9} {row['dimension']:<14} {','.join(row['forms']):<20} {row['text'][language]}")


# ---------------------------------------------------------------- occupations


@occupations_app.command("list")
def occupations_list(
    ctx: typer.Context,
    as_json: JsonOption = False,
    lang: LangOption = None,
    curated: bool = typer.Option(False, "--curated", help="Only occupations with hand-written text."),
) -> None:
    """All occupations: id, title, Holland code, job zone."""
    from . import api
    from .render import occupation_dict

    catalogue, language = _content(ctx).catalogue(), _lang(lang)
    occs = api.occupations(catalogue, language=language, curated_only=curated)
    if as_json:
        _emit_json([occupation_dict(o, catalogue, language, full=False) for o in occs])
        return
    for o in occs:
        print(f"{o.id:<48} {o.high_point:<4} {o.job_zone or '-'}  {o.title(language)}")


@occupations_app.command("search")
def occupations_search(
    ctx: typer.Context,
    text: str = typer.Argument(..., help="Any title or alternative title, in any language; typos are tolerated."),
    as_json: JsonOption = False,
    lang: LangOption = None,
    limit: int = typer.Option(10, "--limit", min=1, max=100),
) -> None:
    """Find occupations by title in English, Norwegian or Danish."""
    from . import api
    from .render import occupation_dict

    catalogue, language = _content(ctx).catalogue(), _lang(lang)
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
    ctx: typer.Context,
    occupation_id: IdArgument,
    as_json: JsonOption = False,
    lang: LangOption = None,
    country: CountryOption = None,
) -> None:
    """One occupation in full: text, codes, figures and education paths."""
    from . import api
    from .render import occupation_dict, print_occupation

    content, language = _content(ctx), _lang(lang)
    occ = api.find_occupation(occupation_id, content.catalogue())
    if as_json:
        _emit_json(occupation_dict(occ, content.catalogue(), language, full=True))
        return
    print_occupation(occ, content.catalogue(), content.bank(), language, country or "norway")


# ---------------------------------------------------------------- content


@app.command()
def validate(ctx: typer.Context, quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only problems.")) -> None:
    """Check the question bank and the catalogue; print every problem as file:line: message."""
    from . import api

    bank, catalogue, problems = api.check_content(_content(ctx))
    for problem in problems:
        print(problem)
    if problems:
        print(f"jobkompas: {len(problems)} problem(s) found", file=sys.stderr)
        raise typer.Exit(int(ExitCode.CONTENT))
    if quiet:
        return
    n, p = api.content_counts(bank, catalogue), catalogue.register
    c = n.review
    print(f"jobkompas: ok: {n.questions} questions in {bank.directory}; "
          f"{n.occupations} occupations ({n.curated} hand-written) in {catalogue.directory}", file=sys.stderr)
    if n.programmes is not None and p is not None:
        print(f"jobkompas: programme register: {n.programmes['norway']} Norway, {n.programmes['denmark']} Denmark, "
              f"{n.programmes['other']} elsewhere in {p.directory}", file=sys.stderr)
    print(f"jobkompas: paths: {c['paths_written']} written, {c['paths_checked']} checked, "
          f"{c['paths_template']} template-built; texts: {c['text_written']} written, "
          f"{c['text_checked']} checked, {c['text_none']} without", file=sys.stderr)


@app.command()
def about(ctx: typer.Context, lang: LangOption = None) -> None:
    """Sources, licences and where jobkompas keeps its files."""
    from . import api
    from .i18n import translator
    from .sources import sources_text

    language = _lang(lang)
    tr, f = translator(language), api.folders(_content(ctx))
    print(f"jobkompas {__version__}\n")
    print(sources_text(language) + "\n")
    places = [(tr("Questions"), f.questions), (tr("Occupations"), f.occupations),
              (tr("Education programmes"), f.programmes), (tr("Your data (sessions, unfinished quiz)"), f.data),
              (tr("Cache (safe to delete)"), f.cache)]
    width = max(len(label) for label, _ in places) + 2
    for label, folder in places:
        print(f"{label + ':':<{width}}{folder}")


# ---------------------------------------------------------------- counsellor


@app.command("import")
def import_(
    ctx: typer.Context,
    files: List[str] = typer.Argument(..., help="Answer files, or batch CSV files (one student per row)."),
    group: Optional[str] = typer.Option(None, "--group", help="Group (class) for all imported sessions."),
    names: bool = typer.Option(False, "--names", help="Keep the respondent/id field as the display name."),
) -> None:
    """Store answer files or a batch CSV as sessions (scored now)."""
    from . import api

    content = _content(ctx)
    read = api.read_for_import(files, bank=content.bank())  # every file is read before anything is stored
    for error in read.file_errors:
        report_row_error(error)
    read.check()
    stored = failed = 0
    with api.Sessions(content) as sessions:
        for item in sessions.store_answers(read.items, group=group, names=names):
            if isinstance(item, str):
                print(item, flush=True)  # stored: a later failure leaves this one listed
                stored += 1
            else:
                report_row_error(item)
                failed += 1
    report_rows_done("stored", stored, "session", failed)
    if failed:
        raise typer.Exit(int(ExitCode.PARTIAL))


@sessions_app.command("list")
def sessions_list(
    ctx: typer.Context,
    group: GroupFilterOption = None,
    as_json: JsonOption = False,
    names: bool = typer.Option(False, "--names", help="Show display names."),
    lang: LangOption = None,
) -> None:
    """Sessions, oldest first: id, group, date, Holland code, top match; then unfinished quizzes
    with the command that continues each."""
    from . import api
    from .render import sessions_text

    content = _content(ctx)
    with api.Sessions(content) as sessions:
        rows = sessions.rows(group, names=names)
    if as_json:
        _emit_json(rows)
        return
    finished = any(r["status"] == "finished" for r in rows)
    sys.stdout.write(sessions_text(rows, content.catalogue() if finished else None, _lang(lang), names))


@sessions_app.command("show")
def sessions_show(
    ctx: typer.Context,
    session_id: IdArgument,
    as_json: JsonOption = False,
    names: bool = typer.Option(False, "--names", help="Show the display name."),
) -> None:
    """One session: profile, matches and notes."""
    from . import api

    with api.Sessions(_content(ctx)) as sessions:
        if as_json:
            _emit_json(sessions.document(session_id, include_names=names))
            return
        scored = sessions.scored(session_id, include_name=names)
    _note_if_rescored(scored)
    from rich.console import Console

    from .render import print_session

    print_session(Console(), scored.session, scored.result, names)


@sessions_app.command("note")
def sessions_note(
    ctx: typer.Context,
    session_id: IdArgument,
    text: str = typer.Argument(..., help="The note; line breaks are kept. '-' reads it from standard input."),
) -> None:
    """Add a counsellor note to a session (it may hold sensitive data: see docs/privacy.md)."""
    from . import api

    with api.Sessions(_content(ctx)) as sessions:
        sessions.add_note(session_id, sys.stdin.read() if text == "-" else text)
    print(f"jobkompas: note added to {session_id}", file=sys.stderr)


@sessions_app.command("delete-note")
def sessions_delete_note(
    ctx: typer.Context,
    session_id: IdArgument,
    number: int = typer.Argument(..., metavar="N", help="The note's number, as 'sessions show' lists them (1 = oldest)."),
) -> None:
    """Delete one counsellor note for good (to correct a record; see docs/privacy.md)."""
    from . import api

    with api.Sessions(_content(ctx)) as sessions:
        sessions.delete_note(session_id, number)
    print(f"jobkompas: deleted note {number} of {session_id}", file=sys.stderr)


@sessions_app.command("rescore")
def sessions_rescore(ctx: typer.Context, session_id: IdArgument) -> None:
    """Score a session again with the current catalogue and keep the new result."""
    from . import api

    with api.Sessions(_content(ctx)) as sessions:
        done = sessions.rescore(session_id)
    print(f"{session_id}: {done.result.profile.holland or '–'} (catalogue {done.catalogue_before} -> {done.result.catalogue.version})")


@sessions_app.command("export")
def sessions_export(
    ctx: typer.Context,
    group: GroupFilterOption = None,
    fmt: str = _choice(ExportFormat, "--format", "-f", default="csv", help="Output format."),
    include_names: bool = typer.Option(False, "--include-names", help="Include display names (left out by default)."),
    include_notes: bool = typer.Option(False, "--include-notes", help="Include counsellor notes (json only)."),
    out: OutOption = None,
    bom: BomOption = False,
) -> None:
    """Export sessions; names and notes stay out unless asked for."""
    import json

    from . import api
    from .csvout import csv_text

    with api.Sessions(_content(ctx)) as sessions:
        if fmt == "json":
            docs = sessions.export(group, include_names=include_names, include_notes=include_notes)
            text = json.dumps(docs, ensure_ascii=False, indent=2) + "\n"
        else:
            text = csv_text(*sessions.export_rows(group, include_names=include_names), bom=bom)
    _emit(text, out)


@sessions_app.command("delete")
def sessions_delete(ctx: typer.Context, session_id: IdArgument) -> None:
    """Delete one session and its notes (or an unfinished quiz, u-…) for good."""
    from . import api

    with api.Sessions(_content(ctx)) as sessions:
        sessions.delete(session_id)
    print(f"jobkompas: deleted {session_id}", file=sys.stderr)


@sessions_app.command("purge")
def sessions_purge(
    ctx: typer.Context,
    group: GroupFilterOption = None,
    older_than: Optional[str] = typer.Option(None, "--older-than", callback=_age_value, help="Only sessions older than this, e.g. 90d, 12w, 6m, 1y."),
    yes: bool = typer.Option(False, "--yes", help="Delete without asking (for scripts); needed too when neither --group nor --older-than narrows the purge."),
) -> None:
    """Delete many sessions (and unfinished quizzes) for good, after showing which and asking."""
    from . import api

    if group is None and older_than is None and not yes:
        raise UsageError("this would delete every session; add --yes, or narrow it with --group / --older-than")
    with api.Sessions(_content(ctx)) as sessions:
        plan = sessions.purge_plan(group, older_than)
        if plan.empty:
            print("jobkompas: nothing to delete", file=sys.stderr)
            return
        print(f"jobkompas: this deletes {len(plan.sessions)} session(s) and {len(plan.unfinished)} unfinished "
              "quiz(zes) for good:", file=sys.stderr)
        for item_id, item_group, when in plan.listing():
            print(terminal_safe(f"  {item_id}  {item_group or '-'}  {when}"), file=sys.stderr)
        if not yes and not _confirm("Delete them?"):
            print("jobkompas: nothing deleted", file=sys.stderr)
            return
        count = sessions.purge(plan)  # what was shown, nothing added since
    print(f"jobkompas: deleted {count} session(s)", file=sys.stderr)


@groups_app.command("list")
def groups_list(ctx: typer.Context, as_json: JsonOption = False, lang: LangOption = None) -> None:
    """The groups (classes) kept on this machine, with how many sessions each has."""
    from . import api
    from .render import groups_text

    with api.Sessions(_content(ctx)) as sessions:
        groups = sessions.groups()
    if as_json:
        _emit_json([{"group": name, "sessions": count} for name, count in groups])
        return
    sys.stdout.write(groups_text(groups, _lang(lang)))


@groups_app.command("summary")
def groups_summary(
    ctx: typer.Context,
    group: GroupArgument,
    fmt: str = _choice(SummaryFormat, "--format", "-f", default="table", help="Output format (csv: the roster)."),
    lang: LangOption = None,
    include_names: bool = typer.Option(False, "--include-names", help="Show display names (left out by default)."),
    out: OutOption = None,
    bom: BomOption = False,
) -> None:
    """A class roster: every student with code, confidence, flags, top 3 and first education
    step; who has not finished; who to talk to first; codes, types and common matches."""
    from . import api
    from .render import render_group_summary

    language = _lang(lang)
    with api.Sessions(_content(ctx)) as sessions:
        summary = sessions.group_summary(group, language=language, include_names=include_names)
    _emit(render_group_summary(group, summary, fmt, language, include_names, bom), out)


@groups_app.command("report")
def groups_report(
    ctx: typer.Context,
    group: GroupArgument,
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the reports (created private to you if missing); one file per student, named by session id."),
    fmt: ReportFormatOption = "html",
    lang: LangOption = None,
    include_names: bool = typer.Option(False, "--include-names", help="Name each student in their report."),
    counsellor: bool = typer.Option(False, "--counsellor", help="Counsellor's copies (with notes); without it, the students' copies."),
) -> None:
    """One report per student of a group, written into a folder."""
    from . import api
    from .outfile import write_text
    from .render import render_results

    with api.Sessions(_content(ctx)) as sessions:
        reports = sessions.group_results(group, language=lang, include_names=include_names)
    _private_folder(out)
    for scored in reports:
        _note_if_rescored(scored)
        name = f"{scored.session.id if scored.session else group}{'.html' if fmt == 'html' else '.md'}"
        write_text(out / name, render_results([scored.report(counsellor)], fmt))
    print(f"jobkompas: wrote {len(reports)} report(s) to {out}", file=sys.stderr)


@groups_app.command("rescore")
def groups_rescore(ctx: typer.Context, group: GroupArgument) -> None:
    """Score every session of a group again with the current catalogue and keep the new results."""
    from . import api

    count = changed = 0
    with api.Sessions(_content(ctx)) as sessions:
        for r in sessions.rescore_group(group):
            count, changed = count + 1, changed + r.changed
            print(f"{r.session_id}  {r.code_before or '–'} -> {r.code_after or '–'}  {r.top_after or '–'}"
                  + ("  *" if r.changed else ""))
    print(f"jobkompas: rescored {count} session(s), {changed} changed (*)", file=sys.stderr)


@app.command()
def report(
    ctx: typer.Context,
    source: str = typer.Argument(..., metavar="SESSION_OR_ANSWER_FILE"),
    fmt: ReportFormatOption = "html",
    out: OutOption = None,
    lang: LangOption = None,
    include_names: bool = typer.Option(False, "--include-names", help="Name the student (a session's display name, an answer file's respondent); left out by default."),
    counsellor: bool = typer.Option(False, "--counsellor", help="The counsellor's copy: with notes, education answers, work-style traits and how complete the answers are. Without it: the student's copy."),
) -> None:
    """A printable report (self-contained HTML or Markdown) for a session or an answer file:
    the student's copy, or with --counsellor the counsellor's."""
    from . import api
    from .render import render_results

    scored = api.report_result(source, language=lang, include_names=include_names, content=_content(ctx))
    _note_if_rescored(scored)
    _emit(render_results([scored.report(counsellor)], fmt), out)


# ---------------------------------------------------------------- helpers


def _note_if_rescored(scored: Scored) -> None:
    """Say on stderr when a session shown scored now ranks differently from its stored result,
    with the command that keeps the new ranking (rather than show the difference silently)."""
    if scored.stale and scored.session is not None:
        session, result = scored.session, scored.result
        print(f"jobkompas: note: {session.id} was stored with catalogue {session.catalogue_version}; shown "
              f"here scored with catalogue {result.catalogue.version}, which ranks it differently "
              f"('jobkompas sessions rescore {session.id}' stores this ranking)", file=sys.stderr)


def _confirm(question: str) -> bool:
    """Ask on the terminal; without one, nothing is done and --yes is named."""
    if not (sys.stdin and sys.stdin.isatty()):
        raise UsageError("nothing deleted: add --yes to delete without asking")
    return typer.confirm(question, default=False, err=True)


def _private_folder(out: Path) -> None:
    """A folder for files of students' data, created private to the user if missing."""
    from .errors import OutputError
    from .outfile import private_dir

    try:
        private_dir(out)
    except OSError as exc:
        raise OutputError(out, exc.strerror or str(exc)) from None


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
