"""Train Janmat's tone model from the public labelled sets, the project's civic-tone seed and analysts' corrections.

Run ``janmat train sentiment --data DIR`` (or ``python -m nlp.train_sentiment --data DIR``), DIR being the
reference data folder (env ``JANMAT_SHARED_DATA`` instead of ``--data``). The hyper-parameters live
in ``nlp/models/sentiment.cfg``. Training is seeded and deterministic: the same data, config and seed give the same
model bytes. The public sets are read in place; nothing is copied, and nothing is looked for where the user did
not point.

Never trained on: the IITP-PR, IITP-MR and SentiMix test splits, and the evaluation set ``eval/dev.jsonl``
(which is only scored, as a cross-check, when present).
"""

from __future__ import annotations

import configparser
import csv
import hashlib
import html
import json
import logging
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from rich.table import Table
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score

from janmat.core.errors import InputError, explain
from nlp.calibration import expected_calibration_error, fit_temperature
from nlp.normalize import normalize_text
from nlp.reference_data import reference_nlp_dir, trainer_main, write_metrics
from nlp.sentiment import (
    FORMAT_VERSION,
    LABELS,
    MODEL_FILES,
    MODELS_DIR,
    SentimentModel,
    ToneClassifier,
    ToneFeatures,
    ToneLexicon,
    _clean_token,
    _feature_token,
    script_of,
    softmax,
)

log = logging.getLogger(__name__)

RESOURCES_DIR = Path(__file__).resolve().parent / "resources"
SEED_FILE = RESOURCES_DIR / "civic_tone_seed.jsonl"
CIVIC_LEXICON_FILE = RESOURCES_DIR / "civic_tone_lexicon.tsv"
WORD_FORMS_FILE = RESOURCES_DIR / "civic_tone_forms.tsv"
HELD_OUT_FILE = RESOURCES_DIR.parents[1] / "tests" / "data" / "civic_tone" / "heldout.jsonl"
"""The civic held-out set: only ``janmat eval`` reads it; a training row found in it stops training."""
CONFIG_FILE = MODELS_DIR / "sentiment.cfg"
"""The hyper-parameters, chosen by cross-validation on the public valid/dev splits (see MODEL_CARD.md)."""
NEEDED_SETS = ("iitp-product-reviews", "iitp-movie-reviews", "sentimix2020-hinglish", "iiith-codemixed-sentiment",
               "hindi-sentiwordnet")
"""The folders under the reference data's ``nlp/`` that training reads."""
_LABEL_ALIASES = {
    "positive": "positive", "pos": "positive", "2": "positive",
    "negative": "negative", "neg": "negative", "0": "negative",
    "neutral": "neutral", "neu": "neutral", "1": "neutral",
}


class TrainingDataError(InputError, ValueError):
    """A labelled file or the training config is missing or unreadable; the message names the file (and line)."""


@dataclass(frozen=True)
class Example:
    """One labelled text for training or scoring."""

    text: str
    label: str
    source: str
    weight: float = 1.0


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TrainingSection(_Section):
    """``[training]``: the seed, and how much an analyst's correction counts."""

    seed: int
    correction_weight: float = Field(gt=0)


class FeatureSection(_Section):
    """``[features]``: which terms the featurizer keeps, and the weight of the lexicon features."""

    min_df: int = Field(ge=1)
    max_terms: int = Field(ge=1)
    lexicon_scale: float = Field(ge=0)
    word_forms: bool
    """Read Haryanvi forms as standard Hindi and leave reporting verbs out (``civic_tone_forms.tsv``)."""
    lead_chars: int = Field(ge=0)
    lead_weight: float = Field(ge=1)


class ClassifierSection(_Section):
    """``[classifier]``: the logistic regression solver's limits."""

    max_iter: int = Field(ge=1)
    tol: float = Field(gt=0)


class CalibrationSection(_Section):
    """``[calibration]``: how many folds of the civic rows the temperature is fitted on."""

    folds: int = Field(ge=2)


class OpenSection(_Section):
    """``[open]``: the licence-clean model (``janmat-tone-open``), trained on the project's own data only."""

    regularization: float = Field(gt=0)


