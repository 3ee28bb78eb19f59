"""``janmat tag``: enrich the rows of a JSONL file and write one tag row per mention; nothing is stored."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from janmat.cli.console import clear_errors, err
from janmat.cli.rows import mentions_in
from janmat.core.i18n import t


@clear_errors
def tag(
    file: Annotated[Path, typer.Argument(help="JSONL rows with 'text' (and optional title, url, id, published_at).")],
    out_file: Annotated[Path | None, typer.Option("--out", help="Write JSONL here instead of stdout.")] = None,
) -> None:
    """Enrich only (nothing stored): one output row per input row with lang, districts, schemes, sentiment…"""
    from nlp.enrich import get_enricher, tag_record
    from nlp.neardup import NearDuplicateIndex

    enricher = get_enricher()
    clusters = NearDuplicateIndex()
    good = []
    for number, found in mentions_in(file):
        if isinstance(found, str):
            err.print(f"line {number}: {found}", highlight=False)
        else:
            good.append(found)
    mentions = enricher.enrich_many(good)
    sink = out_file.open("w", encoding="utf-8") if out_file else sys.stdout
    try:
        for mention in mentions:
            mention.near_dup_cluster = clusters.assign(mention)
            sink.write(json.dumps(tag_record(mention), ensure_ascii=False) + "\n")
    finally:
        if out_file:
            sink.close()
    if out_file:
        err.print(t("tagged", n=len(mentions)))
