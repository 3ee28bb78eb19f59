"""``janmat brief`` on a SQLite store with known data: the HTML's numbers against numbers computed here from the
stored rows, the PDF printed by Chromium, the page rendered to PNG by Chromium with its Devanagari shaped by a
Devanagari font (no .notdef boxes, conjuncts formed), and ``--email`` through a real aiosmtpd server."""

from __future__ import annotations

import email
import email.policy
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import lxml.html
import pytest
from scipy.stats import poisson

from janmat.alerts.notify.message import district_name, scheme_name
from janmat.core.mention import (
    IST,
    DistrictTag,
    Engagement,
    Mention,
    Platform,
    SchemeTag,
    Sentiment,
    Source,
)
from janmat.store import open_store
from janmat.store.claims_backends import claim_store_for
from tests.claims_sample import CYLINDER, sighting
from tests.fakes.alert_receivers import MailServer

CHROMIUM = Path("/usr/bin/chromium")
DAY = date(2026, 3, 10)
HGHG, CHIRAYU = "har_ghar_har_grihini", "chirayu_haryana"
SPIKE_P, SPIKE_MIN = 0.01, 3  # BriefSettings' defaults, restated: the test's own reading of "a negative spike"
CONJUNCTS = ("क्ष", "स्त", "प्र", "द्ध")
"""Conjuncts a Devanagari font joins into one shape, narrower than their letters with a visible virama."""
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian Chromium (/usr/bin/chromium) is not here")


def at(days: int, hour: float) -> datetime:
    """``hour`` o'clock IST, ``days`` days from the brief's day."""
    return datetime(DAY.year, DAY.month, DAY.day, tzinfo=IST) + timedelta(days=days, hours=hour)


def row(mention_id: str, when: datetime, scheme: str, tone: str, *, district: str | None = None,
        platform: Platform = Platform.news, source: str = "दैनिक खबर", likes: int | None = None,
        text: str = "योजना पर ख़बर") -> Mention:
    """A stored, tagged mention."""
    return Mention(id=mention_id, platform=platform, source=Source(name=source), text=f"{text} {mention_id}",
                   title=f"{text} {mention_id}", url=f"https://news.example.in/{mention_id}", published_at=when,
                   schemes=[SchemeTag(id=scheme)], districts=[DistrictTag(name=district)] if district else [],
                   sentiment=Sentiment(label=tone, score=0.9, model="test"), engagement=Engagement(likes=likes))


def known_rows() -> list[Mention]:
    """A week of ordinary coverage, then a day with a tone change, a district spike and a claim spreading."""
    rows = []
    for day in range(-7, 0):
        rows += [row(f"w{day}-h{n}", at(day, 11 + n), HGHG, "negative" if n == 0 else "positive", district="Karnal")
                 for n in range(3)]
        rows.append(row(f"w{day}-c", at(day, 15), CHIRAYU, "negative" if day == -3 else "neutral", district="Hisar"))
    rows.append(sighting("claim-yesterday", CYLINDER.id, -24 * 60 + 30, source="@pehle", sentiment="negative"))
    rows += [sighting(f"claim-{n}", CYLINDER.id, 20 * n, source=f"@gaon{n}", sentiment="negative",
                      likes=10 * n) for n in range(5)]  # T0 is 10:00 IST on the day
    rows += [row(f"d-h{n}", at(0, 9 + n), HGHG, "positive", district="Karnal", source="हरिभूमि") for n in range(4)]
    rows += [row(f"d-c{n}", at(0, 12 + n / 4), CHIRAYU, "negative", district="Hisar", platform=Platform.x,
                 source=f"@hisar{n}", likes=40 + n, text="चिरायु कार्ड से इलाज नहीं") for n in range(6)]
    rows.append(row("d-c-viral", at(0, 13), CHIRAYU, "neutral", district="Hisar", platform=Platform.facebook,
                    source="@sabka_hisar", likes=900, text="चिरायु शिविर में प्रशिक्षित स्टाफ़"))
    return rows


def on_day(mention: Mention, offset: int = 0) -> bool:
    return mention.published_at.astimezone(IST).date() == DAY + timedelta(days=offset)


def in_week(mention: Mention) -> bool:
    return -7 <= (mention.published_at.astimezone(IST).date() - DAY).days <= -1


