"""Tone model: the committed model's behaviour on civic text, negation, routing, and reproducible retraining."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from janmat.cli.app import app
from janmat.core.errors import ConfigError
from janmat.core.mention import Sentiment
from janmat.core.settings import get_settings
from nlp.enrich import get_enricher
from nlp.sentiment import LABELS, ModelMissingError, load_sentiment_model, script_of, tone_tokens
from nlp.train_sentiment import (
    CONFIG_FILE,
    TrainingDataError,
    load_label_text_csv,
    load_labelled_jsonl,
    load_sentiment_config,
    load_sentimix,
    repair_mojibake,
    train_sentiment,
)
from tests.conftest import shared_data

# Civic sentences written for these tests (not in the training seed).
CIVIC = [
    ("करनाल में पुल टूटने से दो लोगों की जान चली गई, ग्रामीणों में प्रशासन के खिलाफ रोष।", "hi", "negative"),
    ("उपायुक्त ने नए खेल परिसर का उद्घाटन किया, युवाओं ने इस सुविधा के लिए आभार जताया।", "hi", "positive"),
    ("छात्रवृत्ति के लिए आवेदन 15 अगस्त तक पोर्टल पर किए जा सकते हैं, इसके लिए आधार और बैंक खाता जरूरी है।", "hi",
     "neutral"),
    ("Two labourers were killed when a wall collapsed at a construction site; families blamed the contractor.", "en",
     "negative"),
    ("The minister inaugurated a new girls' hostel and praised the teachers for excellent results.", "en",
     "positive"),
    ("Applications for the scholarship can be submitted online until August 15 with Aadhaar and bank details.", "en",
     "neutral"),
]


@pytest.fixture(scope="module")
def model():
    return load_sentiment_model()


def test_committed_model_reads_civic_tone_in_hindi_and_english(model) -> None:
    texts, langs, gold = zip(*CIVIC, strict=True)
    predicted = model.predict(list(texts), list(langs))
    assert [s.label for s in predicted] == list(gold)


def test_prediction_is_a_mention_sentiment_with_the_probability_of_its_label(model) -> None:
    texts = [text for text, _, _ in CIVIC]
    langs = [lang for _, lang, _ in CIVIC]
    probabilities = model.probabilities(texts, langs)
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    for row, sentiment in zip(probabilities, model.predict(texts, langs), strict=True):
        assert isinstance(sentiment, Sentiment)
        assert sentiment.label == LABELS[int(row.argmax())]
        assert sentiment.score == pytest.approx(row.max(), abs=1e-4)
        assert sentiment.model == model.model_id and model.model_id.startswith("janmat-tone-")


def test_hindi_negation_after_the_adjective_flips_the_tone(model) -> None:
    plain, negated = model.probabilities(["यह सेवा अच्छी है", "यह सेवा अच्छी नहीं है"], ["hi", "hi"])
    negative = LABELS.index("negative")
    assert negated[negative] > plain[negative] + 0.3


def test_negation_scope_marks_neighbours_within_the_clause_only() -> None:
    negated, plain = tone_tokens("फोन अच्छा नहीं है। कैमरा अच्छा है")
    # Hindi: the word before the negator and the one after it are in scope; the negator itself is not.
    assert [t.startswith("NOT_") for t in negated] == [False, True, False, True]
    assert not any(t.startswith("NOT_") for t in plain)
    assert tone_tokens("this is not good at all, really") == [
        ["this", "is", "not", "NOT_good", "NOT_at", "all"], ["really"]
    ]


def test_text_without_a_language_tag_is_routed_by_its_script(model) -> None:
    assert script_of("सरकार ने नई योजना शुरू की (new scheme)") == "deva"
    assert script_of("Sarkar ne nayi yojana shuru ki") == "latn"
    text = "सरकार ने नई योजना शुरू की"
    assert np.allclose(model.probabilities([text], [None]), model.probabilities([text], ["hi"]))


def test_predict_needs_one_language_per_text(model) -> None:
    with pytest.raises(ValueError, match="one language per text"):
        model.predict(["a", "b"], ["en"])


def test_empty_and_emoji_only_texts_still_get_a_label(model) -> None:
    labels = [s.label for s in model.predict(["", "👍👍", "।।"], [None, None, "hi"])]
    assert all(label in LABELS for label in labels)


def test_missing_model_file_is_a_clear_bilingual_error(tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError, match="janmat train sentiment"):
        load_sentiment_model(tmp_path / "nowhere.joblib")


def test_a_mistyped_model_name_stops_the_command_instead_of_storing_mentions_without_tone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match=r"unknown tone model 'janmat-tone-opn'.*janmat-tone-open"):
        load_sentiment_model("janmat-tone-opn")
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"text": "करनाल में पेंशन रुकी"}\n', encoding="utf-8")
    monkeypatch.setenv("JANMAT_SENTIMENT_MODEL", "janmat-tone-opn")
    get_settings.cache_clear()
    get_enricher.cache_clear()  # the process-wide enricher is built from the settings once
    try:
        result = CliRunner().invoke(app, ["ingest", str(rows), "--store", f"sqlite:///{tmp_path / 'j.db'}"])
    finally:
        monkeypatch.delenv("JANMAT_SENTIMENT_MODEL")
        get_settings.cache_clear()
        get_enricher.cache_clear()
    assert result.exit_code == 2 and "unknown tone model 'janmat-tone-opn'" in result.output
    assert "Traceback" not in result.output


def test_sentimix_test_emoji_mojibake_is_repaired() -> None:
    assert repair_mojibake("ðŸ˜…") == "😅"
    assert repair_mojibake("Ã¢") == "â"
    assert repair_mojibake("plain") == "plain"


def test_public_test_splits_are_not_worse_than_the_model_card_floor(model) -> None:
    data = shared_data("nlp")
    reviews = load_label_text_csv(data / "iitp-product-reviews" / "hi-test.csv", "iitp-pr")
    tweets = load_sentimix(data, "test")
    predicted = model.predict([e.text for e in reviews], ["hi"] * len(reviews))
    accuracy = np.mean([p.label == e.label for p, e in zip(predicted, reviews, strict=True)])
    from sklearn.metrics import f1_score

    tweet_labels = [s.label for s in model.predict([e.text for e in tweets], ["hi-Latn"] * len(tweets))]
    macro_f1 = f1_score([e.label for e in tweets], tweet_labels, average="macro")
    assert accuracy >= 0.70
    assert macro_f1 >= 0.65


def _small_data_dir(target: Path) -> Path:
    """A miniature copy (first rows only) of the shared NLP sets, so a full training run takes seconds."""
    source = shared_data("nlp")
    for folder, names, rows in (
        ("iitp-product-reviews", ["hi-train.csv", "hi-valid.csv", "hi-test.csv"], 300),
        ("iitp-movie-reviews", ["hi-valid.csv", "hi-test.csv"], 30),
    ):
        (target / folder).mkdir(parents=True)
        for name in names:
            with (source / folder / name).open(encoding="utf-8", newline="") as src, \
                    (target / folder / name).open("w", encoding="utf-8", newline="") as dst:
                writer = csv.writer(dst)
                for n, row in enumerate(csv.reader(src)):
                    if n >= rows:
                        break
                    writer.writerow(row)
    (target / "sentimix2020-hinglish").mkdir()
    for name, tweets in (("train_14k_split_conll.txt", 400), ("dev_3k_split_conll.txt", 50),
                         ("Hindi_test_unalbelled_conll_updated.txt", 100)):
        lines, seen = [], 0
        for line in (source / "sentimix2020-hinglish" / name).open(encoding="utf-8"):
            if line.startswith("meta\t"):
                seen += 1
                if seen > tweets:
                    break
            lines.append(line)
        (target / "sentimix2020-hinglish" / name).write_text("".join(lines), encoding="utf-8")
    shutil.copy(source / "sentimix2020-hinglish" / "test_labels_hinglish.txt", target / "sentimix2020-hinglish")
    for folder in ("iiith-codemixed-sentiment", "hindi-sentiwordnet"):
        shutil.copytree(source / folder, target / folder)
    return target


def test_retraining_is_reproducible_and_learns_from_analyst_corrections(tmp_path: Path) -> None:
    data = _small_data_dir(tmp_path / "nlp")
    text = "मंडी में बाजरे की आवक बढ़ी, सरसों के दाम स्थिर रहे"
    corrections = tmp_path / "corrections.jsonl"
    rows = [{"id": f"c{n}", "text": f"{text} {suffix}", "sentiment": "negative"}
            for n, suffix in enumerate(["", "।", "आज", "कल", "फिर"])]
    corrections.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")

    first = train_sentiment(tmp_path / "a", seed=7, data_dir=data)
    second = train_sentiment(tmp_path / "b", seed=7, data_dir=data)
    corrected = train_sentiment(tmp_path / "c", seed=7, data_dir=data, corrections=corrections)

    assert (tmp_path / "a" / "sentiment.joblib").read_bytes() == (tmp_path / "b" / "sentiment.joblib").read_bytes()
    assert first.model_id == second.model_id != corrected.model_id
    assert corrected.examples["deva"]["corrections"] == len(rows)
    negative = LABELS.index("negative")
    before = load_sentiment_model(first.model_path).probabilities([text], ["hi"])[0, negative]
    after = load_sentiment_model(corrected.model_path).probabilities([text], ["hi"])[0, negative]
    assert after > before + 0.2
    assert set(first.scores) >= {"iitp-pr test", "iitp-mr test", "sentimix test"}


def test_hyper_parameters_come_from_the_config_file(tmp_path: Path) -> None:
    data = _small_data_dir(tmp_path / "nlp")
    config = load_sentiment_config()
    assert (config.script("deva").regularization, config.script("latn").regularization) == (4.0, 1.0)
    stronger = tmp_path / "stronger.cfg"
    stronger.write_text(CONFIG_FILE.read_text(encoding="utf-8").replace(
        "[scripts.deva]\nregularization = 4.0", "[scripts.deva]\nregularization = 0.05"), encoding="utf-8")
    assert load_sentiment_config(stronger).script("deva").regularization == 0.05

    plain = load_sentiment_model(train_sentiment(tmp_path / "a", seed=7, data_dir=data).model_path)
    trained = train_sentiment(tmp_path / "b", seed=7, data_dir=data, config=stronger)
    regularized = load_sentiment_model(trained.model_path)
    assert np.abs(regularized.classifiers["deva"].coef).sum() < 0.5 * np.abs(plain.classifiers["deva"].coef).sum()
    assert np.array_equal(regularized.classifiers["latn"].coef, plain.classifiers["latn"].coef)


def test_a_bad_training_config_is_one_line_naming_the_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "sentiment.cfg"
    text = CONFIG_FILE.read_text(encoding="utf-8")
    for bad, problem in (
        (text.replace("regularization = 1.0", "regularization = -1.0"),
         "scripts.latn.regularization: Input should be greater than 0"),
        (text.replace("max_iter = 3000", "max_iterations = 3000"), "classifier.max_iter: Field required"),
        (text.replace("[training]", "training"), "File contains no section headers"),
    ):
        path.write_text(bad, encoding="utf-8")
        with pytest.raises(TrainingDataError) as caught:
            load_sentiment_config(path)
        assert str(caught.value).startswith(f"{path}: ") and problem in str(caught.value)
        assert "\n" not in str(caught.value)
    with pytest.raises(TrainingDataError, match="training config not found"):
        load_sentiment_config(tmp_path / "none.cfg")


def test_a_bad_correction_row_names_its_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "corrections.jsonl"
    good = '{"id": "1", "text": "ठीक", "sentiment": "negative"}'
    path.write_text(good + '\n{"id": "2", "text": "x", "sentiment": "angry"}\n', encoding="utf-8")
    with pytest.raises(TrainingDataError, match=r"corrections.jsonl:2: unknown sentiment label 'angry'"):
        load_labelled_jsonl(path, "corrections")
    path.write_text('{"id": "1", "sentiment": "negative"}\n', encoding="utf-8")
    with pytest.raises(TrainingDataError, match=r":1: a correction needs a non-empty 'text'"):
        load_labelled_jsonl(path, "corrections")


def test_a_curly_apostrophe_negates_like_a_straight_one() -> None:
    assert tone_tokens("I don’t like this road") == tone_tokens("I don't like this road")
    assert "NOT_like" in tone_tokens("I don’t like this road")[0]


def test_an_ellipsis_ends_the_negation_scope() -> None:
    assert tone_tokens("nahi milega… paisa aaya") == [["nahi", "NOT_milega"], ["paisa", "aaya"]]


def test_a_model_file_of_another_feature_format_is_refused_with_a_retrain_hint(model, tmp_path: Path) -> None:
    from dataclasses import replace

    old = replace(model, format_version=model.format_version - 1)
    path = old.save(tmp_path / "old" / "sentiment.joblib")
    with pytest.raises(ValueError, match="janmat train sentiment"):
        load_sentiment_model(path)
