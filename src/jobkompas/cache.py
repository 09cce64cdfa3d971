"""Parsed content kept as marshal files in the user cache dir, so start-up skips the YAML.

A cache file is named ``{kind}-{key}.marshal``; the key is a fingerprint of the sources, so
changed content simply misses. Every failure here only costs speed: a missing, unreadable or
damaged file is rebuilt, and a cache dir that cannot be written is not written.

A cache cannot lie: each file starts with a SHA-256 checksum over the key (the content's
fingerprint) and the marshal bytes after it. A file whose checksum does not match, whatever
one byte changed, is not decoded at all and is rebuilt from the sources.
"""

from __future__ import annotations

import hashlib
import marshal

from .resources import user_cache_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, TypeVar

    T = TypeVar("T")


MAGIC = b"jobkompas-cache/2\n"
_off = False  # set while a wheel is built (:func:`off`): a build reads and writes no user cache


class off:
    """Within ``with cache.off():`` nothing is read from or written to the user cache: the
    wheel build parses the content afresh and leaves the builder's home alone."""

    def __enter__(self) -> None:
        global _off
        self._was, _off = _off, True

    def __exit__(self, *exc: object) -> None:
        global _off
        _off = self._was


def _checksum(kind: str, key: str, payload: bytes) -> bytes:
    return hashlib.sha256(f"{kind}\0{key}\0".encode() + payload).digest()


def load(kind: str, key: str, decode: Callable[[Any], T]) -> T | None:
    """``decode`` applied to the cached value, or None when there is none, or none whose
    checksum matches and that decodes."""
    if _off:
        return None
    try:
        data = (user_cache_dir() / f"{kind}-{key}.marshal").read_bytes()
        head, digest, payload = data[:len(MAGIC)], data[len(MAGIC):len(MAGIC) + 32], data[len(MAGIC) + 32:]
        if head != MAGIC or digest != _checksum(kind, key, payload):
            return None
        return decode(marshal.loads(payload))
    except Exception:  # a damaged or foreign file, whatever it holds, is rebuilt, never a crash
        return None


def store(kind: str, key: str, value: Any) -> None:
    """Cache ``value`` (plain data) under ``key`` and drop the other files of this kind."""
    from .outfile import atomic_open, private_dir

    if _off:
        return
    try:
        folder = private_dir(user_cache_dir())  # under JOBKOMPAS_HOME it may create the data dir
        path = folder / f"{kind}-{key}.marshal"
        payload = marshal.dumps(value)
        data = MAGIC + _checksum(kind, key, payload) + payload
        with atomic_open(path, binary=True) as handle:
            handle.write(data)
        for old in folder.glob(f"{kind}-*.marshal"):
            if old.name != path.name:
                old.unlink(missing_ok=True)
    except (OSError, ValueError, ImportError):  # ImportError: no platformdirs (a bare build environment)
        pass  # a read-only cache dir (or a value marshal cannot write) only costs speed