class ScriptSection(_Section):
    """``[scripts.deva]``, ``[scripts.latn]``: one script's classifier."""

    regularization: float = Field(gt=0)
    """Inverse regularization strength (scikit-learn's ``C``)."""
    seed_weight: float = Field(gt=0)
    """Sample weight of each civic-tone seed example."""


class ScriptSections(_Section):
    deva: ScriptSection
    latn: ScriptSection


class SentimentConfig(_Section):
    """The tone model's hyper-parameters (``nlp/models/sentiment.cfg``)."""

    training: TrainingSection
    features: FeatureSection
    classifier: ClassifierSection
    calibration: CalibrationSection
    open: OpenSection
    scripts: ScriptSections

    def script(self, name: str) -> ScriptSection:
        """The settings of one script's classifier (``deva`` or ``latn``)."""
        return getattr(self.scripts, name)


def load_sentiment_config(path: Path = CONFIG_FILE) -> SentimentConfig:
    """Read and check a training config (spaCy's config format, as ``entities.cfg``); a bad one is one clear line."""
    from spacy.util import load_config

    if not path.exists():
        raise TrainingDataError(f"training config not found: {path}")
    try:
        return SentimentConfig.model_validate(dict(load_config(path)))
    except ValidationError as exc:
        raise TrainingDataError(f"{path}: {explain(exc)}") from exc
    except (ValueError, configparser.Error) as exc:
        raise TrainingDataError(f"{path}: {' '.join(str(exc).split())}") from exc


def sentiment_data_dir(data: Path | None = None) -> Path:
    """The ``nlp/`` folder of ``data`` (reference data) or of ``JANMAT_SHARED_DATA``; clear error if absent."""
    return reference_nlp_dir(data, NEEDED_SETS)


def _label(value: str, where: str) -> str:
    label = _LABEL_ALIASES.get(str(value).strip().lower())
    if label is None:
        raise TrainingDataError(f"{where}: unknown sentiment label {value!r} (use positive, negative or neutral)")
    return label


def _need(path: Path) -> Path:
    if not path.exists():
        raise TrainingDataError(f"labelled data not found: {path} (pass --data or set JANMAT_SHARED_DATA)")
    return path


def load_label_text_csv(path: Path, source: str) -> list[Example]:
    """IITP-PR / IITP-MR style CSV without header: ``label,text`` (texts may span lines)."""
    with _need(path).open(encoding="utf-8", newline="") as handle:
        return [
            Example(text=row[1], label=_label(row[0], f"{path}:{n}"), source=source)
            for n, row in enumerate(csv.reader(handle), 1)
            if len(row) >= 2 and row[1].strip()
        ]


def load_hsac(path: Path) -> list[Example]:
    """HSAC Amazon Hindi reviews (xlsx): title and content joined; some titles are HTML-entity escaped."""
    from openpyxl import load_workbook

    sheet = load_workbook(_need(path), read_only=True).active
    rows = sheet.iter_rows(values_only=True)
    header = [str(h) for h in next(rows)]
    title, content, labels = header.index("title_hindi"), header.index("content_hindi"), header.index("labels")
    examples = []
    for n, row in enumerate(rows, 2):
        text = " । ".join(html.unescape(str(row[i])).strip() for i in (title, content) if row[i])
        if text and row[labels]:
            examples.append(Example(text=text, label=_label(row[labels], f"{path}:{n}"), source="hsac"))
    return examples


def _sentimix_tweets(path: Path) -> Iterator[tuple[str, str | None, list[str]]]:
    uid, label, tokens = None, None, []
    with _need(path).open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if parts[0] == "meta" and len(parts) >= 2:
                if uid is not None:
                    yield uid, label, tokens
                uid, label, tokens = parts[1].strip(), (parts[2].strip() if len(parts) > 2 else None), []
            elif parts[0]:
                tokens.append(parts[0])
    if uid is not None:
        yield uid, label, tokens


def repair_mojibake(token: str) -> str:
    """Undo UTF-8 read as Windows-1252 (the SentiMix test file has every emoji as e.g. ``ðŸ˜…``)."""
    if not any(ch in token for ch in "ðÃâ"):
        return token
    raw = bytearray()
    for ch in token:
        if ord(ch) < 256:
            raw.append(ord(ch))
        else:
            try:
                raw.extend(ch.encode("cp1252"))
            except UnicodeEncodeError:
                return token
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return token


