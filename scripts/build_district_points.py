"""Build nlp/resources/district_points.json: one map point (the headquarters) per Haryana district.

Sources (read here only, never at run time): ../shared/data/geo/boundaries/haryana_district_hq_points.geojson
for the 22 districts of the 2011 map, and haryana_subdistrict_hq_points_2011.geojson for Hansi (a district since
22 Dec 2025, headquartered at Hansi town, a sub-district headquarters in 2011). Both come from datta07/INDIAN-
SHAPEFILES (MIT); see nlp/resources/PROVENANCE.md. Output: {"District": [lon, lat]} with coordinates rounded to
five decimals (about a metre), keys sorted, so a rebuild is byte-identical.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("JANMAT_SHARED_DATA", REPO.parent / "shared" / "data")).resolve()
BOUNDARIES = SHARED / "geo" / "boundaries"
OUT = REPO / "nlp" / "resources" / "district_points.json"
# Spellings in the 2011 point file that differ from the LGD names the gazetteer uses.
LGD_NAMES = {"Charki Dadri": "Charkhi Dadri"}


def _point(feature: dict) -> list[float]:
    lon, lat = feature["geometry"]["coordinates"][:2]
    return [round(lon, 5), round(lat, 5)]


def build() -> dict[str, list[float]]:
    """District name -> [lon, lat] of its headquarters."""
    hq = json.loads((BOUNDARIES / "haryana_district_hq_points.geojson").read_text(encoding="utf-8"))
    points = {LGD_NAMES.get(f["properties"]["DTNAME"], f["properties"]["DTNAME"]): _point(f) for f in hq["features"]}
    towns = json.loads((BOUNDARIES / "haryana_subdistrict_hq_points_2011.geojson").read_text(encoding="utf-8"))
    hansi = [f for f in towns["features"] if f["properties"].get("LOC_NAME") == "Hansi"]
    if len(hansi) != 1:
        sys.exit(f"expected one Hansi point in the sub-district file, found {len(hansi)}")
    points["Hansi"] = _point(hansi[0])
    return dict(sorted(points.items()))


def main() -> None:
    """Write the resource file."""
    points = build()
    if len(points) != 23:
        sys.exit(f"expected 23 Haryana districts, got {len(points)}: {sorted(points)}")
    lines = [f"  {json.dumps(name)}: [{lon}, {lat}]" for name, (lon, lat) in points.items()]
    OUT.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)}: {len(points)} district points")


if __name__ == "__main__":
    main()
