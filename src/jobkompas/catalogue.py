"""The occupation catalogue: one YAML file per occupation in ``occupations/``.

Parsing collects every problem as ``file:line: message`` (``jobkompas validate``). Loading
uses a compact cache in the user cache dir, rebuilt whenever any content file changes, so
start-up does not parse ~900 YAML files each time.
"""

from __future__ import annotations

import marshal
import os
import re
from collections import namedtuple
from functools import cached_property, partial
from pathlib import Path

from . import __version__
from .errors import ContentError, InputError
from .problems import Checker, Problem
from .programmes import Register
from .questions import RIASEC, TRAIT_WORK_STYLES
from .resources import COUNTRIES, LANGUAGES, fingerprint, occupations_dir, programmes_dir
from .yamlio import load_yaml_file

STEP_KINDS = ("school", "apprenticeship", "certificate", "higher", "work", "course")
FREE_STEP_KINDS = ("work", "course")  # in an occupation file; other kinds name a register entry
REVIEW = {"text": ("written", "checked"), "paths": ("template", "written", "checked")}
_STRICT_FREE_STEPS = True
LOWEST_LEVEL = 2  # a path with no required programme: compulsory school and what follows on the job
TEMPLATE_FILE = "_path-templates.yaml"
REDIRECT_FILE = "_redirects.yaml"
ONET_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
CACHE_FORMAT = 8
# why an occupation is left out of recommendations (it stays browsable)
NOT_RECOMMENDED_WHY = ("elected_office", "us_only", "not_in_country", "not_a_career_start")
ESTIMATED_PREFIX = "estimated from "


TYPE_CHECKING = False  # typing is left to type checkers: importing the API alone does not load it
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable

    from .columns import CatalogueColumns

# One step of an education path. ``text`` is what is shown ({lang: text}); a step that names a
# register entry also carries its id, ISCED level, the note and subject it was written with and the
# authorisation that follows ({"by", "en", "nb", "da"}); ``optional`` steps do not count in the level.
Step = namedtuple("Step", "kind years text programme isced optional note subject authorisation",
                  defaults=(None, None, False, None, None, None))


class OccupationPage(namedtuple("OccupationPage", "codes work_styles work_styles_source related source "
                                 "alt_titles summary tasks workplaces key_traits next_steps explicit_paths")):
    """What an occupation's page shows beyond what ranking needs, in one value:

    - ``codes``: the classification codes ({"isco08": "2221", "styrk08": {"code", "title"}, …});
    - ``work_styles``: O*NET's work styles and their importance (1–5);
    - ``work_styles_source``: "" for O*NET's own figures, "estimated from a, b, c" where O*NET
      has none; ``related``: ids of related occupations;
    - ``source``: the file (its full path when parsed, only its name in the cache);
    - ``alt_titles``: {lang: [titles]} that searches also find;
    - ``summary`` ({lang: text}), ``tasks`` and ``workplaces`` ({lang: [texts]}): the hand-written
      text, all of it or None; ``key_traits``: the trait ids the page names; ``next_steps``: ids
      of occupations to go on to;
    - ``explicit_paths``: {country: [Step]} for the countries whose path the file writes.

    In the cache each page is marshal bytes of its own (:meth:`encode`), decoded (:meth:`decode`)
    only when first read: loading ~900 occupations needs none of this.
    """

    __slots__ = ()

    def encode(self) -> bytes:
        """Plain data for the cache; the source keeps only its file name, as the folder is the
        one the cache is loaded for, wherever it is then."""
        plain = self._replace(source=Path(self.source).name,
                              explicit_paths={k: [tuple(s) for s in v] for k, v in self.explicit_paths.items()})
        return marshal.dumps(_plain(plain._asdict()))

    @classmethod
    def decode(cls, blob: bytes | None) -> "OccupationPage":
        raw = marshal.loads(blob) if blob else {}
        paths = {k: [Step(*step) for step in v] for k, v in raw.get("explicit_paths", {}).items()}
        return cls(codes=raw.get("codes") or {}, work_styles=raw.get("work_styles") or {},
                   work_styles_source=raw.get("work_styles_source") or "", related=raw.get("related") or [],
                   source=raw.get("source") or "", alt_titles=raw.get("alt_titles") or {},
                   summary=raw.get("summary"), tasks=raw.get("tasks"), workplaces=raw.get("workplaces"),
                   key_traits=raw.get("key_traits") or [], next_steps=raw.get("next_steps") or [],
                   explicit_paths=paths)


