"""Merge reviewed occupation texts and paths into the occupation profiles.

    python tools/merge_content.py TEXTS.yaml [...] [--occupations DIR] [--check] [--show]

A texts file holds one entry per occupation id with any of `summary`, `tasks`, `workplaces`
(each {en, nb, da}), `key_traits`, `next_steps`, `alt_titles`, `paths` ({norway, denmark,
other} in the register format of docs/content.md) and `review`. The entry replaces those
fields in `occupations/<id>.yaml` (alternative titles are added to the ones there), and the
file is written in the import tool's layout, so a later import keeps it.

--check only reports problems (unknown ids, programmes missing from the register, a
missing language, task counts that differ between languages); --show prints each entry as
plain text with the register's programme names, for reading a batch before it lands.
"""
from __future__ import annotations

import argparse
import fnmatch
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from import_onet import HEADER, ordered  # noqa: E402

from jobkompas.yamlio import dump_yaml, load_yaml_file  # noqa: E402

LANGS = ("en", "nb", "da")
COUNTRIES = {"norway": "no-", "denmark": "dk-", "other": "xx-"}
TRAITS = {"structured", "collaborative", "leading", "independent", "inventive", "analytical",
          "caring", "steady", "adaptable", "persistent"}
TEXT_FIELDS = ("summary", "tasks", "workplaces", "key_traits", "next_steps", "paths", "review")


def load_register(paths: list[Path]) -> dict[str, dict]:
    register: dict[str, dict] = {}
    for path in paths:
        data = load_yaml_file(path, with_lines=False) or {}
        register.update((data.get("programmes") if "programmes" in data else data) or {})
    return register


def check_entry(occ_id: str, entry: dict, register: dict[str, dict], known_ids: set[str]) -> list[str]:
    problems: list[str] = []
    say = problems.append
    if occ_id not in known_ids:
        say("no such occupation")
    for field in ("summary",):
        if field in entry and set(entry[field] or {}) != set(LANGS):
            say(f"{field}: needs en, nb and da")
    for field, low, high in (("tasks", 4, 6), ("workplaces", 1, 6)):
        if field not in entry:
            continue
        lists = entry[field] or {}
        if set(lists) != set(LANGS):
            say(f"{field}: needs en, nb and da")
            continue
        counts = {len(lists[lang] or []) for lang in LANGS}
        if not all(low <= n <= high for n in counts):
            say(f"{field}: {low}–{high} lines in each language")
        elif field == "tasks" and len(counts) != 1:
            # (workplaces may differ: a Danish page need not list Norwegian-only employers)
            say("tasks: the same number in each language")
    for trait in entry.get("key_traits") or []:
        if trait not in TRAITS:
            say(f"key_traits: unknown trait {trait!r}")
    for step_to in entry.get("next_steps") or []:
        if step_to not in known_ids:
            say(f"next_steps: unknown occupation {step_to!r}")
    for country, steps in (entry.get("paths") or {}).items():
        prefix = COUNTRIES.get(country)
        if prefix is None:
            say(f"paths: unknown country {country!r}")
            continue
        seen: list[str] = []
        for n, step in enumerate(steps or [], 1):
            where = f"paths.{country}[{n}]"
            if "programme" in step:
                pid = step["programme"]
                if not str(pid).startswith((prefix, "xx-")):  # xx-: studying abroad
                    say(f"{where}: {pid} is not a {country} programme")
                elif pid not in register:
                    say(f"{where}: {pid} is not in the register")
                else:
                    before = register[pid].get("after") or []
                    if before and not step.get("optional") and not any(
                            fnmatch.fnmatchcase(done, pattern) for done in seen for pattern in before):
                        say(f"{where}: {pid} needs one of {before} earlier")
                seen.append(pid)
                if str(pid).startswith("xx-") and set((step.get("subject") or {})) not in (set(), set(LANGS)):
                    say(f"{where}: subject needs en, nb and da")
            elif step.get("kind") not in ("work", "course"):
                say(f"{where}: a free step must be of kind work or course")
            elif set(LANGS) - set(step):
                say(f"{where}: a free step needs en, nb and da")
    return problems


