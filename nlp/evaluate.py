"""``janmat eval``: score the NLP stage on labelled rows (the dev set format) or on public sentiment test sets.

Scores, as issue 5 defines them:

* districts — precision / recall / F1, micro-averaged over (document, district) pairs. The dev labels use the
  22-district map (Hansi area → Hisar), so a predicted ``Hansi`` is scored as ``Hisar``;
* schemes — P/R/F1 over (document, scheme id) pairs, ids from the catalogue. A gold scheme whose ``scheme_ids``
  entry is null (another state's scheme, a minor programme) cannot be predicted by a catalogue tagger, so it is
  left out of the pairs and counted separately as ``uncatalogued_gold``;
* sentiment — accuracy and macro-F1 over positive / negative / neutral (only when the sentiment model is
  installed; otherwise reported as missing);
* language — accuracy over ``hi``, ``en``, ``hi-Latn``, ``mixed``;
* misinformation — P/R/F1 of the flag.

Each row that any tagger gets wrong is listed with what was expected and what was found.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from janmat.core.errors import InputError
from janmat.core.mention import Mention, mention_id_for_text
from janmat.core.rows import parse_date, read_jsonl

SENTIMENT_LABELS = ("positive", "negative", "neutral")
DATASETS = ("dev", "iitp-pr", "iitp-mr", "sentimix")
HANSI, HISAR = "Hansi", "Hisar"


class PRF(BaseModel):
    """Precision, recall and F1 from true positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when nothing was expected."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, predicted: set, expected: set) -> None:
        """Count one document's predicted and expected items."""
        self.tp += len(predicted & expected)
        self.fp += len(predicted - expected)
        self.fn += len(expected - predicted)

    def summary(self) -> dict[str, float | int]:
        """The scores and counts as plain numbers."""
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


class RowError(BaseModel):
    """One labelled row the taggers got (partly) wrong: what was expected and what was found, per task."""

    id: str
    problems: dict[str, dict[str, Any]]


class EvalReport(BaseModel):
    """Scores of one evaluation run, with the rows that went wrong."""

    dataset: str
    rows: int
    districts: dict[str, float | int] | None = None
    schemes: dict[str, float | int] | None = None
    uncatalogued_gold: int = 0
    sentiment: dict[str, Any] | None = None
    language: dict[str, float | int] | None = None
    misinformation: dict[str, float | int] | None = None
    notes: list[str] = Field(default_factory=list)
    errors: list[RowError] = Field(default_factory=list)


def evaluate_rows(rows: Iterable[dict[str, Any]], dataset: str = "dev", enricher: Any = None) -> EvalReport:
    """Run the enricher on labelled rows and score every task the rows carry labels for."""
    from nlp.enrich import get_enricher

    rows = list(rows)
    enricher = enricher or get_enricher()
    mentions = enricher.enrich_many(_mention(row, n) for n, row in enumerate(rows, 1))
    districts, schemes, misinformation = PRF(), PRF(), PRF()
    has = {task: any(task in row for row in rows) for task in ("districts", "scheme_ids", "misinformation",
                                                                 "language", "sentiment")}
    language_right = 0
    sentiment_pairs: list[tuple[str, str, float]] = []
    uncatalogued = 0
    errors: list[RowError] = []
    for row, mention in zip(rows, mentions, strict=True):
        problems: dict[str, dict[str, Any]] = {}
        if "districts" in row:
            predicted = {_to_22_district_map(key) for key in (tag.key for tag in mention.districts)}
            expected = set(row["districts"])
            districts.add(predicted, expected)
            if predicted != expected:
                problems["districts"] = {"missing": sorted(expected - predicted), "extra": sorted(predicted - expected),
                                         "evidence": _evidence(mention)}
        if "scheme_ids" in row:
            expected = {sid for sid in row["scheme_ids"] if sid}
            uncatalogued += sum(1 for sid in row["scheme_ids"] if not sid)
            predicted = set(mention.scheme_ids)
            schemes.add(predicted, expected)
            if predicted != expected:
                problems["schemes"] = {"missing": sorted(expected - predicted), "extra": sorted(predicted - expected)}
        if "language" in row:
            language_right += mention.lang == row["language"]
            if mention.lang != row["language"]:
                problems["language"] = {"expected": row["language"], "found": mention.lang}
        if "misinformation" in row:
            expected_flag, found_flag = bool(row["misinformation"]), mention.misinformation.flagged
            misinformation.add({1} if found_flag else set(), {1} if expected_flag else set())
            if expected_flag != found_flag:
                problems["misinformation"] = {"expected": expected_flag, "found": found_flag,
                                              "cues": mention.misinformation.flags}
        if "sentiment" in row and mention.sentiment is not None:
            sentiment_pairs.append((row["sentiment"], mention.sentiment.label, mention.sentiment.score))
            if row["sentiment"] != mention.sentiment.label:
                problems["sentiment"] = {"expected": row["sentiment"], "found": mention.sentiment.label}
        if problems:
            errors.append(RowError(id=str(row.get("id", mention.id)), problems=problems))
    report = EvalReport(dataset=dataset, rows=len(rows), errors=errors, uncatalogued_gold=uncatalogued)
    if has["districts"]:
        report.districts = districts.summary()
        report.notes.append("districts scored on the 22-district map: Hansi is counted as Hisar")
    if has["scheme_ids"]:
        report.schemes = schemes.summary()
        report.notes.append(f"{uncatalogued} gold scheme tag(s) have no catalogue id and are not scored")
    if has["language"]:
        labelled = sum(1 for row in rows if "language" in row)
        report.language = {"accuracy": round(language_right / labelled, 4), "right": language_right,
                           "rows": labelled}
    if has["misinformation"]:
        report.misinformation = misinformation.summary()
    if has["sentiment"]:
        report.sentiment = _sentiment_scores(sentiment_pairs) if sentiment_pairs else {
            "missing": "no sentiment model installed (janmat train sentiment)"}
    return report


