"""Occupation groups (STYRK-08, DISCO-08): official titles, choosing a group by meaning, and
checking that a group's title names the same job as the occupation.

A group *names* a job when one part of its official title ("Tømrere og snekkere" has the parts
"tømrere" and "snekkere"; "Sygeplejerskearbejde" the part "sygeplejerske") is the job title in
singular or plural (strength 2), and *touches* it when a word of one contains a word stem of
the other (strength 1: "Spesialsykepleiere" and "Sykepleier"). Strength 0 means the titles
share nothing: the group most likely names another job. This is a heuristic; reviewed
exceptions live in ``occupations/_code-overrides.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set as AbstractSet
from functools import lru_cache
from pathlib import Path

from .resources import occupations_dir, package_data
from .search import fold

SYSTEMS = ("styrk08", "disco08")
ALL_SYSTEMS = (*SYSTEMS, "isco08")
SYSTEM_LANG = {"styrk08": "nb", "disco08": "da"}
SYSTEM_NAME = {"styrk08": "STYRK-08", "disco08": "DISCO-08"}
OVERRIDE_FILE = "_code-overrides.yaml"

# Danish DISCO titles name an activity: "Svejsearbejde", "Tømrer- og bygningssnedkerarbejde".
_ACTIVITY = ("arbejde", "funktioner")
# Words that qualify rather than name ("Andre lærere" is a rest group, not the job).
_FILLER = {"andre", "annet", "anden", "andet", "mv", "m", "v", "og", "eller", "i", "av", "innen",
           "inden", "for", "til", "af", "med", "pa", "ved", "ekskl", "inkl", "undtagen", "unntatt",
           "samt", "the", "and", "of"}


def _forms(word: str) -> set[str]:
    """A folded word and its likely singular/stem forms ('sykepleiere' -> 'sykepleier' ...)."""
    forms = {word}
    for suffix in _ACTIVITY:
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            forms.add(word[: -len(suffix)])
    for form in list(forms):
        for end in ("e", "r", "er", "re", "ere", "s", "es", "arbeider", "arbeidere"):
            if form.endswith(end) and len(form) - len(end) >= 4:
                forms.add(form[: -len(end)])
    return forms


def _parts(title: str) -> list[str]:
    """'Tømrer- og bygningssnedkerarbejde' -> ['tomrer', 'bygningssnedkerarbejde']."""
    text = title.replace("-", " - ")
    chunks = re.split(r",|/|\(|\)| og | and | eller | - ", text.casefold())
    parts = []
    for chunk in chunks:
        words = [w for w in fold(chunk).split() if w]
        while words and words[-1] in ("mv", "m", "v", "mfl", "etc"):
            words.pop()  # 'Politibetjenter mv.' names politibetjenter
        if words:
            parts.append(" ".join(words))
    return parts


def _stems(text: str) -> set[str]:
    out: set[str] = set()
    for word in fold(text).split():
        if len(word) >= 4 and word not in _FILLER:
            out |= {f for f in _forms(word) if len(f) >= 4}
    return out


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _touch(left: AbstractSet[str], right: AbstractSet[str]) -> bool:
    """A stem of one inside a word of the other, or a long shared beginning."""
    for a in left:
        for b in right:
            short = min(len(a), len(b))
            if short >= 5 and (a in b or b in a):
                return True
            if _common_prefix(a, b) >= max(5, 0.7 * short):
                return True
            if _common_prefix(a[::-1], b[::-1]) >= 6:  # the same head of a compound
                return True
    return False


@lru_cache(maxsize=None)
def _title_info(title: str) -> tuple[tuple[frozenset[str], ...], frozenset[str], frozenset[str]]:
    """Forms of each part, forms of the whole folded title, and word stems (cached: the same
    group titles are compared with every occupation)."""
    parts = tuple(frozenset(_forms(p)) if " " not in p else frozenset({p}) for p in _parts(title))
    folded = fold(title)
    whole = frozenset(_forms(folded) if " " not in folded else {folded})
    return parts, whole, frozenset(_stems(title))


def strength(group_title: str, job_titles: Sequence[str]) -> int:
    """2 if the group title names one of the job titles, 1 if they share a stem, else 0."""
    best = 0
    group_parts, _, group_stems = _title_info(group_title)
    for title in job_titles:
        if not fold(title):
            continue
        _, title_forms, title_stems = _title_info(title)
        for forms in group_parts:
            if forms & title_forms:
                return 2
        if best < 1 and _touch(title_stems, group_stems):
            best = 1
    return best


@lru_cache(maxsize=1)
def group_titles() -> dict[str, dict[str, str]]:
    """Official titles per system and code (from the derived table in the package)."""
    out: dict[str, dict[str, str]] = {s: {} for s in ALL_SYSTEMS}
    with open(package_data("groups.tsv"), encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or line.startswith("system\t"):
                continue
            system, code, title = line.rstrip("\n").split("\t")
            out[system][code] = title
    return out


@lru_cache(maxsize=None)
def _naming_index(system: str) -> dict[str, list[str]]:
    """Each form of each part of a unit group's title -> the codes whose title has it."""
    index: dict[str, list[str]] = {}
    for code, title in group_titles()[system].items():
        if len(code) >= 4:
            for forms in _title_info(title)[0]:
                for form in forms:
                    index.setdefault(form, []).append(code)
    return index


