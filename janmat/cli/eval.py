"""``janmat eval``: score the taggers on labelled rows."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from janmat.cli.console import clear_errors
from janmat.cli.options import JsonOption


@clear_errors
def evaluate(
    file: Annotated[Path, typer.Argument(help="Labelled JSONL in the format of the dev set (see docs/eval.md).")],
    dataset: Annotated[str, typer.Option("--dataset", help="Format of FILE: dev (default) or a public sentiment "
                                                           "set: iitp-pr, iitp-mr, sentimix.")] = "dev",
    as_json: JsonOption = False,
) -> None:
    """Score the taggers on labelled rows: district and scheme P/R/F1, sentiment, language, misinformation."""
    from nlp.evaluate import evaluate_file, render

    report = evaluate_file(file, dataset=dataset)
    sys.stdout.write(render(report, as_json=as_json) + "\n")