class Occupation:
    """One occupation. What ranking needs is read at load; the rest is its :attr:`page`, which
    a cached catalogue decodes on first use (which keeps loading ~900 occupations fast)."""

    def __init__(self, id: str, onet: str | None, titles: dict[str, str], interests: tuple[float, ...],
                 high_point: str, job_zone: int | None, isced: int, template: str | None,
                 *, curated: bool, not_recommended: tuple[str, tuple[str, ...]] | None = None,
                 page: OccupationPage | None = None,
                 page_blob: bytes | Callable[[], bytes | None] | None = None,
                 path_levels: dict[str, int] | None = None,
                 written: tuple[str, ...] = (), review: dict[str, str | None] | None = None) -> None:
        self.id = id
        self.onet = onet
        self.titles = titles
        self.interests = interests  # R, I, A, S, E, C on O*NET's 1–7 scale
        self.high_point = high_point
        self.job_zone = job_zone
        self.isced = isced
        self.template = template
        self.curated = curated  # has hand-written text in all three languages
        # (why, countries): not a training goal there (elected offices, jobs that barely exist)
        self.not_recommended = not_recommended
        self.path_levels = path_levels or {}  # country -> level of the path shown (see Catalogue.path_level)
        self.written = written  # countries whose path is written in the file (the rest: template-built)
        self.review = review or {}  # {"text": written|checked|None, "paths": template|written|checked}
        self._page_blob = page_blob
        if page is not None:
            self.page = page

    @cached_property
    def page(self) -> OccupationPage:
        """Codes, figures, text and paths, decoded from the cache on first use (a callable
        blob is fetched then: the user cache keeps the pages in a file of their own)."""
        blob = self._page_blob() if callable(self._page_blob) else self._page_blob
        return OccupationPage.decode(blob)

    folder: Path | None = None  # set when read back from plain data, which keeps only file names

    @property
    def source(self) -> str:
        name = self.page.source
        return str(self.folder / name) if name and self.folder is not None else name

    # The rest of the page, under the names the templates and the API use (see OccupationPage).

    @property
    def codes(self) -> dict[str, Any]:
        return self.page.codes

    @property
    def work_styles(self) -> dict[str, float]:
        return self.page.work_styles

    @property
    def work_styles_source(self) -> str:
        return self.page.work_styles_source

    @property
    def related(self) -> list[str]:
        return self.page.related

    @property
    def alt_titles(self) -> dict[str, list[str]]:
        return self.page.alt_titles

    @property
    def summary(self) -> dict[str, str] | None:
        return self.page.summary

    @property
    def tasks(self) -> dict[str, list[str]] | None:
        return self.page.tasks

    @property
    def workplaces(self) -> dict[str, list[str]] | None:
        return self.page.workplaces

    @property
    def key_traits(self) -> list[str]:
        return self.page.key_traits

    @property
    def next_steps(self) -> list[str]:
        return self.page.next_steps

    @property
    def explicit_paths(self) -> dict[str, list[Step]]:
        return self.page.explicit_paths

    @cached_property
    def traits(self) -> dict[str, float]:
        """Importance (1–5) of each jobkompas trait: the mean of its O*NET work styles."""
        out: dict[str, float] = {}
        for trait, styles in TRAIT_WORK_STYLES.items():
            values = [self.work_styles[s] for s in styles if s in self.work_styles]
            if values:
                out[trait] = sum(values) / len(values)
        return out

    @property
    def route(self) -> str:
        """practical (apprenticeship/vocational) or school (academic), for education fit."""
        return "practical" if self.isced <= 5 and (self.job_zone or 3) <= 3 else "school"

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles["en"]

    def left_out_in(self, country: str) -> bool:
        """True where this occupation is not recommended (it can still be looked up)."""
        return self.not_recommended is not None and country in self.not_recommended[1]

    @property
    def estimated_figures(self) -> bool:
        """Work styles estimated from other occupations, or none at all."""
        return not self.work_styles or bool(self.work_styles_source)


class PathTemplates:
    def __init__(self, fields: dict[str, dict[str, dict[str, str]]],
                 recipes: dict[str, dict[int, list[dict[str, Any]]]]) -> None:
        self.fields = fields
        self.recipes = recipes

    def level(self, country: str, isced: int) -> int:
        """The level of the recipe a template-built path uses for this typical ISCED level."""
        recipes = self.recipes.get(country) or self.recipes["other"]
        return max((lvl for lvl in recipes if lvl <= isced), default=min(recipes, default=LOWEST_LEVEL))

    def expand(self, field_name: str, country: str, isced: int) -> list[Step]:
        recipes = self.recipes.get(country) or self.recipes["other"]
        level = self.level(country, isced)
        values = self.fields.get(field_name, {})
        steps = []
        for raw in recipes[level]:
            text = {lang: _fill(raw[lang], values, lang) for lang in LANGUAGES}
            steps.append(Step(raw["kind"], float(raw["years"]), text))
        return steps


def _fill(template: str, values: dict[str, dict[str, str]], lang: str) -> str:
    def replace(match: re.Match) -> str:
        key, want = match.group(1), match.group(2)
        entry = values.get(key, {})
        return entry.get(want) or entry.get(lang) or entry.get("en") or next(iter(entry.values()), "")

    return re.sub(r"\{(\w+)\.(\w+)\}", replace, template)


class Catalogue:
    def __init__(self, directory: Path, occupations: dict[str, Occupation], templates: PathTemplates,
                 problems: list[Problem] | None = None, version: str = "") -> None:
        self.directory = directory
        self.occupations = occupations
        self.templates = templates
        self.problems = problems if problems is not None else []
        self.version = version
        self.register: Register | None = None  # read by parse_catalogue; a cached catalogue has none
        self._columns_plain: dict | None = None  # a cached catalogue's scoring columns, until first used

    def __len__(self) -> int:
        return len(self.occupations)

    redirects: dict[str, str] = {}

    def get(self, occupation_id: str) -> Occupation | None:
        """The occupation with this id, or the one it was merged into (``_redirects.yaml``)."""
        found = self.occupations.get(occupation_id)
        if found is None and occupation_id in self.redirects:
            found = self.occupations.get(self.redirects[occupation_id])
        return found

    def by_onet(self, code: str) -> Occupation | None:
        for occ in self.occupations.values():
            if occ.onet == code:
                return occ
        return None

    def path(self, occ: Occupation, country: str) -> list[Step]:
        country = country if country in COUNTRIES else "other"
        if country in occ.written:
            return occ.explicit_paths[country]
        field_name = occ.template or "business"
        return self.templates.expand(field_name, country, occ.isced)

    def path_is_outline(self, occ: Occupation, country: str) -> bool:
        """True when the path shown is a general outline built from a template, not written."""
        return (country if country in COUNTRIES else "other") not in occ.written

    def path_level(self, occ: Occupation, country: str) -> int:
        """The education level (ISCED 2011) of the path shown for ``country``: the highest level
        among its required (non-optional) programme steps; for a template-built path, the level
        of the recipe used. A path that requires no programme is at compulsory school (2)."""
        country = country if country in COUNTRIES else "other"
        level = occ.path_levels.get(country)
        if level is None:
            level = _level_of(occ, country, self.templates)
        return level

    def review_counts(self) -> dict[str, int]:
        """How many occupations have texts and paths written, checked or template-built."""
        counts = {f"{part}_{state}": 0 for part, states in REVIEW.items() for state in states}
        counts["text_none"] = 0
        for occ in self.occupations.values():
            counts[f"text_{occ.review.get('text') or 'none'}"] += 1
            counts[f"paths_{occ.review.get('paths', 'template')}"] += 1
        return counts

    @cached_property
    def columns(self) -> "CatalogueColumns":
        from .columns import CatalogueColumns

        plain = self._columns_plain
        if plain is not None:
            return CatalogueColumns.from_plain(plain)
        return CatalogueColumns.build(self)


