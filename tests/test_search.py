"""Search finds what was typed: exact title first, then alternative titles, prefix, fuzzy."""

from __future__ import annotations

import json

import pytest

from jobkompas.cli import main
from jobkompas.search import search


def ids(catalogue, text, n=5):
    return [o.id for o, _ in search(catalogue, text, limit=n)]


@pytest.mark.slow
def test_common_nordic_job_names_are_found_at_rank_one(catalogue, load_script):
    bench = load_script("benchmarks/search_names.py")
    rows = bench.read_names()
    assert len(rows) == 150
    share, misses = bench.rank_one(catalogue, rows)
    assert share >= 0.95, misses


def test_exact_primary_title_beats_an_alternative_title(catalogue):
    # 'Sykepleier' is the title of nurse and inside many other titles
    assert ids(catalogue, "Sykepleier")[0] == "nurse"
    # 'Kokk' is exact for restaurant-cook; 'Kjøkkensjef' only starts with the same letters
    assert ids(catalogue, "kokk")[0] == "restaurant-cook"


def test_exact_alternative_title_beats_a_prefix(catalogue):
    assert ids(catalogue, "Lagerarbejder")[0] == "shipping-and-receiving-clerk"
    assert ids(catalogue, "Flyvertinne")[0] == "flight-attendant"


def test_prefix_beats_a_word_inside(catalogue):
    found = ids(catalogue, "produksjon", 10)
    first = search(catalogue, "produksjon", limit=1)[0][0]
    assert first.title("nb").casefold().startswith("produksjon")
    assert "production-supervisor" in ids(catalogue, "produksjon", 20)
    assert len(found) == 10


def test_typos_are_tolerated_but_rank_last(catalogue):
    assert ids(catalogue, "sykeplier")[0] == "nurse"
    hits = search(catalogue, "sveiser", limit=3)
    assert hits[0][0].id == "welder" and hits[0][1] == 1.0


def test_every_language_whatever_lang_says(capsys):
    assert main(["occupations", "search", "Sygeplejerske", "--lang", "nb", "--json"]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert docs[0]["id"] == "nurse" and docs[0]["title"] == "Sykepleier" and docs[0]["relevance"] == 1.0
    assert main(["occupations", "search", "Nurse", "--lang", "da"]) == 0
    assert capsys.readouterr().out.split()[0] == "nurse"
