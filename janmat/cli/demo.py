"""``janmat demo``: serve the sample site, crawl, tag and store it, and print what was found."""

from __future__ import annotations

from janmat.cli.console import clear_errors, out
from janmat.cli.options import StoreOption
from janmat.cli.search import print_counts
from janmat.core.i18n import t
from janmat.core.settings import get_settings


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
    min_n = get_settings().web.map_min_n
    for facet in ("district", "scheme", "sentiment", "lang"):
        print_counts(facet, summary.counts.get(facet, []), summary.total, min_n)
