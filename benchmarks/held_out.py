"""The project's own held-out rows: districts a story is about vs only mentions, and scheme discovery.

    .venv/bin/python benchmarks/held_out.py [--side dev|held_out|dev2|…|held_out12|dev+dev2+…] [--json]

Rows: ``nlp/resources/district_about_rows.jsonl`` and ``nlp/resources/scheme_discovery_rows.jsonl`` (written by
the project, split before any rule was written for them; see ``nlp/resources/PROVENANCE.md``). The district rows
have one part (``dev`` / ``held_out``). The scheme rows have twelve (``dev``/``held_out``, ``dev2``/``held_out2`` …
``dev12``/``held_out12``), parts 3 to 12 written by other engineers from the labelling rules alone; on the later
parts' sides only the scheme report is printed. Rules are fitted on development halves; a held-out half is reported
once (``docs/schemes.md``, "Measured"). Sides joined with ``+`` report their rows together.

- **Districts**: precision / recall / F1 of the districts a row is *about* over (row, district) pairs, and how
  many districts a row only *mentions* (a home town, an earlier posting, a place named in passing) were tagged
  anyway, by kind of row. The baseline in the same run is the tagger with none of the context rules: every
  gazetteer name it resolves counts.
- **Schemes**: a programme outside the catalogue is found when a candidate's words end with its words or the
  other way round (the shorter at least two words: the name may be cut a word earlier or later); recall over the
  programme names the rows hold, and the share of candidates that are real programmes.

Targets (issue 16): ≥ 60 % of out-of-catalogue scheme mentions surface as candidates, ≥ 90 % of candidates real.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(REPO))
RESOURCES = REPO / "nlp" / "resources"


SCHEME_PARTS = 12
SPLITS = ("dev", "held_out", *(f"{side}{part}" for part in range(2, SCHEME_PARTS + 1) for side in ("dev", "held_out")))
SCHEMES_ONLY = frozenset(SPLITS[2:])
"""Splits that only the scheme rows have."""


def side_name(text: str) -> str:
    """``--side``: one split or several joined with ``+``, each a known split."""
    parts = text.split("+")
    unknown = [part for part in parts if part not in SPLITS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown split {', '.join(unknown)}: choose from {', '.join(SPLITS)}")
    return text


def rows(name: str, side: str) -> list[dict[str, Any]]:
    """The rows of one file on one side of its split (``a+b``: the rows of both sides)."""
    splits = set(side.split("+"))
    with (RESOURCES / name).open(encoding="utf-8") as handle:
        return [row for row in map(json.loads, handle) if row["split"] in splits]


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "tp": tp, "fp": fp, "fn": fn}


def district_report(side: str, tag: Any) -> dict[str, Any]:
    """About P/R/F1 and mentioned-only districts tagged, overall and by kind; ``tag(row) -> set of keys``."""
    tp = fp = fn = 0
    mentioned = Counter()
    wrong: list[dict[str, Any]] = []
    for row in rows("district_about_rows.jsonl", side):
        found, about, only = tag(row), set(row["districts"]), set(row["mentioned"]) - set(row["districts"])
        tp, fp, fn = tp + len(found & about), fp + len(found - about), fn + len(about - found)
        mentioned[row["kind"], "named"] += len(only)
        mentioned[row["kind"], "tagged"] += len(found & only)
        if found != about:
            wrong.append({"id": row["id"], "missing": sorted(about - found), "extra": sorted(found - about)})
    kinds = sorted({kind for kind, _ in mentioned})
    return {"about": _prf(tp, fp, fn),
            "mentioned_tagged": {kind: f"{mentioned[kind, 'tagged']} of {mentioned[kind, 'named']}" for kind in kinds},
            "mentioned_tagged_total": f"{sum(mentioned[k, 'tagged'] for k in kinds)} of "
                                      f"{sum(mentioned[k, 'named'] for k in kinds)}",
            "wrong": wrong}


def tagged_districts(row: dict[str, Any]) -> set[str]:
    """The district tagger's keys for a row."""
    from nlp.districts import get_district_tagger

    return {tag.key for tag in get_district_tagger().tag(row["text"], row.get("title"))}


def every_name(row: dict[str, Any]) -> set[str]:
    """Baseline: every gazetteer name the tagger resolves to a district counts, whatever its context."""
    from nlp.districts import get_district_tagger

    return set(get_district_tagger().named(row["text"], row.get("title")))


def _words(name: str) -> list[str]:
    from nlp.normalize import fold

    return fold(name).split()


def _same_programme(found: str, gold: str) -> bool:
    """Whether a candidate names a gold programme: one's words end with the other's, the shorter ≥ 2 words."""
    a, b = _words(found), _words(gold)
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 2 and long[-len(short):] == short


def scheme_report(side: str) -> dict[str, Any]:
    """Recall of the rows' out-of-catalogue programmes among the candidates, and the candidates' precision."""
    from nlp.scheme_candidates import get_candidate_finder

    finder = get_candidate_finder()
    gold_total = found_gold = candidates = real = 0
    misses: list[str] = []
    false: list[str] = []
    for row in rows("scheme_discovery_rows.jsonl", side):
        names = [c.name for c in finder.find(row["text"], row.get("title"))]
        gold = row["candidates"]
        gold_total += len(gold)
        hit = [g for g in gold if any(_same_programme(name, g) for name in names)]
        found_gold += len(hit)
        misses += [f"{row['id']}: {g}" for g in gold if g not in hit]
        candidates += len(names)
        right = [name for name in names if any(_same_programme(name, g) for g in gold)]
        real += len(right)
        false += [f"{row['id']}: {name}" for name in names if name not in right]
    return {"programmes": gold_total, "surfaced": found_gold,
            "recall": round(found_gold / gold_total, 3) if gold_total else 1.0,
            "candidates": candidates, "real": real, "precision": round(real / candidates, 3) if candidates else 1.0,
            "missed": misses, "not_programmes": false}


def main() -> None:
    """Print both reports for one side of the split."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=side_name, default="dev")
    parser.add_argument("--json", action="store_true", help="the full reports, with every row that went wrong")
    args = parser.parse_args()
    report: dict[str, Any] = {"side": args.side}
    if not set(args.side.split("+")) <= SCHEMES_ONLY:
        report["districts"] = district_report(args.side, tagged_districts)
        report["districts_baseline_every_name"] = district_report(args.side, every_name)
    report["schemes"] = scheme_report(args.side)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    schemes = report["schemes"]
    if "districts" in report:
        _print_districts(args.side, report["districts"], report["districts_baseline_every_name"])
    print(f"schemes outside the catalogue: {schemes['surfaced']} of {schemes['programmes']} surfaced "
          f"({schemes['recall']:.0%}, target ≥ 60 %); {schemes['real']} of {schemes['candidates']} candidates real "
          f"({schemes['precision']:.0%}, target ≥ 90 %)")


def _print_districts(side: str, districts: dict[str, Any], baseline: dict[str, Any]) -> None:
    print(f"{side} rows — districts about: P {districts['about']['precision']:.3f} R "
          f"{districts['about']['recall']:.3f} F1 {districts['about']['f1']:.3f} (every name: P "
          f"{baseline['about']['precision']:.3f} R {baseline['about']['recall']:.3f} F1 {baseline['about']['f1']:.3f})")
    print(f"  mentioned-only districts tagged: {districts['mentioned_tagged_total']} "
          f"(every name: {baseline['mentioned_tagged_total']}); by kind: {districts['mentioned_tagged']}")


if __name__ == "__main__":
    main()
