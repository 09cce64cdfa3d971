"""Answers: one model for typed answers, answer files and batch CSV rows.

Answer files (``format: jobkompas-answers/1``, YAML or JSON) are untrusted: they are read
with safe loaders, size-limited, and every problem is reported as ``file:line: message``.
"""

from __future__ import annotations

import json
import re
from functools import partial
from pathlib import Path

from .errors import InputError, cut, shown
from .questions import UNSURE, Question, QuestionBank
from .resources import LANGUAGES
from .yamlio import LineDict, parse_yaml_text

TYPE_CHECKING = False  # typing is left to type checkers: importing the API alone does not load it
if TYPE_CHECKING:
    from typing import IO, Any, Callable, Iterator

FORMAT = "jobkompas-answers/1"
MAX_BYTES = 2_000_000  # an answer file is a few KB; refuse anything absurd
MAX_LINE_BYTES = 16_000_000  # one row of a class file is a few hundred bytes
_LINE_END = re.compile(rb"\r\n?|\n")
COUNTRY_ALIASES = {"no": "norway", "nor": "norway", "norge": "norway", "dk": "denmark",
                   "den": "denmark", "danmark": "denmark"}


class AnswerSet:
    """Answers by question id (1–5, "unsure", or an option id), with where they came from."""

    def __init__(self, values: dict[str, Any] | None = None, language: str = "en", form: str | None = None,
                 asked: list[str] | None = None, source: str = "<answers>", respondent: str | None = None,
                 warnings: list[str] | None = None) -> None:
        self.values = values if values is not None else {}
        self.language = language
        self.form = form
        self.asked = asked if asked is not None else []
        self.source = source
        self.respondent = respondent
        self.warnings = warnings if warnings is not None else []

    def __repr__(self) -> str:
        return f"AnswerSet({len(self.values)} answers, language={self.language!r}, form={self.form!r}, source={self.source!r})"

    @property
    def country(self) -> str | None:
        return self.values.get("EDU-country")

    def missing(self, bank: QuestionBank, form: str | None = None) -> list[str]:
        ids = bank.forms.get(form or self.form or "full") or tuple(bank.questions)
        return [qid for qid in ids if qid not in self.values]



def check_value(q: Question, raw: Any) -> Any:
    """Return the clean value for ``q`` or raise ``ValueError`` saying what was expected."""
    if q.scale == "choice":
        if isinstance(raw, str) and raw in {o.id for o in q.options}:
            return raw
        if q.dimension != "country" and isinstance(raw, str) and raw.strip().lower() in (UNSURE, "not sure", "?"):
            return UNSURE  # education plans may be open; the country picks the paths shown, so it may not
        if q.dimension == "country" and isinstance(raw, str):  # a country is a name: any case
            name = raw.strip().lower()
            if name in {o.id for o in q.options}:
                return name
            if name in COUNTRY_ALIASES:
                return COUNTRY_ALIASES[name]
        if isinstance(raw, bool):
            raise ValueError(f"got {str(raw).lower()} (YAML reads unquoted yes/no/on/off as true/false); "
                             f"expected one of: {', '.join(o.id for o in q.options)}")
        also = "" if q.dimension == "country" else f" or {UNSURE}"
        raise ValueError(f"got {shown(raw)}; expected one of: {', '.join(o.id for o in q.options)}{also}")
    if isinstance(raw, str) and raw.strip().lower() in (UNSURE, "not sure", "?"):
        return UNSURE
    if isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit() and len(raw.strip()) < 20:  # not '²' or '٣'
        raw = int(raw.strip())
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= 5:
        raise ValueError(f"got {shown(raw)}; expected a whole number 1–5 or \"unsure\"")
    return raw


