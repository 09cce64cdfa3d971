"""The interactive quiz: welcome, questions with progress and going back, results menu."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from .. import api
from ..adaptive import may_skip_rest
from ..answers import AnswerSet, write_answer_file
from ..errors import Interrupted, NoTerminalError, OutputError
from ..explain import isced_name, value_label
from ..i18n import detect_language, translator
from ..questions import UNSURE, Question
from ..streams import shows_unicode
from .prompts import BACK, SKIP_REST, PlainPrompter, Prompter, QuestionaryPrompter
from .state import (QuizState, clear_state, drop_invalid_answers, find_session_state, load_state, new_owner, resume_command,
                    save_state, state_path)

def N_(text: str) -> str:  # marks a string for extraction; translated where it is shown
    return text


BLOCK_NAMES = {"interest": N_("Interests"), "trait": N_("How you like to work"), "education": N_("Education")}


def has_terminal() -> bool:
    return bool(sys.stdin and sys.stdin.isatty() and sys.stdout and sys.stdout.isatty())


def make_console(plain: bool = False):
    from rich.console import Console

    return Console(highlight=False, emoji=False, no_color=plain or None)


def run_wizard(*, lang: str | None, form: str | None, country: str | None, prefill: Path | None,
               resume: bool, fresh: bool, plain: bool, prompter: Prompter | None = None,
               console=None, on_finish=None, session: dict[str, Any] | None = None) -> api.Result | None:
    """Run the quiz. ``session`` makes it a counsellor session quiz: ``{"name": …, "group": …}``
    for a student (their own unfinished quiz is the only one offered), or ``{"unfinished": id}``
    to continue one unfinished session quiz; ``on_finish(result, name, group)`` keeps it."""
    if prompter is None:
        if not plain and not has_terminal():
            raise NoTerminalError(
                "no terminal to ask questions in: score an answer file with "
                "'jobkompas score FILE' (get one from 'jobkompas template'), "
                "prefill with 'jobkompas quiz --answers FILE', or use --plain for line prompts")
        prompter = PlainPrompter() if plain else QuestionaryPrompter()
    console = console or make_console(plain)
    bank = api.load_bank()
    language = detect_language(lang)
    saved = _saved_quiz(session)
    if fresh and saved:
        clear_state(saved)
        saved = None
    state: QuizState | None = None
    keep = _Keeper(console, language)
    try:
        if saved and (resume or (session or {}).get("unfinished") or _ask_resume(prompter, saved, lang or saved.language)):
            state = saved
            drop_invalid_answers(state, bank)  # a file edited by hand, or an older bank: asked again
            language = lang or state.language
            if "EDU-country" not in state.answers:
                q = bank.require_education("country")
                state.answers[q.id] = _ask(prompter, q, state, language, header=None, allow_back=False)
        else:
            if saved:
                clear_state(saved)
            state = QuizState(language=language, form=form or "")
            if session is not None:
                from ..store import now

                state.owner = new_owner(session.get("name"), session.get("group"), now())
            if prefill is not None:
                pre = api.read_answers(prefill, bank=bank)
                state.answers.update(pre.values)
                state.language = lang or pre.language
                language = state.language
                state.form = form or pre.form or ""
            if country:
                state.answers["EDU-country"] = country
            _welcome(console, language, boxed=not plain, session=session is not None)
            state.numbered_from = 1  # from --country or the answer file: not asked here
            if "EDU-country" not in state.answers:
                q = bank.require_education("country")
                value = _ask(prompter, q, state, language, header=None, allow_back=False)
                state.answers[q.id] = value
                state.numbered_from = 2
            if not state.form:
                state.form = _ask_form(prompter, language)
            keep.language = state.language
            keep(state)
        keep.language = state.language
        _run_questions(prompter, console, bank, state, keep)
    except (KeyboardInterrupt, EOFError) as exc:
        tr = translator(language)
        if state is not None and state.answers:
            if not keep(state):
                raise Interrupted(tr("stopped; your answers could not be saved ({error}).")
                                  .format(error=keep.failure)) from exc
            if state.owner:
                raise Interrupted(tr("stopped; your answers are saved. To continue, run: {command}").format(
                    command=resume_command(state.owner, include_name=True))) from exc
            raise Interrupted(tr("stopped; your answers are saved. Run 'jobkompas --resume' to continue.")) from exc
        raise Interrupted(tr("stopped before any answers were given.")) from exc
    answers = AnswerSet(values=dict(state.answers), language=state.language,
                        form=state.form, asked=list(state.asked))
    result = api.score(answers, bank=bank)
    if on_finish is not None:  # e.g. keep it as a counsellor session, before anything else can fail
        owner = state.owner or {}
        session_id = on_finish(result, owner.get("name"), owner.get("group"))
        from rich.text import Text

        tr = translator(state.language)
        console.print(Text(tr("Saved as session {id}.").format(id=session_id)))
    clear_state(state)
    try:
        _results_menu(prompter, console, result)
    except (KeyboardInterrupt, EOFError):
        pass  # the quiz is finished; leaving the results screen loses nothing
    return result


def _saved_quiz(session: dict[str, Any] | None) -> QuizState | None:
    """The unfinished quiz this start may continue: the user's own private one, or for a
    session quiz only the one with the same name and group (or the one asked for by id)."""
    if session is None:
        return load_state()
    if session.get("unfinished"):
        from ..errors import NotFoundError

        saved = load_state(session["unfinished"])
        if saved is None or not saved.owner:
            raise NotFoundError(f"no unfinished quiz {session['unfinished']!r} (see 'jobkompas sessions list')")
        return saved
    return find_session_state(session.get("name"), session.get("group"))


def _welcome(console, lang: str, boxed: bool = True, session: bool = False) -> None:
    from rich.panel import Panel
    from rich.text import Text

    tr = translator(lang)
    body = "\n".join([
        tr("Welcome to jobkompas!"),
        "",
        tr("You will answer three short blocks of questions: what you like doing, how you like to work, and your education plans."),
        tr("The short quiz takes about 5 minutes, the standard one about 10."),
        tr("There are no right or wrong answers. Choose \"not sure\" when you cannot decide, and go back whenever you like."),
        tr("Your answers are kept by your counsellor on this machine, with your result; nothing is sent anywhere. "
           "Ask your counsellor what they are used for and when they are deleted. Ctrl-C stops and keeps your answers.")
        if session else
        tr("Everything stays on this computer: nothing is sent anywhere. Ctrl-C stops and keeps your answers."),
    ])
    console.print(Panel(Text(body), title="jobkompas", expand=False) if boxed else Text(body))


def _ask_resume(prompter: Prompter, saved: QuizState, lang: str) -> bool:
    tr = translator(lang or saved.language)
    count = len(saved.answers)
    return prompter.select(
        tr("You have an unfinished quiz ({count} answered so far). Continue where you left off?").format(count=count),
        [(tr("Yes, continue"), True), (tr("No, start over"), False)], default=True)


def _ask_form(prompter: Prompter, lang: str) -> str:
    tr = translator(lang)
    bank = api.load_bank()
    sizes = {name: len(bank.forms.get(name, ())) for name in ("mini", "standard", "full")}
    return prompter.select(tr("How long a quiz do you want?"), [
        (tr("Short – about 5 minutes ({n} questions)").format(n=sizes["mini"]), "mini"),
        (tr("Standard – about 10 minutes ({n} questions)").format(n=sizes["standard"]), "standard"),
        (tr("Full – about 15 minutes ({n} questions)").format(n=sizes["full"]), "full"),
        (tr("Adaptive – asks only what changes your result (usually 40–55 questions)"), "adaptive"),
    ], default="mini")


def _question_list(bank, state: QuizState) -> list[Question]:
    form = state.form if state.form in bank.forms else "standard"
    return [q for q in bank.form(form) if q.id != "EDU-country"]


def _run_questions(prompter: Prompter, console, bank, state: QuizState, keep: "_Keeper") -> None:
    """Ask until the form is done. Fixed forms walk their list; the adaptive form asks
    what ``api.next_question`` picks and shows an estimate of what is left. Going back
    walks the questions in the order they were asked, for either."""
    adaptive = state.form == "adaptive"
    questions = [] if adaptive else _question_list(bank, state)
    tr = translator(state.language)
    if adaptive:
        index = len(state.asked)
    else:  # start at the first unanswered question (prefilled or resumed answers are kept)
        index = next((i for i, q in enumerate(questions) if q.id not in state.answers), len(questions))
    while True:
        if not adaptive:
            if index >= len(questions):
                return
            q = questions[index]
            progress = tr("Question {n} of {m} · {block}").format(
                n=index + state.numbered_from, m=len(questions) + state.numbered_from - 1,
                block=tr(BLOCK_NAMES[questions[index].block]))
        else:
            current = AnswerSet(values=dict(state.answers), form="adaptive")
            if index < len(state.asked):
                q = bank.questions[state.asked[index]]
            else:
                following = api.next_question(current, form="adaptive", bank=bank, interests_done=state.interests_done)
                if following is None:
                    return
                q = following
            left = api.remaining_questions(current, form="adaptive", bank=bank, interests_done=state.interests_done)
            progress = tr("Question {n} · {block} · about {left} more").format(
                n=index + state.numbered_from, block=tr(BLOCK_NAMES[q.block]), left=max(left, 1))
        may_skip = (adaptive and q.block == "interest" and index >= len(state.asked)
                    and may_skip_rest(state.answers, bank))
        value = _ask(prompter, q, state, state.language, progress, allow_back=index > 0, allow_skip=may_skip)
        if value == BACK:
            index -= 1
            continue
        if value == SKIP_REST:
            state.interests_done = True
            keep(state)
            continue
        state.answers[q.id] = value
        if q.id not in state.asked:
            state.asked.append(q.id)
        state.position = index + 1
        keep(state)
        index += 1


class _Keeper:
    """Saves the unfinished quiz after every answer. A data dir that cannot be written costs
    only the chance to resume, so the student is told once and the quiz goes on."""

    def __init__(self, console, language: str) -> None:
        self.console = console
        self.language = language
        self.failure: str | None = None

    def __call__(self, state: QuizState) -> bool:
        try:
            save_state(state)
        except OSError as exc:
            if self.failure is None:
                from rich.text import Text

                self.failure = f"{exc.filename or state_path((state.owner or {}).get('id'))}: {exc.strerror or exc}"
                tr = translator(self.language)
                self.console.print(Text(tr("Your answers cannot be kept for later ({error}); finish the quiz "
                                           "in one go.").format(error=self.failure), style="yellow"))
            return False
        return True


def _ask(prompter: Prompter, q: Question, state: QuizState, lang: str, header: str | None,
         allow_back: bool, allow_skip: bool = False) -> Any:
    tr = translator(lang)
    if q.scale == "choice":
        options = q.options_for(state.answers.get("EDU-country")) if q.dimension.endswith("level") else q.options
        choices = [(o.text.get(lang, o.text["en"]), o.id) for o in options]
        message = q.text.get(lang, q.text["en"])
    else:
        choices = [(value_label(v, q.scale, lang), v) for v in (1, 2, 3, 4, 5)]
        choices.append((tr("not sure"), UNSURE))
        stem = tr("How much would you like to …") if q.scale == "like5" else tr("How well does this describe you?")
        message = f"{stem}\n  {q.text.get(lang, q.text['en'])}"
    if allow_back:
        choices.append((tr("← back"), BACK))
    if allow_skip:
        choices.append((tr("Skip the remaining interest questions (your job list will be less accurate)"), SKIP_REST))
    return prompter.select(message, choices, default=state.answers.get(q.id), header=header)


def _results_menu(prompter: Prompter, console, result: api.Result) -> None:
    from rich.text import Text

    from ..render import print_occupation, print_result

    tr = translator(result.language)
    lang = result.language
    shown = result
    # line prompts (screen readers, dumb terminals) get lists, never box-drawn tables
    detail = console.width >= 90 and not isinstance(prompter, PlainPrompter)
    ascii_only = not shows_unicode(console.file, unknown=False)  # no encoding named: play safe
    print_result(console, shown, ascii_only, detail=detail)
    while True:
        options = [(tr("See details of an occupation"), "details")]
        if shown.profile.scorable:
            options += [(tr("See more matches"), "more"), (tr("Only jobs up to an education level"), "filter")]
        options += [(tr("Save my answers to a file"), "save_answers"),
                    (tr("Save a report (Markdown or HTML)"), "save_report"), (tr("Quit"), "quit")]
        choice = prompter.select(tr("What next?"), options, default="details")
        if choice == "quit":
            return
        if choice == "details":
            occ_choices = [(f"{m.rank}. {m.occupation.title(lang)}", m.occupation.id) for m in shown.matches]
            if not occ_choices:
                continue
            # the similar jobs moved down from the top 10 (rules.spread) can be opened from here too
            similar = [(f"{rank}. {result.catalogue.occupations[oid].title(lang)}", oid)
                       for m in shown.matches for oid, rank in m.match.similar]
            occ_id = prompter.select(tr("Which occupation?"), occ_choices + similar + [(tr("← back"), BACK)])
            if occ_id != BACK:
                occ = result.catalogue.occupations[occ_id]
                print_occupation(occ, result.catalogue, result.bank, lang, result.country, console)
                match = next((m for m in shown.matches if m.occupation.id == occ_id), None)
                if match is not None and match.match.similar:
                    console.print(Text(match.similar_text(result.catalogue, lang)))
        elif choice == "more":  # the next ten, with the level filter (if any) still on
            more = api.score(result.answers, top=10, offset=len(shown.matches) + shown.matches[0].rank - 1
                             if shown.matches else 0, max_isced=shown.max_isced,
                             bank=result.bank, catalogue=result.catalogue)
            if more.matches:
                shown = more
                print_result(console, shown, ascii_only, detail=detail)
        elif choice == "filter":
            levels = sorted({o.isced for o in result.bank.require_education("highest_level").options_for(result.country)})
            isced = prompter.select(tr("Show jobs that need at most:"),
                                    [(isced_name(i, result.country, result.bank, lang), i) for i in levels]
                                    + [(tr("Any level (no filter)"), None)])
            shown = api.score(result.answers, top=10, max_isced=isced, bank=result.bank, catalogue=result.catalogue)
            print_result(console, shown, ascii_only, detail=detail)
        elif choice == "save_answers":
            path = Path(prompter.text(tr("File name for your answers:"), "jobkompas-answers.yaml")).expanduser()
            _save(console, tr, lambda path=path: write_answer_file(result.answers, path, result.bank), path)
        elif choice == "save_report":
            fmt = prompter.select(tr("Which format?"), [("HTML", "html"), ("Markdown", "markdown")])
            default = "jobkompas-report.html" if fmt == "html" else "jobkompas-report.md"
            path = Path(prompter.text(tr("File name for the report:"), default)).expanduser()
            from ..render import render_results

            # the report shows the top ten as chosen now: with the level filter, if one is on
            report = result if shown.max_isced is None else api.score(
                result.answers, top=10, max_isced=shown.max_isced, bank=result.bank, catalogue=result.catalogue)
            report.meta = result.meta

            def write(path: Path = path, report=report, fmt: str = fmt) -> None:
                from ..outfile import write_text

                write_text(path, render_results([report], fmt))
            _save(console, tr, write, path)


def _save(console, tr, write, path: Path) -> None:
    from rich.text import Text

    try:
        write()
        console.print(Text(tr("Saved: {path}").format(path=path)))
    except (OSError, OutputError) as exc:
        reason = exc.reason if isinstance(exc, OutputError) else exc.strerror
        console.print(Text(tr("Could not save {path}: {error}").format(path=path, error=reason)))
