"""A class file's first line is read and checked in one place for every reader: the careful
row reader (score, import, batch --format jsonl) and the numpy one (batch CSV)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from jobkompas import api, classfile
from jobkompas.batchcsv import ClassFile
from jobkompas.classfile import iter_batch_rows
from jobkompas.cli import app
from jobkompas.errors import InputError

BAD_HEADERS = [
    (b"", "1: the file is empty; expected a header row with 'id' and question ids"),
    (b"\n\r\n  \n", "1: the file is empty; expected a header row with 'id' and question ids"),
    (b"\xef\xbb\xbf", "1: the file is empty; expected a header row with 'id' and question ids"),
    (b"name,R01\ns0,4\n", "1: the first column must be 'id'"),
    (b"\nid,R01\ns0,4\n", "1: the first column must be 'id'"),
    (b"id,R01,R01\ns0,4,4\n", "1: column 'R01' appears twice"),
    (b"id,R01,XX9\ns0,4,4\n", "1: unknown column 'XX9' (expected question ids, language, country, form)"),
    (b"id,R01,bl\xe5\ns0,4,4\n", "1: the header row is not UTF-8 text; save the file as UTF-8"),
    (b'"id,R01\ns0,4\n', "1: cannot read the header row: a quote (\") opened in this row is not closed on its line; "
                         "close it or remove it (the row was skipped)"),
]


def errors_of_both_readers(path) -> list[str]:
    bank = api.load_bank()
    found = []
    for read in (lambda: list(iter_batch_rows(path, bank)), lambda: ClassFile(path, bank).close()):
        with pytest.raises(InputError) as info:
            read()
        found.append(str(info.value))
    return found


@pytest.mark.parametrize("content, message", BAD_HEADERS)
def test_both_readers_refuse_a_bad_header_in_the_same_words(tmp_path, content, message):
    path = tmp_path / "class.csv"
    path.write_bytes(content)
    assert errors_of_both_readers(path) == [f"{path}:{message}"] * 2


def test_both_readers_refuse_an_over_long_header_in_the_same_words(tmp_path, monkeypatch):
    monkeypatch.setattr(classfile, "MAX_LINE_BYTES", 1000)
    path = tmp_path / "class.csv"
    path.write_bytes(b"id," + b"R01" * 2000 + b"\ns0,4\n")
    assert errors_of_both_readers(path) == [f"{path}:1: a row longer than 0.001 MB; is this a class file?"] * 2


@pytest.mark.parametrize("end", [b"\n", b"\r\n", b"\r"])
def test_every_line_end_is_read_alike_by_every_batch_path(tmp_path, end):
    """A file saved with old Mac line ends (a bare CR) is read as the others, CSV output too."""
    rows = [b"id,R01,I01,EDU-country", b"s0,4,2,norway", b"s1,1,5,denmark"]
    path = tmp_path / "class.csv"
    path.write_bytes(end.join(rows) + end)
    items = list(iter_batch_rows(path, api.load_bank()))
    assert [(line, item.respondent) for line, item in items] == [(2, "s0"), (3, "s1")]
    results = {fmt: CliRunner().invoke(app, ["batch", str(path), "--format", fmt]) for fmt in ("csv", "jsonl")}
    assert [r.exit_code for r in results.values()] == [0, 0], [r.output for r in results.values()]
    assert [line.split(",")[0] for line in results["csv"].stdout.splitlines()] == ["id", "s0", "s1"]
    assert results["jsonl"].stdout.count('"format": "jobkompas-result/1"') == 2


def test_a_header_split_across_reads_at_its_cr_lf_is_one_line(tmp_path, monkeypatch):
    """The first read may end between the CR and the LF of the header's line end."""
    header = b"id,R01,I01\r\n"
    pieces = iter([header[:-1], header[-1:] + b"s0,4,2\r\n", b""])
    found, rest = classfile.read_header(lambda: next(pieces), "class.csv", api.load_bank())
    assert found == ["id", "R01", "I01"] and rest == b"s0,4,2\r\n"
