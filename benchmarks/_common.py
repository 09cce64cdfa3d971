"""Shared helpers for the benchmark scripts (not a test suite: they print figures)."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

PYTHON = sys.executable


def jobkompas() -> str:
    here = Path(PYTHON).with_name("jobkompas")
    return str(here) if here.exists() else (shutil.which("jobkompas") or "jobkompas")


def ensure_bytecode() -> None:
    """Compile jobkompas as 'pip install' does, so runs measure what users get even where
    PYTHONDONTWRITEBYTECODE is set or the install is editable."""
    import compileall

    import jobkompas

    compileall.compile_dir(str(Path(jobkompas.__file__).parent), quiet=1)


def median_ms(command: list[str], runs: int = 11, env: dict | None = None, stdin=None) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                       stdin=stdin if stdin is not None else subprocess.DEVNULL, check=False)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench_env(home: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOBKOMPAS_")}
    env["JOBKOMPAS_HOME"] = home
    return env


def report(name: str, value: float, unit: str, baseline: float | None = None, limit: float | None = None) -> None:
    line = f"{name:<44} {value:9.1f} {unit}"
    if baseline:
        ratio = value / baseline
        line += f"   ratio {ratio:5.2f}"
        if limit is not None:
            line += f" (goal ≤ {limit}: {'ok' if ratio <= limit else 'MISSED'})"
    print(line)
