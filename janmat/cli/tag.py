"""``janmat tag``: enrich the rows of a JSONL file and write one tag row per mention; nothing is stored.

Exit status: 0 every row tagged; 3 some rows refused as bad input (each named on stderr with its reason) and every
other row tagged; 2 a usage or configuration error (``janmat.cli.console``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from janmat.cli.console import check_out_file, clear_errors, err, writing
from janmat.cli.ingest import EXIT_SOME_REJECTED
from janmat.cli.rows import mentions_in
from janmat.core.i18n import t

if TYPE_CHECKING:
    from janmat.core.mention import Mention


@clear_errors
def tag(
    file: Annotated[Path, typer.Argument(help="JSONL rows with 'text' (and optional title, url, id, published_at).")],
    out_file: Annotated[Path | None, typer.Option("--out", help="Write JSONL here instead of stdout.")] = None,
) -> None:
    """Enrich only (nothing stored): one output row per good input row with lang, districts, schemes, sentiment…;
    refused rows are named on stderr (exit 0 all tagged, 3 some refused, 2 usage)."""
    from nlp.enrich import get_enricher

    rows = mentions_in(file)  # opens the file now: a missing one is an error before any work
    if out_file is not None:
        check_out_file(out_file)
    enricher = get_enricher()
    good: list[Mention] = []
    rejected = 0
    for number, found in rows:
        if isinstance(found, str):
            err.print(t("rejected_line", where=f"line {number}", why=found), highlight=False)
            rejected += 1
        else:
            good.append(found)
    mentions = enricher.enrich_many(good)
    if out_file is None:
        _write(mentions, sys.stdout)
    else:
        with writing(out_file), out_file.open("w", encoding="utf-8") as sink:
            _write(mentions, sink)
    err.print(t("tagged", n=len(mentions), rejected=rejected), highlight=False)
    if rejected:
        raise typer.Exit(EXIT_SOME_REJECTED)


def _write(mentions: list[Mention], sink: IO[str]) -> None:
    """One JSON tag row per mention, each with its near-duplicate cluster among these mentions."""
    from nlp.enrich import tag_record
    from nlp.neardup import NearDuplicateIndex

    clusters = NearDuplicateIndex()
    for mention in mentions:
        mention.near_dup_cluster = clusters.assign(mention)
        sink.write(json.dumps(tag_record(mention), ensure_ascii=False) + "\n")
