"""Errors that end a command, each carrying its documented exit code.

The CLI turns a :class:`JobkompasError` into one line on stderr and its exit code
(see ``docs/exit-codes.md``); nothing else in the package calls ``sys.exit``.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1  # a bug: please report it
    USAGE = 2  # bad flags or arguments (also click's own code)
    INPUT = 3  # an answer file, batch CSV or other input is invalid
    CONTENT = 4  # the question bank or occupation catalogue is invalid
    NO_TTY = 5  # an interactive session was asked for without a terminal
    PARTIAL = 6  # a batch ran, but some rows or files failed
    NOT_FOUND = 7  # an occupation, session or group does not exist
    STORAGE = 8  # the local database could not be read or written
    INTERRUPTED = 130  # Ctrl-C; answers given so far were saved


class JobkompasError(Exception):
    """An error a user can act on. ``where`` is ``file:line`` or similar."""

    code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class UsageError(JobkompasError):
    code = ExitCode.USAGE


class OutputError(UsageError):
    """A file the user named cannot be written (no such directory, no permission)."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"cannot write {path}: {reason}")
        self.reason = reason


class InputError(JobkompasError):
    code = ExitCode.INPUT


class ContentError(JobkompasError):
    code = ExitCode.CONTENT


class NoTerminalError(JobkompasError):
    code = ExitCode.NO_TTY


class NotFoundError(JobkompasError):
    code = ExitCode.NOT_FOUND


class StorageError(JobkompasError):
    code = ExitCode.STORAGE


class Interrupted(JobkompasError):
    code = ExitCode.INTERRUPTED


def shown(value: object, limit: int = 60) -> str:
    """``value`` as an error message may quote it: text cut to ``limit`` characters, a huge
    number or a list or mapping named rather than written out (a message stays one short line,
    whatever a file holds)."""
    if isinstance(value, str):
        text = repr(value[:limit])
        return text + "…" if len(value) > limit else text
    if isinstance(value, bool):  # as the answer file spells it (YAML and JSON alike)
        return "true" if value else "false"
    if value is None:
        return "null (an empty value)"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return repr(value) if value.bit_length() < 200 else "a number too large to use"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def cut(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters for a message, with '…' where it was cut."""
    return text if len(text) <= limit else text[:limit] + "…"
