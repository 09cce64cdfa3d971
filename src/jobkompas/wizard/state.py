"""The unfinished quiz on disk: saved atomically after every answer, resumed on next start."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..outfile import atomic_open
from ..resources import user_data_dir

STATE_FILE = "unfinished-quiz.json"


@dataclass
class QuizState:
    language: str
    form: str
    country: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    position: int = 0
    interests_done: bool = False  # adaptive form: the student skipped the rest of the interest block
    numbered_from: int = 2  # the number on the first numbered question: 2 when the country was question 1


def state_path() -> Path:
    return user_data_dir() / STATE_FILE


def save_state(state: QuizState) -> None:
    """Write the state whole, on disk before it replaces the old one; raises ``OSError``."""
    path = state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_open(path, fsync=True) as handle:
        json.dump(asdict(state), handle, ensure_ascii=False)


def load_state() -> QuizState | None:
    path = state_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return QuizState(**data)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError):
        # a damaged file must not block a new quiz; keep it aside for inspection
        try:
            os.replace(path, path.with_suffix(".damaged"))
        except OSError:
            pass
        return None


def clear_state() -> None:
    try:
        state_path().unlink()
    except OSError:
        pass  # nothing saved, or a data dir that cannot be written (the wizard has said so)
