"""``janmat spool status|replay``: mentions waiting for a search engine that was down or refused them."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from janmat.cli.console import clear_errors, out
from janmat.cli.options import EngineStoreOption, open_engine

spool_app = typer.Typer(
    help="Mentions waiting for a search engine that was down or refused them: show them, replay them.",
    no_args_is_help=True,
)
NEVER_SPOOLS = "{url} is the embedded SQLite store, which writes directly and never spools"


@spool_app.command("status")
@clear_errors
def status_command(store: EngineStoreOption = None) -> None:
    """Show how many mentions wait in the spool, since when, and the latest reason."""
    with open_engine(store, NEVER_SPOOLS) as opened:
        found = opened.spool.status()
        refused = opened.spool.rejected(5)
    table = Table(show_header=False, box=None)
    table.add_row("spool", str(found.path))
    table.add_row("pending", str(found.pending))
    table.add_row("rejected", str(found.rejected))
    if found.oldest_pending:
        table.add_row("oldest", found.oldest_pending)
    if found.last_reason:
        table.add_row("reason", found.last_reason)
    for entry in refused:
        table.add_row("refused", f"{entry.mention.id}: {entry.reason}")
    out.print(table)


@spool_app.command("replay")
@clear_errors
def replay_command(
    store: EngineStoreOption = None,
    rejected: Annotated[
        bool, typer.Option("--rejected", help="Also retry mentions the engine refused for good (after a fix).")
    ] = False,
) -> None:
    """Send the spooled mentions to the engine, oldest first; exit 1 if some still wait."""
    with open_engine(store, NEVER_SPOOLS) as opened:
        if rejected:
            out.print(f"requeued {opened.spool.requeue_rejected()} refused mention(s)")
        report = opened.replay_spool()
        left = opened.spool.status()
    out.print(
        f"replayed: {report.stored} new, {report.updated} updated, {len(report.failed)} refused; "
        f"still pending: {left.pending}"
    )
    if left.pending:
        raise typer.Exit(1)
