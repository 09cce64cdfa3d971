"""Content parsed at build time: used only for the folders it was built from, while unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jobkompas import prebuilt
from jobkompas.catalogue import _to_plain, load_catalogue, parse_catalogue
from jobkompas.questions import _bank_to_plain, load_question_bank, parse_question_bank

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """A package folder laid out as a wheel installs it: content and its prebuilt file."""
    package = tmp_path / "site" / "jobkompas"
    content = package / "_content"
    for name in ("questions", "occupations", "programmes"):
        shutil.copytree(ROOT / name, content / name)
    (content / prebuilt.FILE_NAME).write_bytes(prebuilt.build(content))
    monkeypatch.setattr(prebuilt, "_PACKAGE", package)
    prebuilt._data.cache_clear()
    yield content
    prebuilt._data.cache_clear()


@pytest.mark.slow
def test_prebuilt_content_is_what_parsing_the_yaml_gives(installed):
    shipped = prebuilt.lookup("catalogue", installed / "occupations", installed / "programmes")
    parsed = _to_plain(parse_catalogue(installed / "occupations", installed / "programmes"))
    assert shipped is not None and prebuilt.comparable(shipped) == prebuilt.comparable(parsed)
    assert prebuilt.lookup("bank", installed / "questions") == _bank_to_plain(parse_question_bank(installed / "questions"))
    assert load_catalogue(installed / "occupations").version == shipped["version"]


@pytest.mark.slow
def test_a_changed_file_is_never_served_from_the_prebuilt_data(installed):
    nurse = installed / "occupations" / "nurse.yaml"
    nurse.write_text(nurse.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert prebuilt.lookup("catalogue", installed / "occupations", installed / "programmes") is None
    items = installed / "questions" / "interests.yaml"
    items.write_text(items.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert prebuilt.lookup("bank", installed / "questions") is None
    assert load_question_bank(installed / "questions").questions  # parsed from the YAML instead


@pytest.mark.slow
def test_other_folders_and_source_trees_never_use_it(installed, tmp_path):
    other = tmp_path / "mine" / "occupations"
    shutil.copytree(installed / "occupations", other)
    assert prebuilt.lookup("catalogue", other, installed / "programmes") is None
    prebuilt._data.cache_clear()
    (installed / prebuilt.FILE_NAME).write_bytes(b"not marshal data")
    assert prebuilt.lookup("bank", installed / "questions") is None  # a damaged file: the usual way


@pytest.mark.slow
def test_prebuilt_occupations_name_their_files_where_they_are_installed(installed):
    from jobkompas.catalogue import _from_plain

    shipped = prebuilt.lookup("catalogue", installed / "occupations", installed / "programmes")
    nurse = _from_plain(installed / "occupations", shipped, shipped["version"]).occupations["nurse"]
    assert nurse.source == str(installed / "occupations" / "nurse.yaml")


@pytest.mark.slow
def test_the_wheel_build_needs_only_its_build_requirements(monkeypatch):
    # the build environment has hatchling and PyYAML, not platformdirs
    import sys

    monkeypatch.setitem(sys.modules, "platformdirs", None)  # importing it now fails
    assert len(prebuilt.build(Path(__file__).resolve().parents[1])) > 100_000


@pytest.mark.slow
def test_the_wheel_build_leaves_the_builders_cache_alone(monkeypatch, tmp_path):
    from jobkompas import weights

    monkeypatch.setenv("JOBKOMPAS_HOME", str(tmp_path / "home"))
    weights.config.cache_clear()  # as in a fresh build process: the weights are read (and would be cached)
    prebuilt.build(Path(__file__).resolve().parents[1])
    assert not list((tmp_path / "home").rglob("*.marshal"))
