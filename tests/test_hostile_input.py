"""Hostile and broken input: every parse is bounded, every failure is one line and a
documented exit code, never a traceback or exit 1."""

from __future__ import annotations

import json
import resource
import time

import pytest

from jobkompas.cli import main
from jobkompas.errors import ExitCode


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("jobkompas: error:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# ------------------------------------------------------------------ answer files


ALIAS_BOMB = """format: jobkompas-answers/1
language: en
respondent: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
x1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]
x2: &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]
x3: &a3 [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]
x4: &a4 [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]
x5: &a5 [*a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4]
x6: &a6 [*a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5]
x7: &a7 [*a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6]
x8: &a8 [*a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7]
"""


def test_a_yaml_alias_bomb_is_refused_at_once_naming_the_line(capsys, tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(ALIAS_BOMB, encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    code, out, err = run(capsys, "score", path)
    assert code == ExitCode.INPUT and out == ""
    assert f"{path}:3: YAML anchors and aliases" in one_error_line(err)
    assert time.perf_counter() - started < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KB


def test_an_alias_as_the_value_of_format_is_refused_too(capsys, tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("x: &big [1, 2, 3]\nformat: *big\n", encoding="utf-8")
    code, _, err = run(capsys, "score", path)
    assert code == ExitCode.INPUT and f"{path}:1:" in one_error_line(err)


def test_a_long_value_is_cut_in_the_message(capsys, tmp_path):
    path = tmp_path / "long.yaml"
    path.write_text("format: jobkompas-answers/1\nlanguage: " + "x" * 500_000 + "\n", encoding="utf-8")
    code, _, err = run(capsys, "score", path)
    line = one_error_line(err)
    assert code == ExitCode.INPUT and f"{path}:2:" in line and "…" in line
    assert len(line) < 300


def test_a_number_of_5000_digits_is_an_input_error_in_yaml_and_json(capsys, tmp_path):
    yaml_path = tmp_path / "big.yaml"
    yaml_path.write_text("format: jobkompas-answers/1\nanswers:\n  RIA-R1: " + "7" * 5000 + "\n", encoding="utf-8")
    json_path = tmp_path / "big.json"
    json_path.write_text('{"format": "jobkompas-answers/1",\n "answers": {"RIA-R1": ' + "7" * 5000 + "}}", encoding="utf-8")
    for path, line in ((yaml_path, 3), (json_path, 2)):
        code, _, err = run(capsys, "score", path)
        assert code == ExitCode.INPUT
        assert f"{path}:{line}: a number with more than 20 digits" in one_error_line(err)


def test_a_number_of_5000_digits_as_respondent_is_an_input_error(capsys, tmp_path):
    path = tmp_path / "r.json"
    path.write_text('{"format": "jobkompas-answers/1", "respondent": ' + "7" * 5000 + "}", encoding="utf-8")
    code, _, err = run(capsys, "score", path)
    assert code == ExitCode.INPUT and f"{path}:1: a number with more than 20 digits" in one_error_line(err)


def test_deep_nesting_is_refused_before_it_can_recurse(capsys, tmp_path):
    for suffix, text in ((".yaml", "format: jobkompas-answers/1\nrespondent: " + "[" * 5000 + "]" * 5000),
                         (".json", '{"format": "jobkompas-answers/1", "respondent": ' + "[" * 200 + "]" * 200 + "}")):
        path = tmp_path / ("deep" + suffix)
        path.write_text(text, encoding="utf-8")
        code, _, err = run(capsys, "score", path)
        assert code == ExitCode.INPUT and "nest" in one_error_line(err)


def test_a_lone_surrogate_in_json_is_an_input_error_in_every_format(capsys, tmp_path):
    path = tmp_path / "s.json"
    path.write_text('{"format": "jobkompas-answers/1",\n"respondent": "\\ud800", "answers": {}}', encoding="utf-8")
    for fmt in ("table", "json", "csv", "markdown", "html"):
        code, out, err = run(capsys, "score", path, "--format", fmt)
        assert code == ExitCode.INPUT and out == ""
        assert f"{path}:2: text with a lone surrogate" in one_error_line(err)


def test_a_surrogate_pair_in_json_is_a_character_and_fine(capsys, tmp_path, bank):
    from conftest import pattern_answers

    doc = {"format": "jobkompas-answers/1", "country": "norway",
           "answers": pattern_answers(bank, {"A": 5}, **{"EDU-highest": "no-fagbrev"})}
    text = json.dumps(doc)[:-1] + ', "respondent": "\\ud83d\\ude00"}'
    path = tmp_path / "ok.json"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "score", path, "--format", "json")
    assert code == 0 and json.loads(out)["respondent"] == "\U0001f600"


# ------------------------------------------------------------------ class files


def class_file(tmp_path, bank, rows: list[str], name="class.csv") -> tuple:
    ids = [q.id for q in bank.by_block("interest")]
    header = "id," + ",".join(ids)
    good = lambda rid: rid + "," + ",".join("4" for _ in ids)  # noqa: E731
    path = tmp_path / name
    path.write_text("\n".join([header, *(good(r) if not r.startswith("!") else r[1:] for r in rows)]) + "\n",
                    encoding="utf-8")
    return path, good


def test_an_unclosed_quote_costs_its_row_only_in_every_class_file_path(capsys, tmp_path, bank):
    ids = [q.id for q in bank.by_block("interest")]
    broken = '!"kari,' + ",".join("4" for _ in ids)
    path, _ = class_file(tmp_path, bank, ["a1", broken, "a3", "a4"])
    for args in (("batch", path), ("batch", path, "--format", "jsonl"), ("import", path)):
        code, out, err = run(capsys, *args)
        assert code == ExitCode.PARTIAL, (args, err)
        assert f"{path}:3: a quote" in err and "not closed" in err
        verb, noun = ("stored", "session") if args[0] == "import" else ("scored", "row")
        assert f"jobkompas: {verb} 3 {noun}(s), 1 failed" in err, err
        if args[0] == "batch":
            assert "a3" in out and "a4" in out


def test_an_over_long_line_is_refused_with_its_line_in_every_class_file_path(capsys, tmp_path, bank, monkeypatch):
    from jobkompas import batchcsv, classfile

    monkeypatch.setattr(classfile, "MAX_LINE_BYTES", 50_000)
    monkeypatch.setattr(batchcsv, "MAX_LINE_BYTES", 50_000)
    ids = [q.id for q in bank.by_block("interest")]
    # a quote sends even the fast reader to the line reader; the long line has no line end
    path, _ = class_file(tmp_path, bank, ['!"q",' + ",".join("4" for _ in ids), "a2", "!" + "x" * 200_000])
    for args in (("batch", path), ("batch", path, "--format", "jsonl"), ("import", path)):
        code, _, err = run(capsys, *args)
        assert code == ExitCode.INPUT, (args, err)
        assert f"jobkompas: error: {path}:4: a row longer than" in err.splitlines()[0] and "Traceback" not in err


def test_the_line_reader_is_linear_in_a_long_line():
    from jobkompas.classfile import Utf8Lines

    def reader(size):
        blocks = iter([b"x" * 65536] * (size // 65536) + [b"\n", b"a,b\r", b"\n", b"c\r"])
        return Utf8Lines(lambda: next(blocks, b""), "f.csv")

    timings = []
    for size in (3 << 20, 12 << 20):
        started = time.perf_counter()
        lines = list(reader(size))
        timings.append(time.perf_counter() - started)
        assert [len(lines[0]), lines[1:]] == [size + 1, ["a,b\r\n", "c\r"]]
    assert timings[1] < 1.5 and timings[1] < 8 * max(timings[0], 0.01)  # quadratic would be 16x as long


# ------------------------------------------------------------------ outputs


ESCAPES = "\x1b[2J\x1b]0;owned\x07\x9b31m\x08"


def test_terminal_safe_strips_control_characters_and_keeps_text():
    from jobkompas.streams import terminal_safe

    assert terminal_safe(f"Kari{ESCAPES} Nordmann\tæøå\nline 2") == "Kari[2J]0;owned31m Nordmann\tæøå\nline 2"


@pytest.mark.slow
def test_names_groups_and_notes_reach_a_terminal_without_escapes(tmp_path, bank):
    """Through a real pseudo-terminal: ``sessions list``/``show`` and an error line."""
    import os
    import pty
    import subprocess
    import sys

    from conftest import pattern_answers

    doc = {"format": "jobkompas-answers/1", "country": "norway", "respondent": f"Kari{ESCAPES}",
           "answers": pattern_answers(bank, {"S": 5}, **{"EDU-highest": "no-fagbrev"})}
    path = tmp_path / "a.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    env = {**os.environ, "JOBKOMPAS_HOME": str(tmp_path / "home")}

    def on_terminal(*args):
        controller, terminal = pty.openpty()
        proc = subprocess.Popen([sys.executable, "-m", "jobkompas", *args], stdin=terminal, stdout=terminal,
                                stderr=terminal, env=env)
        os.close(terminal)
        out = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        os.close(controller)
        return proc.wait(timeout=120), out.decode("utf-8", "replace")

    imported = subprocess.run([sys.executable, "-m", "jobkompas", "import", str(path), "--names",
                               "--group", f"10B{ESCAPES}"], capture_output=True, text=True, env=env, timeout=120)
    session = imported.stdout.strip()
    subprocess.run([sys.executable, "-m", "jobkompas", "sessions", "note", session, f"note{ESCAPES}"],
                   env=env, check=True, timeout=120)
    env["NO_COLOR"] = "1"
    for args in (("sessions", "list", "--names"), ("sessions", "show", session, "--names"),
                 ("score", str(path)), ("sessions", "note", "no-such-session", f"x{ESCAPES}")):
        _, out = on_terminal(*args)
        assert "\x1b[2J" not in out and "\x1b]0;" not in out and "\x07" not in out and "\x9b" not in out, args
        assert "\x08" not in out, args
    _, out = on_terminal("sessions", "show", session, "--names")
    assert "Kari[2J]0;owned31m" in out and "note[2J]" in out


def test_out_keeps_the_targets_mode_and_hard_links(capsys, tmp_path, bank):
    import os

    from conftest import pattern_answers

    doc = {"format": "jobkompas-answers/1", "country": "norway",
           "answers": pattern_answers(bank, {"S": 5}, **{"EDU-highest": "no-fagbrev"})}
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(doc), encoding="utf-8")
    target, other_name = tmp_path / "result.json", tmp_path / "same-file.json"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o600)
    os.link(target, other_name)
    code, _, _ = run(capsys, "score", answers, "--format", "json", "--out", target)
    assert code == 0
    assert os.stat(target).st_mode & 0o777 == 0o600
    assert os.path.samefile(target, other_name) and json.loads(other_name.read_text(encoding="utf-8"))["matches"]
    os.chmod(target, 0o640)
    assert run(capsys, "score", answers, "--format", "csv", "--out", target)[0] == 0
    assert os.stat(target).st_mode & 0o777 == 0o640


def test_a_new_out_file_is_private(capsys, tmp_path, bank):
    import os

    from conftest import pattern_answers

    doc = {"format": "jobkompas-answers/1", "answers": pattern_answers(bank, {"S": 5})}
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(doc), encoding="utf-8")
    assert run(capsys, "score", answers, "--format", "csv", "--out", tmp_path / "new.csv")[0] == 0
    assert os.stat(tmp_path / "new.csv").st_mode & 0o777 == 0o600


@pytest.mark.slow
def test_out_dev_stdout_works_on_a_pipe(tmp_path, bank):
    import os
    import subprocess
    import sys

    from conftest import pattern_answers

    doc = {"format": "jobkompas-answers/1", "answers": pattern_answers(bank, {"S": 5})}
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(doc), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "jobkompas", "score", str(answers), "--format", "json",
                           "--out", "/dev/stdout"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "JOBKOMPAS_HOME": str(tmp_path / "home")})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["matches"]


