"""The question bank: interest, trait and education questions, forms, and type texts.

A bank is a directory of YAML files (``interests.yaml`` is required; ``traits.yaml``,
``education.yaml``, ``types.yaml`` and ``forms.yaml`` fall back to the built-in bank), so a
counsellor can point jobkompas at another inventory that follows the same schema
(docs/questions.md).
"""

from __future__ import annotations

from collections import namedtuple
from pathlib import Path

from .errors import ContentError, InputError
from .problems import Checker, Problem
from .resources import COUNTRIES, builtin_questions_dir, fingerprint, questions_dir
from .yamlio import load_yaml_file

TYPE_CHECKING = False  # typing is left to type checkers: importing the API alone does not load it

RIASEC = ("R", "I", "A", "S", "E", "C")
UNSURE = "unsure"
EDUCATION_DIMENSIONS = ("country", "current_level", "highest_level", "route")
ROUTES = ("practical", "school", "either")


if TYPE_CHECKING:
    from typing import Any

# Value types are namedtuples: immutable, and far cheaper to define at start-up than dataclasses.
Option = namedtuple("Option", "id text isced route countries", defaults=(None, None, ()))


class Question(namedtuple("Question", "id block dimension scale text options reverse links not_for",
                          defaults=((), False, (), ()))):
    """id; block: interest | trait | education; dimension: R..C, a trait id or an education
    dimension; scale: like5 | agree5 | choice; text by language; options (choice only);
    reverse: a trait statement that agreeing with speaks against the trait (scored by
    :func:`rules.keyed`); links: for an interest item, the ISCO-08 unit groups (4 digits)
    whose everyday work the activity is (scored by :func:`rules.linked_score`); not_for: the
    occupations of those groups whose everyday work it is not (a unit group is broad: changing
    a tyre is a car mechanic's work, not an auto glass fitter's), which the link leaves out.

    Whether an item speaks for an occupation is :meth:`links_to`, the one rule every path uses."""

    __slots__ = ()

    def links_to(self, unit: str | None, occupation_id: str) -> bool:
        """Whether this item is the everyday work of an occupation in ISCO-08 unit group ``unit``."""
        return unit in self.links and occupation_id not in self.not_for

    def options_for(self, country: str | None) -> tuple[Option, ...]:
        if not country:
            return self.options
        return tuple(o for o in self.options if not o.countries or country in o.countries)

    def allowed_values(self) -> list[Any]:
        if self.scale == "choice":
            return [o.id for o in self.options]
        return [1, 2, 3, 4, 5, UNSURE]


Trait = namedtuple("Trait", "id name description work_styles")
# A question no longer asked because what it asked changed (questions/retired.yaml): an
# answer to it is read and left out, never scored as the question now asked in its place.
Retired = namedtuple("Retired", "id text replaced_by", defaults=(None,))
TypeText = namedtuple("TypeText", "id name keyword description")


class QuestionBank:
    def __init__(self, directory: Path, questions: dict[str, Question], traits: dict[str, Trait],
                 types: dict[str, TypeText], forms: dict[str, tuple[str, ...]],
                 problems: list[Problem] | None = None, retired: dict[str, Retired] | None = None) -> None:
        self.directory = directory
        self.questions = questions
        self.traits = traits
        self.types = types
        self.forms = forms
        self.problems = problems if problems is not None else []
        self.retired = retired if retired is not None else {}

    def by_block(self, block: str) -> list[Question]:
        return [q for q in self.questions.values() if q.block == block]

    def form(self, name: str) -> list[Question]:
        if name not in self.forms:
            raise InputError(f"unknown form {name!r} (choose {', '.join(self.forms)})")
        return [self.questions[qid] for qid in self.forms[name]]

    def forms_of(self, qid: str) -> list[str]:
        return [name for name, ids in self.forms.items() if qid in ids]

    def education(self, dimension: str) -> Question | None:
        for q in self.questions.values():
            if q.block == "education" and q.dimension == dimension:
                return q
        return None

    def require_education(self, dimension: str) -> Question:
        """The education question of ``dimension``, for code that cannot go on without it."""
        q = self.education(dimension)
        if q is None:
            raise ContentError(f"no education question with dimension {dimension!r}", str(self.directory / "education.yaml"))
        return q

    def level(self, option_id: str | None) -> Option | None:
        for dimension in ("highest_level", "current_level"):
            q = self.education(dimension)
            if q:
                for o in q.options:
                    if o.id == option_id:
                        return o
        return None


