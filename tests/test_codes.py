"""Occupation groups are chosen by meaning and checked against the occupation's titles."""

from __future__ import annotations

import pytest
import shutil
from pathlib import Path

from jobkompas import codes
from jobkompas.cli import main
from jobkompas.errors import ExitCode
from jobkompas.resources import occupations_dir

ROOT = Path(__file__).resolve().parent.parent


def _copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(occupations_dir(), tmp_path / "occ"))


def _set_group(path: Path, system: str, code: str, title: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    out, skip = [], False
    for line in lines:
        if skip and line.startswith("    "):
            continue
        skip = False
        if line.startswith(f"  {system}:"):
            out.append(f"  {system}: {{code: '{code}', title: {title}}}")
            skip = not line.rstrip().endswith("}")
            continue
        out.append(line)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def test_hand_written_profiles_have_the_groups_that_name_them(catalogue):
    expected = {"nurse": "2223", "police-officer": "3355", "practical-nurse": "5321",
                "occupational-therapist": "2267", "midwife": "2222", "optometrist": "3254"}
    for occ_id, code in expected.items():
        assert catalogue.get(occ_id).codes["styrk08"]["code"] == code, occ_id
    assert catalogue.get("nurse").codes["styrk08"]["title"] == "Sykepleiere"
    assert catalogue.get("general-manager").codes["styrk08"]["code"] != "1343"


@pytest.mark.slow
def test_a_group_naming_another_job_is_reported(tmp_path, capsys):
    occ = _copy(tmp_path)
    # a Norwegian nurse put in the group with the ISCO number of nurses (Spesialsykepleiere)
    _set_group(occ / "nurse.yaml", "styrk08", "2221", "Spesialsykepleiere")
    _set_group(occ / "welder.yaml", "styrk08", "3351", "Tollere")
    assert main(["--occupations", str(occ), "validate"]) == ExitCode.CONTENT
    out = capsys.readouterr().out
    assert "nurse.yaml" in out and "2223 'Sykepleiere' does" in out
    assert "welder.yaml" in out and "'Tollere' names another job than 'Sveiser'" in out


@pytest.mark.slow
def test_a_title_that_is_not_the_official_one_is_reported(tmp_path, capsys):
    occ = _copy(tmp_path)
    _set_group(occ / "welder.yaml", "styrk08", "7212", "Sveisere og sånt")
    assert main(["--occupations", str(occ), "validate"]) == ExitCode.CONTENT
    assert "7212 is titled 'Sveisere', not 'Sveisere og sånt'" in capsys.readouterr().out


@pytest.mark.slow
def test_override_must_be_applied_and_name_a_known_occupation(tmp_path, capsys):
    occ = _copy(tmp_path)
    table = occ / codes.OVERRIDE_FILE
    text = table.read_text(encoding="utf-8")
    text = text.replace("styrk08:\n", "styrk08:\n  no-such-job: {code: '7212', why: test}\n"
                        "  welder: {code: '7214', why: test}\n", 1)
    table.write_text(text, encoding="utf-8")
    assert main(["--occupations", str(occ), "validate"]) == ExitCode.CONTENT
    out = capsys.readouterr().out
    assert "unknown occupation id 'no-such-job'" in out
    assert "welder.yaml" in out and "says 7214" in out


@pytest.mark.slow
def test_override_without_a_reason_is_refused(tmp_path, capsys):
    occ = _copy(tmp_path)
    table = occ / codes.OVERRIDE_FILE
    table.write_text(table.read_text(encoding="utf-8").replace(
        "styrk08:\n", "styrk08:\n  welder: {code: '7212'}\n", 1), encoding="utf-8")
    assert main(["--occupations", str(occ), "validate"]) == ExitCode.CONTENT
    assert "styrk08.welder needs a quoted 'code' and a 'why'" in capsys.readouterr().out


def test_strength_names_touches_or_misses():
    assert codes.strength("Tømrere og snekkere", ["Tømrer"]) == 2
    assert codes.strength("Sygeplejerskearbejde", ["Sygeplejerske"]) == 2
    assert codes.strength("Politibetjenter mv.", ["Politibetjent"]) == 2
    assert codes.strength("Spesialsykepleiere", ["Sykepleier"]) == 1
    assert codes.strength("Tollere", ["Politibetjent"]) == 0
    assert "2223" in codes.naming_groups("styrk08", "Sykepleier")


def test_import_never_copies_an_isco_number_that_means_another_job_in_styrk(load_script):
    tool = load_script("tools/import_onet.py")
    styrk = codes.group_titles()["styrk08"]
    group = tool.choose_group("styrk08", ["2221"], styrk, ["Sykepleier"], ["Nurse"])
    assert group == {"code": "2223", "title": "Sykepleiere"}
    group = tool.choose_group("styrk08", ["2267"], styrk, ["Optiker"], ["Optician"])
    assert group["code"] == "3254"


def test_import_prefers_a_danish_job_group_only_where_it_names_the_job_better(load_script):
    tool = load_script("tools/import_onet.py")
    disco = codes.group_titles()["disco08"]
    assert tool.choose_group("disco08", ["2269"], disco, ["Ergoterapeut"], ["Occupational therapist"])["code"] == "226910"
    assert tool.choose_group("disco08", ["7212"], disco, ["Svejser"], ["Welder"])["code"] == "7212"


def test_replace_blocks_keeps_every_other_line(load_script):
    tool = load_script("tools/import_onet.py")
    text = ("# head\nid: x\ntitles: {en: X}\ncodes:\n  isco08: '1'\nsummary:\n  en: A long line\n"
            "    wrapped by hand\n")
    out = tool.replace_blocks(text, {"codes": "codes:\n  isco08: '2'\n"})
    assert out == text.replace("'1'", "'2'")


def test_a_merged_occupation_id_still_resolves(catalogue, capsys):
    assert catalogue.get("midwife-29909901") is catalogue.get("midwife")
    assert "midwife-29909901" not in catalogue.occupations
    assert main(["occupations", "show", "midwife-29909901", "--json"]) == 0
    assert '"id": "midwife"' in capsys.readouterr().out


DATA = ROOT.parent / "shared" / "data"  # ../shared beside the checkout


@pytest.mark.skipif(not (DATA / "onet").is_dir(), reason="needs the O*NET source files")
@pytest.mark.slow
def test_the_import_keeps_overrides_and_merges_and_changes_nothing(tmp_path, capsys, load_script):
    occ = _copy(tmp_path)
    before = {p.name: p.read_bytes() for p in occ.glob("*.yaml")}
    tool = load_script("tools/import_onet.py")
    assert tool.main(["--onet", str(DATA / "onet"),
                      "--crosswalk", str(DATA / "crosswalks" / "onet_soc_2019_to_isco08.tsv"),
                      "--styrk", str(DATA / "norway" / "styrk08_klass_nb.csv"),
                      "--disco", str(DATA / "denmark" / "disco08_dst.csv"), "--out", str(occ)]) == 0
    assert "0 written" in capsys.readouterr().err
    assert not (occ / "midwife-29909901.yaml").exists()
    assert {p.name: p.read_bytes() for p in occ.glob("*.yaml")} == before


def test_no_title_is_shared_in_any_language(catalogue):
    from jobkompas.search import fold

    for lang in ("en", "nb", "da"):
        titles = [fold(o.titles[lang]) for o in catalogue.occupations.values()]
        assert len(titles) == len(set(titles)), lang


@pytest.mark.slow
def test_validate_reports_a_shared_title_and_a_bad_redirect(tmp_path, capsys):
    occ = _copy(tmp_path)
    welder = occ / "welder.yaml"
    welder.write_text(welder.read_text(encoding="utf-8").replace("nb: Sveiser", "nb: Tømrer"), encoding="utf-8")
    (occ / "_redirects.yaml").write_text("old-job:\n  into: no-such-job\n  why: test\n", encoding="utf-8")
    assert main(["--occupations", str(occ), "validate"]) == ExitCode.CONTENT
    out = capsys.readouterr().out
    assert "titles.nb 'Tømrer' is also the title of carpenter" in out
    assert "old-job: unknown occupation id 'no-such-job'" in out


@pytest.mark.slow
def test_validate_reports_an_alternative_title_that_is_another_occupations_title(tmp_path, capsys):
    occ = _copy(tmp_path)
    welder = occ / "welder.yaml"
    lines = welder.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("alt_titles:"))
    nb = next(i for i in range(start, len(lines)) if lines[i].startswith("  nb: ["))
    lines[nb] = lines[nb].replace("  nb: [", "  nb: [Tømrer, ", 1)
    welder.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["--occupations", str(occ), "validate"]) == ExitCode.CONTENT
    assert "alt_titles.nb 'Tømrer' is the title of carpenter" in capsys.readouterr().out
