#!/usr/bin/env python3
"""Create or update occupations/*.yaml from an O*NET text release and the crosswalks.

Usage (from the project root, with jobkompas installed):

    python tools/import_onet.py --onet ../shared/data/onet \
        --crosswalk ../shared/data/crosswalks/onet_soc_2019_to_isco08.tsv \
        --styrk ../shared/data/norway/styrk08_klass_nb.csv \
        --disco ../shared/data/denmark/disco08_dst.csv \
        [--titles titles.yaml ...] [--out occupations]

Columns are read by their official names, so a newer ``db_XX_X_text`` directory works as is.
Only ``onet``, ``codes`` and ``figures`` are (re)written; titles, texts, education paths and
notes we wrote are kept. ``--titles`` seeds titles (and the id) for occupations that have no
file yet. Re-running with the same inputs changes nothing. See docs/content.md.
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

from jobkompas.yamlio import dump_yaml, load_yaml_file

RIASEC = "RIASEC"
INTEREST_ELEMENTS = {
    "Realistic": "R", "Investigative": "I", "Artistic": "A",
    "Social": "S", "Enterprising": "E", "Conventional": "C",
}
HIGH_POINT_ELEMENTS = [
    "First Interest High-Point", "Second Interest High-Point", "Third Interest High-Point",
]
# O*NET "Required Level of Education" category -> ISCED 2011 level.
RL_TO_ISCED = {1: 2, 2: 3, 3: 4, 4: 4, 5: 5, 6: 6, 7: 6, 8: 7, 9: 7, 10: 7, 11: 8, 12: 8}
JOB_ZONE_TO_ISCED = {1: 2, 2: 3, 3: 4, 4: 6, 5: 7}
HEADER = (
    "# jobkompas occupation profile.\n"
    "# onet, codes and figures come from tools/import_onet.py and are rewritten by it;\n"
    "# everything else (titles, text, paths, notes) is ours and is kept. See docs/content.md.\n"
)

# The education-path template field for an occupation, by the longest matching SOC prefix.
FIELD_BY_PREFIX = {
    "11": "management", "13": "business", "15": "it", "17-1": "engineering",
    "17-2": "engineering", "17-3": "engineering", "19-1": "science", "19-2": "science",
    "19-3": "social_science", "19-4": "science", "19-5": "engineering", "21": "social",
    "23": "law", "25": "education", "27-1": "design", "27-2": "performing", "27-202": "sport",
    "27-3": "media", "27-4": "media", "29": "health", "31": "health", "31-9096": "nature",
    "33": "security", "35": "food", "37": "service", "37-3": "nature", "39": "service",
    "39-2": "nature", "39-5": "hair", "39-9011": "care", "39-9031": "sport",
    "39-9032": "sport", "39-9041": "care", "41": "sales", "43": "office", "45": "nature",
    "47": "build", "47-2111": "electro", "47-3013": "electro", "47-5": "industry",
    "49-2": "electro", "49-3": "vehicle", "49-9": "industry", "49-9051": "electro",
    "49-9052": "electro", "51": "industry", "51-3": "food", "51-5": "media", "51-6": "textile",
    "51-7": "wood", "51-9071": "crafts", "51-9081": "crafts", "51-9082": "crafts",
    "51-9083": "crafts", "51-9195": "crafts", "53": "transport", "53-2": "aviation",
    "53-5": "maritime", "53-7": "logistics", "25-9042": "care", "25-9043": "care",
    "21-1093": "care", "31-11": "care",
}


def field_for(code: str) -> str:
    best = ""
    for prefix in FIELD_BY_PREFIX:
        if code.startswith(prefix) and len(prefix) > len(best):
            best = prefix
    return FIELD_BY_PREFIX[best] if best else "business"


def read_table(path: Path, delimiter: str = "\t") -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def slugify(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].strip("-")


def snake(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3}


def primary_isco(onet_title: str, rows: list[dict[str, str]]) -> tuple[str, list[str]]:
    """The stated rule for many-to-many matches.

    Prefer a 4-digit unit group over a broader group; then a full (non-partial) BLS match
    over a partial one over an IBS-only one; among equals, the ISCO group whose English title
    shares most words with the O*NET title; then the lowest code. All other candidates are
    kept as secondary codes.
    """

    def rank(row: dict[str, str]) -> tuple[bool, int, int, str]:
        quality = 0 if row["source"] == "bls" and row["bls_part_flag"] != "*" else (
            1 if row["source"] == "bls" else 2)
        overlap = len(_words(onet_title) & _words(row["isco08_title_en"]))
        return (len(row["isco08"]) != 4, quality, -overlap, row["isco08"])

    ordered = sorted(rows, key=rank)
    codes = list(dict.fromkeys(r["isco08"] for r in ordered))
    return codes[0], codes[1:]


def national_group(codes: list[str], titles: dict[str, str]) -> dict[str, str] | None:
    """First of the ISCO codes that the national classification has, else the nearest
    broader group it has (3 digits, then 2)."""
    for length in (4, 3, 2):
        for code in codes:
            if len(code) >= length and code[:length] in titles:
                return {"code": code[:length], "title": titles[code[:length]]}
    return None


def load_sources(args: argparse.Namespace) -> dict:
    onet = Path(args.onet)
    interests: dict[str, dict[str, float]] = defaultdict(dict)
    high_points: dict[str, dict[str, int]] = defaultdict(dict)
    for row in read_table(onet / "Interests.txt"):
        code, name = row["O*NET-SOC Code"], row["Element Name"]
        if row["Scale ID"] == "OI" and name in INTEREST_ELEMENTS:
            interests[code][INTEREST_ELEMENTS[name]] = round(float(row["Data Value"]), 2)
        elif row["Scale ID"] == "IH":
            high_points[code][name] = int(float(row["Data Value"]))
    styles: dict[str, dict[str, float]] = defaultdict(dict)
    for row in read_table(onet / "Work Styles.txt"):
        if row["Scale ID"] == "IM":
            styles[row["O*NET-SOC Code"]][snake(row["Element Name"])] = round(float(row["Data Value"]), 2)
    zones = {r["O*NET-SOC Code"]: int(r["Job Zone"]) for r in read_table(onet / "Job Zones.txt")}
    education: dict[str, dict[int, float]] = defaultdict(dict)
    for row in read_table(onet / "Education, Training, and Experience.txt"):
        if row["Scale ID"] == "RL":
            education[row["O*NET-SOC Code"]][int(row["Category"])] = float(row["Data Value"])
    related: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in read_table(onet / "Related Occupations.txt"):
        if row["Relatedness Tier"].startswith("Primary"):
            related[row["O*NET-SOC Code"]].append((int(row["Index"]), row["Related O*NET-SOC Code"]))
    titles = {r["O*NET-SOC Code"]: r["Title"] for r in read_table(onet / "Occupation Titles.txt")}
    crosswalk: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read_table(Path(args.crosswalk)):
        crosswalk[row["onetsoc_2019"]].append(row)
    styrk = {r["code"]: r["name"] for r in read_table(Path(args.styrk), ",")}
    disco = {r["KODE"]: r["TITEL"] for r in read_table(Path(args.disco), ";")}
    return dict(interests=interests, high_points=high_points, styles=styles, zones=zones,
                education=education, related=related, titles=titles, crosswalk=crosswalk,
                styrk=styrk, disco=disco)


def typical_isced(distribution: dict[int, float], zone: int | None) -> tuple[int, int | None]:
    """ISCED level of the weighted median RL category, or from the Job Zone if RL is missing."""
    total = sum(distribution.values())
    if total > 0:
        running = 0.0
        for category in sorted(distribution):
            running += distribution[category]
            if running >= total / 2:
                return RL_TO_ISCED[category], category
    return JOB_ZONE_TO_ISCED.get(zone or 3, 4), None


def build_figures(code: str, src: dict, ids: dict[str, str]) -> dict:
    interests = src["interests"][code]
    hp = [src["high_points"][code].get(name, 0) for name in HIGH_POINT_ELEMENTS]
    zone = src["zones"].get(code)
    isced, rl_median = typical_isced(src["education"].get(code, {}), zone)
    figures: dict = {
        "interests": {t: interests[t] for t in RIASEC},
        "high_point": "".join(RIASEC[h - 1] for h in hp if 1 <= h <= 6),
    }
    if src["styles"].get(code):
        figures["work_styles"] = dict(sorted(src["styles"][code].items()))
    if zone:
        figures["job_zone"] = zone
    figures["education"] = {"isced": isced, "rl_median": rl_median}
    if src["education"].get(code):
        figures["education"]["rl_distribution"] = {
            k: round(v, 1) for k, v in sorted(src["education"][code].items()) if v > 0
        }
    figures["related"] = [ids[c] for _, c in sorted(src["related"].get(code, [])) if c in ids][:10]
    return figures


def build_codes(code: str, src: dict) -> dict:
    rows = src["crosswalk"].get(code, [])
    codes: dict = {"onet_soc": code}
    if not rows:
        return codes
    primary, others = primary_isco(src["titles"].get(code, ""), rows)
    codes["isco08"] = primary
    if others:
        codes["isco08_other"] = others
    for key, table in (("styrk08", src["styrk"]), ("disco08", src["disco"])):
        group = national_group([primary, *others], table)
        if group:
            codes[key] = group
    return codes


ORDER = ["id", "onet", "titles", "alt_titles", "codes", "figures", "summary", "tasks",
         "workplaces", "key_traits", "next_steps", "paths", "review", "notes"]


def ordered(profile: dict) -> dict:
    keys = [k for k in ORDER if k in profile] + [k for k in profile if k not in ORDER]
    return {k: profile[k] for k in keys}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--onet", required=True, help="O*NET text release directory")
    parser.add_argument("--crosswalk", required=True, help="O*NET-SOC 2019 -> ISCO-08 TSV")
    parser.add_argument("--styrk", required=True, help="STYRK-08 Klass CSV")
    parser.add_argument("--disco", required=True, help="DISCO-08 CSV (;-separated)")
    parser.add_argument("--titles", action="append", default=[], help="YAML: code -> {en, nb, da}")
    parser.add_argument("--out", default="occupations", help="occupation directory")
    args = parser.parse_args(argv)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    src = load_sources(args)
    seed_titles: dict[str, dict] = {}
    for path in args.titles:
        seed_titles.update(load_yaml_file(Path(path), with_lines=False) or {})

    existing: dict[str, tuple[Path, dict]] = {}
    for path in sorted(out.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        data = load_yaml_file(path, with_lines=False)
        existing[data["onet"]] = (path, data)

    codes = sorted(c for c in src["interests"] if len(src["interests"][c]) == 6)
    ids: dict[str, str] = {c: existing[c][1]["id"] for c in codes if c in existing}
    taken = set(ids.values())
    for code in codes:
        if code in ids:
            continue
        title = (seed_titles.get(code) or {}).get("en") or src["titles"].get(code, code)
        slug = slugify(title) or slugify(code)
        if slug in taken:
            slug = f"{slug}-{code.replace('-', '').replace('.', '')}"
        ids[code] = slug
        taken.add(slug)

    written = unchanged = 0
    for code in codes:
        path, profile = existing.get(code, (out / f"{ids[code]}.yaml", {}))
        profile = dict(profile)
        profile["id"] = ids[code]
        profile["onet"] = code
        if "titles" not in profile:
            seed = seed_titles.get(code) or {}
            profile["titles"] = {
                "en": seed.get("en") or src["titles"].get(code, code),
                "nb": seed.get("nb", ""),
                "da": seed.get("da", ""),
            }
        profile["codes"] = build_codes(code, src)
        profile["figures"] = build_figures(code, src, ids)
        profile.setdefault("paths", {"template": field_for(code)})
        text = HEADER + dump_yaml(ordered(profile))
        if path.exists() and path.read_text(encoding="utf-8") == text:
            unchanged += 1
            continue
        path.write_text(text, encoding="utf-8")
        written += 1
    missing = [c for c in codes if not (existing.get(c, (None, {}))[1].get("titles") or seed_titles.get(c))]
    print(f"{len(codes)} occupations: {written} written, {unchanged} unchanged", file=sys.stderr)
    if missing:
        print(f"{len(missing)} new occupations need Norwegian and Danish titles", file=sys.stderr)
    gone = sorted(set(existing) - set(codes))
    for code in gone:
        print(f"note: {existing[code][0]} ({code}) is not in this release; left as is", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
