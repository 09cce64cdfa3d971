"""The stable Python API of jobkompas (documented in docs/api.md).

    from jobkompas import api
    bank = api.load_bank()
    answers = api.new_answers({"R01": 5, "I01": 2}, language="nb")
    result = api.score(answers)
    result.profile.holland, result.matches[0].occupation.title("nb")

Nothing here touches the terminal.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from .answerfile import parse_answer_text, read_answer_file
from .answers import COUNTRY_ALIASES, AnswerSet, check_value, retired_note
from .errors import InputError
from .questions import RIASEC, UNSURE, Question, QuestionBank
from .resources import COUNTRIES, LANGUAGES, occupations_dir, questions_dir
from .settings import Content, cached_bank, cached_catalogue

TYPE_CHECKING = False
if TYPE_CHECKING:  # the catalogue and scoring load only when something is scored
    import os
    from typing import Any, Iterator, Mapping

    from .catalogue import Catalogue, Occupation, Step
    from .problems import Problem
    from .scoring import Match, Profile
    from .sessions import GroupRescore, PurgePlan, Rescored, Scored, Session, Sessions, report_result

RESULT_FORMAT = "jobkompas-result/1"

__all__ = [
    "AnswerSet", "COUNTRIES", "COUNTRY_ALIASES", "LANGUAGES", "MatchView", "Question", "QuestionBank", "Result",
    "UNSURE", "answer_template", "check_content", "load_bank", "load_catalogue", "new_answers", "next_question",
    "parse_answers", "read_answers", "read_class_file", "remaining_questions", "score", "search", "use_content",
    # explicit settings, and what the CLI and the wizard do through the library
    "RIASEC", "Content", "ContentCounts", "Folders", "ImportBatch", "Session", "Sessions", "check_value",
    "content_counts", "country_code", "default_content", "describe_questions", "find_occupation", "folders",
    "may_skip_rest", "occupations", "parse_age", "read_for_import", "save_session", "score_class_file",
    "user_data_dir", "write_answers", "Scored", "Rescored", "GroupRescore", "PurgePlan", "report_result",
]


_chosen: Content | None = None  # set only by use_content (kept for library code written before Content)
_bank, _catalogue = cached_bank, cached_catalogue  # the per-process caches (``cache_clear()``)


def default_content() -> Content:
    """The content of a call that names none: what :func:`use_content` chose, else
    ``$JOBKOMPAS_QUESTIONS``/``$JOBKOMPAS_OCCUPATIONS``, else the built-in content."""
    return _chosen if _chosen is not None else Content()


def use_content(questions: str | os.PathLike[str] | None = None,
                occupations: str | os.PathLike[str] | None = None) -> None:
    """Kept for older library code: make later calls without ``directory``/``bank``/``catalogue``
    use these folders (``None``, ``None`` goes back to the defaults). New code passes a
    :class:`Content` (or its ``bank()`` and ``catalogue()``) instead; the CLI never calls this."""
    global _chosen
    _chosen = Content(questions, occupations) if (questions or occupations) else None


def load_bank(directory: str | Path | None = None) -> QuestionBank:
    """The question bank: ``directory``, else the :func:`default_content`'s."""
    if directory is None and _chosen is not None:
        return _chosen.bank()
    return cached_bank(str(questions_dir(directory).resolve()))


def load_catalogue(directory: str | Path | None = None) -> Catalogue:
    """The occupation catalogue: ``directory``, else the :func:`default_content`'s."""
    if directory is None and _chosen is not None:
        return _chosen.catalogue()
    return cached_catalogue(str(occupations_dir(directory).resolve()))


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
    from .classfile import iter_batch_rows

    return iter_batch_rows(path, bank or load_bank())


def answer_template(form: str, *, language: str = "en", bank: QuestionBank | None = None) -> str:
    """A ready-to-fill answer file for ``form``, with each question's text as a comment."""
    from .answerfile import render_answer_file

    bank = bank or load_bank()
    return render_answer_file(AnswerSet(language=language, form=form), bank, form)


def search(text: str, *, limit: int = 10, catalogue: Catalogue | None = None) -> list[tuple[Occupation, float]]:
    """Occupations whose titles (any language, typos tolerated) match ``text``, best first,
    with their relevance."""
    from .search import search as search_titles

    return search_titles(catalogue or load_catalogue(), text, limit=limit)


