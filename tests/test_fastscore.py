"""The batch fast path (numpy CSV reader + vectorised scorer) gives exactly the careful path's
output: same rows, same errors, same ranking, same rounding."""

from __future__ import annotations

import csv
import io
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobkompas import api
from jobkompas.classfile import iter_batch_rows, row_answers
from jobkompas.batchcsv import ClassFile, ResultWriter
from jobkompas.errors import InputError
from jobkompas.fastscore import CONFIDENCE_NAMES, FLAG_NAMES, FastScorer
from jobkompas.questions import RIASEC
from jobkompas.render import batch_row

ODD_SCALE_CELLS = ["", "unsure", "?", "not sure", " 3", "Unsure", "03"]  # all valid


def random_rows(bank, n, seed, odd=0.08):
    """Respondents with a profile, some answers left out or written oddly, some rows broken."""
    rnd = random.Random(seed)
    questions = list(bank.form("standard"))
    header = ["id"] + [q.id for q in questions]
    rows = []
    for i in range(n):
        row = [rnd.choice([f"p{i}", str(i % 10), f"elev-{i}-å"])]
        bias = {t: rnd.random() for t in "RIASEC"}
        skipped_trait = rnd.choice([None, None, "structured", "caring"])
        country = None
        for q in questions:
            if q.scale == "choice":
                options = [o.id for o in q.options]
                extra = ["", "Norway", "no"] if q.dimension == "country" else [""]
                if q.dimension == "country":
                    cell = rnd.choice(options + extra) if rnd.random() < 0.3 else rnd.choice(options)
                    country = {"Norway": "norway", "no": "norway"}.get(cell, cell)
                elif country and rnd.random() > 0.04:  # mostly a level of the row's country
                    cell = rnd.choice([o.id for o in q.options if country in o.countries] + [""])
                else:
                    cell = rnd.choice(options + extra)
                row.append(cell)
            elif q.block == "trait" and q.dimension == skipped_trait:
                row.append("")
            elif rnd.random() < odd:
                row.append(rnd.choice(ODD_SCALE_CELLS))
            else:
                base = bias[q.dimension] * 4 + 1 if q.block == "interest" else rnd.uniform(1, 5)
                row.append(str(max(1, min(5, round(base + rnd.gauss(0, 0.8))))))
        rows.append(row)
    rows[0][1:61] = ["3"] * 60  # identical interest answers: ranked on traits and education alone
    rows[1][1:61] = [str(1 + k % 5) for k in range(60)]
    for k, q in enumerate(questions, start=1):
        if q.block == "interest":
            rows[8][k], rows[9][k] = "4", "5"
        elif q.block == "trait":  # row 8: traits all equal and no education: no matches
            rows[8][k], rows[9][k] = "3", ""  # row 9: education alone, which gives no list either
        elif q.dimension == "highest_level":
            rows[8][k] = ""
        elif q.dimension == "country":
            rows[9][k] = "norway"
        if q.dimension == "highest_level":
            rows[9][k] = "no-fagbrev"
        elif q.dimension == "current_level":
            rows[9][k] = ""
    rows[0][0], rows[8][0], rows[9][0] = "same-0", "same-8", "same-9"
    rows[2] = rows[2][:-3]  # too few cells
    rows[3][0] = ""  # no id
    rows[4] = [""] * len(header)  # an empty row is skipped
    rows[5][7], rows[6][70], rows[7][-2] = "6", "3.0", "unknown-level"  # out of range, wrong type, unknown
    return header, rows


def to_csv(header, rows, lineterminator="\n", quote_all=False):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def fast_output(path, bank, catalogue, top=10, country=None):
    """What `jobkompas batch` writes, and the errors it reports."""
    out, errors = [], []
    with ClassFile(path, bank) as source:
        scorer = FastScorer(source.layout, bank, catalogue, top, country)
        writer = ResultWriter(catalogue.columns.ids, top, RIASEC, CONFIDENCE_NAMES, FLAG_NAMES)
        out.append(writer.header())
        for rows in source.rows():
            errors += [str(e) for e in rows.errors]
            if len(rows):
                out.append(writer.rows(rows.ids, scorer.rank(rows.scale, rows.choice)))
    return b"".join(out).decode("utf-8"), errors


