"""Tone confidence that shows: the minimum-confidence filter on the command line and the API, and the calibration
arithmetic behind the probabilities (temperature fit, ECE)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import httpx
import numpy as np
import pytest

from janmat.core.mention import IST, DistrictTag, Mention, Sentiment
from janmat.store import open_store
from nlp.calibration import expected_calibration_error, fit_temperature, reliability
from tests.test_cli import janmat
from tests.web_server import serve_app

TONES = [("m1", "negative", 0.93), ("m2", "negative", 0.55), ("m3", "positive", 0.81), ("m4", "neutral", 0.38)]


def _store_with_scored_mentions(path: Path):
    store = open_store(f"sqlite:///{path}")
    store.upsert([
        Mention(id=mid, text=f"हिसार में खबर {mid}", published_at=datetime(2026, 3, 2, 9, tzinfo=IST),
                districts=[DistrictTag(name="Hisar")], sentiment=Sentiment(label=label, score=score, model="t"))
        for mid, label, score in TONES
    ])
    return store


def test_cli_search_and_stats_leave_out_labels_below_the_minimum_confidence(tmp_path: Path):
    path = tmp_path / "j.db"
    _store_with_scored_mentions(path).close()
    found = json.loads(janmat("search", "--min-confidence", "0.6", "--json", store=path).stdout)
    assert {row["id"] for row in found["results"]} == {"m1", "m3"}
    stats = json.loads(janmat("stats", "--by", "sentiment", "--min-confidence", "0.5", "--json", store=path).stdout)
    assert stats["counts"] == {"negative": 2, "positive": 1}
    everything = json.loads(janmat("stats", "--by", "sentiment", "--json", store=path).stdout)
    assert everything["total"] == 4
    bad = janmat("search", "--min-confidence", "1.5", store=path)
    assert bad.returncode == 2 and "bad minimum confidence" in bad.stderr and "Traceback" not in bad.stderr


def test_api_search_and_stats_take_min_confidence(tmp_path: Path):
    store = _store_with_scored_mentions(tmp_path / "web.db")
    try:
        with serve_app(store) as url:
            found = httpx.get(f"{url}/api/search", params={"min_confidence": "0.8"}).json()
            assert {r["mention"]["id"] for r in found["results"]} == {"m1", "m3"}
            counts = httpx.get(f"{url}/api/stats", params={"by": "sentiment", "min_confidence": "0.5"}).json()
            assert dict(counts["counts"]) == {"negative": 2, "positive": 1}
            assert httpx.get(f"{url}/api/search", params={"min_confidence": "2"}).status_code in (400, 422)
            page = httpx.get(f"{url}/search", params={"min_confidence": "0.9"})
            assert page.status_code == 200 and "m1" in page.text and "m3" not in page.text
    finally:
        store.close()


def test_temperature_fit_softens_an_overconfident_model_and_lowers_its_ece():
    rng = np.random.default_rng(5)
    gold = rng.integers(0, 3, 3000)
    # A model that is right 70 % of the time but says so with probability ~0.99.
    predicted = np.where(rng.random(3000) < 0.7, gold, (gold + 1) % 3)
    scores = np.zeros((3000, 3))
    scores[np.arange(3000), predicted] = 5.0
    temperature = fit_temperature(scores, gold)
    assert temperature > 2.0

    def confidence(t: float) -> np.ndarray:
        exp = np.exp(scores / t)
        return (exp / exp.sum(axis=1, keepdims=True)).max(axis=1)

    correct = predicted == gold
    before, after = (expected_calibration_error(confidence(t), correct) for t in (1.0, temperature))
    assert before > 0.25 and after < 0.03


def test_reliability_bins_count_every_prediction_once():
    table = reliability([0.05, 0.35, 0.36, 0.99, 1.0], [False, True, False, True, True])
    assert sum(row["n"] for row in table) == 5
    assert table[3]["n"] == 2 and table[3]["accuracy"] == pytest.approx(0.5)
    assert table[9]["n"] == 2 and table[9]["accuracy"] == 1.0
