"""The trained scorer that drops look-alike scheme candidates, and its trainer (sentences are our own)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from janmat.core.errors import InputError
from nlp.scheme_candidate_scorer import MODEL, CandidateScorer, get_candidate_scorer, load_scorer
from nlp.scheme_candidates import SchemeCandidateFinder, get_candidate_finder
from nlp.schemes import get_scheme_tagger
from nlp.train_scheme_candidates import ROWS, fit_scorer, train_scheme_scorer, training_rows
from tests.test_cli import janmat

DEPARTMENT = ("कृषि विभाग ने बताया कि जल बचाओ फसल बचाओ योजना के तहत धान छोड़ने वाले किसानों को 7000 रुपये प्रति "
              "एकड़ मिलेंगे।", "जल बचाओ फसल बचाओ योजना")
JEWELLER = ("शहर के ज्वैलर्स की धनवर्षा गोल्ड स्कीम में 11 किस्तें भरने पर एक किस्त मुफ्त मिलेगी।", "धनवर्षा गोल्ड स्कीम")
FILM = ("फिल्म ‘मिशन सपना’ का ट्रेलर आज रिलीज होगा।", "मिशन सपना")


def score(scorer: CandidateScorer, case: tuple[str, str]) -> float:
    text, name = case
    start = text.index(name)
    return scorer.score(text, start, start + len(name))


def test_a_department_programme_is_kept_and_a_shop_offer_or_a_film_dropped():
    scorer = get_candidate_scorer()
    assert score(scorer, DEPARTMENT) >= scorer.threshold
    assert score(scorer, JEWELLER) < scorer.threshold
    assert score(scorer, FILM) < scorer.threshold


def test_spellings_that_fold_alike_score_alike():
    scorer = get_candidate_scorer()
    text = "पुलिस ने ऑपरेशन आकर्षण के तहत जिले में 40 लापता बच्चों को ढूंढा।"
    for variant in ("पुलिस ने ऑपरेशन आकर्षण के तहत ज़िले में 40 लापता बच्चों को ढूंढा।",  # nukta
                    "पुलिस ने ऑपरेशन आकर्षण के तहत जिले में ४० लापता बच्चों को ढूंढा।",  # Devanagari digits
                    "पुलिस ने ऑपरेशन आकर्षण के तहत जि\u200dले में 40 लापता बच्चों को ढूंढा।"):  # a zero-width joiner
        assert score(scorer, (variant, "ऑपरेशन आकर्षण")) == pytest.approx(score(scorer, (text, "ऑपरेशन आकर्षण")))


def test_the_finder_drops_the_names_its_scorer_drops():
    text, name = DEPARTMENT
    against = CandidateScorer({"name": "test", "version": 1, "threshold": 0.5, "intercept": 0.0,
                               "weights": {"n=फसल": -10.0}})
    assert [c.name for c in SchemeCandidateFinder(get_scheme_tagger()).find(text)] == [name]
    assert SchemeCandidateFinder(get_scheme_tagger(), against).find(text) == []
    assert get_candidate_finder().scorer is not None  # the shipped finder filters


def test_the_shipped_scorer_is_what_the_trainer_makes_of_the_rows():
    shipped = json.loads(MODEL.read_text(encoding="utf-8"))
    fitted = fit_scorer(training_rows())
    assert fitted["trained_on"] == shipped["trained_on"]
    assert fitted["threshold"] == shipped["threshold"]
    assert fitted["intercept"] == pytest.approx(shipped["intercept"], abs=1e-3)
    assert fitted["weights"].keys() == shipped["weights"].keys()
    assert all(fitted["weights"][k] == pytest.approx(w, abs=1e-3) for k, w in shipped["weights"].items())


def test_training_reads_no_part_kept_for_measuring(tmp_path: Path):
    rows = tmp_path / "rows.jsonl"
    held = {"id": "sd11-999", "split": "held_out11", "kind": "discovery", "language": "hi",
            "text": "झिलमिल टापू योजना के तहत किसानों को पैसा मिलेगा।", "scheme_ids": [],
            "candidates": ["झिलमिल टापू योजना"], "decoys": []}
    rows.write_text(ROWS.read_text(encoding="utf-8") + json.dumps(held, ensure_ascii=False) + "\n", encoding="utf-8")
    assert all(row["id"] != "sd11-999" for row in training_rows(rows))
    out = tmp_path / "scorer.json"
    report = train_scheme_scorer(out, rows)
    model = json.loads(out.read_text(encoding="utf-8"))
    assert report["rows"] == model["trained_on"]["rows"] == len(training_rows())
    assert not any("झिलमिल" in feature for feature in model["weights"])


def test_a_label_missing_from_its_text_is_a_clear_error():
    row = {"id": "x-1", "split": "dev", "text": "राज्य सरकार की नई योजना।", "candidates": ["कोई और योजना"],
           "decoys": ["नई योजना"]}
    with pytest.raises(InputError, match="x-1"):
        fit_scorer([row])


def test_a_missing_or_broken_scorer_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(InputError, match="is missing"):
        load_scorer(tmp_path / "none.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"name": "x"}', encoding="utf-8")
    with pytest.raises(InputError, match="not a scorer file"):
        load_scorer(broken)


def test_the_train_command_writes_a_scorer(tmp_path: Path):
    out = tmp_path / "scorer.json"
    result = janmat("train", "scheme-candidates", "--out", str(out))
    assert result.returncode == 0, result.stderr
    scorer = load_scorer(out)
    assert score(scorer, DEPARTMENT) >= scorer.threshold > score(scorer, JEWELLER)