# ------------------------------------------------------------------ stopped runs


@pytest.mark.slow
def test_sigterm_stops_a_batch_as_ctrl_c_does_and_leaves_no_temporary_file(tmp_path, bank):
    import os
    import signal
    import subprocess
    import sys

    ids = [q.id for q in bank.by_block("interest")]
    out = tmp_path / "out.csv"
    proc = subprocess.Popen([sys.executable, "-m", "jobkompas", "batch", "-", "--out", str(out)],
                            stdin=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "JOBKOMPAS_HOME": str(tmp_path / "home")})
    proc.stdin.write(("id," + ",".join(ids) + "\n").encode())
    for k in range(12000):  # more than a chunk (1 MB): some rows are scored and written to the temporary file
        proc.stdin.write((f"r{k}," + ",".join("3" for _ in ids) + "\n").encode())
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.csv.tmp*")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert list(tmp_path.glob(".out.csv.tmp*")), "the run had started writing"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err
    assert not list(tmp_path.glob(".out.csv.tmp*"))
    assert not out.exists()


def test_a_temporary_file_left_by_a_killed_process_is_removed_by_the_next_write(capsys, tmp_path, bank):
    import os
    import subprocess
    import sys

    from conftest import pattern_answers

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    left = tmp_path / f".out.csv.tmp{dead}"
    left.write_text("half a file", encoding="utf-8")
    alive = tmp_path / f".out.csv.tmp{os.getppid()}"  # a running process's: not touched
    alive.write_text("being written", encoding="utf-8")
    doc = {"format": "jobkompas-answers/1", "answers": pattern_answers(bank, {"S": 5})}
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(doc), encoding="utf-8")
    assert run(capsys, "score", answers, "--format", "csv", "--out", tmp_path / "out.csv")[0] == 0
    assert not left.exists() and alive.exists()
