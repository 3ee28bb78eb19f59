"""The notebooks run top to bottom (nbclient) on demo data, and their charts draw Devanagari with a real font.

Each notebook is executed as a user would run it: without ``JANMAT_STORE`` it crawls the bundled demo into a
temporary SQLite file. One notebook also runs on the real OpenSearch test node (see tests/demo_on_engine.py).
Every notebook writes its main chart to ``JANMAT_NOTEBOOK_FIGURES``; the test checks the PNG is a real chart.
"""

from __future__ import annotations

import json
import os
import re
import sys
import warnings
from itertools import pairwise
from pathlib import Path

import matplotlib
import matplotlib.image as mpimg
import matplotlib.pyplot as plt
import nbformat
import pytest
from nbclient import NotebookClient

from janmat.notebook import (
    NoDevanagariFontError,
    devanagari_font,
    load_district_map,
    use_janmat_style,
    values_per_shape,
)
from tests.conftest import shared_data
from tests.demo_on_engine import demo_on_opensearch

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
MAP_FILE = NOTEBOOKS / "data" / "haryana_districts.geojson"
ALL_NOTEBOOKS = sorted(path.name for path in NOTEBOOKS.glob("*.ipynb"))
STORE_LINE = re.compile(r"store: (\S+) — (\d+) उल्लेख / mentions")


