"""The stable Python API of jobkompas (documented in docs/api.md).

    from jobkompas import api
    bank = api.load_bank()
    answers = api.new_answers({"R01": 5, "I01": 2}, language="nb")
    result = api.score(answers)
    result.profile.holland, result.matches[0].occupation.title("nb")

Nothing here touches the terminal.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .answers import COUNTRY_ALIASES, AnswerSet, check_value, parse_answer_text, read_answer_file, retired_note
from .errors import InputError
from .questions import UNSURE, Question, QuestionBank, load_question_bank
from .resources import COUNTRIES, LANGUAGES, occupations_dir, questions_dir, use_content

TYPE_CHECKING = False
if TYPE_CHECKING:  # the catalogue and scoring load only when something is scored
    from typing import Any, Iterator, Mapping

    from .catalogue import Catalogue, Occupation, Step
    from .problems import Problem
    from .scoring import Match, Profile

RESULT_FORMAT = "jobkompas-result/1"

__all__ = [
    "AnswerSet", "COUNTRIES", "COUNTRY_ALIASES", "LANGUAGES", "MatchView", "Question", "QuestionBank", "Result",
    "UNSURE", "answer_template", "check_content", "load_bank", "load_catalogue", "new_answers", "next_question",
    "parse_answers", "read_answers", "read_class_file", "remaining_questions", "score", "search", "use_content",
]


@lru_cache(maxsize=4)
def _bank(directory: str) -> QuestionBank:
    return load_question_bank(Path(directory))


@lru_cache(maxsize=4)
def _catalogue(directory: str) -> "Catalogue":
    from .catalogue import load_catalogue as _load_catalogue

    return _load_catalogue(Path(directory))


def load_bank(directory: str | Path | None = None) -> QuestionBank:
    """The question bank: built-in, ``$JOBKOMPAS_QUESTIONS``, or ``directory``."""
    return _bank(str(questions_dir(directory).resolve()))


def load_catalogue(directory: str | Path | None = None) -> Catalogue:
    """The occupation catalogue: built-in, ``$JOBKOMPAS_OCCUPATIONS``, or ``directory``."""
    return _catalogue(str(occupations_dir(directory).resolve()))


def new_answers(values: Mapping[str, Any] | None = None, *, language: str = "en",
                country: str | None = None, form: str | None = None,
                bank: QuestionBank | None = None) -> AnswerSet:
    """Build an answer set, validating each value like an answer file would."""
    bank = bank or load_bank()
    if language not in LANGUAGES:
        raise InputError(f"language must be one of {', '.join(LANGUAGES)}")
    answers = AnswerSet(language=language, form=form)
    retired = [qid for qid in (values or {}) if qid not in bank.questions and qid in bank.retired]
    if retired:
        answers.warnings.append(retired_note("answers", retired))
    for qid, raw in (values or {}).items():
        q = bank.questions.get(qid)
        if q is None and qid in retired:
            continue
        if q is None:
            raise InputError(f"unknown question id {qid!r}")
        try:
            answers.values[qid] = check_value(q, raw)
        except ValueError as exc:
            raise InputError(f"{qid}: {exc}") from None
    if country:
        if country not in COUNTRIES:
            raise InputError(f"country must be one of {', '.join(COUNTRIES)}")
        answers.values["EDU-country"] = country
    return answers


def parse_answers(text: str, *, source: str = "<answers>", bank: QuestionBank | None = None) -> AnswerSet:
    """Parse the text of an answer file (YAML or JSON, ``format: jobkompas-answers/1``)."""
    return parse_answer_text(text, source, bank or load_bank())


def read_answers(path: str | Path, *, bank: QuestionBank | None = None) -> AnswerSet:
    """Read an answer file; ``-`` reads standard input."""
    return read_answer_file(path, bank or load_bank())


def read_class_file(path: str | Path, *, bank: QuestionBank | None = None) -> Iterator[tuple[int, AnswerSet | InputError]]:
    """The respondents of a batch CSV (``-`` reads standard input), streaming: their line and
    answers, or that row's error. A bad header is raised."""
    from .answers import iter_batch_rows

    return iter_batch_rows(path, bank or load_bank())


def answer_template(form: str, *, language: str = "en", bank: QuestionBank | None = None) -> str:
    """A ready-to-fill answer file for ``form``, with each question's text as a comment."""
    from .answers import render_answer_file

    bank = bank or load_bank()
    return render_answer_file(AnswerSet(language=language, form=form), bank, form)