def _line_in_text(text: str, key: str, occurrence: int = 0) -> int:
    """The line of a key in JSON text (its ``occurrence``-th appearance, 0 = the first)."""
    matches = list(re.finditer(rf'"{re.escape(key)}"\s*:', text)) or list(re.finditer(rf"^\s*{re.escape(key)}\s*:", text, re.M))
    if not matches:
        return 1
    return text.count("\n", 0, matches[min(occurrence, len(matches) - 1)].start()) + 1


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
        lines = lambda key: _line_in_text(text, key)  # noqa: E731
    else:
        try:
            data = parse_yaml_text(text, source, untrusted=True)
        except RecursionError:
            raise InputError("invalid YAML: nested too deeply", f"{source}:1") from None
        lines = lambda key: data.line_of(key) if isinstance(data, LineDict) else 1  # noqa: E731
    return answers_from_data(data, source, bank, lines)


MAX_DEPTH = 32  # an answer file nests three levels deep
MAX_NUMBER_DIGITS = 20  # an answer is 1–5


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


def retired_note(where: str, ids: list[str]) -> str:
    """The warning for answers to questions no longer asked (questions/retired.yaml)."""
    return (f"{where}: {len(ids)} answer(s) left out, to questions no longer asked because their wording "
            f"changed: {', '.join(ids[:8])}" + (" …" if len(ids) > 8 else ""))


def answers_from_data(data: Any, source: str, bank: QuestionBank, lines=lambda key: 1) -> AnswerSet:
    if not isinstance(data, dict):
        raise InputError(f"expected a mapping with 'format: {FORMAT}' and 'answers'", f"{source}:1")
    fmt = data.get("format")
    if fmt is None:
        raise InputError(f"missing 'format: {FORMAT}'", f"{source}:1")
    if fmt != FORMAT:
        raise InputError(f"unsupported format {shown(fmt)}; this version reads {FORMAT}", f"{source}:{lines('format')}")
    known = {"format", "language", "country", "form", "asked", "answers", "respondent"}
    for key in data:
        if key not in known:
            raise InputError(f"unknown key {shown(key)} (known: {', '.join(sorted(known))})", f"{source}:{lines(key)}")
    language = data.get("language", "en")
    if language not in LANGUAGES:
        raise InputError(f"language must be one of {', '.join(LANGUAGES)}; got {shown(language)}", f"{source}:{lines('language')}")
    form = data.get("form")
    if form is not None and form not in (*bank.forms, "adaptive"):
        raise InputError(f"form must be one of {', '.join((*bank.forms, 'adaptive'))}; got {shown(form)}", f"{source}:{lines('form')}")
    raw_answers = data.get("answers")
    if raw_answers is None:
        raw_answers = {}
    if not isinstance(raw_answers, dict):
        raise InputError("'answers' must be a mapping of question id to answer", f"{source}:{lines('answers')}")
    result = AnswerSet(language=language, form=form, source=source)
    answer_line = (raw_answers.line_of if isinstance(raw_answers, LineDict) else lines)
    retired = []
    for qid, raw in raw_answers.items():
        qid_text = str(qid) if isinstance(qid, str) else shown(qid)
        q = bank.questions.get(qid_text)
        if q is None and qid_text in bank.retired:
            retired.append(qid_text)  # an answer to an old wording: read, never scored as the new one
            continue
        if q is None:
            raise InputError(f"unknown question id {shown(qid_text)} (see 'jobkompas questions list')", f"{source}:{answer_line(qid)}")
        if raw is None:
            continue  # left blank: counted as missing
        try:
            result.values[qid_text] = check_value(q, raw)
        except ValueError as exc:
            raise InputError(f"{qid_text}: {exc}", f"{source}:{answer_line(qid)}") from None
    if "country" in data:
        country_q = bank.education("country")
        try:
            value = check_value(country_q, data["country"]) if country_q else None
        except ValueError as exc:
            raise InputError(f"country: {exc}", f"{source}:{lines('country')}") from None
        if country_q and value:
            if "EDU-country" in result.values and result.values["EDU-country"] != value:
                raise InputError(f"country is {value!r} but answers.EDU-country is {result.values['EDU-country']!r}; "
                                 "keep only one", f"{source}:{lines('country')}")
            result.values[country_q.id] = value
    asked = data.get("asked") or []
    if not isinstance(asked, list) or any(str(a) not in bank.questions and str(a) not in bank.retired for a in asked):
        raise InputError("'asked' must list known question ids in the order they were asked", f"{source}:{lines('asked')}")
    result.asked = [str(a) for a in asked if str(a) in bank.questions]
    respondent = data.get("respondent")
    if respondent is not None:
        if not isinstance(respondent, (str, int, float)) or isinstance(respondent, bool):
            raise InputError("'respondent' must be a name or a number", f"{source}:{lines('respondent')}")
        result.respondent = respondent if isinstance(respondent, str) else shown(respondent)
    _check_levels(result, bank, lambda qid: f"{source}:{answer_line(qid)}" if qid in raw_answers else source)
    if retired:
        result.warnings.append(retired_note(f"{source}:{answer_line(retired[0])}", retired))
    missing = result.missing(bank, form if form in bank.forms else None)
    if missing:
        result.warnings.append(f"{source}: {len(missing)} question(s) not answered: {', '.join(missing[:8])}"
                               + (" …" if len(missing) > 8 else ""))
    return result