# Trait -> O*NET Work Styles (snake_case element names); the link that gives every
# occupation a figure for each trait. Kept here, with the scoring, rather than in the
# editable bank, so a custom bank cannot silently break it; documented in docs/method.md.
TRAIT_WORK_STYLES: dict[str, tuple[str, ...]] = {
    "structured": ("attention_to_detail", "dependability"),
    "collaborative": ("cooperation", "social_orientation"),
    "leading": ("leadership", "initiative"),
    "independent": ("independence",),
    "inventive": ("innovation",),
    "analytical": ("analytical_thinking",),
    "caring": ("concern_for_others",),
    "steady": ("stress_tolerance", "self_control"),
    "adaptable": ("adaptability_flexibility",),
    "persistent": ("persistence", "achievement_effort"),
}


def _read(directory: Path, name: str, problems: list[Problem]) -> tuple[Any, Checker] | None:
    path = directory / name
    if not path.exists() and name == "forms.yaml" and directory.resolve() != builtin_questions_dir().resolve():
        return None
    if not path.exists() and name == "retired.yaml" and not (builtin_questions_dir() / name).exists():
        return None  # a bank whose questions never changed meaning  # a custom bank without forms gets one generated "full" form
    if not path.exists():
        fallback = builtin_questions_dir() / name
        if name == "interests.yaml" and directory.resolve() != builtin_questions_dir().resolve():
            # the interest items are the bank: without them this is not another bank at all
            problems.append(Problem(str(path), 1, "file is missing; a question bank needs its own interests.yaml "
                                                  "(the other files may fall back to the built-in ones)"))
            return None
        if directory.resolve() == builtin_questions_dir().resolve() or not fallback.exists():
            problems.append(Problem(str(path), 1, "file is missing"))
            return None
        path = fallback
    try:
        data = load_yaml_file(path)
    except InputError as exc:
        problems.append(Problem.from_error(exc, path))
        return None
    checker = Checker(str(path))
    if not isinstance(data, dict):
        checker.add(data, None, "top level must be a mapping")
        problems.extend(checker.problems)
        return None
    return data, checker


def _parse_interests(data: dict, c: Checker, questions: dict[str, Question]) -> None:
    items = data.get("items")
    if not isinstance(items, list) or not items:
        c.add(data, "items" if "items" in data else None, "'items' must be a non-empty list")
        return
    for item in items:
        if not isinstance(item, dict):
            c.add(items, None, "each item must be a mapping")
            continue
        qid, kind = item.get("id"), item.get("type")
        if not isinstance(qid, str) or not qid:
            c.add(item, None, "item without an 'id'")
            continue
        if qid in questions:
            c.add(item, "id", f"duplicate question id {qid!r}")
        if kind not in RIASEC:
            c.add(item, "type", f"{qid}: 'type' must be one of R, I, A, S, E, C")
            continue
        text = c.texts(item, "text", f"{qid} text")
        links = _links(item, c, qid)
        not_for = _not_for(item, c, qid, links)
        if text:
            questions[qid] = Question(qid, "interest", kind, "like5", text, (), False, links, not_for)
    counts = {t: sum(1 for q in questions.values() if q.dimension == t) for t in RIASEC}
    for kind, n in counts.items():
        if n < 3:
            c.add(data, "items", f"type {kind} has {n} items; at least 3 are needed to score it")


def _not_for(item: dict, c: Checker, qid: str, links: tuple[str, ...]) -> tuple[str, ...]:
    """An interest item's optional ``not_for``: occupation ids its links leave out. Whether each
    is an occupation of one of the linked groups is checked against the catalogue
    (:func:`check_links`)."""
    if "not_for" not in item:
        return ()
    ids = item["not_for"]
    if not links:
        c.add(item, "not_for", f"{qid}: 'not_for' needs 'links' (it names occupations the links leave out)")
        return ()
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i for i in ids):
        c.add(item, "not_for", f"{qid}: 'not_for' must be a non-empty list of occupation ids")
        return ()
    if len(set(ids)) < len(ids):
        c.add(item, "not_for", f"{qid}: 'not_for' names an occupation twice")
    return tuple(dict.fromkeys(ids))


