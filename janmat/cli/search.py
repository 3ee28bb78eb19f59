"""``janmat search`` and ``janmat stats``: read stored mentions back, as tables or JSON, with the same filters.

Both commands take the search filters (``SearchFilters``): query text, district, scheme, tone, platform, source,
language, dates (``--since`` / ``--until`` / ``--on``) and the misinformation flag. Names and labels are accepted in
Hindi wherever Janmat prints them in Hindi (हिसार, नकारात्मक, ``--by ज़िला``, ``आज`` / ``कल``).
"""

from __future__ import annotations

import functools
import inspect
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Annotated, Any, TypeVar, get_type_hints

import typer
from rich.table import Table

from janmat.cli.console import clear_errors, out
from janmat.cli.options import JsonOption, StoreOption, open_mentions
from janmat.core.errors import InputError
from janmat.core.i18n import message, t
from janmat.core.mention import IST, Mention
from janmat.core.settings import get_settings
from janmat.core.shares import Share, wilson
from janmat.store.base import FACETS, MentionQuery

F = TypeVar("F", bound=Callable[..., Any])

MAX_COLUMNS = 12
"""A cross-tab with more values of its second facet than this prints one row per pair instead of a grid."""


@dataclass(frozen=True)
class SearchFilters:
    """What the user typed to narrow mentions down, before it is checked (``to_query``)."""

    query: Annotated[str | None, typer.Argument(help='Words (ANDed), "phrases", OR, -excluded.')] = None
    district: Annotated[list[str] | None, typer.Option(
        "--district", help="Any name: हिसार, Hisar, Gurgaon…")] = None
    scheme: Annotated[list[str] | None, typer.Option("--scheme", help="Scheme id or name (English or Hindi).")] = None
    sentiment: Annotated[list[str] | None, typer.Option(
        "--sentiment", help="positive, negative or neutral (सकारात्मक, नकारात्मक, तटस्थ).")] = None
    platform: Annotated[list[str] | None, typer.Option("--platform", help="news, x, youtube, facebook…")] = None
    source: Annotated[list[str] | None, typer.Option("--source", help="Outlet, channel or account name.")] = None
    lang: Annotated[list[str] | None, typer.Option("--lang", help="hi, en, hi-Latn, mixed…")] = None
    since: Annotated[str | None, typer.Option(
        "--since", help="YYYY-MM-DD (IST), YYYY-MM, ISO datetime, today/yesterday/आज/कल, or 24h/7d/2w.")] = None
    until: Annotated[str | None, typer.Option(
        "--until", help="Like --since; a day or month counts to its end.")] = None
    on: Annotated[str | None, typer.Option(
        "--on", help="One day, month or range: आज, 2026-03, 2026-03-01..2026-03-07 (instead of --since/--until).")
    ] = None
    misinformation: Annotated[bool | None, typer.Option(
        "--misinformation/--no-misinformation", help="Only mentions flagged as misinformation, or only unflagged.")
    ] = None
    min_confidence: Annotated[float | None, typer.Option(
        "--min-confidence", help="Only mentions whose tone label has at least this probability (0–1, e.g. 0.6).")
    ] = None

    def to_query(self, limit: int = 20) -> MentionQuery:
        """The checked MentionQuery; a bad value is an InputError naming it."""
        from janmat.store.filters import build_query

        since, until = self.since, self.until
        if self.on:
            if since or until:
                raise InputError("--on is a date range of its own: use it without --since / --until")
            since, dots, until = self.on.partition("..")
            until = until if dots else since
        return build_query(
            self.query, districts=self.district, schemes=self.scheme, sentiments=self.sentiment,
            platforms=self.platform, sources=self.source, langs=self.lang, since=since or None,
            until=until or None, misinformation=self.misinformation, min_confidence=self.min_confidence,
            limit=limit,
        )


def with_filters(command: F) -> F:
    """Give a command every search filter as an option (the query text as its argument); the command receives
    them as one ``filters: SearchFilters`` parameter. Typer reads the options from the signature made here."""
    hints = get_type_hints(SearchFilters, include_extras=True)
    resolved = {field.name: hints[field.name] for field in fields(SearchFilters)}
    extra = [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None, annotation=hint)
             for name, hint in resolved.items()]
    own_hints = get_type_hints(command, include_extras=True)
    own = [p.replace(annotation=own_hints[p.name]) for p in inspect.signature(command).parameters.values()
           if p.name != "filters"]

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> Any:
        given = {name: kwargs.pop(name, None) for name in resolved}
        return command(filters=SearchFilters(**given), **kwargs)

    wrapper.__signature__ = inspect.Signature([extra[0], *own, *extra[1:]])  # type: ignore[attr-defined]
    wrapper.__annotations__ = {**{p.name: p.annotation for p in own}, **resolved}
    return wrapper  # type: ignore[return-value]


