"""Fuzz answer files and class files through the CLI in one process and count exit codes.

    python benchmarks/fuzz_inputs.py [ANSWER_FILES] [CLASS_FILES] [SEED]

Prints the inputs, the exit codes seen (only 0, 3 and 6 are right for these inputs; 1 is a
bug) and the slowest input with its time; the slowest inputs are kept in a folder for
``/usr/bin/time -v jobkompas score FILE``. Not a test: the test suite runs a small, bounded
fuzz of the same kind (tests/test_fuzz_inputs.py).
"""

from __future__ import annotations

import collections
import contextlib
import io
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

BITS = ["&a ", "*a ", "!!python/object:os.system ", "[", "{", "- ", ": ", "\t", "'", '"', "\\ud800",
        "\n  ", "<<: *a\n", "? ", "%YAML 1.1\n", "---\n", "...\n", "9" * 5000, "\x00", "\ufeff", "\x1b[2J",
        "[" * 3000, "{a: " * 500, "\r", "\\u0000", "1e999999", "-0", "0x" + "f" * 60]
SCALARS = [None, True, False, 0, 3, 5, 6, -1, 10**40, 1.5, float("inf"), "1", "5", "unsure", "norway", "no",
           "en", "nb", "mini", "adaptive", "jobkompas-answers/1", "=1+1", "\x1b]0;x\x07", "", "x" * 3000]
KEYS = ["format", "language", "country", "form", "asked", "answers", "respondent", "R01", "I01", "S03",
        "EDU-country", "EDU-highest", "EDU-current", "x"]


def value(rnd: random.Random, depth: int = 0):
    roll = rnd.random()
    if depth < 3 and roll < 0.15:
        return [value(rnd, depth + 1) for _ in range(rnd.randrange(4))]
    if depth < 3 and roll < 0.25:
        return {rnd.choice(KEYS): value(rnd, depth + 1) for _ in range(rnd.randrange(4))}
    return rnd.choice(SCALARS)


def answer_file(rnd: random.Random, bank) -> tuple[str, bytes]:
    ids = [q for q in bank.questions if q != "EDU-country"]

    def answer(qid: str):
        q = bank.questions[qid]
        if q.scale == "choice":
            return rnd.choice([o.id for o in q.options])
        return rnd.choice([1, 2, 3, 4, 5, "unsure"])

    answers = {q: answer(q) for q in rnd.sample(ids, rnd.randrange(len(ids)))}
    for _ in range(rnd.choice([0] * 6 + [1, 2])):
        answers[rnd.choice(KEYS + ids)] = value(rnd)
    doc = {"format": rnd.choice(["jobkompas-answers/1"] * 5 + ["x"]), "answers": answers}
    doc.update({"language": rnd.choice(["en", "nb", "da"]), "country": rnd.choice(["norway", "denmark", "other"])})
    for key in rnd.sample(["language", "country", "form", "asked", "respondent"], rnd.choice([0] * 5 + [1, 2])):
        doc[key] = value(rnd)
    as_json = rnd.random() < 0.5
    if as_json:
        text = json.dumps(doc, ensure_ascii=rnd.random() < 0.5)
    else:
        import yaml

        text = yaml.safe_dump(doc, allow_unicode=True)
    for _ in range(rnd.choice([0] * 5 + [1, 2])):
        at = rnd.randrange(len(text) + 1)
        text = text[:at] + rnd.choice(BITS) + text[at + rnd.randrange(3):]
    raw = text.encode("utf-8", "surrogatepass")
    if rnd.random() < 0.1:
        at = rnd.randrange(len(raw))
        raw = raw[:at] + bytes([rnd.randrange(256)]) + raw[at + 1:]
    return ("a.json" if as_json else "a.yaml"), raw


CELLS = ["1", "2", "3", "4", "5", "", "?", "unsure", "6", "norway", "no", "x,y", '"', '"a', '""', "=1+1",
         "\x1b[2J", "\r", "\n", "9" * 5000, "é", " 3", "3 "]


def class_file(rnd: random.Random, bank) -> bytes:
    questions = [q.id for q in bank.by_block("interest")] + ["EDU-country", "EDU-highest", "language", "country"]
    header = ["id", *rnd.sample(questions, rnd.randrange(1, len(questions)))]
    if rnd.random() < 0.1:
        header[rnd.randrange(len(header))] = rnd.choice(CELLS)
    lines = [",".join(header)]
    for k in range(rnd.randrange(60)):
        cells = [f"r{k}"] + [rnd.choice(["1", "2", "3", "4", "5"]) if rnd.random() < 0.9 else rnd.choice(CELLS)
                             for _ in header[1:]]
        lines.append(",".join(cells))
    raw = ("\n".join(lines) + rnd.choice(["\n", "", "\r\n"])).encode("utf-8")
    for _ in range(rnd.randrange(4)):
        at = rnd.randrange(len(raw))
        raw = raw[:at] + rnd.choice([b"", b"\xff", b'"', b"\r", b"\n", b"\x00", b",", b'"' * 3]) + raw[at + 1:]
    return raw


def main() -> None:
    answers_n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    classes_n = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 19)
    work = Path(tempfile.mkdtemp(prefix="jobkompas-fuzz-"))
    os.environ.setdefault("JOBKOMPAS_HOME", str(work / "home"))
    from jobkompas import api
    from jobkompas.cli import main as cli

    bank = api.load_bank()
    seen: dict[str, collections.Counter] = {"answer files": collections.Counter(), "class files": collections.Counter()}
    slowest: list[tuple[float, str, Path]] = []
    bugs = []
    for kind, count in (("answer files", answers_n), ("class files", classes_n)):
        for k in range(count):
            if kind == "answer files":
                name, raw = answer_file(rnd, bank)
                command = ["score", "--format", rnd.choice(["json", "csv", "table", "markdown"])]
            else:
                name, raw = "class.csv", class_file(rnd, bank)
                command = rnd.choice([["batch"], ["batch", "--format", "jsonl"], ["import"]])
            path = work / f"{kind[0]}{k:05d}-{name}"
            path.write_bytes(raw)
            err = io.StringIO()
            started = time.perf_counter()
            out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = cli([command[0], str(path), *command[1:]])
            took = time.perf_counter() - started
            seen[kind][code] += 1
            if code not in (0, 3, 6) or "Traceback" in err.getvalue() or "internal error" in err.getvalue():
                bugs.append((path, code, err.getvalue()[:300]))
            slowest = sorted([*slowest, (took, " ".join(command), path)], reverse=True)[:3]
    kept = {path for _, _, path in slowest} | {path for path, _, _ in bugs}
    for path in work.glob("[ac]*"):
        if path not in kept:
            path.unlink()
    for kind, counter in seen.items():
        print(f"{kind}: {sum(counter.values())} inputs, exit codes {dict(sorted(counter.items()))}")
    for took, command, path in slowest:
        print(f"slow: {took * 1000:.0f} ms  jobkompas {command} {path}")
    for path, code, err in bugs:
        print(f"BUG exit {code}: {path}: {err}")
    print(f"kept in {work}")


if __name__ == "__main__":
    main()
