"""The extraction gold set: pages with hand-checked body text, listed in ``tests/data/extraction/manifest.csv``.

Three collections: ``sample`` (project-written pages under ``tests/data/extraction/pages``), ``demo`` (the sample
site's own articles, read in place from ``janmat/demo/site``) and ``shared`` (saved real pages read in place from
``<shared data>/web``, never copied). Shared by the extraction tests and ``benchmarks/extract.py``; both score with
``tests.reference_pages.token_f1``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from janmat.demo.server import SITE_DIR
from tests.reference_pages import gold_text

GOLD_DIR = Path(__file__).resolve().parent / "data" / "extraction"
MANIFEST = GOLD_DIR / "manifest.csv"


@dataclass(frozen=True)
class GoldPage:
    """One page of the gold set with its reference text (headline, standfirst, body)."""

    file: str
    url: str
    language: str
    layout: str
    collection: str
    source: str
    html: str
    gold: str


def _read(row: dict[str, str], shared: Path) -> GoldPage:
    file, gold = row["file"], row["gold"]
    if file.startswith("shared:"):
        web = shared / "web"
        relative = file.removeprefix("shared:web/")
        html = (web / relative).read_bytes().decode("utf-8", "replace")
        reference = gold_text(web, {"file": relative})
    elif file.startswith("demo:"):
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(row["url"]))
        html = (SITE_DIR / file.removeprefix("demo:")).read_text(encoding="utf-8").replace("{{BASE_URL}}", origin)
        reference = (GOLD_DIR / gold).read_text(encoding="utf-8")
    else:
        html = (GOLD_DIR / file).read_text(encoding="utf-8")
        reference = (GOLD_DIR / gold).read_text(encoding="utf-8")
    return GoldPage(file, row["url"], row["language"], row["layout"], row["collection"], row["source"], html,
                    reference)


def manifest_rows() -> list[dict[str, str]]:
    """The manifest as rows (file, url, language, layout, gold, collection, source)."""
    with MANIFEST.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def gold_pages(
    shared: Path | None = None, collections: tuple[str, ...] = ("sample", "demo", "shared")
) -> list[GoldPage]:
    """The gold pages of ``collections``; shared rows only when the shared data folder ``shared`` exists."""
    rows = [row for row in manifest_rows() if row["collection"] in collections]
    if shared is None or not (shared / "web").is_dir():
        rows = [row for row in rows if row["collection"] != "shared"]
    return [_read(row, shared or Path()) for row in rows]
