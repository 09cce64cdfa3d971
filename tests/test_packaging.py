"""A non-editable wheel carries all content and finds it from another directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_contains_content_and_finds_it_from_elsewhere(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    wheel = next(dist.glob("jobkompas-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "site")
    assert "jobkompas/_content/questions/interests.yaml" in names
    assert "jobkompas/locale/nb/LC_MESSAGES/jobkompas.mo" in names
    assert "jobkompas/schemas/result.schema.json" in names
    assert "jobkompas/schemas/answers.schema.json" in names  # the answer-file reader checks against it
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode("utf-8")
    assert any(line.startswith("Requires-Dist: jsonschema") and "extra ==" not in line for line in metadata.splitlines())
    assert sum(n.startswith("jobkompas/_content/occupations/") for n in names) >= 900
    assert {f"jobkompas/_content/programmes/{c}.yaml" for c in ("norway", "denmark", "other")} <= set(names)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOBKOMPAS_")}
    env.update(PYTHONPATH=str(tmp_path / "site"), JOBKOMPAS_HOME=str(tmp_path / "home"))
    script = (
        "import json, jobkompas; from jobkompas import api; from jobkompas.resources import questions_dir;"
        "print(json.dumps({'file': jobkompas.__file__, 'questions': str(questions_dir()),"
        " 'occupations': len(api.load_catalogue()), 'items': len(api.load_bank().questions)}))"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=elsewhere, env=env, check=True,
                         capture_output=True, text=True, timeout=120).stdout
    info = json.loads(out)
    assert info["file"].startswith(str(tmp_path / "site"))
    assert info["questions"].startswith(str(tmp_path / "site"))
    assert info["occupations"] >= 900 and info["items"] >= 120
    shape = subprocess.run([sys.executable, "-c", "from jobkompas import api; api.parse_answers('format: 2')"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert "<answers>:1: unsupported format 2; this version reads jobkompas-answers/1" in shape.stderr
    validate = subprocess.run([sys.executable, "-m", "jobkompas", "validate"], cwd=elsewhere, env=env,
                              capture_output=True, text=True, timeout=120)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert "_content/programmes" in validate.stderr, "the register read is the one in the wheel"
    # the content ships parsed, built from exactly the YAML beside it; a first run reads no YAML
    check = (
        "import marshal, sys; from pathlib import Path; import jobkompas.prebuilt as p;"
        "from jobkompas.catalogue import _to_plain, parse_catalogue;"
        "from jobkompas.questions import _bank_to_plain, parse_question_bank;"
        "c = Path(p.__file__).parent / '_content'; data = marshal.loads(p.bundled_file().read_bytes());"
        "cat = _to_plain(parse_catalogue(c / 'occupations', c / 'programmes'));"
        "assert p.comparable(data['catalogue']) == p.comparable(cat), 'catalogue';"
        "assert data['bank'] == _bank_to_plain(parse_question_bank(c / 'questions')), 'bank';"
        "import jobkompas.yamlio as y; y.load_yaml_file = None; y.parse_yaml_text = None;"  # any YAML read now fails
        "from jobkompas import api; b = api.load_bank();"
        "v = {q.id: 5 if q.dimension == 'R' else 1 for q in b.by_block('interest')}; v['EDU-country'] = 'norway';"
        "r = api.score(api.new_answers(v, bank=b), bank=b);"
        "print(len(r.matches))"
    )
    first = subprocess.run([sys.executable, "-c", check], cwd=elsewhere, env={**env, "JOBKOMPAS_HOME": str(tmp_path / "new")},
                           capture_output=True, text=True, timeout=120)
    assert first.returncode == 0 and first.stdout.strip() == "10", first.stdout + first.stderr