def ist_time(moment: datetime | None, missing: str = "") -> str:
    """A moment as the CLI shows it: ``YYYY-MM-DD HH:MM`` in IST, as every table of mentions does (``missing`` when
    there is none)."""
    return moment.astimezone(IST).strftime("%Y-%m-%d %H:%M") if moment else missing


def mention_json(mention: Mention, **extra: Any) -> dict[str, Any]:
    """A mention as plain JSON, with derived keys handy for scripts (``district_keys``, ``scheme_ids``)."""
    data = mention.model_dump(mode="json")
    data["district_keys"] = mention.district_keys
    data["scheme_ids"] = mention.scheme_ids
    data.update(extra)
    return data


def facet_name(value: str) -> str:
    """A facet from its English name or its label in either language (``district``, ``ज़िला``, ``जिला``, ``Day``)."""
    from nlp.normalize import normalize_text

    wanted = normalize_text(value.strip()).lower()
    for facet in FACETS:
        names = {facet, message(facet, "en"), message(facet, "hi")}
        if wanted in {normalize_text(name).lower() for name in names}:
            return facet
    choices = ", ".join(f"{f} ({message(f, 'hi')})" for f in FACETS)
    raise InputError(f"cannot count by {value!r}: use one of {choices}")


def _name(facet: str, key: str) -> str:
    """A district's or scheme's name in the interface language, without its key (a search result's columns)."""
    label = _label(facet, key)
    return label.removesuffix(f" ({key})") if facet in ("district", "scheme") else label


def _label(facet: str, key: str) -> str:
    """How a facet value is shown: tones translated; schemes and, in Hindi, districts named with their key."""
    if facet == "sentiment":
        return t(key)
    from janmat.core.settings import get_settings

    hindi = get_settings().core.ui_lang == "hi"
    if facet == "scheme":
        from nlp.schemes import catalogue

        names = {s.id: (s.name_hi if hindi else s.name_en) for s in catalogue()}
        return f"{names[key]} ({key})" if names.get(key) else key
    if facet == "district" and hindi:
        from nlp.gazetteer import load_gazetteer

        found = load_gazetteer().districts.get(key)
        return f"{found.name_hi} ({key})" if found and found.name_hi else key
    return key


def share_text(share: Share) -> str:
    """``58 % (43–72)``: a share and its 95 % interval in whole percents."""
    if share.share is None or share.low is None or share.high is None:
        return "–"
    return f"{share.share:.0%} ({share.low * 100:.0f}–{share.high * 100:.0f})"


def share_json(share: Share) -> dict[str, float | int | None]:
    """A share for ``--json``: k, n, the share and its 95 % Wilson interval, rounded to 4 places."""
    rounded = {name: None if value is None else round(value, 4)
               for name, value in (("share", share.share), ("low", share.low), ("high", share.high))}
    return {"k": share.k, "n": share.n, **rounded}


def print_counts(facet: str, rows: list[tuple[str, int]], total: int, min_n: int) -> None:
    """A table of mention counts by one facet (district, scheme, sentiment, …), each with its share of the
    ``total`` matching mentions and the share's 95 % interval."""
    table = Table(title=t(facet), title_justify="left")
    table.add_column(t(facet))
    table.add_column(t("mentions"), justify="right")
    table.add_column(t("share_ci"), justify="right", no_wrap=True)
    for key, count in rows:
        table.add_row(_label(facet, key), str(count), share_text(wilson(count, total)))
    out.print(table)
    if 0 < total < min_n:
        out.print(t("few_mentions_note", n=min_n), style="dim")


def _cell(k: int, row_total: int) -> str:
    return f"{k} · {share_text(wilson(k, row_total))}" if k else "0"


def row_totals(rows: list[tuple[str, str, int]]) -> dict[str, int]:
    """Mentions per ``by1`` value of a cross-tab: the n each of its row's shares rests on."""
    totals: dict[str, int] = {}
    for first, _, n in rows:
        totals[first] = totals.get(first, 0) + n
    return totals


