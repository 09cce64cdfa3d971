"""Drive the real questionary prompts through prompt_toolkit pipe input."""

from __future__ import annotations

import io
import re

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from jobkompas import api
from jobkompas.errors import Interrupted
from jobkompas.wizard.flow import run_wizard
from jobkompas.wizard.prompts import BACK, QuestionaryPrompter
from jobkompas.wizard.state import load_state


class PipedQuestionary:
    """Each prompt is a real questionary prompt; ``decide`` supplies the keys to type."""

    def __init__(self, decide):
        self.decide = decide
        self.messages: list[str] = []

    def select(self, message, choices, default=None, header=None):
        self.messages.append(f"{header or ''}|{message}")
        keys = self.decide(header or "", message, choices, default)
        with create_pipe_input() as pipe:
            pipe.send_text(keys)
            return QuestionaryPrompter(input=pipe, output=DummyOutput()).select(message, choices, default, header)

    def text(self, message, default=""):
        with create_pipe_input() as pipe:
            pipe.send_text("\r")
            return QuestionaryPrompter(input=pipe, output=DummyOutput()).text(message, default)


def lowered(text: str) -> str:
    """An item as the interest stem shows it: its first letter in lower case."""
    return text[:1].lower() + text[1:]


def realistic_keys(header, message, choices, default):
    """Strongly like Realistic items, strongly dislike the rest; quit at the results."""
    values = [v for _, v in choices]
    if "quit" in values:  # the results menu
        return str(values.index("quit") + 1) + "\r"
    if "unsure" in values:
        item = message.splitlines()[-1].strip()
        bank = api.load_bank()
        realistic = {lowered(q.text[lang]) for q in bank.by_block("interest") if q.dimension == "R" for lang in q.text}
        traits = {q.text[lang] for q in bank.by_block("trait") for lang in q.text}
        if item in traits:
            return "4\r"
        return ("5" if lowered(item) in realistic else "1") + "\r"
    return "\r"  # country, form and education: the default (first) choice


def console():
    return Console(file=io.StringIO(), width=100, color_system=None)


@pytest.mark.slow
def test_mini_quiz_through_real_prompts_gives_a_realistic_result():
    prompter = PipedQuestionary(realistic_keys)
    out = console()
    result = run_wizard(lang="en", form="mini", country=None, prefill=None, resume=False, fresh=True,
                        plain=False, prompter=prompter, console=out)
    assert result.profile.holland.startswith("R")
    assert result.answers.values["EDU-country"] == "norway"
    assert len(result.answers.values) == len(api.load_bank().form("mini"))
    assert any("Question 1 of 43 · Interests" in m for m in prompter.messages)
    screen = out.file.getvalue()
    assert "Your top matches" in screen and "Holland code: R" in screen
    assert load_state() is None, "a finished quiz leaves no unfinished state"


@pytest.mark.slow
def test_going_back_changes_an_earlier_answer():
    went_back = []

    def keys(header, message, choices, default):
        if header.startswith("Question 3 of 43") and not went_back:  # --country: not asked, so I01 is 2
            went_back.append(True)
            return str(next(i for i, (_, v) in enumerate(choices, 1) if v == BACK)) + "\r"
        if header.startswith("Question 2 of 43") and went_back and default is not None:
            return "3\r"  # change I01 to neutral on the way back
        return realistic_keys(header, message, choices, default)

    result = run_wizard(lang="en", form="mini", country="denmark", prefill=None, resume=False, fresh=True,
                        plain=False, prompter=PipedQuestionary(keys), console=console())
    assert went_back and result.answers.values["I01"] == 3
    assert result.country == "denmark"


def question_number(header: str) -> int | None:
    """The N of a "Spørsmål N av M · …" / "Question N of M · …" header."""
    match = re.match(r"(?:Spørsmål|Question) (\d+) (?:av|of) ", header)
    return int(match.group(1)) if match else None


def asked_ids(messages: list[str]) -> list[str]:
    """The question ids behind the recorded ``header|message`` prompts (numbered ones only)."""
    bank = api.load_bank()
    by_text = {lowered(q.text[lang]): q.id for q in bank.questions.values() for lang in q.text}
    out = []
    for entry in messages:
        header, message = entry.split("|", 1)
        if question_number(header) is not None:
            out.append(by_text[lowered(message.splitlines()[-1].strip())])
    return out


def twos_first(header, message, choices, default):
    """Questions 1–10 (the first ten interest items) answered "2" (dislike): not what
    ``realistic_keys`` answers, so an answer asked again after resuming would show."""
    number = question_number(header)
    if number is not None and number <= 10 and "unsure" in [v for _, v in choices]:
        return "2\r"
    return realistic_keys(header, message, choices, default)


