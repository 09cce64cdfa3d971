"""The catalogue's columns: per-occupation figures pre-arranged for ranking.

Built from a :class:`~jobkompas.catalogue.Catalogue` once, kept in the catalogue cache and
the wheel's prebuilt data in a packed plain form (:meth:`CatalogueColumns.to_plain`), and
read by the scorers (:mod:`scoring`, :mod:`fastscore`, :mod:`adaptive`). This module belongs
to the catalogue: it uses the scoring rules (:mod:`rules`) and weights (:mod:`weights`) but
never the scorers themselves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from . import rules
from .questions import TRAIT_WORK_STYLES
from .weights import config

if TYPE_CHECKING:
    from .catalogue import Catalogue

TRAITS = tuple(TRAIT_WORK_STYLES)


@dataclass
class CatalogueColumns:
    """Per-occupation figures pre-arranged for fast ranking (about 1 ms for 900)."""

    ids: list[str]
    interest_unit: list[tuple[float, ...]]  # centred, unit-length interest vectors
    interest_cols: list[list[float]]  # the same, one list per type
    trait_z: list[dict[str, float]]  # catalogue z-score of each trait importance (for reasons)
    trait_shape: list[dict[str, float]]  # with key traits, centred on the job's own mean (for the score)
    levels: dict[str, list[int]]  # per country: the ISCED level of the path shown there
    routes: dict[str, list[str]]  # per country: practical or school (see route_of)
    left_out: dict[str, list[bool]]  # per country: not recommended there
    families: list[str | None]  # ISCO-08 minor group (rules.family), for spreading the top 10
    key_traits: list[list[str]]  # the traits each job's page names (rules.job_traits)
    units: list[str | None]  # ISCO-08 unit group (4 digits), for the activity links (rules.linked_score)
    _trait_vectors: dict = field(default_factory=dict, repr=False, compare=False)

    def trait_vectors(self, names: tuple[str, ...]) -> list[tuple[list[float], float]]:
        """Per occupation: the z-scores of ``names`` (0 where missing) and their length. The
        same for every respondent who answered those traits (nearly all answer all), so
        worked out once per set of names."""
        if names not in self._trait_vectors:
            vectors = []
            for z in self.trait_shape:
                zs = [z.get(t, 0.0) for t in names]
                vectors.append((zs, math.sqrt(sum(v * v for v in zs))))
            self._trait_vectors[names] = vectors
        return self._trait_vectors[names]

    def trait_columns(self, names: tuple[str, ...]) -> tuple[list[list[float]], list[float]]:
        """:meth:`trait_vectors` turned around: per trait, its z-score in every occupation;
        and every occupation's length. Ranking sums trait by trait over whole columns."""
        key = ("columns", names)
        if key not in self._trait_vectors:
            vectors = self.trait_vectors(names)
            self._trait_vectors[key] = ([list(col) for col in zip(*(zs for zs, _ in vectors))] or [[] for _ in names],
                                        [norm for _, norm in vectors])
        return self._trait_vectors[key]

    @classmethod
    def build(cls, catalogue: "Catalogue") -> "CatalogueColumns":
        from .resources import COUNTRIES

        occupations = list(catalogue.occupations.values())
        units = [interest_unit(o.interests) for o in occupations]
        stats = {}
        for trait in TRAITS:
            vals = [o.traits[trait] for o in occupations if trait in o.traits]
            mean = sum(vals) / len(vals) if vals else 0.0
            sd = math.sqrt(sum((v - mean) ** 2 for v in vals) / len(vals)) if vals else 1.0
            stats[trait] = (mean, sd or 1.0)
        trait_z = [{t: (o.traits[t] - stats[t][0]) / stats[t][1] for t in TRAITS if t in o.traits}
                   for o in occupations]
        levels = {k: [rules.comparable_level(catalogue.path_level(o, k)) for o in occupations] for k in COUNTRIES}
        key_traits = [list(o.key_traits) for o in occupations]
        return cls(
            ids=[o.id for o in occupations], interest_unit=units,
            interest_cols=[[u[k] for u in units] for k in range(6)], trait_z=trait_z,
            trait_shape=job_trait_shapes(trait_z, key_traits), levels=levels,
            routes={k: [route_of(level, o.job_zone) for level, o in zip(levels[k], occupations)] for k in COUNTRIES},
            left_out={k: [o.left_out_in(k) for o in occupations] for k in COUNTRIES},
            families=[rules.family(o.codes.get("isco08")) for o in occupations], key_traits=key_traits,
            units=[unit_group(o.codes.get("isco08")) for o in occupations],
        )

    def country(self, country: str | None) -> str:
        """The country whose levels and exclusions apply ("other" for anything unknown)."""
        return country if country in self.levels else "other"

    def to_plain(self) -> dict:
        """Packed doubles for the cache (marshal reads bytes far faster than float lists)."""
        from array import array

        nan = float("nan")
        return {
            "ids": self.ids, "levels": self.levels, "routes": self.routes, "left_out": self.left_out,
            "families": self.families, "key_traits": self.key_traits, "unit_groups": self.units,
            "units": array("d", [x for u in self.interest_unit for x in u]).tobytes(),
            "trait_z": array("d", [z.get(t, nan) for z in self.trait_z for t in TRAITS]).tobytes(),
        }

    @classmethod
    def from_plain(cls, plain: dict) -> "CatalogueColumns":
        from array import array

        units_flat = array("d")
        units_flat.frombytes(plain["units"])
        z_flat = array("d")
        z_flat.frombytes(plain["trait_z"])
        n, k = len(plain["ids"]), len(TRAITS)
        units = [tuple(units_flat[i * 6:(i + 1) * 6]) for i in range(n)]
        trait_z = [{t: v for t, v in zip(TRAITS, z_flat[i * k:(i + 1) * k]) if v == v} for i in range(n)]
        return cls(ids=list(plain["ids"]), interest_unit=units,
                   interest_cols=[[u[c] for u in units] for c in range(6)], trait_z=trait_z,
                   trait_shape=job_trait_shapes(trait_z, plain["key_traits"]),
                   levels={k: list(v) for k, v in plain["levels"].items()},
                   routes={k: list(v) for k, v in plain["routes"].items()},
                   left_out={k: list(v) for k, v in plain["left_out"].items()},
                   families=list(plain["families"]), key_traits=[list(k) for k in plain["key_traits"]],
                   units=list(plain["unit_groups"]))


