"""End to end in a pseudo-terminal: the installed ``jobkompas``, real keys, real screen."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

RIASEC = "RIASEC"


def jobkompas_command() -> str:
    installed = Path(sys.executable).with_name("jobkompas")
    return str(installed) if installed.exists() else shutil.which("jobkompas")


def spawn(home: Path, *args: str):
    env = {**os.environ, "JOBKOMPAS_HOME": str(home), "TERM": "xterm-256color", "NO_COLOR": "1",
           "COLUMNS": "100", "LINES": "40",
           # pexpect is no real terminal: it never answers cursor-position requests
           "PROMPT_TOOLKIT_NO_CPR": "1"}
    env.pop("CI", None)
    return pexpect.spawn(jobkompas_command(), list(args), env=env, encoding="utf-8",
                         dimensions=(40, 100), timeout=20, logfile=open(os.environ["E2E_LOG"], "a") if os.environ.get("E2E_LOG") else None)


def key_for(number: int) -> str:
    """Question n of the mini form: 2–31 rotate through R, I, A, S, E, C; then traits; then education."""
    if 2 <= number <= 31:
        return "5" if RIASEC[(number - 2) % 6] == "R" else "1"
    if 32 <= number <= 41:
        return "4"
    return "1"


def settle(child) -> None:
    """Wait until the prompt has finished drawing (prompt_toolkit re-enables autowrap last)."""
    child.expect_exact("\x1b[?7h")


# A prompt is drawn with its numbered choices; once answered it is redrawn with the answer
# only. Match the header only when choices follow it, so each question is answered once.
PROMPT = re.compile(r"Question (\d+) of 44(?:(?!Question|Your interest|What next).){0,800}?1\) ", re.DOTALL)


def answer_until(child, stop: int | None, went_back: list[bool]) -> None:
    while True:
        index = child.expect([PROMPT, r"Your top matches"])
        if index == 1:
            return
        number = int(child.match.group(1))
        settle(child)
        if stop is not None and number == stop:
            child.sendcontrol("c")
            return
        if number == 5 and not went_back:
            went_back.append(True)
            child.send("7\r")  # "← back" is the 7th choice
            child.expect(PROMPT)
            assert child.match.group(1) == "4"
            settle(child)
            child.send(key_for(4) + "\r")
            continue
        child.send(key_for(number) + "\r")


@pytest.mark.slow
def test_mini_quiz_back_interrupt_resume_finish(tmp_path):
    home = tmp_path / "home"
    child = spawn(home, "--lang", "en", "--fresh")
    child.expect("Welcome to jobkompas")
    child.expect("Which country")
    settle(child)
    child.send("\r")
    child.expect("How long a quiz")
    settle(child)
    child.send("\r")
    went_back: list[bool] = []
    answer_until(child, stop=10, went_back=went_back)
    child.expect("answers are saved")
    assert "error" not in child.before.splitlines()[-1]  # stopping is not reported as an error
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert went_back and (home / "unfinished-quiz.json").exists()

    child = spawn(home, "--lang", "en")
    child.expect("unfinished quiz")
    settle(child)
    child.send("\r")  # yes, continue
    child.expect(PROMPT)
    assert child.match.group(1) == "10"
    settle(child)
    child.send(key_for(10) + "\r")
    answer_until(child, stop=None, went_back=went_back)
    child.expect("What next")
    settle(child)
    child.send("6\r")  # quit
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert not (home / "unfinished-quiz.json").exists()


@pytest.mark.slow
def test_results_screen_shows_profile_and_matches(tmp_path):
    home = tmp_path / "home"
    child = spawn(home, "--lang", "en", "--form", "mini", "--fresh")
    child.expect("Which country")
    settle(child)
    child.send("\r")
    answer_until(child, stop=None, went_back=[True])
    text = child.before
    child.expect("What next")
    text += child.before
    settle(child)
    assert "Holland code: R" in text
    assert re.search(r"█+░*|#{2,}\.*", text)  # a profile bar (ASCII where the terminal needs it)
    child.send("6\r")
    child.expect(pexpect.EOF)


@pytest.mark.slow
def test_batch_shows_a_progress_bar_on_a_terminal_and_none_when_piped(tmp_path):
    """A long batch draws a bar on stderr in a terminal; piped, stderr has only the summary."""
    import subprocess

    from jobkompas import api

    bank = api.load_bank()
    questions = [q for q in bank.form("mini") if q.scale != "choice"]
    rows = ["id," + ",".join(q.id for q in questions)]
    rows += [f"s{i}," + ",".join(str(1 + (i + k) % 5) for k in range(len(questions))) for i in range(60000)]
    path = tmp_path / "class.csv"
    path.write_text("\n".join(rows) + "\n")
    child = spawn(tmp_path, "batch", str(path), "--out", str(tmp_path / "out.csv"))
    child.expect(r"scoring.*\d+%.*rows")
    child.expect(r"scored 60000 row\(s\), 0 failed")
    child.expect(pexpect.EOF)
    piped = subprocess.run([jobkompas_command(), "batch", str(path), "--out", str(tmp_path / "out2.csv")],
                           capture_output=True, text=True, env={**os.environ, "JOBKOMPAS_HOME": str(tmp_path)})
    assert piped.stderr == "jobkompas: scored 60000 row(s), 0 failed\n"
    assert (tmp_path / "out.csv").read_bytes() == (tmp_path / "out2.csv").read_bytes()


def answer_with(child, keys, stop: int | None = None) -> str:
    """Answer every prompt with ``keys(number)``; Ctrl-C at question ``stop``. Returns what
    was shown between the last question and the results."""
    while True:
        if child.expect([PROMPT, r"Your top matches"]) == 1:
            return child.before
        number = int(child.match.group(1))
        settle(child)
        if number == stop:
            child.sendcontrol("c")
            return
        child.send(keys(number) + "\r")


def social_key(number: int) -> str:
    if 2 <= number <= 31:
        return "5" if RIASEC[(number - 2) % 6] == "S" else "2"
    return "3"


@pytest.mark.slow
def test_two_named_students_on_one_machine_interrupted_and_resumed(tmp_path):
    """A presses Ctrl-C mid-quiz; B starts on the same machine and is not offered A's answers;
    A continues later and finishes; each session holds its own student's answers."""
    import json
    import subprocess

    home = tmp_path / "home"
    ada = spawn(home, "quiz", "--session", "--name", "Ada", "--group", "10B", "--lang", "en", "--form", "mini")
    ada.expect("kept by your counsellor")
    ada.expect("Which country")
    settle(ada)
    ada.send("\r")
    answer_with(ada, key_for, stop=12)
    ada.expect("answers are saved")
    ada.expect("jobkompas quiz --session --name Ada --group 10B --resume")
    ada.expect(pexpect.EOF)
    ada.close()
    assert ada.exitstatus == 130

    bo = spawn(home, "quiz", "--session", "--name", "Bo", "--group", "10B", "--lang", "en", "--form", "mini")
    index = bo.expect(["unfinished quiz", "Which country"])
    assert index == 1, "Bo was offered another student's unfinished quiz"
    settle(bo)
    bo.send("\r")
    bo.expect(PROMPT)
    assert bo.match.group(1) == "2"  # from the first question, nothing prefilled
    settle(bo)
    bo.send(social_key(2) + "\r")
    assert "Saved as session" in answer_with(bo, social_key)
    bo.expect("What next")
    settle(bo)
    bo.send("6\r")
    bo.expect(pexpect.EOF)
    bo.close()
    assert bo.exitstatus == 0

    listed = subprocess.run([jobkompas_command(), "sessions", "list", "--lang", "en"], capture_output=True,
                            text=True, env={**os.environ, "JOBKOMPAS_HOME": str(home)})
    assert "unfinished: 11 of 44 answered" in listed.stdout and "Ada" not in listed.stdout

    ada = spawn(home, "quiz", "--session", "--name", "Ada", "--group", "10B", "--lang", "en")
    ada.expect(r"unfinished quiz \(11 answered")
    settle(ada)
    ada.send("\r")  # yes, continue
    ada.expect(PROMPT)
    assert ada.match.group(1) == "12"
    settle(ada)
    ada.send(key_for(12) + "\r")
    assert "Saved as session" in answer_with(ada, key_for)
    ada.expect("What next")
    settle(ada)
    ada.send("6\r")
    ada.expect(pexpect.EOF)
    ada.close()
    assert ada.exitstatus == 0

    exported = subprocess.run([jobkompas_command(), "sessions", "list", "--json", "--names"], capture_output=True,
                              text=True, env={**os.environ, "JOBKOMPAS_HOME": str(home)})
    rows = json.loads(exported.stdout)
    assert [(r["name"], r["status"]) for r in rows] == [("Bo", "finished"), ("Ada", "finished")]
    codes = {r["name"]: r["holland_code"] for r in rows}
    assert codes["Ada"].startswith("R") and codes["Bo"].startswith("S")
    assert not list((home / "unfinished").glob("u-*.json"))
    from jobkompas import api

    asked = [q.id for q in api.load_bank().form("mini") if q.id != "EDU-country"]
    exported = subprocess.run([jobkompas_command(), "sessions", "export", "--format", "json", "--include-names"],
                              capture_output=True, text=True, env={**os.environ, "JOBKOMPAS_HOME": str(home)})
    answers = {d["name"]: d["answers"] for d in json.loads(exported.stdout)}
    for name, keys in (("Ada", key_for), ("Bo", social_key)):  # each as that student typed, all of them
        assert [answers[name][qid] for qid in asked[:30]] == [int(keys(n)) for n in range(2, 32)], name
