"""The ``janmat`` command line: demo, ingest, tag, search, stats, eval, train, and the engine/collector groups."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from janmat.collectors.cli import collect_app
from janmat.console import clear_errors, err, out
from janmat.core.errors import ConfigError, InputError
from janmat.core.i18n import t
from janmat.core.mention import IST, Mention
from janmat.dashboards import dashboards_app
from janmat.engine import engine_app
from janmat.store import FACETS, MentionStore, open_store
from janmat.store.filters import build_query
from janmat.store.reindex import reindex_command
from janmat.store.spool import spool_app

app = typer.Typer(
    name="janmat",
    help="Janmat (जनमत): Hindi news and social-media monitoring — crawl, tag by district, scheme and tone, search.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
train_app = typer.Typer(help="Rebuild the project's trained models from labelled data.", no_args_is_help=True)
app.add_typer(train_app, name="train")



@app.callback()
def _configure() -> None:
    """Janmat (जनमत): Hindi news and social-media monitoring — crawl, tag by district, scheme and tone, search."""
    from janmat.core.logs import configure_logging
    from janmat.core.settings import get_settings

    try:
        settings = get_settings()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        err.print(f"[red]{t('error')}:[/red] invalid configuration: {problems}", highlight=False)
        raise typer.Exit(2) from None
    configure_logging(settings.core.log_level, settings.core.log_json)

StoreOption = Annotated[
    str | None,
    typer.Option("--store", help="Store URL (sqlite:///PATH, opensearch+http://…, elasticsearch+http://…); "
                 "default JANMAT_STORE or the embedded SQLite file."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]

def _open(store_url: str | None) -> MentionStore:
    from janmat.core.settings import get_settings

    return open_store(store_url or get_settings().store_url)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True, disable=not err.is_terminal,
    )


def mention_json(mention: Mention, **extra: Any) -> dict[str, Any]:
    """A mention as plain JSON, with derived keys handy for scripts (``district_keys``, ``scheme_ids``)."""
    data = mention.model_dump(mode="json")
    data["district_keys"] = mention.district_keys
    data["scheme_ids"] = mention.scheme_ids
    data.update(extra)
    return data


def _label(facet: str, key: str) -> str:
    """How a facet value is shown: sentiment labels translated, scheme ids with their name in the UI language."""
    if facet == "sentiment":
        return t(key)
    if facet == "scheme":
        from janmat.core.settings import get_settings
        from nlp.schemes import catalogue

        names = {s.id: (s.name_hi if get_settings().core.ui_lang == "hi" else s.name_en) for s in catalogue()}
        return f"{names[key]} ({key})" if key in names else key
    return key


def _print_counts(facet: str, rows: list[tuple[str, int]]) -> None:
    table = Table(title=t(facet), title_justify="left")
    table.add_column(t(facet))
    table.add_column(t("mentions"), justify="right")
    for key, count in rows:
        table.add_row(_label(facet, key), str(count))
    out.print(table)


# -- commands -------------------------------------------------------------------------------------------------


@app.command()
@clear_errors
def demo(store: StoreOption = None) -> None:
    """Serve the bundled sample news site on 127.0.0.1, crawl it, tag and store every article, print a summary."""
    from janmat.demo.run import run_demo

    summary = run_demo(store_url=store)
    out.rule(t("demo_title"))
    out.print(
        t("demo_total", total=summary.total, store=summary.store_url,
          with_district=summary.with_district, with_scheme=summary.with_scheme),
        highlight=False,
    )
    for facet in ("district", "scheme", "sentiment", "lang"):
        _print_counts(facet, summary.counts.get(facet, []))


@app.command()
@clear_errors
def ingest(
    file: Annotated[Path, typer.Argument(help="JSONL rows with 'text' and optional title, url, published_at, "
                                              "platform, source, author, id.")],
    store: StoreOption = None,
) -> None:
    """Enrich and store mentions from a JSONL file; report stored, updated and rejected rows (with why)."""
    from janmat.core.rows import mention_from_row, read_jsonl
    from pipelines.flow import FlowReport, MentionFlow

    report = FlowReport()
    lines = read_jsonl(file)

    def labelled_rows():  # type: ignore[no-untyped-def]
        for number, row in lines:
            if isinstance(row, InputError):
                report.rejected.append((f"line {number}", str(row).split(": ", 1)[-1]))
                continue
            try:
                yield f"line {number}", mention_from_row(row)
            except (InputError, ValidationError) as exc:
                why = str(exc) if isinstance(exc, InputError) else "; ".join(e["msg"] for e in exc.errors())
                report.rejected.append((f"line {number}", why))

    with _open(store) as target, _progress() as progress:
        task = progress.add_task("ingest", total=None)
        flow = MentionFlow(store=target)
        flow.process(labelled_rows(), report, on_batch=lambda n: progress.advance(task, n))
    for where, why in report.rejected:
        err.print(t("rejected_line", where=where, why=why), highlight=False)
    out.print(
        t("stored_summary", stored=report.stored, updated=report.updated,
          rejected=len(report.rejected), duplicates=report.duplicates, spooled=report.spooled),
        highlight=False,
    )
    if report.stored + report.updated + report.spooled == 0 and report.rejected:
        raise typer.Exit(1)


@app.command()
@clear_errors
def tag(
    file: Annotated[Path, typer.Argument(help="JSONL rows with 'text' (and optional title, url, id, published_at).")],
    out_file: Annotated[Path | None, typer.Option("--out", help="Write JSONL here instead of stdout.")] = None,
) -> None:
    """Enrich only (nothing stored): one output row per input row with lang, districts, schemes, sentiment…"""
    from janmat.core.rows import mention_from_row, read_jsonl
    from nlp.enrich import get_enricher, tag_record
    from nlp.neardup import NearDuplicateIndex

    enricher = get_enricher()
    clusters = NearDuplicateIndex()
    rows: list[tuple[int, Mention]] = []
    for number, row in read_jsonl(file):
        if isinstance(row, InputError):
            err.print(str(row), highlight=False)
            continue
        try:
            rows.append((number, mention_from_row(row)))
        except (InputError, ValidationError) as exc:
            err.print(f"line {number}: {exc}", highlight=False)
    mentions = enricher.enrich_many([m for _, m in rows])
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


@app.command()
@clear_errors
def search(
    query: Annotated[str | None, typer.Argument(help='Words (ANDed), "phrases", OR, -excluded.')] = None,
    district: Annotated[list[str] | None, typer.Option("--district", help="Any name: हिसार, Hisar, Gurgaon…")] = None,
    scheme: Annotated[list[str] | None, typer.Option("--scheme", help="Scheme id or name.")] = None,
    sentiment: Annotated[list[str] | None, typer.Option("--sentiment", help="positive, negative or neutral.")] = None,
    platform: Annotated[list[str] | None, typer.Option("--platform")] = None,
    source: Annotated[list[str] | None, typer.Option("--source")] = None,
    lang: Annotated[list[str] | None, typer.Option("--lang", help="hi, en, hi-Latn, mixed…")] = None,
    since: Annotated[str | None, typer.Option("--since", help="YYYY-MM-DD (IST), ISO datetime, or 24h/7d.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="YYYY-MM-DD (IST, inclusive) or ISO datetime.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=0, max=10_000)] = 20,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Search stored mentions by text and filters; newest first unless there is query text."""
    request = build_query(
        query, districts=district, schemes=scheme, sentiments=sentiment, platforms=platform, sources=source,
        langs=lang, since=since, until=until, limit=limit,
    )
    with _open(store) as target:
        result = target.search(request)
    if as_json:
        payload = {
            "total": result.total,
            "results": [mention_json(h.mention, score=h.score, highlights=h.highlights) for h in result.hits],
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
        return
    if not result.hits:
        out.print(t("no_results"))
        return
    table = Table(title=t("total_results", total=result.total), title_justify="left", show_lines=False)
    for column in ("published", "title", "district", "scheme", "sentiment", "source"):
        table.add_column(t(column))
    for hit in result.hits:
        m = hit.mention
        table.add_row(
            m.published_at.astimezone(IST).strftime("%Y-%m-%d %H:%M") if m.published_at else "",
            (m.title or m.text[:80]).strip(),
            ", ".join(m.district_keys),
            ", ".join(m.scheme_ids),
            t(m.sentiment.label) if m.sentiment else "",
            m.source.name or m.source.domain or "",
        )
    out.print(table)


@app.command()
@clear_errors
def stats(
    by: Annotated[str, typer.Option("--by", help="district/scheme/sentiment/day/source/platform/lang")] = "district",
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Count stored mentions by district, scheme, sentiment, day, source or platform."""
    if by not in FACETS:
        raise InputError(f"cannot count by {by!r}: use one of {', '.join(FACETS)}")
    with _open(store) as target:
        rows = target.counts(by)  # type: ignore[arg-type]
        total = target.count()
    if as_json:
        sys.stdout.write(json.dumps({"by": by, "total": total, "counts": dict(rows)}, ensure_ascii=False) + "\n")
        return
    _print_counts(by, rows)


@app.command("eval")
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


@train_app.command("sentiment")
@clear_errors
def train_sentiment_command(
    out_dir: Annotated[Path | None, typer.Option("--out", help="Model folder (default: nlp/models).")] = None,
    corrections: Annotated[Path | None, typer.Option("--corrections", help="Analysts' JSONL corrections "
                                                                           "(id, text, sentiment) to add.")] = None,
    data: Annotated[Path | None, typer.Option("--data", help="The shared reference data folder (shared/data, "
                                                             "holding nlp/); default: $JANMAT_SHARED_DATA.")] = None,
    seed: Annotated[int, typer.Option("--seed")] = 13,
) -> None:
    """Retrain the sentiment model reproducibly (seeded) from the labelled sets, plus corrections."""
    from nlp.train_sentiment import sentiment_data_dir, train_sentiment

    report = train_sentiment(out_dir=out_dir, seed=seed, corrections=corrections, data_dir=sentiment_data_dir(data))
    out.print(report)


@app.command()
@clear_errors
def crawl(
    source: Annotated[list[str] | None, typer.Option("--source", help="Registry key (repeatable); default: "
                                                                       "every enabled source.")] = None,
    discovery: Annotated[str, typer.Option("--via", help="news (feeds + sitemaps + listings), feeds, sitemaps "
                                                         "or listings.")] = "news",
    resume: Annotated[bool, typer.Option("--resume/--no-resume", help="Keep a Scrapy JOBDIR so a killed crawl "
                                                                      "resumes where it stopped.")] = True,
    store: StoreOption = None,
) -> None:
    """Crawl the registered news sources (crawlers/sources.yaml) through tagging into the store."""
    from crawlers.process import run_spider
    from janmat.core.settings import get_settings

    if discovery not in ("news", "feeds", "sitemaps", "listings"):
        raise InputError(f"bad --via {discovery!r}: use news, feeds, sitemaps or listings")
    from crawlers.sources import load_registry

    registry = load_registry()
    for key in source or []:
        registry.get(key)  # RegistryError (a ConfigError) names the known sources
    settings = get_settings()
    args = {"source": ",".join(source)} if source else {}
    overrides: dict[str, object] = {"JANMAT_STORE": store} if store else {}
    if resume:
        job = settings.state_dir / "jobs" / (discovery + "-" + ("-".join(sorted(source)) if source else "all"))
        overrides["JOBDIR"] = job
    status = run_spider(discovery, args, overrides)
    if status:
        raise typer.Exit(status)


@app.command()
@clear_errors
def serve(
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8765,
    store: StoreOption = None,
) -> None:
    """Run the web service: the search page at / and the JSON API under /api (OpenAPI at /docs)."""
    import uvicorn

    from janmat.web.app import create_app

    uvicorn.run(create_app(store_url=store), host=host, port=port, log_level="warning")


app.command("reindex")(clear_errors(reindex_command))
app.add_typer(spool_app, name="spool")
app.add_typer(collect_app, name="collect")
app.add_typer(dashboards_app, name="dashboards")
app.add_typer(engine_app, name="engine")


def main() -> None:  # pragma: no cover - console entry point
    """Entry point for ``python -m janmat``."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()


__all__ = ["ConfigError", "app", "main"]
