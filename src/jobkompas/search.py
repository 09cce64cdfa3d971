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


def _index(catalogue: "Catalogue") -> list[tuple[str, list[str], str]]:
    cached = getattr(catalogue, "_search_index", None)
    if cached is not None:
        return cached
    index = []
    for occ in catalogue.occupations.values():
        # The id is the US English title, so American spellings ("pediatrician", "tire fitter")
        # still find the British titles shown.
        names = [*occ.titles.values(), occ.id.replace("-", " ")]
        for titles in occ.alt_titles.values():
            names += titles
        folded = [fold(n) for n in dict.fromkeys(names) if n]
        index.append((occ.id, folded, " ".join(folded)))
    catalogue._search_index = index  # type: ignore[attr-defined]
    return index


def _score(query: str, qwords: list[str], names: list[str]) -> float:
    best = 0.0
    for name in names:
        if name == query:
            return 1.0
        if name.startswith(query):
            best = max(best, 0.92 - 0.001 * len(name))
        elif query in name:
            best = max(best, 0.85 - 0.001 * len(name))
        words = name.split()
        if all(any(w.startswith(q) for w in words) for q in qwords):
            best = max(best, 0.8)
        if best < 0.8:
            ratio = difflib.SequenceMatcher(None, query, name).ratio()
            word_ratio = max((difflib.SequenceMatcher(None, q, w).ratio() for q in qwords for w in words), default=0)
            best = max(best, 0.7 * ratio, 0.75 * word_ratio if word_ratio >= 0.75 else 0)
    return best


def search(catalogue: "Catalogue", text: str, limit: int = 10) -> list[tuple["Occupation", float]]:
    query = fold(text)
    if not query:
        return []
    qwords = query.split()
    scored = []
    for occ_id, names, joined in _index(catalogue):
        if len(query) >= 3 and not any(q[:2] in joined for q in qwords):
            continue  # cheap pre-filter: no shared two-letter start means no plausible match
        s = _score(query, qwords, names)
        if s >= 0.5:
            scored.append((s, occ_id))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [(catalogue.occupations[i], s) for s, i in scored[:limit]]
