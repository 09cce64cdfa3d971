"""Norwegian earnings per STYRK-08 unit group (SSB table 11418), as derived figures.

Only groups for which SSB publishes a figure are in the table; an occupation whose group has
none gets nothing (no estimate, no figure of a broader group). No Danish figures are shown.
"""

from __future__ import annotations

from functools import lru_cache

from .resources import package_data

SOURCE = "Statistisk sentralbyrå (SSB), tabell 11418"
SOURCE_SHORT = "SSB, tabell 11418"
LICENCE = "NLOD"


@lru_cache(maxsize=1)
def table() -> dict[str, dict]:
    out: dict[str, dict] = {}
    with open(package_data("earnings_no.tsv"), encoding="utf-8") as handle:
        header: list[str] | None = None
        for line in handle:
            if line.startswith("#"):
                continue
            cells = line.rstrip("\n").split("\t")
            if header is None:
                header = cells
                continue
            row = dict(zip(header, cells))
            out[row["styrk08"]] = {
                "year": int(row["year"]), "median": int(row["median"]), "title": row["title_ssb"],
                "agreed_q1": int(row["agreed_q1"]) if row["agreed_q1"] else None,
                "agreed_median": int(row["agreed_median"]) if row["agreed_median"] else None,
                "agreed_q3": int(row["agreed_q3"]) if row["agreed_q3"] else None,
            }
    return out


def for_occupation(occ) -> dict | None:
    """The figures for the occupation's STYRK-08 group, or None where SSB has none.

    ``whole_group`` is true when the group's title does not name the job itself (the figure
    is then for a wider group, say 'Tollere' or 'Andre helseyrker')."""
    from .codes import strength, titles_of

    group = occ.codes.get("styrk08") or {}
    row = table().get(group.get("code", ""))
    if row is None:
        return None
    return {
        "styrk08": group["code"], "group": row["title"], "year": row["year"], "unit": "NOK/month",
        "median": row["median"], "agreed_q1": row["agreed_q1"], "agreed_median": row["agreed_median"],
        "agreed_q3": row["agreed_q3"],
        "whole_group": strength(row["title"], titles_of(occ, "nb")[:1]) < 2,
        "source": SOURCE, "licence": LICENCE,
    }


def money(value: int, lang: str) -> str:
    """52340 -> '52 340' (nb, da) or '52,340' (en)."""
    text = f"{value:,}"
    return text if lang == "en" else text.replace(",", "\u00a0")


def earnings_text(occ, lang: str) -> str:
    """One line for screens and reports, or '' where SSB has no figure."""
    from .i18n import translator

    info = for_occupation(occ)
    if info is None:
        return ""
    tr = translator(lang)
    text = tr("Earnings in Norway: median {amount} a month").format(amount=tr("NOK {n}").format(n=money(info["median"], lang)))
    if info["agreed_q1"] and info["agreed_q3"]:
        text += tr(" (agreed pay without supplements: the middle half earn {low}–{high})").format(
            low=money(info["agreed_q1"], lang), high=money(info["agreed_q3"], lang))
    if info["whole_group"]:
        text += tr(", for the whole group {group}").format(group=info["group"])
    end = " " if text.endswith(".") else ". "  # a group named "… mv." has its full stop already
    return text + end + tr("Source: {source}, {year}").format(source=SOURCE_SHORT, year=info["year"])
