"""The scoring weights and thresholds (``data/weights.yaml``), read once.

Kept apart from :mod:`scoring` so that the catalogue's columns (:mod:`columns`), which need
the key-trait weight, can read them without importing the scorer.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def config() -> dict[str, Any]:
    """The scoring weights (weights.yaml), kept in the marshal cache like the content."""
    from . import cache
    from .resources import fingerprint, package_data
    from .yamlio import parse_yaml_text

    from . import prebuilt

    shipped = prebuilt.lookup("weights")  # weights.yaml ships inside the package, like the code
    if shipped is not None:
        return shipped
    path = package_data("weights.yaml")
    text = path.read_text(encoding="utf-8")
    key = fingerprint(text)
    weights = cache.load("weights", key, lambda plain: plain if isinstance(plain, dict) else None)
    if weights is None:
        weights = parse_yaml_text(text, str(path), with_lines=False)
        cache.store("weights", key, weights)
    return weights
