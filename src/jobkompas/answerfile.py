"""Answer files (``format: jobkompas-answers/1``, YAML or JSON): reading and writing.

An answer file comes from anyone: it is read with safe loaders, size-limited, checked
against its JSON Schema (``schemas/answers.schema.json``, the one description of its shape)
and then against the question bank (question ids, the values each question allows, levels
of the chosen country). Every problem is reported as ``file:line: message``.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache, partial
from pathlib import Path

from .answers import AnswerSet, check_levels, check_value, missing_note, retired_note
from .errors import InputError, shown
from .questions import UNSURE, QuestionBank
from .yamlio import MAX_DEPTH, MAX_NUMBER_DIGITS, LineDict, LineList, Quoted, dump_commented_yaml, parse_yaml_text

TYPE_CHECKING = False  # typing is left to type checkers: importing the API alone does not load it
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable

FORMAT = "jobkompas-answers/1"
MAX_BYTES = 2_000_000  # an answer file is a few KB; refuse anything absurd


# ---------------------------------------------------------------- reading


def read_answer_file(path: Path | str, bank: QuestionBank) -> AnswerSet:
    text, name = read_text(path)
    return parse_answer_text(text, name, bank)


def read_text(path: Path | str) -> tuple[str, str]:
    """Read an input file as UTF-8 (a BOM is allowed), or standard input for ``-``."""
    if str(path) == "-":
        import sys

        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        name = "<stdin>"
    else:
        path = Path(path)
        name = str(path)
        if path.is_dir():
            raise InputError("is a directory; expected an answer file", name)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise InputError("no such file", name) from None
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", name) from None
        if size > MAX_BYTES:
            raise InputError(f"file is too large ({size:,} bytes; an answer file is at most {MAX_BYTES:,})", name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", name) from None
    if len(data) > MAX_BYTES:
        raise InputError(f"input is too large (more than {MAX_BYTES:,} bytes)", name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", f"{name}:{line}") from None
    return text.removeprefix("\ufeff"), name


def parse_answer_text(text: str, source: str, bank: QuestionBank) -> AnswerSet:
    if not text.strip():
        raise InputError("the file is empty; expected an answer file (see 'jobkompas template')", f"{source}:1")
    stripped = text.lstrip()
    data: Any
    if stripped.startswith("{") or stripped.startswith("["):
        def no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
            seen: dict[str, Any] = {}
            for key, value in pairs:
                if key in seen:
                    raise InputError(f"duplicate key {shown(key)}", f"{source}:{_line_in_text(text, key, 1)}")
                seen[key] = value
            return seen
        try:
            data = json.loads(text, object_pairs_hook=no_duplicates, parse_int=partial(_json_int, text, source))
            _check_json_data(data, text, source)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg}", f"{source}:{exc.lineno}") from None
        except RecursionError:
            raise InputError("invalid JSON: nested too deeply", f"{source}:1") from None

        def line_of(path: Iterable[Any]) -> int:  # JSON keeps no lines: the key's first place in the text
            keys = [key for key in path if isinstance(key, str)]
            return _line_in_text(text, keys[-1]) if keys else 1
    else:
        try:
            data = parse_yaml_text(text, source, untrusted=True)
        except RecursionError:
            raise InputError("invalid YAML: nested too deeply", f"{source}:1") from None

        def line_of(path: Iterable[Any]) -> int:
            return _yaml_line(data, path)
    return answers_from_data(data, source, bank, line_of)


def _yaml_line(data: Any, path: Iterable[Any]) -> int:
    """The line of the innermost entry along ``path`` that the YAML loader placed (1 if none)."""
    line, node = 1, data
    for key in path:
        if isinstance(node, LineDict) and key in node:
            line, node = node.line_of(key), node[key]
        elif isinstance(node, LineList) and isinstance(key, int) and 0 <= key < len(node):
            line, node = node.line_of(key), node[key]
        else:
            break
    return line


def _line_in_text(text: str, key: str, occurrence: int = 0) -> int:
    """The line of a key in JSON text (its ``occurrence``-th appearance, 0 = the first)."""
    matches = list(re.finditer(rf'"{re.escape(key)}"\s*:', text)) or list(re.finditer(rf"^\s*{re.escape(key)}\s*:", text, re.M))
    if not matches:
        return 1
    return text.count("\n", 0, matches[min(occurrence, len(matches) - 1)].start()) + 1


def _json_int(text: str, source: str, digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_NUMBER_DIGITS:
        at = text.find(digits)
        raise InputError(f"a number with more than {MAX_NUMBER_DIGITS} digits; expected 1–5",
                         f"{source}:{text.count(chr(10), 0, max(at, 0)) + 1}")
    return int(digits)


def _check_json_data(data: Any, text: str, source: str) -> None:
    """Refuse what JSON allows and nothing downstream can use: nesting deeper than
    MAX_DEPTH, and text with a lone surrogate (``"\\ud800"``), which no output can encode."""
    todo = [(data, 1)]
    while todo:
        value, depth = todo.pop()
        if isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise InputError(f"invalid JSON: nested more than {MAX_DEPTH} levels deep", f"{source}:1")
            items = list(value.items()) if isinstance(value, dict) else [(None, v) for v in value]
            for key, item in items:
                todo.append((key, depth))
                todo.append((item, depth + 1))
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                match = re.search(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}", text)
                line = text.count("\n", 0, match.start()) + 1 if match else 1
                raise InputError("text with a lone surrogate escape (\\ud800–\\udfff), which is not a character",
                                 f"{source}:{line}") from None


# ---------------------------------------------------------------- the shape: answers.schema.json


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The JSON Schema of an answer file, as shipped in the package."""
    return json.loads((Path(__file__).parent / "schemas" / "answers.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema  # about 50 ms to import: only for a file that needs it (see check_shape)

    return jsonschema.Draft202012Validator(schema())


def check_shape(data: Any, source: str, bank: QuestionBank, line_of: Callable[[Iterable[Any]], int]) -> None:
    """Raise the first way ``data`` breaks the schema, as ``file:line: message``: a wrong
    ``format`` first (a file of another version is named as such), then the problem on the
    earliest line.

    jsonschema decides and explains. Importing it takes a quarter of what scoring one file
    takes, so a file is first read against the schema's plain keywords (:func:`conforms`):
    one that passes is one jsonschema passes (a test holds the two to that), and every other
    file, or a schema with a keyword that check does not know, goes to jsonschema."""
    if conforms(schema(), data):
        return
    errors = list(_validator().iter_errors(data))
    if not errors:
        return
    problems = [_problem(error, data, bank, line_of) for error in errors]
    first = min(range(len(problems)), key=lambda k: (not _about_format(errors[k]), problems[k][0]))
    line, message = problems[first]
    raise InputError(message, f"{source}:{line}")


_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
}
_NOTES = {"$schema", "$id", "title", "description"}


def conforms(schema: dict[str, Any], value: Any) -> bool:
    """True when ``value`` meets ``schema`` as JSON Schema 2020-12 reads it, told from the
    keywords type, const, enum, required, properties, additionalProperties, items, anyOf,
    minimum and maximum; False when it does not, or when the schema says more than these."""
    for keyword, rule in schema.items():
        if keyword in _NOTES:
            continue
        if keyword == "type":
            ok = any(_TYPES.get(name, _never)(value) for name in ([rule] if isinstance(rule, str) else rule))
        elif keyword == "const":
            ok = _same(value, rule)
        elif keyword == "enum":
            ok = any(_same(value, each) for each in rule)
        elif keyword == "required":
            ok = not isinstance(value, dict) or all(key in value for key in rule)
        elif keyword == "properties":
            ok = not isinstance(value, dict) or all(conforms(sub, value[key]) for key, sub in rule.items() if key in value)
        elif keyword == "additionalProperties":
            known = schema.get("properties", {})
            ok = not isinstance(value, dict) or all(
                conforms(rule, item) if isinstance(rule, dict) else rule is True
                for key, item in value.items() if key not in known)
        elif keyword == "items" and isinstance(rule, dict):
            ok = not isinstance(value, list) or all(conforms(rule, item) for item in value)
        elif keyword == "anyOf":
            ok = any(conforms(sub, value) for sub in rule)
        elif keyword in ("minimum", "maximum"):
            ok = not _TYPES["number"](value) or not (value < rule if keyword == "minimum" else value > rule)
        else:
            return False  # a keyword not read here: jsonschema decides
        if not ok:
            return False
    return True


def _never(value: Any) -> bool:
    return False


def _same(one: Any, two: Any) -> bool:
    """Equality as JSON Schema has it: true and 1 differ (a plain == says they do not)."""
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    if isinstance(one, (dict, list)) or isinstance(two, (dict, list)):
        return False  # the answer schema compares with scalars only; jsonschema settles the rest
    return bool(one == two)


def _about_format(error: Any) -> bool:
    path = list(error.absolute_path)
    return path[:1] == ["format"] or (not path and error.validator in ("type", "required"))


def _problem(error: Any, data: Any, bank: QuestionBank, line_of: Callable[[Iterable[Any]], int]) -> tuple[int, str]:
    """(line, message) for one schema error: the words this reader has long used for the
    rules the schema states, or else jsonschema's own."""
    path, rule = list(error.absolute_path), error.validator
    key = path[0] if path else None
    value = data.get(key) if path and isinstance(data, dict) else error.instance
    line = line_of(path)
    if not path and rule == "type":
        return 1, f"expected a mapping with 'format: {FORMAT}' and 'answers'"
    if (not path and rule == "required" and "format" not in data) or (key == "format" and value is None):
        return 1, f"missing 'format: {FORMAT}'"
    if not path and rule == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        extra = min((k for k in data if k not in known), key=lambda k: line_of([k]))
        return line_of([extra]), f"unknown key {shown(extra)} (known: {', '.join(known)})"
    if key == "format" and rule == "const":
        return line, f"unsupported format {shown(value)}; this version reads {FORMAT}"
    if key == "language" and rule == "enum":
        return line, f"language must be one of {', '.join(error.validator_value)}; got {shown(value)}"
    if key == "form" and rule == "type":
        return line, _form_problem(bank, value)
    if key == "respondent" and rule == "type":
        return line, "'respondent' must be a name or a number"
    if key == "asked" and rule == "type":
        return line_of(["asked"]), "'asked' must list known question ids in the order they were asked"
    if key == "answers" and len(path) == 1 and rule == "type":
        return line, "'answers' must be a mapping of question id to answer"
    if key == "country" or (key == "answers" and len(path) == 2):
        qid = "country" if key == "country" else path[1]
        named = qid if isinstance(qid, str) else shown(qid)
        q = bank.education("country") if key == "country" else bank.questions.get(named)
        if q is None and key == "answers" and named not in bank.retired:
            return line, _unknown_question(named)
        try:
            if q is not None:
                check_value(q, error.instance)
        except ValueError as exc:  # the question says what it takes
            return line, f"{named}: {exc}"
        return line, f"{named}: {_schema_reason(error)}"
    return line, f"{'.'.join(str(part) for part in path)}: {_schema_reason(error)}"


def _schema_reason(error: Any) -> str:
    """jsonschema's own words, for a rule of the schema that has none of its own here."""
    return error.message if len(error.message) <= 120 else error.message[:120] + "…"


def _form_problem(bank: QuestionBank, value: Any) -> str:
    return f"form must be one of {', '.join((*bank.forms, 'adaptive'))}; got {shown(value)}"


def _unknown_question(qid: str) -> str:
    return f"unknown question id {shown(qid)} (see 'jobkompas questions list')"


# ---------------------------------------------------------------- the rules across fields


def answers_from_data(data: Any, source: str, bank: QuestionBank,
                      line_of: Callable[[Iterable[Any]], int] = lambda path: 1) -> AnswerSet:
    """An answer set from a parsed answer file: its shape checked against the schema, then
    what only the question bank can tell (ids, values, levels, the country said twice)."""
    check_shape(data, source, bank, line_of)

    def where(*path: Any) -> str:
        return f"{source}:{line_of(path)}"

    form = data.get("form")
    if form is not None and form not in (*bank.forms, "adaptive"):
        raise InputError(_form_problem(bank, form), where("form"))
    result = AnswerSet(language=data.get("language", "en"), form=form, source=source)
    raw_answers = data.get("answers") or {}
    retired = []
    for qid, raw in raw_answers.items():
        qid_text = qid if isinstance(qid, str) else shown(qid)
        q = bank.questions.get(qid_text)
        if q is None and qid_text in bank.retired:
            retired.append(qid)  # an answer to an old wording: read, never scored as the new one
            continue
        if q is None:
            raise InputError(_unknown_question(qid_text), where("answers", qid))
        if raw is None:
            continue  # left blank: counted as missing
        try:
            result.values[qid_text] = check_value(q, raw)
        except ValueError as exc:
            raise InputError(f"{qid_text}: {exc}", where("answers", qid)) from None
    country_q = bank.education("country")
    if "country" in data and country_q is not None:
        try:
            value = check_value(country_q, data["country"])
        except ValueError as exc:
            raise InputError(f"country: {exc}", where("country")) from None
        if value:
            if "EDU-country" in result.values and result.values["EDU-country"] != value:
                raise InputError(f"country is {value!r} but answers.EDU-country is {result.values['EDU-country']!r}; "
                                 "keep only one", where("country"))
            result.values[country_q.id] = value
    asked = data.get("asked") or []
    if any(a not in bank.questions and a not in bank.retired for a in asked):
        raise InputError("'asked' must list known question ids in the order they were asked", where("asked"))
    result.asked = [a for a in asked if a in bank.questions]
    respondent = data.get("respondent")
    if respondent is not None:
        result.respondent = respondent if isinstance(respondent, str) else shown(respondent)
    check_levels(result, bank, lambda qid: where("answers", qid) if qid in raw_answers else source)
    if retired:
        result.warnings.append(retired_note(where("answers", retired[0]), [str(qid) for qid in retired]))
    missing = result.missing(bank, form if form in bank.forms else None)
    if missing:
        result.warnings.append(missing_note(source, missing))
    return result


# ---------------------------------------------------------------- writing


def write_answer_file(answers: AnswerSet, path: Path, bank: QuestionBank) -> None:
    """Write atomically (temp file + rename), with each question's text as a comment."""
    from .outfile import write_text

    write_text(path, render_answer_file(answers, bank, answers.form))


def N_(text: str) -> str:  # marks a string for extraction; translated where it is shown
    return text


BLOCK_TITLES = {"interest": N_("Interests"), "trait": N_("How you like to work"), "education": N_("Education")}


def render_answer_file(answers: AnswerSet, bank: QuestionBank, form: str | None) -> str:
    """YAML with comments: question text, allowed values; unanswered questions left blank."""
    from .i18n import translator

    lang = answers.language
    tr = translator(lang)
    doc: dict[str, Any] = {"format": FORMAT, "language": lang,
                           "respondent": Quoted(answers.respondent) if answers.respondent else None}
    comments: dict[tuple, list[str]] = {
        ("format",): [
            tr("jobkompas answer file. Fill in a value after each question id; leave blank if not answered."),
            tr("Interest items: 1 = strongly dislike … 5 = strongly like."),
            tr("Statements about you: 1 = not like me at all … 5 = very much like me."),
            tr("\"unsure\" for not sure. The format is described in docs/answers.md."),
        ],
        ("respondent",): [tr("Your name (optional). A counsellor keeps it only when importing with --names.")],
    }
    if answers.form or form:
        doc["form"] = answers.form or form
    if answers.asked:
        doc["asked"] = list(answers.asked)
    ids = list(bank.forms.get(form or answers.form or "full", bank.questions))
    ids += [q for q in answers.values if q not in ids]
    values: dict[str, Any] = {}
    block = None
    for qid in ids:
        q = bank.questions[qid]
        notes = comments[("answers", qid)] = []
        if q.block != block:
            block = q.block
            notes.append(f"--- {tr(BLOCK_TITLES.get(block, block))} ---")
        notes.append(q.text.get(lang, q.text["en"]))
        if q.scale == "choice":
            unsure = "" if q.dimension == "country" else f", {UNSURE}"
            notes.append(f"  {tr('one of:')} {', '.join(o.id for o in q.options)}{unsure}")
        value = answers.values.get(qid)
        values[qid] = Quoted(value) if isinstance(value, str) else value
    doc["answers"] = values or None
    return dump_commented_yaml(doc, comments)