def careful_output(path, bank, catalogue, top=10, country=None, language=None):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    from jobkompas.render import batch_header

    writer.writerow(batch_header(top))
    errors = []
    for _line, item in iter_batch_rows(path, bank):
        if isinstance(item, InputError):
            errors.append(str(item))
            continue
        if language:
            item.language = language
        result = api.score(item, top=top, country=country, bank=bank, catalogue=catalogue)
        writer.writerow(batch_row(result, item.respondent, top))
    return out.getvalue(), errors


@pytest.mark.parametrize("variant", ["plain", "crlf", "quoted"])
@pytest.mark.slow
def test_fast_path_writes_exactly_what_the_careful_path_writes(bank, catalogue, tmp_path, variant):
    header, rows = random_rows(bank, 150, seed=7)
    data = to_csv(header, rows, lineterminator="\r\n" if variant == "crlf" else "\n", quote_all=variant == "quoted")
    path = tmp_path / "class.csv"
    path.write_bytes(data)
    fast, fast_errors = fast_output(path, bank, catalogue)
    slow, slow_errors = careful_output(path, bank, catalogue)
    assert fast_errors == slow_errors
    assert len(fast_errors) >= 3  # the broken rows are reported, by line
    assert any(":4:" in e and "cells" in e for e in fast_errors)
    # a level of another country is rejected, as in an answer file
    assert any("belongs to" in e for e in fast_errors)
    fast_lines, slow_lines = fast.splitlines(), slow.splitlines()
    assert len(fast_lines) == len(slow_lines) > 100
    for f, s in zip(fast_lines, slow_lines):
        assert f == s
    assert ",,,,,,,,,,,,,,,,,,,," in fast  # identical answers and nothing else: no matches
    by_id = {line.split(",")[0]: line.split(",") for line in fast_lines[1:]}
    fields = by_id["same-0"]  # identical interest answers, traits that vary: ranked on the other parts
    assert fields[1] == "" and fields[8:10] == ["low", "no_variation"] and all(fields[-20:]), fields
    for name in "same-8", "same-9":  # nothing else that varies, or only an education level: no list
        assert by_id[name][8] == "none" and not any(by_id[name][-20:]), by_id[name]


@pytest.mark.slow
def test_a_level_of_another_country_is_rejected_on_the_fast_path_too(bank, catalogue, tmp_path):
    """Clean rows (no odd cells) stay on the fast path; one naming a Danish level with
    country norway must still be rejected, with its line, as an answer file would be."""
    header, rows = random_rows(bank, 120, seed=5, odd=0)
    country, highest = header.index("EDU-country"), header.index("EDU-highest")
    rows[50][:1], rows[50][country], rows[50][highest] = ["p50"], "norway", "dk-svendebrev"
    rows[51][country], rows[51][highest] = "denmark", "dk-svendebrev"
    path = tmp_path / "class.csv"
    path.write_bytes(to_csv(header, rows))
    fast, fast_errors = fast_output(path, bank, catalogue)
    assert (fast, fast_errors) == careful_output(path, bank, catalogue)
    assert any(e.endswith(":52: row p50: EDU-highest: level 'dk-svendebrev' belongs to denmark, not norway")
               for e in fast_errors)
    assert not any(":53:" in e for e in fast_errors)


@pytest.mark.slow
def test_the_country_flag_ranks_as_one_by_one_scoring_does(bank, catalogue, tmp_path):
    """The country decides the education level of each job (its path there) and which jobs
    are recommended at all: `batch --country` gives what one-by-one scoring gives, and the
    language changes nothing in CSV rows."""
    header, rows = random_rows(bank, 120, seed=9)
    path = tmp_path / "class.csv"
    path.write_bytes(to_csv(header, rows))
    outputs = {}
    for country, language in (("denmark", "da"), ("norway", "nb"), ("other", "en")):
        fast = fast_output(path, bank, catalogue, country=country)
        assert fast == careful_output(path, bank, catalogue, country=country, language=language)
        outputs[country] = fast
    assert outputs["norway"] != outputs["other"]  # e.g. casino jobs are left out in Norway only


