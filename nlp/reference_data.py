"""Where the model trainers find the third-party reference data: only where the user says, never guessed."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from janmat.errors import InputError
from janmat.settings import get_settings


class ReferenceDataError(InputError):
    """No reference data folder was given, or the one given lacks the labelled sets a trainer needs."""


def reference_nlp_dir(data: Path | None, needed: Iterable[str]) -> Path:
    """The ``nlp/`` folder under ``data`` (``--data``) or ``JANMAT_SHARED_DATA``, checked to hold ``needed``."""
    base = data if data is not None else get_settings().shared_data
    if base is None:
        raise ReferenceDataError("no reference data folder: pass --data DIR (the shared/data folder) "
                                 "or set JANMAT_SHARED_DATA")
    base = Path(base).expanduser()
    if not base.is_dir():
        raise ReferenceDataError(f"reference data folder not found: {base} (pass --data DIR, the shared/data folder)")
    folder = base / "nlp"
    needed = list(needed)
    missing = [name for name in needed if not (folder / name).exists()]
    if missing:
        hint = " (it looks like the nlp/ folder itself: pass its parent)" if all(
            (base / name).exists() for name in needed) else ""
        raise ReferenceDataError(f"{base} is not the reference data folder: {folder} lacks "
                                 f"{', '.join(missing)}{hint}")
    return folder.resolve()
