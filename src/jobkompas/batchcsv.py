"""Class files at numpy speed: a batch CSV read into answer arrays, result rows written back.

Python's csv module spends over a microsecond on every cell, and a class file has ~90 cells
per row, so reading 100,000 rows that way costs more than scoring them. Answer rows have a
shape worth exploiting: almost every cell is one character ('1'–'5'). A chunk of the file
is split with a few numpy passes over its bytes: only the cells that are *not* one
character long (ids, option ids, empty cells; a handful per row) are located one by one,
and the runs of one-character cells between them are read through a strided view.

Nothing unusual is guessed at. Quoted cells, stray spaces, other spellings, a wrong number
of cells: such a row goes through the same careful, error-reporting parser as every other
answer file (:func:`classfile.row_answers`) and, if valid, joins the arrays. A chunk with a
quote, a bare carriage return or text that is not UTF-8 hands the rest of the file to the
csv module, which gives the same answers (tests feed both readers random files).
"""

from __future__ import annotations

import os
import threading
from functools import partial
from pathlib import Path
from typing import BinaryIO, Iterator, Sequence

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .answers import COUNTRY_ALIASES, AnswerSet
from .classfile import (MAX_LINE_BYTES, Utf8Lines, close_class_file, csv_line, csv_rows, line_at, open_class_file,
                        read_header, row_answers, too_long)
from .csvout import FORMULA_START, safe_cell, safe_cell_bytes
from .errors import InputError
from .questions import UNSURE, QuestionBank
from .resources import LANGUAGES

_FORMULA_BYTES = np.frombuffer("".join(FORMULA_START).encode("ascii"), dtype=np.uint8)

CHUNK_BYTES = 1 << 20  # about 5,000 rows: arrays of a few MB, and the threads start early
MIN_SLICE_BYTES = 4_000_000  # about 20,000 rows (0.1 s of CSV scoring): less does not pay for a process
CAREFUL_BATCH = 2000  # rows per block when the csv module reads the rest of a file

MISSING, NOT_SURE, INVALID = 0, -1, -9  # scale codes; 1–5 are answers
EMPTY, UNKNOWN = -1, -2  # choice codes; 0… index the column's values
_SCALE_TOKENS = {"unsure": NOT_SURE, "not sure": NOT_SURE}  # exact spellings; others go the careful way

_ONE_CHAR = np.full(256, INVALID, dtype=np.int8)
_ONE_CHAR[np.frombuffer(b"12345", dtype=np.uint8)] = np.arange(1, 6)
_ONE_CHAR[ord("?")] = NOT_SURE
_COMMA, _NEWLINE, _SPACE = 44, 10, 32


