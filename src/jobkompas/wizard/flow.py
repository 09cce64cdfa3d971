"""The interactive quiz: welcome, questions with progress and going back, results menu."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from .. import api
from ..api import UNSURE, AnswerSet, Question
from ..errors import Interrupted, NoTerminalError, OutputError
from ..explain import isced_name, value_label
from ..i18n import detect_language, translator
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
               console=None, on_finish=None, session: dict[str, Any] | None = None,
               content: api.Content | None = None) -> api.Result | None:
    """Run the quiz. ``session`` makes it a counsellor session quiz: ``{"name": …, "group": …}``
    for a student (their own unfinished quiz is the only one offered), or ``{"unfinished": id}``
    to continue one unfinished session quiz; ``on_finish(result, name, group)`` keeps it (e.g.
    :func:`api.save_session`). ``content``: the question bank and catalogue (the library's
    default when left out)."""
    if prompter is None:
        if not plain and not has_terminal():
            raise NoTerminalError(
                "no terminal to ask questions in: score an answer file with "
                "'jobkompas score FILE' (get one from 'jobkompas template'), "
                "prefill with 'jobkompas quiz --answers FILE', or use --plain for line prompts")
        plain = plain or not can_draw()
        prompter = PlainPrompter() if plain else QuestionaryPrompter()
    plain = plain or isinstance(prompter, PlainPrompter)
    console = console or make_console(plain)
    content = content or api.default_content()
    bank = content.bank()
    language = detect_language(lang)
    saved = _saved_quiz(session)
    if fresh and saved:
        clear_state(saved)
        saved = None
    if resume and saved is None:
        from rich.text import Text

        tr = translator(language)
        console.print(Text(tr("There is no unfinished quiz to continue, so a new one starts.")))
    state: QuizState | None = None
    keep = _Keeper(console, language)
    try:
        if saved and (resume or (session or {}).get("unfinished") or _ask_resume(prompter, saved, lang or saved.language)):
            state = saved
            drop_invalid_answers(state, bank)  # a file edited by hand, or an older bank: asked again
            language = lang or saved.language
            if "EDU-country" not in state.answers:  # never asked, or dropped as invalid
                _ask_country(prompter, bank, state, language)
            if not state.form:  # stopped while choosing the length: choose it now
                state.form = _ask_form(prompter, language, bank)
                keep(state)
        else:
            if saved:
                clear_state(saved)
            state = QuizState(language=language, form=form or "")
            if session is not None:
                state.owner = new_owner(session.get("name"), session.get("group"))
            if prefill is not None:
                pre = api.read_answers(prefill, bank=bank)
                state.answers.update(pre.values)
                state.language = lang or pre.language
                language = state.language
                state.form = form or pre.form or ""
            if country:
                state.answers["EDU-country"] = country
            _welcome(console, language, boxed=not plain, session=session is not None)
            state.numbered_from = 1  # country and length are setting up, not questions: numbering starts after them
            if "EDU-country" not in state.answers:
                _ask_country(prompter, bank, state, language)
            if not state.form:
                state.form = _ask_form(prompter, language, bank)
            keep.language = state.language
            keep(state)
        keep.language = state.language
        while _run_questions(prompter, console, bank, state, keep, content) == BACK:
            # back from the first question: country and length can be changed; answers stay
            if not country:
                _ask_country(prompter, bank, state, state.language)
            state.form = _ask_form(prompter, state.language, bank, default=state.form)
            keep(state)
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
    from ..busy import busy

    tr = translator(state.language)
    with busy(tr("Finding the jobs that fit you …")):  # a first run may parse the content
        result = api.score(answers, bank=bank, catalogue=content.catalogue())
    if on_finish is not None:  # e.g. keep it as a counsellor session, before anything else can fail
        owner = state.owner or {}
        session_id = on_finish(result, owner.get("name"), owner.get("group"))
        from rich.text import Text

        tr = translator(state.language)
        console.print(Text(tr("Saved as session {id}.").format(id=session_id)))
    clear_state(state)
    try:
        again = _results_menu(prompter, console, result)
    except (KeyboardInterrupt, EOFError):
        return result  # the quiz is finished; leaving the results screen loses nothing
    if again == RESTART:
        return run_wizard(lang=state.language, form=None, country=None, prefill=None, resume=False, fresh=True,
                          plain=plain, prompter=prompter, console=console, on_finish=on_finish, session=session,
                          content=content)
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


def _ask_country(prompter: Prompter, bank, state: QuizState, language: str) -> None:
    q = bank.require_education("country")
    default = state.answers.get(q.id) or COUNTRY_FOR_LANGUAGE.get(language)
    state.answers[q.id] = _ask(prompter, q, state, language, header=None, allow_back=False, default=default)


COUNTRY_FOR_LANGUAGE = {"nb": "norway", "da": "denmark"}  # the first guess; the student can choose another


def can_draw() -> bool:
    """A terminal that moves the cursor: not TERM=dumb (or no TERM at all, as under some
    editors and screen readers' consoles), where only line prompts work."""
    import os

    return os.environ.get("TERM", "") not in ("", "dumb")


def _ask_resume(prompter: Prompter, saved: QuizState, lang: str) -> bool:
    tr = translator(lang or saved.language)
    count = len(saved.answers)
    return prompter.select(
        tr("You have an unfinished quiz ({count} answered so far). Continue where you left off?").format(count=count),
        [(tr("Yes, continue"), True), (tr("No, start over"), False)], default=True)


def _ask_form(prompter: Prompter, lang: str, bank: api.QuestionBank, default: str = "mini") -> str:
    tr = translator(lang)
    sizes = {name: len(bank.forms.get(name, ())) for name in ("mini", "standard", "full")}
    return prompter.select(tr("How long a quiz do you want?"), [
        (tr("Short – about 5 minutes ({n} questions)").format(n=sizes["mini"]), "mini"),
        (tr("Standard – about 10 minutes ({n} questions)").format(n=sizes["standard"]), "standard"),
        (tr("Full – about 15 minutes ({n} questions)").format(n=sizes["full"]), "full"),
        (tr("Adaptive – asks only what changes your result (usually 40–55 questions)"), "adaptive"),
    ], default=default if default in sizes or default == "adaptive" else "mini")


def _question_list(bank, state: QuizState) -> list[Question]:
    form = state.form if state.form in bank.forms else "standard"
    return [q for q in bank.form(form) if q.id != "EDU-country"]


def _run_questions(prompter: Prompter, console, bank, state: QuizState, keep: "_Keeper",
                   content: api.Content) -> str | None:
    """Ask until the form is done. Fixed forms walk their list; the adaptive form asks
    what ``api.next_question`` picks and shows an estimate of what is left. Going back
    walks the questions in the order they were asked, for either; back from the first
    question returns :data:`BACK`."""
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
                return None
            q = questions[index]
            progress = tr("Question {n} of {m} · {block}").format(
                n=index + state.numbered_from, m=len(questions) + state.numbered_from - 1,
                block=tr(BLOCK_NAMES[questions[index].block]))
        else:
            current = AnswerSet(values=dict(state.answers), form="adaptive")
            if index < len(state.asked):
                q = bank.questions[state.asked[index]]
            else:
                following = api.next_question(current, form="adaptive", bank=bank, interests_done=state.interests_done,
                                              catalogue=content.catalogue())
                if following is None:
                    return None
                q = following
            left = api.remaining_questions(current, form="adaptive", bank=bank, interests_done=state.interests_done,
                                           catalogue=content.catalogue())
            progress = tr("Question {n} · {block} · about {left} more").format(
                n=index + state.numbered_from, block=tr(BLOCK_NAMES[q.block]), left=max(left, 1))
        may_skip = (adaptive and q.block == "interest" and index >= len(state.asked)
                    and api.may_skip_rest(state.answers, bank))
        value = _ask(prompter, q, state, state.language, progress, allow_back=True, allow_skip=may_skip)
        if value == BACK:
            if index == 0:
                return BACK  # to the country and the length of the quiz
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
         allow_back: bool, allow_skip: bool = False, default: Any = None) -> Any:
    tr = translator(lang)
    if q.scale == "choice":
        options = q.options_for(state.answers.get("EDU-country")) if q.dimension.endswith("level") else q.options
        choices = [(o.text.get(lang, o.text["en"]), o.id) for o in options]
        if q.dimension != "country":  # the country picks the paths shown: it has to be one
            choices.append((tr("not sure"), UNSURE))
        message = q.text.get(lang, q.text["en"])
    else:
        choices = [(value_label(v, q.scale, lang), v) for v in (1, 2, 3, 4, 5)]
        choices.append((tr("not sure"), UNSURE))
        item = q.text.get(lang, q.text["en"])
        if q.scale == "like5":  # an activity that finishes the stem's sentence: "… å reparere en sykkel"
            stem, item = tr("How much would you like to …"), item[:1].lower() + item[1:]
        else:
            stem = tr("How well does this describe you?")
        message = f"{stem}\n  {item}"
    if allow_back:
        choices.append((back_label(prompter, tr), BACK))
    if allow_skip:
        choices.append((tr("Skip the remaining interest questions (your job list will be less accurate)"), SKIP_REST))
    return prompter.select(message, choices, default=state.answers.get(q.id, default), header=header)