def _join_tweet(tokens: list[str]) -> str:
    """Rebuild a tweet from SentiMix tokens, dropping @user handles and URL pieces (split by its tokenizer)."""
    kept, skip = [], False
    for i, token in enumerate(tokens):
        if skip:
            skip = i + 1 < len(tokens) and tokens[i + 1] == "_"
            continue
        if token == "@":
            skip = True
            continue
        if token == "_" and i + 1 < len(tokens):
            skip = True
            continue
        if token.startswith("http") or token in {"//", "t", "co", "/"}:
            continue
        kept.append(repair_mojibake(token))
    return " ".join(kept)


def load_sentimix(data_dir: Path, split: str) -> list[Example]:
    """SentiMix 2020 Hinglish tweets: ``train``, ``dev`` or ``test`` (test labels joined from their own file)."""
    folder = data_dir / "sentimix2020-hinglish"
    if split == "test":
        with _need(folder / "test_labels_hinglish.txt").open(encoding="utf-8") as handle:
            labels = {row["Uid"].strip(): row["Sentiment"] for row in csv.DictReader(handle)}
        tweets = _sentimix_tweets(folder / "Hindi_test_unalbelled_conll_updated.txt")
        return [
            Example(text=_join_tweet(tokens), label=_label(labels[uid], f"sentimix test {uid}"), source="sentimix")
            for uid, _, tokens in tweets
            if uid in labels
        ]
    name = {"train": "train_14k_split_conll.txt", "dev": "dev_3k_split_conll.txt"}[split]
    return [
        Example(text=_join_tweet(tokens), label=_label(label or "", f"sentimix {split} {uid}"), source="sentimix")
        for uid, label, tokens in _sentimix_tweets(folder / name)
        if tokens
    ]


def load_iiith(data_dir: Path) -> list[Example]:
    """IIIT-H code-mixed Facebook comments: ``id<TAB>text<TAB>label<TAB>label`` with 0/1/2 = neg/neu/pos."""
    path = _need(data_dir / "iiith-codemixed-sentiment" / "IIITH_Codemixed.txt")
    examples = []
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3 and parts[1].strip():
                examples.append(Example(text=parts[1], label=_label(parts[2], f"{path}:{n}"), source="iiith"))
    return examples


def load_labelled_jsonl(path: Path, source: str, weight: float = 1.0) -> list[Example]:
    """Rows of ``{"text": …, "sentiment": …}`` (the seed, or analysts' corrections); a bad row is an error."""
    examples = []
    with _need(path).open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise TrainingDataError(f"{path}:{n}: not valid JSON ({exc.msg})") from exc
            text = row.get("text") if isinstance(row, dict) else None
            if not isinstance(text, str) or not text.strip():
                raise TrainingDataError(f"{path}:{n}: a correction needs a non-empty 'text'")
            if "sentiment" not in row:
                raise TrainingDataError(f"{path}:{n}: a correction needs a 'sentiment' label")
            if source != "dev" and _text_key(text) in held_out_texts():
                raise TrainingDataError(f"{path}:{n}: this text is in the civic held-out set ({HELD_OUT_FILE.name}"
                                        f" in tests/data/civic_tone), which is never trained on")
            examples.append(Example(text=text, label=_label(row["sentiment"], f"{path}:{n}"), source=source,
                                    weight=weight))
    return examples


def _text_key(text: str) -> str:
    return " ".join(normalize_text(text).lower().split())


@lru_cache(maxsize=1)
def held_out_texts() -> frozenset[str]:
    """The civic held-out set's texts (alone and after their headline), as compared with training rows; empty
    where the set is not shipped (an installed package without tests)."""
    if not HELD_OUT_FILE.exists():
        return frozenset()
    keys = set()
    with HELD_OUT_FILE.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                keys.add(_text_key(row["text"]))
                if row.get("title"):
                    keys.add(_text_key(f"{row['title']}\n{row['text']}"))
    return frozenset(keys)


def load_dev_eval(path: Path) -> list[Example]:
    """The evaluation set (``eval/dev.jsonl``): scored as a cross-check only, never trained on."""
    return load_labelled_jsonl(path, source="dev")


