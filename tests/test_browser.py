"""Reports in a real browser: headless Chromium prints each language to A4 PDF and takes
a phone-sized screenshot. Skipped where Chromium or poppler-utils are not installed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from conftest import pattern_answers

from jobkompas.cli import main

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
NEEDS = pytest.mark.skipif(not CHROMIUM or not shutil.which("pdfinfo") or not shutil.which("pdftotext"),
                           reason="needs chromium and poppler-utils (apt-get install chromium poppler-utils)")
pytestmark = [pytest.mark.slow, NEEDS]

HEADINGS = {"en": ("Your interest profile", "Your top matches"),
            "nb": ("Interesseprofilen din", "Yrkene som passer deg best"),
            "da": ("Din interesseprofil", "De job, der passer bedst til dig")}


def chromium(*args: str) -> None:
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args],
                   check=True, capture_output=True, timeout=180)


def pages(pdf) -> list[str]:
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                           check=True).stdout).group(1))
    return [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout for n in range(1, count + 1)]


@pytest.fixture(scope="module")
def long_session(tmp_path_factory):
    """A student whose matches carry many reasons (the longest reports seen)."""
    import os

    from jobkompas import api

    bank = api.load_bank()
    values = pattern_answers(bank, {"C": 5, "R": 4, "S": 3}, default=1, traits=5,
                             **{"EDU-highest": "no-fagbrev", "EDU-route": "practical"})
    folder = tmp_path_factory.mktemp("browser")
    path = folder / "a.json"
    path.write_text(json.dumps({"format": "jobkompas-answers/1", "language": "en", "country": "norway",
                                "form": "standard", "answers": values, "respondent": "Åse Ødegård-Ærø"},
                               ensure_ascii=False), encoding="utf-8")
    assert main(["import", str(path), "--names", "--group", "10B"]) == 0
    return folder, os.environ["JOBKOMPAS_HOME"]


@pytest.mark.parametrize("lang", ["en", "nb", "da"])
def test_a_students_report_prints_on_two_a4_pages_with_headings_kept(capsys, long_session, lang, monkeypatch):
    folder, home = long_session
    monkeypatch.setenv("JOBKOMPAS_HOME", home)
    capsys.readouterr()
    assert main(["sessions", "list", "--json"]) == 0
    session = json.loads(capsys.readouterr().out)[0]["session"]
    report = folder / f"report-{lang}.html"
    assert main(["report", session, "--lang", lang, "--include-names", "--out", str(report)]) == 0
    pdf = folder / f"report-{lang}.pdf"
    chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri())
    text = pages(pdf)
    assert len(text) <= 2, f"{lang}: {len(text)} A4 pages"
    assert "Åse Ødegård-Ærø" in text[0] and HEADINGS[lang][0] in text[0] and HEADINGS[lang][1] in text[0]
    # no page of credits alone: the last page also holds a match (its place may be a tie, '=8.')
    assert "O*NET 29.0" in text[-1] and re.search(r"^\s*=?\d+\. .+ — \d+", text[-1], re.M)
    for page in text[:-1]:  # a page never ends with a heading whose content is on the next
        last = [line.strip() for line in page.splitlines() if line.strip()][-1]
        assert not re.fullmatch(r"\d+\. .+ — \d+", last) and last not in HEADINGS[lang], last
    shot = folder / f"phone-{lang}.png"
    chromium("--window-size=390,1200", f"--screenshot={shot}", report.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
