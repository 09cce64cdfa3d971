"""The content cache: one file per kind, damaged files rebuilt, an unwritable dir skipped."""

from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jobkompas import cache, catalogue, questions
from jobkompas.outfile import atomic_open
from jobkompas.resources import builtin_questions_dir, occupations_dir, user_cache_dir


def same_page(cached_occ, parsed_occ) -> bool:
    """The same page, as a cache keeps it (the file's name; the folder is the catalogue's)."""
    return (cached_occ.page == parsed_occ.page._replace(source=Path(parsed_occ.page.source).name)
            and cached_occ.source == parsed_occ.source)


def cached(kind: str) -> list[str]:
    return sorted(p.name for p in user_cache_dir().glob(f"{kind}-*.marshal"))


@pytest.fixture
def bank_dir(tmp_path):
    return shutil.copytree(builtin_questions_dir(), tmp_path / "questions")


def test_a_changed_bank_leaves_one_cache_file(bank_dir):
    questions.load_question_bank(bank_dir)
    first = cached("bank")
    interests = bank_dir / "interests.yaml"
    interests.write_text(interests.read_text(encoding="utf-8").replace('en: "Repair', 'en: "Really repair', 1),
                         encoding="utf-8")
    bank = questions.load_question_bank(bank_dir)
    assert bank.questions["R01"].text["en"] == "Really repair a bicycle"
    assert len(first) == 1 and len(cached("bank")) == 1 and cached("bank") != first


def test_a_new_file_of_one_kind_keeps_the_other_kinds():
    cache.store("bank", "aaaa", [1])
    cache.store("catalogue", "cccc", [2])
    cache.store("bank", "bbbb", [3])
    assert cached("bank") == ["bank-bbbb.marshal"] and cached("catalogue") == ["catalogue-cccc.marshal"]
    assert cache.load("bank", "bbbb", list) == [3] and cache.load("bank", "aaaa", list) is None


def test_the_warm_cache_is_used(bank_dir, monkeypatch):
    bank = questions.load_question_bank(bank_dir)
    monkeypatch.setattr(questions, "parse_question_bank", lambda *a: pytest.fail("bank parsed again"))
    again = questions.load_question_bank(bank_dir)
    assert again.questions == bank.questions and again.forms == bank.forms and again.types == bank.types


@pytest.mark.parametrize("damage", [
    b"",  # empty
    b"\xff\x00not marshal",  # not marshal at all
    marshal.dumps({"questions": [], "traits": [()], "types": [], "forms": {}}),  # marshal, but not a bank
    marshal.dumps([1, 2, 3]),
], ids=["empty", "not-marshal", "not-a-bank", "a-list"])
def test_a_damaged_bank_cache_is_rebuilt(bank_dir, damage):
    bank = questions.load_question_bank(bank_dir)
    (path,) = user_cache_dir().glob("bank-*.marshal")
    good = path.read_bytes()
    path.write_bytes(damage)
    assert questions.load_question_bank(bank_dir).questions == bank.questions
    assert path.read_bytes() == good, "the damaged file is replaced"


@pytest.mark.slow
def test_a_damaged_catalogue_cache_is_rebuilt(monkeypatch):
    cat = catalogue.load_catalogue(occupations_dir())
    (path,) = user_cache_dir().glob("catalogue-*.marshal")
    path.write_bytes(marshal.dumps({"core": [tuple("abcdefghi")], "details": []}))  # marshal, not a catalogue
    again = catalogue.load_catalogue(occupations_dir())
    assert list(again.occupations) == list(cat.occupations)
    monkeypatch.setattr(catalogue, "parse_catalogue", lambda *a: pytest.fail("catalogue parsed again"))
    assert list(catalogue.load_catalogue(occupations_dir()).occupations) == list(cat.occupations)
    assert cached("catalogue") == [path.name]