class Layout:
    """What each column of a class file holds, from its (already checked) header."""

    def __init__(self, header: Sequence[str], bank: QuestionBank) -> None:
        self.header = list(header)
        self.questions = [bank.questions.get(c) for c in header]
        self.scale_columns: list[int] = []
        self.choice_columns: list[int] = []
        self.choice_values: list[tuple[str, ...]] = []  # canonical values per choice column
        self.accepted: list[dict[str, int]] = []  # exact text -> index into choice_values
        self.free_columns: list[int] = []
        for c, (name, q) in enumerate(zip(self.header, self.questions)):
            if c == 0:
                continue
            if name == "form" or (q is None and name in bank.retired):  # text, or not read at all
                self.free_columns.append(c)
            elif name == "language":
                self._choice(c, LANGUAGES, {})
            elif name == "country" or (q is not None and q.dimension == "country"):
                options = tuple(o.id for o in bank.require_education("country").options)
                self._choice(c, options, COUNTRY_ALIASES)
            elif q is not None and q.scale == "choice":
                self._choice(c, tuple(o.id for o in q.options), {})
            else:
                self.scale_columns.append(c)
        self.level_checks = self._level_checks(bank)
        self.var_columns = [0] + sorted(self.choice_columns + self.free_columns)
        # runs of scale columns, each right after a non-scale column: (index in var_columns, length)
        self.runs: list[tuple[int, int]] = []
        for j, c in enumerate(self.var_columns):
            end = self.var_columns[j + 1] if j + 1 < len(self.var_columns) else len(self.header)
            if end > c + 1:
                self.runs.append((j, end - c - 1))
        # choice cells are compared as fixed-width byte strings one longer than any accepted text
        self.token_width = max([len(t.encode()) for acc in self.accepted for t in acc] + [len(t) for t in _SCALE_TOKENS]) + 1
        self.vocabularies = [_vocabulary(acc, self.token_width) for acc in self.accepted]

    def _choice(self, column: int, values: tuple[str, ...], aliases: dict[str, str]) -> None:
        self.choice_columns.append(column)
        self.choice_values.append(values)
        accepted = {v: k for k, v in enumerate(values)}
        accepted.update({alias: values.index(value) for alias, value in aliases.items() if value in values})
        self.accepted.append(accepted)

    def _level_checks(self, bank: QuestionBank) -> list[tuple[int, int, np.ndarray]]:
        """(country choice, level choice, allowed[country code, level code]) for each level
        column: a row naming a level of another country goes the careful way, which rejects it
        as an answer file would."""
        countries = [k for k, c in enumerate(self.choice_columns)
                     if self.header[c] == "country" or getattr(self.questions[c], "dimension", None) == "country"]
        checks = []
        for k, c in enumerate(self.choice_columns):
            q = self.questions[c]
            if q is None or q.dimension not in ("current_level", "highest_level"):
                continue
            for country_k in countries:
                allowed = np.ones((len(self.choice_values[country_k]), len(self.choice_values[k])), dtype=bool)
                for i, country in enumerate(self.choice_values[country_k]):
                    for j, level_id in enumerate(self.choice_values[k]):
                        level = bank.level(level_id)
                        allowed[i, j] = not (level and level.countries and country not in level.countries)
                if not allowed.all():
                    checks.append((country_k, k, allowed))
        return checks

    def choice_column(self, name: str) -> int | None:
        """Position in the choice arrays of the column for question ``name`` (or alias)."""
        for k, c in enumerate(self.choice_columns):
            q = self.questions[c]
            if self.header[c] == name or (q is not None and q.id == name):
                return k
        return None

    def encode(self, answers: AnswerSet) -> tuple[list[int], list[int]]:
        """A validated row as array codes (the careful path's result joins the fast path's)."""
        scale = []
        for c in self.scale_columns:
            value = answers.values.get(self.header[c])  # the column is named by its question's id
            scale.append(MISSING if value is None else NOT_SURE if value == UNSURE else int(value))
        choice = []
        for k, c in enumerate(self.choice_columns):
            name = self.header[c]
            # (an empty language cell reads as "en" here and as EMPTY on the fast path; the
            # language does not change a batch CSV row, so the two never differ in output)
            value = (answers.language if name == "language" else
                     answers.values.get("EDU-country") if name == "country" else answers.values.get(name))
            choice.append(self.choice_values[k].index(value) if value in self.choice_values[k] else EMPTY)
        return scale, choice


class Rows:
    """Valid respondent rows of one chunk, in file order, and the errors of the others.

    ``ids`` are the id cells as UTF-8, ready to write to a CSV (quoted where needed);
    ``scale`` holds one code per scale column, ``choice`` one per choice column.
    """

    def __init__(self, lines: np.ndarray, ids: list[bytes], scale: np.ndarray, choice: np.ndarray,
                 errors: list[InputError]) -> None:
        self.lines, self.ids, self.scale, self.choice, self.errors = lines, ids, scale, choice, errors

    def __len__(self) -> int:
        return len(self.ids)