def _level_of(occ: Occupation, country: str, templates: PathTemplates) -> int:
    if country in occ.written:
        return written_level(occ.explicit_paths[country], occ.isced)
    return templates.level(country, occ.isced)


def written_level(steps: list[Step], typical: int) -> int:
    """The highest ISCED level among the required programme steps of a written path. (A path of
    free-text steps only, written before the register, has no levels: the typical level stands.)"""
    if not any(s.programme for s in steps) and any(s.kind not in FREE_STEP_KINDS for s in steps):
        return typical
    return max((s.isced for s in steps if s.programme and not s.optional and s.isced is not None),
               default=LOWEST_LEVEL)


# ---------------------------------------------------------------- parsing


def step_text(name: dict[str, str], subject: dict[str, str] | None, note: dict[str, str] | None) -> dict[str, str]:
    """What a programme step shows: the register name, ': subject' and ' – note'."""
    out = {}
    for lang in LANGUAGES:
        text = name[lang]
        if subject:
            text += f": {subject[lang]}"
        if note:
            text += f" – {note[lang]}"
        out[lang] = text
    return out


def _step_texts(c: Checker, raw: dict, key: str, what: str) -> dict[str, str] | None:
    node = raw.get(key)
    if not isinstance(node, dict):
        c.add(raw, key, f"{what}: '{key}' must be a mapping with en, nb and da text")
        return None
    missing = [lang for lang in LANGUAGES if not isinstance(node.get(lang), str) or not node[lang].strip()]
    unknown = [k for k in node if k not in LANGUAGES]
    if missing or unknown:
        c.add(raw, key, f"{what}: '{key}' needs en, nb and da text"
              + (f"; missing {', '.join(missing)}" if missing else "")
              + (f"; unknown {', '.join(map(str, unknown))}" if unknown else ""))
        return None
    return {lang: node[lang].strip() for lang in LANGUAGES}


def _programme_step(c: Checker, raw: dict, what: str, country: str, register: Register,
                    earlier: list[str] | None) -> Step | None:
    """One ``programme:`` step; ``earlier`` are the ids before it (None: do not check ``after``)."""
    from .programmes import PREFIX

    pid = raw.get("programme")
    ok = True
    for key in raw:
        if key not in ("programme", "optional", "note", "subject", "years"):
            c.add(raw, key, f"{what}: unknown key {key!r} in a programme step "
                  "(use optional, note, subject; the register gives kind, years and names)")
            ok = False
    if not isinstance(pid, str):
        c.add(raw, "programme", f"{what}: 'programme' must be a register id such as {PREFIX[country]}…")
        return None
    optional = raw.get("optional", False)
    if not isinstance(optional, bool):
        c.add(raw, "optional", f"{what}: 'optional' must be true or false")
        ok = False
    note = _step_texts(c, raw, "note", what) if "note" in raw else None
    subject = _step_texts(c, raw, "subject", what) if "subject" in raw else None
    ok = ok and ("note" not in raw or note is not None) and ("subject" not in raw or subject is not None)
    if "subject" in raw and not pid.startswith(PREFIX["other"]):
        c.add(raw, "subject", f"{what}: 'subject' is for the generic xx- programmes; "
              "a national programme already names its subject")
        ok = False
    if not pid.startswith(PREFIX[country]):
        home = register.country_of(pid)
        c.add(raw, "programme", f"{what}: {pid!r} is not a programme of {country} (ids here start with "
              f"{PREFIX[country]!r}" + (f"; {pid!r} belongs to {home})" if home else ")"))
        return None
    if not register.by_country.get(country):
        return None  # the register file itself is broken; its own problems say so
    programme = register.get(country, pid)
    if programme is None:
        c.add(raw, "programme", f"{what}: unknown programme {pid!r} (not in programmes/{country}.yaml)")
        return None
    if "years" in raw:
        years = raw["years"]
        if isinstance(years, bool) or not isinstance(years, (int, float)) or abs(years - programme.years) > 0.01:
            c.add(raw, "years", f"{what}: 'years' ({years}) disagrees with the register ({programme.years:g} "
                  f"for {pid}); leave it out or correct the register")
            ok = False
    if earlier is not None and not programme.satisfied_by(earlier):
        c.add(raw, "programme", f"{what}: {pid} comes after {' or '.join(programme.after)}, "
              "which must appear earlier in the path")
        ok = False
    if not ok:
        return None
    return Step(programme.kind, programme.years, step_text(programme.name, subject, note), pid,
                programme.isced, optional, note, subject, programme.authorisation)


