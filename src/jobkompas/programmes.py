"""The programme register (``programmes/``): the programmes an education path may name.

One file per country (``norway.yaml``, ``denmark.yaml``, ``other.yaml``). Each entry has a
kind, the ISCED 2011 level it gives, a typical length, names in every language and, where
one follows, the authorisation or licence and who grants it. Occupation files name entries
in path steps (``programme: no-fag-elektriker``); the catalogue resolves them when it loads.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from pathlib import Path

from .errors import InputError
from .problems import Checker, Problem
from .resources import COUNTRIES, LANGUAGES
from .yamlio import load_yaml_file

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

PROGRAMME_KINDS = ("school", "apprenticeship", "certificate", "higher", "course", "military")
PREFIX = {"norway": "no-", "denmark": "dk-", "other": "xx-"}
FILES = {country: f"{country}.yaml" for country in COUNTRIES}
ID_PATTERN = re.compile(r"^(no|dk|xx)-[a-z0-9]+(-[a-z0-9]+)*$")
AFTER_PATTERN = re.compile(r"^(no|dk|xx)-[a-z0-9*-]+$")
# Compulsory school is where every path starts; `after` may name it without a step for it.
GIVEN = {"norway": "no-grunnskole", "denmark": "dk-folkeskole", "other": "xx-lower-secondary"}


class Programme:
    """One register entry. ``authorisation`` is ``{"by": …, "en": …, "nb": …, "da": …}`` or None."""

    __slots__ = ("id", "country", "kind", "isced", "years", "name", "after", "authorisation")

    def __init__(self, id: str, country: str, kind: str, isced: int, years: float, name: dict[str, str],
                 after: tuple[str, ...] = (), authorisation: dict[str, str] | None = None) -> None:
        self.id = id
        self.country = country
        self.kind = kind
        self.isced = isced
        self.years = years
        self.name = name
        self.after = after
        self.authorisation = authorisation

    def satisfied_by(self, earlier: list[str]) -> bool:
        """Whether one of ``after`` (ids or ``*`` patterns) is among the ids that came earlier."""
        if not self.after:
            return True
        return any(pattern == GIVEN[self.country] or any(fnmatchcase(i, pattern) for i in earlier)
                   for pattern in self.after)


class Register:
    def __init__(self, programmes: dict[str, dict[str, Programme]], directory: Path | None = None) -> None:
        self.by_country = programmes
        self.directory = directory

    def get(self, country: str, programme_id: str) -> Programme | None:
        return self.by_country.get(country, {}).get(programme_id)

    def country_of(self, programme_id: str) -> str | None:
        for country, prefix in PREFIX.items():
            if programme_id.startswith(prefix):
                return country
        return None

    def counts(self) -> dict[str, int]:
        return {country: len(entries) for country, entries in self.by_country.items()}


def _years(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 12:
        return None
    return float(value)


def parse_entry(c: Checker, country: str, programme_id: Any, raw: Any) -> Programme | None:
    where = f"programme {programme_id}"
    if not isinstance(programme_id, str) or not ID_PATTERN.match(programme_id):
        c.add(raw, None, f"{where}: an id is lowercase ascii words joined by hyphens with a country prefix")
        return None
    if not programme_id.startswith(PREFIX[country]):
        c.add(raw, None, f"{where}: ids in {FILES[country]} start with {PREFIX[country]!r}")
        return None
    if not isinstance(raw, dict):
        c.add(raw, None, f"{where} must be a mapping")
        return None
    ok = True
    kind = raw.get("kind")
    if kind not in PROGRAMME_KINDS:
        c.add(raw, "kind" if "kind" in raw else None, f"{where}: 'kind' must be one of {', '.join(PROGRAMME_KINDS)}")
        ok = False
    isced = raw.get("isced")
    if isinstance(isced, bool) or not isinstance(isced, int) or not 0 <= isced <= 8:
        c.add(raw, "isced" if "isced" in raw else None, f"{where}: 'isced' must be a whole number from 0 to 8")
        ok = False
    years = _years(raw.get("years"))
    if years is None:
        c.add(raw, "years" if "years" in raw else None, f"{where}: 'years' must be a number from 0 to 12")
        ok = False
    name = c.texts(raw, "name", f"{where}: name")
    ok = ok and name is not None
    after = raw.get("after") or []
    if not isinstance(after, list) or not all(isinstance(a, str) and AFTER_PATTERN.match(a) for a in after):
        c.add(raw, "after", f"{where}: 'after' must be a list of programme ids (patterns with * allowed)")
        after, ok = [], False
    authorisation = None
    if "authorisation" in raw:
        node = c.mapping(raw, "authorisation", f"{where}: authorisation")
        if node is None:
            ok = False
        else:
            by = node.get("by")
            if not isinstance(by, str) or not by.strip():
                c.add(node, "by" if "by" in node else None, f"{where}: authorisation needs 'by' (who grants it)")
                ok = False
            missing = [lang for lang in LANGUAGES if not isinstance(node.get(lang), str) or not node[lang].strip()]
            if missing:
                c.add(node, None, f"{where}: authorisation: missing text in {', '.join(missing)}")
                ok = False
            for key in node:
                if key not in ("by", *LANGUAGES):
                    c.add(node, key, f"{where}: authorisation: unknown key {key!r}")
                    ok = False
            if ok and isinstance(by, str):
                authorisation = {"by": by.strip(), **{lang: node[lang].strip() for lang in LANGUAGES}}
    for key in raw:
        if key not in ("kind", "isced", "years", "name", "after", "authorisation"):
            c.add(raw, key, f"{where}: unknown key {key!r}")
            ok = False
    if not ok or not isinstance(isced, int) or years is None or name is None:
        return None
    return Programme(programme_id, country, str(kind), isced, years, name, tuple(after), authorisation)


def parse_register(directory: Path) -> tuple[Register, list[Problem]]:
    """Read every country's file; problems are ``file:line: message``."""
    problems: list[Problem] = []
    entries: dict[str, dict[str, Programme]] = {}
    for country, file_name in FILES.items():
        path = directory / file_name
        entries[country] = {}
        c = Checker(str(path))
        try:
            data = load_yaml_file(path)
        except InputError as exc:
            problems.append(Problem.from_error(exc, path))
            continue
        node = data.get("programmes") if isinstance(data, dict) else None
        if not isinstance(node, dict) or not node:
            c.add(data, None, "needs a 'programmes' mapping of id: entry")
            problems.extend(c.problems)
            continue
        for programme_id, raw in node.items():
            programme = parse_entry(c, country, programme_id, raw)
            if programme is not None:
                entries[country][programme_id] = programme
        for programme in entries[country].values():  # every `after` names something that exists
            for pattern in programme.after:
                if not any(fnmatchcase(other, pattern) for other in node):
                    c.add(node[programme.id], "after", f"programme {programme.id}: 'after' names unknown {pattern!r}")
        problems.extend(c.problems)
    return Register(entries, directory), problems

