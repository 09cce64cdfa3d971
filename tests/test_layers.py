"""The CLI and the wizard use the library and the presentation layer only (docs/api.md), and a
command stays short: it parses options, calls jobkompas.api and chooses an output. The catalogue
(and its columns for ranking) never imports the scorers, the API or the presentation, so none
of them can import it back in a cycle."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "jobkompas"

# What the CLI and the wizard may import from jobkompas besides themselves (docs/api.md says why).
LIBRARY = {"jobkompas.api", "jobkompas.errors"}
PRESENTATION = {"jobkompas.render", "jobkompas.explain", "jobkompas.i18n", "jobkompas.csvout", "jobkompas.busy",
                "jobkompas.streams", "jobkompas.outfile", "jobkompas.sources"}
ALLOWED = {
    "cli.py": LIBRARY | PRESENTATION | {"jobkompas", "jobkompas.wizard.flow"},  # jobkompas: __version__
    "wizard": LIBRARY | PRESENTATION | {"jobkompas.wizard.prompts", "jobkompas.wizard.state"},
}
COMMAND_LINES = 25


def imported_modules(source: str, package: str) -> list[tuple[int, str]]:
    """(line, module) of every jobkompas module ``source`` imports, relative imports resolved
    against ``package``; ``from . import name`` counts as the module ``package.name`` when that
    is a module, else as ``package`` itself."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "jobkompas"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            if module.split(".")[0] != "jobkompas":
                continue
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                path = PACKAGE.parent.joinpath(*sub.split("."))
                found.append((node.lineno, sub if path.with_suffix(".py").is_file() or path.is_dir() else module))
    return found


def outside(path: Path, allowed: set[str], package: str) -> list[str]:
    source = path.read_text(encoding="utf-8")
    return [f"{path.name}:{line}: {module}" for line, module in imported_modules(source, package)
            if module not in allowed]


def layer_files() -> list[tuple[Path, set[str], str]]:
    files = [(PACKAGE / "cli.py", ALLOWED["cli.py"], "jobkompas")]
    files += [(p, ALLOWED["wizard"], "jobkompas.wizard") for p in sorted((PACKAGE / "wizard").glob("*.py"))]
    return files


@pytest.mark.parametrize("path, allowed, package", layer_files(), ids=lambda v: v.name if isinstance(v, Path) else "")
def test_the_cli_and_the_wizard_import_only_the_library_and_the_presentation_layer(path, allowed, package):
    assert outside(path, allowed, package) == []


def test_the_import_rule_finds_a_store_imported_by_the_cli(tmp_path):
    """The rule can fail: the CLI reaching past the library into the store is reported,
    whether imported relatively, absolutely, at the top or inside a command."""
    cli = tmp_path / "cli.py"
    cli.write_text("from . import api, __version__\nfrom .render import render_results\n\n"
                   "def sessions_list():\n    from .store import Store\n    import jobkompas.counsellor\n"
                   "    from . import batch\n", encoding="utf-8")
    assert outside(cli, ALLOWED["cli.py"], "jobkompas") == [
        "cli.py:5: jobkompas.store", "cli.py:6: jobkompas.counsellor", "cli.py:7: jobkompas.batch"]
    wizard = tmp_path / "flow.py"
    wizard.write_text("from ..adaptive import may_skip_rest\nfrom .prompts import BACK\n", encoding="utf-8")
    assert outside(wizard, ALLOWED["wizard"], "jobkompas.wizard") == ["flow.py:1: jobkompas.adaptive"]



# The catalogue layer, and what it may never reach, directly or through other modules.
CATALOGUE_LAYER = ("jobkompas.catalogue", "jobkompas.columns", "jobkompas.weights")
ABOVE_CATALOGUE = {f"jobkompas.{m}" for m in ("scoring", "fastscore", "adaptive", "explain", "api", "render", "cli",
                                              "counsellor", "batch", "wizard")}


def module_file(module: str) -> Path:
    path = PACKAGE.parent.joinpath(*module.split("."))
    return path.with_suffix(".py") if path.with_suffix(".py").is_file() else path / "__init__.py"


def reachable(start: str) -> dict[str, str]:
    """Every jobkompas module ``start`` imports, directly or through others, at the top, inside
    functions or under TYPE_CHECKING: module -> the module that imports it."""
    via: dict[str, str] = {}
    todo = [start]
    while todo:
        module = todo.pop()
        path = module_file(module)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for _, name in imported_modules(path.read_text(encoding="utf-8"), package):
            if name not in via and name != start:
                via[name] = module
                todo.append(name)
    return via


