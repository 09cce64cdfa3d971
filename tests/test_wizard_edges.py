"""The rough edges of the quiz and its results screen, each on its own."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from jobkompas import api
from jobkompas.errors import Interrupted
from jobkompas.questions import UNSURE
from jobkompas.wizard.flow import RESTART, _results_menu, run_wizard
from jobkompas.wizard.prompts import BACK, QuestionaryPrompter
from jobkompas.wizard.state import load_state


class Scripted:
    """Answers each prompt with ``decide(message, choices, default)``; records what was asked."""

    def __init__(self, decide, texts=()):
        self.decide = decide
        self.asked: list[tuple[str, list, object]] = []
        self.texts = list(texts)

    def select(self, message, choices, default=None, header=None):
        self.asked.append((f"{header or ''}|{message}", list(choices), default))
        return self.decide(message, choices, default)

    def text(self, message, default=""):
        self.asked.append((message, [], default))
        return self.texts.pop(0) if self.texts else default


def screen(width: int = 100) -> Console:
    return Console(file=io.StringIO(), width=width, color_system=None)


def values(choices):
    return [v for _, v in choices]


def answer_all(message, choices, default):
    """Likes Realistic items, answers 4 to statements, the first option otherwise; quits at the end."""
    vs = values(choices)
    if "quit" in vs:
        return "quit"
    if UNSURE in vs and 5 in vs:
        return 4
    return default if default in vs else vs[0]


def scored(bank, catalogue, like_r: bool = True, **extra):
    graded = {"R": 5, "I": 4, "A": 2, "S": 3, "E": 1, "C": 2}  # a clear profile, no flags
    vals = {q.id: graded[q.dimension] if like_r else 3 for q in bank.by_block("interest")}
    vals.update({"EDU-country": "norway", **extra})
    return api.score(api.new_answers(vals, bank=bank), bank=bank, catalogue=catalogue)


# ------------------------------------------------------------ the quiz


def test_resuming_after_stopping_at_the_length_question_asks_the_length():
    def stop_at_length(message, choices, default):
        if message.startswith("How long"):
            raise KeyboardInterrupt
        return answer_all(message, choices, default)

    with pytest.raises(Interrupted):
        run_wizard(lang="en", form=None, country=None, prefill=None, resume=False, fresh=True, plain=False,
                   prompter=Scripted(stop_at_length), console=screen())
    assert load_state() is not None and load_state().form == ""
    chosen = Scripted(lambda m, c, d: "mini" if m.startswith("How long") else answer_all(m, c, d))
    result = run_wizard(lang=None, form=None, country=None, prefill=None, resume=True, fresh=False, plain=False,
                        prompter=chosen, console=screen())
    assert any(m.startswith("|How long") for m, _, _ in chosen.asked)
    assert result.answers.form == "mini" and len(result.answers.values) == len(api.load_bank().form("mini"))


def test_education_questions_offer_not_sure_but_the_country_does_not():
    prompter = Scripted(answer_all)
    run_wizard(lang="en", form="mini", country=None, prefill=None, resume=False, fresh=True, plain=False,
               prompter=prompter, console=screen())
    bank = api.load_bank()
    education = {q.text["en"] for q in bank.by_block("education") if q.dimension != "country"}
    offered = [vs for m, vs, _ in prompter.asked if m.split("|")[1] in education]
    assert offered and all(UNSURE in values(c) for c in offered)
    country = [vs for m, vs, _ in prompter.asked if m.split("|")[1] == bank.education("country").text["en"]]
    assert country and UNSURE not in values(country[0])


def test_not_sure_is_a_valid_education_answer_in_files_but_not_for_the_country(tmp_path):
    from jobkompas.errors import InputError

    bank = api.load_bank()
    good = tmp_path / "a.yaml"
    good.write_text("format: jobkompas-answers/1\nanswers:\n  EDU-country: norway\n  EDU-highest: unsure\n",
                    encoding="utf-8")
    assert api.read_answers(good, bank=bank).values["EDU-highest"] == UNSURE
    bad = tmp_path / "b.yaml"
    bad.write_text("format: jobkompas-answers/1\nanswers:\n  EDU-country: unsure\n", encoding="utf-8")
    with pytest.raises(InputError, match="b.yaml"):
        api.read_answers(bad, bank=bank)


def test_back_from_the_first_question_changes_country_and_length():
    went_back = []

    def decide(message, choices, default):
        vs = values(choices)
        if BACK in vs and not went_back:
            went_back.append(True)
            return BACK
        if message.startswith("Which country") and went_back:
            return "denmark"
        if message.startswith("How long") and went_back:
            assert default == "mini"  # the length chosen before is the default
            return "mini"
        return answer_all(message, choices, default)

    prompter = Scripted(decide)
    result = run_wizard(lang="en", form=None, country=None, prefill=None, resume=False, fresh=True, plain=False,
                        prompter=prompter, console=screen())
    first = next(vs for m, vs, _ in prompter.asked if m.startswith("Question 1 of"))
    assert BACK in values(first) and went_back
    assert result.country == "denmark"


@pytest.mark.parametrize("lang,country", [("da", "denmark"), ("nb", "norway"), ("en", None)])
def test_the_language_preselects_its_country(lang, country):
    prompter = Scripted(answer_all)
    run_wizard(lang=lang, form="mini", country=None, prefill=None, resume=False, fresh=True, plain=False,
               prompter=prompter, console=screen())
    message, choices, default = prompter.asked[0]
    assert "norway" in values(choices) and default == country


def test_resume_with_nothing_saved_says_so():
    out = screen()
    run_wizard(lang="nb", form="mini", country=None, prefill=None, resume=True, fresh=False, plain=False,
               prompter=Scripted(answer_all), console=out)
    assert "Det finnes ingen uferdig quiz å fortsette" in out.file.getvalue()


def test_number_keys_choose_in_lists_longer_than_ten():
    choices = [(f"Job {i}", i) for i in range(1, 12)]
    with create_pipe_input() as pipe:
        pipe.send_text("a\r")  # the 11th: keys 1–9, 0, then letters
        assert QuestionaryPrompter(input=pipe, output=DummyOutput()).select("Which occupation?", choices) == 11
    with create_pipe_input() as pipe:
        pipe.send_text("9\r")
        assert QuestionaryPrompter(input=pipe, output=DummyOutput()).select("Which occupation?", choices) == 9


def test_interest_stems_end_in_the_item_in_lower_case():
    prompter = Scripted(answer_all)
    run_wizard(lang="nb", form="mini", country=None, prefill=None, resume=False, fresh=True, plain=False,
               prompter=prompter, console=screen())
    item = next(m for m, _, _ in prompter.asked if "Hvor godt liker du å …" in m)
    assert item.splitlines()[-1].strip()[0].islower()
    assert any("Hvor godt stemmer dette for deg?" in m for m, _, _ in prompter.asked)


# ------------------------------------------------------------ the results menu


def test_ctrl_c_in_a_sub_menu_goes_back_to_the_menu(bank, catalogue):
    seen = []

    def decide(message, choices, default):
        seen.append(message)
        if message == "Which occupation?":
            raise KeyboardInterrupt
        return "details" if seen.count("What next?") == 1 else "quit"

    assert _results_menu(Scripted(decide), screen(), scored(bank, catalogue)) is None
    assert seen == ["What next?", "Which occupation?", "What next?"]


def test_more_matches_has_its_own_heading_and_a_way_back_to_the_top_ten(bank, catalogue):
    menus = []
    script = iter(["more", "top", "quit"])

    def decide(message, choices, default):
        menus.append(values(choices))
        return next(script)

    out = screen()
    _results_menu(Scripted(decide), out, scored(bank, catalogue))
    text = out.file.getvalue()
    assert text.count("Your top matches") == 2 and "More matches: places 11–20" in text
    assert text.count("Your interests:") == 2  # the first ten show the profile; places 11–20 do not
    assert "top" not in menus[0] and "top" in menus[1]


def test_the_first_screen_fits_32_rows_and_each_job_is_one_line(bank, catalogue):
    out = screen(100)
    result = scored(bank, catalogue)
    from jobkompas.render import print_summary

    assert not result.profile.flags
    print_summary(out, result)
    lines = out.file.getvalue().splitlines()
    assert len(lines) + 8 <= 32  # with the seven-choice menu below it
    assert len(result.matches) == 10
    for m in result.matches:
        assert sum(m.occupation.title("en")[:20] in line for line in lines) == 1
    narrow = screen(60)
    print_summary(narrow, result)
    assert len(narrow.file.getvalue().splitlines()) + 8 <= 24 and all(
        len(line) <= 60 for line in narrow.file.getvalue().splitlines())


def test_no_matches_offers_start_over_and_no_details(bank, catalogue):
    flat = scored(bank, catalogue, like_r=False)
    assert not flat.matches
    menus = []

    def decide(message, choices, default):
        menus.append(values(choices))
        return "restart"

    assert _results_menu(Scripted(decide), screen(), flat) == RESTART
    assert "restart" in menus[0] and "details" not in menus[0]


def test_saving_uses_the_default_name_for_a_blank_one_and_shows_the_full_path(bank, catalogue, tmp_path,
                                                                              monkeypatch):
    monkeypatch.chdir(tmp_path)
    script = iter(["save", "answers", "quit"])
    out = screen(200)
    _results_menu(Scripted(lambda m, c, d: next(script), texts=["  "]), out, scored(bank, catalogue))
    saved = tmp_path / "jobkompas-answers.yaml"
    assert saved.is_file() and f"Saved: {saved}" in out.file.getvalue()


def test_saving_over_a_file_asks_first_and_keeps_it_on_no(bank, catalogue, tmp_path):
    target = tmp_path / "mine.md"
    target.write_text("keep me", encoding="utf-8")
    asked = []

    def decide(message, choices, default):
        if "exists already" in message:
            asked.append(message)
            return False
        return next(script)

    script = iter(["save", "markdown", "quit"])
    _results_menu(Scripted(decide, texts=[str(target)]), screen(), scored(bank, catalogue))
    assert asked and target.read_text(encoding="utf-8") == "keep me"
    script = iter(["save", "markdown", "quit"])
    _results_menu(Scripted(lambda m, c, d: True if "exists already" in m else next(script), texts=[str(target)]),
                  screen(), scored(bank, catalogue))
    assert "keep me" not in target.read_text(encoding="utf-8")


def test_saving_errors_and_default_names_are_in_the_students_language(bank, catalogue, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = scored(bank, catalogue)
    nb = api.score(api.new_answers(result.answers.values, bank=bank, language="nb"), bank=bank, catalogue=catalogue)
    out = screen(200)
    script = iter(["save", "answers", "save", "html", "quit"])
    prompter = Scripted(lambda m, c, d: next(script), texts=[str(tmp_path / "no-such-folder" / "x.yaml")])
    _results_menu(prompter, out, nb)
    text = out.file.getvalue()
    assert "den mappen finnes ikke" in text
    assert (tmp_path / "jobkompas-rapport.html").is_file()
    header = (Path(tmp_path) / "h.yaml")
    from jobkompas.answerfile import write_answer_file

    write_answer_file(nb.answers, header, bank)
    assert header.read_text(encoding="utf-8").startswith("# Svarfil for jobkompas")


# ------------------------------------------------------------ words


def test_years_are_counted_in_the_right_number(bank, catalogue):
    from jobkompas.render import years_text

    assert years_text(1, "en") == "1 year" and years_text(3, "en") == "3 years" and years_text(1.5, "nb") == "1,5 år"


def test_details_label_the_other_languages_and_show_only_the_screens_classification(bank, catalogue):
    from jobkompas.render import print_occupation

    occ = catalogue.get("nurse")
    texts = {}
    for lang in ("en", "nb", "da"):
        out = screen(200)
        print_occupation(occ, catalogue, bank, lang, "norway", out)
        texts[lang] = out.file.getvalue()
    assert "In other languages: Norwegian Sykepleier, Danish Sygeplejerske" in texts["en"]
    assert "På andre språk: engelsk Nurse, dansk Sygeplejerske" in texts["nb"]
    assert "STYRK-08" in texts["nb"] and "DISCO-08" not in texts["nb"]
    assert "DISCO-08" in texts["da"] and "STYRK-08" not in texts["da"]
    assert "STYRK-08" in texts["en"] and "DISCO-08" in texts["en"]


def test_public_domain_is_translated():
    from jobkompas.sources import sources_text

    assert "public domain" in sources_text("en")
    assert "public domain" not in sources_text("nb") and "public domain" not in sources_text("da")


@pytest.mark.parametrize("columns", [60, 100, 24])
def test_a_long_activity_wraps_between_words_at_the_terminal_width(columns):
    """At 60 columns the terminal would cut the activity mid-word; the prompt wraps it between
    words, keeps its indent and the "? " questionary puts before the first line in view."""
    from jobkompas.wizard.prompts import fit_lines

    item = "finne og rette feilen når noe elektrisk slutter å virke, mens en elektriker viser deg hvordan"
    message = f"Spørsmål 25 av 43 · Interesser\nHvor godt liker du å …\n  {item}"
    lines = fit_lines(message, columns).split("\n")
    assert all(len(line) <= max(columns - 2, 20) for line in lines)
    assert " ".join(line.strip() for line in lines).split() == message.split()  # no word cut or lost
    activity = lines[next(i for i, line in enumerate(lines) if line.endswith("…")) + 1:]
    assert all(line.startswith("  ") for line in activity)
    assert (len(activity) > 1) is (columns < 100)


@pytest.mark.parametrize("question, answer_width, own_line", [
    ("Hvor lang utdanning kan du tenke deg å ta?", len("Videregående, studieforberedende"), True),
    ("Hvor lang utdanning kan du tenke deg å ta?", len("Master"), False),
])
def test_an_answer_that_would_not_fit_after_the_question_gets_a_line_of_its_own(question, answer_width, own_line):
    """questionary writes the answer after the question's last line once it is chosen; at 60
    columns "… å ta? Videregående, stu" / "dieforberedende" was cut mid-word."""
    from jobkompas.wizard.prompts import fit_lines

    lines = fit_lines(f"Spørsmål 42 av 43 · Utdanning\n{question}", 60, answer_width=answer_width).split("\n")
    assert (lines[-1] == "") is own_line
    assert len(lines[-1]) + 1 + answer_width <= 58