def check_content(content: Content | None = None) -> tuple[QuestionBank, Catalogue, list[Problem]]:
    """Parse the question bank and the catalogue afresh (no cache) and list every problem."""
    from .catalogue import parse_catalogue
    from .codes import check_catalogue
    from .questions import check_links, parse_question_bank
    from .resources import builtin_occupations_dir, builtin_questions_dir

    content = content or default_content()
    bank = parse_question_bank(content.questions_dir)
    catalogue = parse_catalogue(content.occupations_dir)
    units = {o.id: o.codes.get("isco08") for o in catalogue.occupations.values()}
    # the built-in bank names built-in occupations; another catalogue need not have them
    own_bank = content.questions_dir.resolve() != builtin_questions_dir().resolve()
    with_its_catalogue = content.occupations_dir.resolve() == builtin_occupations_dir().resolve()
    links = check_links(bank, units, unknown_ids=own_bank or with_its_catalogue)
    return bank, catalogue, bank.problems + catalogue.problems + check_catalogue(catalogue) + links


def next_question(answers: AnswerSet, *, form: str | None = None, bank: QuestionBank | None = None,
                  interests_done: bool = False, catalogue: Catalogue | None = None) -> Question | None:
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

        item = None if interests_done else next_interest_item(answers.values, bank, catalogue or load_catalogue())
        if item is not None:
            return item
        rest = [q for q in bank.form("standard") if q.block != "interest"]
        return next((q for q in rest if q.id not in answers.values), None)
    for q in bank.form(name):
        if q.id not in answers.values:
            return q
    return None


def remaining_questions(answers: AnswerSet, *, form: str | None = None, bank: QuestionBank | None = None,
                        interests_done: bool = False, catalogue: Catalogue | None = None) -> int:
    """How many questions are left: exact for fixed forms, an estimate for ``adaptive``."""
    bank = bank or load_bank()
    name = form or answers.form or "standard"
    if name == "adaptive":
        from .adaptive import remaining_estimate

        rest = [q for q in bank.form("standard") if q.block != "interest" and q.id not in answers.values]
        interests = 0 if interests_done else remaining_estimate(answers.values, bank, catalogue or load_catalogue())
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
            "breakdown": {"interest": _pct(c.interest), "traits": _pct(c.traits), "education": _pct(c.education),
                          "activity": None if c.activity is None else round(c.activity, 4)},
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


# ---------------------------------------------------------------- what the CLI and the wizard use
# Everything below returns data and never prints: the CLI and the wizard choose how to show it.