class ClassFile:
    """A batch CSV opened for streaming: the header is read and checked on opening."""

    def __init__(self, path: Path | str, bank: QuestionBank) -> None:
        self.bank = bank
        self.stream: BinaryIO
        self.stream, self.name, self.size = open_class_file(path)
        self.consumed = 0  # bytes read so far, for progress
        self._end: int | None = None  # read up to here only (a slice of the file, see ``slice``)
        self._first_line = 2  # the line number of the first row after the header
        self._scratch = threading.local()
        try:
            self._buffer = self._read_header()
        except BaseException:
            self.close()
            raise

    def scratch(self, size: int) -> list[np.ndarray]:
        """Six boolean arrays of ``size``, reused from chunk to chunk (one set per thread)."""
        held = getattr(self._scratch, "arrays", None)
        if held is None or held.shape[1] < size:
            held = self._scratch.arrays = np.empty((6, max(size, CHUNK_BYTES + 1)), dtype=bool)
        return [row[:size] for row in held]

    def close(self) -> None:
        close_class_file(self.stream)

    def __enter__(self) -> "ClassFile":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read(self) -> bytes:
        size = CHUNK_BYTES if self._end is None else min(CHUNK_BYTES, self._end - self.stream.tell())
        data = self.stream.read(size) if size > 0 else b""
        self.consumed += len(data)
        return data

    def plain_slices(self, parts: int, min_bytes: int | None = None) -> list[tuple[int, int]] | None:
        """Cut the rows into ``parts`` byte ranges, each ending at a newline, so that separate
        processes can score them; ``None`` when that is not safe or not worth it.

        Only a file whose rows are plain lines can be cut anywhere at a newline: a quote may
        hold a newline inside a cell, and a bare carriage return ends a line for the careful
        reader but not for the line count. Such files (and stdin) are read in one piece.
        A slice is at least ``min_bytes`` (default ``MIN_SLICE_BYTES``)."""
        min_bytes = MIN_SLICE_BYTES if min_bytes is None else min_bytes
        if self.size is None or parts < 2 or self.size < parts * min_bytes:
            return None
        fd = self.stream.fileno()
        begin = self.stream.tell() - len(self._buffer)  # the first row
        # Read in blocks (os.pread leaves the stream where it is): mapping the whole file
        # would count it all as this process's memory.
        for at in range(begin, self.size, CHUNK_BYTES):
            block = os.pread(fd, CHUNK_BYTES + 1, at)  # one byte more: a CR LF across blocks
            if b'"' in block:
                return None
            if b"\r" in block and block.count(b"\r\n") != block[:CHUNK_BYTES].count(b"\r"):
                return None  # a bare CR
        cuts = [begin]
        for k in range(1, parts):
            at = max(cuts[-1], begin + (self.size - begin) * k // parts)
            while (block := os.pread(fd, 1 << 16, at)) and b"\n" not in block:
                at += len(block)
            if not block:
                break
            cuts.append(at + block.index(b"\n") + 1)
        cuts.append(self.size)
        slices = [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]
        return slices if len(slices) > 1 else None

    def slice(self, start: int, end: int) -> None:
        """Read only bytes ``start``–``end`` of the file (a range from ``plain_slices``); the
        line numbers go on from the lines before ``start``."""
        if start != self.stream.tell() - len(self._buffer):
            self._first_line = line_at(self.stream, start)
            self._buffer = b""
        self._buffer = self._buffer[:end - start]
        self._end = end
        self.stream.seek(start + len(self._buffer))

    def _read_header(self) -> bytes:
        self.header, buffer = read_header(self._read, self.name, self.bank)
        self.layout = Layout(self.header, self.bank)
        return buffer

    def rows(self, deferred: bool = False) -> Iterator:
        """Valid rows and errors, chunk by chunk, in file order. With ``deferred``, a chunk
        the numpy reader takes comes as a callable that splits it (for a worker thread)."""
        buffer, line, at_end = self._buffer, self._first_line, False
        while True:
            while not at_end and (len(buffer) < CHUNK_BYTES or b"\n" not in buffer):
                if len(buffer) > MAX_LINE_BYTES and b"\n" not in buffer:
                    raise too_long(self.name, line)
                more = self._read()
                at_end = not more
                buffer += more
            if not buffer:
                return
            cut = len(buffer) if at_end else buffer.rfind(b"\n") + 1
            chunk, buffer = buffer[:cut], buffer[cut:]
            if not chunk.endswith(b"\n"):
                chunk += b"\n"
            crlf = _without_crlf(chunk)
            if crlf is None or b'"' in chunk or not _is_utf8(chunk):
                yield from self._careful_rest(chunk + buffer, line)
                return
            if deferred:
                yield partial(_split_chunk, crlf, line, self)
                line += crlf.count(b"\n")
            else:
                rows, line_count = _split_chunk(crlf, line, self)
                yield rows
                line += line_count

    def _careful_rest(self, head: bytes, first_line: int) -> Iterator[Rows]:
        """The rest of the file through the csv module, every row through the careful parser."""
        layout = self.layout
        block = _RowsBuilder(layout)
        for line, cells in csv_rows(Utf8Lines(self._read, self.name, head, first_line)):
            if isinstance(cells, InputError):
                block.errors.append(cells)
            else:
                block.add_careful(cells, line, self)
            if len(block) >= CAREFUL_BATCH:
                yield block.build()
                block = _RowsBuilder(layout)
        yield block.build()


def _without_crlf(chunk: bytes) -> bytes | None:
    """The chunk with Windows line ends made plain; ``None`` if it has a bare carriage return."""
    plain = chunk.translate(None, b"\r")
    removed = len(chunk) - len(plain)
    if removed and chunk.count(b"\r\n") != removed:
        return None
    return plain


def _is_utf8(chunk: bytes) -> bool:
    if chunk.isascii():
        return True
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class _RowsBuilder:
    """Rows of a chunk gathered from the fast and the careful path, then put in file order."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.parts: list[tuple[np.ndarray, list[bytes], np.ndarray, np.ndarray]] = []
        self.careful_lines: list[int] = []
        self.careful_ids: list[bytes] = []
        self.careful_scale: list[list[int]] = []
        self.careful_choice: list[list[int]] = []
        self.errors: list[InputError] = []
        self.count = 0

    def __len__(self) -> int:
        return self.count

    def add_fast(self, lines: np.ndarray, ids: list[bytes], scale: np.ndarray, choice: np.ndarray) -> None:
        self.parts.append((lines, ids, scale, choice))
        self.count += len(ids)

    def add_careful(self, cells: list[str], line: int, source: ClassFile) -> None:
        layout = self.layout
        result = row_answers(cells, layout.header, layout.questions, source.bank, source.name, line)
        if isinstance(result, InputError):
            self.errors.append(result)
            return
        scale, choice = layout.encode(result)
        self.careful_lines.append(line)
        self.careful_ids.append(quote_cell(safe_cell(result.respondent or str(line))).encode("utf-8"))
        self.careful_scale.append(scale)
        self.careful_choice.append(choice)
        self.count += 1

    def build(self) -> Rows:
        layout = self.layout
        n_scale, n_choice = len(layout.scale_columns), len(layout.choice_columns)
        parts = list(self.parts)
        if self.careful_lines:
            parts.append((np.array(self.careful_lines, dtype=np.int64), self.careful_ids,
                          # reshape(-1, 0) cannot tell the row count: give it (class files without choice columns)
                          np.array(self.careful_scale, dtype=np.int8).reshape(len(self.careful_lines), n_scale),
                          np.array(self.careful_choice, dtype=np.int16).reshape(len(self.careful_lines), n_choice)))
        self.errors.sort(key=error_line)
        if not parts:
            return Rows(np.zeros(0, dtype=np.int64), [], np.zeros((0, n_scale), np.int8),
                        np.zeros((0, n_choice), np.int16), self.errors)
        if len(parts) == 1:
            return Rows(*parts[0], self.errors)
        lines = np.concatenate([p[0] for p in parts])
        ids = [i for p in parts for i in p[1]]
        scale = np.concatenate([p[2] for p in parts])
        choice = np.concatenate([p[3] for p in parts])
        order = np.argsort(lines, kind="stable")
        return Rows(lines[order], [ids[i] for i in order.tolist()], scale[order], choice[order], self.errors)


def error_line(error: InputError) -> int:
    """The line number an error names (0 if none)."""
    where = error.where or ""
    tail = where.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _split_chunk(chunk: bytes, first_line: int, source: ClassFile) -> tuple[Rows, int]:
    """Split complete lines (no quotes, no CR, valid UTF-8) into arrays; odd rows go the careful way."""
    layout = source.layout
    width = layout.token_width
    buf = b"\n" + chunk + bytes(width + 2 * len(layout.header))
    padded = np.frombuffer(buf, dtype=np.uint8)
    arr = padded[:len(chunk) + 1]  # a newline before the first row: every row starts after a separator
    # Masks over the bytes go into scratch arrays kept between chunks: fresh ones would cost
    # a page fault per 4 KB, about a fifth of the run time.
    is_newline, sep, not_sep, one, boundary, long_start = source.scratch(len(arr))
    np.equal(arr, _NEWLINE, out=is_newline)
    np.equal(arr, _COMMA, out=sep)
    sep |= is_newline
    np.logical_not(sep, out=not_sep)

    # Boundaries: separators that do not end a one-character cell (separator, other, separator).
    one[:2] = False
    np.logical_and(sep[2:], sep[:-2], out=one[2:])
    one[2:] &= not_sep[1:-1]
    np.greater(sep, one, out=boundary)  # sep and not one
    boundary |= is_newline
    boundary[0] = False
    ends = np.flatnonzero(boundary)
    # A cell of two or more characters starts where two non-separators follow a separator.
    long_start[0] = long_start[-1] = False
    np.logical_and(sep[:-2], not_sep[1:-1], out=long_start[1:-1])
    long_start[1:-1] &= not_sep[2:]
    starts = ends.copy()  # empty cells start where they end
    one_at_end = one[ends]  # a row's last cell may be one character long: its newline is a boundary
    starts[one_at_end] -= 1
    starts[~sep[ends - 1] & ~one_at_end] = np.flatnonzero(long_start)
    previous = np.empty_like(ends)
    previous[0] = 0
    previous[1:] = ends[:-1]
    singles = (starts - previous - 1) // 2  # one-character cells between two boundaries

    at_row_end = is_newline[ends]
    row_last = np.flatnonzero(at_row_end)  # each row's newline, as an index into ends
    row_of = np.cumsum(at_row_end) - at_row_end
    closed = np.cumsum(singles + 1)  # cells closed so far
    before_row = np.zeros(len(row_last), dtype=closed.dtype)
    before_row[1:] = closed[row_last[:-1]]
    column = closed - before_row[row_of] - 1
    row_first = np.zeros(len(row_last), dtype=np.int64)
    row_first[1:] = row_last[:-1] + 1  # first boundary of each row
    row_start = previous[row_first] + 1
    row_length = ends[row_last] - row_start
    cells_in_row = column[row_last] + 1
    lines = first_line + np.arange(len(row_last))

    builder = _RowsBuilder(layout)
    ncols, nvar = len(layout.header), len(layout.var_columns)
    blank = row_length == 0
    right_count = (cells_in_row == ncols) & ~blank
    boundaries_in_row = row_last - row_first + 1
    standard = right_count & (boundaries_in_row == nvar)
    if standard.any():
        idx = row_first[standard][:, None] + np.arange(nvar)
        standard[np.flatnonzero(standard)[~(column[idx] == layout.var_columns).all(axis=1)]] = False
    general = right_count & ~standard
    careful = ~blank & ~right_count

    decoded_rows: list[np.ndarray] = []
    if standard.any():
        rows_std = np.flatnonzero(standard)
        idx = row_first[rows_std][:, None] + np.arange(nvar)
        var_start, var_length = starts[idx], ends[idx] - starts[idx]
        scale = np.empty((len(rows_std), len(layout.scale_columns)), dtype=np.int8)
        offset = 0
        for j, length in layout.runs:
            first_byte = ends[idx[:, j]] + 1
            window = as_strided(padded, (len(arr), length), (1, 2))
            np.subtract(window[first_byte], ord("0"), out=scale[:, offset:offset + length].view(np.uint8))
            offset += length
        odd = np.flatnonzero(((scale < 1) | (scale > 5)).ravel())  # '?' and anything invalid
        if len(odd):
            scale.flat[odd] = _ONE_CHAR[scale.flat[odd].view(np.uint8) + ord("0")]
        decoded_rows.append(_decode(buf, padded, layout, width, rows_std, var_start, var_length, scale))
    if general.any():
        rows_gen = np.flatnonzero(general)
        mine = general[row_of]
        local = np.cumsum(general) - 1
        b_row, b_col = local[row_of[mine]], column[mine]
        b_len = (ends - starts)[mine]
        extra = np.zeros((ncols + 1, len(rows_gen)), dtype=np.int64)
        extra[b_col + 1, b_row] = b_len - 1
        lengths = 1 + extra[1:]
        np.cumsum(extra, axis=0, out=extra)
        start = row_start[rows_gen][None, :] + 2 * np.arange(ncols)[:, None] + extra[:-1]
        var = np.array(layout.var_columns)
        scale_cols = np.array(layout.scale_columns, dtype=np.int64)
        s_start, s_len = start[scale_cols].T, lengths[scale_cols].T
        scale = np.where(s_len == 1, _ONE_CHAR[padded[s_start]], np.where(s_len == 0, MISSING, INVALID)).astype(np.int8)
        long_cells = np.argwhere(s_len > 1)
        if len(long_cells):
            tokens = _tokens(buf, s_start[long_cells[:, 0], long_cells[:, 1]],
                             s_len[long_cells[:, 0], long_cells[:, 1]])
            values = [_SCALE_TOKENS.get(t, INVALID) for t in tokens]
            scale[long_cells[:, 0], long_cells[:, 1]] = values
        decoded_rows.append(_decode(buf, padded, layout, width, rows_gen, start[var].T, lengths[var].T, scale))

    for rows, ids, scale, choice, ok in decoded_rows:
        careful[rows[~ok]] = True
        if ok.all():
            builder.add_fast(lines[rows], ids, scale, choice)
        else:
            keep = np.flatnonzero(ok)
            builder.add_fast(lines[rows[keep]], [ids[i] for i in keep.tolist()], scale[keep], choice[keep])
    for r in np.flatnonzero(careful).tolist():
        raw = chunk[row_start[r] - 1:ends[row_last[r]] - 1].decode("utf-8")
        cells = csv_line(raw, source.name, int(lines[r]))  # the one line parser of both readers
        if isinstance(cells, InputError):
            builder.errors.append(cells)
        elif cells and any(cell.strip() for cell in cells):
            builder.add_careful(cells, int(lines[r]), source)
    return builder.build(), len(row_last)


def _decode(buf: bytes, padded: np.ndarray, layout: Layout, width: int, rows: np.ndarray, var_start: np.ndarray,
            var_length: np.ndarray, scale: np.ndarray):
    """Ids and choice codes from the non-scale cells; ``ok`` is False where a row needs care."""
    ok = (scale != INVALID).all(axis=1)
    id_start, id_length = var_start[:, 0], var_length[:, 0]
    ok &= (id_length > 0) & (padded[id_start] != _SPACE) & (padded[id_start + id_length - 1] != _SPACE)
    choice = np.empty((len(rows), len(layout.choice_columns)), dtype=np.int16)
    for k, c in enumerate(layout.choice_columns):
        j = layout.var_columns.index(c)
        codes = _lookup(padded, var_start[:, j], var_length[:, j], layout.vocabularies[k], width)
        choice[:, k] = codes
        ok &= codes != UNKNOWN
    for country_k, level_k, allowed in layout.level_checks:
        country, level = choice[:, country_k], choice[:, level_k]
        named = (country >= 0) & (level >= 0)
        ok[named] &= allowed[country[named], level[named]]
    ids = [buf[s:s + n] for s, n in zip(id_start.tolist(), id_length.tolist())]  # never need quoting
    # an id a spreadsheet would run as a formula gets its apostrophe (found without a loop)
    for i in np.flatnonzero(np.isin(padded[id_start], _FORMULA_BYTES)).tolist():
        ids[i] = safe_cell_bytes(ids[i])
    return rows, ids, scale, choice, ok


def _tokens(buf: bytes, start: np.ndarray, length: np.ndarray) -> list[str]:
    return [buf[s:s + n].decode("utf-8", "replace") for s, n in zip(start.tolist(), length.tolist())]


def _vocabulary(accepted: dict[str, int], width: int) -> tuple[np.ndarray, np.ndarray]:
    """Accepted texts as a sorted fixed-width array, and the code of each (then UNKNOWN)."""
    texts = sorted(accepted, key=lambda t: t.encode())
    vocab = np.array([t.encode() for t in texts], dtype=f"S{width}")
    return vocab, np.array([accepted[t] for t in texts] + [UNKNOWN], dtype=np.int16)


def _lookup(padded: np.ndarray, start: np.ndarray, length: np.ndarray, vocabulary: tuple[np.ndarray, np.ndarray],
            width: int) -> np.ndarray:
    """Codes of choice cells: the index of an accepted exact text, EMPTY, or UNKNOWN."""
    vocab, code_of = vocabulary
    windows = as_strided(padded, (len(padded) - width, width), (1, 1))
    cells = windows[np.minimum(start, len(padded) - width - 1)]
    cells[np.arange(width)[None, :] >= np.minimum(length, width)[:, None]] = 0
    keys = cells.view(f"S{width}").ravel()
    at = np.searchsorted(vocab, keys)
    found = (at < len(vocab)) & (vocab[np.minimum(at, len(vocab) - 1)] == keys) & (length < width)
    codes = np.where(found, code_of[np.where(found, at, len(vocab))], UNKNOWN).astype(np.int16)
    codes[length == 0] = EMPTY
    return codes


# ---------------------------------------------------------------- writing result rows


def quote_cell(text: str) -> str:
    """A cell as the csv module writes it (quoted only when it has to be)."""
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


class ResultWriter:
    """Batch result rows as CSV bytes, assembled from pre-formatted cells.

    Every cell after the id is one of a few thousand texts (a score with one decimal, an
    occupation id, a Holland code, …), so a block of rows becomes a matrix of indices into
    a table of cells and one ``bytes.join``: the csv module's text, without its per-cell cost.
    """

    def __init__(self, occupation_ids: Sequence[str], top: int, riasec: Sequence[str],
                 confidence_names: Sequence[str], flag_names: Sequence[str]) -> None:
        self.top = top
        cells: list[bytes] = []

        def add(texts: list[str]) -> int:
            cells.extend(("," + quote_cell(t)).encode("utf-8") for t in texts)
            return len(cells) - len(texts)

        self.score_at = add([f"{t // 10}.{t % 10}" for t in range(1001)])
        self.code_at = add([a + b + c for a in riasec for b in riasec for c in riasec])
        self.confidence_at = add(list(confidence_names))
        self.flags_at = add([" ".join(name for k, name in enumerate(flag_names) if bits >> k & 1)
                             for bits in range(1 << len(flag_names))])
        self.occupation_at = add(list(occupation_ids))
        self.empty_at = add([""])
        cells.append(b"\n")
        self.newline_at = len(cells) - 1
        self.cells = cells

    def header(self) -> bytes:
        from .render import batch_header

        return (",".join(quote_cell(h) for h in batch_header(self.top)) + "\n").encode("utf-8")

    def rows(self, ids: list[bytes], ranked) -> bytes:
        n, top = len(ids), self.top
        found = ranked.matches.shape[1]
        index = np.empty((n, 11 + 2 * top), dtype=np.int64)
        index[:, 0] = len(self.cells) + np.arange(n)  # the ids, appended to the table below
        code = ranked.code
        # no variation in the answers: no code (its letters would only be R-I-A-S-E-C order)
        index[:, 1] = np.where(ranked.flags & 1, self.empty_at, self.code_at + code[:, 0] * 36 + code[:, 1] * 6 + code[:, 2])
        index[:, 2:8] = self.score_at + np.clip(ranked.tenths, 0, 1000)
        index[:, 8] = self.confidence_at + ranked.confidence.astype(np.int64)
        index[:, 9] = self.flags_at + ranked.flags.astype(np.int64)
        pairs = index[:, 10:10 + 2 * top]
        pairs[:] = self.empty_at
        has = ranked.matches >= 0
        pairs[:, 0:2 * found:2] = np.where(has, self.occupation_at + ranked.matches, self.empty_at)
        pairs[:, 1:2 * found:2] = np.where(has, self.score_at + np.clip(ranked.match_tenths, 0, 1000), self.empty_at)
        index[:, -1] = self.newline_at
        table = np.array(self.cells + ids, dtype=object)
        return b"".join(table[index].ravel().tolist())
