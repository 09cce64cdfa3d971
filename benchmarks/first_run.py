"""A student's first run against a later one: `jobkompas score` with fresh data and cache dirs
(nothing cached yet) against the same command once everything is cached.

    python benchmarks/first_run.py [ANSWER_FILE]

Installed from a wheel, the built-in content ships parsed, so the first run should be no
slower than 1.5× a warm one. From a source tree or an editable install the first run parses
the YAML and fills the user cache, which the figures show as well.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import bench_env, ensure_bytecode, jobkompas, report  # noqa: E402


def answer_file(folder: Path) -> Path:
    path = folder / "answers.yaml"
    subprocess.run([jobkompas(), "template", "--form", "mini", "--lang", "en", "-o", str(path)],
                   check=True, capture_output=True)
    text = path.read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        key = line.strip().rstrip(":")
        if line.startswith("  ") and line.rstrip().endswith(":") and not line.strip().startswith("#"):
            value = {"EDU-country": "norway", "EDU-current": "no-grunnskole", "EDU-highest": "no-fagbrev",
                     "EDU-route": "either"}.get(key, "4" if key[:1] in "RIT" else "2")
            line = f"{line} {value}"
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def env_for(home: Path) -> dict:
    env = bench_env(str(home / "jobkompas"))
    env["XDG_CACHE_HOME"] = str(home / "cache")
    env["XDG_DATA_HOME"] = str(home / "data")
    return env


def timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    ensure_bytecode()
    runs = int(os.environ.get("RUNS", "7"))
    with tempfile.TemporaryDirectory() as tmp:
        answers = Path(sys.argv[1]) if len(sys.argv) > 1 else answer_file(Path(tmp))
        command = [jobkompas(), "score", str(answers)]
        first, warm = [], []
        for i in range(runs):
            home = Path(tmp) / f"run{i}"
            env = env_for(home)
            first.append(timed(command, env))  # nothing cached: a first run
            warm.append(timed(command, env))   # the same dirs again: everything cached
        import jobkompas.prebuilt as prebuilt

        print(f"content shipped parsed: {'yes' if prebuilt.bundled_file().is_file() else 'no (source tree)'}")
        w = statistics.median(warm)
        report("score, warm (everything cached)", w, "ms")
        report("score, first run (fresh data and cache dirs)", statistics.median(first), "ms", w, 1.5)


if __name__ == "__main__":
    main()