def _key(word: str) -> str:
    """A lexicon or word-form entry as the featurizer spells the token (normalized, lower-cased, stemmed)."""
    return _feature_token(_clean_token(normalize_text(word).lower()))


def _tsv_pairs(path: Path) -> Iterator[tuple[str, str]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            word, value = line.rstrip("\n").split("\t")[:2]
            yield word, value


def build_lexicon(data_dir: Path | None) -> ToneLexicon:
    """Lexicon features: Hindi SentiWordNet (research-only; left out when ``data_dir`` is None), VADER's English
    lexicon (MIT) and the project's civic-tone words."""
    sources: dict[str, dict[str, tuple[float, float]]] = {}
    if data_dir is not None:
        hswn: dict[str, tuple[float, float]] = {}
        with _need(data_dir / "hindi-sentiwordnet" / "HSWN_WN.txt").open(encoding="utf-8") as handle:
            for line in handle:
                parts = line.split()
                if len(parts) < 5:
                    continue
                pos, neg = float(parts[2]), float(parts[3])
                if pos == neg:
                    continue
                for word in parts[4].split(","):
                    if "_" not in word and word:
                        old = hswn.get(_key(word), (0.0, 0.0))
                        hswn[_key(word)] = (max(old[0], pos), max(old[1], neg))
        sources["hswn"] = hswn

    import vaderSentiment

    vader: dict[str, tuple[float, float]] = {}
    with (Path(vaderSentiment.__file__).parent / "vader_lexicon.txt").open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split("\t")
            if len(parts) >= 2 and parts[0].isalpha():
                score = float(parts[1]) / 4.0
                vader[_key(parts[0])] = (max(score, 0.0), max(-score, 0.0))
    sources["vader"] = vader
    sources["civic"] = {_key(word): (1.0, 0.0) if polarity == "positive" else (0.0, 1.0)
                        for word, polarity in _tsv_pairs(CIVIC_LEXICON_FILE)}
    return ToneLexicon(sources=sources)


def build_word_forms() -> dict[str, str]:
    """How the featurizer reads some words (``civic_tone_forms.tsv``): Haryanvi forms as standard Hindi, and
    reporting verbs as nothing (``""``)."""
    return {_key(word): "" if reads == "-" else _key(reads) for word, reads in _tsv_pairs(WORD_FORMS_FILE)}


@dataclass
class TrainingReport:
    """What a training run did: data used per script, held-out scores, calibration, where the model went."""

    model_path: Path
    model_id: str
    seed: int
    seconds: float
    examples: dict[str, dict[str, int]] = field(default_factory=dict)
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    calibration: dict[str, dict[str, float]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """Plain JSON-able form (written next to the model as ``sentiment_metrics.json``)."""
        return {
            "model_id": self.model_id, "seed": self.seed, "examples": self.examples, "scores": self.scores,
            "calibration": self.calibration,
        }

    def __rich__(self) -> Table:
        table = Table(title=f"{self.model_id} → {self.model_path} ({self.seconds:.0f} s)")
        for column in ("scored on", "n", "accuracy", "macro-F1"):
            table.add_column(column)
        for name, score in self.scores.items():
            table.add_row(name, str(int(score["n"])), f"{score['accuracy']:.3f}", f"{score['macro_f1']:.3f}")
        for script, numbers in self.calibration.items():
            table.add_row(f"{script}: temperature {numbers['temperature']:.2f}, out-of-fold ECE "
                          f"{numbers['ece_before']:.3f} → {numbers['ece_after']:.3f}", str(int(numbers["n"])), "", "")
        return table


def _scores_of(gold: list[str], predicted: list[str]) -> dict[str, float]:
    return {
        "n": len(gold),
        "accuracy": round(float(accuracy_score(gold, predicted)), 4),
        "macro_f1": round(float(f1_score(gold, predicted, average="macro", labels=list(LABELS))), 4),
    }


def _score(model: SentimentModel, examples: list[Example], lang: str | None = None) -> dict[str, float]:
    texts = [e.text for e in examples]
    return _scores_of([e.label for e in examples], [s.label for s in model.predict(texts, [lang] * len(texts))])


@dataclass(frozen=True)
class Recipe:
    """Everything one script's classifier is fitted with, besides its examples."""

    lexicon: ToneLexicon
    word_forms: dict[str, str]
    config: SentimentConfig
    regularization: float
    seed: int

    def fit(self, examples: list[Example]) -> ToneClassifier:
        """Fit the featurizer and a class-balanced, sample-weighted multinomial logistic regression."""
        features_config = self.config.features
        texts = [e.text for e in examples]
        features = ToneFeatures.fit(
            texts, self.lexicon, min_df=features_config.min_df, max_terms=features_config.max_terms,
            lexicon_scale=features_config.lexicon_scale,
            word_forms=self.word_forms if features_config.word_forms else {},
            lead_chars=features_config.lead_chars, lead_weight=features_config.lead_weight,
        )
        return self.fit_matrix(features, features.transform(texts), examples)

    def fit_matrix(self, features: ToneFeatures, matrix: sparse.csr_matrix, examples: list[Example],
                   start: ToneClassifier | None = None) -> ToneClassifier:
        """Fit the regression on featurized examples, starting from ``start``'s weights when given (the loss is
        strictly convex, so the start changes how fast the solver converges, not where)."""
        weights = np.array([e.weight for e in examples], dtype=np.float64)
        # Balance the classes so the rare negative reviews are not drowned by positive and neutral ones.
        counts = Counter(e.label for e in examples)
        balance = {label: sum(counts.values()) / (len(counts) * n) for label, n in counts.items()}
        weights *= np.array([balance[e.label] for e in examples])
        classifier = LogisticRegression(C=self.regularization, max_iter=self.config.classifier.max_iter,
                                        tol=self.config.classifier.tol, random_state=self.seed,
                                        warm_start=start is not None)
        if start is not None:
            classifier.coef_ = np.ascontiguousarray(start.coef.T, dtype=np.float64)
            classifier.intercept_ = start.intercept.astype(np.float64)
        classifier.fit(matrix, [e.label for e in examples], sample_weight=weights)
        if tuple(classifier.classes_) != LABELS:
            raise TrainingDataError(f"training data must contain all three labels, got {list(classifier.classes_)}")
        return ToneClassifier(
            features=features,
            coef=np.ascontiguousarray(classifier.coef_.T, dtype=np.float32),
            intercept=classifier.intercept_.astype(np.float32),
        )


CIVIC_SOURCES = frozenset({"civic-seed", "corrections"})
"""The rows that are civic text: calibrated on, and scored by cross-validation."""


def out_of_fold_scores(classifier: ToneClassifier, examples: list[Example], recipe: Recipe,
                       folds: int) -> tuple[np.ndarray, list[str]]:
    """Scores (logits) of the civic rows, each fold predicted by a regression trained on every other row, and
    their labels. Folds are a seeded shuffle of the civic rows; the other rows are always trained on. The folds
    share the whole set's featurizer (its vocabulary and IDF use no labels) and start from its weights."""
    civic = [i for i, e in enumerate(examples) if e.source in CIVIC_SOURCES]
    order = list(civic)
    random.Random(recipe.seed).shuffle(order)
    fold_of = {i: k % folds for k, i in enumerate(order)}
    position = {i: n for n, i in enumerate(civic)}
    matrix = classifier.features.transform([e.text for e in examples])
    scores = np.zeros((len(civic), len(LABELS)), dtype=np.float64)
    for fold in range(folds):
        held = [i for i in civic if fold_of[i] == fold]
        if not held:
            continue
        left_out = set(held)
        kept = [i for i in range(len(examples)) if i not in left_out]
        model = recipe.fit_matrix(classifier.features, matrix[kept], [examples[i] for i in kept], start=classifier)
        scores[[position[i] for i in held]] = matrix[held] @ model.coef + model.intercept
    return scores, [examples[i].label for i in civic]


@dataclass
class Calibration:
    """The out-of-fold predictions of one script's civic rows, and the temperature fitted on them."""

    gold: list[str]
    scores: np.ndarray
    temperature: float = 1.0

    @property
    def predicted(self) -> list[str]:
        """The label each out-of-fold prediction picks."""
        return [LABELS[k] for k in self.scores.argmax(axis=1)]

    def confidence(self, temperature: float | None = None) -> np.ndarray:
        """The probability of each picked label, at ``temperature`` (default: the fitted one)."""
        return softmax(self.scores, self.temperature if temperature is None else temperature).max(axis=1)

    def correct(self) -> np.ndarray:
        """Whether each out-of-fold prediction is right."""
        return np.array(self.predicted) == np.array(self.gold)

    def summary(self) -> dict[str, float]:
        """Temperature, out-of-fold ECE before and after it, and out-of-fold accuracy and macro-F1."""
        scores = _scores_of(self.gold, self.predicted)
        return {"n": len(self.gold), "temperature": self.temperature,
                "ece_before": expected_calibration_error(self.confidence(1.0), self.correct()),
                "ece_after": expected_calibration_error(self.confidence(), self.correct()),
                "cv_accuracy": scores["accuracy"], "cv_macro_f1": scores["macro_f1"]}


def calibrate(classifier: ToneClassifier, examples: list[Example], recipe: Recipe, folds: int) -> Calibration | None:
    """Fit the classifier's temperature on out-of-fold scores of its civic rows (None when they are too few to
    hold every label in several folds)."""
    scores, gold = out_of_fold_scores(classifier, examples, recipe, folds)
    if len(gold) < folds or len(set(gold)) < len(LABELS):
        return None
    calibration = Calibration(gold=gold, scores=scores)
    calibration.temperature = classifier.temperature = fit_temperature(scores, [LABELS.index(g) for g in gold])
    return calibration


def training_sets(data_dir: Path, corrections: Path | None, config: SentimentConfig) -> dict[str, list[Example]]:
    """The labelled examples for each script's classifier (seed and corrections routed by their letters)."""
    nlp_sets = {
        "deva": [
            *load_label_text_csv(data_dir / "iitp-product-reviews" / "hi-train.csv", "iitp-pr"),
            *load_label_text_csv(data_dir / "iitp-product-reviews" / "hi-valid.csv", VALIDATION_SOURCES["deva"]),
            *load_label_text_csv(data_dir / "iitp-movie-reviews" / "hi-valid.csv", "iitp-mr"),
            # HSAC (machine-rendered Amazon reviews, rating-derived labels) is left out: adding it lowered both
            # IITP-PR valid accuracy and the civic cross-check (see MODEL_CARD.md). load_hsac stays for eval.
        ],
        "latn": [
            *load_sentimix(data_dir, "train"),
            *(replace(e, source=VALIDATION_SOURCES["latn"]) for e in load_sentimix(data_dir, "dev")),
            *load_iiith(data_dir),
        ],
    }
    extra = [
        *(
            Example(e.text, e.label, e.source, config.script(script_of(e.text)).seed_weight)
            for e in load_labelled_jsonl(SEED_FILE, "civic-seed")
        ),
        *(load_labelled_jsonl(corrections, "corrections", config.training.correction_weight) if corrections else []),
    ]
    for example in extra:
        nlp_sets[script_of(example.text)].append(example)
    return nlp_sets


VALIDATION_SOURCES = {"deva": "iitp-pr valid", "latn": "sentimix dev"}
"""The public validation splits, trained on by the shipped model and left out by ``cross_validate``."""


def open_training_sets(corrections: Path | None) -> dict[str, list[Example]]:
    """``janmat-tone-open``'s examples: the project's civic seed and the analysts' corrections only, each row
    weighing the same, routed by their letters."""
    sets: dict[str, list[Example]] = {"deva": [], "latn": []}
    rows = [*load_labelled_jsonl(SEED_FILE, "civic-seed"),
            *(load_labelled_jsonl(corrections, "corrections") if corrections else [])]
    for example in rows:
        sets[script_of(example.text)].append(example)
    return sets


def held_out_sets(data_dir: Path) -> dict[str, tuple[list[Example], str | None]]:
    """Public test splits (never trained on) and, when present, the project's dev evaluation set."""
    sets: dict[str, tuple[list[Example], str | None]] = {
        "iitp-pr test": (load_label_text_csv(data_dir / "iitp-product-reviews" / "hi-test.csv", "iitp-pr"), "hi"),
        "iitp-mr test": (load_label_text_csv(data_dir / "iitp-movie-reviews" / "hi-test.csv", "iitp-mr"), "hi"),
        "sentimix test": (load_sentimix(data_dir, "test"), "hi-Latn"),
    }
    dev = data_dir.parent / "eval" / "dev.jsonl"
    if dev.exists():
        sets["dev.jsonl (eval only)"] = (load_dev_eval(dev), None)
    return sets


def _digest(sets: dict[str, list[Example]], seed: int, config: SentimentConfig) -> str:
    digest = hashlib.sha256(f"{seed}\t{FORMAT_VERSION}\t{config.model_dump_json()}".encode())
    for script in sorted(sets):
        for example in sets[script]:
            digest.update(f"{script}\t{example.label}\t{example.weight}\t{example.text}\n".encode())
    return digest.hexdigest()[:8]


def _open_data_dir(data_dir: Path | None) -> Path | None:
    """The reference data's ``nlp/`` folder for scoring the open model on the public test splits, if there is one."""
    try:
        return Path(data_dir) if data_dir else sentiment_data_dir()
    except InputError:
        return None


def train_sentiment(
    out_dir: Path | None = None,
    seed: int | None = None,
    corrections: Path | None = None,
    data_dir: Path | None = None,
    config: Path = CONFIG_FILE,
    model: str = "research",
) -> TrainingReport:
    """Train, calibrate, score on held-out sets and save the model (+ metrics JSON) into ``out_dir``.

    ``model`` is ``research`` (``janmat-tone``: public research-only sets, Hindi SentiWordNet, civic seed,
    corrections) or ``open`` (``janmat-tone-open``: civic seed and corrections only, VADER and the civic words;
    the public sets are only scored on, when present). ``data_dir`` is the reference data's ``nlp/`` folder;
    without it, ``JANMAT_SHARED_DATA``'s, else an error (for ``open``: no public scores). ``config`` holds the
    hyper-parameters; ``seed`` overrides its ``[training] seed``.
    """
    if model not in MODEL_FILES:
        raise TrainingDataError(f"unknown tone model {model!r}: use {' or '.join(MODEL_FILES)}")
    started = time.perf_counter()
    settings = load_sentiment_config(config)
    seed = settings.training.seed if seed is None else seed
    random.seed(seed)
    np.random.seed(seed)
    out_dir = Path(out_dir) if out_dir else MODELS_DIR
    corrections = Path(corrections) if corrections else None
    if model == "open":
        data_dir = _open_data_dir(data_dir)
        sets = open_training_sets(corrections)
        lexicon = build_lexicon(None)
    else:
        data_dir = Path(data_dir) if data_dir else sentiment_data_dir()
        sets = training_sets(data_dir, corrections, settings)
        lexicon = build_lexicon(data_dir)
    word_forms = build_word_forms()
    classifiers, calibration = {}, {}
    for script, examples in sets.items():
        log.info("training %s tone classifier on %d examples", script, len(examples))
        regularization = settings.open.regularization if model == "open" else settings.script(script).regularization
        recipe = Recipe(lexicon, word_forms, settings, regularization, seed)
        classifiers[script] = recipe.fit(examples)
        calibration[script] = calibrate(classifiers[script], examples, recipe, settings.calibration.folds)
    fitted = {script: found for script, found in calibration.items() if found}
    name, file_name = MODEL_FILES[model]
    tone_model = SentimentModel(
        classifiers=classifiers,
        name=name,
        version=f"{FORMAT_VERSION}.{_digest(sets, seed, settings)}",
        meta={"seed": seed, "sources": sorted({e.source for examples in sets.values() for e in examples})},
    )
    path = tone_model.save(out_dir / file_name)
    report = TrainingReport(
        model_path=path, model_id=tone_model.model_id, seed=seed, seconds=0.0,
        examples={s: dict(sorted(Counter(e.source for e in ex).items())) for s, ex in sets.items()},
        calibration={script: found.summary() for script, found in fitted.items()},
    )
    if fitted:
        gold = [g for found in fitted.values() for g in found.gold]
        predicted = [p for found in fitted.values() for p in found.predicted]
        report.scores["civic seed + corrections (out-of-fold)"] = _scores_of(gold, predicted)
    if data_dir is not None:
        for set_name, (examples, lang) in held_out_sets(data_dir).items():
            report.scores[set_name] = _score(tone_model, examples, lang)
    report.seconds = time.perf_counter() - started
    write_metrics(out_dir / metrics_file(file_name), report)
    return report


def train_transformer(base: Path, out_dir: Path, seed: int | None = None, corrections: Path | None = None,
                      data_dir: Path | None = None, config: Path = CONFIG_FILE, model: str = "research",
                      epochs: int = 2) -> dict[str, object]:
    """Fine-tune the local Hugging Face model at ``base`` on the examples the linear ``model`` is trained on
    (``research``: public sets, civic seed and corrections; ``open``: civic seed and corrections only) and write
    it, with ``janmat_tone.json`` and a model card, to ``out_dir`` (``nlp.tone_transformer``)."""
    from nlp.tone_transformer import FineTuning, fine_tune

    if model not in MODEL_FILES:
        raise TrainingDataError(f"unknown tone model {model!r}: use {' or '.join(MODEL_FILES)}")
    settings = load_sentiment_config(config)
    seed = settings.training.seed if seed is None else seed
    corrections = Path(corrections) if corrections else None
    if model == "open":
        sets = open_training_sets(corrections)
    else:
        sets = training_sets(Path(data_dir) if data_dir else sentiment_data_dir(), corrections, settings)
    examples = [e for script in sorted(sets) for e in sets[script]]
    name = f"{MODEL_FILES[model][0]}-transformer"
    try:
        return fine_tune(Path(base), Path(out_dir), examples, name=name, version=_digest(sets, seed, settings),
                         seed=seed, settings=FineTuning(epochs=epochs))
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise TrainingDataError(f"cannot fine-tune {base}: {str(exc).splitlines()[0]}") from exc


def cross_validate(data_dir: Path | None = None, config: Path = CONFIG_FILE, seed: int | None = None,
                   model: str = "research") -> dict[str, dict[str, float]]:
    """The scores settings are chosen by, all from training data: the civic rows out-of-fold (each fold predicted
    by a model trained without it) and, for the research model, IITP-PR valid and SentiMix dev predicted by a model
    trained without them. Saves nothing."""
    settings = load_sentiment_config(config)
    seed = settings.training.seed if seed is None else seed
    if model == "open":
        sets, lexicon = open_training_sets(None), build_lexicon(None)
    else:
        data_dir = Path(data_dir) if data_dir else sentiment_data_dir()
        sets, lexicon = training_sets(data_dir, None, settings), build_lexicon(data_dir)
    word_forms = build_word_forms()
    results: dict[str, dict[str, float]] = {}
    gold: list[str] = []
    predicted: list[str] = []
    for script, examples in sets.items():
        regularization = settings.open.regularization if model == "open" else settings.script(script).regularization
        recipe = Recipe(lexicon, word_forms, settings, regularization, seed)
        found = calibrate(recipe.fit(examples), examples, recipe, settings.calibration.folds)
        if found:
            results[f"civic {script} (out-of-fold)"] = found.summary()
            gold.extend(found.gold)
            predicted.extend(found.predicted)
        valid = [e for e in examples if e.source == VALIDATION_SOURCES[script]]
        if valid:
            classifier = recipe.fit([e for e in examples if e.source != VALIDATION_SOURCES[script]])
            labels = [LABELS[k] for k in classifier.scores([e.text for e in valid]).argmax(axis=1)]
            results[VALIDATION_SOURCES[script]] = _scores_of([e.label for e in valid], labels)
    results["civic (out-of-fold)"] = _scores_of(gold, predicted)
    return results


def metrics_file(model_file: str) -> str:
    """The metrics file kept beside a model file: ``sentiment.joblib`` → ``sentiment_metrics.json``."""
    return model_file.removesuffix(".joblib") + "_metrics.json"


def main(argv: list[str] | None = None) -> None:
    """``python -m nlp.train_sentiment --data DIR [out_dir]``: train and print the report; bad data exits 2."""
    def train(out_dir: Path | None, seed: int, data: Path | None) -> object:
        return train_sentiment(out_dir, seed=seed, data_dir=sentiment_data_dir(data))

    trainer_main(argv, module="nlp.train_sentiment", description=__doc__.splitlines()[0],
                 out_help="model folder (default: nlp/models)", train=train)


if __name__ == "__main__":  # pragma: no cover
    main()
