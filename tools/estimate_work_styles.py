"""Estimate work styles for occupations O*NET gives none, and write them into their files.

An occupation without work-style figures would skip the trait part of the match score and
so rank above occupations that have them. Instead it takes the work styles of the occupation
closest to it: from its own O*NET ``related`` list if one of those has an interest profile
correlating at least 0.5 with its own, else any other, by that correlation. One occupation,
not a mean of several: a mean is smoother than any real profile and so fits the typical
student of a whole group of jobs better than any of those jobs does (measured with
benchmarks/quality.py: a mean of five gave these occupations 1.37× their share of top-10
places, the closest one 1.06×). The file says so:
``figures.work_styles_source: estimated from <id>``.

Only the two new keys are added (after ``high_point``); the rest of each file stays byte
for byte as it was. Occupations that already have figures, O*NET's or estimated, are left
alone, so run it again after ``tools/import_onet.py`` (which rewrites ``figures``).

    python tools/estimate_work_styles.py [--check]
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from jobkompas.catalogue import parse_catalogue  # noqa: E402

K = 1
MIN_CORRELATION = 0.5  # a related occupation whose interests differ this much is not close


def correlation(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    ca, cb = [x - ma for x in a], [x - mb for x in b]
    na, nb = math.sqrt(sum(x * x for x in ca)), math.sqrt(sum(x * x for x in cb))
    return sum(x * y for x, y in zip(ca, cb)) / (na * nb) if na and nb else 0.0


def closest(occ, donors) -> list:
    related = set(occ.related)
    scored = [(correlation(occ.interests, d.interests), d) for d in donors]
    first = sorted((item for item in scored if item[1].id in related and item[0] >= MIN_CORRELATION),
                   key=lambda item: (-item[0], item[1].id))
    rest = sorted((item for item in scored if item not in first), key=lambda item: (-item[0], item[1].id))
    return [d for _, d in (first + rest)[:K]]


def block(styles: dict[str, float], ids: list[str]) -> str:
    lines = ["  work_styles:"]
    lines += [f"    {name}: {value:g}" for name, value in sorted(styles.items())]
    lines.append(f"  work_styles_source: estimated from {', '.join(ids)}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    catalogue = parse_catalogue(ROOT / "occupations")
    donors = [o for o in catalogue.occupations.values() if o.work_styles and not o.work_styles_source]
    missing = [o for o in catalogue.occupations.values() if not o.work_styles]
    for occ in missing:
        chosen = closest(occ, donors)
        names = sorted({n for d in chosen for n in d.work_styles})
        styles = {n: round(sum(d.work_styles[n] for d in chosen if n in d.work_styles)
                           / sum(1 for d in chosen if n in d.work_styles), 2) for n in names}
        path = Path(occ.source)
        text = path.read_text(encoding="utf-8")
        match = re.search(r"^  high_point: .*\n", text, re.M)
        if match is None:
            print(f"{path}: no 'high_point' line under figures", file=sys.stderr)
            return 1
        if not check:
            new = text[:match.end()] + block(styles, [d.id for d in chosen]) + text[match.end():]
            path.write_text(new, encoding="utf-8")
        print(f"{occ.id}: from {', '.join(d.id for d in chosen)}")
    if check and missing:
        print(f"{len(missing)} occupations have no work styles", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