@pytest.mark.slow
def test_ctrl_c_keeps_answers_and_resume_asks_only_the_rest():
    def interrupting(header, message, choices, default):
        if question_number(header) == 11:
            return "\x03"  # Ctrl-C inside the prompt
        return twos_first(header, message, choices, default)

    before = PipedQuestionary(interrupting)
    with pytest.raises(Interrupted):
        run_wizard(lang="nb", form="mini", country=None, prefill=None, resume=False, fresh=True,
                   plain=False, prompter=before, console=console())
    mini = [q.id for q in api.load_bank().form("mini")]
    answered = asked_ids(before.messages)[:-1]  # the last one was interrupted
    assert answered == mini[:10]
    saved = load_state()
    assert saved is not None and saved.language == "nb" and saved.form == "mini"
    assert saved.answers == {"EDU-country": "norway", **{qid: 2 for qid in answered}}

    after = PipedQuestionary(realistic_keys)
    resumed = run_wizard(lang=None, form=None, country=None, prefill=None, resume=True, fresh=False,
                         plain=False, prompter=after, console=console())
    again = asked_ids(after.messages)
    # resumed at the interrupted question, same number; nothing answered is asked again
    numbered = [m for m in after.messages if question_number(m) is not None]
    assert numbered[0].startswith("Spørsmål 11 av 43 · ") and again[0] == mini[10]
    assert not set(again) & set(saved.answers)
    assert again == [qid for qid in mini if qid not in saved.answers]  # the rest, once each, in order
    assert len(after.messages) == len(again) + 1  # no country or form question; then the results menu
    # the answers from before the interruption are in the result, as given then
    assert {qid: resumed.answers.values[qid] for qid in saved.answers} == saved.answers
    assert set(resumed.answers.values) == set(mini)
    assert load_state() is None

    straight = run_wizard(lang="nb", form="mini", country=None, prefill=None, resume=False, fresh=True,
                          plain=False, prompter=PipedQuestionary(twos_first), console=console())
    assert resumed.to_dict() == straight.to_dict()


@pytest.mark.slow
def test_prefilled_answers_are_not_asked_again(tmp_path):
    path = tmp_path / "partial.yaml"
    path.write_text("format: jobkompas-answers/1\nlanguage: en\nform: mini\ncountry: norway\n"
                    "answers:\n  R01: 5\n  I01: 1\n  A01: 1\n", encoding="utf-8")
    prompter = PipedQuestionary(realistic_keys)
    result = run_wizard(lang=None, form=None, country=None, prefill=path, resume=False, fresh=True,
                        plain=False, prompter=prompter, console=console())
    asked = [m for m in prompter.messages if m.startswith("Question")]
    assert len(asked) == len(api.load_bank().form("mini")) - 4  # three prefilled + the country
    assert result.answers.values["R01"] == 5


def test_plain_mode_reads_numbered_answers_from_a_pipe():
    from jobkompas.wizard.prompts import PlainPrompter

    bank = api.load_bank()
    lines = ["1", "1"]  # Norway, mini
    for q in bank.form("mini"):
        if q.id == "EDU-country":
            continue
        lines.append("5" if q.dimension == "R" else ("1" if q.block != "education" else "1"))
    lines.append("6")  # quit
    out = io.StringIO()
    prompter = PlainPrompter(stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out)
    screen = console()
    result = run_wizard(lang="en", form=None, country=None, prefill=None, resume=False, fresh=True,
                        plain=True, prompter=prompter, console=screen)
    text = screen.file.getvalue()
    assert "\n1. " in text and ", match " in text and "┃" not in text and "│" not in text
    assert "█" not in text and "→" not in text and "+ " not in text  # nothing a screen reader reads as noise
    assert result.profile.holland.startswith("R")
    assert "  6) not sure" in out.getvalue()
    assert "Question 1 of 43" in out.getvalue() and "Question 43 of 43" in out.getvalue()


@pytest.mark.slow
def test_quiz_with_session_is_kept_for_the_counsellor():
    from jobkompas.counsellor import save_result
    from jobkompas.store import Store

    def keep(result, name, group):
        with Store() as store:
            return save_result(store, result, name=name, group=group)

    out = console()
    result = run_wizard(lang="en", form="mini", country=None, prefill=None, resume=False, fresh=True,
                        plain=False, prompter=PipedQuestionary(realistic_keys), console=out, on_finish=keep,
                        session={"name": "Test Student", "group": "10B"})
    with Store() as store:
        [session] = store.list("10B")
    assert session.display_name == "Test Student" and session.holland == result.profile.holland
    assert session.result["matches"][0]["id"] == result.matches[0].occupation.id
    assert f"Saved as session {session.id}" in out.file.getvalue()


