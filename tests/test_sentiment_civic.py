"""Civic tone (issue 16): the held-out set is never trained on, Haryanvi forms and the headline are read, the
probabilities are calibrated, and the licence-clean ``janmat-tone-open`` is trained on redistributable data only
and selected by the setting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from janmat.core.mention import Mention
from janmat.core.settings import get_settings
from nlp.sentiment import (
    MODEL_FILES,
    MODELS_DIR,
    SentimentComponent,
    load_sentiment_model,
    model_path,
    tone_tokens,
)
from nlp.train_sentiment import (
    HELD_OUT_FILE,
    SEED_FILE,
    TrainingDataError,
    held_out_texts,
    load_labelled_jsonl,
    train_sentiment,
)
from tests.test_cli import janmat


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = text.lower().split()
    return {tuple(words[i:i + 4]) for i in range(max(1, len(words) - 3))}


def test_the_civic_seed_neither_holds_nor_restates_a_held_out_passage() -> None:
    held_out = [_shingles(row["text"]) for row in _rows(HELD_OUT_FILE)]
    assert len(held_out) == 326
    for row in _rows(SEED_FILE):
        seed = _shingles(row["text"])
        overlap = max(len(seed & other) / len(seed | other) for other in held_out)
        assert overlap <= 0.3, row["id"]


def test_a_correction_copied_from_the_held_out_set_stops_training_naming_its_line(tmp_path: Path) -> None:
    row = _rows(HELD_OUT_FILE)[5]
    path = tmp_path / "corrections.jsonl"
    good = {"id": "c1", "text": "पेंशन तीन महीने से नहीं आई", "sentiment": "negative"}
    copied = {"id": "c2", "text": f"  {row['text'].upper()} ", "sentiment": row["sentiment"]}
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (good, copied)) + "\n", encoding="utf-8")
    with pytest.raises(TrainingDataError, match=r"corrections.jsonl:2: this text is in the civic held-out set"):
        load_labelled_jsonl(path, "corrections")
    assert len(held_out_texts()) >= 326


def test_committed_models_are_found_by_name_and_the_setting_picks_one(monkeypatch: pytest.MonkeyPatch) -> None:
    assert model_path("janmat-tone") == MODELS_DIR / "sentiment.joblib"
    assert model_path("janmat-tone-open") == MODELS_DIR / "sentiment-open.joblib"
    assert model_path(MODELS_DIR) == MODELS_DIR / "sentiment.joblib"
    assert model_path() == MODELS_DIR / "sentiment.joblib"
    monkeypatch.setenv("JANMAT_SENTIMENT_MODEL", "janmat-tone-open")
    get_settings.cache_clear()
    try:
        tagger = SentimentComponent()
        assert tagger.model.name == "janmat-tone-open"
        [tone] = tagger.predict([Mention(id="m", text="बुढ़ापा पेंशन छह महीने से नहीं आई, बुजुर्ग दफ्तरों के धक्के खा रहे",
                                         lang="hi")])
        assert tone.model.startswith("janmat-tone-open-") and tone.label == "negative"
    finally:
        monkeypatch.delenv("JANMAT_SENTIMENT_MODEL")
        get_settings.cache_clear()


def test_the_open_model_holds_nothing_from_research_only_data() -> None:
    model = load_sentiment_model("janmat-tone-open")
    assert set(model.meta["sources"]) <= {"civic-seed", "corrections"}
    for classifier in model.classifiers.values():
        assert set(classifier.features.lexicon.sources) == {"vader", "civic"}
    research = load_sentiment_model("janmat-tone")
    assert "hswn" in research.classifiers["deva"].features.lexicon.sources
    assert {"iitp-pr", "sentimix"} <= set(research.meta["sources"])


@pytest.mark.parametrize("name", [name for name, _ in MODEL_FILES.values()])
def test_each_committed_model_is_calibrated_on_out_of_fold_civic_rows(name: str) -> None:
    file_name = dict(MODEL_FILES.values())[name]
    metrics = json.loads((MODELS_DIR / file_name.replace(".joblib", "_metrics.json")).read_text(encoding="utf-8"))
    model = load_sentiment_model(name)
    assert metrics["model_id"] == model.model_id
    for script, classifier in model.classifiers.items():
        numbers = metrics["calibration"][script]
        assert classifier.temperature == pytest.approx(numbers["temperature"])
        assert classifier.temperature != 1.0
        assert numbers["ece_after"] <= numbers["ece_before"]


def test_haryanvi_forms_are_read_as_standard_hindi_and_reporting_verbs_carry_no_tone() -> None:
    features = load_sentiment_model().classifiers["deva"].features
    haryanvi = features.read(tone_tokens("म्हारे गाम म्ह पाणी कोनी आया"))
    assert haryanvi == features.read(tone_tokens("हमारे गांव में पानी नहीं आया"))
    assert any(token.startswith("NOT_") for token in haryanvi[0])
    # कोनी is a negator, not the postposition को that plain stemming would make of it
    assert tone_tokens("पाणी कोनी आया") != tone_tokens("पाणी को आया")
    reported = features.read(tone_tokens("अधिकारी ने कहा कि पेंशन आ गई"))
    assert reported == features.read(tone_tokens("अधिकारी ने कि पेंशन आ गई"))
    said = [word for word, reads in features.word_forms.items() if reads == ""]
    assert "said" in said and all(features.form(word) is None for word in said)


def test_the_headline_and_lead_weigh_more_than_the_rest_of_a_long_story() -> None:
    features = load_sentiment_model().classifiers["latn"].features
    lead = "Rewari: new ITI block opens with 400 more seats for welding and electrician trades. "
    story = lead + "The principal thanked the department for the new workshops and equipment. " * 3
    story += "A few parents complained about the bus stop. " * 10
    parts = features.segments(story)
    assert len(story) > 2 * features.lead_chars
    assert [weight for _, weight in parts] == [features.lead_weight, 1.0] and features.lead_weight > 1.0
    assert features.segments(lead) == [(features.segments(lead)[0][0], 1.0)]


def test_the_open_model_trains_without_the_reference_data_and_learns_corrections(tmp_path: Path) -> None:
    corrections = tmp_path / "corrections.jsonl"
    text = "Mandi mein bajra ki aavak badhi, sarson ke daam sthir rahe"
    rows = [{"id": f"c{n}", "text": f"{text} {suffix}", "sentiment": "negative"}
            for n, suffix in enumerate(["", "aaj", "kal", "phir", "abhi", "ji"])]
    corrections.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    first = train_sentiment(tmp_path / "a", model="open", data_dir=None, seed=7)
    again = train_sentiment(tmp_path / "b", model="open", data_dir=None, seed=7, corrections=corrections)
    assert first.model_path.name == "sentiment-open.joblib"
    assert (tmp_path / "a" / "sentiment-open_metrics.json").exists()
    assert first.examples["latn"]["civic-seed"] > 200 and "corrections" not in first.examples["latn"]
    assert again.examples["latn"]["corrections"] == len(rows)
    negative = load_sentiment_model(again.model_path).probabilities([text], ["hi-Latn"])[0, 0]
    assert negative > load_sentiment_model(first.model_path).probabilities([text], ["hi-Latn"])[0, 0] + 0.2
    assert "civic seed + corrections (out-of-fold)" in first.scores


def test_train_cli_rejects_an_unknown_model_kind_in_one_line() -> None:
    result = janmat("train", "sentiment", "--model", "huge", "--out", "/nonexistent")
    assert result.returncode == 2
    assert "unknown tone model 'huge'" in result.stderr and result.stderr.strip().count("\n") == 0


def test_eval_reports_f1_per_label_and_how_well_the_tone_probabilities_are_calibrated() -> None:
    from nlp.evaluate import evaluate_rows, render

    rows = [{"id": "a", "text": "बुढ़ापा पेंशन छह महीने से नहीं आई, बुजुर्ग दफ्तरों के धक्के खा रहे हैं।", "sentiment": "negative"},
            {"id": "b", "text": "Camp mein 400 logon ke Ayushman card ban gaye, sabne shukriya kaha.",
             "sentiment": "positive"},
            {"id": "c", "text": "आवेदन 15 अगस्त तक पोर्टल पर किए जा सकते हैं।", "sentiment": "neutral"}]
    report = evaluate_rows(rows)
    assert set(report.sentiment["f1"]) == {"negative", "positive", "neutral"}
    assert 0.0 <= report.sentiment["ece"] <= 1.0
    assert sum(row["n"] for row in report.sentiment["reliability"]) == 3
    assert "F1: " in render(report) and "ECE " in render(report)