@pytest.mark.parametrize("module", CATALOGUE_LAYER)
def test_the_catalogue_layer_never_reaches_the_scorers_or_what_uses_them(module):
    via = reachable(module)
    assert {name: via[name] for name in ABOVE_CATALOGUE if name in via} == {}, "module: imported by"


def test_the_reach_rule_sees_lazy_and_type_checking_imports():
    """The rule can fail: the scorer reaches the columns, the catalogue reaches the search
    module (imported inside a function) and the batch scorer reaches the scorer."""
    assert "jobkompas.columns" in reachable("jobkompas.scoring")
    assert {"jobkompas.columns", "jobkompas.search", "jobkompas.programmes"} <= set(reachable("jobkompas.catalogue"))
    assert "jobkompas.scoring" in reachable("jobkompas.fastscore")


@pytest.mark.slow
def test_loading_the_catalogue_and_its_columns_loads_no_scorer(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOBKOMPAS_")}
    env["JOBKOMPAS_HOME"] = str(tmp_path)
    code = ("import sys\n"
            "from jobkompas.catalogue import load_catalogue\n"
            "for _ in range(2):  # parsed and cached, then read back from the cache\n"
            "    catalogue = load_catalogue()\n"
            "    assert len(catalogue.columns.ids) == len(catalogue)\n"
            "print(sorted(m for m in sys.modules if m in %r))" % (ABOVE_CATALOGUE,))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def command_lengths(source: str) -> dict[str, int]:
    """Lines of each typer command's (and callback's) body, its docstring left out."""
    lengths = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        if not any(isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in ("command", "callback")
                   for d in node.decorator_list):
            continue
        body = node.body
        if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and len(body) > 1:
            body = body[1:]
        lengths[node.name] = (body[-1].end_lineno or body[-1].lineno) - body[0].lineno + 1
    return lengths


def test_every_command_is_short():
    lengths = command_lengths((PACKAGE / "cli.py").read_text(encoding="utf-8"))
    assert len(lengths) >= 25  # every command was found
    assert {name: n for name, n in lengths.items() if n > COMMAND_LINES} == {}


def test_the_length_rule_finds_a_long_command():
    body = "".join(f"    x{i} = {i}\n" for i in range(COMMAND_LINES + 1))
    source = f'@app.command()\ndef grown():\n    """Doc."""\n{body}\n@app.command()\ndef short():\n    pass\n'
    assert command_lengths(source) == {"grown": COMMAND_LINES + 1, "short": 1}


@pytest.mark.parametrize("args", [["score", "--help"], ["sessions", "list", "--help"], ["groups", "report", "--help"]])
@pytest.mark.slow
def test_help_of_a_command_stays_light(args):
    """A command's --help passes through the root options (content folders), and still loads
    no YAML, numpy, rich, Jinja2 or SQLite."""
    heavy = ("rich", "numpy", "questionary", "jinja2", "yaml", "sqlite3")
    code = ("import sys\nfrom jobkompas.cli import main\ncode = main(%r)\n"
            "print(sorted(m for m in %r if m in sys.modules), file=sys.stderr)\nsys.exit(code)") % (args, heavy)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "[]"


def test_no_option_is_declared_twice():
    """An option or argument shared by commands is one Annotated alias, not copies that drift."""
    from collections import Counter

    calls = Counter()
    for node in ast.walk(ast.parse((PACKAGE / "cli.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and ast.unparse(node.func) in ("typer.Option", "typer.Argument", "_choice"):
            calls[ast.unparse(node)] += 1
    assert len(calls) > 40 and {call: n for call, n in calls.items() if n > 1} == {}


def test_choices_are_listed_in_help_and_checked(capsys):
    from jobkompas.cli import main

    assert main(["groups", "summary", "--help"]) == 0
    assert "[table|json|html|markdown|csv]" in capsys.readouterr().out
    assert main(["sessions", "export", "--format", "xml"]) == 2
    assert capsys.readouterr().err.strip() == "jobkompas: error: --format must be one of csv, json; got 'xml'"


def test_docs_api_names_every_function_and_the_presentation_modules():
    """docs/api.md is the API's reference: every public name is in it, and its table of the
    presentation layer is the allow-list above."""
    import re

    from jobkompas import api

    text = (PACKAGE.parent.parent / "docs" / "api.md").read_text(encoding="utf-8")
    assert [name for name in api.__all__ if f"`{name}" not in text] == []
    section = text[text.index("## The CLI and the wizard"):text.index("## Results")]
    listed = {f"jobkompas.{m}" for m in re.findall(r"^\| `(\w+)` \|", section, flags=re.M)}
    assert listed == PRESENTATION | {"jobkompas.errors"}
    for name in api.__all__:  # and each of them exists
        assert getattr(api, name) is not None
