"""The CLI reference is generated from --help and must match; every command is in it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import typer

from jobkompas.cli import app

ROOT = Path(__file__).resolve().parent.parent


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "tools" / "gen_cli_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def all_commands() -> set[tuple[str, ...]]:
    command = typer.main.get_command(app)
    found: set[tuple[str, ...]] = set()

    def walk(cmd, prefix):
        for name, sub in getattr(cmd, "commands", {}).items():
            if getattr(sub, "commands", None):
                walk(sub, prefix + (name,))
            else:
                found.add(prefix + (name,))

    walk(command, ())
    return found


def test_every_command_is_documented():
    generator = load_generator()
    documented = {tuple(args) for args in generator.COMMANDS if args}
    assert all_commands() <= documented, all_commands() - documented


@pytest.mark.slow
def test_cli_reference_is_up_to_date(monkeypatch):
    generator = load_generator()
    expected = generator.render()
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == expected, "run: python tools/gen_cli_docs.py"


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```bash", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line and not line.startswith("#")]
    assert commands[0].endswith(".venv/bin/jobkompas")
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
