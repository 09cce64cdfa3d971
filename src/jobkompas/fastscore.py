"""Vectorised scoring for batches: the method of :mod:`scoring`, many respondents at once.

Only the batch CSV output uses this (it needs no reason texts); tests check that it ranks
and rounds exactly as the one-respondent path does.

Every rule is :mod:`rules`' own: the flags and confidence are its functions applied to whole
columns, the exact re-scoring calls its match score on arrays, and the matrix below is built
from coefficients read off its rules (which must stay affine for that; a rule that does not
is refused, not approximated).

Speed comes from folding the whole match score into one matrix product. For a respondent
whose trait answers cover every trait, each occupation's score is linear in a short
feature vector: the unit RIASEC profile, a constant and the unit trait profile. The
weights' denominator depends only on which parts are present, and the education part only
on (highest level, preferred route), so respondents are grouped by those and each group
gets its own occupation matrix with weights, education and the 100× folded in. The best ``top`` of ~900 scores
are then found without sorting them: occupations are cut into blocks of ten, and the top
ten scores always lie in the ten blocks with the highest maxima.

The activity links (:func:`rules.linked_score`) move the score of the occupations linked
to what a respondent likes or dislikes. Per respondent and occupation that is a scale and a
shift of the score (read off the rule itself), so it is applied per block of respondents to
the product (the same rule on arrays) before the best are picked, and again in float64 to
the exact scores.

The product runs in float32. Rows where that could decide anything (two candidates within
``NEAR`` of each other, a score within ``NEAR`` of a rounding boundary) and rows the
product cannot express (only some traits answered) are scored again in float64 with the
plain formula, which is the scalar path's arithmetic.
"""

from __future__ import annotations

import threading

import numpy as np

from . import rules
from .batchcsv import EMPTY, MISSING, NOT_SURE, Layout
from .catalogue import Catalogue
from .columns import TRAITS
from .questions import RIASEC, QuestionBank
from .resources import COUNTRIES
from .rules import CONFIDENCE_NAMES, FLAG_NAMES  # noqa: F401 (the batch writer's columns, with the scorer)
from .scoring import education_fit
from .weights import config

BLOCK = 10  # occupations per block when looking for the best scores
ROWS_PER_PRODUCT = 1024  # respondents per matrix product: the scores stay in cache
NEAR = 2e-4  # float32 scores closer than this (0–100 scale) are settled in float64

SPREAD_DEEPER = 100  # rows whose spread window the first depth cannot fill are ranked this much deeper
LEFT_OUT = -1e9  # the constant of an occupation not recommended in a country: never ranked


class Ranked:
    """Per respondent: profile, flags and the best matches, as arrays (see ``ResultWriter``)."""

    def __init__(self, code: np.ndarray, tenths: np.ndarray, confidence: np.ndarray, flags: np.ndarray,
                 matches: np.ndarray, match_tenths: np.ndarray) -> None:
        self.code = code  # (n, 3) type indices of the Holland code
        self.tenths = tenths  # (n, 6) RIASEC scores ×10
        self.confidence = confidence  # (n,) index into CONFIDENCE_NAMES
        self.flags = flags  # (n,) bit k set = FLAG_NAMES[k]
        self.matches = matches  # (n, top) occupation index, -1 where there is none
        self.match_tenths = match_tenths  # (n, top) score ×10


