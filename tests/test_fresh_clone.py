"""The README's two commands work on their own in a clean clone: `make demo`, then `make test`.

The clone gets its own virtualenv from scratch (pip may use its download cache). `make test` there runs a few
test files (PYTEST_ARGS) so this test does not start the whole suite again inside itself; what it proves is the
set-up path: system packages, venv, services, pytest.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    """The commands in the README's first code block, without their comments."""
    block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert block is not None, "the README starts with a ```sh block of the two commands"
    return [line.split("#", 1)[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_readme_starts_with_exactly_the_two_commands() -> None:
    assert README.lstrip().startswith("```sh")
    assert readme_commands() == ["make demo", "make test"]


@pytest.mark.skipif(os.environ.get("JANMAT_FRESH_CLONE") == "1", reason="already inside the fresh-clone run")
def test_readme_commands_pass_in_a_clean_clone(tmp_path: Path) -> None:
    clone = tmp_path / "janmat"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    env = {**os.environ, "JANMAT_FRESH_CLONE": "1", "JANMAT_DATA_DIR": str(tmp_path / "data")}
    env.pop("VIRTUAL_ENV", None)
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if not p.startswith(str(REPO)))

    demo = subprocess.run(["make", "demo"], cwd=clone, env=env, capture_output=True, text=True, timeout=1200)
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    stored = re.search(r"(\d+) mentions stored", demo.stdout)
    assert stored and int(stored.group(1)) >= 30, demo.stdout[-3000:]
    assert (clone / ".venv" / "bin" / "janmat").exists()

    picked = "PYTEST_ARGS=-q -p no:cacheprovider tests/test_fresh_clone.py tests/test_normalize.py"
    test = subprocess.run(["make", "test", picked], cwd=clone, env=env, capture_output=True, text=True,
                          timeout=1200)
    assert test.returncode == 0, test.stdout[-3000:] + test.stderr[-3000:]
    assert re.search(r"\d+ passed", test.stdout), test.stdout[-3000:]
    assert "failed" not in test.stdout.splitlines()[-1]
