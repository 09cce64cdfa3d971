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

from jobkompas import codes
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
    broader group it has (3 digits, then 2). Used only when no unit group fits."""
    for length in (4, 3, 2):
        for code in codes:
            if len(code) >= length and code[:length] in titles:
                return {"code": code[:length], "title": titles[code[:length]]}
    return None


# ISCO-08 numbers whose STYRK-08 group of the same number is another job, and the STYRK
# groups to consider instead (codes.STYRK_OTHER_MEANING): Norwegian nurses are 2223,
# specialist nurses 2221; optometrists and opticians 3254; occupational therapists 2267.
STYRK_FOR_ISCO = {"2221": ["2223", "2221"], "2267": ["3254"], "2269": ["2269", "2267"]}


def candidates(system: str, isco_codes: list[str], table: dict[str, str]) -> list[str]:
    """National unit groups for the crosswalk's ISCO codes, in crosswalk order: the same
    number where it means the same job, and for DISCO-08 also its 6-digit Danish groups."""
    out: list[str] = []
    for isco in isco_codes:
        if system == "styrk08":
            mapped = STYRK_FOR_ISCO.get(isco, [isco])
        else:
            mapped = [isco] + sorted(c for c in table if len(c) == 6 and c.startswith(isco))
        out += [c for c in mapped if c in table and c not in out]
    return out


def choose_group(system: str, isco_codes: list[str], table: dict[str, str],
                 titles: list[str], en_titles: list[str]) -> dict[str, str] | None:
    """The national group whose official title names the occupation (docs/content.md).

    Candidates are the crosswalk's groups and any unit group whose title names the primary
    title. The best is the one whose title names the job (2) over one that shares a word stem
    (1) over one that shares nothing (0); then the one whose ISCO-08 group of the same number
    names the job in English; then a 4-digit group over a Danish 6-digit one (which must fit
    better to be chosen); then crosswalk order."""
    pool = candidates(system, isco_codes, table)
    if titles:
        pool += [c for c in codes.naming_groups(system, titles[0]) if c in table and c not in pool]
    if not pool:
        return national_group(isco_codes, table)

    def key(item: tuple[int, str]) -> tuple:
        index, code = item
        primary = codes.strength(table[code], titles[:1])
        national = codes.strength(table[code], titles)
        english = 1 if codes.same_as_isco(system, code[:4], en_titles) else 0
        if len(code) == 6 and national <= codes.strength(table.get(code[:4], ""), titles):
            primary -= 1  # a Danish job group only where it names the job better
            national -= 1
        return (-primary, -national, -english, index)

    best = min(enumerate(pool), key=key)[1]
    return {"code": best, "title": table[best]}


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
    styrk = {r["code"]: r["name"] for r in read_table(Path(args.styrk), ",")
             if r["level"] != "4" or r["code"] != "0000"}
    disco = {r["KODE"]: r["TITEL"] for r in read_table(Path(args.disco), ";")}
    overrides, problems = codes.load_overrides(Path(args.out))
    if problems:
        raise SystemExit("; ".join(str(p) for p in problems))
    return dict(interests=interests, high_points=high_points, styles=styles, zones=zones,
                education=education, related=related, titles=titles, crosswalk=crosswalk,
                styrk=styrk, disco=disco, overrides=overrides)


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


def build_codes(code: str, src: dict, profile: dict) -> dict:
    """ISCO-08 from the crosswalk; STYRK-08 and DISCO-08 chosen by the meaning of their
    official titles, or taken from the reviewed override table."""
    rows = src["crosswalk"].get(code, [])
    result: dict = {"onet_soc": code}
    occ_id = profile.get("id", "")
    overrides = src["overrides"]
    if rows:
        primary, others = primary_isco(src["titles"].get(code, ""), rows)
        result["isco08"] = primary
        if others:
            result["isco08_other"] = others
        isco_codes = [primary, *others]
    else:
        isco_codes = []
    for key, table in (("styrk08", src["styrk"]), ("disco08", src["disco"])):
        override = overrides[key].get(occ_id)
        if override:
            result[key] = {"code": override["code"], "title": table[override["code"]]}
            continue
        titles = job_titles(profile, codes.SYSTEM_LANG[key])
        group = choose_group(key, isco_codes, table, titles, job_titles(profile, "en")) if isco_codes else None
        if group:
            result[key] = group
    return result


def job_titles(profile: dict, lang: str) -> list[str]:
    """The occupation's title and alternative titles in one language (English: also the id)."""
    titles = [(profile.get("titles") or {}).get(lang) or ""]
    titles += list((profile.get("alt_titles") or {}).get(lang) or [])
    if lang == "en" and profile.get("id"):
        titles.append(profile["id"].replace("-", " "))
    return [t for t in titles if t]


