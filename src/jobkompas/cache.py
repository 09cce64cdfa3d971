"""Parsed content kept as marshal files in the user cache dir, so start-up skips the YAML.

A cache file is named ``{kind}-{key}.marshal``; the key is a fingerprint of the sources, so
changed content simply misses. Every failure here only costs speed: a missing, unreadable or
damaged file is rebuilt, and a cache dir that cannot be written is not written.
"""

from __future__ import annotations

import marshal

from .resources import user_cache_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, TypeVar

    T = TypeVar("T")


def load(kind: str, key: str, decode: Callable[[Any], T]) -> T | None:
    """``decode`` applied to the cached value, or None when there is none that decodes."""
    try:
        return decode(marshal.loads((user_cache_dir() / f"{kind}-{key}.marshal").read_bytes()))
    except Exception:  # a damaged or foreign file, whatever it holds, is rebuilt, never a crash
        return None


def store(kind: str, key: str, value: Any) -> None:
    """Cache ``value`` (plain data) under ``key`` and drop the other files of this kind."""
    from .outfile import atomic_open, private_dir

    try:
        folder = private_dir(user_cache_dir())  # under JOBKOMPAS_HOME it may create the data dir
        path = folder / f"{kind}-{key}.marshal"
        data = marshal.dumps(value)
        with atomic_open(path, binary=True) as handle:
            handle.write(data)
        for old in folder.glob(f"{kind}-*.marshal"):
            if old.name != path.name:
                old.unlink(missing_ok=True)
    except (OSError, ValueError):
        pass  # a read-only cache dir (or a value marshal cannot write) only costs speed
