from __future__ import annotations

import json
import re

import pytest
from babel.messages.pofile import read_po

from jobkompas import api
from jobkompas.i18n import LOCALE_DIR, detect_language, translator


@pytest.mark.parametrize("lang", ["nb", "da"])
def test_catalog_is_complete_and_compiled(lang):
    po_path = LOCALE_DIR / lang / "LC_MESSAGES" / "jobkompas.po"
    catalog = read_po(po_path.open("rb"))
    missing = [m.id for m in catalog if m.id and not m.string]
    assert not missing, f"untranslated in {lang}: {missing[:5]}"
    fresh = {m.id: m.string for m in catalog if m.id}
    tr = translator(lang)
    for msgid, msgstr in fresh.items():
        assert tr(msgid) == msgstr, f".mo out of date with .po for {msgid!r}: run pybabel compile"


def test_placeholders_survive_translation():
    import re

    for lang in ("nb", "da"):
        catalog = read_po((LOCALE_DIR / lang / "LC_MESSAGES" / "jobkompas.po").open("rb"))
        for m in catalog:
            if m.id:
                assert set(re.findall(r"\{\w+\}", m.id)) == set(re.findall(r"\{\w+\}", m.string)), (lang, m.id)


def test_results_read_in_the_chosen_language(bank):
    values = {q.id: (5 if q.dimension == "S" else 2) for q in bank.by_block("interest")}
    for lang, words in (("nb", "Utdanning"), ("da", "Uddannelse")):
        result = api.score(api.new_answers({**values, "EDU-country": "norway", "EDU-highest": "no-bachelor"},
                                           language=lang, bank=bank), bank=bank)
        texts = " ".join(t for m in result.matches for t in m.reasons)
        assert words in texts and "Your interest" not in texts


def test_language_detection(monkeypatch):
    for var in ("JOBKOMPAS_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "nb_NO.UTF-8")
    assert detect_language() == "nb"
    monkeypatch.setenv("LANG", "da_DK.UTF-8")
    assert detect_language() == "da"
    assert detect_language("en") == "en"


def test_durations_use_the_decimal_comma_in_nordic_languages(capsys):
    from jobkompas.cli import main

    assert main(["occupations", "show", "nurse", "--lang", "da", "--country", "denmark"]) == 0
    out = capsys.readouterr().out
    assert "3,5 år" in out and "3.5" not in out
    assert main(["occupations", "show", "nurse", "--lang", "en", "--country", "denmark"]) == 0
    assert "3.5 years" in capsys.readouterr().out


@pytest.mark.parametrize("lang, country, heading", [
    ("nb", "norway", "Utdanningsvei (Norge)"),
    ("da", "denmark", "Uddannelsesvej (Danmark)"),
    ("en", "other", "Education path (another country)"),
])
def test_the_path_heading_names_the_country_in_the_chosen_language(capsys, lang, country, heading):
    from jobkompas.cli import main

    assert main(["occupations", "show", "nurse", "--lang", lang, "--country", country]) == 0
    assert heading in capsys.readouterr().out


def test_answer_reasons_are_plain_words_in_norwegian(bank, catalogue):
    from conftest import pattern_answers

    values = pattern_answers(bank, {"A": 5, "S": 4}, default=1)
    for k, q in enumerate(q for q in bank.by_block("interest") if q.dimension in "RC"):
        values[q.id] = 1 if k % 2 else 3
    result = api.score(api.new_answers(values, language="nb", bank=bank), bank=bank, catalogue=catalogue)
    answers = [t for m in result.matches for r, t in zip(m.match.reasons, m.reasons) if r.kind == "answer"]
    assert answers and not [t for t in answers if "poeng" in t or re.search(r"\d", t)]
    assert all(t.startswith("Du sa") for t in answers)


@pytest.mark.parametrize("lang, heading", [("nb", "Kilder (tall, koder og navn"), ("da", "Kilder (tal, koder og navne")])
@pytest.mark.slow
def test_reports_credit_the_sources_in_the_report_language(bank, lang, heading):
    from jobkompas.render import render_html, render_markdown

    values = {q.id: (5 if q.dimension == "A" else 2) for q in bank.by_block("interest")}
    result = api.score(api.new_answers({**values, "EDU-country": "denmark"}, language=lang, bank=bank), bank=bank)
    result.meta = {"date": "2026-11-22", "notes": []}
    for text in (render_markdown(result), render_html([result])):
        assert heading in text and "Sources (figures" not in text
        # what the licences ask for stays: the database, its owner, the licence, the trademark
        assert "O*NET 29.0" in text and "USDOL/ETA" in text and "CC BY 4.0" in text and "O*NET®" in text


@pytest.mark.slow
def test_profiles_and_summaries_use_the_decimal_comma(capsys, tmp_path, bank):
    import re

    from jobkompas.cli import main

    assert main(["occupations", "show", "welder", "--lang", "nb"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"R \d,\d · I \d,\d · A \d,\d", out), "the interest profile"
    values = {q.id: (5 if q.dimension == "R" else 1 + i % 4) for i, q in enumerate(bank.by_block("interest"))}
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"format": "jobkompas-answers/1", "language": "da", "answers": values}),
                       encoding="utf-8")
    for args in (["score", str(answers)], ["report", str(answers), "--format", "markdown"]):
        assert main(args) == 0
        out = capsys.readouterr().out
        assert "100,0" in out and "100.0" not in out, args