def negative(mention: Mention) -> bool:
    return mention.sentiment is not None and mention.sentiment.label == "negative"


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def run_brief(*args: str, store: Path, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {**os.environ, "JANMAT_STORE": f"sqlite:///{store}", "JANMAT_DATA_DIR": str(cwd),
               "JANMAT_BRIEF_CHROMIUM": str(CHROMIUM), **env}
    return subprocess.run([sys.executable, "-m", "janmat", "brief", "--date", DAY.isoformat(), *args],
                          capture_output=True, text=True, env=environ, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Mention]]:
    path = tmp_path_factory.mktemp("brief") / "janmat.db"
    rows = known_rows()
    with open_store(f"sqlite:///{path}") as store:
        claim_store_for(store).upsert([CYLINDER])
        store.upsert(rows)
    return path, rows


@pytest.fixture(scope="module")
def page_html(stored, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, lxml.html.HtmlElement]:
    path, _ = stored
    folder = tmp_path_factory.mktemp("brief-html")
    done = run_brief("--out", "brief.html", store=path, cwd=folder)
    assert done.returncode == 0, done.stderr
    target = folder / "brief.html"
    return target, lxml.html.fromstring(target.read_text(encoding="utf-8"))


def cells(tree: lxml.html.HtmlElement, section: str) -> dict[str, list[str]]:
    """A section's table rows by their first cell's text."""
    return {tr[0].text_content().strip(): [td.text_content().strip() for td in tr[1:]]
            for tr in tree.xpath(f"//section[@id='{section}']//tbody/tr")}


def test_schemes_and_their_tone_against_last_week(stored, page_html) -> None:
    _, rows = stored
    _, tree = page_html
    table = cells(tree, "schemes")
    for scheme in (HGHG, CHIRAYU):
        today = [m for m in rows if on_day(m) and scheme in m.scheme_ids]
        week = [m for m in rows if in_week(m) and scheme in m.scheme_ids]
        shown = table[scheme_name(scheme, "hi")]
        assert shown[0] == str(len(today))
        assert float(shown[1]) == pytest.approx(len(week) / 7, abs=0.05)
        assert shown[2:4] == [percent(sum(map(negative, today)), len(today)),
                              percent(sum(map(negative, week)), len(week))]
        change = sum(map(negative, today)) / len(today) - sum(map(negative, week)) / len(week)
        assert shown[4] == f"{round(change * 100):+d}"
    summary = [strong.text_content() for strong in tree.xpath("//section[@id='summary']//strong")]
    assert summary[0] == str(sum(on_day(m) for m in rows))
    assert summary[1] == percent(sum(negative(m) for m in rows if on_day(m)), sum(on_day(m) for m in rows))


def test_districts_with_negative_spikes(stored, page_html) -> None:
    _, rows = stored
    _, tree = page_html
    expected = {}
    for district in {d for m in rows for d in m.tagged_district_keys}:
        today = sum(negative(m) for m in rows if on_day(m) and district in m.tagged_district_keys)
        baseline = sum(negative(m) for m in rows if in_week(m) and district in m.tagged_district_keys) / 7
        if today >= SPIKE_MIN and poisson.sf(today - 1, max(baseline, 0.5 / 7)) <= SPIKE_P:
            expected[district_name(district, "hi")] = str(today)
    assert list(expected) == ["हिसार"], "the data is built with one spike, in Hisar"
    assert {name: shown[0] for name, shown in cells(tree, "spikes").items()} == expected


def test_claims_spreading_with_their_rebuttals(stored, page_html) -> None:
    _, rows = stored
    _, tree = page_html
    matched = [m for m in rows if m.misinformation and m.misinformation.matched_claims]
    today, before = [m for m in matched if on_day(m)], [m for m in matched if on_day(m, -1)]
    [claim] = tree.xpath("//section[@id='claims']//div[@class='claim']")
    assert claim.get("data-claim") == CYLINDER.id and CYLINDER.text in claim.text_content()
    line = claim.xpath(".//p[@class='meta']")[0].text_content()
    # "{sources} स्रोतों/खातों से {n} उल्लेख (पिछले दिन: {before}); पहली बार …"
    assert [int(n) for n in re.findall(r"\d+", line)[:3]] == [len({m.source.name for m in today}), len(today),
                                                               len(before)]
    assert "बढ़ रहा" in claim.text_content(), "more mentions than the day before: growing"
    assert CYLINDER.url in claim.xpath(".//a/@href")


def test_notable_posts_with_links(stored, page_html) -> None:
    _, rows = stored
    _, tree = page_html
    engaging = sorted((m for m in rows if on_day(m) and m.engagement.likes), key=lambda m: (-m.engagement.likes, m.id))
    links = tree.xpath("//section[@id='notable']//li/a/@href")
    assert links == [m.url for m in engaging][:6]


