"""Packaging and configuration: the wheel carries index_templates/ and the code finds it there, not in the repo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHIPPED_PACKAGES = ("janmat", "crawlers", "nlp", "pipelines", "index_templates")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built offline from a copy of the sources, so the shared checkout gets no build/ folder."""
    pytest.importorskip("setuptools", minversion="77", reason="building the wheel offline needs setuptools>=77 "
                        "(pip install -e '.[dev]')")
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(REPO / name, source / name)
    for package in SHIPPED_PACKAGES:
        shutil.copytree(REPO / package, source / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w", str(out),
         str(source)], capture_output=True, text=True, timeout=240,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (found,) = out.glob("janmat-*.whl")
    return found


def test_wheel_carries_every_index_template_file(wheel: Path) -> None:
    expected = {
        f"index_templates/{path.relative_to(REPO / 'index_templates').as_posix()}"
        for path in (REPO / "index_templates").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert "index_templates/saved_objects/janmat-overview.ndjson" in expected
    assert "index_templates/standing-queries-index.json" in expected
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        missing = expected - names
        assert not missing, f"not in the wheel: {sorted(missing)}"
        for name in expected:
            assert archive.read(name) == (REPO / name).read_bytes(), name


def test_installed_wheel_reads_templates_and_saved_objects_from_itself(wheel: Path, tmp_path: Path) -> None:
    # Unpacking a pure-Python wheel is what pip does to install it; PYTHONPATH puts it ahead of the editable
    # checkout, and the working directory is away from the repo, so nothing can come from the source tree.
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    probe = (
        "import importlib.resources, index_templates, janmat\n"
        "from janmat.store.templates import TEMPLATES_DIR, IndexTemplates\n"
        "from janmat.dashboards import bundled_saved_objects\n"
        "assert TEMPLATES_DIR == importlib.resources.files('index_templates'), TEMPLATES_DIR\n"
        "t = IndexTemplates.load()\n"
        "print(janmat.__file__); print(index_templates.__file__)\n"
        "print(TEMPLATES_DIR); print(bundled_saved_objects())\n"
        "print(sorted(t.mappings['template']['mappings']['properties'])[:3])\n"
        "print(sorted(t.standing_queries['mappings']['properties'])[:3])\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path,
                         timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.splitlines()
    for line in lines[:4]:
        assert Path(line).resolve().is_relative_to(site.resolve()), f"{line} is not from the installed wheel"
    assert lines[4] != "[]" and lines[5] != "[]"

    check = subprocess.run([sys.executable, "-m", "janmat", "dashboards", "check"], capture_output=True, text=True,
                           env=env, cwd=tmp_path, timeout=120)
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]
    assert str(site / "index_templates" / "saved_objects" / "janmat-overview.ndjson") in check.stdout.replace("\n", "")
