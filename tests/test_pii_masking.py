"""Personal data is masked before storage: every valid Aadhaar number, Indian mobile numbers and e-mail addresses
in posts and comments; ordinary numbers (amounts, dates, counts, 12 digits failing Verhoeff) are left alone."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import verhoeff

from janmat.core.mention import Mention, Platform
from janmat.core.settings import get_settings
from janmat.store import MentionQuery, open_store
from nlp.enrich import Enricher
from pipelines.flow import MentionFlow
from pipelines.mask import META_KEY
from pipelines.pii import MASKS, is_aadhaar, mask_personal_data
from pipelines.stages import STAGES

DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
SENTENCES = [
    "मेरा आधार नंबर {} है, कृपया मदद करें",
    "Aadhaar {} linked but PM Kisan kist nahi aayi",
    "आधार कार्ड ({}) अपडेट नहीं हो रहा",
    "{}",
    "UID: {}. Please help sir",
]


def valid_aadhaar(rng: random.Random) -> str:
    """Twelve digits that are a valid Aadhaar number: first digit 2–9, Verhoeff check digit, not a palindrome."""
    while True:
        body = str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(10))
        number = body + verhoeff.calc_check_digit(body)
        if number != number[::-1]:
            return number


def written(number: str, rng: random.Random) -> str:
    """The number as people write it: together, in fours split by spaces or hyphens, maybe in Devanagari digits."""
    style = rng.choice(["plain", "spaces", "hyphens"])
    text = {"plain": number, "spaces": f"{number[:4]} {number[4:8]} {number[8:]}",
            "hyphens": f"{number[:4]}-{number[4:8]}-{number[8:]}"}[style]
    return text.translate(DEVANAGARI) if rng.random() < 0.3 else text


def test_every_valid_aadhaar_number_in_a_corpus_is_masked() -> None:
    rng = random.Random(20260305)
    for _ in range(3000):
        number = valid_aadhaar(rng)
        text = rng.choice(SENTENCES).format(written(number, rng))
        masked, found = mask_personal_data(text)
        assert found["aadhaar"] == 1, text
        assert MASKS["aadhaar"] in masked and not re.search(r"[0-9०-९]{4}", masked), (text, masked)


def ordinary_numbers(rng: random.Random) -> list[str]:
    """Numbers that are not personal data, written in the ways Hindi news and posts write them."""
    def failing_twelve() -> str:
        while True:
            digits = "".join(str(rng.randint(0, 9)) for _ in range(12))
            if not verhoeff.is_valid(digits):
                return digits

    def indian_grouping(n: int) -> str:
        text = str(n)
        head, tail = text[:-3], text[-3:]
        groups = [head[max(0, i - 2):i] for i in range(len(head), 0, -2)][::-1]
        return ",".join([*groups, tail]) if head else tail

    makers = [
        lambda: f"₹{indian_grouping(rng.randint(1_000, 99_99_99_999))} का बजट",
        lambda: f"{rng.randint(100, 99_999)} रुपये की किस्त",
        lambda: f"Rs. {rng.randint(6_000_000_000, 9_999_999_999)} ka project",  # ten digits, but money
        lambda: f"{rng.randint(6_000_000_000, 9_999_999_999)} रुपये का घोटाला",
        lambda: f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/20{rng.randint(10, 30)} को बैठक",
        lambda: f"20{rng.randint(10, 30)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} तक",
        lambda: f"{rng.randint(1, 28)}.{rng.randint(1, 12)}.20{rng.randint(10, 30)}".translate(DEVANAGARI),
        lambda: f"{indian_grouping(rng.randint(10_000, 9_99_99_99_999))} वोट पड़े",  # counts, grouped
        lambda: f"{rng.randint(1_000_000_000, 5_999_999_999)} views",  # ten digits starting 1–5
        lambda: f"{rng.randint(600_000_000, 999_999_999)} लोग",  # nine digits starting 6–9
        lambda: f"आईडी {rng.randint(60_000_000_000, 99_999_999_999)}",  # eleven digits starting 6–9
        failing_twelve,
        lambda: f"कार्ड {rng.randint(4000, 4999)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} "
                f"{rng.randint(1000, 9999)}",  # sixteen digits in fours
        lambda: f"पिन कोड {rng.randint(121_001, 136_156)}, {rng.randint(10, 23)}:{rng.randint(10, 59)} बजे",
        lambda: f"{rng.randint(1, 99)}.{rng.randint(0, 99)} प्रतिशत, {rng.randint(1, 500)} गांव",
    ]
    return [rng.choice(makers)() for _ in range(5000)]


def test_at_most_one_percent_of_ordinary_numbers_are_masked() -> None:
    corpus = ordinary_numbers(random.Random(7))
    masked = [text for text in corpus if sum(mask_personal_data(text)[1].values())]
    assert len(masked) / len(corpus) <= 0.01, masked[:10]


@pytest.mark.parametrize("text", [
    "call 9876543210", "कॉल करें 98765 43210", "+91 98765 43210", "+91-9876543210", "+919876543210",
    "0091 9876543210", "09876543210", "मो. ९८७६५४३२१०", "WhatsApp 7012-345-678", "फोन: 6123 456 789",
])
def test_indian_mobile_numbers_are_masked(text: str) -> None:
    masked, found = mask_personal_data(text)
    assert found == {"mobile": 1} and not re.search(r"[0-9०-९]{3}", masked), masked


@pytest.mark.parametrize("text", ["mail ram.kumar@gmail.com now", "संपर्क: dpro-hisar@hry.nic.in।",
                                  "x+tag@sub.example.co.in"])
def test_email_addresses_are_masked(text: str) -> None:
    masked, found = mask_personal_data(text)
    assert found == {"email": 1} and "@" in masked and "gmail" not in masked and "nic" not in masked


aadhaar_numbers = st.builds(
    lambda first, rest: first + rest + verhoeff.calc_check_digit(first + rest),
    st.sampled_from("23456789"), st.text(alphabet="0123456789", min_size=10, max_size=10),
).filter(lambda n: n != n[::-1])
surroundings = st.text(alphabet=st.characters(blacklist_categories=["Nd"], blacklist_characters="@+-"),
                       max_size=30)


@settings(max_examples=300, deadline=None)
@given(aadhaar_numbers, surroundings, surroundings, st.sampled_from(["", " ", "-"]), st.booleans())
def test_any_valid_aadhaar_anywhere_is_masked(number: str, before: str, after: str, sep: str,
                                              devanagari: bool) -> None:
    shown = sep.join((number[:4], number[4:8], number[8:]))
    shown = shown.translate(DEVANAGARI) if devanagari else shown
    masked, found = mask_personal_data(f"{before} {shown} {after}")
    assert found["aadhaar"] == 1 and shown not in masked


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_masking_is_idempotent_and_never_grows_what_it_finds(text: str) -> None:
    once, found = mask_personal_data(text)
    twice, again = mask_personal_data(once)
    assert twice == once and not again
    if not found:
        assert once == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_twelve_digits_are_masked_exactly_when_they_are_a_valid_aadhaar(digits: str) -> None:
    _masked, found = mask_personal_data(f"संख्या {digits} है")
    assert bool(found["aadhaar"]) == is_aadhaar(digits)


# -- the pipeline stage --------------------------------------------------------------------------------------------

AADHAAR = "2341 2341 2346"
POST = f"मेरा आधार {AADHAAR} और मोबाइल 98765 43210 है, मेल करें ram.kumar@gmail.com"


@pytest.fixture
def light_enricher() -> Enricher:
    return Enricher(["language", "districts"])


def run_flow(tmp_path: Path, enricher: Enricher, mentions: list[Mention]) -> str:
    url = f"sqlite:///{tmp_path / 'j.db'}"
    with open_store(url) as store:
        report = MentionFlow(store=store, enricher=enricher).run(mentions)
    assert not report.rejected
    return url


def test_posts_are_masked_before_they_are_tagged_stored_or_indexed(tmp_path: Path, light_enricher) -> None:
    assert STAGES.index("mask") < min(STAGES.index("enrich"), STAGES.index("store"))
    assert is_aadhaar(AADHAAR)
    url = run_flow(tmp_path, light_enricher, [
        Mention(id="post", platform=Platform.x, text=POST),
        Mention(id="comment", platform=Platform.youtube, title="हिसार 9876543210", text="धन्यवाद"),
        Mention(id="article", platform=Platform.news, text=f"हेल्पलाइन 9876543210, {AADHAAR}"),
    ])
    with open_store(url) as store:
        post, comment, article = store.get("post"), store.get("comment"), store.get("article")
        assert store.count(MentionQuery(text="2341")) == 1  # only the news article still holds the number
        assert store.count(MentionQuery(text="gmail")) == 0
    assert "2341" not in post.text and "98765" not in post.text and "ram.kumar" not in post.text
    assert post.meta[META_KEY] == {"aadhaar": 1, "email": 1, "mobile": 1}
    assert comment.title == "हिसार XXXXX XXXXX" and comment.meta[META_KEY] == {"mobile": 1}
    assert article.text.endswith(AADHAAR) and META_KEY not in article.meta  # published articles: not by default


def test_masking_can_be_turned_off_or_widened(tmp_path: Path, monkeypatch, light_enricher) -> None:
    monkeypatch.setenv("JANMAT_PRIVACY_MASK_PERSONAL_DATA", "false")
    get_settings.cache_clear()
    url = run_flow(tmp_path, light_enricher, [Mention(id="post", platform=Platform.x, text=POST)])
    with open_store(url) as store:
        assert store.get("post").text == POST
    monkeypatch.setenv("JANMAT_PRIVACY_MASK_PERSONAL_DATA", "true")
    monkeypatch.setenv("JANMAT_PRIVACY_MASK_PLATFORMS", '["news", "x"]')
    get_settings.cache_clear()
    url = run_flow(tmp_path / "2", light_enricher, [Mention(id="article", text=POST)])
    with open_store(url) as store:
        assert store.get("article").meta[META_KEY]["aadhaar"] == 1