def back_label(prompter: Prompter, tr) -> str:
    """'← back', or a plain 'back' for line prompts (a screen reader reads the arrow aloud)."""
    return tr("back (or type b)") if isinstance(prompter, PlainPrompter) else tr("← back")


RESTART = "__restart__"


def _results_menu(prompter: Prompter, console, result: api.Result) -> str | None:
    """The results as one screen (profile, code, ten jobs on a line each) and a menu for the
    rest: the details of a job, the next ten places and back to the top ten, a level filter
    kept across pages and in reports, the whole profile, saving. Returns :data:`RESTART` when
    the student chose to start over."""
    from rich.text import Text

    from ..render import print_occupation, print_profile, print_summary

    tr = translator(result.language)
    lang = result.language
    plain = isinstance(prompter, PlainPrompter)
    shown = result
    top = result  # the first ten, with the filter in force

    def show(r: api.Result) -> None:
        console.print()
        print_summary(console, r, plain=plain)  # reads the width now: a resized terminal gets a fitting layout

    show(shown)
    while True:
        options = []
        if shown.matches:
            options.append((tr("Why these jobs, and how to get there"), "details"))
        if shown.profile.scorable and shown.matches and len(shown.matches) == 10:
            last = shown.matches[-1].rank
            options.append((tr("Places {first}–{last}").format(first=last + 1, last=last + 10), "more"))
        if shown.matches and shown.matches[0].rank > 1:
            options.append((tr("Back to the top 10"), "top"))
        if shown.profile.scorable:
            options.append((tr("Only jobs up to an education level") if shown.max_isced is None
                            else tr("Change or remove the education level filter"), "filter"))
        options += [(tr("My whole interest profile"), "profile"), (tr("Save…"), "save")]
        if not shown.matches:
            options.append((tr("Start over"), "restart"))
        options.append((tr("Quit"), "quit"))
        choice = prompter.select(tr("What next?"), options, default=options[0][1])
        if choice == "quit":
            return None
        if choice == "restart":
            return RESTART
        if choice == "details":
            occ_choices = [(f"{m.occupation.title(lang)} ({m.label})", m.occupation.id) for m in shown.matches]
            # the similar jobs moved down from the top 10 (rules.spread) can be opened from here too
            similar = [(f"{rank}. {result.catalogue.occupations[oid].title(lang)}", oid)
                       for m in shown.matches for oid, rank in m.match.similar]
            try:
                occ_id = prompter.select(tr("Which occupation?"), occ_choices + similar + [(back_label(prompter, tr), BACK)])
            except KeyboardInterrupt:  # Ctrl-C in a sub-menu goes back to the menu
                continue
            if occ_id != BACK:
                occ = result.catalogue.occupations[occ_id]
                console.print()
                print_occupation(occ, result.catalogue, result.bank, lang, result.country, console, plain=plain)
                match = next((m for m in shown.matches if m.occupation.id == occ_id), None)
                if match is not None:
                    if match.match.similar:
                        console.print(Text(match.similar_text(result.catalogue, lang)))
                    _print_reasons(console, match, tr, plain)
        elif choice == "more":  # the next ten, with the level filter (if any) still on
            more = api.score(result.answers, top=10, offset=shown.matches[-1].rank,
                             max_isced=shown.max_isced, bank=result.bank, catalogue=result.catalogue)
            if more.matches:
                shown = more
                show(shown)
            else:
                console.print(tr("No more matches."))
        elif choice == "top":
            shown = top
            show(shown)
        elif choice == "profile":
            print_profile(console, shown, plain)
        elif choice == "filter":
            levels = sorted({o.isced for o in result.bank.require_education("highest_level").options_for(result.country)})
            try:
                isced = prompter.select(tr("Show jobs that need at most:"),
                                        [(isced_name(i, result.country, result.bank, lang), i) for i in levels]
                                        + [(tr("Any level (no filter)"), None)], default=shown.max_isced)
            except KeyboardInterrupt:
                continue
            top = shown = api.score(result.answers, top=10, max_isced=isced, bank=result.bank,
                                    catalogue=result.catalogue)
            show(shown)
        elif choice == "save":
            try:
                _save_menu(prompter, console, tr, result, shown)
            except KeyboardInterrupt:
                console.print(tr("Not saved."))
                continue


