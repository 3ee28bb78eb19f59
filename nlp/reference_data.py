"""Where the model trainers find the third-party reference data: only where the user says, never guessed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from janmat.core.errors import InputError
from janmat.core.settings import get_settings


class ReferenceDataError(InputError):
    """No reference data folder was given, or the one given lacks the labelled sets a trainer needs."""


def reference_nlp_dir(data: Path | None, needed: Iterable[str]) -> Path:
    """The ``nlp/`` folder under ``data`` (``--data``) or ``JANMAT_SHARED_DATA``, checked to hold ``needed``."""
    base = data if data is not None else get_settings().nlp.shared_data
    if base is None:
        raise ReferenceDataError("no reference data folder: pass --data DIR (the reference data folder) "
                                 "or set JANMAT_SHARED_DATA")
    base = Path(base).expanduser()
    if not base.is_dir():
        raise ReferenceDataError(f"reference data folder not found: {base} (pass --data DIR)")
    folder = base / "nlp"
    needed = list(needed)
    missing = [name for name in needed if not (folder / name).exists()]
    if missing:
        hint = " (it looks like the nlp/ folder itself: pass its parent)" if all(
            (base / name).exists() for name in needed) else ""
        raise ReferenceDataError(f"{base} is not the reference data folder: {folder} lacks "
                                 f"{', '.join(missing)}{hint}")
    return folder.resolve()


def write_metrics(path: Path, report: Any) -> None:
    """Write a trainer's report (its ``as_dict()``) as the sorted, stable JSON kept beside the model."""
    import json

    path.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                    encoding="utf-8")


def trainer_main(
    argv: list[str] | None, *, module: str, description: str, out_help: str,
    train: Callable[[Path | None, int, Path | None], Any],
) -> None:
    """The command line shared by the trainers (``python -m MODULE --data DIR [out_dir] [--seed N]``): run
    ``train(out_dir, seed, data)`` and print its report; bad or missing data is one line and exit 2."""
    import argparse
    import logging

    from rich.console import Console

    parser = argparse.ArgumentParser(prog=f"python -m {module}", description=description)
    parser.add_argument("out_dir", nargs="?", type=Path, help=out_help)
    parser.add_argument("--data", type=Path, help="the reference data folder (default: $JANMAT_SHARED_DATA)")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    try:
        report = train(args.out_dir, args.seed, args.data)
    except InputError as exc:
        parser.exit(2, f"error: {exc}\n")
    Console().print(report)