def search(text: str, *, limit: int = 10, catalogue: Catalogue | None = None) -> list[tuple[Occupation, float]]:
    """Occupations whose titles (any language, typos tolerated) match ``text``, best first,
    with their relevance."""
    from .search import search as search_titles

    return search_titles(catalogue or load_catalogue(), text, limit=limit)


def check_content() -> tuple[QuestionBank, Catalogue, list[Problem]]:
    """Parse the question bank and the catalogue afresh (no cache) and list every problem."""
    from .catalogue import parse_catalogue
    from .codes import check_catalogue
    from .questions import parse_question_bank

    bank = parse_question_bank()
    catalogue = parse_catalogue()
    return bank, catalogue, bank.problems + catalogue.problems + check_catalogue(catalogue)


def next_question(answers: AnswerSet, *, form: str | None = None, bank: QuestionBank | None = None,
                  interests_done: bool = False) -> Question | None:
    """The next question to ask, or ``None`` when the form is complete.

    Fixed forms are walked in order, skipping answered questions. The ``adaptive`` form
    picks interest items one at a time (see :mod:`jobkompas.adaptive`) until the top 10 is
    stable, then asks the standard form's trait and education questions; with
    ``interests_done`` (the student chose to skip the rest), it goes straight to those.
    """
    bank = bank or load_bank()
    name = form or answers.form or "standard"
    if name == "adaptive":
        from .adaptive import next_interest_item

        item = None if interests_done else next_interest_item(answers.values, bank, load_catalogue())
        if item is not None:
            return item
        rest = [q for q in bank.form("standard") if q.block != "interest"]
        return next((q for q in rest if q.id not in answers.values), None)
    for q in bank.form(name):
        if q.id not in answers.values:
            return q
    return None


def remaining_questions(answers: AnswerSet, *, form: str | None = None,
                        bank: QuestionBank | None = None, interests_done: bool = False) -> int:
    """How many questions are left: exact for fixed forms, an estimate for ``adaptive``."""
    bank = bank or load_bank()
    name = form or answers.form or "standard"
    if name == "adaptive":
        from .adaptive import remaining_estimate

        rest = [q for q in bank.form("standard") if q.block != "interest" and q.id not in answers.values]
        interests = 0 if interests_done else remaining_estimate(answers.values, bank, load_catalogue())
        return interests + len(rest)
    return sum(1 for q in bank.form(name) if q.id not in answers.values)


class MatchView:
    """A match with everything needed to show it: occupation, score, reasons, path."""

    def __init__(self, rank: int, occupation: Occupation, match: Match, reasons: list[str],
                 path: list[Step], place: int | None = None, outline: bool = False) -> None:
        self.rank = rank
        self.occupation = occupation
        self.match = match
        self.reasons = reasons
        self.path = path
        self.place = rank if place is None else place  # shared with near-ties (see rules.places)
        self.outline = outline  # the path is a general outline built from a template, not written

    @property
    def tied(self) -> bool:
        """Too close to the match before it to tell apart: shown with the same place."""
        return self.place != self.rank

    @property
    def label(self) -> str:
        """The place as shown: '4', or '=4' for a near-tie with place 4."""
        return f"={self.place}" if self.tied else str(self.place)

    @property
    def score(self) -> float:
        return self.match.score

    def similar_text(self, catalogue: Catalogue, lang: str) -> str:
        """'Similar jobs further down the list: X (12), Y (14)', or '' (see rules.spread)."""
        if not self.match.similar:
            return ""
        from .i18n import translator

        tr = translator(lang)
        names = ", ".join(f"{catalogue.occupations[oid].title(lang)} ({rank})" for oid, rank in self.match.similar)
        return tr("Similar jobs further down the list: ") + names


