"""What Janmat's notebooks share: the plotting style (Devanagari fonts), a store to read, mentions as a table,
bilingual labels, and the Haryana district map.

Needs the ``notebooks`` extra (matplotlib, pandas). The store is ``JANMAT_STORE`` when set (any backend);
otherwise the bundled demo is crawled into a fresh SQLite file, so every notebook runs on a bare machine.
"""

from __future__ import annotations

import json
import logging
import math
import os
import tempfile
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.dates as mdates
import pandas as pd
from matplotlib import font_manager, ft2font, patheffects
from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Polygon
from matplotlib.ticker import MaxNLocator

from janmat.core.mention import IST, Mention
from janmat.store import MentionQuery, MentionStore, open_store

log = logging.getLogger(__name__)

DEVANAGARI_FONTS = ("Noto Sans Devanagari", "Lohit Devanagari", "Mukta", "Hind", "Mangal", "Nirmala UI")
"""Font families that carry Devanagari, in order of preference (Debian: ``fonts-noto-core``)."""
LATIN_FONTS = ("Noto Sans", "DejaVu Sans")

SENTIMENT_ORDER = ("negative", "neutral", "positive")
SENTIMENT_LABELS = {"positive": "सकारात्मक / positive", "negative": "नकारात्मक / negative",
                    "neutral": "तटस्थ / neutral"}
SENTIMENT_COLORS = {"positive": "#2a9d8f", "negative": "#d1495b", "neutral": "#9aa5b1"}
PLATFORM_LABELS = {
    "news": "समाचार / news", "x": "X", "youtube": "YouTube", "facebook": "Facebook", "telegram": "Telegram",
    "gnews": "Google News", "factcheck": "फ़ैक्ट-चेक / fact-check", "other": "अन्य / other",
}
LANG_LABELS = {"hi": "हिंदी / Hindi", "en": "अंग्रेज़ी / English", "hi-Latn": "रोमन हिंदी / romanised Hindi",
               "mixed": "मिश्रित / mixed"}
UNTAGGED = "untagged"
UNTAGGED_LABEL = "बिना टैग / untagged"
UNTAGGED_COLOR = "#e4e7eb"
FIGURE_DIR_ENV = "JANMAT_NOTEBOOK_FIGURES"
"""When set, ``save_main_chart`` also writes each notebook's main chart there as a PNG (CI looks at them)."""


class NoDevanagariFontError(RuntimeError):
    """No installed font can draw Devanagari; charts would show boxes instead of Hindi."""


def devanagari_font() -> str:
    """The first installed font family that draws Devanagari, or NoDevanagariFontError saying what to install."""
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    for family in DEVANAGARI_FONTS:
        if family in installed:
            return family
    raise NoDevanagariFontError(
        "no Devanagari font found: install one (Debian/Ubuntu: apt-get install fonts-noto-core) "
        "and clear matplotlib's font cache"
    )


def use_janmat_style() -> None:
    """Set matplotlib's style for Janmat charts: Latin font first, Devanagari fallback, readable sizes.

    Matplotlib ≥ 3.11 shapes text with libraqm, so conjuncts and matras (क्षे, द्र, ़) come out right, and falls
    back glyph by glyph through ``font.family``; a missing glyph becomes a warning we turn into an error.
    """
    family = devanagari_font()
    if not hasattr(ft2font, "__libraqm_version__"):
        log.warning("this matplotlib has no libraqm: Hindi conjuncts and matras may be drawn unshaped; "
                    "install matplotlib >= 3.11")
    latin = [name for name in LATIN_FONTS if name in {e.name for e in font_manager.fontManager.ttflist}]
    mpl.rcParams.update({
        "font.family": [*latin[:1], family, "DejaVu Sans"],
        "font.size": 11,
        "axes.titlesize": 13,
        "axes.titleweight": "bold",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "figure.dpi": 100,
        "savefig.dpi": 120,
        "savefig.bbox": "tight",
        "axes.unicode_minus": False,
    })
    warnings.filterwarnings("error", message=r"Glyph \d+ .* missing from", category=UserWarning)


def open_notebook_store() -> MentionStore:
    """The store named by ``JANMAT_STORE``, or a fresh SQLite store filled by running the bundled demo."""
    url = os.environ.get("JANMAT_STORE")
    if url:
        log.info("reading the store at %s", url)
        return open_store(url)
    from janmat.demo.run import run_demo

    path = Path(tempfile.mkdtemp(prefix="janmat-notebook-")) / "demo.db"
    url = f"sqlite:///{path}"
    log.info("JANMAT_STORE is not set: running the demo into %s", path)
    run_demo(store_url=url)
    return open_store(url)


def iter_mentions(store: MentionStore, query: MentionQuery | None = None, page: int = 500) -> Iterator[Mention]:
    """Every mention matching the query, newest first, fetched a page at a time."""
    query = query or MentionQuery()
    offset = 0
    while True:
        result = store.search(query.model_copy(update={"limit": page, "offset": offset}))
        yield from (hit.mention for hit in result.hits)
        offset += len(result.hits)
        if not result.hits or offset >= result.total:
            return