def replace_blocks(text: str, blocks: dict[str, str]) -> str:
    """Replace top-level ``key:`` blocks of a YAML text, keeping every other line as it is
    (our text keeps its own line breaks); a key that is not there yet goes before ``summary``
    or at the end."""
    lines = text.splitlines(keepends=True)
    spans: dict[str, tuple[int, int]] = {}
    starts = [i for i, line in enumerate(lines) if line[:1] not in (" ", "#", "\n", "-") and ":" in line]
    for n, i in enumerate(starts):
        key = lines[i].split(":", 1)[0]
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        while end > i + 1 and lines[end - 1].startswith("#"):
            end -= 1  # a comment before the next key belongs to it
        spans[key] = (i, end)
    out = list(lines)
    for key in sorted(blocks, key=lambda k: -spans.get(k, (len(lines) + 1, 0))[0]):
        if key in spans:
            start, end = spans[key]
            out[start:end] = [blocks[key]]
    missing = [k for k in blocks if k not in spans]
    if missing:
        joined = "".join(out)
        addition = "".join(blocks[k] for k in missing)
        anchor = next((spans[k][0] for k in ("summary", "paths") if k in spans), None)
        if anchor is None:
            return joined + addition
        lines2 = joined.splitlines(keepends=True)
        key_at = lines[anchor]
        index = lines2.index(key_at)
        return "".join(lines2[:index]) + addition + "".join(lines2[index:])
    return "".join(out)


ORDER = ["id", "onet", "titles", "alt_titles", "codes", "figures", "summary", "tasks",
         "workplaces", "key_traits", "next_steps", "paths", "review", "notes"]


def ordered(profile: dict) -> dict:
    keys = [k for k in ORDER if k in profile] + [k for k in profile if k not in ORDER]
    return {k: profile[k] for k in keys}


def nordic_figures(sources: list[str], src: dict, ids: dict[str, str]) -> dict:
    """Figures for an occupation O*NET lacks: the mean of the named O*NET occupations."""
    known = [c for c in sources if c in src["interests"] and len(src["interests"][c]) == 6]
    if not known:
        raise SystemExit(f"figures_source names no O*NET occupation with interest scores: {sources}")
    interests = {t: round(statistics.mean(src["interests"][c][t] for c in known), 2) for t in RIASEC}
    ranked = sorted(RIASEC, key=lambda t: (-interests[t], RIASEC.index(t)))
    figures: dict = {"interests": interests, "high_point": "".join(ranked[:3])}
    styles = [src["styles"][c] for c in known if src["styles"].get(c)]
    if styles:
        names = sorted(set().union(*styles))
        figures["work_styles"] = {n: round(statistics.mean(s[n] for s in styles if n in s), 2) for n in names}
    zones = [src["zones"][c] for c in known if c in src["zones"]]
    if zones:
        figures["job_zone"] = round(statistics.mean(zones))
    levels = [typical_isced(src["education"].get(c, {}), src["zones"].get(c))[0] for c in known]
    figures["education"] = {"isced": int(statistics.median_high(levels)), "rl_median": None}
    related = [ids[c] for c in known if c in ids]
    for c in known:
        related += [ids[r] for _, r in sorted(src["related"].get(c, [])) if r in ids]
    figures["related"] = list(dict.fromkeys(related))[:10]
    return figures


