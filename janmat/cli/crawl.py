"""``janmat crawl``: crawl the registered news sources through the pipeline into the store."""

from __future__ import annotations

from typing import Annotated

import typer

from janmat.cli.console import clear_errors
from janmat.cli.options import StoreOption
from janmat.core.errors import InputError

DISCOVERY = ("news", "feeds", "sitemaps", "listings")
"""The spiders ``--via`` names: ``news`` runs feeds, sitemaps and listings together."""


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
    from crawlers.sources import load_registry
    from janmat.core.settings import get_settings

    if discovery not in DISCOVERY:
        raise InputError(f"bad --via {discovery!r}: use news, feeds, sitemaps or listings")
    registry = load_registry()
    for key in source or []:
        registry.get(key)  # RegistryError (a ConfigError) names the known sources
    args = {"source": ",".join(source)} if source else {}
    overrides: dict[str, object] = {"JANMAT_STORE": store} if store else {}
    if resume:
        job = discovery + "-" + ("-".join(sorted(source)) if source else "all")
        overrides["JOBDIR"] = get_settings().state_dir / "jobs" / job
    status = run_spider(discovery, args, overrides)
    if status:
        raise typer.Exit(status)
