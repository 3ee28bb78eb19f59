"""The claim scorer's trainer: the same data gives the same scorer file under any hash seed, and the shipped file is
what the trainer writes (apart from its training date)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from nlp.claims.scorer import SCORER_FILE
from tests.conftest import shared_data

REPO = Path(__file__).resolve().parents[1]


def _train(data: Path, out: Path, hash_seed: str) -> dict:
    environment = {**os.environ, "PYTHONHASHSEED": hash_seed}
    subprocess.run([sys.executable, "-m", "nlp.claims.train", "--data", str(data), "--out", str(out)],
                   cwd=REPO, env=environment, check=True, capture_output=True)
    scorer = json.loads(out.read_text(encoding="utf-8"))
    scorer["card"].pop("trained")
    return scorer


def test_training_is_reproducible_and_matches_the_shipped_scorer(tmp_path: Path) -> None:
    data = shared_data("claims").parent
    first = _train(data, tmp_path / "one.json", "1")
    second = _train(data, tmp_path / "two.json", "2")
    assert first == second
    shipped = json.loads(SCORER_FILE.read_text(encoding="utf-8"))
    shipped["card"].pop("trained")
    assert first == shipped