def _parse_steps(c: Checker, node: Any, where: str, country: str | None = None,
                 register: Register | None = None) -> list[Step] | None:
    """Steps of a path. With a register (occupation files), a step is either ``programme: id``
    or a free step of kind work or course; without one (templates), any kind with its text."""
    if not isinstance(node, list) or not node:
        c.add(node, None, f"{where} must be a non-empty list of steps")
        return None
    steps: list[Step] = []
    earlier: list[str] = []
    broken = False
    for i, raw in enumerate(node):
        if not isinstance(raw, dict):
            c.add(node, None, f"{where} step {i + 1} must be a mapping")
            continue
        if register is not None and country is not None and "programme" in raw:
            before = len(c.problems)
            step = _programme_step(c, raw, f"{where} step {i + 1}", country, register,
                                   earlier if not broken else None)
            broken = broken or len(c.problems) > before  # later prerequisites would only echo it
            if isinstance(raw.get("programme"), str):
                earlier.append(raw["programme"])
            if step is not None:
                steps.append(step)
            continue
        kind, years = raw.get("kind"), raw.get("years")
        optional = raw.get("optional", False)
        if register is not None and _STRICT_FREE_STEPS and kind in STEP_KINDS and kind not in FREE_STEP_KINDS:
            c.add(raw, "kind", f"{where} step {i + 1}: a {kind} step names a register entry "
                  "('programme: <id>'); free steps are only of kind work or course")
        elif kind not in STEP_KINDS:
            c.add(raw, "kind", f"{where} step {i + 1}: 'kind' must be one of {', '.join(STEP_KINDS)}")
        if register is not None and not isinstance(optional, bool):
            c.add(raw, "optional", f"{where} step {i + 1}: 'optional' must be true or false")
        if isinstance(years, bool) or not isinstance(years, (int, float)) or not 0 <= years <= 12:
            c.add(raw, "years", f"{where} step {i + 1}: 'years' must be a number from 0 to 12")
        missing = [lang for lang in LANGUAGES if not isinstance(raw.get(lang), str) or not raw[lang].strip()]
        if missing:
            c.add(raw, None, f"{where} step {i + 1}: missing text in {', '.join(missing)}")
        if register is not None:
            for key in raw:
                if key not in ("kind", "years", "optional", *LANGUAGES):
                    c.add(raw, key, f"{where} step {i + 1}: unknown key {key!r} in a free step")
        if kind in STEP_KINDS and not missing and isinstance(years, (int, float)):
            steps.append(Step(kind, float(years), {lang: raw[lang].strip() for lang in LANGUAGES},
                              optional=optional is True))
    return steps


def _number(c: Checker, node: dict, key: str, low: float, high: float, what: str) -> float | None:
    value = node.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        c.add(node, key if key in node else None, f"{what} must be a number from {low:g} to {high:g}")
        return None
    return float(value)


def parse_occupation(path: Path, data: Any, template_fields: set[str],
                     register: Register | None = None) -> tuple[Occupation | None, list[Problem]]:
    """One occupation file, section by section; every problem is reported (in the order of the
    sections), and an occupation is returned only when there are none."""
    c = Checker(str(path))
    if not isinstance(data, dict):
        c.add(data, None, "an occupation file must be a mapping")
        return None, c.problems
    occ_id, onet = _parse_identity(c, path, data)
    titles = c.texts(data, "titles", "titles")
    codes = _parse_codes(c, data)
    figures = _parse_figures(c, data)
    not_recommended = _parse_not_recommended(c, data)
    template, explicit, written = _parse_paths(c, data, template_fields, register)
    review = _parse_review(c, data, has_summary="summary" in data, template=template, written=written)
    alt_titles = (c.text_lists(data, "alt_titles", "alt_titles", 0, 12) or {}) if "alt_titles" in data else {}
    text = _parse_page_text(c, data)
    if c.problems or not occ_id or not titles or len(figures.interests) != 6:
        return None, c.problems
    page = OccupationPage(
        codes=codes, work_styles=figures.work_styles, work_styles_source=figures.styles_source,
        related=list(figures.related), source=str(path), alt_titles=alt_titles, summary=text.summary,
        tasks=text.tasks, workplaces=text.workplaces, key_traits=text.key_traits, next_steps=list(text.next_steps),
        explicit_paths=explicit)
    occ = Occupation(
        occ_id, onet, titles, tuple(figures.interests), figures.high_point, figures.job_zone, figures.isced,
        template, curated=text.summary is not None, not_recommended=not_recommended,
        written=tuple(k for k in COUNTRIES if k in explicit), review=review, page=page,
    )
    return occ, []


def _parse_identity(c: Checker, path: Path, data: dict) -> tuple[str | None, str | None]:
    """``id`` (None when unusable) and ``onet``: an O*NET code, or "" for an occupation whose
    figures come from others (``figures_source``)."""
    occ_id, onet = data.get("id"), data.get("onet")
    if not isinstance(occ_id, str) or not ID_PATTERN.match(occ_id):
        c.add(data, "id", "'id' must be lowercase letters, digits and hyphens")
        occ_id = None
    elif occ_id != path.stem:
        c.add(data, "id", f"'id' ({occ_id}) must match the file name ({path.stem})")
    if onet is None and "figures_source" in data:
        _parse_figures_source(c, data)
        onet = ""
    elif not isinstance(onet, str) or not ONET_CODE.match(onet):
        c.add(data, "onet", "'onet' must be an O*NET-SOC code like 51-4121.00 (quoted), or the file "
              "needs figures_source")
    return occ_id, onet


def _parse_figures_source(c: Checker, data: dict) -> None:
    """A Nordic occupation that O*NET lacks: its figures come from the O*NET occupations named
    in ``figures_source`` (see docs/content.md)."""
    source = data.get("figures_source")
    sources = source.get("onet") if isinstance(source, dict) else None
    if not isinstance(sources, list) or not sources or not all(isinstance(x, str) and ONET_CODE.match(x) for x in sources):
        c.add(data, "figures_source", "figures_source.onet must list the O*NET codes the figures come from")
    if not isinstance(source, dict) or not isinstance(source.get("why"), str) or not source["why"].strip():
        c.add(data, "figures_source", "figures_source needs a 'why' naming how the figures were taken")