@pytest.mark.slow
def test_a_data_dir_that_cannot_be_written_costs_only_resuming(tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the data dir should be", encoding="utf-8")
    monkeypatch.setenv("JOBKOMPAS_HOME", str(blocked))
    out = console()
    result = run_wizard(lang="da", form="mini", country=None, prefill=None, resume=False, fresh=True,
                        plain=False, prompter=PipedQuestionary(realistic_keys), console=out)
    assert result.profile.holland.startswith("R")
    screen = out.file.getvalue()
    assert screen.count("Dine svar kan ikke gemmes undervejs") == 1  # said once, not per answer
    assert str(blocked) in screen

    def interrupting(header, message, choices, default):
        return "\x03" if question_number(header) == 5 else realistic_keys(header, message, choices, default)

    with pytest.raises(Interrupted, match="Svarene dine kunne ikke lagres") as stopped:
        run_wizard(lang="nb", form="mini", country=None, prefill=None, resume=False, fresh=True,
                   plain=False, prompter=PipedQuestionary(interrupting), console=console())
    assert "--resume" not in str(stopped.value)


@pytest.mark.slow
def test_the_resume_question_speaks_the_saved_quiz_language(monkeypatch):
    monkeypatch.setenv("LANG", "en_GB.UTF-8")  # the terminal says English; the quiz was Danish

    def interrupting(header, message, choices, default):
        return "\x03" if "4 af" in header else realistic_keys(header, message, choices, default)

    with pytest.raises(Interrupted):
        run_wizard(lang="da", form="mini", country=None, prefill=None, resume=False, fresh=True,
                   plain=False, prompter=PipedQuestionary(interrupting), console=console())
    asked = []

    def answer(header, message, choices, default):
        asked.append(message)
        return "\x03"  # leave at once: only the first question matters

    with pytest.raises(Interrupted):
        run_wizard(lang=None, form=None, country=None, prefill=None, resume=False, fresh=False,
                   plain=False, prompter=PipedQuestionary(answer), console=console())
    assert asked[0].startswith("Du har en ufærdig quiz")


def _saved_file(data) -> None:
    import json

    from jobkompas.outfile import private_dir
    from jobkompas.wizard.state import state_path

    path = state_path()
    private_dir(path.parent)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("broken", [
    {"language": 5, "form": "mini"},
    {"language": "en", "form": "mini", "answers": ["R01", 5]},
    {"language": "en", "form": "mini", "position": "3"},
    {"language": "en", "form": "mini", "asked": "R01"},
    {"language": "en", "form": "mini", "owner": "me"},
    ["not", "a", "mapping"],
], ids=["language", "answers", "position", "asked", "owner", "list"])
def test_a_saved_quiz_of_wrong_types_is_set_aside_not_a_crash(broken):
    from jobkompas.wizard.state import state_path

    _saved_file(broken)
    assert load_state() is None
    assert state_path().with_suffix(".damaged").exists() and not state_path().exists()
    result = run_wizard(lang="en", form="mini", country=None, prefill=None, resume=True, fresh=False,
                        plain=False, prompter=PipedQuestionary(realistic_keys), console=console())
    assert result.profile.holland[0] == "R"


@pytest.mark.slow
def test_invalid_saved_answers_are_dropped_and_asked_again():
    bank = api.load_bank()
    mini = [q.id for q in bank.form("mini")]
    interest = [q.id for q in bank.by_block("interest") if q.id in mini]
    saved = {qid: 2 for qid in mini if qid.startswith(("R", "I", "A", "S", "E", "C")) and qid in interest}
    saved.update({interest[0]: 9, interest[1]: "lots", "NO-SUCH": 3, "EDU-country": "atlantis"})
    _saved_file({"language": "en", "form": "mini", "answers": saved, "asked": list(saved) + ["NO-SUCH"],
                 "position": 99})
    session = PipedQuestionary(realistic_keys)
    result = run_wizard(lang=None, form=None, country=None, prefill=None, resume=True, fresh=False,
                        plain=False, prompter=session, console=console())
    asked = asked_ids(session.messages)
    assert interest[0] in asked and interest[1] in asked  # asked again, not trusted
    assert result.answers.values["EDU-country"] in {o.id for o in bank.education("country").options}
    assert "NO-SUCH" not in result.answers.values
    assert set(result.answers.values) >= set(mini)
