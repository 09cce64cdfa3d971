"""Collecting every problem in a content or answer file as ``file:line: message``."""

from __future__ import annotations

from collections import namedtuple

from .resources import LANGUAGES

TYPE_CHECKING = False  # typing is left to type checkers: importing the API alone does not load it
if TYPE_CHECKING:
    from typing import Any


class Problem(namedtuple("Problem", "file line message")):
    __slots__ = ()

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

    @classmethod
    def from_error(cls, error: Any, path: Any) -> "Problem":
        """A reading error (``where`` is ``file:line``) as a problem of ``path``."""
        where = error.where or f"{path}:1"
        file, _, line = where.rpartition(":")
        if not line.isdigit():  # a place without a line number ("no such file")
            return cls(where, 1, error.message)
        return cls(file, int(line), error.message)


def line_of(node: Any, key: Any = None) -> int:
    if key is not None and hasattr(node, "line_of"):
        return node.line_of(key)
    return getattr(node, "line", 1) or 1


class Checker:
    """Records problems for one file; helpers return cleaned values or ``None``."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, node: Any, key: Any, message: str) -> None:
        self.problems.append(Problem(self.file, line_of(node, key), message))

    def mapping(self, node: Any, key: Any, what: str, required: bool = True) -> dict | None:
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            if required:
                self.add(node, key if isinstance(node, dict) and key in node else None,
                         f"missing {what} ({key!r})")
            return None
        if not isinstance(value, dict):
            self.add(node, key, f"{what} ({key!r}) must be a mapping")
            return None
        return value

    def texts(self, node: Any, key: Any, what: str, required: bool = True,
              langs: tuple[str, ...] = LANGUAGES) -> dict[str, str] | None:
        """A mapping of language -> non-empty string for every language."""
        value = self.mapping(node, key, what, required)
        if value is None:
            return None
        ok = True
        for lang in langs:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.add(value, lang if lang in value else None,
                         f"{what}: missing or empty {lang!r} text")
                ok = False
        for lang in value:
            if lang not in LANGUAGES:
                self.add(value, lang, f"{what}: unknown language {lang!r} (use en, nb, da)")
        return {lang: value[lang].strip() for lang in langs} if ok else None

    def text_lists(self, node: Any, key: Any, what: str, low: int, high: int,
                   required: bool = True) -> dict[str, list[str]] | None:
        value = self.mapping(node, key, what, required)
        if value is None:
            return None
        result: dict[str, list[str]] = {}
        for lang in LANGUAGES:
            items = value.get(lang)
            if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
                self.add(value, lang if lang in value else None,
                         f"{what}: {lang!r} must be a list of non-empty texts")
                continue
            if not low <= len(items) <= high:
                self.add(value, lang, f"{what}: {lang!r} has {len(items)} entries, expected {low}–{high}")
            result[lang] = [i.strip() for i in items]
        return result if len(result) == len(LANGUAGES) else None