def _is_code_and_title(group: Any) -> bool:
    return group is None or (isinstance(group, dict) and isinstance(group.get("code"), str)
                             and isinstance(group.get("title"), str))


# codes.<key> when present: (is the value valid, the problem when not); other keys are not checked
CODE_SHAPES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "isco08": (lambda code: isinstance(code, str) and re.fullmatch(r"\d{4}", code) is not None,
               "codes.isco08 must be a quoted 4-digit code"),
    "styrk08": (_is_code_and_title, "codes.styrk08 must have a quoted 'code' and a 'title'"),  # null: none
    "disco08": (_is_code_and_title, "codes.disco08 must have a quoted 'code' and a 'title'"),
}


def _parse_codes(c: Checker, data: dict) -> dict[str, Any]:
    codes = c.mapping(data, "codes", "codes") or {}
    for key, (valid, problem) in CODE_SHAPES.items():
        if key in codes and not valid(codes[key]):
            c.add(codes, key, problem)
    return dict(codes)


# figures.<key>: (the value when absent, is a value valid, the problem when not); an invalid
# value is reported and stands as absent, and so does a valid empty one (``related:`` alone)
FIGURE_SHAPES: dict[str, tuple[Any, Callable[[Any], bool], str]] = {
    "high_point": ("", lambda code: isinstance(code, str) and re.fullmatch(r"[RIASEC]{0,3}", code) is not None,
                   "figures.high_point must be up to three letters of RIASEC"),
    "job_zone": (None, lambda zone: zone is None or (not isinstance(zone, bool) and zone in (1, 2, 3, 4, 5)),
                 "figures.job_zone must be 1–5"),
    "related": ((), lambda ids: not ids or (isinstance(ids, list) and all(isinstance(r, str) for r in ids)),
                "figures.related must be a list of occupation ids"),
}

_Figures = namedtuple("_Figures", "interests high_point work_styles job_zone isced related styles_source")


def _figure(c: Checker, figures: dict, key: str) -> Any:
    absent, valid, problem = FIGURE_SHAPES[key]
    value = figures.get(key, absent)
    if not valid(value):
        c.add(figures, key, problem)
        return absent
    return value or absent


def _parse_figures(c: Checker, data: dict) -> _Figures:
    """``figures``: interests (R–C, 1–7), high point, work styles (1–5), job zone, education
    level, related occupations and where estimated work styles come from."""
    figures = c.mapping(data, "figures", "figures") or {}
    interests_node = c.mapping(figures, "interests", "figures.interests") if figures else None
    interests: list[float] = []
    if interests_node is not None:
        interests = list(_numbers(c, interests_node, RIASEC, 1, 7, "figures.interests").values())
    high_point = _figure(c, figures, "high_point")
    styles_node = figures.get("work_styles") or {}
    work_styles: dict[str, float] = {}
    if not isinstance(styles_node, dict):
        c.add(figures, "work_styles", "figures.work_styles must be a mapping")
    else:
        work_styles = _numbers(c, styles_node, list(styles_node), 1, 5, "figures.work_styles")
    job_zone = _figure(c, figures, "job_zone")
    isced = _parse_isced(c, figures)
    related = _figure(c, figures, "related")
    styles_source = _parse_styles_source(c, figures, work_styles)
    return _Figures(interests, high_point, work_styles, job_zone, isced, related, styles_source)


def _numbers(c: Checker, node: dict, keys: Iterable[str], low: float, high: float, what: str) -> dict[str, float]:
    """The keys of ``node`` that hold a number from ``low`` to ``high``; each other is a problem."""
    found = {}
    for key in keys:
        value = _number(c, node, key, low, high, f"{what}.{key}")
        if value is not None:
            found[key] = value
    return found


def _parse_isced(c: Checker, figures: dict) -> int:
    """``figures.education.isced``, the typical education level (3 where it is unusable)."""
    education = figures.get("education")
    if not isinstance(education, dict):
        education = {}
    isced = education.get("isced")
    if isinstance(isced, bool) or not isinstance(isced, int) or not 0 <= isced <= 8:
        c.add(education or figures, "isced" if education else "education", "figures.education.isced must be 0–8")
        return 3
    return isced


def _parse_styles_source(c: Checker, figures: dict, work_styles: dict[str, float]) -> str:
    """Where the work styles come from: "" for O*NET's own figures, "estimated from <ids>"
    next to estimated ones."""
    source = figures.get("work_styles_source", "")
    if "work_styles_source" in figures and not (
            isinstance(source, str) and source.startswith(ESTIMATED_PREFIX)
            and _estimated_ids(source) and work_styles):
        c.add(figures, "work_styles_source",
              "figures.work_styles_source must be 'estimated from <ids>' next to the estimated work_styles")
        return ""
    return source


def _parse_paths(c: Checker, data: dict, template_fields: set[str],
                 register: Register | None) -> tuple[str | None, dict[str, list[Step]], tuple[str, ...]]:
    """``paths``: a template and/or written steps per country. Returns the template (None when
    unusable), the written paths that parse and the countries the file writes."""
    paths_node = c.mapping(data, "paths", "paths") or {}
    template = paths_node.get("template")
    # (with no templates at all, their file's own problem says so once, not once per occupation)
    if template is not None and template_fields and template not in template_fields:
        c.add(paths_node, "template", f"unknown path template {template!r}")
        template = None
    explicit: dict[str, list[Step]] = {}
    for country in COUNTRIES:
        if country in paths_node:
            steps = _parse_steps(c, paths_node[country], f"paths.{country}", country,
                                 register if register is not None else Register({}))
            if steps:
                explicit[country] = steps
    _check_path_keys(c, data, paths_node, template)
    return template, explicit, tuple(k for k in COUNTRIES if k in paths_node)


