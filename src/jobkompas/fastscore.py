"""Vectorised scoring for batches: the method of :mod:`scoring`, many respondents at once.

Only the batch CSV output uses this (it needs no reason texts); tests check that it ranks
exactly as the one-respondent path does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from .catalogue import Catalogue
from .questions import RIASEC, UNSURE, QuestionBank
from .scoring import TRAITS, config

MISSING, NOT_SURE = 0, -1
_VALID_DIGITS = str.maketrans("", "", "12345")


@dataclass
class Column:
    kind: str  # interest | trait | country | highest | route | language | form | other
    index: int  # type index, trait index, or -1
    lookup: dict[str, Any]


def build_columns(header: Sequence[str], bank: QuestionBank) -> list[Column]:
    scale = {str(v): v for v in range(1, 6)} | {"": MISSING, UNSURE: NOT_SURE, "not sure": NOT_SURE, "?": NOT_SURE}
    columns = []
    for name in header[1:]:
        q = bank.questions.get(name)
        if q is not None and q.block == "interest":
            columns.append(Column("interest", RIASEC.index(q.dimension), scale))
        elif q is not None and q.block == "trait":
            columns.append(Column("trait", TRAITS.index(q.dimension), scale))
        elif name == "country" or (q is not None and q.dimension == "country"):
            from .answers import COUNTRY_ALIASES

            options = {o.id: o.id for o in bank.education("country").options} | COUNTRY_ALIASES | {"": None}
            columns.append(Column("country", -1, options))
        elif q is not None and q.dimension == "highest_level":
            columns.append(Column("highest", -1, {o.id: o.isced for o in q.options} | {"": None, UNSURE: None}))
        elif q is not None and q.dimension == "route":
            columns.append(Column("route", -1, {o.id: o.id for o in q.options} | {"": None, UNSURE: None}))
        elif q is not None and q.dimension == "current_level":
            columns.append(Column("other", -1, {o.id: o.id for o in q.options} | {"": None, UNSURE: None}))
        elif name == "language":
            columns.append(Column("language", -1, {"en": "en", "nb": "nb", "da": "da", "": None}))
        else:
            columns.append(Column("other", -1, {}))  # e.g. form: not used in scoring
    return columns


class FastScorer:
    """Score chunks of rows. Interest and trait cells become one character each ('1'–'5',
    '0' missing, 'u' not sure), so a row is a short string and a chunk decodes in one numpy
    call; education cells go through small lookups. ``parse`` returns ``None`` for a row
    that needs the careful (error-reporting) path."""

    def __init__(self, header: Sequence[str], bank: QuestionBank, catalogue: Catalogue, top: int) -> None:
        import operator

        self.columns = build_columns(header, bank)
        self.top = top
        cols = catalogue.columns
        self.ids = np.array(cols.ids, dtype=object)
        self.U = np.array(cols.interest_unit, dtype=np.float32)  # (occupations, 6)
        self.Z = np.array([[z.get(t, 0.0) for t in TRAITS] for z in cols.trait_z], dtype=np.float32)
        self.Z2 = self.Z ** 2
        self.has_z = self.Z2.sum(axis=1) > 0
        self.full_z_norm = np.sqrt(self.Z2.sum(axis=1))
        self.required = np.array(cols.isced)
        self.route = np.array([1 if r == "practical" else 2 for r in cols.route])
        cfg = config()
        self.w = cfg["weights"]
        self.edu = cfg["education_fit"]
        self.flags = cfg["flags"]
        scale_positions = [j for j, c in enumerate(self.columns) if c.kind in ("interest", "trait")]
        self.scale_kinds = [self.columns[j] for j in scale_positions]
        self.n_scale = len(scale_positions)
        self._scale_cells = operator.itemgetter(*[j + 1 for j in scale_positions]) if scale_positions else (lambda row: ())
        self.other_positions = [j for j, c in enumerate(self.columns) if c.kind in ("country", "highest", "route", "language")]
        is_interest = np.array([c.kind == "interest" for c in self.scale_kinds])
        self.interest_pos = np.flatnonzero(is_interest)
        self.trait_pos = np.flatnonzero(~is_interest) if self.n_scale else np.array([], dtype=int)
        self.type_of = np.zeros((len(self.interest_pos), 6))
        for k, pos in enumerate(self.interest_pos):
            self.type_of[k, self.scale_kinds[pos].index] = 1
        self.trait_of = np.zeros((len(self.trait_pos), len(TRAITS)))
        for k, pos in enumerate(self.trait_pos):
            self.trait_of[k, self.scale_kinds[pos].index] = 1
        self._char = {"1": "1", "2": "2", "3": "3", "4": "4", "5": "5", "": "0", UNSURE: "u", "not sure": "u", "?": "u"}
        self._edu_tables: dict[tuple[float, int], np.ndarray] = {}

    def parse(self, row: Sequence[str]) -> tuple[str, tuple] | None:
        cells = self._scale_cells(row)
        if self.n_scale == 1:
            cells = (cells,)
        joined = "".join(cells)
        if len(joined) != self.n_scale or joined.translate(_VALID_DIGITS):
            chars = []
            for cell in cells:
                char = self._char.get(cell.strip().lower())
                if char is None:
                    return None
                chars.append(char)
            joined = "".join(chars)
        others = []
        for j in self.other_positions:
            column, cell = self.columns[j], row[j + 1]
            value = column.lookup.get(cell, column)
            if value is column:
                value = column.lookup.get(cell.strip().lower(), column)
                if value is column:
                    return None
            others.append((column.kind, value))
        return joined, tuple(others)

    def _education_table(self, highest: float, pref: int) -> np.ndarray:
        key = (highest, pref)
        table = self._edu_tables.get(key)
        if table is None:
            gap = self.required - highest
            g = self.edu["gap"]
            fit = np.where(gap <= -3, self.edu["far_below"], np.where(gap <= 0, 1.0, np.where(
                gap == 1, g[1], np.where(gap == 2, g[2], g[3]))))
            if pref:
                fit = np.clip(fit - np.where(self.route != pref, self.edu["route_mismatch"], 0.0), 0.0, None)
            table = self._edu_tables[key] = fit.astype(np.float32)
        return table

    def score(self, parsed: list[tuple[str, tuple]]) -> list[list[Any]]:
        """Batch CSV cells (without the id) for each parsed respondent."""
        n = len(parsed)
        if n == 0:
            return []
        raw_codes = np.frombuffer("".join(p[0] for p in parsed).encode("ascii"), dtype=np.uint8).reshape(n, self.n_scale)
        codes = raw_codes.astype(np.int16) - ord("0")
        codes[raw_codes == ord("u")] = NOT_SURE
        if ((codes > 5) | ((codes < 0) & (codes != NOT_SURE))).any():
            raise ValueError("digits outside 0–5 must be caught by parse()")
        interest = codes[:, self.interest_pos].astype(float)
        traits = codes[:, self.trait_pos].astype(float)
        highest = np.full(n, np.nan)
        pref = np.zeros(n, dtype=int)
        for i, (_, others) in enumerate(parsed):
            for kind, value in others:
                if kind == "highest" and value is not None:
                    highest[i] = value
                elif kind == "route":
                    pref[i] = {"practical": 1, "school": 2}.get(value, 0)

        answered = interest > 0
        counts = answered.astype(float) @ self.type_of
        sums = np.where(answered, interest, 0) @ self.type_of
        unsure = (interest == NOT_SURE).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            raw = (sums / counts - 1) / 4 * 100
        known = ~np.isnan(raw)
        known_count = known.sum(axis=1)
        fill = np.where(known_count > 0, np.where(known, raw, 0).sum(axis=1) / np.maximum(known_count, 1), 50.0)
        scores = np.round(np.where(known, raw, fill[:, None]), 1)
        total_answered = counts.sum(axis=1)
        big = np.where(answered, interest, -np.inf).max(axis=1)
        small = np.where(answered, interest, np.inf).min(axis=1)
        spread = scores.max(axis=1) - scores.min(axis=1)
        no_variation = (total_answered == 0) | (big == small) | (spread < 1e-9)
        too_few = (total_answered < self.flags["min_interest_answers"]) | (counts.min(axis=1) < self.flags["min_per_type"])
        flat = ~no_variation & (spread < self.flags["flat_range"])
        order = np.argsort(-scores, axis=1, kind="stable")
        ranked_scores = np.take_along_axis(scores, order, axis=1)
        uncertain = ~no_variation & (ranked_scores[:, 2] - ranked_scores[:, 3] < self.flags["tie_margin"])
        with np.errstate(invalid="ignore", divide="ignore"):
            many_unsure = np.where(total_answered + unsure > 0, unsure / np.maximum(total_answered + unsure, 1), 0) > self.flags["many_unsure_share"]
        none = no_variation | (total_answered < 6)
        confidence = np.where(none, "none", np.where(too_few | flat, "low", np.where(uncertain | many_unsure, "medium", "high")))

        # interest fit: correlation of the shapes
        centred = scores - scores.mean(axis=1, keepdims=True)
        norm = np.sqrt((centred ** 2).sum(axis=1, keepdims=True))
        person = np.divide(centred, norm, out=np.zeros_like(centred), where=norm > 1e-9).astype(np.float32)
        wi, wt, we = (np.float32(self.w[k]) for k in ("interest", "traits", "education"))
        numerator = person @ (self.U.T * (wi / 2))
        numerator += wi / 2
        denominator = np.full((n, 1), wi, dtype=np.float32)

        # trait fit: own-centred trait profile against catalogue z-scores (cosine)
        t_answered = traits > 0
        t_counts = t_answered.astype(float) @ self.trait_of
        t_sums = np.where(t_answered, traits, 0) @ self.trait_of
        with np.errstate(invalid="ignore", divide="ignore"):
            t_scores = np.round((t_sums / t_counts - 1) / 4 * 100, 1)
        mask = t_counts > 0
        n_traits = mask.sum(axis=1, keepdims=True)
        t_mean = np.where(mask, t_scores, 0).sum(axis=1, keepdims=True) / np.maximum(n_traits, 1)
        d = np.where(mask, t_scores - t_mean, 0)
        d_norm = np.sqrt((d ** 2).sum(axis=1, keepdims=True))
        usable = (n_traits[:, 0] >= 3) & (d_norm[:, 0] >= 1e-9)
        if usable.any():
            d = np.divide(d, d_norm, out=np.zeros_like(d), where=d_norm > 1e-9).astype(np.float32)
            d[~usable] = 0
            if mask[usable].all():
                z_norm = self.full_z_norm[None, :]
            else:
                z_norm = np.sqrt(mask.astype(np.float32) @ self.Z2.T)
            with np.errstate(invalid="ignore", divide="ignore"):
                cosine = np.where(z_norm > 0, (d @ self.Z.T) / z_norm, 0)
            present = usable[:, None] & (z_norm > 0)
            numerator += np.where(present, (1 + cosine) * (wt / 2), 0)
            denominator = denominator + np.where(present, wt, 0).astype(np.float32)

        # education fit: one small table per (highest level, preferred route)
        has_edu = ~np.isnan(highest)
        if has_edu.any():
            keys = list(zip(highest.tolist(), pref.tolist()))
            edu = np.stack([self._education_table(h, p) if not np.isnan(h) else np.zeros_like(self.required, dtype=np.float32)
                            for h, p in keys])
            numerator += edu * we
            denominator = denominator + np.where(has_edu, we, 0).astype(np.float32)[:, None]
        total = 100 * numerator / denominator

        top = min(self.top, total.shape[1])
        best = np.sort(np.argpartition(-total, top - 1, axis=1)[:, :top], axis=1)
        best_values = np.take_along_axis(total, best, axis=1)
        ranked = np.take_along_axis(best, np.argsort(-best_values, axis=1, kind="stable"), axis=1)
        ranked_values = np.round(np.take_along_axis(total, ranked, axis=1).astype(np.float64), 1).tolist()
        ranked_ids = self.ids[ranked].tolist()
        codes_text = ["".join(RIASEC[k] for k in row) for row in order[:, :3].tolist()]
        flag_names = np.array(["no_variation", "too_few_answers", "flat_profile", "uncertain_code", "many_unsure"])
        flag_matrix = np.stack([no_variation, too_few, flat, uncertain, many_unsure], axis=1)
        score_rows = scores.tolist()
        conf = confidence.tolist()
        rows = []
        empty = [""] * (2 * top)
        for i in range(n):
            flags = " ".join(flag_names[flag_matrix[i]]) if flag_matrix[i].any() else ""
            row = [codes_text[i], *score_rows[i], conf[i], flags]
            if none[i]:
                row += empty
            else:
                row += [x for pair in zip(ranked_ids[i], ranked_values[i]) for x in pair]
            rows.append(row)
        return rows
