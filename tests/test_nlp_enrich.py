"""The NLP stage end to end on Mention records: one call, a batch call, and what it leaves alone."""

from __future__ import annotations

from datetime import datetime

from janmat.core.mention import IST, FactCheckRef, Mention, Misinformation
from nlp.enrich import Enricher, get_enricher
from tests.conftest import shared_data

RULES = ("language", "districts", "schemes", "misinformation")
"""The rule-based taggers: no trained model to load."""


def test_seed_article_is_tagged_as_the_seed_readme_says():
    text = next(shared_data("seed").glob("*.txt")).read_text(encoding="utf-8")
    mention = get_enricher().enrich(Mention(id="seed", text=text))
    assert mention.lang == "hi"
    assert set(mention.district_keys) == {"Gurugram", "Faridabad", "Palwal", "Charkhi Dadri", "Jhajjar"}
    assert mention.scheme_ids == []
    assert not mention.misinformation.flagged
    if mention.sentiment is not None:  # only when the trained tone model is installed
        assert mention.sentiment.label in ("positive", "negative", "neutral")


def test_batch_keeps_order_and_tags_each_mention():
    mentions = [
        Mention(id="a", text="करनाल में किसानों ने मेरी फसल मेरा ब्योरा पोर्टल बंद होने पर धरना दिया।"),
        Mention(id="b", text="Jind and Palwal villages now get tap water under Har Ghar Jal, officials said."),
        Mention(id="c", text="yaar ye sarkar kuch nahi karti, bas vaade karti hai aur log pareshan hain"),
    ]
    result = Enricher(RULES).enrich_many(iter(mentions))
    assert [m.id for m in result] == ["a", "b", "c"]
    assert (result[0].lang, result[0].district_keys, result[0].scheme_ids) == ("hi", ["Karnal"], ["mfmb"])
    assert (result[1].lang, set(result[1].district_keys), result[1].scheme_ids) == ("en", {"Jind", "Palwal"}, ["jjm"])
    assert (result[2].lang, result[2].district_keys) == ("hi-Latn", [])


def test_title_and_body_evidence_use_their_own_offsets():
    title = "रोहतक पीजीआई में ओपीडी का समय बदला"
    text = "मरीजों को अब सुबह नौ बजे से देखा जाएगा। आयुष्मान कार्ड के लिए अलग काउंटर बनेगा।"
    mention = Enricher(RULES).enrich(Mention(id="t", title=title, text=text))
    (district,) = mention.districts
    assert [(e.field, title[e.start:e.end]) for e in district.evidence] == [("title", "रोहतक")]
    (scheme,) = mention.schemes
    assert [(e.field, text[e.start:e.end]) for e in scheme.evidence] == [("text", "आयुष्मान कार्ड")]


def test_hansi_coverage_before_the_split_stays_findable_under_both():
    mention = Mention(id="h", text="हांसी की अनाज मंडी में गेहूं की सरकारी खरीद शुरू",
                      published_at=datetime(2024, 4, 2, tzinfo=IST))
    Enricher(RULES).enrich(mention)
    assert mention.district_keys == ["Hisar", "Hansi"]


def test_a_matched_fact_check_is_kept():
    ref = FactCheckRef(url="https://factcheck.example/claim-1", rating="false")
    mention = Mention(id="f", text="हरियाणा में नई पेंशन योजना की घोषणा",
                      misinformation=Misinformation(matched_factcheck=ref))
    Enricher(RULES).enrich(mention)
    assert mention.misinformation.matched_factcheck == ref and mention.misinformation.flagged


def test_a_short_post_names_the_places_its_districts_were_found_at():
    text = "रोहतक में उपायुक्त ने सड़क का निरीक्षण किया"
    mention = Enricher([*RULES, "entities"]).enrich(Mention(id="p", text=text))
    assert mention.district_keys == ["Rohtak"]
    assert [(e.label, text[e.start:e.end]) for e in mention.entities] == [("PLACE", "रोहतक"), ("OFFICE", "उपायुक्त")]
