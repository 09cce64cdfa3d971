from __future__ import annotations

import os
from pathlib import Path

import pytest

from jobkompas import api


@pytest.fixture(scope="session", autouse=True)
def isolated_session(tmp_path_factory):
    """Before anything loads content: the session's caches go to a temporary home, and a
    developer's own JOBKOMPAS_* settings (another question bank, say) are not read."""
    with pytest.MonkeyPatch.context() as patch:
        for name in [n for n in os.environ if n.startswith("JOBKOMPAS_")]:
            patch.delenv(name)
        patch.setenv("JOBKOMPAS_HOME", str(tmp_path_factory.mktemp("session-home")))
        yield


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path, monkeypatch):
    """Every test gets its own user data dir; colours and width are fixed."""
    monkeypatch.setenv("JOBKOMPAS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    for name in ("JOBKOMPAS_QUESTIONS", "JOBKOMPAS_OCCUPATIONS", "JOBKOMPAS_LANG"):
        # setenv first, so that teardown puts back the state from before the test even when the
        # test's code set it in os.environ itself
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    # api.use_content chooses content for the process: a choice left behind would reach the
    # session's bank and catalogue if they are first loaded later
    monkeypatch.setattr(api, "_chosen", None)
    yield


@pytest.fixture(scope="session")
def bank(isolated_session):
    return api.load_bank()


@pytest.fixture(scope="session")
def catalogue(isolated_session):
    return api.load_catalogue()


def pattern_answers(bank, likes: dict[str, int], default: int = 1, traits: int | None = 3, **edu):
    """Interest answers by type (e.g. {"R": 5}), the rest ``default``."""
    values = {q.id: likes.get(q.dimension, default) for q in bank.by_block("interest")}
    if traits is not None:
        values.update({q.id: traits for q in bank.by_block("trait")})
    values.update(edu)
    return values


@pytest.fixture(scope="session")
def load_script():
    """Import a tool or benchmark script of the project by its path (they are not packages)."""
    import importlib.util

    root = Path(__file__).resolve().parent.parent

    def load(relative: str):
        path = root / relative
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load