def check_links(bank: "QuestionBank", unit_of: dict[str, str | None], unknown_ids: bool = True) -> list[Problem]:
    """Each ``not_for`` entry must be an occupation (``unit_of``: occupation id -> ISCO-08
    unit group) in one of its item's linked groups: anything else would leave out nothing.
    With ``unknown_ids`` false (the built-in bank with another catalogue) an id the
    catalogue does not have is not reported: it names a built-in occupation, and leaves
    nothing out there."""
    from .errors import InputError
    from .problems import line_of

    problems: list[Problem] = []
    path = bank.directory / "interests.yaml"
    try:  # the file again, with its lines, for the messages (only `validate` gets here)
        data = load_yaml_file(path)
    except InputError:
        data = None
    entries = data.get("items") if isinstance(data, dict) else None
    items = {item.get("id"): item for item in entries or [] if isinstance(item, dict)}

    def where(qid: str) -> int | None:
        return line_of(items[qid], "not_for") if qid in items else None

    for q in bank.questions.values():
        for occ in q.not_for:
            if occ not in unit_of:
                if unknown_ids:
                    problems.append(Problem(str(path), where(q.id), f"{q.id}: not_for: unknown occupation id {occ!r}"))
            elif unit_of[occ] not in q.links:
                problems.append(Problem(str(path), where(q.id), f"{q.id}: not_for: {occ} is in unit group "
                                                              f"{unit_of[occ]}, not in the item's links ({', '.join(q.links)})"))
    return problems


def _links(item: dict, c: Checker, qid: str) -> tuple[str, ...]:
    """An interest item's optional ``links``: ISCO-08 unit groups, 4-digit strings, each once."""
    if "links" not in item:
        return ()
    links = item["links"]
    if not isinstance(links, list) or not links:
        c.add(item, "links", f"{qid}: 'links' must be a non-empty list of ISCO-08 unit groups (4 digits, quoted)")
        return ()
    out: list[str] = []
    for link in links:
        if not (isinstance(link, str) and len(link) == 4 and link.isdigit()):
            c.add(item, "links", f"{qid}: link {link!r} is not an ISCO-08 unit group (4 digits, quoted: '7411')")
        elif link in out:
            c.add(item, "links", f"{qid}: link {link!r} is listed twice")
        else:
            out.append(link)
    return tuple(out)


def _parse_traits(data: dict, c: Checker, questions: dict[str, Question],
                  traits: dict[str, Trait]) -> None:
    for entry in _list(c, data, "traits", "'traits'"):
        tid = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(tid, str):
            c.add(entry, None, "trait without an 'id'")
            continue
        if tid not in TRAIT_WORK_STYLES:
            c.add(entry, "id", f"unknown trait {tid!r} (known: {', '.join(TRAIT_WORK_STYLES)})")
            continue
        name = c.texts(entry, "name", f"trait {tid} name")
        description = c.texts(entry, "description", f"trait {tid} description")
        if name and description:
            traits[tid] = Trait(tid, name, description, TRAIT_WORK_STYLES[tid])
        items = _list(c, entry, "items", f"trait {tid}: 'items'")
        if len(items) < 1:
            c.add(entry, None, f"trait {tid} has no items")
        for item in items:
            qid = item.get("id") if isinstance(item, dict) else None
            if not isinstance(qid, str):
                c.add(items, None, f"trait {tid}: item without an 'id'")
                continue
            if qid in questions:
                c.add(item, "id", f"duplicate question id {qid!r}")
            text = c.texts(item, "text", f"{qid} text")
            reverse = item.get("reverse", False)
            if not isinstance(reverse, bool):
                c.add(item, "reverse", f"{qid}: 'reverse' must be true or false, not {reverse!r}")
                reverse = False
            if text:
                questions[qid] = Question(qid, "trait", tid, "agree5", text, (), reverse)
        if items and all(isinstance(i, dict) and i.get("reverse") is True for i in items):
            c.add(entry, "items", f"trait {tid}: every statement is reverse-keyed; at least one must not be")


def _list(c: Checker, node: Any, key: str, what: str) -> list:
    """``node[key]`` when it is a list; else one problem at its line and an empty list, so a
    malformed file is reported instead of crashing validate."""
    value = node.get(key) if isinstance(node, dict) else None
    if value is None:
        return []
    if not isinstance(value, list):
        c.add(node, key, f"{what} must be a list")
        return []
    return value


