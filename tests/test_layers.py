"""The modules read in one direction: the catalogue (and its columns for ranking) never
imports the scorers, the API or the presentation, so neither can import it back in a cycle."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import jobkompas

PACKAGE = Path(jobkompas.__file__).parent
CATALOGUE_LAYER = ("catalogue", "columns", "weights")
ABOVE = ("scoring", "fastscore", "adaptive", "explain", "api", "render", "cli", "counsellor", "batch", "wizard")


def imported_modules(module: str) -> set[str]:
    """The jobkompas modules ``module`` imports anywhere in its file: at the top, inside
    functions (lazy imports) and under ``TYPE_CHECKING``."""
    path = PACKAGE / f"{module}.py"
    if not path.exists():
        path = PACKAGE / module / "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names = [node.module] if node.module else [alias.name for alias in node.names]
            found.update(name.split(".")[0] for name in names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("jobkompas."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("jobkompas."))
    return {name for name in found if (PACKAGE / f"{name}.py").exists() or (PACKAGE / name).is_dir()}


def reachable(start: str) -> dict[str, str]:
    """Every jobkompas module ``start`` imports, directly or through others: module -> the
    module that imports it."""
    via: dict[str, str] = {}
    todo = [start]
    while todo:
        module = todo.pop()
        for name in imported_modules(module):
            if name not in via and name != start:
                via[name] = module
                todo.append(name)
    return via


def test_the_import_walk_sees_lazy_and_type_checking_imports():
    # scoring imports the columns at the top; the catalogue imports them inside a method and
    # under TYPE_CHECKING; the search module is imported inside shared_titles
    assert "columns" in imported_modules("scoring")
    assert {"columns", "search", "programmes"} <= imported_modules("catalogue")
    assert "scoring" in reachable("fastscore")


def test_the_catalogue_layer_never_imports_the_scorers_or_what_uses_them():
    for module in CATALOGUE_LAYER:
        via = reachable(module)
        cycles = {name: via[name] for name in ABOVE if name in via}
        assert not cycles, f"{module} reaches {cycles} (module: imported by)"


def test_loading_the_catalogue_and_its_columns_loads_no_scorer(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOBKOMPAS_")}
    env["JOBKOMPAS_HOME"] = str(tmp_path)
    code = ("import sys\n"
            "from jobkompas.catalogue import load_catalogue\n"
            "for _ in range(2):  # parsed and cached, then read back from the cache\n"
            "    catalogue = load_catalogue()\n"
            "    assert len(catalogue.columns.ids) == len(catalogue)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[-1] in %r))" % (ABOVE,))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
