"""UI strings through gettext catalogs (``locale/<lang>/LC_MESSAGES/jobkompas.mo``).

Content (questions, occupations) carries its own three languages; this module only
translates the program's own sentences. English is the source language.
"""

from __future__ import annotations

import gettext
import locale
import os
from functools import lru_cache
from pathlib import Path

from .resources import LANGUAGES

TYPE_CHECKING = False  # typing is left to type checkers: importing the API alone does not load it
if TYPE_CHECKING:
    from typing import Callable

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


@lru_cache(maxsize=None)
def translation(lang: str) -> gettext.NullTranslations:
    return gettext.translation("jobkompas", LOCALE_DIR, languages=[lang], fallback=True)


def translator(lang: str) -> Callable[[str], str]:
    """``tr("text")`` in ``lang``; falls back to English for missing strings."""
    return translation(lang).gettext


def detect_language(explicit: str | None = None) -> str:
    """--lang, else JOBKOMPAS_LANG, else the locale (nb/nn/no -> nb, da -> da), else en."""
    if explicit:
        return explicit
    candidates = [os.environ.get("JOBKOMPAS_LANG", "")]
    candidates += [os.environ.get(k, "") for k in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")]
    try:
        candidates.append(locale.getlocale()[0] or "")
    except ValueError:
        pass
    for value in candidates:
        code = value.split(":")[0].split(".")[0].split("_")[0].lower()
        if code in ("nb", "nn", "no"):
            return "nb"
        if code in LANGUAGES:
            return code
    return "en"
