"""``janmat eval``: scores on the dev set and the public sentiment sets, computed the way issue 5 defines them."""

from __future__ import annotations

import json

import pytest

from janmat.core.errors import InputError
from nlp.enrich import Enricher
from nlp.evaluate import PRF, evaluate_file, evaluate_rows, read_sentiment_rows, render
from tests.conftest import shared_data

RULES = ("language", "districts", "schemes", "misinformation")
"""The rule-based taggers: no trained model to load."""


def test_dev_set_report_has_every_metric():
    path = shared_data("eval", "dev.jsonl")
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    report = evaluate_file(path)
    assert report.rows == len(rows) == 89
    for scores in (report.districts, report.schemes, report.misinformation):
        assert 0.0 <= scores["precision"] <= 1.0 and 0.0 <= scores["f1"] <= 1.0
    # pairs: every gold (row, district) is either found or missed
    assert report.districts["tp"] + report.districts["fn"] == sum(len(r["districts"]) for r in rows)
    catalogued = sum(1 for r in rows for sid in r["scheme_ids"] if sid)
    assert report.schemes["tp"] + report.schemes["fn"] == catalogued
    assert report.uncatalogued_gold == sum(1 for r in rows for sid in r["scheme_ids"] if not sid)
    assert report.misinformation["tp"] + report.misinformation["fn"] == sum(r["misinformation"] for r in rows)
    assert report.language["rows"] == 89 and 0 <= report.language["accuracy"] <= 1
    assert report.sentiment is not None
    wrong_ids = {e.id for e in report.errors}
    assert wrong_ids <= {r["id"] for r in rows}


def test_render_as_json_and_as_text():
    report = evaluate_rows([{"id": "r1", "text": "करनाल में किसानों ने धरना दिया", "districts": ["Karnal"],
                             "language": "hi", "misinformation": False, "scheme_ids": []}],
                           enricher=Enricher(RULES))
    data = json.loads(render(report, as_json=True))
    assert data["districts"]["f1"] == 1.0 and data["language"]["accuracy"] == 1.0
    text = render(report)
    assert "districts" in text and "F1 1.000" in text


def test_hansi_is_scored_as_hisar_on_the_22_district_labels():
    row = {"id": "h", "text": "हांसी की अनाज मंडी में गेहूं की खरीद शुरू", "districts": ["Hisar"]}
    report = evaluate_rows([row], enricher=Enricher(RULES))
    assert report.districts["tp"] == 1 and report.districts["fp"] == 0


def test_wrong_rows_are_listed_with_what_was_expected():
    row = {"id": "x", "text": "करनाल में किसानों ने धरना दिया", "districts": ["Panipat"], "language": "en"}
    report = evaluate_rows([row], enricher=Enricher(RULES))
    (error,) = report.errors
    assert error.problems["districts"]["missing"] == ["Panipat"]
    assert error.problems["districts"]["extra"] == ["Karnal"]
    assert error.problems["language"] == {"expected": "en", "found": "hi"}


def test_prf_counts():
    scores = PRF()
    scores.add({"a", "b"}, {"b", "c"})
    scores.add(set(), {"d"})
    assert (scores.tp, scores.fp, scores.fn) == (1, 1, 2)
    assert scores.precision == 0.5 and scores.recall == pytest.approx(1 / 3)


def test_bad_input_is_a_clear_error(tmp_path):
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "ok", "districts": []}\n{not json\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        evaluate_file(broken)
    with pytest.raises(InputError, match="no such file"):
        evaluate_file(tmp_path / "missing.jsonl")
    with pytest.raises(InputError, match="unknown dataset"):
        evaluate_file(broken, dataset="imdb")


@pytest.mark.parametrize(("dataset", "parts", "count"), [
    ("iitp-pr", ("nlp", "iitp-product-reviews", "hi-test.csv"), 523),
    ("iitp-mr", ("nlp", "iitp-movie-reviews", "hi-test.csv"), 310),
    ("sentimix", ("nlp", "sentimix2020-hinglish", "Hindi_test_unalbelled_conll_updated.txt"), 3000),
])
def test_public_sentiment_test_sets_become_labelled_rows(dataset, parts, count):
    rows = read_sentiment_rows(shared_data(*parts), dataset)
    # row counts from each set's PROVENANCE.md
    assert len(rows) == count
    assert {row["sentiment"] for row in rows} == {"positive", "negative", "neutral"}
    assert all(row["text"].strip() for row in rows)