def _parse_education(data: dict, c: Checker, questions: dict[str, Question]) -> None:
    levels: list[Option] = []
    for entry in _list(c, data, "levels", "'levels'"):
        oid = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(oid, str):
            c.add(entry, None, "level without an 'id'")
            continue
        isced, country = entry.get("isced"), entry.get("country")
        if not isinstance(isced, int) or not 0 <= isced <= 8:
            c.add(entry, "isced", f"level {oid}: 'isced' must be a whole number 0–8")
            continue
        if country not in COUNTRIES:
            c.add(entry, "country", f"level {oid}: 'country' must be one of {', '.join(COUNTRIES)}")
            continue
        route = entry.get("route", "either")
        if route not in ROUTES:
            c.add(entry, "route", f"level {oid}: 'route' must be one of {', '.join(ROUTES)}")
        text = c.texts(entry, "text", f"level {oid} text")
        if text:
            levels.append(Option(oid, text, isced, route, (country,)))
    for entry in _list(c, data, "questions", "'questions'"):
        qid = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(qid, str):
            c.add(entry, None, "education question without an 'id'")
            continue
        dimension = entry.get("dimension")
        if dimension not in EDUCATION_DIMENSIONS:
            c.add(entry, "dimension", f"{qid}: 'dimension' must be one of {', '.join(EDUCATION_DIMENSIONS)}")
            continue
        text = c.texts(entry, "text", f"{qid} text")
        if dimension in ("current_level", "highest_level"):
            options = tuple(levels)
        else:
            options = tuple(Option(opt["id"], label) for opt in _list(c, entry, "options", f"{qid}: 'options'")
                            if isinstance(opt, dict) and isinstance(opt.get("id"), str)
                            and (label := c.texts(opt, "text", f"{qid} option text")))
            allowed = COUNTRIES if dimension == "country" else ROUTES
            for opt in options:
                if opt.id not in allowed:
                    c.add(entry, "options", f"{qid}: option {opt.id!r} is not one of {', '.join(allowed)}")
        if text and options:
            if qid in questions:
                c.add(entry, "id", f"duplicate question id {qid!r}")
            questions[qid] = Question(qid, "education", dimension, "choice", text, options)


def _parse_types(data: dict, c: Checker, types: dict[str, TypeText]) -> None:
    for entry in data.get("types") or []:
        tid = entry.get("id") if isinstance(entry, dict) else None
        if tid not in RIASEC:
            c.add(entry, "id" if isinstance(entry, dict) else None, "type 'id' must be one of R, I, A, S, E, C")
            continue
        name = c.texts(entry, "name", f"type {tid} name")
        keyword = c.texts(entry, "keyword", f"type {tid} keyword")
        description = c.texts(entry, "description", f"type {tid} description")
        if name and keyword and description:
            types[tid] = TypeText(tid, name, keyword, description)
    for tid in RIASEC:
        if tid not in types:
            c.add(data, None, f"type {tid} is not described")


def _parse_forms(data: dict, c: Checker, questions: dict[str, Question],
                 forms: dict[str, tuple[str, ...]]) -> None:
    node = data.get("forms") or {}
    if not isinstance(node, dict):
        c.add(data, "forms", "'forms' must map each form's name to its list of question ids")
        return
    for name, ids in node.items():
        if not isinstance(ids, list):
            c.add(data["forms"], name, f"form {name!r} must be a list of question ids")
            continue
        seen: set[str] = set()
        for qid in ids:
            if qid not in questions:
                c.add(ids, None, f"form {name!r}: unknown question id {qid!r}")
            elif qid in seen:
                c.add(ids, None, f"form {name!r}: {qid!r} listed twice")
            seen.add(qid)
        forms[name] = tuple(q for q in ids if q in questions)
    education = [q.id for q in questions.values() if q.block == "education"]
    for name, ids in list(forms.items()):
        forms[name] = tuple(ids) + tuple(q for q in education if q not in ids)
    if "full" not in forms:  # every bank has a full form: all questions, interleaved
        forms["full"] = default_order(list(questions.values()))


def _parse_retired(data: dict, c: Checker, questions: dict[str, Question], retired: dict[str, Retired],
                   own: bool) -> None:
    """``own`` is false when a custom bank falls back to the built-in list: its ids that the
    custom bank asks are then questions of that bank, not retired ones."""
    for entry in _list(c, data, "retired", "'retired'"):
        qid = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(qid, str) or not qid:
            c.add(entry, None, "retired question without an 'id'")
            continue
        if qid in questions:
            if own:
                c.add(entry, "id", f"{qid!r} is both asked and retired; a reworded question needs a new id")
            continue
        if qid in retired:
            c.add(entry, "id", f"{qid!r} is retired twice")
        replaced_by = entry.get("replaced_by")
        if replaced_by is not None and replaced_by not in questions:
            if not own:  # the built-in list under a custom bank: its new questions are not there
                replaced_by = None
            else:
                c.add(entry, "replaced_by", f"{qid}: 'replaced_by' names no question of the bank ({replaced_by!r})")
                replaced_by = None
        text = entry.get("text")
        retired[qid] = Retired(qid, text if isinstance(text, str) else "", replaced_by)


