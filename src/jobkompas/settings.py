"""Which content a run uses, passed explicitly (``api.Content``; documented in docs/api.md).

A :class:`Content` names the question bank and occupation folders and loads each on first
use. The CLI makes one from ``--questions``/``--occupations`` and hands it to every command
and to the wizard through the typer context; nothing is kept in module globals or written to
the environment. ``$JOBKOMPAS_QUESTIONS``/``$JOBKOMPAS_OCCUPATIONS`` are the defaults for a
folder not given, read in one place (:func:`jobkompas.resources.questions_dir`).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from .resources import occupations_dir, programmes_dir, questions_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .questions import QuestionBank


@lru_cache(maxsize=4)
def cached_bank(directory: str) -> QuestionBank:
    """The bank of a resolved folder, parsed once per process (shared by every ``Content``)."""
    from .questions import load_question_bank

    return load_question_bank(Path(directory))


@lru_cache(maxsize=4)
def cached_catalogue(directory: str) -> Catalogue:
    from .catalogue import load_catalogue

    return load_catalogue(Path(directory))


class Content:
    """The question bank and the occupation catalogue one run works with.

    ``questions`` and ``occupations`` are folders; ``None`` means ``$JOBKOMPAS_QUESTIONS`` /
    ``$JOBKOMPAS_OCCUPATIONS``, else the content that ships with jobkompas. Each folder is
    checked when it is first used (a missing one is a :class:`~jobkompas.errors.UsageError`),
    so a wrong questions folder does not stop a command that needs only the occupations; the
    bank and the catalogue are loaded on first use and cached for the process.
    """

    __slots__ = ("_questions", "_occupations")

    def __init__(self, questions: str | os.PathLike[str] | None = None,
                 occupations: str | os.PathLike[str] | None = None) -> None:
        self._questions, self._occupations = questions, occupations

    @property
    def questions_dir(self) -> Path:
        return questions_dir(self._questions)

    @property
    def occupations_dir(self) -> Path:
        return occupations_dir(self._occupations)

    @property
    def programmes_dir(self) -> Path:
        """The programme register used with this catalogue (see docs/content.md)."""
        return programmes_dir(self.occupations_dir)

    def bank(self) -> QuestionBank:
        return cached_bank(str(self.questions_dir.resolve()))

    def catalogue(self) -> Catalogue:
        return cached_catalogue(str(self.occupations_dir.resolve()))

    def __repr__(self) -> str:
        return f"Content(questions={self._questions!r}, occupations={self._occupations!r})"