MENTION_COLUMNS = ["id", "published_at", "day", "platform", "source", "lang", "title", "sentiment", "districts",
                   "schemes", "misinformation", "misinfo_flags", "cluster", "url"]


def mention_row(mention: Mention) -> dict[str, Any]:
    """One mention as a flat table row (dates in IST; districts and schemes as lists of keys).

    ``districts`` holds the tagged districts only (``Mention.tagged_district_keys``): the notebooks count by
    exploding it, and an ``also_under`` key would count older Hisar coverage under Hansi a second time.
    """
    published = mention.published_at.astimezone(IST) if mention.published_at else None
    return {
        "id": mention.id,
        "published_at": published,
        "day": published.date() if published else None,
        "platform": mention.platform.value,
        "source": mention.source.name or mention.source.domain or "?",
        "lang": mention.lang,
        "title": mention.title or mention.text[:80],
        "sentiment": mention.sentiment.label if mention.sentiment else None,
        "districts": mention.tagged_district_keys,
        "schemes": mention.scheme_ids,
        "misinformation": mention.misinformation.flagged,
        "misinfo_flags": list(mention.misinformation.flags),
        "cluster": mention.near_dup_cluster,
        "url": mention.url,
    }


def mentions_frame(store: MentionStore, query: MentionQuery | None = None) -> pd.DataFrame:
    """The matching mentions as a pandas DataFrame, one row per mention (see ``mention_row``)."""
    frame = pd.DataFrame([mention_row(m) for m in iter_mentions(store, query)], columns=MENTION_COLUMNS)
    frame["published_at"] = pd.to_datetime(frame["published_at"], utc=True).dt.tz_convert("Asia/Kolkata")
    return frame


def sentiment_label(label: str) -> str:
    """``नकारात्मक / negative`` for ``negative``; unknown labels unchanged."""
    return SENTIMENT_LABELS.get(label, label)


def platform_label(platform: str) -> str:
    """Bilingual platform name."""
    return PLATFORM_LABELS.get(platform, platform)


def lang_label(lang: str | None) -> str:
    """Bilingual language name (``हिंदी / Hindi`` for ``hi``)."""
    return LANG_LABELS.get(lang or "", lang or "?")


def scheme_labels() -> dict[str, str]:
    """Scheme id -> ``हिंदी नाम / English name`` from Janmat's scheme catalogue."""
    from nlp.schemes import catalogue

    return {scheme.id: f"{scheme.name_hi} / {scheme.name_en}" for scheme in catalogue()}


def is_haryana(district_key: str) -> bool:
    """True for Haryana district keys (bare names); other states' keys are ``State:District``."""
    return ":" not in district_key


def sentiment_table(store: MentionStore, by: str, query: MentionQuery | None = None) -> pd.DataFrame:
    """Mentions per value of a facet, one column per sentiment plus ``untagged`` and ``total`` (from ``counts``)."""
    query = query or MentionQuery()
    totals = dict(store.counts(by, query))  # type: ignore[arg-type]
    table = pd.DataFrame(index=pd.Index(list(totals), name=by))
    for label in SENTIMENT_ORDER:
        per_value = dict(store.counts(by, query.model_copy(update={"sentiments": [label]})))  # type: ignore[arg-type]
        table[label] = [per_value.get(value, 0) for value in table.index]
    table["total"] = [totals[value] for value in table.index]
    table[UNTAGGED] = table["total"] - table[list(SENTIMENT_ORDER)].sum(axis=1)
    return table.sort_values("total", ascending=False)


# ---------------------------------------------------------------------------------------------------------------
# The district map.


@dataclass(frozen=True)
class DistrictShape:
    """One mapped district: its polygons (lon/lat rings) and the Janmat district keys it stands for."""

    name: str
    name_hi: str
    shows: tuple[str, ...]
    shows_hi: tuple[str, ...]
    polygons: tuple[tuple[tuple[tuple[float, float], ...], ...], ...]

    def label(self) -> str:
        """The Hindi name, with districts drawn inside it named too (``हिसार + हांसी``)."""
        return " + ".join(self.shows_hi)


def load_district_map(path: Path | str) -> list[DistrictShape]:
    """Read the notebooks' Haryana map (``notebooks/data/haryana_districts.geojson``)."""
    collection = json.loads(Path(path).read_text(encoding="utf-8"))
    shapes = []
    for feature in collection["features"]:
        props = feature["properties"]
        polygons = tuple(
            tuple(tuple((float(x), float(y)) for x, y in ring) for ring in polygon)
            for polygon in feature["geometry"]["coordinates"]
        )
        shapes.append(DistrictShape(props["district"], props["district_hi"], tuple(props["shows"]),
                                    tuple(props["shows_hi"]), polygons))
    return shapes


