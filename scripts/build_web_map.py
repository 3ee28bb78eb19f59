"""Build janmat/web/data/haryana_map.json, the district shapes the web overview draws as an SVG choropleth.

Source: notebooks/data/haryana_districts.geojson (see notebooks/data/PROVENANCE.md: geometry MIT from
covid19india, Hindi names from LGD). Each district's MultiPolygon is projected once here (equirectangular,
longitude scaled by the cosine of the state's middle latitude, so shapes keep their proportions) into SVG path
data in a 600-unit-wide box, rounded to 0.1 unit (~0.5 km), with a label point at the centroid of its largest
ring. The web app then only fills the paths; no geometry work at run time.

Run: .venv/bin/python scripts/build_web_map.py
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "notebooks" / "data" / "haryana_districts.geojson"
TARGET = REPO / "janmat" / "web" / "data" / "haryana_map.json"
WIDTH = 600.0


def ring_area_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Signed area and centroid of a closed ring (shoelace formula)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if not area:
        return 0.0, ring[0][0], ring[0][1]
    return area, cx / (6 * area), cy / (6 * area)


def build(geojson: dict[str, Any]) -> dict[str, Any]:
    """The projected map: view box and one entry per district with its path and label point."""
    points = [c for f in geojson["features"] for poly in f["geometry"]["coordinates"] for r in poly for c in r]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    squeeze = math.cos(math.radians((south + north) / 2))
    scale = WIDTH / ((east - west) * squeeze)
    height = round((north - south) * scale, 1)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return round((lon - west) * squeeze * scale, 1), round((north - lat) * scale, 1)

    districts = []
    for feature in geojson["features"]:
        parts, best = [], (0.0, 0.0, 0.0)
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                projected = [project(lon, lat) for lon, lat in ring]
                parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in projected) + "Z")
                area, cx, cy = ring_area_centroid(projected)
                if abs(area) > abs(best[0]):
                    best = (area, cx, cy)
        props = feature["properties"]
        districts.append({
            "district": props["district"], "district_hi": props["district_hi"], "lgd_code": props["lgd_code"],
            "shows": props["shows"], "path": "".join(parts), "label": [round(best[1], 1), round(best[2], 1)],
        })
    districts.sort(key=lambda d: d["district"])
    return {"view_box": f"0 0 {WIDTH:g} {height:g}", "source": "notebooks/data/haryana_districts.geojson",
            "districts": districts}


def main() -> None:
    """Read the GeoJSON, write the projected map."""
    data = build(json.loads(SOURCE.read_text(encoding="utf-8")))
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {TARGET.relative_to(REPO)}: {len(data['districts'])} districts, {TARGET.stat().st_size} bytes")


if __name__ == "__main__":
    main()