def nordic_occupations(out: Path, src: dict, ids: dict[str, str]) -> tuple[int, int]:
    """Files without an O*NET code (Nordic occupations): figures from ``figures_source``,
    codes from the reviewed override table and ``figures_source.isco08``."""
    written = unchanged = 0
    for path in sorted(out.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        data = load_yaml_file(path, with_lines=False)
        if data.get("onet") or not isinstance(data.get("figures_source"), dict):
            continue
        source = data["figures_source"]
        result: dict = {"figures_from": list(source.get("onet") or [])}
        if source.get("isco08"):
            result["isco08"] = str(source["isco08"])
        for key, table in (("styrk08", src["styrk"]), ("disco08", src["disco"])):
            override = src["overrides"][key].get(data["id"])
            if override:
                result[key] = {"code": override["code"], "title": table[override["code"]]}
        figures = nordic_figures(result["figures_from"], src, ids)
        old = path.read_text(encoding="utf-8")
        text = replace_blocks(old, {"codes": dump_yaml({"codes": result}), "figures": dump_yaml({"figures": figures})})
        if text == old:
            unchanged += 1
        else:
            path.write_text(text, encoding="utf-8")
            written += 1
    return written, unchanged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--onet", required=True, help="O*NET text release directory")
    parser.add_argument("--crosswalk", required=True, help="O*NET-SOC 2019 -> ISCO-08 TSV")
    parser.add_argument("--styrk", required=True, help="STYRK-08 Klass CSV")
    parser.add_argument("--disco", required=True, help="DISCO-08 CSV (;-separated)")
    parser.add_argument("--titles", action="append", default=[], help="YAML: code -> {en, nb, da}")
    parser.add_argument("--out", default="occupations",
                        help="occupation directory (also holds the reviewed _code-overrides.yaml)")
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
        if data.get("onet"):  # Nordic occupations without an O*NET code are ours alone
            existing[data["onet"]] = (path, data)

    merged_path = out / "_redirects.yaml"
    merged = load_yaml_file(merged_path, with_lines=False) if merged_path.exists() else {}
    merged_codes = {str(entry.get("onet")) for entry in (merged or {}).values() if isinstance(entry, dict)}
    # (an occupation merged into another is not created again; see _redirects.yaml)
    codes = sorted(c for c in src["interests"] if len(src["interests"][c]) == 6 and c not in merged_codes)
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
        profile["codes"] = build_codes(code, src, profile)
        figures = build_figures(code, src, ids)
        old_figures = profile.get("figures") or {}
        if "work_styles" not in figures and old_figures.get("work_styles_source"):
            # O*NET has no work styles here: keep the estimate (tools/estimate_work_styles.py)
            # and the line naming where it came from, in the place they had
            ordered_figures = {}
            for key, value in figures.items():
                ordered_figures[key] = value
                if key == "high_point":
                    ordered_figures["work_styles"] = old_figures["work_styles"]
                    ordered_figures["work_styles_source"] = old_figures["work_styles_source"]
            figures = ordered_figures
        profile["figures"] = figures
        profile.setdefault("paths", {"template": field_for(code)})
        if path.exists():
            old = path.read_text(encoding="utf-8")
            text = replace_blocks(old, {k: dump_yaml({k: profile[k]}) for k in ("codes", "figures")})
        else:
            text = HEADER + dump_yaml(ordered(profile))
        if path.exists() and old == text:
            unchanged += 1
            continue
        path.write_text(text, encoding="utf-8")
        written += 1
    nordic_written, nordic_unchanged = nordic_occupations(out, src, ids)
    written += nordic_written
    unchanged += nordic_unchanged
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