def naming_groups(system: str, title: str) -> list[str]:
    """Codes of the unit groups whose official title names ``title`` (strength 2)."""
    index = _naming_index(system)
    found = {code for form in _title_info(title)[1] for code in index.get(form, [])}
    return [code for code in group_titles()[system] if code in found]


def load_overrides(directory=None) -> tuple[dict, list]:
    """The reviewed override table: ``{system: {occupation id: {code, why}}}`` and problems."""
    from .errors import InputError
    from .problems import Checker, Problem
    from .yamlio import load_yaml_file

    path = Path(directory or occupations_dir()) / OVERRIDE_FILE
    if not path.exists():
        return {s: {} for s in SYSTEMS}, []
    try:
        data = load_yaml_file(path)
    except InputError as exc:
        return {s: {} for s in SYSTEMS}, [Problem.from_error(exc, path)]
    c = Checker(str(path))
    out: dict[str, dict[str, dict]] = {s: {} for s in SYSTEMS}
    if not isinstance(data, dict):
        c.add(data, None, "the override file must be a mapping of styrk08/disco08")
        return out, c.problems
    for key in data:
        if key not in SYSTEMS:
            c.add(data, key, f"unknown classification {key!r} (use styrk08 or disco08)")
    for system in SYSTEMS:
        entries = data.get(system) or {}
        if not isinstance(entries, dict):
            c.add(data, system, f"{system} must map occupation ids to {{code, why}}")
            continue
        titles = group_titles()[system]
        for occ_id, entry in entries.items():
            if not isinstance(entry, dict) or not isinstance(entry.get("code"), str) \
                    or not isinstance(entry.get("why"), str) or not entry["why"].strip():
                c.add(entries, occ_id, f"{system}.{occ_id} needs a quoted 'code' and a 'why'")
                continue
            if entry["code"] not in titles:
                c.add(entries, occ_id, f"{system}.{occ_id}: {entry['code']} is not a {SYSTEM_NAME[system]} group")
                continue
            out[system][occ_id] = {"code": entry["code"], "why": entry["why"].strip(),
                                   "line": entries.line_of(occ_id) if hasattr(entries, "line_of") else 1}
    return out, c.problems


# STYRK-08 numbers that mean another job than the ISCO-08 group with the same number
# (STYRK 2221 Spesialsykepleiere, ISCO 2221 nursing professionals; STYRK 2267 Ergoterapeuter,
# ISCO 2267 optometrists; STYRK 2269 Kiropraktorer mv., ISCO 2269 health professionals n.e.c.).
STYRK_OTHER_MEANING = {"2221", "2267", "2269"}


_REST = re.compile(r"^(andre|annet|anden|andet) |ikke klassificeret andetsteds|not elsewhere classified")


