"""The Haryana district map of the overview: SVG paths (``data/haryana_map.json``) filled by volume or by
negative share, greyed below a minimum n, each a link that filters the search to its district."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from janmat.core.shares import Share, wilson
from janmat.web.overview import FacetRow

MAP_FILE = Path(__file__).parent / "data" / "haryana_map.json"
METRICS = ("negative", "volume")
# Five steps of one hue each (light to dark), legible for red-green colour blindness.
SCALES = {
    "negative": ("#fde0dd", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"),
    "volume": ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"),
}
GREY = "#d9d9d9"


class Shape(BaseModel):
    """One district polygon as drawn: path, fill, label position and what it stands for."""

    district: str
    shows: list[str]
    path: str
    label: tuple[float, float]
    mentions: int
    negative: Share
    fill: str
    greyed: bool
    step: int | None


class DistrictMap(BaseModel):
    """The drawn map: its view box, the shapes and the legend's thresholds."""

    view_box: str
    metric: str
    shapes: list[Shape]
    thresholds: list[float]


@lru_cache(maxsize=1)
def map_data() -> dict[str, Any]:
    """The projected district shapes (built by ``scripts/build_web_map.py``)."""
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


def draw(rows: list[FacetRow], metric: str, min_n: int) -> DistrictMap:
    """Fill each district shape from the overview's district rows (a shape adds up the districts it shows)."""
    metric = metric if metric in METRICS else "negative"
    by_key = {row.key: row for row in rows}
    counted = []
    for entry in map_data()["districts"]:
        shown = [by_key[k] for k in entry["shows"] if k in by_key]
        n = sum(row.mentions for row in shown)
        k = sum(row.negative.k for row in shown)
        counted.append((entry, n, wilson(k, n)))
    if metric == "volume":
        top = max((n for _, n, _ in counted), default=0) or 1
        thresholds = [top * step / 5 for step in range(1, 5)]
    else:
        thresholds = [0.2, 0.35, 0.5, 0.65]
    shapes = []
    for entry, n, negative in counted:
        value = n if metric == "volume" else (negative.share or 0.0)
        greyed = n < min_n
        step = None if greyed else sum(value > t for t in thresholds)
        shapes.append(Shape(
            district=entry["district"], shows=entry["shows"], path=entry["path"], label=tuple(entry["label"]),
            mentions=n, negative=negative, fill=GREY if step is None else SCALES[metric][step], greyed=greyed,
            step=step,
        ))
    return DistrictMap(view_box=map_data()["view_box"], metric=metric, shapes=shapes, thresholds=thresholds)
