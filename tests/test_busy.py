"""The spinner: only after the delay, only on a terminal that redraws, wiped afterwards."""

from __future__ import annotations

import io
import time

from jobkompas.busy import busy


class Terminal(io.StringIO):
    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


def test_slow_work_on_a_terminal_shows_a_spinner_and_wipes_it(monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    screen = Terminal()
    with busy("Working …", delay=0.05, stream=screen):
        time.sleep(0.3)
    text = screen.getvalue()
    assert "Working …" in text and text.endswith("\r\x1b[2K")


def test_quick_work_shows_nothing(monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    screen = Terminal()
    with busy("Working …", delay=0.3, stream=screen):
        pass
    assert screen.getvalue() == ""


def test_no_spinner_on_a_dumb_terminal_or_a_pipe(monkeypatch):
    monkeypatch.setenv("TERM", "dumb")
    screen = Terminal()
    with busy("Working …", delay=0.0, stream=screen):
        time.sleep(0.15)
    monkeypatch.setenv("TERM", "xterm")
    piped = io.StringIO()
    with busy("Working …", delay=0.0, stream=piped):
        time.sleep(0.15)
    assert screen.getvalue() == "" and piped.getvalue() == ""