def evaluate_file(path: Path | str, dataset: str = "dev") -> EvalReport:
    """Score a labelled file: a dev-format JSONL, or a public sentiment test set (iitp-pr, iitp-mr, sentimix)."""
    path = Path(path)
    if dataset not in DATASETS:
        raise InputError(f"unknown dataset {dataset!r}: use one of {', '.join(DATASETS)}")
    if not path.exists():
        raise InputError(f"no such file: {path}")
    rows = read_dev_rows(path) if dataset == "dev" else read_sentiment_rows(path, dataset)
    if not rows:
        raise InputError(f"{path} holds no labelled rows")
    return evaluate_rows(rows, dataset=dataset)


def read_dev_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of a dev-format JSONL file; a malformed line or a row without text is an error naming its line."""
    rows = []
    for number, row in read_jsonl(path):
        if isinstance(row, InputError):
            raise InputError(f"{path}: {row}")
        if not isinstance(row.get("text"), str) or not row["text"].strip():
            raise InputError(f"{path}: line {number}: a labelled row needs a non-empty 'text'")
        rows.append(row)
    return rows


def read_sentiment_rows(path: Path, dataset: str) -> list[dict[str, Any]]:
    """Rows with ``text`` and ``sentiment`` from a public sentiment set.

    ``iitp-pr`` / ``iitp-mr``: CSV without header, ``label,text``. ``sentimix``: the SemEval-2020 CoNLL file
    (``meta<TAB>uid[<TAB>label]`` then one ``token<TAB>lang`` per line); the unlabelled test file takes its labels
    from ``test_labels_hinglish.txt`` beside it. A folder means its test split.
    """
    try:
        if dataset in ("iitp-pr", "iitp-mr"):
            return _read_label_text_csv(path, dataset)
        return _read_sentimix(path)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"cannot read {dataset} data at {path}: {exc}") from exc


def _read_label_text_csv(path: Path, dataset: str) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, record in enumerate(csv.reader(handle), 1):
            if len(record) < 2 or not record[1].strip():
                continue
            label = record[0].strip().lower()
            if label not in SENTIMENT_LABELS:
                raise InputError(f"{path}: row {number}: unknown sentiment label {record[0]!r}")
            rows.append({"id": f"{dataset}-{number}", "text": record[1], "sentiment": label})
    return rows


_SENTIMIX_TEST = "Hindi_test_unalbelled_conll_updated.txt"
_SENTIMIX_LABELS = "test_labels_hinglish.txt"


def _read_sentimix(path: Path) -> list[dict[str, Any]]:
    if path.is_dir():
        path = path / _SENTIMIX_TEST
    labels: dict[str, str] = {}
    if (path.parent / _SENTIMIX_LABELS).exists():
        with (path.parent / _SENTIMIX_LABELS).open(encoding="utf-8", newline="") as handle:
            labels = {row["Uid"].strip(): row["Sentiment"].strip().lower() for row in csv.DictReader(handle)}
    rows = []
    for uid, label, tokens in _sentimix_tweets(path):
        label = label or labels.get(uid)
        if label in SENTIMENT_LABELS and tokens:
            rows.append({"id": f"sentimix-{uid}", "text": _tweet_text(tokens), "sentiment": label})
    return rows


def _sentimix_tweets(path: Path) -> Iterable[tuple[str, str | None, list[str]]]:
    uid, label, tokens = None, None, []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if parts[0] == "meta" and len(parts) >= 2:
                if uid is not None:
                    yield uid, label, tokens
                uid, tokens = parts[1].strip(), []
                label = parts[2].strip().lower() if len(parts) > 2 else None
            elif parts[0].strip():
                tokens.append(parts[0].strip())
    if uid is not None:
        yield uid, label, tokens


def _tweet_text(tokens: list[str]) -> str:
    """A tweet's words without @handles and the pieces of links that SentiMix's tokenizer split apart."""
    words = []
    skip_next = False
    for token in tokens:
        if skip_next:
            skip_next = False
            continue
        if token == "@":
            skip_next = True  # the handle follows the @
            continue
        if token.startswith("http") or token in ("//", "/", ":", "t", "co", "https"):
            continue
        words.append(token)
    return " ".join(words)


def render(report: EvalReport, as_json: bool = False) -> str:
    """The report as JSON (``--json``) or as a short table for people, in English and Hindi labels."""
    if as_json:
        return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=1)
    lines = [f"dataset {report.dataset}: {report.rows} rows / पंक्तियां"]
    for name, hindi, scores in (("districts", "ज़िले", report.districts), ("schemes", "योजनाएं", report.schemes),
                                ("misinformation", "भ्रामक सूचना", report.misinformation)):
        if scores:
            lines.append(f"{name:15} ({hindi}) P {scores['precision']:.3f}  R {scores['recall']:.3f}  "
                         f"F1 {scores['f1']:.3f}  (tp {scores['tp']}, fp {scores['fp']}, fn {scores['fn']})")
    if report.language:
        lines.append(f"{'language':15} (भाषा) accuracy {report.language['accuracy']:.3f} "
                     f"({report.language['right']}/{report.language['rows']})")
    if report.sentiment:
        if "missing" in report.sentiment:
            lines.append(f"{'sentiment':15} (भावना) {report.sentiment['missing']}")
        else:
            per_label = "  ".join(f"{label} {f1:.3f}" for label, f1 in report.sentiment["f1"].items())
            lines.append(f"{'sentiment':15} (भावना) accuracy {report.sentiment['accuracy']:.3f}  "
                         f"macro-F1 {report.sentiment['macro_f1']:.3f}  F1: {per_label}  "
                         f"ECE {report.sentiment['ece']:.3f}")
    lines.extend(f"note: {note}" for note in report.notes)
    if report.errors:
        lines.append(f"{len(report.errors)} row(s) with errors (--json lists them all); first ones:")
        for error in report.errors[:10]:
            lines.append(f"  {error.id}: " + "; ".join(f"{task} {json.dumps(detail, ensure_ascii=False)}"
                                                    for task, detail in error.problems.items())[:300])
    return "\n".join(lines)


def _mention(row: dict[str, Any], number: int) -> Mention:
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"row {number}: a labelled row needs a non-empty 'text'")
    return Mention(id=str(row.get("id") or mention_id_for_text(text)), text=text, title=row.get("title") or None,
                   published_at=parse_date(row.get("published_at")))


def _to_22_district_map(key: str) -> str:
    """The dev labels predate Hansi district: score it as Hisar."""
    return HISAR if key == HANSI else key


def _evidence(mention: Mention) -> dict[str, list[str]]:
    return {tag.key: [e.text for e in tag.evidence] for tag in mention.districts}


def _sentiment_scores(pairs: list[tuple[str, str, float]]) -> dict[str, Any]:
    """Accuracy, macro-F1, F1 per label, and how well the labels' probabilities are calibrated (ECE, and the
    reliability table: accuracy against confidence per bin)."""
    from nlp.calibration import expected_calibration_error, reliability

    right = sum(1 for gold, found, _ in pairs if gold == found)
    f1s: dict[str, float] = {}
    for label in SENTIMENT_LABELS:
        scores = PRF()
        for gold, found, _ in pairs:
            scores.add({1} if found == label else set(), {1} if gold == label else set())
        if scores.tp + scores.fn:  # labels absent from the gold rows do not enter the macro average
            f1s[label] = round(scores.f1, 4)
    confidence, correct = [score for _, _, score in pairs], [gold == found for gold, found, _ in pairs]
    ece = expected_calibration_error(confidence, correct)
    return {"accuracy": round(right / len(pairs), 4),
            "macro_f1": round(sum(f1s.values()) / len(f1s), 4) if f1s else 0.0, "f1": f1s, "ece": ece,
            "reliability": [row for row in reliability(confidence, correct) if row["n"]], "rows": len(pairs)}