def unit_group(isco08: str | None) -> str | None:
    """An occupation's ISCO-08 unit group (its 4-digit code), or ``None`` without one."""
    code = (isco08 or "").strip()
    return code if len(code) == 4 and code.isdigit() else None


def job_trait_shapes(trait_z: list[dict[str, float]], key_traits: list[list[str]]) -> list[dict[str, float]]:
    """Every job's trait shape for the score: :func:`rules.job_traits`, then
    :func:`rules.trait_shape`."""
    weight = config()["weights"]["key_trait"]
    return [rules.trait_shape(rules.job_traits(z, key, weight)) for z, key in zip(trait_z, key_traits)]


def route_of(level: int, job_zone: int | None) -> str:
    """practical (apprenticeship/vocational) or school (academic), for education fit: a path
    up to a fagskole/erhvervsakademi level for a job O*NET puts in job zone 1–3 is practical."""
    return "practical" if level <= 5 and (job_zone or 3) <= 3 else "school"


def interest_unit(interests: Iterable[float]) -> tuple[float, ...]:
    """An occupation's six interest scores centred and scaled to length 1."""
    values = list(interests)
    mean = sum(values) / 6
    centred = [x - mean for x in values]
    norm = math.sqrt(sum(c * c for c in centred)) or 1.0
    return tuple(c / norm for c in centred)
