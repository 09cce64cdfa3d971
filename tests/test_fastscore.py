"""The vectorised batch scorer ranks exactly as the one-respondent path."""

from __future__ import annotations

import random

from jobkompas import api
from jobkompas.fastscore import FastScorer
from jobkompas.render import batch_row


def random_rows(bank, n, seed):
    rnd = random.Random(seed)
    questions = [q for q in bank.form("standard")]
    header = ["id"] + [q.id for q in questions]
    rows = []
    for i in range(n):
        row = [f"p{i}"]
        bias = {t: rnd.random() for t in "RIASEC"}
        for q in questions:
            if q.scale == "choice":
                options = q.options_for("norway") if q.dimension.endswith("level") else q.options
                row.append(rnd.choice([o.id for o in options if q.dimension != "country" or o.id == "norway"] + [""]))
            elif rnd.random() < 0.08:
                row.append(rnd.choice(["", "unsure"]))
            else:
                base = bias[q.dimension] * 4 + 1 if q.block == "interest" else rnd.uniform(1, 5)
                row.append(str(max(1, min(5, round(base + rnd.gauss(0, 0.8))))))
        rows.append(row)
    if n > 3:
        rows[0][1:61] = ["3"] * 60  # identical interest answers: no matches
        rows[1][1:61] = [str(1 + k % 5) for k in range(60)]
    return header, rows


def test_fast_and_scalar_paths_agree(bank, catalogue):
    header, rows = random_rows(bank, 60, seed=7)
    scorer = FastScorer(header, bank, catalogue, top=10)
    fast = scorer.score([scorer.parse(r) for r in rows])
    from jobkompas.answers import _row_answers

    questions = [bank.questions.get(c) for c in header]
    for row, fast_row in zip(rows, fast):
        answers = _row_answers(row, header, questions, bank, "t.csv", 2)
        slow = batch_row(api.score(answers, top=10, bank=bank, catalogue=catalogue), row[0], 10)
        assert slow[1:10] == fast_row[:9], row[0]  # code, scores, confidence, flags
        slow_ids, fast_ids = slow[10::2], fast_row[9::2]
        slow_scores, fast_scores = slow[11::2], fast_row[10::2]
        assert slow_scores == fast_scores, row[0]
        assert slow_ids == fast_ids or sorted(zip(slow_scores, slow_ids)) == sorted(zip(fast_scores, fast_ids)), row[0]