def _print_reasons(console, m, tr, plain: bool) -> None:
    from rich.text import Text


    console.print(Text(tr("Why it matches you ({score} of 100)").format(score=f"{m.score:.0f}"), style="bold"))
    for reason, text in zip(m.match.reasons, m.reasons):
        mark = "" if plain else ("+ " if reason.positive else "– ")
        console.print(Text("  " + mark + text))


def _save_menu(prompter: Prompter, console, tr, result: api.Result, shown: api.Result) -> None:
    what = prompter.select(tr("What do you want to save?"), [
        (tr("A report (HTML, for a browser)"), "html"), (tr("A report (Markdown text)"), "markdown"),
        (tr("My answers (to change or score them later)"), "answers"), (back_label(prompter, tr), BACK)])
    if what == BACK:
        return
    if what == "answers":
        path = _ask_path(prompter, console, tr, tr("File name for your answers:"), tr("jobkompas-answers") + ".yaml")
        if path is not None:
            _save(console, tr, lambda: api.write_answers(result.answers, path, bank=result.bank), path)
        return
    ext = "html" if what == "html" else "md"
    path = _ask_path(prompter, console, tr, tr("File name for the report:"), tr("jobkompas-report") + "." + ext)
    if path is None:
        return
    from ..render import render_results

    # the report shows the top ten as chosen now: with the level filter, if one is on
    report = result if shown.max_isced is None else api.score(
        result.answers, top=10, max_isced=shown.max_isced, bank=result.bank, catalogue=result.catalogue)
    report.meta = result.meta

    def write() -> None:
        from ..outfile import write_text

        write_text(path, render_results([report], what))
    _save(console, tr, write, path)


