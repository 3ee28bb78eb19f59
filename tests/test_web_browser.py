"""The analyst screens in a real headless Chromium (Debian's, driven by Playwright for Python): search results
and counts in Hindi, the overview's map and trend, filtering by a click on a district, the language switch, a
correction saved and shown, an export equal to the rows shown, hostile content that runs nothing, and a phone
screen without horizontal scroll (the Alerts screen too). Screenshots go to the test's tmp dir."""

from __future__ import annotations

import csv
import io
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from janmat.alerts.ledger import Claim
from janmat.alerts.model import Alert, AlertMention
from janmat.alerts.rules import parse_rule
from janmat.alerts.storage import open_alert_state
from janmat.core.mention import IST, DistrictTag, Mention, Sentiment
from janmat.store import open_store
from tests.web_sample import HOSTILE_ID, sample_mentions
from tests.web_server import serve_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Browser:
    if CHROMIUM is None:
        message = "Chromium is not installed (Debian: apt-get install chromium)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, tmp_path: Path) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    opened.screenshot_dir = tmp_path  # type: ignore[attr-defined]
    yield opened
    context.close()


def shot(page: Page, name: str) -> Path:
    target = page.screenshot_dir / f"{name}.png"  # type: ignore[attr-defined]
    page.screenshot(path=str(target), full_page=True)
    return target


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


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('week') / 'week.db'}")
    store.upsert(sample_mentions())
    with serve_app(store) as url:
        yield url
    store.close()


def test_page_renders_results_and_counts_in_hindi(site, page):
    page.goto(f"{site}/search?ui=hi")
    dom = page.content()
    assert 'data-ready="yes"' in dom
    assert dom.count('class="hit"') == 2
    assert "रोहतक में पेंशन में देरी से बुजुर्ग परेशान" in dom
    assert "नकारात्मक" in dom and "ज़िलेवार" in dom
    assert "रोहतक" in page.locator("#by-district").inner_text()  # district names in Hindi, not "Rohtak"


def test_page_filters_by_query_and_switches_to_english(site, page):
    page.goto(f"{site}/search?ui=en&q=पेंशन")
    dom = page.content()
    assert dom.count('class="hit"') == 1
    assert "<mark>पेंशन</mark>" in dom
    assert "By district" in dom


def test_bad_query_shows_the_error_instead_of_results(site, page):
    page.goto(f"{site}/search?ui=en&q=%22unbalanced")
    dom = page.content()
    assert 'data-ready="error"' in dom
    assert "unbalanced quote" in dom


def test_screenshot_is_written(site, page):
    page.goto(f"{site}/search?ui=hi")
    target = shot(page, "search")
    assert target.exists() and target.stat().st_size > 10_000


def test_overview_loads_with_map_and_trend(week, page):
    page.goto(f"{week}/?ui=hi")
    assert page.locator("#map svg a.district").count() == 22
    assert page.locator("#trend svg rect.bar").count() >= 7
    hisar = page.locator('#map a.district[data-district="Hisar"]')
    assert hisar.get_attribute("data-n") == "13" and "greyed" not in hisar.get_attribute("class")
    assert "greyed" in page.locator('#map a.district[data-district="Ambala"]').get_attribute("class")
    assert hisar.locator("text").text_content() == "13"  # n is written on the map
    assert page.locator("#spreading li.cluster").count() == 1
    assert "अलर्ट" in page.locator("#alerts").inner_text()
    assert shot(page, "overview").stat().st_size > 30_000


def test_clicking_a_district_filters_the_search(week, page):
    page.goto(f"{week}/?ui=hi")
    page.locator('#map a.district[data-district="Rohtak"]').click()
    page.wait_for_url("**/search?**")
    assert page.locator("#district").input_value() == "Rohtak"
    rows = page.locator("tr.hit")
    assert rows.count() == 10
    assert all("रोहतक" in rows.nth(i).locator(".c-districts").inner_text() for i in range(rows.count()))


