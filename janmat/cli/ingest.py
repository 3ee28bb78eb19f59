"""``janmat ingest``: enrich and store the rows of a JSONL file; every row refused goes to a rejects file.

Exit status: 0 every row stored (new, updated, a duplicate of another row, or spooled for an engine that is down);
3 some rows refused as bad input and every other row stored; 1 rows the store could not take, or nothing stored;
2 a usage or configuration error (``janmat.cli.console``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from janmat.cli.console import clear_errors, err, out, progress
from janmat.cli.options import StoreOption, open_mentions
from janmat.cli.rows import RejectsFile, default_rejects_path, rows_in
from janmat.core.i18n import t
from janmat.core.mention import Mention
from janmat.core.rows import Line

if TYPE_CHECKING:
    from pipelines.stage import FlowReport

EXIT_STORED = 0
EXIT_FAILED = 1
EXIT_SOME_REJECTED = 3
BAD_INPUT_STAGES = ("read", "validate")
"""Stages whose refusals mean the row itself is bad; a refusal by any later stage (the store) is a failure."""
SHOWN_REJECTS = 50
"""Refused rows named on stderr; the rejects file has them all."""


@clear_errors
def ingest(
    file: Annotated[Path, typer.Argument(help="JSONL rows with 'text' and optional title, url, published_at, "
                                              "platform, source, author, id.")],
    store: StoreOption = None,
    rejects: Annotated[Path | None, typer.Option(
        "--rejects", help="Write refused rows here (JSONL: line, offset, reason, stage, raw); default "
                          "FILE.rejects.jsonl beside the input, written only when a row is refused.")] = None,
) -> None:
    """Enrich and store mentions from a JSONL file; report stored and rejected rows (exit 0 all stored, 3 some
    rejected, 1 not stored, 2 usage)."""
    from pipelines.flow import FlowReport, MentionFlow

    rows = rows_in(file)
    sink = RejectsFile(rejects or default_rejects_path(file))
    report = FlowReport()
    tracker = _InFlight(report, sink)

    def labelled() -> Iterator[tuple[str, Mention]]:
        for row in rows:
            where = f"line {row.line.number}"
            if row.mention is None:
                report.reject(row.stage, where, str(row.reason))
                sink.write(row.line, str(row.reason), row.stage)
                continue
            tracker.handed(where, row.line)
            yield where, row.mention

    try:
        with open_mentions(store, create=True) as target, progress() as bar:
            task = bar.add_task("ingest", total=None)

            def batch_done(count: int) -> None:
                tracker.batch_done(count)
                bar.advance(task, count)

            MentionFlow(store=target).process(labelled(), report, on_batch=batch_done, keep=False)
    finally:
        sink.close()
    raise typer.Exit(_summarise(report, sink))


class _InFlight:
    """The lines handed to the pipeline whose batch has not finished; a row a stage refused goes to the rejects
    file with its line once its batch is done."""

    def __init__(self, report: FlowReport, sink: RejectsFile) -> None:
        self.report = report
        self.sink = sink
        self.lines: deque[tuple[str, Line]] = deque()
        self.seen: dict[str, int] = {}
        self.checked = 0

    def handed(self, where: str, line: Line) -> None:
        """A row went into the pipeline."""
        self.lines.append((where, line))

    def batch_done(self, count: int) -> None:
        """The oldest ``count`` rows handed have been through every stage."""
        done = dict(self.lines.popleft() for _ in range(min(count, len(self.lines))))
        stage_of: dict[str, str] = {}
        for stage, labels in self.report.rejected_by_stage.items():
            stage_of.update((where, stage) for where in labels[self.seen.get(stage, 0):])
            self.seen[stage] = len(labels)
        for where, why in self.report.rejected[self.checked:]:
            if where in done:
                self.sink.write(done[where], why, stage_of.get(where, ""))
        self.checked = len(self.report.rejected)


def _summarise(report: FlowReport, sink: RejectsFile) -> int:
    """Print refused rows and the totals; return the exit status."""
    rejected = report.rejected
    by_stage: dict[str, list[str]] = report.rejected_by_stage
    bad = sum(len(labels) for stage, labels in by_stage.items() if stage in BAD_INPUT_STAGES)
    failed = len(rejected) - bad
    for where, why in rejected[:SHOWN_REJECTS]:
        err.print(t("rejected_line", where=where, why=why), highlight=False)
    if len(rejected) > SHOWN_REJECTS:
        err.print(t("more_rejects", n=len(rejected) - SHOWN_REJECTS), highlight=False)
    in_store = report.stored + report.updated + report.duplicates
    # the breakdown, then the totals a script reads, in the same words: "stored" is new + updated + duplicates of
    # another row, spooled rows wait for the engine and are counted apart, "rejected" is the bad rows on both lines
    # (rows the store refused are "failed to store")
    out.print(
        t("stored_summary", stored=report.stored, updated=report.updated,
          rejected=bad, duplicates=report.duplicates, spooled=report.spooled),
        highlight=False,
    )
    totals = t("ingest_totals", stored=in_store, rejected=bad)
    if report.spooled:
        totals += t("ingest_spooled", spooled=report.spooled)
    if failed:
        totals += t("ingest_failed", failed=failed)
    if sink.count:
        totals += t("rejects_written", path=sink.path)
    out.print(totals, highlight=False)
    if failed or report.stored + report.updated + report.spooled == 0:  # a spooled row is not lost
        return EXIT_FAILED
    return EXIT_SOME_REJECTED if bad else EXIT_STORED
