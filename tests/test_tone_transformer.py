"""Transformer tone backend, offline: a tiny randomly initialised BERT that the test builds is fine-tuned by
``janmat train sentiment --backend transformer`` and then runs as the tone tagger through the setting."""

from __future__ import annotations

import json
import string
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch", reason="the transformer tone backend is optional: pip install -e '.[transformer]'")
from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

from janmat.core.mention import Mention
from janmat.core.settings import get_settings
from nlp.sentiment import LABELS, SentimentComponent, load_sentiment_model, model_path
from nlp.tone_transformer import META_FILE, TransformerToneModel
from nlp.train_sentiment import SEED_FILE
from tests.test_cli import janmat

OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def _tiny_base(folder: Path) -> Path:
    """A 1-layer BERT with random weights and a character WordPiece vocabulary covering the civic seed."""
    letters = set(string.ascii_lowercase + string.digits + string.punctuation)
    for line in SEED_FILE.read_text(encoding="utf-8").splitlines():
        letters.update(ch for ch in json.loads(line)["text"].lower() if not ch.isspace())
    vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocabulary += sorted(letters) + [f"##{ch}" for ch in sorted(letters)]
    folder.mkdir(parents=True)
    (folder / "vocab.txt").write_text("\n".join(vocabulary) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(folder / "vocab.txt"), do_lower_case=True, strip_accents=False)
    config = BertConfig(vocab_size=len(vocabulary), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=512, num_labels=2)
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def tuned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("transformer")
    base = _tiny_base(root / "base")
    out = root / "tuned"
    result = janmat("train", "sentiment", "--backend", "transformer", "--base", str(base), "--out", str(out),
                    "--model", "open", "--epochs", "1", env=OFFLINE)
    assert result.returncode == 0, result.stderr
    return out


def test_fine_tuning_writes_a_loadable_folder_with_its_temperature_and_model_card(tuned: Path) -> None:
    meta = json.loads((tuned / META_FILE).read_text(encoding="utf-8"))
    assert meta["name"] == "janmat-tone-open-transformer" and meta["labels"] == list(LABELS)
    assert set(meta["sources"]) == {"civic-seed"} and meta["calibration"]["n"] >= 90
    assert meta["temperature"] > 0
    assert "janmat-tone-open-transformer" in (tuned / "MODEL_CARD.md").read_text(encoding="utf-8")
    model = load_sentiment_model(tuned)
    assert isinstance(model, TransformerToneModel) and model_path(tuned) == tuned
    texts = ["पेंशन छह महीने से नहीं आई", "Camp mein 400 card bane", "Apply online by 15 August."]
    probabilities = model.probabilities(texts, ["hi", "hi-Latn", "en"])
    assert probabilities.shape == (3, 3) and np.allclose(probabilities.sum(axis=1), 1.0)


def test_the_setting_runs_the_transformer_as_the_tone_tagger(tuned: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JANMAT_SENTIMENT_MODEL", str(tuned))
    get_settings.cache_clear()
    try:
        [tone] = SentimentComponent().predict([Mention(id="m", text="बिजली कोनी आई", lang="hi")])
    finally:
        monkeypatch.delenv("JANMAT_SENTIMENT_MODEL")
        get_settings.cache_clear()
    assert tone.label in LABELS and 0.0 < tone.score <= 1.0
    assert tone.model.startswith("janmat-tone-open-transformer-")


def test_a_folder_that_is_not_a_model_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "base").mkdir()
    result = janmat("train", "sentiment", "--backend", "transformer", "--base", str(tmp_path / "base"),
                    "--out", str(tmp_path / "out"), "--model", "open", env=OFFLINE)
    assert result.returncode == 2
    assert "is not a local Hugging Face model folder" in result.stderr
    assert result.stderr.strip().count("\n") == 0
