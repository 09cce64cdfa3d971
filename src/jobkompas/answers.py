"""The answer model: answers by question id, checked one value at a time.

Typed answers, answer files (:mod:`answerfile`) and class-file rows (:mod:`classfile`) all
become an :class:`AnswerSet`, and every value goes through :func:`check_value`.
"""

from __future__ import annotations

from .errors import InputError, shown
from .questions import UNSURE, Question, QuestionBank

TYPE_CHECKING = False  # typing is left to type checkers: importing the API alone does not load it
if TYPE_CHECKING:
    from typing import Any, Callable

COUNTRY_ALIASES = {"no": "norway", "nor": "norway", "norge": "norway", "dk": "denmark",
                   "den": "denmark", "danmark": "denmark"}


class AnswerSet:
    """Answers by question id (1–5, "unsure", or an option id), with where they came from."""

    def __init__(self, values: dict[str, Any] | None = None, language: str = "en", form: str | None = None,
                 asked: list[str] | None = None, source: str = "<answers>", respondent: str | None = None,
                 warnings: list[str] | None = None) -> None:
        self.values = values if values is not None else {}
        self.language = language
        self.form = form
        self.asked = asked if asked is not None else []
        self.source = source
        self.respondent = respondent
        self.warnings = warnings if warnings is not None else []

    def __repr__(self) -> str:
        return f"AnswerSet({len(self.values)} answers, language={self.language!r}, form={self.form!r}, source={self.source!r})"

    @property
    def country(self) -> str | None:
        return self.values.get("EDU-country")

    def missing(self, bank: QuestionBank, form: str | None = None) -> list[str]:
        ids = bank.forms.get(form or self.form or "full") or tuple(bank.questions)
        return [qid for qid in ids if qid not in self.values]


def option_list(q: Question) -> str:
    """A choice question's option ids for an error message, cut as :func:`_listed` cuts a
    list, with how many there are and where to see them (the education levels of three
    countries would make a line of 500 characters)."""
    ids = [o.id for o in q.options]
    return _listed(ids) + (f" ({len(ids)} in all: 'jobkompas template' lists them)" if len(ids) > LISTED else "")


def check_value(q: Question, raw: Any) -> Any:
    """Return the clean value for ``q`` or raise ``ValueError`` saying what was expected."""
    if q.scale == "choice":
        if isinstance(raw, str) and raw in {o.id for o in q.options}:
            return raw
        if q.dimension != "country" and isinstance(raw, str) and raw.strip().lower() in (UNSURE, "not sure", "?"):
            return UNSURE  # education plans may be open; the country picks the paths shown, so it may not
        if q.dimension == "country" and isinstance(raw, str):  # a country is a name: any case
            name = raw.strip().lower()
            if name in {o.id for o in q.options}:
                return name
            if name in COUNTRY_ALIASES:
                return COUNTRY_ALIASES[name]
        if isinstance(raw, bool):
            raise ValueError(f"got {str(raw).lower()} (YAML reads unquoted yes/no/on/off as true/false); "
                             f"expected one of: {option_list(q)}")
        also = "" if q.dimension == "country" else f" or {UNSURE}"
        raise ValueError(f"got {shown(raw)}; expected one of: {option_list(q)}{also}")
    if isinstance(raw, str) and raw.strip().lower() in (UNSURE, "not sure", "?"):
        return UNSURE
    if isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit() and len(raw.strip()) < 20:  # not '²' or '٣'
        raw = int(raw.strip())
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= 5:
        raise ValueError(f"got {shown(raw)}; expected a whole number 1–5 or \"unsure\"")
    return raw


def check_levels(answers: AnswerSet, bank: QuestionBank, where: Callable[[str], str]) -> None:
    """A level must belong to the chosen country; ``where(question id)`` names the place."""
    country = answers.country
    for dim in ("current_level", "highest_level"):
        q = bank.education(dim)
        value = answers.values.get(q.id) if q else None
        if q and value and value != UNSURE:
            level = bank.level(value)
            if country and level and level.countries and country not in level.countries:
                raise InputError(f"{q.id}: level {value!r} belongs to {level.countries[0]}, not {country}", where(q.id))


LISTED = 8  # ids a message quotes before " …"


def _listed(ids: list[str]) -> str:
    return ", ".join(ids[:LISTED]) + (" …" if len(ids) > LISTED else "")


def retired_note(where: str, ids: list[str]) -> str:
    """The warning for answers to questions no longer asked (questions/retired.yaml)."""
    return (f"{where}: {len(ids)} answer(s) left out, to questions no longer asked because their wording "
            f"changed: {_listed(ids)}")


def missing_note(where: str, ids: list[str]) -> str:
    """The warning for questions of the form left unanswered."""
    return f"{where}: {len(ids)} question(s) not answered: {_listed(ids)}"
