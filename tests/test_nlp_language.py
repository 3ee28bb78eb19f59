"""Language tagger: hi, en, hi-Latn, mixed and other scripts, by the dev set's labelling rules."""

from __future__ import annotations

from collections import Counter

import pytest

from nlp.evaluate import read_sentiment_rows
from nlp.language import detect_language
from tests.conftest import shared_data


@pytest.mark.parametrize(("text", "expected"), [
    ("हरियाणा सरकार ने किसानों के लिए नई योजना शुरू की है, जिसका लाभ सभी जिलों में मिलेगा।", "hi"),
    ("नूंह (Nuh), सोहना (Sohna) और हथीन (Hathin) में इंटरनेट सेवा बंद रही।", "hi"),
    ("Haryana News: PGI रोहतक में ओपीडी का समय बदला, अब सुबह नौ बजे से मरीज देखे जाएंगे।", "hi"),
    ("The state government announced a new scheme for farmers in all districts on Monday.", "en"),
    ("yaar ye sarkar kuch nahi karti, bas vaade karti hai aur log pareshan hain", "hi-Latn"),
    ("Govt लोगों को Free में plot देगी, Eligible लोग जल्दी apply करें क्योंकि last date पास है", "mixed"),
    ("Gurugram is flooded again after just one hour of rain and the roads are full of water. Top comment: "
     "arey yaar har saal yahi hota hai, koi kuch nahi karta", "mixed"),
    ("ਪੰਜਾਬ ਸਰਕਾਰ ਨੇ ਨਵੀਂ ਸਕੀਮ ਸ਼ੁਰੂ ਕੀਤੀ ਹੈ", "pa"),
    ("Le gouvernement a annoncé aujourd'hui un nouveau programme pour les agriculteurs de la région.", "fr"),
    ("", None),
    ("12345 !!!", None),
])
def test_language_rules(text, expected):
    assert detect_language(text) == expected


def test_iitp_hindi_reviews_are_hindi():
    examples = read_sentiment_rows(shared_data("nlp", "iitp-product-reviews", "hi-test.csv"), "iitp-pr")
    found = Counter(detect_language(e["text"]) for e in examples)
    assert found["hi"] / len(examples) >= 0.97


def test_sentimix_hinglish_tweets_are_mostly_romanised_hindi_or_mixed():
    examples = read_sentiment_rows(shared_data("nlp", "sentimix2020-hinglish"), "sentimix")
    found = Counter(detect_language(e["text"]) for e in examples)
    # SentiMix tweets are code-mixed by selection, though many are mostly English; none is Devanagari
    assert (found["hi-Latn"] + found["mixed"]) / len(examples) >= 0.6
    assert found["hi"] == 0
