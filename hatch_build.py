"""Wheel build hook: ship the built-in content parsed, so a student's first run reads no YAML.

Parses questions/, occupations/ and programmes/ with the package's own loaders (from src/)
and adds the result to the wheel as jobkompas/_content/prebuilt.marshal. Editable installs
keep reading the source tree (and the user cache), so nothing here can go stale for them.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class PrebuiltContentHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root / "src"))
        try:
            for name in [m for m in sys.modules if m == "jobkompas" or m.startswith("jobkompas.")]:
                del sys.modules[name]  # build from this tree, not an installed copy
            from jobkompas.prebuilt import FILE_NAME, build

            data = build(root)
        finally:
            sys.path.remove(str(root / "src"))
        self._out = Path(tempfile.mkdtemp(prefix="jobkompas-build-"))
        target = self._out / FILE_NAME
        target.write_bytes(data)
        build_data["force_include"][str(target)] = f"jobkompas/_content/{FILE_NAME}"

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        import shutil

        out = getattr(self, "_out", None)
        if out is not None:
            shutil.rmtree(out, ignore_errors=True)