def district_names_hi(shapes: Iterable[DistrictShape]) -> dict[str, str]:
    """District key -> Hindi name, for every district the map shows (Hansi included)."""
    return {key: hi for shape in shapes for key, hi in zip(shape.shows, shape.shows_hi, strict=True)}


def values_per_shape(shapes: Iterable[DistrictShape], values: Mapping[str, float]) -> dict[str, float]:
    """Sum per-district values onto the mapped districts (Hansi's count goes into the Hisar polygon)."""
    return {shape.name: sum(values.get(key, 0.0) for key in shape.shows) for shape in shapes}


def _ring_centroid(ring: tuple[tuple[float, float], ...]) -> tuple[float, float, float]:
    """(x, y, |area|) of a closed ring by the shoelace formula."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in pairwise(ring):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not area:
        return ring[0][0], ring[0][1], 0.0
    return cx / (3 * area), cy / (3 * area), abs(area) / 2


def plot_district_choropleth(
    ax: Axes, shapes: list[DistrictShape], values: Mapping[str, float], *, cmap: str = "OrRd",
    vmin: float | None = None, vmax: float | None = None, label_format: str = "{:.0f}", colorbar_label: str = "",
) -> None:
    """Fill each mapped district by its value (keyed by mapped district name), label it in Hindi with the value."""
    patches, colors, missing = [], [], []
    for shape in shapes:
        for polygon in shape.polygons:
            patch = Polygon(polygon[0], closed=True)
            if shape.name in values and not math.isnan(values[shape.name]):
                patches.append(patch)
                colors.append(values[shape.name])
            else:
                missing.append(patch)
    finite = [v for v in values.values() if not math.isnan(v)]
    norm = mpl.colors.Normalize(vmin=min(finite, default=0) if vmin is None else vmin,
                                vmax=max(finite, default=1) if vmax is None else vmax)
    filled = PatchCollection(patches, cmap=cmap, norm=norm, edgecolor="white", linewidth=0.8)
    filled.set_array(colors)
    ax.add_collection(filled)
    ax.add_collection(PatchCollection(missing, facecolor="#eeeeee", edgecolor="white", linewidth=0.8, hatch="//"))
    for shape in shapes:
        x, y, _ = max((_ring_centroid(polygon[0]) for polygon in shape.polygons), key=lambda c: c[2])
        value = values.get(shape.name, float("nan"))
        text = shape.label() + ("" if math.isnan(value) else "\n" + label_format.format(value))
        ax.annotate(text, (x, y), ha="center", va="center", fontsize=7.5, color="#111111",
                    path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")])
    ax.autoscale_view()
    mid_lat = sum(ax.get_ylim()) / 2
    ax.set_aspect(1 / math.cos(math.radians(mid_lat)))
    ax.set_axis_off()
    ax.figure.colorbar(filled, ax=ax, shrink=0.7, label=colorbar_label)


PLATFORM_COLORS = ("#3d5a80", "#ee6c4d", "#98c1d9", "#293241", "#e0a458", "#7a9e7e", "#b56576", "#9aa5b1")


def per_month(frame: pd.DataFrame, column: str = "platform") -> pd.DataFrame:
    """Mentions per IST calendar month (every month from the first to the last, empty ones as 0) and value of
    ``column``; undated mentions are left out."""
    dated = frame.dropna(subset=["published_at"])
    months = dated["published_at"].dt.tz_convert(IST).dt.tz_localize(None).dt.to_period("M")
    table = dated.groupby([months.rename("month"), dated[column]]).size().unstack(column, fill_value=0)
    if table.empty:
        return table
    every = pd.period_range(table.index.min(), table.index.max(), freq="M")
    table = table.reindex(every, fill_value=0)
    table.index = table.index.to_timestamp()
    return table


def plot_per_month(ax: Axes, table: pd.DataFrame, label: Any = platform_label) -> Axes:
    """Stacked monthly bars on a real date axis: the axis spans the first to the last month with a little margin,
    bars are a month wide wherever the months lie, and a date locator keeps the ticks few and readable (pandas'
    own bar plot puts datetime bars at category positions that a date axis then crowds into one edge)."""
    bottom = pd.Series(0, index=table.index)
    for number, column in enumerate(table.columns):
        ax.bar(table.index, table[column], width=25, bottom=bottom, align="edge", label=label(column),
               color=PLATFORM_COLORS[number % len(PLATFORM_COLORS)])
        bottom = bottom + table[column]
    if len(table.index):
        start, end = table.index.min(), table.index.max() + pd.offsets.MonthBegin(1)
        ax.set_xlim(start - pd.Timedelta(days=10), end + pd.Timedelta(days=10))
    locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts of mentions
    ax.legend(loc="upper left", frameon=False)
    return ax


def save_main_chart(fig: Figure, name: str) -> Path | None:
    """Write the notebook's main chart as ``<name>.png`` under ``JANMAT_NOTEBOOK_FIGURES`` when that is set."""
    folder = os.environ.get(FIGURE_DIR_ENV)
    if not folder:
        return None
    path = Path(folder) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    return path
