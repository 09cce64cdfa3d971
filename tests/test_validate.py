from __future__ import annotations

import shutil
from pathlib import Path

from jobkompas.cli import main
from jobkompas.errors import ExitCode
from jobkompas.resources import occupations_dir, questions_dir


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def test_shipped_content_is_valid(capsys):
    assert main(["validate"]) == 0
    assert "923 occupations" in capsys.readouterr().err


def test_broken_occupation_file_is_reported_with_file_and_line(tmp_path, capsys):
    occ = copy_tree(occupations_dir(), tmp_path / "occ")
    welder = occ / "welder.yaml"
    lines = welder.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("  interests:"))
    lines[number] = lines[number].replace("R: 7.0", "R: 9.5")
    title_line = next(i for i, line in enumerate(lines) if line.startswith("titles:"))
    lines[title_line] = "titles: {en: Welder, nb: Sveiser}"
    welder.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (occ / "broken.yaml").write_text("id: broken\nonet: [oops\n", encoding="utf-8")
    code = main(["--occupations", str(occ), "validate"])
    out = capsys.readouterr().out
    assert code == ExitCode.CONTENT
    assert f"{welder}:{number + 1}: figures.interests.R must be a number from 1 to 7" in out
    assert f"{welder}:{title_line + 1}: titles: missing or empty 'da' text" in out
    assert f"{occ / 'broken.yaml'}:3: invalid YAML" in out or f"{occ / 'broken.yaml'}:2: invalid YAML" in out


def test_unknown_related_id_and_bad_path_step(tmp_path, capsys):
    occ = copy_tree(occupations_dir(), tmp_path / "occ")
    nurse, welder = occ / "nurse.yaml", occ / "production-supervisor.yaml"
    nurse.write_text(nurse.read_text(encoding="utf-8").replace("kind: higher", "kind: wizardry", 1), encoding="utf-8")
    text = welder.read_text(encoding="utf-8")
    welder.write_text(text.replace("next_steps: [", "next_steps: [ghost-job, ", 1), encoding="utf-8")
    code = main(["--occupations", str(occ), "validate"])
    out = capsys.readouterr().out.strip().splitlines()
    assert code == ExitCode.CONTENT
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith("next_steps:"))
    assert f"{welder}:{line}: next_steps: unknown occupation id 'ghost-job'" in out
    assert any(l.startswith(f"{nurse}:") and "'kind' must be one of school" in l for l in out)
    assert len(out) == 2, "one broken file does not cascade into errors elsewhere"


def test_custom_question_bank_directory(tmp_path, capsys, monkeypatch):
    bank_dir = tmp_path / "bank"
    bank_dir.mkdir()
    (bank_dir / "interests.yaml").write_text(
        "items:\n" + "".join(
            f"  - id: X{t}{i}\n    type: {t}\n    text: {{en: Do {t}{i}, nb: Gjør {t}{i}, da: Gør {t}{i}}}\n"
            for t in "RIASEC" for i in range(3)), encoding="utf-8")
    monkeypatch.setenv("JOBKOMPAS_QUESTIONS", str(bank_dir))
    from jobkompas.questions import load_question_bank

    bank = load_question_bank(bank_dir)
    assert len(bank.by_block("interest")) == 18
    assert bank.form("full")[0].id == "XR0"
    assert bank.by_block("trait"), "missing files fall back to the built-in bank"
    assert main(["questions", "list", "--json"]) == 0
    assert '"XR0"' in capsys.readouterr().out


def test_question_bank_problems_are_listed(tmp_path, capsys):
    bank_dir = copy_tree(questions_dir(), tmp_path / "q")
    text = (bank_dir / "interests.yaml").read_text(encoding="utf-8")
    (bank_dir / "interests.yaml").write_text(text.replace("type: R", "type: Z", 1), encoding="utf-8")
    code = main(["--questions", str(bank_dir), "validate"])
    out = capsys.readouterr().out
    assert code == ExitCode.CONTENT
    assert f"{bank_dir / 'interests.yaml'}:4: R01: 'type' must be one of R, I, A, S, E, C" in out


def test_no_path_leads_from_a_general_studies_programme_to_a_trade_certificate():
    """A general-studies programme (music, dance and drama; sports) has no apprenticeship
    after it: a template that put one there once sent dancers and referees to a fagbrev."""
    from jobkompas import api

    catalogue = api.load_catalogue()
    wrong, general_paths = [], 0
    for occ in catalogue.occupations.values():
        for country in ("norway", "denmark", "other"):
            steps = catalogue.path(occ, country)
            first = steps[0]
            general = first.kind == "school" and ("general studies" in first.text["en"]
                                                  or "studieforberedende" in first.text["nb"])
            general_paths += general
            if general and any(s.kind == "apprenticeship" for s in steps):
                wrong.append(f"{occ.id} ({country})")
    assert wrong == [] and general_paths > 100  # (and the wording it looks for is still there)


def test_a_broken_template_file_is_one_problem_named_once(tmp_path, capsys, monkeypatch):
    occ = copy_tree(occupations_dir(), tmp_path / "occ")
    (occ / "_path-templates.yaml").write_text("fields: [\n", encoding="utf-8")
    monkeypatch.setenv("JOBKOMPAS_OCCUPATIONS", str(occ))
    assert main(["validate"]) == ExitCode.CONTENT
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{occ / '_path-templates.yaml'}:2: invalid YAML: did not find expected node content"]
