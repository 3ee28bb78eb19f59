"""Taggers as registered components: the configured list is checked at start-up, runs in order, and shapes
the ``janmat tag`` row."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import ClassVar

import pytest

from janmat.core.errors import ConfigError
from janmat.core.mention import Mention, SchemeTag, Sentiment
from nlp.enrich import BATCH, Enricher, tag_record
from nlp.sentiment import SentimentModel
from nlp.tagger import register_tagger

KARNAL = "करनाल में किसानों ने मेरी फसल मेरा ब्योरा पोर्टल बंद होने पर धरना दिया।"


def _config_error(taggers: list[str], **options: dict) -> str:
    with pytest.raises(ConfigError) as caught:
        Enricher(taggers, options=options)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_an_unknown_tagger_is_named_with_the_known_ones():
    message = _config_error(["language", "sentimnet"])
    assert message.startswith("unknown tagger 'sentimnet' in JANMAT_NLP_TAGGERS")
    assert "(known: districts, entities, language, misinformation, scheme_candidates, schemes, sentiment)" in message


def test_an_unknown_tagger_in_the_environment_fails_the_enricher(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("JANMAT_NLP_TAGGERS", '["language", "districts", "stance"]')
    with pytest.raises(ConfigError, match="unknown tagger 'stance' in JANMAT_NLP_TAGGERS"):
        Enricher()


def test_a_missing_requirement_names_the_tagger_the_field_and_who_assigns_it():
    assert _config_error(["language", "schemes"]) == (
        "tagger 'schemes' requires 'districts', which no tagger in JANMAT_NLP_TAGGERS assigns: "
        "add 'districts' before 'schemes'")
    assert _config_error(["districts", "sentiment"]).startswith("tagger 'sentiment' requires 'lang'")


def test_a_requirement_assigned_only_later_is_a_misordering():
    assert _config_error(["language", "schemes", "districts"]) == (
        "tagger 'schemes' requires 'districts', which 'districts' assigns only after it: "
        "list 'districts' before 'schemes' in JANMAT_NLP_TAGGERS")


def test_a_tagger_listed_twice_is_refused():
    assert _config_error(["language", "districts", "language"]) == (
        "tagger 'language' is listed twice in JANMAT_NLP_TAGGERS")


def test_options_must_fit_a_configured_tagger():
    assert _config_error(["language", "districts"], districts={"size": 3}).startswith(
        "tagger 'districts': bad options in JANMAT_NLP_TAGGER_OPTIONS")
    assert _config_error(["language"], sentiment={"model": "x"}) == (
        "JANMAT_NLP_TAGGER_OPTIONS names 'sentiment', not in JANMAT_NLP_TAGGERS")


def test_a_tagger_module_that_does_not_import_is_a_config_error(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("JANMAT_NLP_TAGGER_MODULES", '["janmat_no_such_taggers"]')
    with pytest.raises(ConfigError, match="JANMAT_NLP_TAGGER_MODULES lists 'janmat_no_such_taggers': cannot import"):
        Enricher(["language"])


def test_a_tagger_left_out_leaves_its_fields_untouched():
    earlier = Sentiment(label="positive", score=0.9, model="analyst")
    mention = Mention(id="m", text=KARNAL, schemes=[SchemeTag(id="from-the-collector")], sentiment=earlier)
    Enricher(["language", "districts"]).enrich(mention)
    assert (mention.lang, mention.district_keys) == ("hi", ["Karnal"])
    assert mention.scheme_ids == ["from-the-collector"] and mention.sentiment == earlier
    assert mention.entities == [] and not mention.misinformation.flagged


def test_the_default_tag_row_keeps_its_columns_order_and_rounding():
    mention = Enricher(["language", "districts", "schemes"]).enrich(Mention(id="m", text=KARNAL))
    mention.sentiment = Sentiment(label="negative", score=0.123456, model="m")
    mention.near_dup_cluster = "c1"
    row = tag_record(mention)
    assert list(row) == ["id", "lang", "districts", "schemes", "scheme_candidates", "sentiment", "sentiment_score",
                         "misinformation", "misinformation_kinds", "matched_claims", "near_dup_cluster"]
    assert row == {"id": "m", "lang": "hi", "districts": ["Karnal"], "schemes": ["mfmb"], "scheme_candidates": [],
                   "sentiment": "negative",
                   "sentiment_score": 0.1235, "misinformation": False, "misinformation_kinds": [],
                   "matched_claims": [], "near_dup_cluster": "c1"}
    mention.sentiment = None
    assert (tag_record(mention)["sentiment"], tag_record(mention)["sentiment_score"]) == (None, None)


def test_the_tag_row_follows_the_configured_taggers(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("JANMAT_NLP_TAGGERS", '["districts", "misinformation", "language"]')
    mention = Enricher().enrich(Mention(id="m", text=KARNAL))
    assert tag_record(mention) == {"id": "m", "districts": ["Karnal"], "misinformation": False,
                                   "misinformation_kinds": [], "matched_claims": [], "lang": "hi",
                                   "near_dup_cluster": None}


def test_a_model_failure_leaves_that_tag_empty_on_the_batch_and_is_logged(tmp_path: Path,
                                                                          caplog: pytest.LogCaptureFixture):
    broken = SentimentModel(classifiers={}).save(tmp_path / "broken.joblib")  # no classifier for any script
    enricher = Enricher(["language", "sentiment", "districts"], options={"sentiment": {"model": str(broken)}})
    mentions = [Mention(id="a", text=KARNAL), Mention(id="b", text="Jind gets tap water under Har Ghar Jal")]
    with caplog.at_level(logging.ERROR, logger="nlp.tagger"):
        enricher.enrich_many(mentions)
    assert [m.sentiment for m in mentions] == [None, None]
    assert [m.district_keys for m in mentions] == [["Karnal"], ["Jind"]]
    assert "sentiment tagging failed for a batch of 2 mentions" in caplog.text


def test_a_missing_model_skips_its_tagger_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    with caplog.at_level(logging.WARNING, logger="nlp.tagger"):
        enricher = Enricher(["language", "sentiment", "districts"],
                            options={"sentiment": {"model": str(tmp_path / "nowhere.joblib")}})
    assert [tagger.name for tagger in enricher.taggers] == ["language", "districts"]
    assert "sentiment tagging is off: sentiment model not found" in caplog.text
    mention = enricher.enrich(Mention(id="a", text=KARNAL))
    assert (mention.lang, mention.sentiment, mention.district_keys) == ("hi", None, ["Karnal"])


def test_batches_longer_than_one_pass_keep_order_and_every_tag():
    texts = [KARNAL, "Jind and Palwal villages now get tap water under Har Ghar Jal, officials said."]
    mentions = [Mention(id=str(i), text=texts[i % 2]) for i in range(2 * BATCH + 3)]
    result = Enricher(["language", "districts", "schemes"]).enrich_many(iter(mentions))
    assert [m.id for m in result] == [str(i) for i in range(2 * BATCH + 3)]
    assert all(m.scheme_ids == (["mfmb"] if i % 2 == 0 else ["jjm"]) for i, m in enumerate(result))


def test_a_tagger_must_have_the_protocol_name_mention_fields_and_take_a_free_name():
    class Colour:
        assigns: ClassVar[tuple[str, ...]] = ("colour",)
        requires: ClassVar[tuple[str, ...]] = ()

    with pytest.raises(TypeError, match=r"tagger 'colour' \(.*Colour\) lacks tag_many, columns"):
        register_tagger("colour")(Colour)
    Colour.tag_many = lambda self, mentions: None
    Colour.columns = staticmethod(lambda mention: {})
    with pytest.raises(TypeError, match="'colour', which is not a Mention field"):
        register_tagger("colour")(Colour)

    class OtherDistricts(Colour):
        assigns: ClassVar[tuple[str, ...]] = ("districts",)

    Enricher(["districts"])  # the real districts tagger is registered
    with pytest.raises(TypeError, match=r"tagger name 'districts' is taken by nlp\.districts\.DistrictsComponent"):
        register_tagger("districts")(OtherDistricts)