def test_the_pdf_is_printed_with_the_devanagari_font_embedded(stored, tmp_path: Path) -> None:
    path, _ = stored
    done = run_brief("--out", "brief.pdf", store=path, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    pdf = (tmp_path / "brief.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"/Type /Page" in pdf.replace(b"/Type/Page", b"/Type /Page")
    assert b"NotoSansDevanagari" in pdf, "the Devanagari font is embedded"


MEASURE = """([conjuncts, probe]) => {
  const title = document.querySelector('#brief-title');
  const font = getComputedStyle(title).fontWeight + ' 32px ' + getComputedStyle(title).fontFamily;
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = font;
  const width = (text) => ctx.measureText(text).width;
  const pixels = (text) => {
    const canvas = document.createElement('canvas'); canvas.width = 64; canvas.height = 64;
    const c = canvas.getContext('2d'); c.font = font; c.fillText(text, 8, 44);
    return Array.from(c.getImageData(0, 0, 64, 64).data).join(',');
  };
  const letters = [...new Set(title.textContent.replace(/[^\\u0900-\\u097F]/g, ''))];
  const box = pixels(probe);
  return {
    joined: conjuncts.map((pair) => [width(pair), width(pair.replace('\\u094d', '\\u094d\\u200c'))]),
    boxes: letters.filter((letter) => pixels(letter) === box),
    letters: letters.length,
  };
}"""


@needs_chromium
def test_the_page_renders_its_devanagari_in_a_devanagari_font_without_boxes(page_html, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    source, _ = page_html
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 800})
            page.goto(source.as_uri())
            page.evaluate("document.fonts.ready")
            png = tmp_path / "brief.png"
            page.screenshot(path=str(png), full_page=True)
            cdp = page.context.new_cdp_session(page)
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            root = cdp.send("DOM.getDocument")["root"]["nodeId"]
            fonts = {}
            for selector in ("#brief-title", "#claims .claim strong", "#schemes tbody td"):
                node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
                fonts[selector] = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            found = page.evaluate(MEASURE, [list(CONJUNCTS), "\u0378"])
        finally:
            browser.close()
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 20_000
    for selector, used in fonts.items():
        # every glyph of these Hindi texts comes from a Devanagari font (Latin digits may come from Noto Sans)
        assert used and all("Devanagari" in f["familyName"] or "Noto Sans" == f["familyName"] for f in used), (
            selector, used)
        assert any("Devanagari" in f["familyName"] for f in used), (selector, used)
    assert found["letters"] >= 5 and found["boxes"] == [], f"rendered as .notdef boxes: {found['boxes']}"
    for conjunct, (joined, apart) in zip(CONJUNCTS, found["joined"], strict=True):
        assert joined < apart - 1, f"{conjunct} is not joined ({joined:.1f} px against {apart:.1f} px apart)"


@pytest.fixture
def mail() -> Iterator[MailServer]:
    server = MailServer().start()
    yield server
    server.stop()


@needs_chromium
def test_email_sends_the_brief_with_its_pdf_to_a_real_smtp_server(stored, mail: MailServer, tmp_path: Path) -> None:
    path, rows = stored
    done = run_brief("--email", store=path, cwd=tmp_path, JANMAT_NOTIFY_SMTP_HOST="127.0.0.1",
                     JANMAT_NOTIFY_SMTP_PORT=str(mail.port), JANMAT_NOTIFY_SMTP_SECURITY="none",
                     JANMAT_NOTIFY_SMTP_FROM="brief@janmat.example.in",
                     JANMAT_NOTIFY_SMTP_TO='["dpr@example.gov.in", "pro.hisar@example.gov.in"]')
    assert done.returncode == 0, done.stderr
    [received] = mail.received
    assert sorted(received.rcpt_tos) == ["dpr@example.gov.in", "pro.hisar@example.gov.in"]
    message = email.message_from_bytes(received.raw, policy=email.policy.default)
    assert "दैनिक सारांश" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert CYLINDER.url in text and str(sum(on_day(m) for m in rows)) in text
    html = message.get_body(("html",)).get_content()
    assert "cid:chart-" in html and CYLINDER.text in html
    attachments = list(message.iter_attachments())
    pdfs = [part for part in attachments if part.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1 and pdfs[0].get_content().startswith(b"%PDF-")
    assert not list((tmp_path).glob("*.html")), "--email alone writes no file"
