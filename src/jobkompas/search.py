"""Finding occupations by any title in any language, tolerant of case, accents and typos."""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .catalogue import Catalogue, Occupation

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "aa", "ß": "ss"})


def fold(text: str) -> str:
    """'Sveisér' -> 'sveiser', 'Tømrer' -> 'tomrer', 'Sygeplejerske' as is; 'aa' and 'å' meet."""
    text = text.casefold().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _index(catalogue: "Catalogue") -> list[tuple[str, list[str], list[str], str]]:
    cached = getattr(catalogue, "_search_index", None)
    if cached is not None:
        return cached
    index = []
    for occ in catalogue.occupations.values():
        # The id is the US English title, so American spellings ("pediatrician", "tire fitter")
        # still find the British titles shown; it counts as an alternative title.
        primary = [fold(n) for n in dict.fromkeys(occ.titles.values()) if n]
        alt = [occ.id.replace("-", " ")]
        for titles in occ.alt_titles.values():
            alt += titles
        alt = [a for a in dict.fromkeys(fold(n) for n in alt if n) if a not in primary]
        index.append((occ.id, primary, alt, " ".join(primary + alt)))
    catalogue._search_index = index  # type: ignore[attr-defined]
    return index


# Tiers, best first: the exact title, an exact alternative title, a title that begins with what
# was typed, an alternative title that does, every typed word beginning a word of a title, the
# text inside a title, then near misses (typos). Within a tier a shorter title ranks first.
EXACT, EXACT_ALT, PREFIX, PREFIX_ALT, WORDS, WORDS_ALT, INSIDE, INSIDE_ALT = (
    1.0, 0.97, 0.92, 0.89, 0.86, 0.84, 0.8, 0.78)


def _tier(query: str, qwords: list[str], names: list[str], exact: float, prefix: float,
          words_tier: float, inside: float) -> float:
    best = 0.0
    for name in names:
        if name == query:
            return exact
        if name.startswith(query):
            best = max(best, prefix - 0.0005 * len(name))
        words = name.split()
        if all(any(w.startswith(q) for w in words) for q in qwords):
            best = max(best, words_tier - 0.0005 * len(name))
        elif query in name:
            best = max(best, inside - 0.0005 * len(name))
    return best


def _fuzzy(query: str, qwords: list[str], names: list[str]) -> float:
    best = 0.0
    for name in names:
        words = name.split()
        ratio = difflib.SequenceMatcher(None, query, name).ratio()
        word_ratio = max((difflib.SequenceMatcher(None, q, w).ratio() for q in qwords for w in words), default=0)
        best = max(best, 0.7 * ratio, 0.75 * word_ratio if word_ratio >= 0.75 else 0)
    return best


def _score(query: str, qwords: list[str], primary: list[str], alt: list[str]) -> float:
    found = max(_tier(query, qwords, primary, EXACT, PREFIX, WORDS, INSIDE),
                _tier(query, qwords, alt, EXACT_ALT, PREFIX_ALT, WORDS_ALT, INSIDE_ALT))
    return found if found else _fuzzy(query, qwords, primary + alt)


def search(catalogue: "Catalogue", text: str, limit: int = 10) -> list[tuple["Occupation", float]]:
    """Occupations whose titles (any language) match ``text``, best first.

    Exact title, then exact alternative title, then titles beginning with the text, then
    words beginning with the typed words, then text inside a title, then typos."""
    query = fold(text)
    if not query:
        return []
    qwords = query.split()
    scored = []
    for occ_id, primary, alt, joined in _index(catalogue):
        if len(query) >= 3 and not any(q[:2] in joined for q in qwords):
            continue  # cheap pre-filter: no shared two-letter start means no plausible match
        s = _score(query, qwords, primary, alt)
        if s >= 0.5:
            scored.append((s, occ_id))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [(catalogue.occupations[i], s) for s, i in scored[:limit]]
