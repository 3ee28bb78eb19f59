"""``janmat ingest``: enrich and store the rows of a JSONL file, reporting every row refused and why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from janmat.cli.console import clear_errors, err, out, progress
from janmat.cli.options import StoreOption, open_mentions
from janmat.cli.rows import mentions_in
from janmat.core.i18n import t
from janmat.core.mention import Mention


@clear_errors
def ingest(
    file: Annotated[Path, typer.Argument(help="JSONL rows with 'text' and optional title, url, published_at, "
                                              "platform, source, author, id.")],
    store: StoreOption = None,
) -> None:
    """Enrich and store mentions from a JSONL file; report stored, updated and rejected rows (with why)."""
    from pipelines.flow import FlowReport, MentionFlow

    report = FlowReport()
    rows = mentions_in(file)

    def labelled() -> Iterator[tuple[str, Mention]]:
        for number, found in rows:
            if isinstance(found, str):
                report.rejected.append((f"line {number}", found))
            else:
                yield f"line {number}", found

    with open_mentions(store) as target, progress() as bar:
        task = bar.add_task("ingest", total=None)
        MentionFlow(store=target).process(labelled(), report, on_batch=lambda n: bar.advance(task, n), keep=False)
    for where, why in report.rejected:
        err.print(t("rejected_line", where=where, why=why), highlight=False)
    out.print(
        t("stored_summary", stored=report.stored, updated=report.updated,
          rejected=len(report.rejected), duplicates=report.duplicates, spooled=report.spooled),
        highlight=False,
    )
    if report.stored + report.updated + report.spooled == 0 and report.rejected:
        raise typer.Exit(1)
