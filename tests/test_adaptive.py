from __future__ import annotations

import io

import pytest
from rich.console import Console

from jobkompas import adaptive, api
from jobkompas.questions import RIASEC


def respondent(bank, likes):
    return {q.id: likes.get(q.dimension, 1) for q in bank.by_block("interest")}


def run_adaptive(bank, full):
    answers = api.new_answers({}, form="adaptive", bank=bank)
    order = []
    while (q := api.next_question(answers, bank=bank)) is not None:
        order.append(q)
        answers.values[q.id] = full.get(q.id, 3 if q.scale != "choice" else q.options[0].id)
    return order, answers


@pytest.mark.slow
def test_balanced_start_then_stop_within_limits_then_traits_and_education(bank):
    full = respondent(bank, {"R": 5, "C": 4, "I": 2})
    order, answers = run_adaptive(bank, full)
    interest = [q for q in order if q.block == "interest"]
    assert [q.dimension for q in interest[:12]] == list(RIASEC) * 2
    assert adaptive.MIN_ITEMS <= len(interest) <= adaptive.MAX_ITEMS
    assert [q.block for q in order[len(interest):]] == ["trait"] * 20 + ["education"] * 4
    result = api.score(answers, bank=bank)
    assert result.profile.holland.startswith("R")


def flat_respondent(bank):
    """Every type near 3, answers 2-3-4 in turn: no type stands out, many occupations tie."""
    return {q.id: 2 + i % 3 for i, q in enumerate(bank.by_block("interest"))}


def interest_count(order):
    return sum(q.block == "interest" for q in order)


@pytest.mark.slow
def test_stops_only_at_a_check_and_earlier_when_the_profile_is_clear_cut(bank):
    # (a strong R profile is not clear-cut in this sense: many realistic occupations sit
    # close together, so its top 10 needs more answers to settle)
    clear, _ = run_adaptive(bank, respondent(bank, {"S": 5, "A": 4, "E": 2}))
    flat, _ = run_adaptive(bank, flat_respondent(bank))
    for order in (clear, flat):
        assert interest_count(order) in (*adaptive.STOP_CHECKS, adaptive.MAX_ITEMS)
    assert interest_count(clear) <= 18 < interest_count(flat)


@pytest.mark.slow
def test_expected_overlap_is_high_for_a_clear_profile_and_low_for_a_flat_one(bank):
    catalogue = api.load_catalogue()
    def overlap_after(full, n):
        values = {}
        while len(values) < n:
            q = adaptive.next_interest_item(values, bank, catalogue)
            values[q.id] = full[q.id]
        return adaptive.assess(values, bank, catalogue).stability
    assert overlap_after(respondent(bank, {"S": 5, "A": 4, "E": 2}), 12) > 0.5
    assert overlap_after(flat_respondent(bank), 12) < 0.3


def test_whole_bank_prediction_is_exact_when_every_item_is_answered(bank):
    full = respondent(bank, {"I": 5, "A": 2})
    mean, sd = adaptive.whole_bank_prediction(adaptive._tallies(full, bank))
    assert sd == [0.0] * 6
    assert mean == [1, 5, 2, 1, 1, 1]
    half = {q.id: v for i, (q, v) in enumerate(zip(bank.by_block("interest"), full.values())) if i % 2}
    _, sd_half = adaptive.whole_bank_prediction(adaptive._tallies(half, bank))
    assert all(0 < s < adaptive.ANSWER_SD for s in sd_half)


@pytest.mark.slow
def test_never_asks_more_than_the_maximum(bank, monkeypatch):
    # the real maximum is the whole bank, which would end the block anyway: use a smaller one
    monkeypatch.setattr(adaptive, "STOP_CHECKS", {})  # never settled: the maximum ends it
    monkeypatch.setattr(adaptive, "MAX_ITEMS", 40)
    order, _ = run_adaptive(bank, flat_respondent(bank))
    assert interest_count(order) == 40
    assert [q.block for q in order[40:]] == ["trait"] * 20 + ["education"] * 4


@pytest.mark.slow
def test_adaptive_is_deterministic_and_asks_fewer_than_the_standard_form(bank):
    full = respondent(bank, {"S": 5, "A": 4, "E": 2})
    first, _ = run_adaptive(bank, full)
    second, _ = run_adaptive(bank, full)
    assert [q.id for q in first] == [q.id for q in second]
    assert sum(q.block == "interest" for q in first) < 60


@pytest.mark.slow
def test_remaining_estimate_counts_down_to_the_fixed_blocks(bank):
    answers = api.new_answers({}, form="adaptive", bank=bank)
    assert api.remaining_questions(answers, bank=bank) == adaptive.TYPICAL_LENGTH + 24
    full = respondent(bank, {"E": 5, "C": 4})
    _, done = run_adaptive(bank, full)
    assert api.remaining_questions(done, bank=bank) == 0


