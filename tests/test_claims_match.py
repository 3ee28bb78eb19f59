"""Claim matching: a mention restating a known claim is matched across Devanagari, romanised Hindi and English;
another amount is another claim; a claim added at run time is matched at once; unrelated news matches nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from janmat.core.mention import Mention
from nlp.claims.dataset import SPLIT_FILE, load_claim_set, make_split
from nlp.claims.evaluation import split_report
from nlp.claims.keys import word_key
from nlp.claims.matcher import ClaimMatcher
from nlp.claims.model import Claim, InMemoryClaims
from nlp.claims.numbers import numbers
from nlp.enrich import Enricher
from nlp.misinformation import MisinformationComponent
from nlp.normalize import fold
from tests.conftest import SHARED_DATA, shared_data

# Our own example claims (written for these tests), in three scripts.
ALLOWANCE = Claim("tc-allowance", "सरकार सभी बेरोजगार युवाओं को हर महीने 4,500 रुपये बेरोजगारी भत्ता दे रही है",
                  url="https://factcheck.example/allowance", lang="hi")
LAPTOP = Claim("tc-laptop", "Under the Free Laptop Scheme every college student will get a free laptop from the "
                            "government", url="https://factcheck.example/laptop", lang="en")
PENSION = Claim("tc-pension", "Haryana mein budhapa pension paane walon ki pension 1 April se hamesha ke liye band "
                              "ho jayegi", url="https://factcheck.example/pension", lang="hi-Latn")
CLAIMS = (ALLOWANCE, LAPTOP, PENSION)

# Held-out figures measured once, after tuning was frozen (docs/claims.md). The targets are precision 0.95
# at recall 0.80 for matching and 80 % of rumours at 5 % of news for the suspected signal: the matching and rumour
# floors below are what the held-out part gave (below those targets); only the news ceiling is the target itself.
PRECISION_FLOOR = 0.93
RECALL_FLOOR = 0.65
RUMOURS_FOUND_FLOOR = 0.52
NEWS_FLAGGED_CEILING = 0.05


@pytest.fixture(scope="module")
def matcher() -> ClaimMatcher:
    return ClaimMatcher(CLAIMS)


def best(matcher: ClaimMatcher, text: str) -> str | None:
    found = matcher.match(text)
    return found[0].claim_id if found else None


@pytest.mark.parametrize("spellings", [
    ("पेंशन", "pension", "penshan"), ("योजना", "yojana", "yojna"), ("किसान", "kisan", "kisaan", "किसानों"),
    ("बेरोजगार", "berozgar", "berojgar"), ("स्कूटी", "scooty"),
])
def test_spellings_in_both_scripts_share_one_key(spellings):
    assert len({word_key(fold(word)) for word in spellings}) == 1


def test_india_and_recruitment_keep_apart():
    assert word_key(fold("भारत")) != word_key(fold("भर्ती"))


@pytest.mark.parametrize(("text", "claim"), [
    ("Sarkar sabhi berozgar yuvaon ko har mahine 4500 rupaye berojgari bhatta de rahi hai", "tc-allowance"),
    ("The government is paying an unemployment allowance of Rs 4,500 a month to every jobless youth",
     "tc-allowance"),
    ("मुफ्त लैपटॉप योजना में हर कॉलेज छात्र को सरकार लैपटॉप देगी", "tc-laptop"),
    ("हरियाणा में बुढ़ापा पेंशन 1 अप्रैल से हमेशा के लिए बंद हो जाएगी", "tc-pension"),
])
def test_a_restatement_in_another_script_is_matched(matcher, text, claim):
    assert best(matcher, text) == claim


@pytest.mark.parametrize("text", [
    "सरकार सभी बेरोजगार युवाओं को हर महीने 5,200 रुपये बेरोजगारी भत्ता दे रही है",
    "Sarkar sabhi berozgar yuvaon ko har mahine 5200 rupaye berojgari bhatta de rahi hai",
])
def test_another_amount_is_another_claim(matcher, text):
    assert best(matcher, text) is None
    assert best(matcher, text.replace("5,200", "4,500").replace("5200", "4500")) == "tc-allowance"


def test_amounts_are_read_in_any_writing():
    assert numbers("प्रतिमाह ३,५०० रुपये").amounts == {3500} == numbers("Rs 3500 per month").amounts
    assert numbers("2.67 लाख रुपये").amounts == numbers("₹2,67,000").amounts == {267000}
    assert numbers("पांच लाख का लोन").amounts == {500000}
    assert numbers("Free Scooty Yojana 2025").years == {2025} and not numbers("Free Scooty Yojana 2025").amounts


@pytest.mark.parametrize("text", [
    "हिसार में उपायुक्त ने धान खरीद की समीक्षा की और मंडियों में उठान तेज करने के निर्देश दिए।",
    "The deputy commissioner inaugurated a new library at the government college in Karnal.",
    "Rohtak mein aaj baarish ke baad mausam suhana ho gaya",
])
def test_unrelated_news_matches_nothing(matcher, text):
    assert matcher.match(text) == []


def test_a_claim_added_at_run_time_is_matched_at_the_next_batch():
    source = InMemoryClaims(CLAIMS)
    tagger = MisinformationComponent(claims=source)
    mention = Mention(id="m1", text="Roadways buses mein mahilaon ka kiraya maaf kar diya gaya hai")
    tagger.tag_many([mention])
    assert mention.misinformation.matched_claims == []
    source.add(Claim("tc-fares", "रोडवेज की सभी बसों में महिलाओं का किराया माफ कर दिया गया है",
                     url="https://factcheck.example/fares"))
    tagger.tag_many([mention])
    assert mention.misinformation.matched_claim.claim_id == "tc-fares"
    assert mention.misinformation.matched_claim.url == "https://factcheck.example/fares"
    assert "matched" in mention.misinformation.kinds and mention.misinformation.flagged


def test_the_tagger_reads_claims_from_a_file_and_keeps_the_rebuttal_link(tmp_path: Path):
    claims_file = tmp_path / "claims.jsonl"
    claims_file.write_text("\n".join(json.dumps({"id": c.id, "text": c.text, "status": "false", "url": c.url})
                                     for c in CLAIMS), encoding="utf-8")
    enricher = Enricher(["language", "districts", "schemes", "misinformation"],
                        options={"misinformation": {"claims": str(claims_file)}})
    mention = enricher.enrich(Mention(id="m2", text="Every college student will get a free laptop under a new "
                                                    "government scheme, forward to all groups"))
    found = mention.misinformation
    assert found.kinds == ["matched", "suspected"]
    assert (found.matched_claim.claim_id, found.matched_claim.url, found.matched_claim.status) == (
        "tc-laptop", LAPTOP.url, "false")


def test_documents_stored_before_the_kinds_still_load():
    old = {"id": "o", "text": "पुराना दस्तावेज", "misinformation": {
        "flagged": True, "score": 0.5, "flags": ["factcheck:PIB Fact Check"],
        "matched_factcheck": {"url": "https://factcheck.example/old", "rating": "False"}}}
    found = Mention.model_validate(old).misinformation
    assert found.flagged and found.kinds == [] and found.matched_claims == [] and found.matched_claim is None


def test_a_claim_needs_text_and_a_known_status():
    with pytest.raises(ValueError, match="non-empty text"):
        Claim("x", "  ")
    with pytest.raises(ValueError, match="status"):
        Claim("x", "some claim", status="fake")  # type: ignore[arg-type]


def test_the_committed_split_is_the_seeded_split_of_the_data():
    claim_set = load_claim_set(shared_data("claims").parent, with_split=False)
    assert make_split(claim_set) == json.loads(SPLIT_FILE.read_text(encoding="utf-8"))


def test_held_out_claim_matching_and_rumour_cues_meet_their_floors():
    """The held-out figures of benchmarks/claims.py (docs/claims.md): matching precision and recall, and the
    suspected signal's rumours found and news flagged."""
    shared_data("claims", "claims.jsonl")
    report = split_report(load_claim_set(SHARED_DATA), "held_out")
    matching = report["matching"]["overall"]
    rumours = report["rumour_cues"]["overall"]
    assert matching["positives"] >= 40 and rumours["rumours"] >= 20
    assert matching["precision"] >= PRECISION_FLOOR and matching["recall"] >= RECALL_FLOOR
    assert rumours["rumours_found"] >= RUMOURS_FOUND_FLOOR and rumours["news_flagged"] <= NEWS_FLAGGED_CEILING
