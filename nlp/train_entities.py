"""Train Janmat's Hindi entity recognizer (spaCy, blank ``hi`` + tok2vec + NER) on IL-NER.

Run ``python -m nlp.train_entities --data DIR [out_dir]``, DIR being the reference data folder
(env ``JANMAT_SHARED_DATA`` instead of ``--data``). IL-NER (Bahad et al. 2024, CC-BY-4.0) is read
in place from it; its tags are mapped NEP→PERSON, NEO→ORG, NEL→PLACE and every other type (numbers, times,
artefacts) is dropped. The small CPU config in ``nlp/models/entities.cfg`` is seeded, so a rerun on the same data
gives the same model. Offices (उपायुक्त, DC, मुख्यमंत्री…) are not learned here: ``nlp.entities`` adds them by rule.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from rich.table import Table
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Example

from janmat.core.errors import InputError
from nlp.entities import ENTITY_MODEL_DIR, MODELS_DIR
from nlp.reference_data import reference_nlp_dir, trainer_main, write_metrics

log = logging.getLogger(__name__)

CONFIG_FILE = MODELS_DIR / "entities.cfg"
METRICS_FILE = "entities_metrics.json"
TAG_MAP = {"NEP": "PERSON", "NEO": "ORG", "NEL": "PLACE"}
NEEDED_FILES = tuple(f"il-ner-hindi/Hindi-{split}.txt" for split in ("train", "dev", "test"))
"""The files under the reference data's ``nlp/`` that training reads."""


class EntityDataError(InputError, ValueError):
    """The IL-NER files are missing or unreadable; the message names the file."""


def entities_data_dir(data: Path | None = None) -> Path:
    """The ``nlp/`` folder of ``data`` (reference data) or of ``JANMAT_SHARED_DATA``; clear error if absent."""
    return reference_nlp_dir(data, NEEDED_FILES)