def default_order(questions: list[Question]) -> tuple[str, ...]:
    """Interests interleaved across the six types, then traits round-robin, then education."""
    out: list[str] = []
    for block, keys in (("interest", RIASEC), ("trait", tuple(TRAIT_WORK_STYLES))):
        queues = {k: [q.id for q in questions if q.block == block and q.dimension == k] for k in keys}
        while any(queues.values()):
            for k in keys:
                if queues[k]:
                    out.append(queues[k].pop(0))
    out += [q.id for q in questions if q.block == "education"]
    return tuple(out)


def parse_question_bank(directory: Path | None = None) -> QuestionBank:
    """Parse a bank, collecting every problem instead of stopping at the first."""
    directory = Path(directory) if directory else questions_dir()
    problems: list[Problem] = []
    questions: dict[str, Question] = {}
    traits: dict[str, Trait] = {}
    types: dict[str, TypeText] = {}
    forms: dict[str, tuple[str, ...]] = {}
    retired: dict[str, Retired] = {}
    own_retired = (directory / "retired.yaml").exists() or directory.resolve() == builtin_questions_dir().resolve()
    steps = [
        ("interests.yaml", lambda d, c: _parse_interests(d, c, questions)),
        ("traits.yaml", lambda d, c: _parse_traits(d, c, questions, traits)),
        ("education.yaml", lambda d, c: _parse_education(d, c, questions)),
        ("types.yaml", lambda d, c: _parse_types(d, c, types)),
        ("forms.yaml", lambda d, c: _parse_forms(d, c, questions, forms)),
        ("retired.yaml", lambda d, c: _parse_retired(d, c, questions, retired, own_retired)),
    ]
    for name, parse in steps:
        read = _read(directory, name, problems)
        if read is None:
            continue
        data, checker = read
        parse(data, checker)
        problems.extend(checker.problems)
    if not forms:
        forms["full"] = default_order(list(questions.values()))
    return QuestionBank(directory, questions, traits, types, forms, problems, retired)


def _bank_signature(directory: Path) -> str:
    import os

    parts = [f"bank4:{directory.resolve()}"]
    for folder in dict.fromkeys([directory, builtin_questions_dir()]):
        try:
            for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                if entry.name.endswith(".yaml"):
                    st = entry.stat()
                    parts.append(f"{folder}/{entry.name}:{st.st_mtime_ns}:{st.st_size}")
        except OSError:
            pass
    return fingerprint(";".join(parts))


def _bank_to_plain(bank: QuestionBank) -> dict:
    def option(o: Option) -> tuple:
        return (o.id, dict(o.text), o.isced, o.route, o.countries)

    return {
        "questions": [(q.id, q.block, q.dimension, q.scale, dict(q.text), [option(o) for o in q.options], q.reverse,
                       q.links, q.not_for) for q in bank.questions.values()],
        "traits": [(t.id, dict(t.name), dict(t.description), t.work_styles) for t in bank.traits.values()],
        "types": [(t.id, dict(t.name), dict(t.keyword), dict(t.description)) for t in bank.types.values()],
        "forms": {k: tuple(v) for k, v in bank.forms.items()},
        "retired": [tuple(r) for r in bank.retired.values()],
    }


def _bank_from_plain(directory: Path, plain: dict) -> QuestionBank:
    questions = {qid: Question(qid, block, dim, scale, text, tuple(Option(*o) for o in options), reverse, tuple(links),
                               tuple(not_for))
                 for qid, block, dim, scale, text, options, reverse, links, not_for in plain["questions"]}
    traits = {t[0]: Trait(*t) for t in plain["traits"]}
    types = {t[0]: TypeText(*t) for t in plain["types"]}
    retired = {r[0]: Retired(*r) for r in plain.get("retired", ())}
    return QuestionBank(directory, questions, traits, types, plain["forms"], retired=retired)


def load_question_bank(directory: Path | None = None) -> QuestionBank:
    """Load and validate a bank; a compact cache (rebuilt when any file changes) skips YAML."""
    from . import cache

    directory = Path(directory) if directory else questions_dir()
    from . import prebuilt

    shipped = prebuilt.lookup("bank", directory)
    if shipped is not None:
        return _bank_from_plain(directory, shipped)
    signature = _bank_signature(directory)
    bank = cache.load("bank", signature, lambda plain: _bank_from_plain(directory, plain))
    if bank is not None:
        return bank
    bank = parse_question_bank(directory)
    if not bank.problems:
        cache.store("bank", signature, _bank_to_plain(bank))
    if bank.problems:
        first = bank.problems[0]
        more = f" (and {len(bank.problems) - 1} more; run 'jobkompas validate')" if len(bank.problems) > 1 else ""
        raise ContentError(first.message + more, f"{first.file}:{first.line}")
    return bank