def _check_path_keys(c: Checker, data: dict, paths_node: dict, template: str | None) -> None:
    """Only countries and ``template`` under ``paths``, and every country unless a template
    builds the missing ones."""
    for key in paths_node:
        if key not in (*COUNTRIES, "template"):
            c.add(paths_node, key, f"paths: unknown key {key!r} (use norway, denmark, other or template)")
    if template is None and not set(COUNTRIES) <= set(paths_node):
        # (without a template, a missing country would silently get another field's path)
        missing = ", ".join(k for k in COUNTRIES if k not in paths_node)
        c.add(paths_node or data, None, f"paths need a 'template' or steps for every country; missing: {missing}")


# The hand-written page, complete in every language or absent: key -> how many entries each
# language has (None: one text). A file with a summary needs them all.
PAGE_TEXTS: dict[str, tuple[int, int] | None] = {"summary": None, "tasks": (4, 6), "workplaces": (1, 6)}

_PageText = namedtuple("_PageText", "summary tasks workplaces key_traits next_steps")


def _parse_page_text(c: Checker, data: dict) -> _PageText:
    """``summary``, ``tasks``, ``workplaces``, ``key_traits`` and ``next_steps``: all of them
    when the file has a summary, else none."""
    if "summary" not in data:
        return _PageText(None, None, None, [], [])
    texts = {key: c.texts(data, key, key) if sizes is None else c.text_lists(data, key, key, *sizes)
             for key, sizes in PAGE_TEXTS.items()}
    key_traits = _parse_key_traits(c, data)
    next_steps = data.get("next_steps") or []
    if not isinstance(next_steps, list):
        c.add(data, "next_steps", "next_steps must be a list of occupation ids")
        next_steps = []
    return _PageText(texts["summary"], texts["tasks"], texts["workplaces"], key_traits, next_steps)


def _parse_key_traits(c: Checker, data: dict) -> list[str]:
    """The jobkompas traits the page names (the known ones; each unknown one is a problem)."""
    key_traits = data.get("key_traits") or []
    if not isinstance(key_traits, list) or not key_traits:
        c.add(data, "key_traits", "key_traits must list 1–4 trait ids")
        return []
    for trait in key_traits:
        if trait not in TRAIT_WORK_STYLES:
            c.add(data, "key_traits", f"key_traits: unknown trait {trait!r}")
    return [t for t in key_traits if t in TRAIT_WORK_STYLES]


def _estimated_ids(source: str) -> list[str]:
    """The occupation ids in 'estimated from a, b, c'."""
    return [part.strip() for part in source[len(ESTIMATED_PREFIX):].split(",") if part.strip()]


def _parse_not_recommended(c: Checker, data: dict) -> tuple[str, tuple[str, ...]] | None:
    """``not_recommended: {why: <reason>, countries: [...]}``; no countries = everywhere."""
    if "not_recommended" not in data:
        return None
    node = data["not_recommended"]
    if not isinstance(node, dict):
        c.add(data, "not_recommended", "not_recommended must be a mapping with 'why' and optional 'countries'")
        return None
    problems = len(c.problems)
    why = node.get("why")
    if why not in NOT_RECOMMENDED_WHY:
        c.add(node, "why" if "why" in node else None,
              f"not_recommended.why must be one of {', '.join(NOT_RECOMMENDED_WHY)}")
    countries = node.get("countries", list(COUNTRIES))
    if (not isinstance(countries, list) or not countries
            or not all(isinstance(k, str) and k in COUNTRIES for k in countries)):
        c.add(node, "countries", f"not_recommended.countries must list some of {', '.join(COUNTRIES)} (quoted)")
    for key in node:
        if key not in ("why", "countries"):
            c.add(node, key, f"not_recommended: unknown key {key!r} (use why and countries)")
    if len(c.problems) > problems or not isinstance(why, str):
        return None
    return why, tuple(k for k in COUNTRIES if k in countries)


def _parse_review(c: Checker, data: dict, *, has_summary: bool, template: str | None,
                  written: tuple[str, ...]) -> dict[str, str | None]:
    """``review: {text: written|checked, paths: template|written|checked}``; when absent, what
    the file shows: written text if it has a summary, written paths if it writes every country."""
    derived = {"text": "written" if has_summary else None,
               "paths": "written" if set(written) >= set(COUNTRIES) else "template"}
    if "review" not in data:
        return derived
    node = data.get("review")
    if not isinstance(node, dict):
        c.add(data, "review", "review must be a mapping such as {text: written, paths: written}")
        return derived
    out = dict(derived)
    for key, value in node.items():
        if key not in REVIEW:
            c.add(node, key, f"review: unknown key {key!r} (use text and paths)")
        elif value not in REVIEW[key]:
            c.add(node, key, f"review.{key} must be one of {', '.join(REVIEW[key])}")
        else:
            out[key] = value
    if node.get("text") in REVIEW["text"] and not has_summary:
        c.add(node, "text", f"review.text is {node['text']!r} but the file has no summary")
    if node.get("paths") in ("written", "checked") and template is not None and not set(written) >= set(COUNTRIES):
        # (without a template, the missing countries are already a problem of their own)
        missing = ", ".join(k for k in COUNTRIES if k not in written)
        c.add(node, "paths", f"review.paths is {node['paths']!r} but paths are not written for: {missing}")
    if node.get("paths") == "template" and template is None:
        c.add(node, "paths", "review.paths is 'template' but the file names no path template")
    return out


def _occupation_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if not p.name.startswith("_"))