@pytest.mark.slow
def test_the_pages_are_read_from_their_own_file_when_the_first_page_is(monkeypatch):
    """Ranking needs no page: loading a cached catalogue reads the small catalogue file only,
    and the pages file (nine tenths of the bytes) once, when a page is first read."""
    parsed = catalogue.load_catalogue(occupations_dir())
    key = cached("catalogue")[0].split("-", 1)[1]
    assert cached("pages") == [f"pages-{key}"]
    read = []
    real_load = cache.load
    monkeypatch.setattr(cache, "load", lambda kind, *a: read.append(kind) or real_load(kind, *a))
    again = catalogue.load_catalogue(occupations_dir())
    assert again.columns.ids == parsed.columns.ids and read == ["catalogue"]
    assert same_page(again.occupations["nurse"], parsed.occupations["nurse"])
    assert same_page(again.occupations["electrician"], parsed.occupations["electrician"])
    assert read == ["catalogue", "pages"]


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["missing", "flipped byte", "not pages"])
def test_a_missing_or_damaged_pages_file_is_rebuilt_from_the_yaml(damage):
    parsed = catalogue.load_catalogue(occupations_dir())
    (path,) = user_cache_dir().glob("pages-*.marshal")
    good = path.read_bytes()
    if damage == "missing":
        path.unlink()
    elif damage == "flipped byte":
        path.write_bytes(good[:-100] + bytes([good[-100] ^ 1]) + good[-99:])
    else:
        cache.store("pages", path.stem.split("-", 1)[1], [1, 2, 3])  # checksummed, but no pages
    again = catalogue.load_catalogue(occupations_dir())
    for occ_id in ("nurse", "electrician", "carpenter"):
        assert same_page(again.occupations[occ_id], parsed.occupations[occ_id])
    assert path.read_bytes() == good, "the pages file is written again"


@pytest.mark.slow
def test_pages_are_not_rebuilt_from_files_that_changed_after_the_load(monkeypatch):
    """The catalogue was loaded from the cache, then its pages file went and the YAML changed:
    pages of other content would not fit the list already shown, so the command stops."""
    from jobkompas.errors import ContentError

    catalogue.load_catalogue(occupations_dir())
    loaded = catalogue.load_catalogue(occupations_dir())
    for path in user_cache_dir().glob("pages-*.marshal"):
        path.unlink()
    monkeypatch.setattr(catalogue, "_signature", lambda directory: "0" * 40)
    with pytest.raises(ContentError, match="changed while jobkompas was running"):
        _ = loaded.occupations["nurse"].page


@pytest.mark.slow
def test_a_cache_dir_that_cannot_be_written_only_costs_speed(bank_dir):
    blocker = user_cache_dir()
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the cache dir should be", encoding="utf-8")
    assert questions.load_question_bank(bank_dir).questions
    assert catalogue.load_catalogue(occupations_dir()).occupations
    cache.store("bank", "x", [1])  # silent
    assert blocker.read_text(encoding="utf-8").startswith("a file")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs file permissions that apply")
def test_a_read_only_cache_dir_only_costs_speed(bank_dir):
    folder = user_cache_dir()
    folder.mkdir(parents=True)
    folder.chmod(0o500)
    try:
        assert questions.load_question_bank(bank_dir).questions
        assert cached("bank") == []
    finally:
        folder.chmod(0o700)


def test_a_value_that_cannot_be_cached_is_not_an_error():
    cache.store("bank", "x", object())
    assert cached("bank") == []


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "state.json"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_open(path) as handle:
            handle.write("new")
            raise RuntimeError
    assert path.read_text(encoding="utf-8") == "old" and os.listdir(tmp_path) == ["state.json"]


@pytest.mark.slow
def test_version_and_help_do_not_load_the_cache():
    code = ("import sys; from jobkompas.cli import main\n"
            "for args in (['--version'], ['--help']):\n"
            "    try: main(args)\n"
            "    except SystemExit: pass\n"
            "print(sorted(m for m in ('jobkompas.cache', 'jobkompas.outfile') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


@pytest.mark.slow
def test_a_warm_cache_and_a_json_answer_file_never_load_yaml(tmp_path):
    """PyYAML is a third of what importing the API costs: scoring JSON answers from cached
    content must not need it (the first run fills the cache, the second is measured)."""
    answers = tmp_path / "a.json"
    answers.write_text('{"format": "jobkompas-answers/1", "answers": {"R01": 5, "I01": 2}}', encoding="utf-8")
    code = ("import sys; from jobkompas import api\n"
            f"api.score(api.read_answers({str(answers)!r}))\n"
            "print('yaml' in sys.modules)")
    env = {**os.environ, "JOBKOMPAS_HOME": str(tmp_path / "home")}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
            for _ in range(2)]
    assert runs[1].stdout.strip() == "False"


