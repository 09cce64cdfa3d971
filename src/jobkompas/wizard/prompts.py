"""The one place that talks to questionary (and its plain, line-based twin).

Both prompters answer ``select(message, choices, default, header)`` with the chosen value;
going back is an ordinary choice whose value is :data:`BACK`. Ctrl-C raises
``KeyboardInterrupt``; end of input raises ``EOFError``.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
from typing import Any, Protocol, Sequence

BACK = "__back__"
SKIP_REST = "__skip_rest__"  # adaptive form: skip the rest of the interest questions

Choice = tuple[str, Any]  # (label, value)


class Prompter(Protocol):
    def select(self, message: str, choices: Sequence[Choice], default: Any = None,
               header: str | None = None) -> Any: ...

    def text(self, message: str, default: str = "") -> str: ...


class QuestionaryPrompter:
    """Arrow keys or number keys, Enter to choose; the real terminal experience."""

    def __init__(self, input: Any = None, output: Any = None) -> None:
        # input/output let tests drive the real prompts through prompt_toolkit pipes
        self._io = {k: v for k, v in (("input", input), ("output", output)) if v is not None}

    def select(self, message: str, choices: Sequence[Choice], default: Any = None,
               header: str | None = None) -> Any:
        import questionary

        options = [questionary.Choice(title=label, value=value) for label, value in choices]
        chosen = next((o for o in options if o.value == default), None)
        question = questionary.select(
            fit_lines(f"{header}\n{message}" if header else message, shutil.get_terminal_size().columns,
                      # a quiz question's answer stays on screen below the next; a menu's is gone
                      answer_width=max((len(label) for label, value in choices if value not in (BACK, SKIP_REST)),
                                       default=0) if header else 0),
            choices=options,
            default=chosen, use_shortcuts=len(options) <= 36, qmark="?",  # keys 1–9, 0, then a–z
            instruction=" ", **self._io,
        )
        return question.unsafe_ask()

    def text(self, message: str, default: str = "") -> str:
        import questionary

        return questionary.text(message, default=default, **self._io).unsafe_ask()


def fit_lines(message: str, columns: int, answer_width: int = 0) -> str:
    """The message with each line wrapped between words to the terminal's width, keeping the
    line's indent. The terminal itself would cut a long activity mid-word at the edge
    ("… slutter å virke, m" / "ens en elektriker …"). Two columns are kept for the "? "
    questionary puts before the first line. Once answered, questionary writes the answer
    after the last line; where the longest answer (``answer_width``) would not fit there,
    the message ends with an empty line of the same indent, and the answer goes on it."""
    width = max(columns - 2, 20)
    lines = []
    for line in message.split("\n"):
        indent = line[:len(line) - len(line.lstrip(" "))]
        lines.extend((textwrap.fill(line.strip(), width=width, initial_indent=indent, subsequent_indent=indent,
                                    break_long_words=False, break_on_hyphens=False) or line).split("\n"))
    last = lines[-1]
    if answer_width and len(last) + 1 + answer_width > width:
        lines.append(last[:len(last) - len(last.lstrip(" "))])
    return "\n".join(lines)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class PlainPrompter:
    """Numbered line prompts: screen readers, dumb terminals and piped input."""

    def __init__(self, stdin: Any = None, stdout: Any = None, back_word: str = "b") -> None:
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.back_word = back_word

    def _readline(self) -> str:
        line = self.stdin.readline()
        if line == "":
            raise EOFError
        if not _isatty(self.stdin):  # piped: nothing echoed the answer, so what follows would share the prompt's line
            self.stdout.write(line.rstrip("\r\n") + "\n")
        return line.strip()

    def select(self, message: str, choices: Sequence[Choice], default: Any = None,
               header: str | None = None) -> Any:
        out = self.stdout
        if header:
            out.write(f"\n{header}\n")
        out.write(f"{message}\n")
        for i, (label, value) in enumerate(choices, start=1):
            mark = " (*)" if value == default else ""
            out.write(f"  {i}) {label}{mark}\n")
        while True:
            out.write("> ")
            out.flush()
            answer = self._readline()
            if not answer and default is not None:
                return default
            if answer.lower() == self.back_word and any(v == BACK for _, v in choices):
                return BACK
            if answer.isdigit() and 1 <= int(answer) <= len(choices):
                return choices[int(answer) - 1][1]
            out.write(f"? 1–{len(choices)}\n")

    def text(self, message: str, default: str = "") -> str:
        self.stdout.write(f"{message} [{default}]\n> ")
        self.stdout.flush()
        return self._readline() or default
