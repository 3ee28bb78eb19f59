"""What the screens show, checked without a browser: snippets cut between whole words, Wilson intervals,
Hindi dates and numbers, link safety and the overview's numbers on a real SQLite store."""

from __future__ import annotations

import unicodedata
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest

from janmat.core.errors import InputError
from janmat.core.mention import IST
from janmat.core.shares import wilson
from janmat.store import open_store
from janmat.store.query_parser import parse_query
from janmat.web.choropleth import draw, map_data
from janmat.web.display import Words, haryana_districts
from janmat.web.overview import build_overview, period_start
from janmat.web.snippets import ELLIPSIS, marked, snippet
from janmat.web.views import input_error_text, safe_link
from tests.web_sample import CLUSTER, sample_mentions

NOW = datetime(2026, 3, 20, 18, 0, tzinfo=IST)
LONG_HINDI = ("हिसार में किसानों ने फसल बीमा के भुगतान में देरी पर धरना दिया। " * 6 + "उपायुक्त ने किसानों से बात की। "
              + "बाद में प्रशासन ने कहा कि भुगतान जल्दी होगा और किसानों की शिकायतें सुनी जाएँगी। " * 6)


def starts_with_a_mark(passage: str) -> bool:
    first = passage.lstrip(f"{ELLIPSIS} «»")[:1]
    return bool(first) and unicodedata.category(first).startswith("M")


def test_snippet_marks_every_form_of_the_word_and_cuts_between_words():
    text = marked(snippet(LONG_HINDI, parse_query("किसान").all_terms()))
    assert "«किसानों»" in text
    for passage in text.split(f" {ELLIPSIS} "):
        assert not starts_with_a_mark(passage), passage
    assert f"{ELLIPSIS} {ELLIPSIS}" not in text and f"{ELLIPSIS}{ELLIPSIS}" not in text
    assert len(text) < 3 * 160 + 100


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["किसानों", "ने", "धरना", "दिया।", "पेंशन", "ज़िले", "क्षेत्र", "न्याय", "\u200d",
                                 "farmers", "—", "।"]), min_size=1, max_size=400),
       st.sampled_from(["किसान", "पेंशन", "क्षेत्र", "farmer"]))
def test_no_snippet_starts_or_ends_inside_a_word_or_repeats_the_ellipsis(words, query):
    text = " ".join(words)
    result = marked(snippet(text, parse_query(query).all_terms(), width=60))
    assert f"{ELLIPSIS} {ELLIPSIS}" not in result
    for passage in result.split(f" {ELLIPSIS} "):
        core = passage.strip(f" {ELLIPSIS}").replace("«", "").replace("»", "")
        if core:
            assert core in " ".join(text.split()), (core, text)
            assert not unicodedata.category(core[0]).startswith("M")


def test_snippet_without_query_is_the_opening_cut_at_a_word():
    pieces = snippet(LONG_HINDI, set(), width=40)
    text = marked(pieces)
    assert text.endswith(ELLIPSIS) and LONG_HINDI.startswith(text.removesuffix(ELLIPSIS).rstrip())
    following = LONG_HINDI[len(text.removesuffix(ELLIPSIS).rstrip())]
    assert unicodedata.category(following)[0] not in "LMN"  # the cut falls between words, not inside one


@pytest.mark.parametrize(("k", "n"), [(0, 5), (3, 10), (35, 120), (120, 120), (1, 1000)])
def test_wilson_interval_equals_scipys(k, n):
    ours = wilson(k, n)
    theirs = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert ours.low == pytest.approx(theirs.low, abs=1e-9) and ours.high == pytest.approx(theirs.high, abs=1e-9)
    assert ours.share == k / n and wilson(0, 0).share is None


def test_hindi_dates_in_ist_with_month_names_and_indian_grouping():
    hindi, english = Words("hi"), Words("en")
    moment = datetime(2026, 3, 10, 20, 0, tzinfo=IST)
    assert hindi.when(moment) == "10 मार्च 2026, 20:00"
    assert english.when(moment) == "10 March 2026, 20:00"
    assert hindi.number(1234567) == "12,34,567"
    assert hindi.district("Gurugram") == "गुरुग्राम" and english.district("Gurugram") == "Gurugram"
    assert hindi.scheme("pm_kisan") == "प्रधानमंत्री किसान सम्मान निधि"
    assert hindi("negative") == "नकारात्मक"


def test_input_errors_are_said_in_hindi_with_the_detail():
    error = InputError("unknown district 'Atlantis' (try its English or Hindi name, e.g. Hisar / हिसार)")
    assert input_error_text(error, Words("hi")).startswith("यह ज़िला नहीं मिला")
    assert input_error_text(error, Words("en")) == str(error)


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,<script>",
                                 "//evil.example/x", "vbscript:x", "http:/nohost", None, ""])
def test_only_http_links_and_own_paths_are_links(url):
    assert safe_link(url) is None


def test_http_links_and_own_paths_stay_links():
    assert safe_link("https://example.in/a?b=1") == "https://example.in/a?b=1"
    assert safe_link("/search?district=Hisar") == "/search?district=Hisar"


@pytest.fixture
def sample_store(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'overview.db'}")
    store.upsert(sample_mentions(NOW))
    yield store
    store.close()


def test_overview_counts_every_day_district_and_the_spreading_cluster(sample_store):
    data = build_overview(sample_store, "7d", now=NOW)
    assert data.since == period_start("7d", NOW) == datetime(2026, 3, 14, tzinfo=IST)
    assert len(data.days) == 7 and data.total == sum(d.total for d in data.days) == 34
    assert sum(data.tone.values()) == 34
    assert [d.key for d in data.districts][:2] == ["Hisar", "Rohtak"]
    assert len(data.districts) == len(haryana_districts())
    hisar = data.districts[0]
    assert (hisar.mentions, hisar.negative.k) == (13, 8)
    assert data.clusters[0].cluster == CLUSTER and (data.clusters[0].mentions, data.clusters[0].sources) == (3, 3)
    assert data.clusters[0].example_id == "w0"
    today = build_overview(sample_store, "today", now=NOW)
    assert len(today.days) == 1 and today.total < data.total


def test_map_greys_districts_below_the_minimum_and_adds_hansi_to_hisar(sample_store):
    data = build_overview(sample_store, "7d", now=NOW)
    drawn = {shape.district: shape for shape in draw(data.districts, "negative", min_n=10).shapes}
    assert len(drawn) == len(map_data()["districts"]) == 22
    assert drawn["Hisar"].shows == ["Hisar", "Hansi"] and drawn["Hisar"].mentions == 13
    assert not drawn["Hisar"].greyed and drawn["Hisar"].step == 3  # 8/13 negative: the 50-65 % step
    assert drawn["Karnal"].greyed and drawn["Karnal"].fill == "#d9d9d9"
    volume = {shape.district: shape for shape in draw(data.districts, "volume", min_n=1).shapes}
    assert volume["Hisar"].step == 4 and volume["Ambala"].greyed
