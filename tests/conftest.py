"""Shared fixtures: where the third-party reference data lives, and fresh stores."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("JANMAT_SHARED_DATA", REPO.parent / "shared" / "data")).resolve()


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test with the reason when that folder is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference data not found at {path} (set JANMAT_SHARED_DATA to the shared/data folder)")
    return path


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own JANMAT_DATA_DIR so nothing touches the user's real store or state."""
    monkeypatch.setenv("JANMAT_DATA_DIR", str(tmp_path_factory.mktemp("janmat-data")))
    monkeypatch.delenv("JANMAT_STORE", raising=False)
    from janmat.core.settings import get_settings

    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