def show_entry(occ_id: str, entry: dict, register: dict[str, dict], profile: dict) -> str:
    titles = profile.get("titles") or {}
    lines = [f"== {occ_id}  [{profile.get('onet')}, zone {profile.get('figures', {}).get('job_zone')}]  "
             f"{titles.get('en')} / {titles.get('nb')} / {titles.get('da')}"]
    for lang in LANGS:
        lines.append(f"  {lang}: {(entry.get('summary') or {}).get(lang, '')}")
        for field in ("tasks", "workplaces"):
            items = (entry.get(field) or {}).get(lang) or []
            lines.append(f"     {field}: " + " | ".join(items))
    for country in ("norway", "denmark", "other"):
        steps = (entry.get("paths") or {}).get(country) or []
        lang = {"norway": "nb", "denmark": "da", "other": "en"}[country]
        parts = []
        for step in steps:
            if "programme" in step:
                programme = register.get(step["programme"], {})
                name = (programme.get("name") or {}).get(lang, step["programme"])
                if step.get("subject"):
                    name += f" [{step['subject'].get(lang)}]"
                text = f"{name} ({programme.get('years', '?')}y, L{programme.get('isced', '?')})"
            else:
                text = f"~{step.get(lang)} ({step.get('years')}y)"
            parts.append(("(opt) " if step.get("optional") else "") + text)
        lines.append(f"  {country}: " + " → ".join(parts))
    if entry.get("flags"):
        lines.append(f"  FLAGS {entry['flags']}: {entry.get('flag_note', '')}")
    return "\n".join(lines)


def merge_entry(profile: dict, entry: dict) -> dict:
    profile = dict(profile)
    for field in TEXT_FIELDS:
        if field in entry:
            profile[field] = entry[field]
    for lang, titles in (entry.get("alt_titles") or {}).items():
        alt = profile.setdefault("alt_titles", {})
        have = list(alt.get(lang) or [])
        own = {t.casefold() for t in have} | {str(profile["titles"].get(lang, "")).casefold()}
        alt[lang] = have + [t for t in titles if t.casefold() not in own][: max(0, 12 - len(have))]
    if profile.get("alt_titles"):  # (validate wants every language, if only an empty list)
        profile["alt_titles"] = {lang: profile["alt_titles"].get(lang) or [] for lang in LANGS}
    return profile


def main(argv: list[str] | None = None) -> int:
    root = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("texts", nargs="+", type=Path)
    parser.add_argument("--occupations", type=Path, default=root / "occupations")
    parser.add_argument("--register", type=Path, action="append", default=None,
                        help="register file(s); default: programmes/*.yaml")
    parser.add_argument("--check", action="store_true", help="report problems, write nothing")
    parser.add_argument("--show", action="store_true", help="print entries for reading, write nothing")
    args = parser.parse_args(argv)

    register = load_register(args.register or sorted((root / "programmes").glob("*.yaml")))
    files = {p.stem: p for p in args.occupations.glob("*.yaml") if not p.name.startswith("_")}
    bad = merged = 0
    for texts in args.texts:
        entries = load_yaml_file(texts, with_lines=False) or {}
        for occ_id, entry in entries.items():
            problems = check_entry(occ_id, entry, register, set(files))
            for problem in problems:
                print(f"{texts}: {occ_id}: {problem}", file=sys.stderr)
            bad += bool(problems)
            if args.show and occ_id in files:
                print(show_entry(occ_id, entry, register, load_yaml_file(files[occ_id], with_lines=False)))
            if args.check or args.show or problems:
                continue
            path = files[occ_id]
            profile = merge_entry(load_yaml_file(path, with_lines=False), entry)
            path.write_text(HEADER + dump_yaml(ordered(profile)), encoding="utf-8")
            merged += 1
    print(f"{merged} merged, {bad} with problems", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
