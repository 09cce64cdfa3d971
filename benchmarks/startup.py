"""Start-up: --version, --help, loading content, one answer file, the first question.

    python benchmarks/startup.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import PYTHON, bench_env, ensure_bytecode, jobkompas, median_ms, report  # noqa: E402


def first_question_ms(env: dict, runs: int = 7) -> float:
    import statistics

    import pexpect

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        child = pexpect.spawn(jobkompas(), ["--lang", "en", "--fresh"], env={**env, "PROMPT_TOOLKIT_NO_CPR": "1"},
                              encoding="utf-8", dimensions=(40, 100), timeout=30)
        child.expect("Which country")
        times.append((time.perf_counter() - start) * 1000)
        child.terminate(force=True)
    return statistics.median(times)


def main() -> None:
    ensure_bytecode()
    with tempfile.TemporaryDirectory() as home:
        env = bench_env(home)
        jk = jobkompas()
        subprocess_env = env
        median_ms([jk, "validate"], runs=1, env=env)  # warm the catalogue cache
        typer = median_ms([PYTHON, "-c", "import typer"], env=env)
        report("python -c 'import typer'", typer, "ms")
        report("jobkompas --version", median_ms([jk, "--version"], env=env), "ms", typer, 1.5)
        report("jobkompas --help", median_ms([jk, "--help"], env=env), "ms", typer, 2.5)

        yaml_base = median_ms([PYTHON, "-c", "import yaml"], env=env)
        report("python -c 'import yaml'", yaml_base, "ms")
        load = "from jobkompas import api; api.load_bank(); api.load_catalogue()"
        report("load questions + catalogue (cached)", median_ms([PYTHON, "-c", load], env=env), "ms", yaml_base, 2.0)

        answers = Path(home) / "answers.yaml"
        answers.write_text("format: jobkompas-answers/1\ncountry: norway\nanswers:\n"
                           + "".join(f"  {t}0{i}: {5 if t == 'R' else 2}\n" for t in "RIASEC" for i in range(1, 6))
                           + "  EDU-highest: no-fagbrev\n", encoding="utf-8")
        base3 = median_ms([PYTHON, "-c", "import typer, rich.console, yaml"], env=env)
        report("python -c 'import typer, rich.console, yaml'", base3, "ms")
        report("jobkompas score FILE (end to end)", median_ms([jk, "score", str(answers)], env=env), "ms", base3, 2.0)

        base4 = median_ms([PYTHON, "-c", "import typer, questionary, rich.console, yaml"], env=env)
        report("python -c 'import typer, questionary, rich.console, yaml'", base4, "ms")
        report("first question on screen (pty)", first_question_ms(env), "ms", base4, 1.3)


if __name__ == "__main__":
    main()