def __getattr__(name: str) -> Any:
    """``Sessions`` and ``Session`` load the SQLite store only when first used."""
    if name in ("Sessions", "Session", "Scored", "Rescored", "GroupRescore", "PurgePlan", "report_result"):
        from . import sessions

        return getattr(sessions, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def country_code(text: str) -> str | None:
    """A country as answer files and ``--country`` may write it (``Norge``, ``dk``, ``other``)
    as one of :data:`COUNTRIES`, or ``None`` when it is none of them."""
    value = COUNTRY_ALIASES.get(text.lower(), text.lower())
    return value if value in COUNTRIES else None


def describe_questions(bank: QuestionBank) -> list[dict[str, Any]]:
    """Every question as ``questions list --json`` shows it: id, block, dimension, scale,
    forms, allowed values, texts and (for a choice) its options."""
    return [{
        "id": q.id, "block": q.block, "dimension": q.dimension, "scale": q.scale,
        "forms": bank.forms_of(q.id), "allowed": q.allowed_values(), "text": q.text,
        **({"options": [{"id": o.id, "text": o.text, "isced": o.isced, "countries": list(o.countries)}
                        for o in q.options]} if q.options else {}),
    } for q in bank.questions.values()]


def occupations(catalogue: Catalogue, *, language: str = "en", curated_only: bool = False) -> list[Occupation]:
    """The occupations of the catalogue by their title in ``language``; with ``curated_only``
    only those with hand-written text."""
    chosen = [o for o in catalogue.occupations.values() if o.curated or not curated_only]
    return sorted(chosen, key=lambda o: o.title(language).lower())


def find_occupation(occupation_id: str, catalogue: Catalogue) -> Occupation:
    """The occupation with this id (or an old id it was merged from); a
    :class:`~jobkompas.errors.NotFoundError` naming close matches otherwise."""
    from .errors import NotFoundError

    occ = catalogue.get(occupation_id)
    if occ is None:
        hint = search(occupation_id, limit=3, catalogue=catalogue)
        more = f"; did you mean {', '.join(o.id for o, _ in hint)}?" if hint else ""
        raise NotFoundError(f"no occupation with id {occupation_id!r}{more}")
    return occ


class ContentCounts(NamedTuple):
    """What ``validate`` reports for content without problems."""

    questions: int
    occupations: int
    curated: int  # occupations with hand-written text
    programmes: dict[str, int] | None  # programmes per country, or None without a register
    review: dict[str, int]  # paths and texts written, checked, template-built or missing


def content_counts(bank: QuestionBank, catalogue: Catalogue) -> ContentCounts:
    register = catalogue.register
    return ContentCounts(len(bank.questions), len(catalogue), sum(o.curated for o in catalogue.occupations.values()),
                         register.counts() if register is not None else None, catalogue.review_counts())


class Folders(NamedTuple):
    """Where jobkompas reads its content and keeps its files (``about``)."""

    questions: Path
    occupations: Path
    programmes: Path
    data: Path  # sessions and unfinished quizzes
    cache: Path  # safe to delete


def folders(content: Content | None = None) -> Folders:
    from .resources import user_cache_dir

    content = content or default_content()
    return Folders(content.questions_dir, content.occupations_dir, content.programmes_dir, user_data_dir(),
                   user_cache_dir())


def user_data_dir() -> Path:
    """The user's data folder (sessions, unfinished quizzes); ``$JOBKOMPAS_HOME`` overrides it."""
    from .resources import user_data_dir as data_dir

    return data_dir()


def may_skip_rest(values: Mapping[str, Any], bank: QuestionBank) -> bool:
    """Whether the adaptive form has asked enough interest items that a student may skip the
    rest of them (see :mod:`jobkompas.adaptive`)."""
    from .adaptive import may_skip_rest as past_last_check

    return past_last_check(values, bank)


def write_answers(answers: AnswerSet, path: str | Path, *, bank: QuestionBank | None = None) -> None:
    """Write an answer file (``jobkompas-answers/1`` YAML) atomically."""
    from .answerfile import write_answer_file

    write_answer_file(answers, Path(path), bank or load_bank())


def parse_age(text: str) -> Any:
    """'90d', '12w', '6m' (30-day months) or '1y' as a ``timedelta``; ``ValueError`` otherwise."""
    from .store import parse_age as age

    return age(text)


class ImportBatch(NamedTuple):
    """Answer files and class files read for ``import``, all before anything is stored:
    ``items`` (an answer set, or a class-file row's error), ``file_errors`` (files that
    cannot be read at all) and ``files`` (how many were named)."""

    items: list[AnswerSet | InputError]
    file_errors: list[InputError]
    files: int

    def check(self) -> None:
        """Raise when any file cannot be read: then nothing is to be stored."""
        if self.file_errors:
            raise InputError(f"nothing stored: {len(self.file_errors)} of {self.files} file(s) cannot be read "
                             "(see above)")


def read_for_import(files: list[str], *, bank: QuestionBank | None = None) -> ImportBatch:
    """Read answer files and batch CSV files (named ``*.csv``: one student per row)."""
    bank = bank or load_bank()
    items: list[AnswerSet | InputError] = []
    errors: list[InputError] = []
    for name in files:
        try:
            if name.lower().endswith(".csv"):
                items.extend(item for _, item in read_class_file(name, bank=bank))
            else:
                items.append(read_answers(name, bank=bank))
        except InputError as exc:
            errors.append(exc)
    return ImportBatch(items, errors, len(files))


def save_session(result: Result, name: str | None = None, group: str | None = None) -> str:
    """Keep a result as a counsellor session on this machine; returns its id (``s-…``)."""
    from .sessions import Sessions

    with Sessions() as sessions:
        return sessions.save(result, name=name, group=group)


def score_class_file(file: str, *, fmt: str = "csv", top: int = 10, language: str | None = None,
                     country: str | None = None, strict: bool = False, out: Path | None = None,
                     bom: bool = False, content: Content | None = None) -> int:
    """Score every row of a batch CSV (``-``: standard input) and write one line per
    respondent to ``out`` (standard output when ``None``) as ``csv`` or ``jsonl``, streaming.
    Bad rows are reported on stderr and skipped (``strict``: raised); returns how many failed."""
    from .batch import run_batch

    content = content or default_content()
    return run_batch(file, fmt=fmt, top=top, lang=language, country=country, strict=strict, out=out, bom=bom,
                     bank=content.bank(), catalogue=content.catalogue())