def print_cross_tab(by1: str, by2: str, rows: list[tuple[str, str, int]], min_n: int) -> None:
    """A cross-tab: a grid (``by1`` values down, ``by2`` values across, with totals), or one row per pair when
    ``by2`` has too many values for a terminal. Each cell shows its share of its row with the 95 % interval (the
    share of Hisar's mentions that are negative); a row of fewer than ``min_n`` mentions is greyed, as on the map."""
    totals: dict[str, int] = {}
    for _, second, n in rows:
        totals[second] = totals.get(second, 0) + n
    per_row = row_totals(rows)
    seconds = sorted(totals, key=lambda value: (0 if by2 == "day" else -totals[value], value))
    title = f"{t(by1)} × {t(by2)}"
    if len(seconds) > MAX_COLUMNS:
        table = Table(title=title, title_justify="left")
        for column in (t(by1), t(by2)):
            table.add_column(column)
        table.add_column(t("mentions"), justify="right")
        table.add_column(t("share_ci"), justify="right", no_wrap=True)
        for first, second, n in rows:
            table.add_row(_label(by1, first), _label(by2, second), str(n), share_text(wilson(n, per_row[first])),
                          style="dim" if per_row[first] < min_n else None)
    else:
        grid: dict[str, dict[str, int]] = {}
        for first, second, n in rows:
            grid.setdefault(first, {})[second] = n
        table = Table(title=title, title_justify="left")
        table.add_column(t(by1))
        for second in seconds:
            table.add_column(_label(by2, second), justify="right", no_wrap=True)
        table.add_column(t("total"), justify="right")
        for first, cells in grid.items():
            table.add_row(_label(by1, first), *(_cell(cells.get(s, 0), per_row[first]) for s in seconds),
                          str(per_row[first]), style="dim" if per_row[first] < min_n else None)
    out.print(table)
    out.print(t("row_share_note", n=min_n), style="dim")


@clear_errors
@with_filters
def search(
    filters: SearchFilters,
    limit: Annotated[int, typer.Option("--limit", min=0, max=10_000)] = 20,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Search stored mentions by text and filters; newest first unless there is query text."""
    request = filters.to_query(limit=limit)
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
            ist_time(m.published_at),
            (m.title or m.text[:80]).strip(),
            ", ".join(_name("district", key) for key in m.district_keys),
            ", ".join(_name("scheme", key) for key in m.scheme_ids),
            t(m.sentiment.label) if m.sentiment else "",
            m.source.name or m.source.domain or "",
        )
    out.print(table)


@clear_errors
@with_filters
def stats(
    filters: SearchFilters,
    by: Annotated[list[str] | None, typer.Option(
        "--by", help="district/scheme/sentiment/day/source/platform/lang (or ज़िला, योजना, रुख़…); twice for a "
                     "cross-tab: --by district --by sentiment")] = None,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Count the mentions matching the filters by one facet, or cross-tab them by two."""
    facets = [facet_name(value) for value in by or ["district"]]
    if len(facets) > 2 or len(set(facets)) != len(facets):
        raise InputError("give --by once, or twice with two different facets (e.g. --by district --by sentiment)")
    query = filters.to_query(limit=1)
    with open_mentions(store) as target:
        total = target.count(query)
        if len(facets) == 1:
            rows = target.counts(facets[0], query)  # type: ignore[arg-type]
        else:
            pairs = target.counts2(facets[0], facets[1], query)  # type: ignore[arg-type]
    min_n = get_settings().web.map_min_n
    if len(facets) == 1:
        if as_json:
            payload = {"by": facets[0], "total": total, "counts": dict(rows),
                       "shares": {key: share_json(wilson(count, total)) for key, count in rows}}
            sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        else:
            print_counts(facets[0], rows, total, min_n)
        return
    if as_json:
        per_row = row_totals(pairs)
        nested: dict[str, dict[str, int]] = {}
        shares: dict[str, dict[str, dict[str, float | int | None]]] = {}
        for first, second, n in pairs:
            nested.setdefault(first, {})[second] = n
            shares.setdefault(first, {})[second] = share_json(wilson(n, per_row[first]))
        payload = {"by": facets, "total": total, "counts": nested, "row_shares": shares, "min_n": min_n}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return
    print_cross_tab(facets[0], facets[1], pairs, min_n)
