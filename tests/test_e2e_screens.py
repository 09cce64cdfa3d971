"""The results screen in real terminals of 100×32 and 60×24: a pseudo-terminal runs the
installed ``jobkompas`` and a terminal emulator (pyte) keeps what the student sees."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")

from test_e2e_pty import jobkompas_command, key_for  # noqa: E402


class Terminal:
    """jobkompas in a pseudo-terminal of ``columns``×``rows``, its output fed to an emulator."""

    def __init__(self, home: Path, columns: int, rows: int, *args: str) -> None:
        env = {**os.environ, "JOBKOMPAS_HOME": str(home), "TERM": "xterm-256color", "NO_COLOR": "1",
               "COLUMNS": str(columns), "LINES": str(rows), "PROMPT_TOOLKIT_NO_CPR": "1"}
        env.pop("CI", None)
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.Stream(self.screen)
        self.child = pexpect.spawn(jobkompas_command(), list(args), env=env, encoding="utf-8",
                                   dimensions=(rows, columns), timeout=30)

    def wait_for(self, pattern: str, timeout: float = 30) -> str:
        """Read until ``pattern`` is on the screen and the output has settled; the screen text."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.3))
                continue
            except pexpect.TIMEOUT:
                pass
            text = self.text()
            if re.search(pattern, text):
                return text
        raise AssertionError(f"{pattern!r} not on the screen:\n{self.text()}")

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def send(self, keys: str) -> None:
        self.child.send(keys)


# even interests with many "not sure": three warnings (flat, a near-tie in the code, many unsure)
UNCERTAIN = {"R": [4, 3, "unsure", "unsure", 3], "I": [3, 4, 3, "unsure", 3], "A": [3, 3, "unsure", 3, 3],
             "S": [4, 3, 3, "unsure", "unsure"], "E": [3, "unsure", 3, "unsure", 3], "C": [3, 4, "unsure", 3, "unsure"]}


def answer_file(tmp_path: Path, uncertain: bool = False) -> Path:
    from jobkompas import api
    from jobkompas.answerfile import write_answer_file

    bank = api.load_bank()
    graded = {"R": 5, "I": 4, "A": 2, "S": 3, "E": 1, "C": 2}
    items = [q for q in bank.form("mini") if q.block == "interest"]
    values = {q.id: (UNCERTAIN[q.dimension][[i.id for i in items if i.dimension == q.dimension].index(q.id)]
                     if uncertain else graded[q.dimension]) for q in items}
    values.update({q.id: 4 for q in bank.form("mini") if q.block == "trait"})
    values.update({"EDU-country": "norway", "EDU-current": "no-grunnskole", "EDU-highest": "no-bachelor",
                   "EDU-route": "either"})
    path = tmp_path / "answers.yaml"
    write_answer_file(api.new_answers(values, language="en", form="mini", bank=bank), path, bank)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("columns,rows", [(100, 32), (60, 24)])
def test_with_three_warnings_the_results_and_the_menu_still_fit_one_screen(tmp_path, columns, rows):
    term = Terminal(tmp_path / "home", columns, rows, "--fresh", "quiz", "--answers",
                    str(answer_file(tmp_path, uncertain=True)))
    screen = term.wait_for(r"\d\) Quit")
    lines = screen.splitlines()
    assert any(line.startswith("Your interests:") for line in lines), screen
    assert len([line for line in lines if line.startswith("! ")]) == 3, screen
    assert len([line for line in lines if re.match(r"^ ?=?\d+\. ", line)]) == 10, screen
    assert "? What next?" in screen and all(len(line) <= columns for line in lines)
    term.send("\x03")
    term.child.expect(pexpect.EOF)


@pytest.mark.slow
@pytest.mark.parametrize("columns,rows", [(100, 32), (60, 24)])
def test_the_results_and_the_menu_fit_one_screen(tmp_path, columns, rows):
    term = Terminal(tmp_path / "home", columns, rows, "--fresh", "quiz", "--answers", str(answer_file(tmp_path)))
    screen = term.wait_for(r"\d\) Quit")
    lines = screen.splitlines()
    # the profile, the code, all ten jobs and the whole menu are on the screen at once
    assert any(line.startswith("Your interests:") for line in lines), screen
    assert "Holland code: R" in screen and "Your top matches" in screen
    jobs = [line for line in lines if re.match(r"^ ?=?\d+\. ", line)]
    assert len(jobs) == 10, screen
    assert "? What next?" in screen and "Places 11–20" in screen
    # the next ten: their own heading, no profile, and a way back to the first ten
    term.send("2\r")
    screen = term.wait_for(r"Back to the top 10")
    assert "More matches: places 11–20" in screen and "\n 11. " in screen
    assert screen.count("Your interests:") == 0 or screen.index("More matches") < screen.index("Your interests:")
    term.send("3\r")
    screen = term.wait_for(r"Places 11–20")
    menu = screen.rsplit("? What next?", 1)[1]
    assert "Your top matches" in screen and "Back to the top 10" not in menu
    term.send("7\r" if "7) Quit" in screen else "6\r")
    term.child.expect(pexpect.EOF)


@pytest.mark.slow
def test_a_whole_quiz_in_norwegian_at_60_by_24(tmp_path):
    term = Terminal(tmp_path / "home", 60, 24, "--lang", "nb", "--fresh", "--form", "mini")
    screen = term.wait_for(r"Hvilket land")
    assert re.search(r"»\s*1\) Norge", screen), screen  # Norway preselected for nb
    term.send("\r")
    number = 0
    while True:
        screen = term.wait_for(r"Spørsmål (\d+) av 43|Hva vil du gjøre nå")
        if "Hva vil du gjøre nå" in screen and "Spørsmål" not in screen.split("Hva vil du gjøre nå")[-1]:
            break
        found = re.findall(r"Spørsmål (\d+) av 43", screen)
        current = int(found[-1])
        if current == number:
            continue
        number = current
        assert all(len(line) <= 60 for line in screen.splitlines())
        if number == 1:
            assert "tilbake" in screen  # the first question can go back to country and length
            assert "Hvor godt liker du å" in screen
        term.send(key_for(number) + "\r")
    assert "Yrkene som passer deg best" in screen and "Interessene dine:" in screen
    term.send("\x03")  # Ctrl-C at the results: the quiz is finished, nothing is lost
    term.child.expect(pexpect.EOF)


@pytest.mark.slow
def test_a_dumb_terminal_gets_line_prompts(tmp_path):
    env = {**os.environ, "JOBKOMPAS_HOME": str(tmp_path / "home"), "TERM": "dumb", "NO_COLOR": "1"}
    env.pop("CI", None)
    child = pexpect.spawn(jobkompas_command(), ["--lang", "en", "--fresh", "--form", "mini"], env=env,
                          encoding="utf-8", dimensions=(24, 80), timeout=30)
    child.expect(r"Which country")
    child.expect(r"\n> ")
    assert "1) Norway" in child.before and "\x1b[" not in child.before  # no cursor moves, colours or hidden cursor
    child.sendline("1")
    child.expect(r"Question 1 of 43")
    child.expect(r"\n> ")
    assert "back (or type b)" in child.before  # says how to go back
    child.sendline("b")  # back from the first question: the country again
    child.expect(r"Which country")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
