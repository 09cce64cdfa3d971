"""Each rule of an occupation file, one section at a time: a single edit to a valid file gives
exactly one problem, with the file, the line it stands on and its message."""

from __future__ import annotations

import pytest

from jobkompas.catalogue import parse_occupation, parse_templates
from jobkompas.programmes import parse_register
from jobkompas.resources import occupations_dir, programmes_dir
from jobkompas.yamlio import load_yaml_file

ONET_PROBLEM = "'onet' must be an O*NET-SOC code like 51-4121.00 (quoted), or the file needs figures_source"
ESTIMATED_PROBLEM = "figures.work_styles_source must be 'estimated from <ids>' next to the estimated work_styles"

# (the text in nurse.yaml, what it becomes, the problems as "line: message")
CASES = {
    # identity and codes
    "id-pattern": ("id: nurse", "id: Nurse", ["4: 'id' must be lowercase letters, digits and hyphens"]),
    "id-file-name": ("id: nurse", "id: nurse-x", ["4: 'id' (nurse-x) must match the file name (nurse)"]),
    "onet-code": ("onet: 29-1141.00", "onet: 29-1141", [f"5: {ONET_PROBLEM}"]),
    "figures-source": ("onet: 29-1141.00", "figures_source: {onet: [29-1141]}",
                       ["5: figures_source.onet must list the O*NET codes the figures come from",
                        "5: figures_source needs a 'why' naming how the figures were taken"]),
    "figures-source-ok": ("onet: 29-1141.00", "figures_source: {onet: [29-1141.00], why: the same job in O*NET}", []),
    "isco08-quoted": ("isco08: '2221'", "isco08: 2221", ["13: codes.isco08 must be a quoted 4-digit code"]),
    "isco08-null": ("isco08: '2221'", "isco08:", ["13: codes.isco08 must be a quoted 4-digit code"]),
    "styrk08-code": ("{code: '2223', title: Sykepleiere}", "{code: 2223, title: Sykepleiere}",
                     ["14: codes.styrk08 must have a quoted 'code' and a 'title'"]),
    "styrk08-null": ("styrk08: {code: '2223', title: Sykepleiere}", "styrk08:", []),
    "disco08-title": ("disco08: {code: '2221', title: Sygeplejerskearbejde}", "disco08: '2221'",
                      ["15: codes.disco08 must have a quoted 'code' and a 'title'"]),
    # figures
    "interest-range": ("R: 3.66", "R: 8", ["17: figures.interests.R must be a number from 1 to 7"]),
    "interest-missing": ("R: 3.66, ", "", ["17: figures.interests.R must be a number from 1 to 7"]),
    "high-point-letters": ("high_point: SIC", "high_point: SICK", ["18: figures.high_point must be up to three letters of RIASEC"]),
    "high-point-null": ("high_point: SIC", "high_point:", ["18: figures.high_point must be up to three letters of RIASEC"]),
    "work-styles-mapping": ("  work_styles:\n", "  work_styles: 4\n  old_styles:\n", ["19: figures.work_styles must be a mapping"]),
    "work-style-range": ("cooperation: 4.55", "cooperation: 6", ["25: figures.work_styles.cooperation must be a number from 1 to 5"]),
    "job-zone-range": ("job_zone: 4", "job_zone: 6", ["36: figures.job_zone must be 1–5"]),
    "job-zone-bool": ("job_zone: 4", "job_zone: true", ["36: figures.job_zone must be 1–5"]),
    "job-zone-null": ("job_zone: 4", "job_zone:", []),
    "isced-range": ("isced: 6", "isced: 9", ["38: figures.education.isced must be 0–8"]),
    "related-list": ("  related:\n", "  related: 5\n  unrelated:\n", ["41: figures.related must be a list of occupation ids"]),
    "related-ids": ("  related:\n", "  related: [1]\n  unrelated:\n", ["41: figures.related must be a list of occupation ids"]),
    "related-empty": ("  related:\n", "  related: []\n  unrelated:\n", []),
    "estimated-styles": ("high_point: SIC", "high_point: SIC\n  work_styles_source: guessed", [f"19: {ESTIMATED_PROBLEM}"]),
    # page text
    "alt-titles-list": ("en: [Registered nurse, Home care nurse, Specialist nurse]", "en: Registered nurse",
                        ["8: alt_titles: 'en' must be a list of non-empty texts"]),
    "workplaces-count": ("en: [Hospital, Nursing home, Home care service, Health centre or GP surgery]", "en: []",
                         ["82: workplaces: 'en' has 0 entries, expected 1–6"]),
    "key-traits-empty": ("key_traits: [caring, collaborative, steady, adaptable]", "key_traits: []",
                         ["85: key_traits must list 1–4 trait ids"]),
    "key-traits-unknown": ("key_traits: [caring, collaborative, steady, adaptable]", "key_traits: [caring, flying]",
                           ["85: key_traits: unknown trait 'flying'"]),
    "next-steps-list": ("next_steps: [critical-care-nurse, nurse-practitioner, midwife, healthcare-manager]",
                        "next_steps: midwife", ["86: next_steps must be a list of occupation ids"]),
    # paths
    "paths-unknown-key": ("paths:\n", "paths:\n  mars: []\n",
                          ["88: paths: unknown key 'mars' (use norway, denmark, other or template)"]),
    "paths-unknown-template": ("paths:\n", "paths:\n  template: nowhere\n", ["88: unknown path template 'nowhere'"]),
}


@pytest.fixture(scope="module")
def context():
    templates, _ = parse_templates(occupations_dir())
    register, _ = parse_register(programmes_dir())
    return set(templates.fields), register


@pytest.mark.parametrize("old, new, expected", CASES.values(), ids=CASES.keys())
def test_one_edit_gives_its_problem_on_its_line(tmp_path, context, old, new, expected):
    text = (occupations_dir() / "nurse.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "nurse.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    occ, problems = parse_occupation(path, load_yaml_file(path), *context)
    assert [f"{p.line}: {p.message}" for p in problems] == expected
    assert all(p.file == str(path) for p in problems)
    assert (occ is None) == bool(expected), "an occupation only from a file without problems"


def test_the_sections_report_in_one_order_identity_codes_figures_paths_page_text(tmp_path, context):
    text = (occupations_dir() / "nurse.yaml").read_text(encoding="utf-8")
    for old, new, _ in (CASES["id-pattern"], CASES["isco08-quoted"], CASES["high-point-letters"],
                        CASES["job-zone-range"], CASES["key-traits-empty"], CASES["paths-unknown-key"]):
        text = text.replace(old, new)
    path = tmp_path / "nurse.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = parse_occupation(path, load_yaml_file(path), *context)
    assert [p.line for p in problems] == [4, 13, 18, 36, 88, 85]
