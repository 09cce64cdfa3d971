"""Nordic occupations that O*NET lacks: full profiles whose figures name their O*NET sources."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jobkompas.cli import main
from jobkompas.errors import ExitCode
from jobkompas.resources import occupations_dir
from jobkompas.yamlio import load_yaml_file

NORDIC = ["social-educator", "social-worker", "blacksmith", "chimney-sweep", "soldier", "military-officer",
          "industrial-operator", "multimedia-designer", "financial-services-economist", "datamatiker",
          "ship-assistant"]


@pytest.mark.parametrize("occ_id", NORDIC)
def test_nordic_occupation_is_a_full_profile(catalogue, occ_id):
    occ = catalogue.get(occ_id)
    assert occ is not None and occ.curated and occ.onet == ""
    assert set(occ.explicit_paths) == {"norway", "denmark", "other"}
    assert occ.codes["styrk08"]["code"] and occ.codes["disco08"]["code"]
    data = load_yaml_file(occupations_dir() / f"{occ_id}.yaml", with_lines=False)
    assert data["review"]["text"] in ("written", "checked") and data["review"]["paths"] in ("written", "checked")
    assert data["figures_source"]["onet"] == occ.codes["figures_from"]
    for code in data["figures_source"]["onet"]:
        assert catalogue.by_onet(code) is not None, code


def test_figures_are_the_mean_of_the_named_onet_occupations(catalogue):
    social = catalogue.get("social-worker")
    sources = [catalogue.by_onet(c) for c in social.codes["figures_from"]]
    for i in range(6):
        mean = sum(o.interests[i] for o in sources) / len(sources)
        assert abs(social.interests[i] - mean) < 0.01


@pytest.mark.slow
def test_nordic_names_find_them_first(catalogue):
    from jobkompas.search import search

    for name, occ_id in [("Vernepleier", "social-educator"), ("Sosionom", "social-worker"),
                         ("Skorstensfejer", "chimney-sweep"), ("Feier", "chimney-sweep"),
                         ("Konstabel", "soldier"), ("Offiser", "military-officer"),
                         ("Datamatiker", "datamatiker"), ("Skibsassistent", "ship-assistant")]:
        assert search(catalogue, name, limit=1)[0][0].id == occ_id, name


@pytest.mark.slow
def test_a_file_without_onet_needs_a_figures_source(tmp_path, capsys):
    occ = Path(shutil.copytree(occupations_dir(), tmp_path / "occ"))
    path = occ / "soldier.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("figures_source:")
    end = text.index("codes:")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    assert main(["--occupations", str(occ), "validate"]) == ExitCode.CONTENT
    assert "'onet' must be an O*NET-SOC code" in capsys.readouterr().out


def test_the_import_takes_the_mean_and_the_override_codes(load_script):
    tool = load_script("tools/import_onet.py")
    src = {"interests": {"1": dict(R=2.0, I=2.0, A=2.0, S=6.0, E=4.0, C=1.0),
                         "2": dict(R=4.0, I=2.0, A=2.0, S=4.0, E=2.0, C=1.0)},
           "styles": {"1": {"integrity": 4.0}, "2": {"integrity": 5.0}}, "zones": {"1": 3, "2": 4},
           "education": {}, "related": {}}
    figures = tool.nordic_figures(["1", "2"], src, {"1": "one", "2": "two"})
    assert figures["interests"]["S"] == 5.0 and figures["interests"]["R"] == 3.0
    assert figures["high_point"] == "SRE"
    assert figures["work_styles"] == {"integrity": 4.5}
    assert figures["related"] == ["one", "two"]


@pytest.mark.slow
def test_us_only_occupations_are_marked_in_the_shared_format():
    marked = {}
    for path in sorted(occupations_dir().glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        data = load_yaml_file(path, with_lines=False)
        if "not_recommended" in data:
            marked[data["id"]] = data["not_recommended"]
    us_only = {occ_id for occ_id, mark in marked.items() if mark["why"] == "us_only"}
    assert {"physician-assistant", "anesthesiologist-assistant", "embalmer"} <= us_only
    for occ_id in us_only:
        assert marked[occ_id] == {"why": "us_only", "countries": ["norway", "denmark"]}, occ_id