@pytest.mark.slow
def test_many_chunks_and_a_late_quote(bank, catalogue, tmp_path, monkeypatch):
    """Chunk boundaries fall mid-file; a quote far down hands the rest to the csv module."""
    from jobkompas import batchcsv

    monkeypatch.setattr(batchcsv, "CHUNK_BYTES", 4096)
    header, rows = random_rows(bank, 300, seed=11)
    rows[250][0] = 'said "hi", left'
    path = tmp_path / "class.csv"
    path.write_bytes(to_csv(header, rows))
    assert fast_output(path, bank, catalogue) == careful_output(path, bank, catalogue)


@pytest.mark.slow
def test_scores_match_scalar_path_for_wide_top(bank, catalogue, tmp_path):
    header, rows = random_rows(bank, 40, seed=3, odd=0)
    path = tmp_path / "class.csv"
    path.write_bytes(to_csv(header, rows))
    assert fast_output(path, bank, catalogue, top=40) == careful_output(path, bank, catalogue, top=40)


CELL = st.one_of(st.sampled_from(["1", "2", "3", "4", "5", "", "?", "unsure", "6", " 2", "norway", "no-bachelor", "x,y"]),
                 st.text(alphabet="12345 ,\"\nabc?é", max_size=4))
# (a carriage return inside a quoted cell is left out: the csv module's reader splits lines
# at it when reading a file, the fast reader only at newlines, so they report it differently)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
@pytest.mark.slow
def test_fuzzed_class_files_read_the_same_both_ways(bank, catalogue, tmp_path, data):
    header, rows = random_rows(bank, 12, seed=data.draw(st.integers(0, 10**6)), odd=0.02)
    for _ in range(data.draw(st.integers(1, 6))):
        r = data.draw(st.integers(0, len(rows) - 1))
        c = data.draw(st.integers(0, len(header) - 1))
        if c < len(rows[r]):
            rows[r][c] = data.draw(CELL)
    raw = to_csv(header, rows)
    if data.draw(st.booleans()):  # also break the raw text: cut, duplicate or drop bytes
        at = data.draw(st.integers(len(raw) // 3, len(raw) - 1))
        raw = raw[:at] + data.draw(st.sampled_from([b"", b",", b"\n", b"\"", b"\xff", b"\r"])) + raw[at + 1:]
    path = tmp_path / "fuzz.csv"
    path.write_bytes(raw)
    try:
        slow = careful_output(path, bank, catalogue)
    except InputError:
        # bad encoding stops both; the fast reader names the line of the bad byte (the csv
        # module's reader decodes ahead and can blame an earlier line)
        with pytest.raises(InputError, match="UTF-8|header"):
            fast_output(path, bank, catalogue)
        return
    assert fast_output(path, bank, catalogue) == slow


def test_row_answers_and_fast_reader_agree_on_values(bank, catalogue, tmp_path):
    """The arrays hold the same answers the careful parser reads."""
    header, rows = random_rows(bank, 30, seed=5)
    path = tmp_path / "class.csv"
    path.write_bytes(to_csv(header, rows))
    questions = [bank.questions.get(c) for c in header]
    with ClassFile(path, bank) as source:
        for chunk in source.rows():
            for k, line in enumerate(chunk.lines.tolist()):
                answers = row_answers(rows[line - 2], header, questions, bank, str(path), line)
                scale, choice = source.layout.encode(answers)
                assert chunk.scale[k].tolist() == scale
                assert chunk.choice[k].tolist() == choice


def test_an_absurdly_long_row_is_an_error_not_a_memory_hog(bank, tmp_path, monkeypatch):
    from jobkompas import batchcsv

    monkeypatch.setattr(batchcsv, "CHUNK_BYTES", 4096)
    monkeypatch.setattr(batchcsv, "MAX_LINE_BYTES", 50_000)
    path = tmp_path / "class.csv"
    path.write_bytes(b"id,R01\ns1,3\n" + b"s2," + b"3" * 200_000 + b"\ns3,4\n")
    with pytest.raises(InputError, match=r"class.csv:3: a row longer than"):
        with ClassFile(path, bank) as source:
            for _ in source.rows():
                pass


def sliced_and_single(monkeypatch, args, processes):
    """Run `jobkompas` with the file cut into slices for ``processes`` processes, and in one;
    the results of both, and the slices that were made (Linux only: skips elsewhere)."""
    import sys

    from typer.testing import CliRunner

    from jobkompas import batchcsv, batchsplit
    from jobkompas.cli import app

    if not sys.platform.startswith("linux"):
        pytest.skip("slices run on separate processes only on Linux")
    seen = []
    real = batchcsv.ClassFile.plain_slices
    monkeypatch.setattr(batchcsv.ClassFile, "plain_slices", lambda self, *a: seen.append(real(self, *a)) or seen[-1])
    results = []
    for count in (processes, 1):
        monkeypatch.setattr(batchsplit, "process_count", lambda count=count: count)
        results.append(CliRunner().invoke(app, args))
    return results[0], results[1], seen


@pytest.mark.parametrize("variant", ["plain", "crlf", "latin-1 row"])
@pytest.mark.slow
def test_slices_on_separate_processes_write_what_one_process_writes(bank, tmp_path, monkeypatch, variant):
    """A large plain file is scored in slices by forked processes (batchsplit): the output,
    the error lines (with their line numbers, in file order) and the exit code are those of
    the one-process path. Slices are made small here so that a short file has four."""
    from jobkompas import batchcsv

    header, rows = random_rows(bank, 600, seed=11)
    rows[333][5], rows[590] = "9", rows[590][:4]  # bad rows in later slices too
    rows[450][0] = "p450"  # the Latin-1 row goes before it
    text = to_csv(header, rows, lineterminator="\r\n" if variant == "crlf" else "\n")
    if variant == "latin-1 row":  # late in the file: a slice goes the careful way from there
        at = text.index(b"\np450,") + 1
        text = text[:at] + "p450,bl\u00e5\n".encode("latin-1") + text[at:]
    path = tmp_path / "class.csv"
    path.write_bytes(text)
    monkeypatch.setattr(batchcsv, "MIN_SLICE_BYTES", len(text) // 8)
    sliced, single, seen = sliced_and_single(monkeypatch, ["batch", str(path)], 4)
    assert seen[0] is not None and len(seen[0]) == 4 and seen[1] is None
    assert sliced.exit_code == single.exit_code == 6
    assert sliced.stdout == single.stdout
    assert sliced.stderr == single.stderr
    assert sliced.stdout.count("\n") > 520


def test_a_file_with_quotes_is_not_cut_into_slices(bank, tmp_path, monkeypatch):
    from jobkompas import batchcsv

    header, rows = random_rows(bank, 200, seed=3)
    path = tmp_path / "class.csv"
    path.write_bytes(to_csv(header, rows, quote_all=True))
    monkeypatch.setattr(batchcsv, "MIN_SLICE_BYTES", 100)
    with ClassFile(path, bank) as source:
        assert source.plain_slices(4) is None
    plain = to_csv(header, rows)
    path.write_bytes(plain)
    with ClassFile(path, bank) as source:
        assert source.plain_slices(4) is not None
    at = plain.index(b"\n", len(plain) // 2)
    path.write_bytes(plain[:at] + b"\r" + plain[at + 1:])  # a bare CR
    with ClassFile(path, bank) as source:
        assert source.plain_slices(4) is None


@pytest.mark.slow
def test_a_full_disk_under_a_slice_is_a_storage_error(bank, tmp_path, monkeypatch, capsys):
    import errno
    import sys
    import tempfile

    from jobkompas import batchcsv, batchsplit
    from jobkompas.cli import main
    from jobkompas.errors import ExitCode

    if not sys.platform.startswith("linux"):
        pytest.skip("slices run on separate processes only on Linux")
    header, rows = random_rows(bank, 300, seed=5)
    path = tmp_path / "class.csv"
    path.write_bytes(to_csv(header, rows))
    monkeypatch.setattr(batchcsv, "MIN_SLICE_BYTES", 1000)
    monkeypatch.setattr(batchsplit, "process_count", lambda: 2)
    real, made = tempfile.TemporaryFile, []

    class FullDisk:  # the children's results file: every write fails as on a full disk
        def __init__(self):
            self.file = real()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.file, name)

    def temporary_file():
        made.append(None)
        return FullDisk() if len(made) % 2 else real()

    monkeypatch.setattr(batchsplit.tempfile, "TemporaryFile", temporary_file)
    assert main(["batch", str(path), "--out", str(tmp_path / "out.csv")]) == ExitCode.STORAGE
    err = capsys.readouterr().err
    assert "cannot write a temporary file for the batch: No space left on device" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.slow
def test_jsonl_slices_on_separate_processes_write_what_one_process_writes(bank, tmp_path, monkeypatch):
    from jobkompas import batch

    header, rows = random_rows(bank, 240, seed=12)
    rows[200][5] = "9"  # a bad row in a later slice
    text = to_csv(header, rows)
    at = text.index(b"\np150,") + 1 if b"\np150," in text else len(text) // 2
    text = text[:at] + "p-latin,bl\u00e5\n".encode("latin-1") + text[at:]
    path = tmp_path / "class.csv"
    path.write_bytes(text)
    monkeypatch.setattr(batch, "JSONL_SLICE_BYTES", len(text) // 6)
    args = ["batch", str(path), "--format", "jsonl", "--top", "3", "--lang", "nb"]
    sliced, single, seen = sliced_and_single(monkeypatch, args, 3)
    assert len(seen[0]) == 3 and seen[1] is None
    assert sliced.exit_code == single.exit_code == 6
    assert sliced.stdout == single.stdout and sliced.stderr == single.stderr
    assert sliced.stdout.count("\n") > 200 and "not UTF-8" in sliced.stderr


@pytest.mark.slow
def test_a_changed_rule_reaches_the_batch_scorer_too(bank, catalogue, tmp_path, monkeypatch):
    """The batch product is built from the rules themselves: change one (here the interest
    fit, still affine) and the fast path ranks as the one-respondent path does."""
    from jobkompas import rules

    header, rows = random_rows(bank, 60, seed=21)
    path = tmp_path / "class.csv"
    path.write_bytes(to_csv(header, rows))
    before = fast_output(path, bank, catalogue)
    monkeypatch.setattr(rules, "interest_fit", lambda dot: 0.2 + 0.3 * dot)
    after = fast_output(path, bank, catalogue)
    assert after == careful_output(path, bank, catalogue) and after != before


def test_a_rule_the_product_cannot_fold_is_refused(bank, catalogue, tmp_path, monkeypatch):
    from jobkompas import rules

    header, rows = random_rows(bank, 20, seed=22)
    path = tmp_path / "class.csv"
    path.write_bytes(to_csv(header, rows))
    monkeypatch.setattr(rules, "interest_fit", lambda dot: ((1 + dot) / 2) ** 2)
    with pytest.raises(ValueError, match="no longer affine"):
        fast_output(path, bank, catalogue)


@pytest.mark.parametrize("cap", [2, 1])
def test_the_fast_path_spreads_the_top_10_as_the_careful_path_does(bank, catalogue, tmp_path, monkeypatch, cap):
    """Spreading over families (rules.spread) on the fast path, also for students whose first
    places cannot fill the top 10 (cap 1 makes that common): those are ranked deeper."""
    from jobkompas import fastscore
    from jobkompas.scoring import config

    monkeypatch.setitem(config()["display"], "family_cap", cap)
    deeper = []
    best_exact = fastscore.FastScorer._best_exact

    def counting(self, p, rows, depth=None):
        if depth is not None:
            deeper.append(len(rows))
        return best_exact(self, p, rows, depth)

    monkeypatch.setattr(fastscore.FastScorer, "_best_exact", counting)
    header, rows = random_rows(bank, 120, seed=29)  # a class with a few such students
    path = tmp_path / "class.csv"
    path.write_bytes(to_csv(header, rows))
    fast, _ = fast_output(path, bank, catalogue, top=20)
    careful, _ = careful_output(path, bank, catalogue, top=20)
    assert fast == careful
    if cap == 1:
        assert sum(deeper) > 0  # the deeper ranking was needed, and agrees
