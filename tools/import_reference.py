#!/usr/bin/env python3
"""Write the derived reference tables that ship in the package (src/jobkompas/data/).

Usage (from the project root):

    python tools/import_reference.py \
        --styrk ../shared/data/norway/styrk08_klass_nb.csv \
        --disco ../shared/data/denmark/disco08_dst.csv \
        --isco ../shared/data/esco/isco08_titles_en.tsv \
        --earnings ../shared/data/norway/ssb11418_manedslonn_median_2025.tsv \
        --agreed ../shared/data/norway/ssb11418_avtalt_manedslonn_2025.tsv

Only codes, official group names and figures are kept (no notes or descriptions), each
table with the credit its licence asks for. Columns are read by name. See docs/content.md.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "jobkompas" / "data"

GROUPS_HEADER = (
    "# Occupation groups: codes and official names, derived for jobkompas by tools/import_reference.py.\n"
    "# STYRK-08: Statistisk sentralbyrå (SSB), STYRK-08 (Klass 7), all levels (1–4 digits).\n"
    "# DISCO-08: Danmarks Statistik, DISCO-08, all levels (1–4 digits, and 6-digit Danish job groups).\n"
    "# ISCO-08: unit group titles in English, ESCO, European Commission.\n"
)
EARNINGS_HEADER = (
    "# Kilde: Statistisk sentralbyrå (SSB), tabell 11418 (NLOD). Derived for jobkompas by\n"
    "# tools/import_reference.py: STYRK-08 groups (1–4 digits) with a published figure, NOK per month.\n"
    "# median = median månedslønn (agreed pay, irregular supplements and bonus, no overtime, per\n"
    "# full-time equivalent); agreed_q1/agreed_median/agreed_q3 = avtalt månedslønn quartiles.\n"
    "# All sectors, both sexes, full- and part-time employees.\n"
)


def read(path: str, delimiter: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def write(path: Path, header: str, columns: list[str], rows: list[list[str]]) -> None:
    lines = [header, "\t".join(columns) + "\n"]
    lines += ["\t".join(row) + "\n" for row in rows]
    text = "".join(lines)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--styrk", required=True)
    parser.add_argument("--disco", required=True)
    parser.add_argument("--isco", required=True, help="ESCO ISCO-08 English titles TSV")
    parser.add_argument("--earnings", required=True, help="SSB 11418 median månedslønn TSV")
    parser.add_argument("--agreed", required=True, help="SSB 11418 avtalt månedslønn TSV")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    out = Path(args.out)

    groups = [["styrk08", r["code"], r["name"].strip()] for r in read(args.styrk, ",")
              if r["code"] not in ("0000", "000", "00")]
    groups += [["disco08", r["KODE"], r["TITEL"].strip()] for r in read(args.disco, ";")
               ]
    groups += [["isco08", r["isco08"], r["title_en"].strip()] for r in read(args.isco, "\t")
               if r["level"] == "4"]
    write(out / "groups.tsv", GROUPS_HEADER, ["system", "code", "title"], groups)

    # every STYRK-08 level SSB publishes (1–4 digits), not the all-occupations total (level 0)
    median = {r["code"]: r for r in read(args.earnings, "\t") if r["level"] in ("1", "2", "3", "4")}
    agreed = {r["code"]: r for r in read(args.agreed, "\t") if r["level"] in ("1", "2", "3", "4")}
    rows = []
    for code, row in sorted(median.items()):
        if not row["median"].strip() or code.strip("0") == "":  # '00', '000', '0000': not identified
            continue
        a = agreed.get(code, {})
        rows.append([code, row["year"], row["median"], a.get("q1", ""), a.get("median", ""),
                     a.get("q3", ""), row["title_ssb"].strip()])
    write(out / "earnings_no.tsv", EARNINGS_HEADER,
          ["styrk08", "year", "median", "agreed_q1", "agreed_median", "agreed_q3", "title_ssb"], rows)
    print(f"{len(groups)} groups, {len(rows)} earnings rows written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
