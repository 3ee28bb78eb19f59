"""Packaging and configuration: the wheel carries index_templates/ and the code finds it there, not in the repo."""

from __future__ import annotations

import csv
import json
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
        "from janmat.store.dashboards import bundled_saved_objects\n"
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


def _run(args: list[str], env_changes: dict[str, str | None], cwd: Path = REPO) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "JANMAT_SHARED_DATA"}
    env.update({k: v for k, v in env_changes.items() if v is not None})
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=240)


def test_train_sentiment_without_data_is_one_clear_error_even_beside_shared(tmp_path: Path) -> None:
    # Run from the checkout, where ../shared/data may well exist: the trainer must not go looking for it.
    run = _run(["-m", "janmat", "train", "sentiment", "--out", str(tmp_path / "model")], {})
    assert run.returncode == 2, run.stdout + run.stderr
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "--data" in lines[0] and "JANMAT_SHARED_DATA" in lines[0], run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "model").exists()


@pytest.mark.parametrize("module", ["nlp.train_sentiment", "nlp.train_entities"])
def test_trainer_modules_refuse_a_folder_without_their_sets(module: str, tmp_path: Path) -> None:
    (tmp_path / "nlp").mkdir()
    run = _run(["-m", module, "--data", str(tmp_path), str(tmp_path / "model")], {})
    assert run.returncode == 2, run.stdout + run.stderr
    assert str(tmp_path / "nlp") in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "model").exists()

    unset = _run(["-m", module, str(tmp_path / "model")], {})
    assert unset.returncode == 2 and "JANMAT_SHARED_DATA" in unset.stderr, unset.stderr


def test_nlp_folder_passed_as_data_gets_a_hint_to_pass_its_parent(tmp_path: Path) -> None:
    from nlp.reference_data import ReferenceDataError, reference_nlp_dir

    (tmp_path / "nlp" / "il-ner-hindi").mkdir(parents=True)
    with pytest.raises(ReferenceDataError, match="pass its parent"):
        reference_nlp_dir(tmp_path / "nlp", ["il-ner-hindi"])
    assert reference_nlp_dir(tmp_path, ["il-ner-hindi"]) == (tmp_path / "nlp").resolve()


def test_janmat_shared_data_is_read_through_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from janmat.core.settings import get_settings
    from nlp.reference_data import ReferenceDataError
    from nlp.train_sentiment import NEEDED_SETS, sentiment_data_dir

    for name in NEEDED_SETS:
        (tmp_path / "nlp" / name).mkdir(parents=True)
    monkeypatch.setenv("JANMAT_SHARED_DATA", str(tmp_path))
    get_settings.cache_clear()
    assert get_settings().nlp.shared_data == tmp_path
    assert sentiment_data_dir() == (tmp_path / "nlp").resolve()
    other = tmp_path / "elsewhere"
    other.mkdir()
    with pytest.raises(ReferenceDataError, match="elsewhere"):
        sentiment_data_dir(other)  # --data wins over the environment


def test_janmat_train_sentiment_trains_from_the_data_folder_it_is_given(tmp_path: Path) -> None:
    from tests.test_sentiment import _small_data_dir

    reference = tmp_path / "reference"
    _small_data_dir(reference / "nlp")
    run = _run(["-m", "janmat", "train", "sentiment", "--data", str(reference), "--out", str(tmp_path / "model")],
               {"JANMAT_SHARED_DATA": str(tmp_path / "not-this-one")})
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert (tmp_path / "model" / "sentiment.joblib").stat().st_size > 0
    metrics = json.loads((tmp_path / "model" / "sentiment_metrics.json").read_text(encoding="utf-8"))
    reviews = reference / "nlp" / "iitp-product-reviews"
    rows = 0
    for name in ("hi-train.csv", "hi-valid.csv"):
        with (reviews / name).open(encoding="utf-8", newline="") as handle:
            rows += sum(1 for row in csv.reader(handle) if len(row) >= 2 and row[1].strip())
    deva = metrics["examples"]["deva"]
    assert deva["iitp-pr"] + deva["iitp-pr valid"] == rows  # the train and valid files, each under its own name


def test_engine_launcher_takes_java_home_and_heap_from_settings(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from janmat import engine
    from janmat.core.errors import ConfigError
    from janmat.core.settings import get_settings

    jdk = tmp_path / "jdk"
    (jdk / "bin").mkdir(parents=True)
    (jdk / "bin" / "java").write_text("#!/bin/sh\n", encoding="utf-8")
    # A .env file is read by the settings and never reaches os.environ: the launcher must go through settings.
    (tmp_path / ".env").write_text(f"JANMAT_OPENSEARCH_JAVA_HOME={jdk}\nJANMAT_OPENSEARCH_HEAP=300m\n"
                                   f"JANMAT_ENGINE_DIR={tmp_path / 'engines'}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("JANMAT_OPENSEARCH_JAVA_HOME", "JANMAT_OPENSEARCH_HEAP", "JANMAT_ENGINE_DIR"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()

    cmd, _, _ = engine._opensearch_command(tmp_path / "build", tmp_path / "home", 9299)
    assert cmd[0] == str(jdk / "bin" / "java")
    assert "-Xms300m" in cmd and "-Xmx300m" in cmd
    assert engine.run_dir() == (tmp_path / "engines").resolve()

    monkeypatch.setenv("JANMAT_ELASTICSEARCH_JAVA_HOME", str(tmp_path / "no-jdk"))
    get_settings.cache_clear()
    with pytest.raises(ConfigError, match="JANMAT_ELASTICSEARCH_JAVA_HOME"):
        engine._java_home("elasticsearch")


def test_bad_engine_settings_are_one_clear_error(tmp_path: Path) -> None:
    run = _run(["-m", "janmat", "engine", "status", "opensearch"],
               {"JANMAT_OPENSEARCH_HEAP": "lots", "JANMAT_ENGINE_DIR": str(tmp_path)})
    assert run.returncode == 2, run.stdout + run.stderr
    assert "JANMAT_ENGINE_OPENSEARCH_HEAP" in run.stderr and "'lots'" in run.stderr and "Traceback" not in run.stderr
