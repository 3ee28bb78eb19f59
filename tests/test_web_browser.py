"""The search page in a real headless Chromium: it renders results, counts and Hindi labels from the live API."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

import pytest

from janmat.core.mention import IST, DistrictTag, Mention, Sentiment
from janmat.store import open_store
from tests.web_server import serve_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--virtual-time-budget=15000", "--window-size=1280,900",
]

pytestmark = pytest.mark.browser


def chromium(*args: str) -> subprocess.CompletedProcess:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120
        )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('ui') / 'ui.db'}")
    store.upsert([
        Mention(id="u1", title="रोहतक में पेंशन में देरी से बुजुर्ग परेशान", text="रोहतक में बुढ़ापा पेंशन तीन महीने से नहीं आई।",
                published_at=datetime(2026, 4, 1, 9, tzinfo=IST), districts=[DistrictTag(name="Rohtak")],
                sentiment=Sentiment(label="negative", score=0.9, model="t")),
        Mention(id="u2", title="करनाल में स्वास्थ्य शिविर", text="करनाल में मुफ्त स्वास्थ्य शिविर लगाया गया।",
                published_at=datetime(2026, 4, 2, 9, tzinfo=IST), districts=[DistrictTag(name="Karnal")],
                sentiment=Sentiment(label="positive", score=0.8, model="t")),
    ])
    with serve_app(store) as url:
        yield url
    store.close()


def test_page_renders_results_and_counts_in_hindi(site):
    dom = chromium("--dump-dom", f"{site}/?lang=hi").stdout
    assert 'data-ready="yes"' in dom
    assert dom.count('class="hit"') == 2
    assert "रोहतक में पेंशन में देरी से बुजुर्ग परेशान" in dom
    assert "नकारात्मक" in dom and "ज़िलेवार" in dom
    assert "<td>Rohtak</td>" in dom


def test_page_filters_by_query_and_switches_to_english(site):
    dom = chromium("--dump-dom", f"{site}/?lang=en&q=पेंशन").stdout
    assert dom.count('class="hit"') == 1
    assert "<mark>पेंशन</mark>" in dom
    assert "By district" in dom


def test_bad_query_shows_the_error_instead_of_results(site):
    dom = chromium("--dump-dom", f"{site}/?lang=en&q=%22unbalanced").stdout
    assert 'data-ready="error"' in dom
    assert "unbalanced quote" in dom


def test_screenshot_is_written(site, tmp_path: Path):
    target = tmp_path / "search.png"
    chromium(f"--screenshot={target}", f"{site}/?lang=hi")
    assert target.exists() and target.stat().st_size > 10_000
