"""Built-in content parsed at build time and shipped in the wheel, so no first run parses YAML.

The wheel's build hook (``hatch_build.py``) calls :func:`build` on the content it packs and
stores the result as ``jobkompas/_content/prebuilt.marshal``. At run time :func:`lookup`
hands out a part of it only for the very folders it was built from, inside the installed
package, and only while their files have the names and sizes recorded at build time; anything
else (a source tree, an editable install, a custom folder, a damaged file) goes the usual
way: the user cache, else the YAML. A test checks the built data against a fresh parse.
"""

from __future__ import annotations

import marshal
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__
from .resources import _PACKAGE

FORMAT = 2
FILE_NAME = "prebuilt.marshal"


def bundled_file() -> Path:
    return _PACKAGE / "_content" / FILE_NAME


def stamp(*folders: Path) -> str:
    """Names and sizes of the YAML files in ``folders``: cheap to take (no file is read), and
    a wheel's files never change without their package being reinstalled."""
    from .resources import fingerprint

    parts = []
    for folder in folders:
        try:
            entries = sorted((e.name, e.stat().st_size) for e in os.scandir(folder) if e.name.endswith(".yaml"))
        except OSError:
            entries = []
        parts.append(f"{folder.name}/" + ";".join(f"{name}:{size}" for name, size in entries))
    return fingerprint("|".join(parts))


def build(root: Path) -> bytes:
    """Parse the content under ``root`` (questions/, occupations/, programmes/) into the data
    the loaders use; a content problem fails the build with its message."""
    from . import cache
    from .catalogue import _to_plain, parse_catalogue
    from .errors import ContentError
    from .questions import _bank_to_plain, parse_question_bank
    from .resources import package_data
    from .yamlio import parse_yaml_text

    occupations, programmes, questions = root / "occupations", root / "programmes", root / "questions"
    with cache.off():  # parsed afresh, and nothing written into the builder's home
        bank = parse_question_bank(questions)
        catalogue = parse_catalogue(occupations, programmes)
        for problems in (bank.problems, catalogue.problems):
            if problems:
                raise ContentError(problems[0].message, f"{problems[0].file}:{problems[0].line}")
        shipped = _to_plain(catalogue)
    weights_path = package_data("weights.yaml")
    weights = parse_yaml_text(weights_path.read_text(encoding="utf-8"), str(weights_path), with_lines=False)
    stamps = {"bank": stamp(questions), "catalogue": stamp(occupations, programmes)}
    shipped["version"] = "w" + stamps["catalogue"][:11]  # the catalogue version sessions record
    return marshal.dumps({"format": FORMAT, "version": __version__, "stamps": stamps,
                          "bank": _bank_to_plain(bank), "catalogue": shipped, "weights": weights})


def comparable(catalogue: dict[str, Any]) -> dict[str, Any]:
    """A catalogue's plain data with each occupation's details decoded (the marshal bytes of
    equal values may differ) and without the version: what a check compares."""
    out = {k: v for k, v in catalogue.items() if k not in ("version", "details")}
    out["details"] = {k: marshal.loads(v) for k, v in catalogue["details"].items()}
    return out


@lru_cache(maxsize=1)
def _data() -> dict[str, Any] | None:
    try:
        data = marshal.loads(bundled_file().read_bytes())
    except Exception:  # none shipped (a source tree), or unreadable here: the usual way then
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != __version__:
        return None
    return data


def lookup(kind: str, *folders: Path) -> Any:
    """The prebuilt ``kind`` ("bank", "catalogue" or "weights") when ``folders`` are the ones
    shipped in this package and unchanged, else None."""
    content = _PACKAGE / "_content"
    if not bundled_file().is_file():
        return None
    try:
        if any(Path(f).resolve().parent != content.resolve() for f in folders):
            return None
    except OSError:
        return None
    data = _data()
    if data is None:
        return None
    if folders and data["stamps"].get(kind) != stamp(*map(Path, folders)):
        return None
    return data.get(kind)
