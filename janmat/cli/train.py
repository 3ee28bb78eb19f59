"""``janmat train``: rebuild the project's trained models from labelled data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from janmat.cli.console import clear_errors, out

train_app = typer.Typer(help="Rebuild the project's trained models from labelled data.", no_args_is_help=True)


@train_app.command("sentiment")
@clear_errors
def train_sentiment_command(
    out_dir: Annotated[Path | None, typer.Option("--out", help="Model folder (default: nlp/models).")] = None,
    corrections: Annotated[Path | None, typer.Option("--corrections", help="Analysts' JSONL corrections "
                                                                           "(id, text, sentiment) to add.")] = None,
    data: Annotated[Path | None, typer.Option("--data", help="The reference data folder (holding nlp/); "
                                                             "default: $JANMAT_SHARED_DATA.")] = None,
    seed: Annotated[int, typer.Option("--seed")] = 13,
    model: Annotated[str, typer.Option("--model", help="research (janmat-tone) or open (janmat-tone-open: only "
                                                       "data Janmat may redistribute).")] = "research",
    cv: Annotated[bool, typer.Option("--cv", help="Only print the cross-validation scores settings are chosen "
                                                  "by (training data only); save nothing.")] = False,
    backend: Annotated[str, typer.Option("--backend", help="linear (the shipped model) or transformer "
                                                           "(fine-tune the local model folder --base).")] = "linear",
    base: Annotated[Path | None, typer.Option("--base", help="A local Hugging Face model folder to fine-tune "
                                                             "(--backend transformer).")] = None,
    epochs: Annotated[int, typer.Option("--epochs", min=1, help="Fine-tuning epochs (transformer).")] = 2,
) -> None:
    """Retrain a tone model reproducibly (seeded) from the labelled sets, plus corrections."""
    from nlp.train_sentiment import cross_validate, sentiment_data_dir, train_sentiment, train_transformer

    data_dir = sentiment_data_dir(data) if model == "research" or data else None
    if backend not in ("linear", "transformer"):
        raise typer.BadParameter(f"use linear or transformer, not {backend!r}", param_hint="--backend")
    if backend == "transformer":
        if base is None or out_dir is None:
            raise typer.BadParameter("--backend transformer needs --base DIR and --out DIR", param_hint="--base")
        meta = train_transformer(base, out_dir, seed=seed, corrections=corrections, data_dir=data_dir, model=model,
                                 epochs=epochs)
        out.print(f"{meta['name']}-{meta['version']} → {out_dir}: {meta['examples']} examples, temperature "
                  f"{meta['temperature']}, held-back civic rows {meta['calibration']}")
        return
    if cv:
        for name, scores in cross_validate(data_dir=data_dir, seed=seed, model=model).items():
            out.print(name, {key: round(value, 4) for key, value in scores.items()})
        return
    report = train_sentiment(out_dir=out_dir, seed=seed, corrections=corrections, data_dir=data_dir, model=model)
    out.print(report)


@train_app.command("scheme-candidates")
@clear_errors
def train_scheme_candidates_command(
    out_path: Annotated[Path | None, typer.Option("--out", help="Scorer file (default: "
                                                                "nlp/models/scheme_candidates.json).")] = None,
) -> None:
    """Retrain the scheme candidate scorer from the project's labelled scheme rows (parts 1–10)."""
    from nlp.scheme_candidate_scorer import MODEL
    from nlp.train_scheme_candidates import train_scheme_scorer

    out.print(train_scheme_scorer(out_path or MODEL))