def _check_levels(result: AnswerSet, bank: QuestionBank, where: Callable[[str], str]) -> None:
    """A level must belong to the chosen country; ``where(question id)`` names the place."""
    country = result.country
    for dim in ("current_level", "highest_level"):
        q = bank.education(dim)
        value = result.values.get(q.id) if q else None
        if q and value and value != UNSURE:
            level = bank.level(value)
            if country and level and level.countries and country not in level.countries:
                raise InputError(f"{q.id}: level {value!r} belongs to {level.countries[0]}, not {country}", where(q.id))


def read_answer_file(path: Path | str, bank: QuestionBank) -> AnswerSet:
    text, name = read_text(path)
    return parse_answer_text(text, name, bank)


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
    lines = [
        "# " + tr("jobkompas answer file. Fill in a value after each question id; leave blank if not answered."),
        "# " + tr("Interest items: 1 = strongly dislike … 5 = strongly like."),
        "# " + tr("Statements about you: 1 = not like me at all … 5 = very much like me."),
        "# " + tr("\"unsure\" for not sure. The format is described in docs/answers.md."),
        f"format: {FORMAT}",
        f"language: {lang}",
        "# " + tr("Your name (optional). A counsellor keeps it only when importing with --names."),
        f"respondent: {json.dumps(answers.respondent, ensure_ascii=False) if answers.respondent else ''}".rstrip(),
    ]
    if answers.form or form:
        lines.append(f"form: {answers.form or form}")
    if answers.asked:
        lines.append(f"asked: [{', '.join(answers.asked)}]")
    lines.append("answers:")
    ids = list(bank.forms.get(form or answers.form or "full", bank.questions))
    ids += [q for q in answers.values if q not in ids]
    block = None
    for qid in ids:
        q = bank.questions[qid]
        if q.block != block:
            block = q.block
            lines.append(f"  # --- {tr(BLOCK_TITLES.get(block, block))} ---")
        lines.append(f"  # {q.text.get(lang, q.text['en'])}")
        if q.scale == "choice":
            unsure = "" if q.dimension == "country" else f", {UNSURE}"
            lines.append(f"  #   {tr('one of:')} {', '.join(o.id for o in q.options)}{unsure}")
        value = answers.values.get(qid)
        shown = "" if value is None else (f'"{value}"' if isinstance(value, str) else str(value))
        lines.append(f"  {qid}: {shown}".rstrip())
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- batch CSV


