"""Class files (batch CSV): opening, the header, and the careful row-by-row reader.

One respondent per row after a header of ``id`` and question ids. Both batch readers open a
file and check its header here (:func:`open_class_file`, :func:`read_header`); this module
reads the rows with the csv module, line by line, and the numpy reader in :mod:`batchcsv`
hands it every row it does not take itself (:func:`row_answers`).
"""

from __future__ import annotations

import codecs
import re
import sys
from pathlib import Path

from .answers import AnswerSet, check_levels, check_value, retired_note
from .errors import InputError, cut, shown
from .questions import Question, QuestionBank
from .resources import LANGUAGES

TYPE_CHECKING = False  # typing is left to type checkers: importing the API alone does not load it
if TYPE_CHECKING:
    from typing import IO, BinaryIO, Callable, Iterator

MAX_LINE_BYTES = 16_000_000  # one row of a class file is a few hundred bytes
_LINE_END = re.compile(rb"\r\n?|\n")


def too_long(name: str, line: int) -> InputError:
    return InputError(f"a row longer than {MAX_LINE_BYTES / 1_000_000:g} MB; is this a class file?", f"{name}:{line}")


def open_class_file(path: Path | str) -> tuple[BinaryIO, str, int | None]:
    """(binary stream, name for messages, size in bytes or ``None`` for standard input) of a
    class file; ``-`` is standard input. Close it with :func:`close_class_file`."""
    name = str(path)
    if name == "-":
        return sys.stdin.buffer, "<stdin>", None
    p = Path(path)
    if p.is_dir():
        raise InputError("is a directory; expected a CSV file", name)
    try:
        stream = p.open("rb")
    except FileNotFoundError:
        raise InputError("no such file", name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", name) from None
    return stream, name, p.stat().st_size


def close_class_file(stream: BinaryIO) -> None:
    if stream is not sys.stdin.buffer:
        stream.close()


def read_header(read: Callable[[], bytes], name: str, bank: QuestionBank) -> tuple[list[str], bytes]:
    """The checked header of a class file and the bytes read after its line.

    ``read()`` gives the file's next bytes (b"" at the end). A byte order mark is skipped;
    the header line ends as :class:`Utf8Lines` ends lines (LF, CR LF or a bare CR)."""
    buf = read()
    if buf.startswith(codecs.BOM_UTF8):
        buf = buf[len(codecs.BOM_UTF8):]
    more, scanned = buf, 0
    while True:
        match = _LINE_END.search(buf, scanned)
        if match is not None and (match.end() < len(buf) or match.group() != b"\r" or not more):
            break  # a CR at the end of what was read may be the start of a CR LF
        if not more:
            break
        if len(buf) > MAX_LINE_BYTES:
            raise too_long(name, 1)
        scanned = max(0, len(buf) - 1)
        more = read()
        buf += more
    end = match.end() if match is not None else len(buf)
    line, rest = buf[:end], buf[end:]
    if len(line) > MAX_LINE_BYTES:
        raise too_long(name, 1)
    if not line.strip() and not rest.strip():
        raise InputError("the file is empty; expected a header row with 'id' and question ids", f"{name}:1")
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("the header row is not UTF-8 text; save the file as UTF-8", f"{name}:1") from None
    header = csv_line(text, name, 1)
    if isinstance(header, InputError):
        raise InputError(f"cannot read the header row: {header.message}", f"{name}:1")
    return check_header(header, bank, name), rest


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


def iter_batch_rows(path: Path | str, bank: QuestionBank,
                    span: tuple[int, int] | None = None) -> Iterator[tuple[int, AnswerSet | InputError]]:
    """Yield (line, answers or the row's error) for each respondent row of a class file,
    streaming. The header is checked first (an error there stops everything). With ``span``
    (start, end), only the rows in those bytes of a file are read: a range that begins and
    ends at a row's end (``ClassFile.plain_slices``), numbered as in the file."""
    stream, name, _size = open_class_file(path)
    try:
        read = lambda: stream.read1(1 << 16)  # type: ignore[attr-defined]  # noqa: E731  # a BufferedReader
        header, rest = read_header(read, name, bank)
        questions = [bank.questions.get(c) for c in header]
        if span is None:
            lines = Utf8Lines(read, name, rest, 2)
        else:
            start, end = span
            first_line = line_at(stream, start)
            lines = Utf8Lines(lambda: stream.read(max(0, min(1 << 16, end - stream.tell()))), name, b"", first_line)
        for line, row in csv_rows(lines):
            yield line, row if isinstance(row, InputError) else row_answers(row, header, questions, bank, name, line)
    finally:
        close_class_file(stream)


def csv_rows(lines: Utf8Lines) -> Iterator[tuple[int, list[str] | InputError]]:
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
                    raise too_long(self.name, self.line + 1)
                del buf[:pos]
                scanned, pos = max(0, len(buf) - 1), 0  # a CR at the end may start a CR LF
                more = self._read()
                buf += more
                continue
            if len(raw) > MAX_LINE_BYTES:
                raise too_long(self.name, self.line + 1)
            self.line += 1
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                self.bad.append(self.line)
                yield raw.decode("utf-8", "surrogateescape")

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


def row_answers(row: list[str], header: list[str], questions: list[Question | None],
                bank: QuestionBank, name: str, line: int) -> AnswerSet | InputError:
    """One row's answers, checked as an answer file's are, or the error that names the row."""
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
        check_levels(answers, bank, lambda qid: f"{name}:{line}")  # as in an answer file
    except InputError as exc:
        return InputError(f"row {cut(respondent)}: {exc.message}", exc.where)
    return answers
