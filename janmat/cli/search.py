"""``janmat search`` and ``janmat stats``: read stored mentions back, as tables or JSON."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.table import Table

from janmat.cli.console import clear_errors, out
from janmat.cli.options import JsonOption, StoreOption, open_mentions
from janmat.core.errors import InputError
from janmat.core.i18n import t
from janmat.core.mention import IST, Mention


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


def print_counts(facet: str, rows: list[tuple[str, int]]) -> None:
    """A table of mention counts by one facet (district, scheme, sentiment, …)."""
    table = Table(title=t(facet), title_justify="left")
    table.add_column(t(facet))
    table.add_column(t("mentions"), justify="right")
    for key, count in rows:
        table.add_row(_label(facet, key), str(count))
    out.print(table)


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
    from janmat.store.filters import build_query

    request = build_query(
        query, districts=district, schemes=scheme, sentiments=sentiment, platforms=platform, sources=source,
        langs=lang, since=since, until=until, limit=limit,
    )
    with open_mentions(store) as target:
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


@clear_errors
def stats(
    by: Annotated[str, typer.Option("--by", help="district/scheme/sentiment/day/source/platform/lang")] = "district",
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Count stored mentions by district, scheme, sentiment, day, source or platform."""
    from janmat.store import FACETS

    if by not in FACETS:
        raise InputError(f"cannot count by {by!r}: use one of {', '.join(FACETS)}")
    with open_mentions(store) as target:
        rows = target.counts(by)  # type: ignore[arg-type]
        total = target.count()
    if as_json:
        sys.stdout.write(json.dumps({"by": by, "total": total, "counts": dict(rows)}, ensure_ascii=False) + "\n")
        return
    print_counts(by, rows)