def iter_batch_rows(path: Path | str, bank: QuestionBank,
                    span: tuple[int, int] | None = None) -> Iterator[tuple[int, AnswerSet | InputError]]:
    """Yield (line, answers or the row's error) for each respondent row of a class file,
    streaming. The header is checked first (an error there stops everything). With ``span``
    (start, end), only the rows in those bytes of a file are read: a range that begins and
    ends at a row's end (``ClassFile.plain_slices``), numbered as in the file."""
    import sys

    name = str(path)
    if name == "-":
        handle = sys.stdin.buffer
        name = "<stdin>"
    else:
        p = Path(path)
        if p.is_dir():
            raise InputError("is a directory; expected a CSV file", name)
        try:
            handle = p.open("rb")
        except FileNotFoundError:
            raise InputError("no such file", name) from None
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", name) from None
    try:
        first = handle.read1(1 << 16)  # type: ignore[union-attr]  # stdin.buffer is a BufferedReader
        if first.startswith(b"\xef\xbb\xbf"):
            first = first[3:]
        lines = Utf8Lines(lambda: handle.read1(1 << 16), name, first)  # type: ignore[union-attr]
        try:
            header = csv_line(next(lines), name, 1)
        except StopIteration:
            raise InputError("the file is empty; expected a header row with 'id' and question ids", f"{name}:1") from None
        if isinstance(header, InputError):
            raise InputError(f"cannot read the header row: {header.message}", f"{name}:1")
        if lines.bad:
            raise InputError("the header row is not UTF-8 text; save the file as UTF-8", f"{name}:1")
        header = check_header(header, bank, name)
        questions = [bank.questions.get(c) for c in header]
        if span is not None:
            start, end = span
            first_line = line_at(handle, start)
            lines = Utf8Lines(lambda: handle.read(max(0, min(1 << 16, end - handle.tell()))), name, b"", first_line)
        for line, row in csv_rows(lines):
            yield line, row if isinstance(row, InputError) else row_answers(row, header, questions, bank, name, line)
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()


def csv_rows(lines: "Utf8Lines") -> Iterator[tuple[int, list[str] | InputError]]:
    """(line, cells) for each non-blank line of ``lines`` read as one CSV row, or (line, error)
    for a line the csv module rejects, one that is not UTF-8 or one whose quote is not closed
    on it; the lines after it are read on. A cell never spans lines in a class file, so an
    unclosed quote costs its own row only, never the rows after it."""
    for text in lines:
        row = csv_line(text, lines.name, lines.line)
        bad = lines.bad_since(lines.line - 1)
        if bad is not None:
            yield lines.line, bad
        elif isinstance(row, InputError) or (row and any(cell.strip() for cell in row)):
            yield lines.line, row


def csv_line(text: str, name: str, line: int) -> list[str] | InputError:
    """One line of a class file as CSV cells, or the error that names it."""
    import csv

    try:
        cells = next(csv.reader((text,)), [])
    except csv.Error as exc:
        return InputError(str(exc), f"{name}:{line}")
    if any("\n" in cell or "\r" in cell for cell in cells):
        return InputError("a quote (\") opened in this row is not closed on its line; "
                          "close it or remove it (the row was skipped)", f"{name}:{line}")
    return cells


