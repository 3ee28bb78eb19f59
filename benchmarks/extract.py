"""Extraction benchmark: body-text token-F1 on the gold set, by layout kind, language and collection.

    .venv/bin/python benchmarks/extract.py [--worst 10]

The gold set is ``tests/data/extraction/manifest.csv``: the project's pages (project-written sample pages that
reproduce the hard layouts of registered sources, and the demo site's articles) and, when ../shared/data is present
(or JANMAT_SHARED_DATA), the saved real pages with reference text, read in place and reported separately. The
score is the crawl benchmark's token-F1 (``tests.reference_pages.token_f1``) of title + text against the gold text,
for Janmat's extractor and for trafilatura called directly in precision and in recall mode.

Targets (issue 17): mean F1 ≥ 0.97 on the project's pages; no page below 0.5 where trafilatura's recall pass
scores ≥ 0.8.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import trafilatura
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawlers.extract import extract_page  # noqa: E402
from tests.extraction_gold import GoldPage, gold_pages  # noqa: E402
from tests.reference_pages import token_f1  # noqa: E402

SHARED = Path(os.environ.get("JANMAT_SHARED_DATA", REPO.parent / "shared" / "data")).resolve()
console = Console(width=150)


def janmat_text(page: GoldPage) -> str:
    """Janmat's extractor: title and body."""
    extracted = extract_page(page.html, page.url)
    return f"{extracted.title or ''}\n{extracted.text}"


def trafilatura_text(page: GoldPage, **options: bool) -> str:
    """trafilatura called directly on the page (title and body)."""
    document = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True, include_comments=False,
                                           **options)
    return f"{document.title or ''}\n{document.text or ''}" if document else ""


EXTRACTORS: dict[str, Callable[[GoldPage], str]] = {
    "Janmat": janmat_text,
    "trafilatura precision": lambda page: trafilatura_text(page, favor_precision=True),
    "trafilatura recall": lambda page: trafilatura_text(page, favor_recall=True),
}


def score_all(pages: list[GoldPage]) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """F1 per extractor per page (keyed by file), and CPU milliseconds per page per extractor."""
    scores: dict[str, dict[str, float]] = {}
    cpu: dict[str, float] = {}
    for name, extract in EXTRACTORS.items():
        extract(pages[0])  # warm-up: imports and lazy loads are not per-page costs
        started = time.process_time()
        scores[name] = {page.file: token_f1(extract(page), page.gold) for page in pages}
        cpu[name] = 1000 * (time.process_time() - started) / len(pages)
    return scores, cpu


def group_table(title: str, pages: list[GoldPage], key: Callable[[GoldPage], str],
                scores: dict[str, dict[str, float]]) -> Table:
    """Mean and minimum F1 of every extractor for each group of pages."""
    groups: dict[str, list[GoldPage]] = defaultdict(list)
    for page in pages:
        groups[key(page)].append(page)
    table = Table(title=title)
    table.add_column("group")
    table.add_column("pages", justify="right")
    for name in scores:
        table.add_column(f"{name} mean / min", justify="right")
    for group in sorted(groups):
        members = groups[group]
        cells = []
        for name in scores:
            values = [scores[name][page.file] for page in members]
            cells.append(f"{sum(values) / len(values):.3f} / {min(values):.3f}")
        table.add_row(group, str(len(members)), *cells)
    return table


def main() -> None:
    """Score every extractor on the gold set and print the tables and targets."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--worst", type=int, default=10, help="list this many lowest-scoring pages (default 10)")
    args = parser.parse_args()
    pages = gold_pages(SHARED)
    project = [page for page in pages if page.collection != "shared"]
    shared = [page for page in pages if page.collection == "shared"]
    console.print(f"{len(project)} project pages ({sum(p.collection == 'sample' for p in project)} sample, "
                  f"{sum(p.collection == 'demo' for p in project)} demo site), {len(shared)} shared real pages"
                  + ("" if shared else f" (not found at {SHARED / 'web'})"))
    scores, cpu = score_all(pages)

    console.print(group_table("Token-F1 by collection", pages, lambda page: page.collection, scores))
    console.print(group_table("Project pages: token-F1 by layout kind", project, lambda page: page.layout, scores))
    console.print(group_table("Project pages: token-F1 by language", project, lambda page: page.language, scores))
    if shared:
        console.print(group_table("Shared real pages: token-F1 by language", shared, lambda page: page.language,
                                  scores))

    worst = Table(title=f"Lowest {args.worst} pages for Janmat")
    for column in ("page", "layout", *scores):
        worst.add_column(column, justify="left" if column in ("page", "layout") else "right")
    for page in sorted(pages, key=lambda page: scores["Janmat"][page.file])[:args.worst]:
        worst.add_row(page.file, page.layout, *(f"{scores[name][page.file]:.3f}" for name in scores))
    console.print(worst)

    janmat, recall = scores["Janmat"], scores["trafilatura recall"]
    project_mean = sum(janmat[page.file] for page in project) / len(project)
    lost = [page.file for page in pages if recall[page.file] >= 0.8 and janmat[page.file] < 0.5]
    targets = Table(title="Targets")
    for column in ("measure", "value", "target", "met"):
        targets.add_column(column)
    targets.add_row("mean F1, project pages", f"{project_mean:.3f}", "≥ 0.97", "yes" if project_mean >= 0.97 else "NO")
    targets.add_row("pages < 0.5 where the recall pass ≥ 0.8", str(len(lost)), "0", "yes" if not lost else "NO")
    if shared:
        shared_mean = sum(janmat[page.file] for page in shared) / len(shared)
        targets.add_row("mean F1, shared real pages", f"{shared_mean:.3f}", "(reported)", "")
    for name, value in cpu.items():
        targets.add_row(f"CPU ms/page, {name}", f"{value:.1f}", "(reported)", "")
    console.print(targets)
    if lost:
        console.print("lost bodies: " + ", ".join(lost))


if __name__ == "__main__":
    main()