class Result:
    """Profile, flags and ranked matches for one answer set; ``to_dict()`` is the JSON form."""

    def __init__(self, answers: AnswerSet, profile: Profile, matches: list[MatchView], ranked: int,
                 language: str, country: str, bank: QuestionBank, catalogue: Catalogue,
                 meta: dict[str, Any] | None = None, max_isced: int | None = None) -> None:
        self.answers = answers
        self.profile = profile
        self.matches = matches
        self.ranked = ranked
        self.language = language
        self.country = country
        self.bank = bank
        self.catalogue = catalogue
        self.meta = meta  # for reports: name, group, date, counsellor notes
        self.max_isced = max_isced  # the level filter these matches were chosen with, if any

    @property
    def certainty(self) -> tuple[str, int]:
        """How sure the list shown is ("clear", "partly" or "open") and how many of it are
        clearly ahead of the last one (:func:`rules.certainty`)."""
        from .rules import certainty
        from .scoring import config

        return certainty([m.score for m in self.matches], self.profile.confidence, config()["display"])

    def certainty_text(self) -> str:
        from .explain import certainty_text

        level, firm = self.certainty
        return certainty_text(level, firm, self.language)

    @property
    def flags(self) -> list[str]:
        return self.profile.flags

    def flag_texts(self) -> list[str]:
        from .explain import flag_text

        return [flag_text(f, self.language, self.profile.ranked_on()) for f in self.profile.flags]

    def to_dict(self) -> dict[str, Any]:
        """The ``jobkompas-result/1`` document (schema: jobkompas/schemas/result.schema.json)."""
        lang, p = self.language, self.profile
        return {
            "format": RESULT_FORMAT,
            "respondent": self.answers.respondent,
            "language": lang,
            "country": self.country,
            "catalogue_version": self.catalogue.version,
            "profile": {
                "scores": p.scores,
                "holland_code": p.holland,
                "answered": p.answered,
                "unsure": p.unsure,
                "traits": p.traits,
                "confidence": p.confidence,
                "flags": [{"id": f, "text": text} for f, text in zip(p.flags, self.flag_texts())],
                "education": {
                    "country": p.education.country, "current_level": p.education.current_level,
                    "highest_level": p.education.highest_level, "highest_isced": p.education.highest_isced,
                    "route": p.education.route,
                },
            },
            "max_isced": self.max_isced,
            "certainty": ({"level": self.certainty[0], "clearly_ahead": self.certainty[1],
                           "text": self.certainty_text()} if self.matches and self.matches[0].rank == 1 else None),
            "matches": [self._match_dict(m) for m in self.matches],
        }

    def _match_dict(self, m: MatchView) -> dict[str, Any]:
        from .earnings import for_occupation
        from .render import step_dict

        occ, c = m.occupation, m.match.components
        return {
            "rank": m.rank,
            "place": m.place,
            "tied": m.tied,
            "id": occ.id,
            "titles": occ.titles,
            "codes": {k: v for k, v in occ.codes.items()},
            "earnings_norway": for_occupation(occ),
            "score": m.score,
            "breakdown": {"interest": _pct(c.interest), "traits": _pct(c.traits), "education": _pct(c.education)},
            "required_isced": m.match.required_isced,
            "reasons": [{"kind": r.kind, "positive": r.positive, "text": t}
                        for r, t in zip(m.match.reasons, m.reasons)],
            "education_path": [step_dict(s, self.language) for s in m.path],
            "path_outline": m.outline,
            "similar": [{"id": oid, "rank": rank} for oid, rank in m.match.similar],
        }


def _pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def score(answers: AnswerSet, *, top: int = 10, offset: int = 0, country: str | None = None,
          language: str | None = None, max_isced: int | None = None,
          bank: QuestionBank | None = None, catalogue: Catalogue | None = None) -> Result:
    """Profile, flags and the ranked matches (best ``top`` after ``offset``) with reasons.

    Deterministic: the same answers always give the same result. With identical interest
    answers (no variation) the matches rest on the trait and education answers alone, with
    low confidence, and without those there are none (docs/method.md).
    """
    from .explain import reason_text
    from .rules import places
    from .scoring import build_profile, config, top_matches

    bank = bank or load_bank()
    catalogue = catalogue or load_catalogue()
    lang = language or answers.language
    profile = build_profile(answers.values, bank)
    country = country or answers.country or "other"
    matches, ranked = top_matches(profile, answers.values, bank, catalogue, top, country=country,
                                  max_isced=max_isced, offset=offset)
    views = []
    shown = places([m.score for m in matches], offset + 1, config()["display"]["tie_points"])
    for i, (m, place) in enumerate(zip(matches, shown), start=offset + 1):
        occ = catalogue.occupations[m.id]
        views.append(MatchView(i, occ, m, [reason_text(r, lang, bank, country) for r in m.reasons],
                               catalogue.path(occ, country), place, catalogue.path_is_outline(occ, country)))
    return Result(answers, profile, views, ranked, lang, country, bank, catalogue, max_isced=max_isced)