def parse_templates(directory: Path) -> tuple[PathTemplates, list[Problem]]:
    path = directory / TEMPLATE_FILE
    c = Checker(str(path))
    try:
        data = load_yaml_file(path)
    except InputError as exc:
        return PathTemplates({}, {"other": {}}), [Problem.from_error(exc, path)]
    fields = data.get("fields") if isinstance(data, dict) else None
    recipes = data.get("recipes") if isinstance(data, dict) else None
    if not isinstance(fields, dict) or not isinstance(recipes, dict):
        c.add(data, None, "needs 'fields' and 'recipes' mappings")
        return PathTemplates({}, {"other": {}}), c.problems
    clean_recipes: dict[str, dict[int, list]] = {}
    for country, levels in recipes.items():
        if country not in COUNTRIES:
            c.add(recipes, country, f"unknown country {country!r}")
            continue
        clean_recipes[country] = {}
        for level, steps in levels.items():
            if _parse_steps(c, steps, f"recipes.{country}.{level}") is not None:
                clean_recipes[country][int(level)] = [dict(s) for s in steps]
    if "other" not in clean_recipes:
        c.add(recipes, None, "recipes need an 'other' country")
    clean_fields = {name: {k: dict(v) for k, v in entry.items()} for name, entry in fields.items()}
    return PathTemplates(clean_fields, clean_recipes), c.problems


def parse_catalogue(directory: Path | None = None, programmes: Path | None = None) -> Catalogue:
    from .programmes import parse_register

    directory = Path(directory) if directory else occupations_dir()
    templates, problems = parse_templates(directory)
    register, register_problems = parse_register(Path(programmes) if programmes else programmes_dir(directory))
    problems += register_problems
    occupations: dict[str, Occupation] = {}
    seen_onet: dict[str, str] = {}
    ref_lines: dict[str, dict[str, int]] = {}
    known_ids: set[str] = set()  # ids of every file, valid or not, so one bad file does not cascade
    for path in _occupation_files(directory):
        try:
            data = load_yaml_file(path)
        except InputError as exc:
            problems.append(Problem.from_error(exc, path))
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            known_ids.add(data["id"])
        occ, found = parse_occupation(path, data, set(templates.fields), register)
        problems.extend(found)
        if occ is None:
            continue
        occ.path_levels = {country: _level_of(occ, country, templates) for country in COUNTRIES}
        if occ.onet and occ.onet in seen_onet:
            problems.append(Problem(str(path), data.line_of("onet"), f"O*NET code {occ.onet} is also in {seen_onet[occ.onet]}"))
        if occ.onet:
            seen_onet[occ.onet] = path.name
        occupations[occ.id] = occ
        figures = data.get("figures") or {}
        ref_lines[occ.id] = {"figures.related": figures.line_of("related") if hasattr(figures, "line_of") else 1,
                             "next_steps": data.line_of("next_steps"),
                             "figures.work_styles_source": figures.line_of("work_styles_source") if hasattr(figures, "line_of") else 1}
    for occ in occupations.values():  # cross-file references
        data_lines = ref_lines.get(occ.id, {})
        estimated_from = _estimated_ids(occ.work_styles_source) if occ.work_styles_source else []
        for key, ids in (("figures.related", occ.related), ("next_steps", occ.next_steps),
                         ("figures.work_styles_source", estimated_from)):
            for ref in ids:
                if ref not in known_ids:
                    problems.append(Problem(occ.source, data_lines.get(key, 1), f"{key}: unknown occupation id {ref!r}"))
    redirects, found = parse_redirects(directory, occupations)
    problems.extend(found)
    problems.extend(shared_titles(occupations))
    if not occupations and not problems:
        problems.append(Problem(str(directory), 1, "no occupation files found"))
    catalogue = Catalogue(directory, occupations, templates, problems, _signature(directory)[:12])
    catalogue.redirects = redirects
    catalogue.register = register
    return catalogue


def parse_redirects(directory: Path, occupations: dict[str, Occupation]) -> tuple[dict[str, str], list[Problem]]:
    """Old ids of merged occupations -> the id that replaces them."""
    path = directory / REDIRECT_FILE
    if not path.exists():
        return {}, []
    try:
        data = load_yaml_file(path)
    except InputError as exc:
        return {}, [Problem.from_error(exc, path)]
    c = Checker(str(path))
    out: dict[str, str] = {}
    if not isinstance(data, dict):
        c.add(data, None, "redirects must map old ids to {into, onet, why}")
        return {}, c.problems
    for old, entry in data.items():
        into = entry.get("into") if isinstance(entry, dict) else None
        if not isinstance(into, str) or not isinstance(entry.get("why"), str):
            c.add(data, old, f"{old}: needs 'into' (an occupation id) and 'why'")
        elif old in occupations:
            c.add(data, old, f"{old} is still an occupation file; a redirect replaces it")
        elif into not in occupations:
            c.add(data, old, f"{old}: unknown occupation id {into!r}")
        else:
            out[old] = into
    return out, c.problems


def shared_titles(occupations: dict[str, Occupation]) -> list[Problem]:
    """Two occupations with the same title in one language cannot be told apart in a list, and
    an alternative title that is another occupation's title hides that occupation in searches."""
    from .search import fold

    problems = []
    for lang in LANGUAGES:
        seen: dict[str, Occupation] = {}
        for occ in sorted(occupations.values(), key=lambda o: o.id):
            key = fold(occ.titles[lang])
            if key in seen:
                problems.append(Problem(occ.source, 1, f"titles.{lang} {occ.titles[lang]!r} is also the title "
                                        f"of {seen[key].id}; give each a title that tells them apart"))
            else:
                seen[key] = occ
        for occ in sorted(occupations.values(), key=lambda o: o.id):
            for alt in occ.alt_titles.get(lang, []):
                other = seen.get(fold(alt))
                if other is not None and other is not occ:
                    problems.append(Problem(occ.source, 1, f"alt_titles.{lang} {alt!r} is the title of {other.id}; "
                                            "a search for it should find that occupation"))
    return problems


# ---------------------------------------------------------------- cache


# the modules whose code shapes what is cached (levels, columns): a changed one misses
_CACHE_CODE = ("catalogue.py", "columns.py", "rules.py")


