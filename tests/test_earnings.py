"""Norwegian earnings (SSB table 11418) for an occupation's STYRK-08 group."""

from __future__ import annotations

import json

from jobkompas import earnings
from jobkompas.cli import main


def test_every_occupation_whose_group_has_a_figure_gets_it(catalogue):
    table = earnings.table()
    for occ in catalogue.occupations.values():
        code = (occ.codes.get("styrk08") or {}).get("code")
        info = earnings.for_occupation(occ)
        assert (info is not None) == (code in table), occ.id
        if info:
            assert info["year"] == 2025 and info["median"] == table[code]["median"]


def test_show_gives_median_quartiles_source_and_year(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    assert main(["occupations", "show", "nurse", "--lang", "nb"]) == 0
    out = capsys.readouterr().out
    assert "Lønn i Norge: median 57\u00a0830 kr i måneden" in out
    assert "Kilde: SSB, tabell 11418, 2025" in out
    assert "for hele yrkesgruppen" not in out  # Sykepleiere names the job


def test_a_wider_group_is_named(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    assert main(["occupations", "show", "massage-therapist"]) == 0
    out = capsys.readouterr().out
    assert "for the whole group Andre helseyrker" in out and "Source: SSB, tabell 11418, 2025" in out


def test_nothing_is_shown_where_ssb_has_no_figure(capsys, catalogue, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    missing = next(o for o in catalogue.occupations.values() if earnings.for_occupation(o) is None)
    assert main(["occupations", "show", missing.id]) == 0
    assert "Earnings" not in capsys.readouterr().out
    assert main(["occupations", "show", missing.id, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["earnings_norway"] is None


def test_json_carries_figures_with_source_and_licence(capsys):
    assert main(["occupations", "show", "police-officer", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)["earnings_norway"]
    assert info["styrk08"] == "3355" and info["year"] == 2025 and info["unit"] == "NOK/month"
    assert info["source"] == "Statistisk sentralbyrå (SSB), tabell 11418" and info["licence"] == "NLOD"
    assert info["agreed_q1"] < info["agreed_median"] < info["agreed_q3"]


def test_money_uses_the_language_grouping():
    assert earnings.money(52340, "en") == "52,340"
    assert earnings.money(52340, "da") == "52\u00a0340"


def test_a_broad_group_chosen_for_a_generic_title_gets_its_figure(catalogue):
    manager = catalogue.get("general-manager")
    assert manager.codes["styrk08"]["code"] == "1"
    info = earnings.for_occupation(manager)
    assert info["group"] == "Ledere" and info["median"] == earnings.table()["1"]["median"]


def test_a_group_whose_name_ends_in_a_full_stop_gets_no_second_one(catalogue):
    """SSB names many groups "… mv."; the line then reads "… heisførere mv. Kilde", not "mv.. Kilde"."""
    occ = next(o for o in catalogue.occupations.values()
               if (info := earnings.for_occupation(o)) and info["whole_group"] and info["group"].endswith("."))
    line = earnings.earnings_text(occ, "nb")
    assert ".." not in line
    assert f'{earnings.for_occupation(occ)["group"]} Kilde: SSB' in line
