#!/usr/bin/env python3
"""Write docs/cli.md from the CLI's own --help (a test checks it is up to date).

    python tools/gen_cli_docs.py
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path

COMMANDS = [
    [], ["quiz"], ["score"], ["batch"], ["template"], ["questions", "list"],
    ["occupations", "list"], ["occupations", "search"], ["occupations", "show"],
    ["validate"], ["about"], ["import"], ["sessions", "list"], ["sessions", "show"],
    ["sessions", "note"], ["sessions", "delete-note"], ["sessions", "rescore"], ["sessions", "export"],
    ["sessions", "delete"], ["sessions", "purge"], ["groups", "list"], ["groups", "summary"], ["groups", "report"],
    ["groups", "rescore"], ["report"],
]


def help_text(args: list[str]) -> str:
    from jobkompas.cli import main

    os.environ["COLUMNS"] = "100"
    os.environ["NO_COLOR"] = "1"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main([*args, "--help"])
    return out.getvalue().rstrip()


def render() -> str:
    parts = ["# Command reference\n", "Generated from `--help` by `tools/gen_cli_docs.py`; do not edit by hand.\n"]
    for args in COMMANDS:
        parts.append(f"## jobkompas {' '.join(args)}".rstrip() + "\n")
        parts.append("```\n" + help_text(args) + "\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