def _signature(directory: Path) -> str:
    """Changes with any occupation file, the templates, the programme register or the code
    that shapes the cached columns."""
    programmes = programmes_dir(directory)
    parts = [f"{CACHE_FORMAT}:{__version__}:{directory.resolve()}:{programmes.resolve()}"]
    here = Path(__file__).parent
    for name in _CACHE_CODE:
        try:
            st = os.stat(here / name)
            parts.append(f"{name}:{st.st_mtime_ns}:{st.st_size}")
        except OSError:
            parts.append(f"{name}:-")
    for folder, tag in ((directory, ""), (programmes, "programmes/")):
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            entries = []
        for entry in entries:
            if entry.name.endswith(".yaml"):
                try:
                    st = entry.stat()
                except OSError:  # a symlink loop or a file gone: validate names it, the key just notes it
                    parts.append(f"{tag}{entry.name}:-")
                    continue
                parts.append(f"{tag}{entry.name}:{st.st_mtime_ns}:{st.st_size}")
    return fingerprint(";".join(parts))


def _plain(value: Any) -> Any:
    """Drop the line-number subclasses so the data marshals."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value) if type(value) in (list, tuple) else [_plain(v) for v in value]
    return value


def _to_plain(cat: Catalogue) -> dict:
    from .columns import CatalogueColumns

    core, blobs = [], {}
    for o in cat.occupations.values():
        core.append((o.id, o.onet, o.titles, o.interests, o.high_point, o.job_zone, o.isced,
                     o.template, o.curated, o.path_levels, o.written, o.review, o.not_recommended))
        blobs[o.id] = o.page.encode()
    columns = CatalogueColumns.build(cat)
    return _plain({"core": core, "details": blobs, "columns": columns.to_plain(), "redirects": cat.redirects,
                   "fields": cat.templates.fields, "recipes": cat.templates.recipes})


class _CachedPages:
    """The pages of a catalogue loaded from the user cache, which keeps them in a file of their
    own ("pages", under the catalogue's key): most commands rank and list without reading a
    page, and the pages are nine tenths of the bytes. Read, checksum and all, when the first
    page is; a missing or damaged file is rebuilt from the YAML then."""

    def __init__(self, directory: Path, key: str) -> None:
        self.directory, self.key = directory, key
        self._blobs: dict[str, bytes] | None = None

    def blob(self, occ_id: str) -> bytes | None:
        if self._blobs is None:
            from . import cache

            self._blobs = cache.load("pages", self.key, _pages_or_fail) or self._rebuild()
        return self._blobs.get(occ_id)

    def _rebuild(self) -> dict[str, bytes]:
        from . import cache

        if _signature(self.directory)[:20] != self.key:  # pages of other content would not fit the list
            raise ContentError("the occupation files changed while jobkompas was running; run it again",
                               str(self.directory))
        parsed = parse_catalogue(self.directory)
        blobs = {occ.id: occ.page.encode() for occ in parsed.occupations.values()}
        cache.store("pages", self.key, blobs)
        return blobs


def _pages_or_fail(plain: Any) -> dict[str, bytes]:
    """A pages file's content, or an exception (the cache then reads it as damaged)."""
    if not isinstance(plain, dict) or not all(isinstance(v, bytes) for v in plain.values()):
        raise ValueError("not a pages file")
    return plain


def _from_plain(directory: Path, plain: dict, version: str, pages: _CachedPages | None = None) -> Catalogue:
    """A catalogue from plain data: with its pages ("details", the prebuilt content) or with
    ``pages`` to fetch them from when first read (the user cache)."""
    blobs = plain["details"] if pages is None else {}
    occupations = {}
    for (occ_id, onet, titles, interests, high_point, job_zone, isced, template, curated,
         levels, written, review, left_out) in plain["core"]:
        page_blob = blobs.get(occ_id) if pages is None else partial(pages.blob, occ_id)
        occupations[occ_id] = Occupation(occ_id, onet, titles, interests, high_point, job_zone, isced,
                                         template, curated=curated, page_blob=page_blob,
                                         path_levels=levels, written=tuple(written), review=review,
                                         not_recommended=None if left_out is None else (left_out[0], tuple(left_out[1])))
    for occ in occupations.values():
        occ.folder = directory
    catalogue = Catalogue(directory, occupations, PathTemplates(plain["fields"], plain["recipes"]), [], version)
    catalogue._columns_plain = plain["columns"]  # turned into CatalogueColumns when first scored
    catalogue.redirects = plain.get("redirects", {})
    return catalogue


def load_catalogue(directory: Path | None = None, *, use_cache: bool = True) -> Catalogue:
    """Load and validate the catalogue; raise :class:`ContentError` if any file is invalid."""
    from . import cache

    directory = Path(directory) if directory else occupations_dir()
    if use_cache:
        from . import prebuilt

        shipped = prebuilt.lookup("catalogue", directory, programmes_dir(directory))
        if shipped is not None:
            return _from_plain(directory, shipped, shipped["version"])
    signature = _signature(directory)
    key = signature[:20]
    if use_cache:
        cached = cache.load("catalogue", key,
                            lambda plain: _from_plain(directory, plain, signature[:12], _CachedPages(directory, key)))
        if cached is not None:
            return cached
    catalogue = parse_catalogue(directory)
    if catalogue.problems:
        first = catalogue.problems[0]
        more = f" (and {len(catalogue.problems) - 1} more; run 'jobkompas validate')" if len(catalogue.problems) > 1 else ""
        raise ContentError(first.message + more, f"{first.file}:{first.line}")
    if use_cache:
        plain = _to_plain(catalogue)
        cache.store("pages", key, plain.pop("details"))  # first: a catalogue file finds its pages
        cache.store("catalogue", key, plain)
    return catalogue
