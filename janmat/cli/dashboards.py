"""``janmat dashboards import|export|check``: Janmat's saved objects in Kibana or OpenSearch Dashboards."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from janmat.cli.console import clear_errors, out
from janmat.core.errors import InputError
from janmat.store.dashboards import bundled_saved_objects, export_saved_objects, import_saved_objects
from janmat.store.saved_objects import (
    Problem,
    SavedObjects,
    check_against_engine,
    check_static,
    engine_client,
    load_saved_objects,
    parse_saved_objects,
)

dashboards_app = typer.Typer(
    help="Kibana / OpenSearch Dashboards: import, export and check Janmat's dashboards (saved objects).",
    no_args_is_help=True,
)

FileOption = Annotated[
    Path | None, typer.Option("--file", help="NDJSON file of saved objects (default: the bundled dashboards).")
]
UrlOption = Annotated[str, typer.Option("--url", help="Kibana or OpenSearch Dashboards base URL, e.g. "
                                        "http://127.0.0.1:5601 (add /s/SPACE for a Kibana space).")]
TimeoutOption = Annotated[float, typer.Option("--timeout", help="Seconds to wait for the server.")]


def _print_problems(problems: list[Problem]) -> None:
    table = Table("line", "object", "problem", title="Saved-object problems / समस्याएँ")
    for problem in problems:
        table.add_row(str(problem.line), problem.object, problem.message)
    out.print(table)


def _summary(bundle: SavedObjects) -> str:
    counts = {t: len(bundle.of_type(t)) for t in ("index-pattern", "search", "visualization", "dashboard")}
    return ", ".join(f"{n} {t}" for t, n in counts.items())


@dashboards_app.command("import")
@clear_errors
def import_command(url: UrlOption, file: FileOption = None, timeout: TimeoutOption = 60.0) -> None:
    """Import the dashboards into Kibana 8 or OpenSearch Dashboards 2 (objects with the same id are replaced)."""
    path = file or bundled_saved_objects()
    answer = import_saved_objects(url, path, timeout)
    out.print(f"imported {answer.get('successCount', 0)} saved objects into {url} / "
              f"{answer.get('successCount', 0)} वस्तुएँ आयात कीं")


@dashboards_app.command("export")
@clear_errors
def export_command(
    file: Annotated[Path, typer.Argument(help="Where to write the NDJSON.")],
    url: Annotated[str | None, typer.Option("--url", help="Export from this running Kibana / Dashboards instead "
                                            "of writing the bundled file.")] = None,
    timeout: TimeoutOption = 60.0,
) -> None:
    """Write the dashboards as NDJSON: the bundled ones, or (with --url) the ones a running server holds."""
    text = export_saved_objects(url, timeout) if url else bundled_saved_objects().read_text(encoding="utf-8")
    bundle = parse_saved_objects(text)
    try:
        file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {file}: {exc}") from exc
    out.print(f"wrote {file}: {_summary(bundle)}")


@dashboards_app.command("check")
@clear_errors
def check_command(
    file: FileOption = None,
    engine: Annotated[str | None, typer.Option(
        "--engine", help="Also check against this OpenSearch or Elasticsearch node (store URL or http URL).")] = None,
    index: Annotated[str | None, typer.Option("--index", help="Index to run against instead of the pattern.")] = None,
) -> None:
    """Validate saved objects: syntax, versions, references, fields; with --engine, real results on a node."""
    path = file or bundled_saved_objects()
    bundle = load_saved_objects(path)
    problems = check_static(bundle)
    if engine and not problems:
        engine_problems, runs = check_against_engine(bundle, engine_client(engine), index)
        problems += engine_problems
        table = Table("object", "hits", "buckets", "now anchored at", title=f"Results on {engine}")
        for run in runs:
            table.add_row(run.object, str(run.hits), "" if run.buckets is None else str(run.buckets),
                          run.anchored_at or "")
        out.print(table)
    if problems:
        _print_problems(problems)
        raise typer.Exit(1)
    out.print(f"{path}: {_summary(bundle)} — all checks passed / सभी जाँचें सफल")
