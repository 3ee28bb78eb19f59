"""Build notebooks/data/haryana_districts.geojson, the district map the notebooks draw, from ../shared/data.

Source: geo/boundaries/haryana_districts_simplified.geojson (22 districts, MIT, derived from covid19india's
TopoJSON) plus Hindi names from geo/haryana_places.csv (LGD, GODL-India). The map predates Hansi (notified
22-Dec-2025 out of Hisar), so the Hisar polygon carries ``shows: ["Hisar", "Hansi"]`` and the notebooks add
Hansi's mentions to it. Coordinates are rounded to 4 decimals (about 11 m), plenty for a choropleth.

Run: .venv/bin/python scripts/build_district_map.py
"""

from __future__ import annotations

import csv
import json
import logging
import os
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("JANMAT_SHARED_DATA", REPO.parent / "shared" / "data"))
SOURCE = SHARED_DATA / "geo" / "boundaries" / "haryana_districts_simplified.geojson"
PLACES = SHARED_DATA / "geo" / "haryana_places.csv"
TARGET = REPO / "notebooks" / "data" / "haryana_districts.geojson"
DIGITS = 4
# Districts created after the boundary file was drawn, and the mapped district whose polygon still holds them.
NOT_YET_ON_MAP = {"Hansi": "Hisar"}

log = logging.getLogger("build_district_map")


def hindi_district_names(places_csv: Path) -> dict[str, str]:
    """English district name -> Hindi name, from the LGD-based places table."""
    with places_csv.open(encoding="utf-8", newline="") as handle:
        return {row["place_en"]: row["place_hi"] for row in csv.DictReader(handle) if row["kind"] == "district"}


def round_ring(ring: list[list[float]]) -> list[list[float]]:
    """Round a ring's coordinates and drop points that collapse onto their predecessor."""
    out: list[list[float]] = []
    for x, y, *_ in ring:
        point = [round(x, DIGITS), round(y, DIGITS)]
        if not out or out[-1] != point:
            out.append(point)
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def polygons_of(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    """The geometry as a list of polygons (each a list of rings), whether Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    raise ValueError(f"unexpected geometry type {geometry['type']!r}")


def build() -> dict[str, Any]:
    """The derived FeatureCollection: one MultiPolygon per mapped district, with Hindi names and the keys it shows."""
    source = json.loads(SOURCE.read_text(encoding="utf-8"))
    hindi = hindi_district_names(PLACES)
    features = []
    for feature in sorted(source["features"], key=lambda f: f["properties"]["district"]):
        name = feature["properties"]["district"]
        if name not in hindi or any(new not in hindi for new in NOT_YET_ON_MAP):
            raise ValueError(f"district {name!r} in the boundary file is not an LGD district in {PLACES}")
        polygons = [[round_ring(ring) for ring in polygon] for polygon in polygons_of(feature["geometry"])]
        shows = [name, *sorted(new for new, old in NOT_YET_ON_MAP.items() if old == name)]
        features.append({
            "type": "Feature",
            "properties": {
                "district": name,
                "district_hi": hindi[name],
                "lgd_code": feature["properties"]["lgd_code"],
                "shows": shows,
                "shows_hi": [hindi[key] for key in shows],
            },
            "geometry": {"type": "MultiPolygon", "coordinates": polygons},
        })
    mapped = {f["properties"]["district"] for f in features}
    missing = sorted(set(hindi) - mapped - set(NOT_YET_ON_MAP))
    if missing:
        raise ValueError(f"LGD districts with no polygon and no host district: {missing}")
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    """Write the derived map file."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    collection = build()
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with TARGET.open("w", encoding="utf-8") as handle:
        json.dump(collection, handle, ensure_ascii=False, separators=(",", ":"))
        handle.write("\n")
    log.info("wrote %s: %d districts, %d bytes", TARGET, len(collection["features"]), TARGET.stat().st_size)


if __name__ == "__main__":
    main()
