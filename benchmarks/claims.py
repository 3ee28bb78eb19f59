"""Claim matching and rumour cues on the held-out part of the claims set, and matching speed against a baseline.

    .venv/bin/python benchmarks/claims.py --data ../shared/data [--side held_out|dev] [--json]

Quality: the held-out side of the committed split (``nlp/claims/split.json``, by claim; see ``docs/claims.md``):
precision and recall of the returned (mention, claim) pairs at the scorer's operating threshold, overall and per
language (Devanagari, romanised, English, mixed), and the ``suspected`` rumour signal's share of rumours found and
of news flagged. The reference texts are read from ``--data`` at run time and never copied.

Speed: mentions matched per second on one core, with the 37 reference claims and with a large index (every
claim, mention and rumour-cue text of the set plus every sentence of ``eval/dev.jsonl``, as pseudo-claims), against
a plain TF-IDF cosine (scikit-learn, word unigrams and bigrams, best claim above a cut-off) over the same claims,
measured in the same run. Scheme and district tags are computed before the clock, as the pipeline's earlier
taggers do.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Run as a script, this file's folder comes first on sys.path and "nlp" would import this file, not the package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(REPO))

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

from nlp.claims.dataset import ClaimSet, load_claim_set, read_jsonl  # noqa: E402
from nlp.claims.evaluation import claims_of, mention_tags, split_report  # noqa: E402
from nlp.claims.matcher import ClaimMatcher  # noqa: E402
from nlp.claims.model import Claim  # noqa: E402

TFIDF_CUTOFF = 0.3
_SENTENCE = re.compile(r"(?<=[।.!?])\s+")


class TfidfBaseline:
    """The best claim by TF-IDF cosine, returned when the cosine reaches the cut-off."""

    def __init__(self, claims: list[Claim], cutoff: float = TFIDF_CUTOFF) -> None:
        self.ids = [claim.id for claim in claims]
        self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        self.matrix = self.vectorizer.fit_transform([claim.text for claim in claims])
        self.cutoff = cutoff

    def match(self, text: str) -> list[tuple[str, float]]:
        """``[(claim_id, cosine)]`` for the best claim, if it reaches the cut-off."""
        scores = (self.matrix @ self.vectorizer.transform([text]).T).toarray().ravel()
        best = int(scores.argmax())
        return [(self.ids[best], float(scores[best]))] if scores[best] >= self.cutoff else []


def large_index(claim_set: ClaimSet, data: Path) -> list[Claim]:
    """The reference claims plus every other text of the set and every eval sentence, as pseudo-claims."""
    claims = claims_of(claim_set)
    texts = [row["text"] for row in (*claim_set.mentions, *claim_set.rumour_cues)]
    eval_file = data / "eval" / "dev.jsonl"
    if eval_file.exists():
        texts += [s for row in read_jsonl(eval_file) for s in _SENTENCE.split(row["text"]) if len(s) > 40]
    return claims + [Claim(id=f"pseudo-{n}", text=text) for n, text in enumerate(texts)]


def _rate(match: Callable[..., object], inputs: list[tuple], rounds: int) -> float:
    """Mentions per second: the fastest of ``rounds`` passes over the inputs."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for arguments in inputs:
            match(*arguments)
        best = min(best, time.perf_counter() - start)
    return len(inputs) / best


def speed(claims: list[Claim], texts: list[str], rounds: int) -> dict[str, float]:
    """Janmat's matcher and the TF-IDF baseline over the same claims and texts."""
    matcher = ClaimMatcher(claims)
    tagged = [(text, *mention_tags(text)) for text in texts]
    baseline = TfidfBaseline(claims)
    janmat = _rate(matcher.match, tagged, rounds)
    tfidf = _rate(baseline.match, [(text,) for text in texts], rounds)
    return {"claims": len(claims), "mentions": len(texts), "janmat_per_s": round(janmat, 1),
            "tfidf_per_s": round(tfidf, 1), "ratio": round(janmat / tfidf, 2)}


def _one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def _print(report: dict) -> None:
    matching = report["matching"]
    print(f"claim matching on the {matching['side']} pairs, threshold {matching['threshold']}")
    print(f"{'language':<12}{'mentions':>9}{'positives':>10}{'returned':>9}{'right':>7}{'precision':>10}"
          f"{'recall':>8}")
    for name, row in [("overall", matching["overall"]), *sorted(matching["by_language"].items())]:
        print(f"{name:<12}{row['mentions']:>9}{row['positives']:>10}{row['returned']:>9}{row['right']:>7}"
              f"{row['precision']:>10.3f}{row['recall']:>8.3f}")
    rumours = report["rumour_cues"]
    print(f"\nrumour cues (suspected) on the {matching['side']} texts")
    print(f"{'language':<12}{'rumours':>8}{'found':>7}{'share':>7}{'news':>6}{'flagged':>8}{'share':>7}")
    for name, row in [("overall", rumours["overall"]), *sorted(rumours["by_language"].items())]:
        found = "-" if row["rumours_found"] is None else f"{row['rumours_found']:.3f}"
        flagged = "-" if row["news_flagged"] is None else f"{row['news_flagged']:.3f}"
        print(f"{name:<12}{row['rumours']:>8}{row['found']:>7}{found:>7}{row['news']:>6}{row['flagged']:>8}"
              f"{flagged:>7}")
    print("\nmatching speed, one core (mentions/s)")
    for case in report["speed"]:
        print(f"  {case['claims']:>5} claims: janmat {case['janmat_per_s']:>8.1f}   TF-IDF baseline "
              f"{case['tfidf_per_s']:>8.1f}   ratio {case['ratio']:.2f}")
    base = report["baseline_quality"]
    print(f"\nTF-IDF baseline quality on the same pairs (cut-off {TFIDF_CUTOFF}): precision {base['precision']:.3f}, "
          f"recall {base['recall']:.3f}")


def baseline_quality(claim_set: ClaimSet, side: str) -> dict[str, float]:
    """Precision and recall of the TF-IDF baseline's pairs on one side."""
    baseline = TfidfBaseline(claims_of(claim_set))
    returned = right = positives = 0
    for mention in claim_set.mentions_on(side):
        found = [claim_id for claim_id, _ in baseline.match(mention["text"])]
        gold = mention.get("claim_id")
        positives += bool(gold)
        returned += len(found)
        right += gold in found
    return {"precision": round(right / returned, 4) if returned else 1.0,
            "recall": round(right / positives, 4) if positives else 1.0}


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data", help="the shared/data folder")
    parser.add_argument("--side", choices=("held_out", "dev"), default="held_out")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    _one_core()
    claim_set = load_claim_set(args.data)
    report = split_report(claim_set, args.side)
    texts = [mention["text"] for mention in claim_set.mentions]
    report["speed"] = [speed(claims_of(claim_set), texts, args.rounds),
                       speed(large_index(claim_set, args.data), texts, args.rounds)]
    report["baseline_quality"] = baseline_quality(claim_set, args.side)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        _print(report)


if __name__ == "__main__":
    main()