def _ask_path(prompter: Prompter, console, tr, message: str, default: str) -> Path | None:
    """A file name to save to: blank means the default; an existing file is replaced only
    when the student says so. None: nothing to save to."""
    from rich.text import Text

    name = prompter.text(message, default).strip() or default
    path = Path(name).expanduser()
    if path.is_dir():
        console.print(Text(tr("{path} is a folder: give a file name.").format(path=path.resolve())))
        return None
    if path.exists():
        replace = prompter.select(tr("{path} exists already. Replace it?").format(path=path.resolve()),
                                  [(tr("No, keep it"), False), (tr("Yes, replace it"), True)], default=False)
        if not replace:
            return None
    return path


def _save(console, tr, write, path: Path) -> None:
    from rich.text import Text

    try:
        write()
        console.print(Text(tr("Saved: {path}").format(path=path.resolve())))
    except (OSError, OutputError) as exc:
        error = exc.__context__ if isinstance(exc, OutputError) and isinstance(exc.__context__, OSError) else exc
        reason = os_error_text(error, tr) if isinstance(error, OSError) else str(getattr(exc, "reason", exc))
        console.print(Text(tr("Could not save {path}: {error}").format(path=path.resolve(), error=reason)))


def os_error_text(exc: OSError, tr) -> str:
    """Why a file could not be written, in the student's language for the common causes."""
    import errno

    known = {errno.EACCES: N_("you may not write there"), errno.EPERM: N_("you may not write there"),
             errno.ENOENT: N_("that folder does not exist"), errno.ENOTDIR: N_("that folder does not exist"),
             errno.EISDIR: N_("that is a folder"), errno.ENOSPC: N_("the disk is full"),
             errno.EROFS: N_("that disk is read-only"), errno.ENAMETOOLONG: N_("the name is too long")}
    text = known.get(exc.errno or 0)
    return tr(text) if text else (exc.strerror or str(exc))
