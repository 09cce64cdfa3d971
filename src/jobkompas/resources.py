"""Where content and user data live.

Content (``questions/``, ``occupations/``, ``programmes/``) sits at the project root in a source checkout
and inside the package (``jobkompas/_content``) in a wheel; one resolver serves both, and
a folder given as an argument (``api.Content``, the CLI's ``--questions``/``--occupations``)
or else an environment variable points elsewhere for custom banks.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import UsageError

_PACKAGE = Path(__file__).resolve().parent
LANGUAGES = ("en", "nb", "da")
COUNTRIES = ("norway", "denmark", "other")


def _content_root() -> Path:
    bundled = _PACKAGE / "_content"
    if (bundled / "questions").is_dir():
        return bundled
    source_tree = _PACKAGE.parent.parent  # src/jobkompas -> project root
    return source_tree


def questions_dir(override: str | os.PathLike | None = None) -> Path:
    return _pick(override, "JOBKOMPAS_QUESTIONS", "questions")


def occupations_dir(override: str | os.PathLike | None = None) -> Path:
    return _pick(override, "JOBKOMPAS_OCCUPATIONS", "occupations")


def programmes_dir(occupations: str | os.PathLike | None = None) -> Path:
    """The programme register: ``JOBKOMPAS_PROGRAMMES``, else a ``programmes/`` folder beside a
    custom occupations folder, else the one that ships with jobkompas."""
    chosen = os.environ.get("JOBKOMPAS_PROGRAMMES")
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_dir():
            raise UsageError(f"programmes directory not found: {path}")
        return path
    if occupations is not None:
        beside = Path(occupations).parent / "programmes"
        if (beside / "norway.yaml").is_file():
            return beside
    return _content_root() / "programmes"


def _pick(override: str | os.PathLike | None, env: str, name: str) -> Path:
    chosen = override or os.environ.get(env)  # the one place the content variables are read
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_dir():
            raise UsageError(f"{name} directory not found: {path}")
        return path
    return _content_root() / name


def fingerprint(text: str) -> str:
    """A stable 64-bit hex digest for cache keys (zlib is cheap to import; hashlib is not)."""
    import zlib

    data = text.encode()
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def builtin_questions_dir() -> Path:
    """The question bank that ships with jobkompas (ignores overrides)."""
    return _content_root() / "questions"


def builtin_occupations_dir() -> Path:
    """The occupation catalogue that ships with jobkompas (ignores overrides)."""
    return _content_root() / "occupations"


def package_data(name: str) -> Path:
    return _PACKAGE / "data" / name


def user_data_dir() -> Path:
    """The user's data dir; ``JOBKOMPAS_HOME`` overrides it (tests, portable installs)."""
    home = os.environ.get("JOBKOMPAS_HOME")
    if home:
        return Path(home).expanduser()
    from platformdirs import user_data_path

    return user_data_path("jobkompas", appauthor=False)


def user_cache_dir() -> Path:
    home = os.environ.get("JOBKOMPAS_HOME")
    if home:
        return Path(home).expanduser() / "cache"
    from platformdirs import user_cache_path

    return user_cache_path("jobkompas", appauthor=False)
