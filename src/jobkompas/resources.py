"""Where content and user data live.

Content (``questions/``, ``occupations/``, ``programmes/``) sits at the project root in a source checkout
and inside the package (``jobkompas/_content``) in a wheel; one resolver serves both, and
options or environment variables point elsewhere for custom banks.
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


# Content folders chosen for this process (the CLI's --questions/--occupations, through
# api.use_content); they come before the environment variables.
_CHOSEN: dict[str, Path] = {}


def use_content(questions: str | os.PathLike | None = None, occupations: str | os.PathLike | None = None) -> None:
    """Load the question bank and the catalogue from these folders from now on (``None``: the
    environment variable or the built-in content). Each folder must exist."""
    _CHOSEN.clear()
    for name, value in (("questions", questions), ("occupations", occupations)):
        if value is not None:
            path = Path(value).expanduser()
            if not path.is_dir():
                raise UsageError(f"directory not found: {value}")
            _CHOSEN[name] = path


def _pick(override: str | os.PathLike | None, env: str, name: str) -> Path:
    chosen = override or _CHOSEN.get(name) or os.environ.get(env)
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