@pytest.mark.slow
def test_answer_file_records_the_order_asked(bank, tmp_path):
    full = respondent(bank, {"I": 5})
    order, answers = run_adaptive(bank, full)
    answers.asked = [q.id for q in order]
    from jobkompas.answerfile import write_answer_file

    path = tmp_path / "adaptive.yaml"
    write_answer_file(answers, path, bank)
    again = api.read_answers(path, bank=bank)
    assert again.form == "adaptive" and again.asked == answers.asked
    assert again.values == answers.values


@pytest.mark.slow
def test_wizard_adaptive_shows_an_estimate_and_finishes():
    from test_wizard import PipedQuestionary, realistic_keys

    from jobkompas.wizard.flow import run_wizard

    prompter = PipedQuestionary(realistic_keys)
    out = Console(file=io.StringIO(), width=100, color_system=None)
    result = run_wizard(lang="en", form="adaptive", country="norway", prefill=None, resume=False, fresh=True,
                        plain=False, prompter=prompter, console=out)
    headers = [m.split("|")[0] for m in prompter.messages if m.startswith("Question")]
    # country given: the first question is 1, and 23 trait and education questions follow
    # the 18 interest items guessed during the start; the count includes the question shown
    expected = adaptive.TYPICAL_LENGTH + 23
    assert headers[:3] == [f"Question {n} · Interests · about {expected - n + 1} more" for n in (1, 2, 3)]
    assert result.profile.holland.startswith("R")
    assert result.answers.form == "adaptive" and len(result.answers.asked) == len(headers)
    interest = sum(1 for q in result.answers.asked if api.load_bank().questions[q].block == "interest")
    # a clear profile stops at a check, well before the end of the interest bank
    assert interest in adaptive.STOP_CHECKS and interest < adaptive.MAX_ITEMS


@pytest.mark.slow
def test_an_unsettled_student_is_told_about_the_rest_of_the_bank_only_after_the_last_check(bank):
    """Nine in ten stop by 30, so before then the estimate never promises more than that;
    a flat profile that is still unsettled at 30 is told it will answer the rest (60 more)."""
    full = flat_respondent(bank)
    answers = api.new_answers({}, form="adaptive", bank=bank)
    estimates = {}
    while (q := api.next_question(answers, bank=bank)) is not None and q.block == "interest":
        asked = interest_count([bank.questions[k] for k in answers.values])
        estimates[asked] = api.remaining_questions(answers, bank=bank) - 24  # trait + education follow
        answers.values[q.id] = full[q.id]
    last = max(adaptive.STOP_CHECKS)
    assert all(asked + more <= last for asked, more in estimates.items() if asked < last)
    assert estimates[last] == adaptive.MAX_ITEMS - last == 60
    assert interest_count([bank.questions[k] for k in answers.values]) == adaptive.MAX_ITEMS


@pytest.mark.slow
def test_a_student_past_the_last_check_may_skip_the_rest_of_the_interest_block():
    """A flat profile is unsettled at 30 and would answer up to 60 more: the wizard offers to
    skip them (only then), and the quiz goes on with the trait block."""
    from test_wizard import PipedQuestionary, realistic_keys

    from jobkompas.wizard.flow import run_wizard
    from jobkompas.wizard.prompts import SKIP_REST

    bank = api.load_bank()
    flat = flat_respondent(bank)
    offered_at = []

    def keys(header, message, choices, default):
        values = [v for _, v in choices]
        if "quit" in values or "unsure" not in values:  # the results menu, education: as usual
            return realistic_keys(header, message, choices, default)
        if SKIP_REST in values:
            offered_at.append(header)
            return f"{values.index(SKIP_REST) + 1}\r"
        stem = message.split("\n")[-1].strip()
        q = next((q for q in bank.by_block("interest") if q.text["en"] == stem), None)
        return f"{values.index(flat[q.id]) + 1}\r" if q else "4\r"

    prompter = PipedQuestionary(keys)
    result = run_wizard(lang="en", form="adaptive", country="norway", prefill=None, resume=False, fresh=True,
                        plain=False, prompter=prompter, console=Console(file=io.StringIO(), width=100))
    interest = [q for q in result.answers.asked if bank.questions[q].block == "interest"]
    assert len(offered_at) == 1 and len(interest) == max(adaptive.STOP_CHECKS)
    assert offered_at[0].startswith(f"Question {len(interest) + 1} · Interests")
    assert [bank.questions[q].block for q in result.answers.asked[len(interest):]] == ["trait"] * 20 + ["education"] * 3


def test_identical_answers_settle_nothing_so_the_adaptive_form_does_not_stop(bank):
    """Every interest answer the same: there is no interest ranking to settle (the final list
    leaves the interest part out), so the expected overlap is 0 and no check stops the block."""
    catalogue = api.load_catalogue()
    values = {}
    while len(values) < min(adaptive.STOP_CHECKS):
        q = adaptive.next_interest_item(values, bank, catalogue)
        values[q.id] = 4
    state = adaptive.assess(values, bank, catalogue)
    assert state.stability == 0.0 and not state.done
    assert adaptive.next_interest_item(values, bank, catalogue) is not None