def test_district_can_be_chosen_with_the_keyboard(week, page):
    page.goto(f"{week}/?ui=en")
    page.locator('#map a.district[data-district="Rohtak"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?**")
    assert page.locator("tr.hit").count() == 10


def test_language_toggle_switches_and_is_remembered(week, page):
    page.goto(f"{week}/?ui=hi")
    assert page.locator("h1").inner_text() == "क्या कहा जा रहा है"
    page.locator("#lang-toggle").click()
    page.wait_for_load_state()
    page.goto(f"{week}/search")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Search mentions"
    page.locator("#lang-toggle").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "उल्लेख खोजें"


def test_a_correction_is_saved_and_visible(week, page):
    page.goto(f"{week}/mentions/s05?ui=hi")
    assert page.locator("#tag-sentiment .badge").inner_text() == "नकारात्मक"
    page.select_option("#c-sentiment", "positive")
    page.fill("#c-districts", "हिसार, जींद")
    page.fill("#c-note", "व्यंग्य")
    page.locator("#correction button[type=submit]").click()
    page.wait_for_url("**/mentions/s05?saved=1")
    assert page.locator("#saved").is_visible()
    assert page.locator("#tag-sentiment .badge").inner_text() == "सकारात्मक"
    assert "जींद" in page.locator("#tag-districts").inner_text()
    history = page.locator("#corrections li")
    assert history.count() == 2 and "local" in history.first.inner_text()
    shot(page, "correction")


def test_export_rows_equal_the_rows_shown(week, page):
    page.goto(f"{week}/search?ui=hi&q=पेंशन&sort=newest")
    shown = [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in page.locator("tr.hit").all()]
    ids = page.locator("tr.hit").evaluate_all("rows => rows.map(r => r.dataset.id)")
    with page.expect_download() as download:
        page.locator("#export-csv").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert [row["आईडी"] for row in rows] == ids and len(rows) == len(shown) > 5
    for cells, row in zip(shown, rows, strict=True):
        assert cells[0] == row["प्रकाशित (IST)"]
        assert cells[1].startswith(row["शीर्षक"])
        assert cells[3] == row["ज़िले"] and cells[5] == row["रुख़"] and cells[6] == row["भ्रामक"]


def test_hostile_mention_runs_nothing(week, page):
    dialogs, console, errors = [], [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in (f"/mentions/{HOSTILE_ID}?ui=en", "/search?q=धरना&ui=en", "/?ui=en"):
        page.goto(f"{week}{path}")
        page.wait_for_load_state("networkidle")
    page.goto(f"{week}/mentions/{HOSTILE_ID}?ui=en")
    assert "<script>" in page.locator("#mention-title").inner_text()  # shown as text
    assert page.locator("a[href^='javascript:'], a[href^='data:']").count() == 0
    assert page.locator("img, svg[onload], script:not([src])").count() == 0
    assert page.locator("a.origin").get_attribute("href").startswith("https://evil.example.in/")
    shot(page, "hostile")
    assert dialogs == [] and console == [] and errors == []


def test_no_horizontal_scroll_on_a_390px_phone(week, browser, tmp_path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    phone = context.new_page()
    try:
        for name, path in (("phone-overview", "/?ui=hi"), ("phone-search", "/search?q=पेंशन&ui=hi"),
                           ("phone-mention", "/mentions/s01?ui=hi")):
            phone.goto(f"{week}{path}")
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (path, width)
            phone.screenshot(path=str(tmp_path / f"{name}.png"), full_page=False)
        phone.goto(f"{week}/search?ui=hi")
        box = phone.locator("#by-district td.n").first.bounding_box()  # the counts are not cut off
        assert box is not None and box["x"] + box["width"] <= 390
    finally:
        context.close()


def test_alerts_screen_has_no_horizontal_scroll_on_a_390px_phone(browser, tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'alerts.db'}")
    now = datetime.now(UTC).replace(microsecond=0)
    alert = Alert(id="phone-1", rule_id="r-phone", rule_name="चिरायु हिसार", kind="spike", district="Hisar",
                  scheme="chirayu_haryana", window_start=now - timedelta(hours=1), window_end=now, count=23,
                  baseline=2.0, reason="23 mentions in 1 h against 2.0 expected", fired_at=now,
                  top=[AlertMention(id="u1", title="हिसार में चिरायु कार्ड से इलाज नहीं " * 6, source="bhaskar")])
    with open_alert_state(store) as state:
        state.add_rule(parse_rule({"name": "चिरायु हिसार", "districts": ["हिसार"], "schemes": ["Chirayu Haryana"],
                                   "sentiment": "नकारात्मक", "channels": ["telegram", "email"], "cooldown": "30m"}))
        assert state.claim(Claim(alert, "Hisar|chirayu_haryana", now.timestamp(), 3600))
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    phone = context.new_page()
    try:
        with serve_app(store) as url:
            phone.goto(f"{url}/alerts?ui=hi")
            assert phone.locator("#fired-table tr.fired-row").count() == 1
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, width
            phone.screenshot(path=str(tmp_path / "phone-alerts.png"), full_page=False)
    finally:
        context.close()
        store.close()
