"""Transformer tone backend: a local Hugging Face sequence-classification model behind the tone model's interface.

``JANMAT_SENTIMENT_MODEL`` may name a folder written by ``save_pretrained`` (``config.json``, weights, tokenizer).
Nothing is downloaded: the folder is read with ``local_files_only``. ``janmat train sentiment --backend transformer
--base DIR`` fine-tunes such a folder (an Indic encoder a deployment copied in, or any local checkpoint) on the
same examples as the linear model, fits a temperature on a held-back slice of the civic rows, and writes the
fine-tuned folder with ``janmat_tone.json`` (labels, temperature, provenance) and a model card. torch and
transformers are imported only here, so the default linear model never loads them.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

import numpy as np
from scipy.special import softmax as _softmax

from janmat.core.mention import Sentiment, SentimentLabel

log = logging.getLogger(__name__)

META_FILE = "janmat_tone.json"
"""Written beside the Hugging Face files by the trainer: name, version, temperature, what it was trained on."""
MAX_TOKENS = 256
BATCH = 32
LABELS: tuple[str, ...] = tuple(sorted(get_args(SentimentLabel)))
"""negative, neutral, positive: the linear model's order (``nlp.sentiment.LABELS``), which imports this module."""


def softmax(scores: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of ``scores / temperature``."""
    return _softmax(np.asarray(scores, dtype=np.float64) / temperature, axis=1)


def is_transformer_dir(path: Path) -> bool:
    """Whether a folder holds a Hugging Face model (``config.json``)."""
    return path.is_dir() and (path / "config.json").exists()


def _device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _label_order(config: Any) -> list[int]:
    """For each of ``LABELS``, the model's output index (from ``id2label``); a clear error if one is missing."""
    names = {str(name).lower(): int(index) for index, name in config.id2label.items()}
    missing = [label for label in LABELS if label not in names]
    if missing:
        raise ValueError(f"the transformer's labels {sorted(names)} lack {missing}; fine-tune it with `janmat train "
                         f"sentiment --backend transformer --base DIR` (लेबल नहीं मिले)")
    return [names[label] for label in LABELS]


@dataclass
class TransformerToneModel:
    """A fine-tuned local transformer with the linear model's ``probabilities`` / ``predict``."""

    path: Path
    name: str = "janmat-tone-transformer"
    version: str = "0"
    temperature: float = 1.0
    meta: dict[str, Any] = field(default_factory=dict)
    _model: Any = None
    _tokenizer: Any = None
    _order: list[int] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> TransformerToneModel:
        """Read the folder offline (``local_files_only``); the meta file is optional."""
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        meta_path = path / META_FILE
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        model = AutoModelForSequenceClassification.from_pretrained(path, local_files_only=True)
        model.to(_device()).eval()
        return cls(path=path, name=meta.get("name", "janmat-tone-transformer"), version=str(meta.get("version", "0")),
                   temperature=float(meta.get("temperature", 1.0)), meta=meta, _model=model,
                   _tokenizer=AutoTokenizer.from_pretrained(path, local_files_only=True),
                   _order=_label_order(model.config))

    @property
    def model_id(self) -> str:
        """Name and version, as stored on every mention's ``sentiment.model``."""
        return f"{self.name}-{self.version}"

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Logits in ``LABELS`` order, one row per text."""
        import torch

        rows = []
        with torch.no_grad():
            for start in range(0, len(texts), BATCH):
                batch = self._tokenizer([t or "" for t in texts[start:start + BATCH]], truncation=True,
                                        max_length=MAX_TOKENS, padding=True, return_tensors="pt")
                logits = self._model(**batch.to(self._model.device)).logits
                rows.append(logits[:, self._order].float().cpu().numpy())
        return np.concatenate(rows) if rows else np.zeros((0, len(LABELS)))

    def probabilities(self, texts: Sequence[str], langs: Sequence[str | None]) -> np.ndarray:
        """Calibrated class probabilities in ``LABELS`` order (the encoder reads every script itself)."""
        if len(texts) != len(langs):
            raise ValueError(f"predict needs one language per text: got {len(texts)} texts, {len(langs)} langs")
        return softmax(self.scores(texts), self.temperature)

    def predict(self, texts: list[str], langs: list[str | None]) -> list[Sentiment]:
        """Tone of each text: the most probable label and its probability."""
        probabilities = self.probabilities(texts, langs)
        return [Sentiment(label=LABELS[k], score=round(float(probabilities[i, k]), 4), model=self.model_id)
                for i, k in enumerate(probabilities.argmax(axis=1))]


@dataclass(frozen=True)
class FineTuning:
    """How the encoder is fine-tuned (``janmat train sentiment --backend transformer``)."""

    epochs: int = 2
    batch_size: int = 16
    learning_rate: float = 3e-5
    max_tokens: int = 128
    calibration_share: float = 0.1
    """Share of the civic rows held back from fine-tuning to fit the temperature on."""


def fine_tune(base: Path, out_dir: Path, examples: list[Any], name: str, version: str, seed: int,
              settings: FineTuning = FineTuning()) -> dict[str, Any]:
    """Fine-tune the local model at ``base`` on ``examples`` (``text``, ``label``, ``weight``, ``source``), fit
    the temperature on a seeded slice of the civic rows kept out of training, and save everything to ``out_dir``.
    Returns the meta written to ``janmat_tone.json``."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from nlp.calibration import expected_calibration_error, fit_temperature

    if not is_transformer_dir(base):
        raise FileNotFoundError(f"{base} is not a local Hugging Face model folder (no config.json)")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    civic = [i for i, e in enumerate(examples) if e.source in ("civic-seed", "corrections")]
    random.Random(seed).shuffle(civic)
    held = set(civic[:max(len(LABELS), int(len(civic) * settings.calibration_share))])
    train = [e for i, e in enumerate(examples) if i not in held]
    calibration = [examples[i] for i in sorted(held)]
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(
        base, local_files_only=True, num_labels=len(LABELS), id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)}, ignore_mismatched_sizes=True)
    device = _device()
    model.to(device).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=settings.learning_rate)
    generator = random.Random(seed)
    for epoch in range(settings.epochs):
        order = list(range(len(train)))
        generator.shuffle(order)
        total = 0.0
        for start in range(0, len(order), settings.batch_size):
            batch = [train[i] for i in order[start:start + settings.batch_size]]
            inputs = tokenizer([e.text for e in batch], truncation=True, max_length=settings.max_tokens,
                               padding=True, return_tensors="pt").to(device)
            labels = torch.tensor([LABELS.index(e.label) for e in batch], device=device)
            weights = torch.tensor([e.weight for e in batch], dtype=torch.float32, device=device)
            losses = torch.nn.functional.cross_entropy(model(**inputs).logits, labels, reduction="none")
            loss = (losses * weights).sum() / weights.sum()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += float(loss) * len(batch)
        log.info("epoch %d: mean weighted loss %.4f", epoch + 1, total / max(1, len(train)))
    model.eval()
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    tuned = TransformerToneModel(path=out_dir, _model=model, _tokenizer=tokenizer, _order=list(range(len(LABELS))))
    scores = tuned.scores([e.text for e in calibration])
    gold = [LABELS.index(e.label) for e in calibration]
    temperature = fit_temperature(scores, gold)
    right = scores.argmax(axis=1) == np.array(gold)
    meta = {
        "name": name, "version": version, "temperature": temperature, "labels": list(LABELS),
        "base": str(base), "seed": seed, "device": device, "fine_tuning": settings.__dict__,
        "examples": len(train), "sources": sorted({e.source for e in train}),
        "calibration": {"n": len(calibration), "accuracy": round(float(right.mean()), 4),
                        "ece_before": expected_calibration_error(softmax(scores).max(axis=1), right),
                        "ece_after": expected_calibration_error(softmax(scores, temperature).max(axis=1), right)},
    }
    (out_dir / META_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out_dir / "MODEL_CARD.md").write_text(_model_card(meta), encoding="utf-8")
    return meta


def _model_card(meta: dict[str, Any]) -> str:
    calibration = meta["calibration"]
    return (
        f"# {meta['name']} — fine-tuned tone model\n\n"
        f"Written by `janmat train sentiment --backend transformer` (see `docs/tone.md` for what the labels mean).\n\n"
        f"- base model: `{meta['base']}` (its licence and its training data's licences apply to this model)\n"
        f"- fine-tuned on {meta['examples']} examples from: {', '.join(meta['sources'])}\n"
        f"- seed {meta['seed']}, device {meta['device']}, settings {json.dumps(meta['fine_tuning'])}\n"
        f"- temperature {meta['temperature']} fitted on {calibration['n']} held-back civic rows (accuracy "
        f"{calibration['accuracy']}, ECE {calibration['ece_before']} → {calibration['ece_after']})\n\n"
        f"Score it on the civic held-out set once, with `JANMAT_SENTIMENT_MODEL=<this folder> janmat eval "
        f"tests/data/civic_tone/heldout.jsonl`, and write the figures here.\n"
    )