def execute(name: str, figures: Path, env: dict[str, str]) -> nbformat.NotebookNode:
    """Run one notebook in a fresh kernel with the given environment; raises on the first failing cell."""
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JANMAT_NOTEBOOK_FIGURES", str(figures))
        patch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
        for key, value in env.items():
            patch.setenv(key, value)
        if "JANMAT_STORE" not in env:
            patch.delenv("JANMAT_STORE", raising=False)
        NotebookClient(notebook, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return notebook


def outputs_text(notebook: nbformat.NotebookNode) -> str:
    """Every stream and text output of the executed notebook, joined."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.append(json.dumps(output.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def assert_is_a_chart(png: Path) -> None:
    """The PNG exists, is chart-sized, and is not blank (a good part of it is drawn ink)."""
    assert png.is_file(), f"{png.name} was not written"
    image = mpimg.imread(png)
    height, width = image.shape[:2]
    assert width >= 800 and height >= 400, (width, height)
    ink = (image[..., :3].mean(axis=2) < 0.9).mean()
    assert ink > 0.03, f"{png.name} is almost blank ({ink:.1%} drawn)"


def test_there_are_at_least_four_notebooks() -> None:
    assert len(ALL_NOTEBOOKS) >= 4, ALL_NOTEBOOKS


@pytest.mark.parametrize("name", ALL_NOTEBOOKS)
def test_notebook_runs_on_the_demo_and_saves_its_main_chart(name: str, tmp_path: Path) -> None:
    notebook = execute(name, tmp_path / "figures", {"JANMAT_DATA_DIR": str(tmp_path / "data")})
    text = outputs_text(notebook)
    store = STORE_LINE.search(text)
    assert store and store.group(1).startswith("sqlite:///") and int(store.group(2)) > 0, text[:500]
    assert "missing from font" not in text and "Glyph" not in text
    (chart,) = (tmp_path / "figures").glob("*.png")
    assert chart.stem == Path(name).stem
    assert_is_a_chart(chart)


@pytest.mark.engine
def test_sentiment_notebook_runs_on_opensearch(tmp_path: Path) -> None:
    with demo_on_opensearch(tmp_path / "engine-data") as demo:
        notebook = execute("01_sentiment_by_district.ipynb", tmp_path / "figures", {
            "JANMAT_STORE": demo.store_url, "JANMAT_INDEX_PREFIX": demo.prefix,
            "JANMAT_DATA_DIR": str(tmp_path / "data")})
    store = STORE_LINE.search(outputs_text(notebook))
    assert store and store.group(1).startswith("opensearch") and int(store.group(2)) == demo.total
    assert_is_a_chart(tmp_path / "figures" / "01_sentiment_by_district.png")


# -- the style: Devanagari glyphs come from a Devanagari font, never boxes -------------------------------------


def _draw(text: str) -> None:
    fig, ax = plt.subplots()
    ax.set_title(text)
    fig.canvas.draw()
    plt.close(fig)


def test_janmat_style_draws_hindi_labels_without_missing_glyphs() -> None:
    with matplotlib.rc_context(), warnings.catch_warnings():
        use_janmat_style()
        assert "Devanagari" in devanagari_font()
        warnings.simplefilter("error")
        _draw("ज़िलेवार नकारात्मक हिस्सा — कुरुक्षेत्र, प्रधानमंत्री / Negative share")


def test_without_a_devanagari_font_the_same_label_would_be_boxes() -> None:
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _draw("ज़िलेवार नकारात्मक हिस्सा")
    assert any("missing from font" in str(w.message) for w in caught)


def test_a_machine_without_devanagari_fonts_gets_a_clear_instruction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("janmat.notebook.DEVANAGARI_FONTS", ("No Such Devanagari Font",))
    with pytest.raises(NoDevanagariFontError, match="fonts-noto-core"):
        devanagari_font()


# -- the district map ----------------------------------------------------------------------------------------------


def test_hansi_mentions_are_drawn_inside_hisar() -> None:
    shapes = load_district_map(MAP_FILE)
    assert "Hansi" not in {shape.name for shape in shapes}
    per_shape = values_per_shape(shapes, {"Hisar": 2, "Hansi": 3, "Sirsa": 1})
    assert per_shape["Hisar"] == 5 and per_shape["Sirsa"] == 1 and per_shape["Ambala"] == 0
    (hisar,) = [shape for shape in shapes if shape.name == "Hisar"]
    assert hisar.label() == "हिसार + हांसी"


def test_notebook_district_counts_count_older_hisar_coverage_once(tmp_path: Path) -> None:
    """Exploding the frame's districts (as the notebooks do) gives the store's counts, not also_under keys too."""
    from datetime import datetime

    from janmat.core.mention import IST, DistrictTag, Mention
    from janmat.notebook import mentions_frame
    from janmat.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'n.db'}")
    try:
        store.upsert([
            Mention(id="pre", text="नारनौंद में धरना", published_at=datetime(2025, 11, 3, tzinfo=IST),
                    districts=[DistrictTag(name="Hisar", also_under=["Hansi"])]),
            Mention(id="post", text="नारनौंद में धरना", published_at=datetime(2026, 1, 15, tzinfo=IST),
                    districts=[DistrictTag(name="Hansi")]),
        ])
        counted = mentions_frame(store).explode("districts")["districts"].value_counts().to_dict()
        assert counted == {"Hisar": 1, "Hansi": 1} == dict(store.counts("district"))
        per_shape = values_per_shape(load_district_map(MAP_FILE), counted)
        assert per_shape["Hisar"] == 2  # both stories inside the Hisar polygon, each once
    finally:
        store.close()


def test_the_map_has_every_lgd_district_of_haryana() -> None:
    import csv

    places = shared_data("geo", "haryana_places.csv")
    with places.open(encoding="utf-8", newline="") as handle:
        lgd = {row["place_en"] for row in csv.DictReader(handle) if row["kind"] == "district"}
    shown = {key for shape in load_district_map(MAP_FILE) for key in shape.shows}
    assert shown == lgd


def test_committed_map_is_what_the_build_script_writes() -> None:
    shared_data("geo", "boundaries", "haryana_districts_simplified.geojson")
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import build_district_map
    finally:
        sys.path.remove(str(REPO / "scripts"))
    assert build_district_map.build() == json.loads(MAP_FILE.read_text(encoding="utf-8"))


def test_notebooks_are_committed_without_outputs() -> None:
    for name in ALL_NOTEBOOKS:
        notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
        nbformat.validate(notebook)
        assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), name


def test_no_notebook_reads_shared_data_at_run_time() -> None:
    for name in ALL_NOTEBOOKS:
        assert "shared" not in (NOTEBOOKS / name).read_text(encoding="utf-8"), name
    assert os.sep + "shared" + os.sep not in MAP_FILE.read_text(encoding="utf-8")


# -- the per-month chart: its axis spans the data, ticks readable ------------------------------------------------


def test_per_month_chart_spans_the_data_with_readable_ticks() -> None:
    """Months from March 2025 to November 2026 with gaps (as the demo has): every month gets a bar on a date
    axis that runs from the first to the last month, and the month ticks are few and do not overlap."""
    import matplotlib.dates as mdates
    import pandas as pd

    from janmat.notebook import per_month, plot_per_month

    dates = pd.to_datetime(["2025-03-27", "2025-03-30", "2025-08-18", "2026-01-05", "2026-01-20", "2026-11-12"])
    frame = pd.DataFrame({"published_at": dates.tz_localize("Asia/Kolkata"),
                          "platform": ["news", "x", "news", "youtube", "news", "news"]})
    table = per_month(frame)
    assert len(table) == 21 and table.sum().sum() == 6  # every month from 2025-03 to 2026-11, gaps as 0
    assert table.loc["2025-04-01"].sum() == 0 and table.loc["2026-01-01", "news"] == 1
    with matplotlib.rc_context():
        use_janmat_style()
        fig, ax = plt.subplots(figsize=(12, 4))
        plot_per_month(ax, table)
        fig.canvas.draw()
        low, high = ax.get_xlim()
        first, last = mdates.date2num(table.index[0]), mdates.date2num(table.index[-1])
        assert low <= first and last + 25 <= high and (high - low) < (last - first) + 80  # spans the data, no more
        bars = [patch for patch in ax.patches if patch.get_height() > 0]
        assert len(bars) == 6 and all(low <= bar.get_x() <= high for bar in bars)  # one per month and platform
        assert {round(bar.get_x()) for bar in bars} >= {round(first), round(last)}  # first and last month drawn
        labels = [label for label in ax.get_xticklabels() if label.get_text()]
        assert 3 <= len(labels) <= 12
        boxes = [label.get_window_extent() for label in labels]
        assert not any(a.overlaps(b) for a, b in pairwise(boxes))
        plt.close(fig)