class FastScorer:
    def __init__(self, layout: Layout, bank: QuestionBank, catalogue: Catalogue, top: int,
                 country: str | None = None) -> None:
        cols = catalogue.columns
        self.m = len(cols.ids)
        # per row: the --country given, else the row's EDU-country, else "other"
        self.country_override = COUNTRIES.index(cols.country(country)) if country else None
        self.country_col = layout.choice_column("EDU-country")
        self.country_of_value = np.array([COUNTRIES.index(cols.country(v)) for v in layout.choice_values[self.country_col]]
                                         if self.country_col is not None else [], dtype=np.int64)
        self.left_out = np.array([cols.left_out[k] for k in COUNTRIES], dtype=bool)  # (country, occupation)
        recommended = int((~self.left_out).sum(axis=1).min())
        display = config()["display"]
        self.cap, self.window = display["family_cap"], display["spread_window"]
        # family of each occupation (rules.family) as a number; None stays None (never waits)
        names = sorted({f for f in cols.families if f is not None})
        self.family_of = [None if f is None else names.index(f) for f in cols.families]
        self.family_code = np.array([-1 if f is None else f for f in self.family_of], dtype=np.int64)
        self.shown = min(top, recommended)
        # ranked this deep, then spread (rules.spread): enough once the window is filled from
        # it (everything after the window is then in its own order); other rows are ranked whole
        self.top = min(top + 2 * self.window, recommended)
        self.recommended = recommended
        self.id_rank = np.argsort(np.argsort(np.array(cols.ids)))  # ties are broken by id
        kinds = [bank.questions[layout.header[c]] for c in layout.scale_columns]
        self.interest_pos = np.array([k for k, q in enumerate(kinds) if q.block == "interest"], dtype=np.int64)
        self.trait_pos = np.array([k for k, q in enumerate(kinds) if q.block == "trait"], dtype=np.int64)
        self.interest_cols, self.trait_cols = _as_slice(self.interest_pos), _as_slice(self.trait_pos)
        self.type_of = np.zeros((len(self.interest_pos), 6), dtype=np.float32)
        for k, pos in enumerate(self.interest_pos):
            self.type_of[k, RIASEC.index(kinds[pos].dimension)] = 1
        # activity links (rules.linked_score): which interest columns are linked, and to
        # which occupations (those of the item's ISCO-08 unit groups it does not leave out:
        # Question.links_to, the rule the one-respondent path uses)
        linked = [(k, kinds[pos].links) for k, pos in enumerate(self.interest_pos) if kinds[pos].links]
        self.link_cols = np.array([k for k, _ in linked], dtype=np.int64)
        self.link_map = np.array([[kinds[self.interest_pos[k]].links_to(unit, oid) for unit, oid in zip(cols.units, cols.ids)]
                                  for k, _ in linked], dtype=np.float64).reshape(len(linked), self.m)
        self.link_weight = config()["weights"]["activity_link"]
        self.link_type_share = config()["weights"]["activity_type_share"]
        self.trait_reverse = np.array([kinds[pos].reverse for pos in self.trait_pos], dtype=bool)
        self.trait_of = np.zeros((len(self.trait_pos), len(TRAITS)), dtype=np.float32)
        for k, pos in enumerate(self.trait_pos):
            self.trait_of[k, TRAITS.index(kinds[pos].dimension)] = 1

        # education: one code per (ISCED level of the highest option, preferred route)
        self.highest_col = layout.choice_column("EDU-highest")
        self.route_col = layout.choice_column("EDU-route")
        highest_q = bank.education("highest_level")
        levels = sorted({o.isced for o in highest_q.options}) if highest_q else []
        self.level_of_option = np.array([levels.index(o.isced) for o in highest_q.options] if highest_q else [], dtype=np.int64)
        route_q = bank.education("route")
        route_values = [o.id for o in route_q.options] if route_q else []
        self.pref_of_option = np.array([("", "practical", "school").index(r) if r in ("practical", "school") else 0
                                        for r in route_values], dtype=np.int64)
        prefs = (None, "practical", "school")
        # (country, education code, occupation): the path level and route differ by country
        edu = []
        for country in COUNTRIES:
            pairs = sorted(set(zip(cols.levels[country], cols.routes[country])))  # a dozen (level, route) pairs
            kind_of = np.array([pairs.index(k) for k in zip(cols.levels[country], cols.routes[country])], dtype=np.int64)
            fits = np.array([[education_fit(req, level, route, pref) for req, route in pairs]
                             for level in levels for pref in prefs], dtype=np.float64).reshape(-1, len(pairs))
            edu.append(fits[:, kind_of])
        self.edu = np.array(edu)
        cfg = config()
        self.flag_cfg = cfg["flags"]
        self.U = np.array(cols.interest_unit, dtype=np.float64)  # (m, 6)
        self.Z = np.array([[z.get(t, 0.0) for t in TRAITS] for z in cols.trait_shape], dtype=np.float64)
        self.Z2 = self.Z ** 2
        self.z_norm = np.sqrt(self.Z2.sum(axis=1))
        self.has_z = self.z_norm > 0
        self.blocks = -(-self.m // BLOCK)
        self.width = self.blocks * BLOCK
        self._buffers = threading.local()
        self.groups = [(u, code, k) for k in range(len(COUNTRIES)) for u in (False, True)
                       for code in (None, *range(self.edu.shape[1]))]
        self._products: dict = {}  # built on first use, on the worker threads

    # ------------------------------------------------------------ the folded matrices

    def _product_matrix(self, traits: bool, education: int | None,
                        country: int) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
        """Occupation side of the product for respondents with (traits usable, education code,
        country):
        float32 in ``BLOCK`` slices for ranking, float64 by occupation for exact scores, and
        each occupation's coefficient of the interest fit (for the activity links).

        The education part is a constant per occupation once the code (highest level,
        preferred route) is known, so it joins the constant row: one matrix per code keeps
        the product 17 wide instead of 35.

        Block b holds occupations b, b + blocks, b + 2·blocks, … (any split into blocks
        works): slice k of the product is then a small matrix that stays in cache while the
        block maxima take it in, one elementwise max per slice.
        """
        present_t = self.has_z if traits else np.zeros(self.m, dtype=bool)
        has_edu = education is not None
        weights = config()["weights"]
        # the rules themselves, read off as coefficients (each must be affine to fold)
        ia, ib = _affine(rules.interest_fit)
        ta, tb = _affine(lambda x: rules.trait_fit(x, 1.0))
        with_t, without_t = _score_coefficients(True, has_edu, weights), _score_coefficients(False, has_edu, weights)
        k0, ki, kt, ke = (np.where(present_t, a, b) for a, b in zip(with_t, without_t))
        z_unit = np.divide(self.Z, self.z_norm[:, None], out=np.zeros_like(self.Z), where=self.has_z[:, None])
        constant = k0 + ki * ia + kt * ta
        if has_edu:
            constant = constant + ke * self.edu[country, education]
        constant = np.where(self.left_out[country], LEFT_OUT, constant)
        rows = [self.U.T * (ki * ib)[None, :], constant[None, :], z_unit.T * (kt * tb)[None, :]]
        matrix = np.concatenate(rows, axis=0)
        padded = np.zeros((matrix.shape[0], self.width))
        padded[:, :self.m] = matrix
        slices = [np.ascontiguousarray(padded[:, k * self.blocks:(k + 1) * self.blocks], dtype=np.float32)
                  for k in range(BLOCK)]
        return slices, np.ascontiguousarray(padded.T), ki

    def _activity_move(self, p: "_Profiles", rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """How the activity links (:func:`rules.linked_score`) move the rows' scores, per
        occupation (padded to whole blocks): for a given signal the rule is affine in the
        score, so for the float32 product it is (scale, shift), moved = scale × score + shift,
        read off the rule at scores 0 and 100; the signal itself is kept for the exact scores.
        ``None`` when no row answered a linked item other than neutrally."""
        signal = p.signal(rows)
        if signal is None:
            return None
        scale, shift, padded = (np.ones((len(rows), self.width)), np.zeros((len(rows), self.width)),
                                np.zeros((len(rows), self.width)))
        at0 = rules.linked_score(0.0, signal, self.link_weight, where=np.where)
        scale[:, :self.m] = (rules.linked_score(100.0, signal, self.link_weight, where=np.where) - at0) / 100
        shift[:, :self.m] = at0
        padded[:, :self.m] = signal
        return scale, shift, padded

    # ------------------------------------------------------------ ranking

    def rank(self, scale: np.ndarray, choice: np.ndarray) -> Ranked:
        n = len(scale)
        p = _Profiles(self, scale, choice)
        matches = np.full((n, self.top), -1, dtype=np.int64)
        values = np.zeros((n, self.top), dtype=np.float64)
        # some traits only, or no interest part: the product cannot express it
        exact = ((p.usable & ~p.all_traits) | ~p.has_interest) & p.scorable
        features = p.features()
        features32 = features.astype(np.float32)
        scores = getattr(self._buffers, "scores", None)
        if scores is None:  # one per thread, kept: a fresh 4 MB block each time costs page faults
            scores = self._buffers.scores = np.empty((BLOCK, ROWS_PER_PRODUCT, self.blocks), dtype=np.float32)
        code = np.where(p.has_edu, p.edu_code, -1)
        for u, e, k in self.groups:
            group = np.flatnonzero(p.scorable & ~exact & (p.usable == u) & (code == (-1 if e is None else e))
                                   & (p.country == k))
            if not len(group):
                continue
            if (u, e, k) not in self._products:  # two threads may both build it: same result
                self._products[u, e, k] = self._product_matrix(u, e, k)
            slices, matrix64, _ = self._products[u, e, k]
            for start in range(0, len(group), ROWS_PER_PRODUCT):
                rows = group[start:start + ROWS_PER_PRODUCT]
                block = features32[rows]
                for k, part in enumerate(slices):
                    np.matmul(block, part, out=scores[k, :len(rows)])
                move = self._activity_move(p, rows)
                if move is not None:  # occupation k·blocks + j sits at (k, row, j)
                    scale, shift = (part.reshape(len(rows), BLOCK, self.blocks).transpose(1, 0, 2) for part in move[:2])
                    scores[:, :len(rows)] *= scale
                    scores[:, :len(rows)] += shift
                best, best_values, unsure = self._best(scores, len(rows), features[rows], matrix64, move)
                matches[rows], values[rows] = best, best_values
                exact[rows[unsure]] = True
        redo = np.flatnonzero(exact)
        if len(redo):
            matches[redo], values[redo] = self._best_exact(p, redo)
        matches, values = self._spread(p, matches, values)
        tenths = _tenths(values)
        tenths[matches < 0] = 0
        return Ranked(p.code, p.tenths, p.confidence, p.flags, matches, tenths)

    def _best(self, scores: np.ndarray, n: int, features: np.ndarray, matrix64: np.ndarray,
              move: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None):
        """Best ``top`` occupations for the first ``n`` rows of a float32 product held as
        (slice, row, block), their float64 scores, and the rows float32 cannot settle (an
        occupation left out might come within ``NEAR``)."""
        top, blocks = self.top, self.blocks
        product = scores[:, :n]
        for k in range(BLOCK):  # padding columns past the last occupation
            first_pad = self.m - k * blocks
            if first_pad < blocks:
                product[k, :, max(first_pad, 0):] = -np.inf
        if top * 3 > blocks:  # asking for most of the list: blocks do not pay
            candidates = np.broadcast_to(np.arange(self.m), (n, self.m))
        else:
            block_max = product.max(axis=0)
            cut = blocks - top - 1
            top_blocks = np.argpartition(block_max, cut, axis=1)[:, cut:]  # the best top + 1 blocks
            candidates = (top_blocks[:, None, :] + blocks * np.arange(BLOCK)[:, None]).reshape(n, -1)
        width = candidates.shape[1]
        # occupation c of row r sits at (c // blocks, r, c % blocks) of the whole buffer
        slice_of, block_of = np.divmod(candidates, blocks)
        where = slice_of * (scores.shape[1] * blocks) + block_of + (np.arange(n) * blocks)[:, None]
        candidate_values = np.take(scores, where)
        keep = min(top + 1, width)
        part = np.argpartition(candidate_values, width - keep, axis=1)[:, -keep:]
        part_flat = part + (np.arange(n) * width)[:, None]
        best = np.take(candidates, part_flat)
        floor32 = np.take(candidate_values, part_flat).min(axis=1)  # every one left out is ≤ this
        exact_values = np.einsum("nk,njk->nj", features, matrix64[best])
        if move is not None:  # the rule itself, in float64, as the one-respondent path applies it
            signal = np.take_along_axis(move[2], best, axis=1)
            exact_values = rules.linked_score(exact_values, signal, self.link_weight, where=np.where)
        order = np.argsort(-exact_values, axis=1)
        ranked_flat = order + (np.arange(n) * keep)[:, None]
        best = np.take(best, ranked_flat)
        exact_values = np.take(exact_values, ranked_flat)
        tied = np.flatnonzero((np.diff(exact_values, axis=1) == 0).any(axis=1))
        if len(tied):  # equal scores: the one-respondent path orders them by id
            again = np.lexsort((self.id_rank[best[tied]], -exact_values[tied]))
            best[tied] = np.take_along_axis(best[tied], again, axis=1)
            exact_values[tied] = np.take_along_axis(exact_values[tied], again, axis=1)
        unsure = exact_values[:, top - 1] - floor32 < NEAR if keep > top else np.zeros(n, dtype=bool)
        return best[:, :top], exact_values[:, :top], np.flatnonzero(unsure)

    def _spread(self, p: "_Profiles", matches: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each row's ranking spread over families (:func:`rules.spread`, as the one-respondent
        path does), cut to the places asked for. Rows whose window the ranked depth cannot
        fill are ranked again deeper (``SPREAD_DEEPER`` more), and the few still unfilled whole."""
        out_m, out_v, filled = self._spread_block(matches, values)
        short = np.flatnonzero((matches[:, 0] >= 0) & ~filled)
        if len(short):
            depth = min(matches.shape[1] + SPREAD_DEEPER, self.m)
            deep_m, deep_v = self._best_exact(p, short, depth=depth)
            deep_m[np.isneginf(deep_v)] = -1  # not recommended in the row's country: no entry
            out_m[short], out_v[short], deep_filled = self._spread_block(deep_m, deep_v)
            for r in short[~deep_filled].tolist():
                recommended = self.recommended_in(int(p.country[r]))
                if depth >= recommended:
                    continue  # the whole list was ranked: nothing further down to wait for
                whole_m, whole_v = self._best_exact(p, np.array([r]), depth=recommended)
                out_m[r], out_v[r], _ = self._spread_block(whole_m, whole_v)
        return out_m, out_v

    def _spread_block(self, matches: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:func:`rules.spread` for whole blocks of rows at once (ranked best first, -1 for no
        match): the order cut to the places asked for, and per row whether the window was
        filled. An entry waits exactly when ``cap`` earlier entries share its family (those
        were all admitted: one waits only once its family is full)."""
        n, depth = matches.shape
        family = np.where(matches >= 0, self.family_code[np.maximum(matches, 0)], -1)
        shown = min(self.shown, depth)
        out_m = np.full((n, self.shown), -1, dtype=np.int64)
        out_v = np.zeros((n, self.shown), dtype=np.float64)
        filled = np.zeros(n, dtype=bool)
        position = np.arange(depth)
        earlier = position[None, :] < position[:, None]  # [k, j]: j comes before k
        for start in range(0, n, ROWS_PER_PRODUCT):
            rows = slice(start, start + ROWS_PER_PRODUCT)
            f = family[rows]
            same_before = ((f[:, :, None] == f[:, None, :]) & earlier[None]).sum(axis=2)
            eligible = (f < 0) | (same_before < self.cap)
            taken = np.cumsum(eligible, axis=1)
            filled[rows] = taken[:, -1] >= self.window
            admitted = eligible & (taken <= self.window)
            # the window closes at its last admitted entry; what was not admitted before that waited
            closed = np.where(filled[rows, None], np.argmax(taken >= self.window, axis=1)[:, None], depth)
            group = np.where(admitted, 0, np.where(position[None, :] < closed, 1, 2))
            order = np.argsort(group * depth + position[None, :], axis=1)[:, :shown]
            out_m[rows, :shown] = np.take_along_axis(matches[rows], order, axis=1)
            out_v[rows, :shown] = np.take_along_axis(values[rows], order, axis=1)
        return out_m, out_v, filled

    def recommended_in(self, country: int) -> int:
        return int((~self.left_out[country]).sum())

    def _best_exact(self, p: "_Profiles", rows: np.ndarray, depth: int | None = None):
        """The scalar path's rules (:mod:`rules`), in float64, for a few rows."""
        interest = rules.interest_fit(p.unit[rows] @ self.U.T)
        usable = p.usable[rows]
        trait = np.zeros(interest.shape)
        present = np.zeros(interest.shape, dtype=bool)
        if usable.any():
            mask = p.trait_mask[rows].astype(np.float64)
            z_norm = np.sqrt(mask @ self.Z2.T)
            present = usable[:, None] & (z_norm > 0)
            with np.errstate(invalid="ignore", divide="ignore"):
                trait = np.where(present, rules.trait_fit(p.trait_unit[rows] @ self.Z.T, z_norm), 0.0)
        country = p.country[rows]
        has_edu = p.has_edu[rows][:, None]
        edu = np.where(has_edu, self.edu[country, p.edu_code[rows]], 0.0)
        has_interest = p.has_interest[rows][:, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            total = rules.match_score(interest, trait, present, edu, has_edu, config()["weights"], where=np.where,
                                      has_interest=has_interest)
        signal = p.signal(rows)
        if signal is not None:  # no interest part (every interest answer the same): no links
            total = np.where(has_interest, rules.linked_score(total, signal, self.link_weight, where=np.where), total)
        total = np.where(has_interest | present | has_edu, total, -np.inf)  # nothing to score it on
        total = np.where(self.left_out[country], -np.inf, total)
        order = np.lexsort((np.broadcast_to(self.id_rank, total.shape), -total))[:, :depth or self.top]
        return order, np.take_along_axis(total, order, axis=1)


def _affine(rule) -> tuple[float, float]:
    """A one-argument rule as (value at 0, slope). The matrix product can only fold rules of
    that form; one that is not (a changed rule) is refused rather than ranked differently."""
    at0, slope = rule(0.0), rule(1.0) - rule(0.0)
    if abs(rule(0.37) - (at0 + 0.37 * slope)) > 1e-12:
        raise ValueError("a scoring rule is no longer affine: the batch product cannot fold it")
    return at0, slope


def _score_coefficients(has_trait: bool, has_education: bool, weights: dict) -> tuple[float, float, float, float]:
    """:func:`rules.match_score` for the parts present, as k0 + ki·interest + kt·traits +
    ke·education, read off the rule itself (and checked at another point)."""
    def score(i: float, t: float, e: float) -> float:
        return rules.match_score(i, t, has_trait, e, has_education, weights)

    k0 = score(0.0, 0.0, 0.0)
    ki, kt, ke = score(1.0, 0.0, 0.0) - k0, score(0.0, 1.0, 0.0) - k0, score(0.0, 0.0, 1.0) - k0
    if abs(score(0.3, 0.6, 0.9) - (k0 + 0.3 * ki + 0.6 * kt + 0.9 * ke)) > 1e-9:
        raise ValueError("the match score rule is no longer a weighted sum: the batch product cannot fold it")
    return k0, ki, kt, ke


def _as_slice(positions: np.ndarray) -> slice | np.ndarray:
    """Consecutive column positions as a slice: a view instead of a copy."""
    if len(positions) and (np.diff(positions) == 1).all():
        return slice(int(positions[0]), int(positions[-1]) + 1)
    return positions


def _tenths(values: np.ndarray) -> np.ndarray:
    """Scores ×10, rounded as Python's round(x, 1) does (exact decimal, half to even)."""
    shifted = values * 10
    tenths = np.rint(shifted).astype(np.int64)
    awkward = np.flatnonzero((np.abs(shifted - np.floor(shifted) - 0.5) < 1e-6).ravel())
    flat = tenths.reshape(-1)
    for k in awkward.tolist():
        flat[k] = round(round(float(values.flat[k]), 1) * 10)
    return tenths


class _Profiles:
    """RIASEC and trait profiles, flags and education codes for a block of respondents."""

    def __init__(self, scorer: FastScorer, scale: np.ndarray, choice: np.ndarray) -> None:
        n = len(scale)
        cfg = scorer.flag_cfg
        interest = scale[:, scorer.interest_cols]
        values = np.maximum(interest, 0).astype(np.float32)  # 1–5; 0 for missing and not sure
        counts = (values > 0).astype(np.float32) @ scorer.type_of
        sums = values @ scorer.type_of
        squares = np.einsum("ij,ij->i", values, values)
        unsure = (interest == NOT_SURE).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            raw = (sums.astype(np.float64) / counts - 1.0) / 4.0 * 100.0
        known = counts > 0
        known_count = known.sum(axis=1)
        fill = np.where(known_count > 0, np.where(known, raw, 0).sum(axis=1) / np.maximum(known_count, 1), 50.0)
        filled = np.where(known, raw, fill[:, None])
        self.tenths = _tenths(filled)
        scores = self.tenths / 10.0
        total = counts.sum(axis=1)
        value_sum = sums.sum(axis=1)
        same_values = squares.astype(np.float64) * total == value_sum.astype(np.float64) ** 2  # no spread at all
        spread = scores.max(axis=1) - scores.min(axis=1)
        order = np.argsort(-scores, axis=1, kind="stable")
        ranked = np.take_along_axis(scores, order, axis=1)
        gaps = (ranked[:, 0] - ranked[:, 1], ranked[:, 1] - ranked[:, 2], ranked[:, 2] - ranked[:, 3])
        found = rules.flags(total, counts.min(axis=1), spread, same_values, gaps, unsure, cfg)
        self.flags = sum(found[name].astype(np.int8) << k for k, name in enumerate(FLAG_NAMES)).astype(np.int8)
        self.code = order[:, :3]
        centred = scores - scores.mean(axis=1, keepdims=True)
        norm = np.sqrt((centred ** 2).sum(axis=1, keepdims=True))
        self.unit = np.divide(centred, norm, out=np.zeros_like(centred), where=norm >= 1e-9)
        self.has_interest = norm[:, 0] >= 1e-9
        # answers to the linked interest items: link values and whether answered (rules.link_value)
        linked = interest[:, scorer.link_cols] if len(scorer.link_cols) else np.zeros((n, 0))
        answered = linked > 0
        with np.errstate(invalid="ignore", divide="ignore"):  # a type with no answer: its items are not answered
            type_mean = sums.astype(np.float64) / counts.astype(np.float64)
        link_type = scorer.type_of[scorer.link_cols].argmax(axis=1) if len(scorer.link_cols) else np.zeros(0, dtype=np.int64)
        self.link_values = rules.link_value(linked.astype(np.float64), answered, type_mean[:, link_type],
                                            scorer.link_type_share, where=np.where)
        self.link_answered = answered.astype(np.float64)
        self.link_map = scorer.link_map

        t_values = np.maximum(scale[:, scorer.trait_cols], 0).astype(np.float32)
        t_values = np.where(t_values > 0, rules.keyed(t_values, scorer.trait_reverse, where=np.where), 0).astype(np.float32)
        t_counts = (t_values > 0).astype(np.float32) @ scorer.trait_of
        t_sums = t_values @ scorer.trait_of
        self.trait_mask = t_counts > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            t_scores = _tenths(np.where(self.trait_mask, (t_sums.astype(np.float64) / t_counts - 1.0) / 4.0 * 100.0, 0.0)) / 10.0
        n_traits = self.trait_mask.sum(axis=1, keepdims=True)
        t_mean = np.where(self.trait_mask, t_scores, 0).sum(axis=1, keepdims=True) / np.maximum(n_traits, 1)
        d = np.where(self.trait_mask, t_scores - t_mean, 0.0)
        d_norm = np.sqrt((d ** 2).sum(axis=1, keepdims=True))
        self.usable = (n_traits[:, 0] >= 3) & (d_norm[:, 0] >= 1e-9)
        self.trait_unit = np.divide(d, d_norm, out=np.zeros_like(d), where=d_norm >= 1e-9)
        self.trait_unit[~self.usable] = 0
        self.all_traits = self.trait_mask.all(axis=1) if len(TRAITS) else np.ones(n, dtype=bool)

        self.has_edu = np.zeros(n, dtype=bool)
        self.edu_code = np.zeros(n, dtype=np.int64)
        if scorer.highest_col is not None and len(scorer.level_of_option):
            highest = choice[:, scorer.highest_col].astype(np.int64)
            self.has_edu = highest != EMPTY
            level = scorer.level_of_option[np.maximum(highest, 0)]
            pref = np.zeros(n, dtype=np.int64)
            if scorer.route_col is not None and len(scorer.pref_of_option):
                route = choice[:, scorer.route_col].astype(np.int64)
                pref = np.where(route != EMPTY, scorer.pref_of_option[np.maximum(route, 0)], 0)
            self.edu_code = level * 3 + pref
        self.country = np.full(n, COUNTRIES.index("other"), dtype=np.int64)
        if scorer.country_override is not None:
            self.country[:] = scorer.country_override
        elif scorer.country_col is not None and len(scorer.country_of_value):
            value = choice[:, scorer.country_col].astype(np.int64)
            self.country = np.where(value >= 0, scorer.country_of_value[np.maximum(value, 0)], self.country)

        # every interest answer the same: ranked on traits and education alone, if there are any
        self.without_interests = rules.ranks_without_interests(found["no_variation"], total, self.usable)
        self.confidence = rules.confidence(found, total, where=np.where,
                                           without_interests=self.without_interests).astype(np.int8)
        none = self.confidence == 0
        self.scorable = ~none & (self.has_interest | self.without_interests)

    def signal(self, rows: np.ndarray) -> np.ndarray | None:
        """The activity signal (:func:`rules.activity_signal`) of every occupation for ``rows``;
        ``None`` when none of them answered a linked item other than neutrally."""
        values = self.link_values[rows]
        if not values.any():
            return None
        totals = values @ self.link_map
        counts = self.link_answered[rows] @ self.link_map
        return rules.activity_signal(totals, counts, where=np.where)

    def features(self) -> np.ndarray:
        n = len(self.unit)
        out = np.empty((n, 6 + 1 + len(TRAITS)))
        out[:, :6] = self.unit
        out[:, 6] = 1
        out[:, 7:] = self.trait_unit
        return out


assert MISSING == 0  # answered = code > 0 relies on it