class Utf8Lines:
    """Text lines from a byte stream (``read()`` returns b"" at the end), split as universal
    newlines do (LF, CR LF and a bare CR), line ends kept, for the csv module. One stream:
    a second csv reader over it goes on where the first stopped (after a header, say).

    Each line is decoded on its own. A line that is not UTF-8 is passed on with its bad bytes
    escaped and its number noted, so that the reader can report that one row and go on."""

    def __init__(self, read: Callable[[], bytes], name: str, pending: bytes = b"", first_line: int = 1) -> None:
        self._read = read
        self.name = name
        self.line = first_line - 1  # lines handed out so far
        self.bad: list[int] = []  # numbers of lines that were not UTF-8
        self._lines = self._decoded(pending)

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        return next(self._lines)

    def _decoded(self, pending: bytes) -> Iterator[str]:
        # Linear in the input: each byte is searched for a line end once, and a line that
        # grows past MAX_LINE_BYTES stops the read (a class file's row is a few hundred bytes).
        buf = bytearray(pending)
        pos = scanned = 0  # start of the next line; bytes before ``scanned`` hold no line end
        more = b"x"
        while True:
            match = _LINE_END.search(buf, scanned)
            if match is not None and (match.end() < len(buf) or not more or match.group() != b"\r"):
                raw, pos = bytes(buf[pos:match.end()]), match.end()
                scanned = pos
            elif not more:
                if pos < len(buf):
                    raw, pos = bytes(buf[pos:]), len(buf)
                    scanned = pos
                else:
                    return
            else:
                if len(buf) - pos > MAX_LINE_BYTES:
                    self._too_long()
                del buf[:pos]
                scanned, pos = max(0, len(buf) - 1), 0  # a CR at the end may start a CR LF
                more = self._read()
                buf += more
                continue
            if len(raw) > MAX_LINE_BYTES:
                self._too_long()
            self.line += 1
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                self.bad.append(self.line)
                yield raw.decode("utf-8", "surrogateescape")

    def _too_long(self) -> None:
        raise InputError(f"a row longer than {MAX_LINE_BYTES / 1_000_000:g} MB; is this a class file?",
                         f"{self.name}:{self.line + 1}")

    def bad_since(self, line: int) -> InputError | None:
        """The error for a row that ended on the current line and began after ``line``, if
        any of its lines was not UTF-8 (forgotten once reported)."""
        while self.bad and self.bad[0] <= line:
            self.bad.pop(0)
        if not self.bad:
            return None
        at = self.bad[0]
        self.bad.clear()
        return InputError("not UTF-8 text; save the file as UTF-8", f"{self.name}:{at}")


def line_at(stream: IO[bytes], offset: int) -> int:
    """The number of the line that starts at byte ``offset`` of a seekable file (counting
    newlines before it, a block at a time); the stream is left at ``offset``."""
    stream.seek(0)
    newlines = 0
    while stream.tell() < offset:
        newlines += stream.read(min(1 << 20, offset - stream.tell())).count(b"\n")
    stream.seek(offset)
    return newlines + 1


def check_header(header: list[str], bank: QuestionBank, name: str) -> list[str]:
    """The header's column names, stripped; an error names what is wrong with it."""
    header = [h.strip() for h in header]
    if not header or header[0].lower() != "id":
        raise InputError("the first column must be 'id'", f"{name}:1")
    seen: set[str] = set()
    for column in header[1:]:
        if column in seen:
            raise InputError(f"column {shown(column)} appears twice", f"{name}:1")
        seen.add(column)
        if column not in bank.questions and column not in bank.retired and column not in ("language", "country", "form"):
            raise InputError(f"unknown column {shown(column)} (expected question ids, language, country, form)", f"{name}:1")
    return header


def row_answers(row: list[str], header: list[str], questions: list[Question | None],
                 bank: QuestionBank, name: str, line: int) -> AnswerSet | InputError:
    if len(row) != len(header):
        return InputError(f"row has {len(row)} cells but the header has {len(header)}", f"{name}:{line}")
    respondent = row[0].strip()
    if not respondent:
        return InputError("empty id", f"{name}:{line}")
    answers = AnswerSet(source=f"{name}:{line}", respondent=respondent)
    retired = [column for column in header[1:] if column in bank.retired]
    if retired:  # their cells are not read: they answered questions worded otherwise
        answers.warnings.append(retired_note(f"{name}:1", retired))
    for column, q, cell in zip(header[1:], questions[1:], row[1:]):
        cell = cell.strip()
        if not cell:
            continue
        if column == "language":
            if cell not in LANGUAGES:
                return InputError(f"row {cut(respondent)}: language must be one of {', '.join(LANGUAGES)}; got {shown(cell)}", f"{name}:{line}")
            answers.language = cell
            continue
        if column == "form":
            answers.form = cell
            continue
        if column == "country":
            q = bank.require_education("country")
        if q is None:
            continue
        try:
            answers.values[q.id] = check_value(q, cell)
        except ValueError as exc:
            return InputError(f"row {cut(respondent)}, column {column}: {exc}", f"{name}:{line}")
    try:
        _check_levels(answers, bank, lambda qid: f"{name}:{line}")  # as in an answer file
    except InputError as exc:
        return InputError(f"row {cut(respondent)}: {exc.message}", exc.where)
    return answers