def read_conll(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    """Sentences of an IL-NER CoNLL file as (tokens, BIO tags mapped to PERSON/ORG/PLACE or O)."""
    if not path.exists():
        raise EntityDataError(f"IL-NER file not found: {path} (pass --data or set JANMAT_SHARED_DATA)")
    tokens: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line.strip():
                if tokens:
                    yield tokens, tags
                tokens, tags = [], []
                continue
            token, _, tag = line.partition("\t")
            if not token.strip():
                continue
            tokens.append(token.strip())
            tags.append(_map_tag(tag.strip()))
    if tokens:
        yield tokens, tags


def _map_tag(tag: str) -> str:
    # ~150 malformed tags in IL-NER train ("-", "-NEL") carry no usable boundary: they become O.
    prefix, _, kind = tag.partition("-")
    if prefix not in ("B", "I") or kind not in TAG_MAP:
        return "O"
    return f"{prefix}-{TAG_MAP[kind]}"


def sentence_doc(vocab: spacy.Vocab, tokens: list[str], tags: list[str]) -> Doc:
    """A spaCy Doc of one IL-NER sentence with its entities set (an I- tag without a B- starts an entity)."""
    doc = Doc(vocab, words=tokens)
    spans: list[Span] = []
    start, label = None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and kind == label
        if start is not None and not continues:
            spans.append(Span(doc, start, i, label=label))
            start, label = None, None
        if prefix in ("B", "I") and not continues:
            start, label = i, kind
    doc.ents = spans
    return doc


def _docbin(path: Path, out: Path) -> int:
    vocab = spacy.blank("hi").vocab
    docs = [sentence_doc(vocab, tokens, tags) for tokens, tags in read_conll(path)]
    DocBin(docs=docs, attrs=["ORTH", "ENT_IOB", "ENT_TYPE"]).to_disk(out)
    return len(docs)


@dataclass
class EntityTrainingReport:
    """What an entity training run did and its scores on IL-NER test."""

    model_dir: Path
    seconds: float
    sentences: dict[str, int] = field(default_factory=dict)
    scores: dict[str, dict[str, float]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """Plain JSON-able form (written next to the model as ``entities_metrics.json``)."""
        return {"sentences": self.sentences, "scores": self.scores}

    def __rich__(self) -> Table:
        table = Table(title=f"entities → {self.model_dir} ({self.seconds:.0f} s), IL-NER test")
        for column in ("label", "P", "R", "F"):
            table.add_column(column)
        for label, score in self.scores.items():
            table.add_row(label, f"{score['p']:.3f}", f"{score['r']:.3f}", f"{score['f']:.3f}")
        return table


def score_ner(nlp: spacy.Language, path: Path) -> dict[str, dict[str, float]]:
    """Exact-span P/R/F per label and overall on a CoNLL file (statistical NER only, no office rules)."""
    examples = []
    for tokens, tags in read_conll(path):
        gold = sentence_doc(nlp.vocab, tokens, tags)
        examples.append(Example(nlp.make_doc(" ".join(tokens)), gold))
    predicted = nlp.pipe([e.predicted for e in examples], batch_size=256)
    scored = [Example(p, e.reference) for p, e in zip(predicted, examples, strict=True)]
    scores = nlp.get_pipe("ner").score(scored)
    result = {"ALL": {"p": scores["ents_p"], "r": scores["ents_r"], "f": scores["ents_f"]}}
    for label, per in sorted((scores.get("ents_per_type") or {}).items()):
        result[label] = {"p": per["p"], "r": per["r"], "f": per["f"]}
    return {label: {k: round(float(v), 4) for k, v in s.items()} for label, s in result.items()}


def train_entities(out_dir: Path | None = None, seed: int = 13, data_dir: Path | None = None) -> EntityTrainingReport:
    """Train the NER pipeline on IL-NER train (dev for model selection) and save it to ``out_dir``.

    ``data_dir`` is the reference data's ``nlp/`` folder; without it, ``JANMAT_SHARED_DATA``'s, else an error.
    """
    from spacy.cli.train import train as spacy_train

    started = time.perf_counter()
    data_dir = Path(data_dir) if data_dir else entities_data_dir()
    folder = data_dir / "il-ner-hindi"
    out_dir = Path(out_dir) if out_dir else ENTITY_MODEL_DIR
    with tempfile.TemporaryDirectory(prefix="janmat-ner-") as work:
        work_dir = Path(work)
        sentences = {
            split: _docbin(folder / f"Hindi-{split}.txt", work_dir / f"{split}.spacy") for split in ("train", "dev")
        }
        spacy_train(
            CONFIG_FILE,
            output_path=work_dir / "out",
            overrides={
                "paths.train": str(work_dir / "train.spacy"),
                "paths.dev": str(work_dir / "dev.spacy"),
                "training.seed": seed,
                "system.seed": seed,
            },
        )
        if out_dir.exists():
            shutil.rmtree(out_dir)
        shutil.copytree(work_dir / "out" / "model-best", out_dir)
    nlp = spacy.load(out_dir)
    report = EntityTrainingReport(model_dir=out_dir, seconds=0.0, sentences=sentences)
    report.scores = score_ner(nlp, folder / "Hindi-test.txt")
    report.sentences["test"] = sum(1 for _ in read_conll(folder / "Hindi-test.txt"))
    report.seconds = time.perf_counter() - started
    write_metrics(out_dir / METRICS_FILE, report)
    return report


def main(argv: list[str] | None = None) -> None:
    """``python -m nlp.train_entities --data DIR [out_dir]``: train and print the report; bad data exits 2."""
    def train(out_dir: Path | None, seed: int, data: Path | None) -> object:
        return train_entities(out_dir, seed=seed, data_dir=entities_data_dir(data))

    trainer_main(argv, module="nlp.train_entities", description=__doc__.splitlines()[0],
                 out_help="model folder (default: nlp/models/entities)", train=train)


if __name__ == "__main__":  # pragma: no cover
    main()