@pytest.mark.slow
def test_every_single_byte_flip_in_a_cache_file_is_caught_and_rebuilt(bank_dir):
    """No flipped byte may change the bank silently or crash: the checksum sends every
    damaged file back to the sources, and the rebuilt file is the good one again."""
    import random

    bank = questions.load_question_bank(bank_dir)
    (path,) = user_cache_dir().glob("bank-*.marshal")
    good = path.read_bytes()
    rnd = random.Random(19)
    spots = sorted({*range(0, 60), *rnd.sample(range(len(good)), 120), len(good) - 1})
    for at in spots:
        damaged = bytearray(good)
        damaged[at] ^= 1 << rnd.randrange(8)
        path.write_bytes(bytes(damaged))
        assert cache.load("bank", path.stem.split("-", 1)[1], lambda plain: plain) is None, at
        again = questions.load_question_bank(bank_dir)
        assert again.questions == bank.questions and again.forms == bank.forms, at
        assert path.read_bytes() == good, at


@pytest.mark.slow
def test_a_catalogue_cache_with_a_flipped_byte_never_changes_results(capsys, tmp_path):
    """End to end: the same answers give the same matches after any flip in the catalogue's
    cache (ids, O*NET codes and scores come from the sources again)."""
    import json
    import random

    from jobkompas import api
    from jobkompas.cli import main

    answers = tmp_path / "a.json"
    answers.write_text('{"format": "jobkompas-answers/1", "country": "norway", '
                       '"answers": {"R01": 5, "I01": 2, "S01": 4, "A01": 1}}', encoding="utf-8")
    api._catalogue.cache_clear()  # this test's cache dir gets its own file
    assert main(["score", str(answers), "--format", "json"]) == 0
    expected = json.loads(capsys.readouterr().out)["matches"]
    (path,) = user_cache_dir().glob("catalogue-*.marshal")
    good = path.read_bytes()
    rnd = random.Random(40)
    for at in rnd.sample(range(len(good)), 6):
        damaged = bytearray(good)
        damaged[at] ^= 0xFF
        path.write_bytes(bytes(damaged))
        key = path.stem.split("-", 1)[1]
        assert cache.load("catalogue", key, lambda plain: plain) is None, at  # the checksum refuses it
        api._catalogue.cache_clear()  # as a new process would: the catalogue comes from the cache file
        assert main(["score", str(answers), "--format", "json"]) == 0, at
        assert json.loads(capsys.readouterr().out)["matches"] == expected, at
        assert cache.load("catalogue", path.stem.split("-", 1)[1], lambda plain: plain) is not None  # rebuilt


def test_a_cache_file_of_another_fingerprint_is_not_trusted():
    cache.store("bank", "aaaa", [1])
    folder = user_cache_dir()
    (folder / "bank-aaaa.marshal").rename(folder / "bank-bbbb.marshal")
    assert cache.load("bank", "bbbb", list) is None


def test_about_shows_where_the_cache_lives(capsys):
    from jobkompas.cli import main

    assert main(["about"]) == 0
    out = capsys.readouterr().out
    assert f"Cache (safe to delete): {user_cache_dir()}" in " ".join(out.split())


@pytest.mark.slow
def test_a_cached_occupation_decodes_its_page_on_first_use_and_shows_what_parsing_shows():
    parsed = catalogue.load_catalogue()  # parsed and cached
    cached_catalogue = catalogue.load_catalogue()
    assert all("page" in vars(occ) for occ in parsed.occupations.values())
    occupations = list(cached_catalogue.occupations.values())
    assert all("page" not in vars(occ) for occ in occupations)  # loading decoded none of them
    nurse = cached_catalogue.occupations["nurse"]
    assert nurse.summary == parsed.occupations["nurse"].summary
    assert "page" in vars(nurse) and sum("page" in vars(occ) for occ in occupations) == 1
    for occ in occupations:
        fresh = parsed.occupations[occ.id]
        assert occ.page._replace(source="") == fresh.page._replace(source="")
        assert occ.source == fresh.source
        assert cached_catalogue.path(occ, "norway") == parsed.path(fresh, "norway")