def is_rest_group(system: str, code: str) -> bool:
    """A group for jobs that no other group names ('Andre sikkerhetsarbeidere', '... ikke
    klassificeret andetsteds'; or its ISCO-08 group is 'not elsewhere classified')."""
    titles = group_titles()
    if _REST.search(fold(titles[system].get(code, "")) + " ") or _REST.search(titles[system].get(code, "").casefold()):
        return True
    return len(code) >= 4 and bool(_REST.search(titles["isco08"].get(code[:4], "").casefold()))


def same_as_isco(system: str, code: str, en_titles: Sequence[str]) -> bool:
    """The national unit group is the ISCO-08 group of that number, and its English title
    names or touches the job's English titles."""
    if len(code) != 4 or (system == "styrk08" and code in STYRK_OTHER_MEANING):
        return False
    isco = group_titles()["isco08"].get(code)
    if not isco:
        return False
    return strength(isco, en_titles) >= 1


def contradiction(system: str, code: str, group_title: str, job_titles: list[str],
                  en_titles: Sequence[str] = ()) -> str | None:
    """Why the group does not fit the job titles, or None.

    The group title shares nothing with the titles (in its language, nor, where the unit group
    is the ISCO-08 group of that number, in English); or another group names the primary
    title while this one does not; or the code is not a unit group (fewer than 4 digits)."""
    name = SYSTEM_NAME[system]
    if len(code) < 4:
        return f"{name} {code} is not a unit group (4 or 6 digits)"
    official = group_titles()[system].get(code)
    if official is None:
        return f"{name} {code} is not a {name} group"
    if official != group_title:
        return f"{name} {code} is titled {official!r}, not {group_title!r}"
    score = strength(group_title, job_titles)
    if score == 0 and not same_as_isco(system, code, list(en_titles)) and not is_rest_group(system, code):
        return f"{name} {code} '{group_title}' names another job than '{job_titles[0]}'"
    if strength(group_title, job_titles[:1]) < 2:
        better = [c for c in naming_groups(system, job_titles[0])
                  if not (c.startswith(code) or code.startswith(c))]
        if better:
            other = better[0]
            return (f"{name} {code} '{group_title}' does not name '{job_titles[0]}'; "
                    f"{other} '{group_titles()[system][other]}' does")
    return None


def titles_of(occ, lang: str) -> list[str]:
    """An occupation's title and alternative titles in one language (English: also its id)."""
    titles = [occ.titles.get(lang) or occ.titles["en"], *occ.alt_titles.get(lang, [])]
    if lang == "en":
        titles.append(occ.id.replace("-", " "))
    return titles


def _line(path: str, system: str) -> int:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    return next((i + 1 for i, line in enumerate(lines) if line.startswith(f"  {system}:")), 1)


def check_catalogue(catalogue) -> list:
    """Problems with the catalogue's codes: the override file itself, overrides for unknown
    occupations or not applied, and groups whose title names another job (``contradiction``)."""
    from .problems import Problem

    overrides, problems = load_overrides(catalogue.directory)
    path = str(Path(catalogue.directory) / OVERRIDE_FILE)
    for system in SYSTEMS:
        for occ_id, entry in overrides[system].items():
            if occ_id not in catalogue.occupations:
                problems.append(Problem(path, entry["line"], f"{system}: unknown occupation id {occ_id!r}"))
    for occ in sorted(catalogue.occupations.values(), key=lambda o: o.id):
        for system in SYSTEMS:
            group = occ.codes.get(system)
            override = overrides[system].get(occ.id)
            if not group:
                continue
            if override:
                if group["code"] != override["code"]:
                    problems.append(Problem(occ.source, _line(occ.source, system), f"codes.{system} is {group['code']}, but "
                                            f"{OVERRIDE_FILE} says {override['code']} (run the import)"))
                continue
            why = contradiction(system, group["code"], group["title"],
                                titles_of(occ, SYSTEM_LANG[system]), titles_of(occ, "en"))
            if why:
                problems.append(Problem(occ.source, _line(occ.source, system), f"codes.{system}: {why}"))
    return problems
