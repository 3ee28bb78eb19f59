"""Bounded work per mention: one book-length row and a flood of near-identical rows, time and peak memory.

    .venv/bin/python benchmarks/bounded.py [--chars 10000000] [--rows 50000] [--runs 1]

Cases, each in its own process pinned to one CPU (peak RSS is that process's own):

- **one long row, taggers called directly** (the cap bypassed): language, districts, schemes and misinformation
  (rumour and debunk cues), the search terms and the near-duplicate MinHash on one text of ``--chars``
  characters; the same on a tenth of it in the same run, so the ratio of seconds per million characters shows
  whether the work grows linearly. The text is Hindi news prose built at run time from the shared IL-NER test
  sentences (never committed), a paragraph every 20 sentences, repeated to length.
- **one long row through ``janmat ingest``** (the default ``JANMAT_MAX_TEXT_CHARS`` cap, SQLite store), against
  ``janmat ingest`` of one short row in the same run.
- **near-identical rows through ``janmat ingest``**: ``--rows`` copies of one forward (written for this benchmark)
  that differ in an amount, a district and trailing marks, against the same number of distinct rows (IL-NER
  sentences in groups of three) in the same run.

Targets (issue 17): the long row tagged in < 10 s with peak RSS < 300 MB; near-identical rows ingested at
≥ 250 rows/s with peak RSS < 500 MB.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Run as a script, this file's folder comes first on sys.path and "nlp" would import benchmarks/nlp.py.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("JANMAT_SHARED_DATA", REPO.parent / "shared" / "data")).resolve()
TAGGERS = ("language", "districts", "schemes", "misinformation")
STEPS = (*TAGGERS, "search terms", "near-duplicate MinHash")
TARGETS = {"long_seconds": 10.0, "long_rss_mb": 300.0, "flood_rows_per_s": 250.0, "flood_rss_mb": 500.0}

_FORWARD = ("सभी बुजुर्ग ध्यान दें, सरकार ने वृद्धावस्था पेंशन {amount} रुपये कर दी है और अगले महीने से खाते में "
            "आएगी। अपना परिवार पहचान पत्र और आधार लेकर {place} के सरल केंद्र पर फॉर्म भरें, आखिरी तारीख {day} है। "
            "इस संदेश को सभी ग्रुप में आगे भेजें ताकि कोई भी बुजुर्ग इस लाभ से वंचित न रहे।")
_PLACES = ("रोहतक", "हिसार", "जींद", "करनाल", "पानीपत", "सिरसा", "भिवानी", "अंबाला")


def _articles() -> list[tuple[str, str]]:
    """(title, body) pairs of IL-NER Hindi test sentences, through ``benchmarks/nlp.py``'s reader."""
    spec = importlib.util.spec_from_file_location("nlp_benchmark", REPO / "benchmarks" / "nlp.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.build_articles(60)


def long_text(chars: int) -> str:
    """Hindi news prose of exactly ``chars`` characters: IL-NER articles, one paragraph each, repeated."""
    base = "\n\n".join(f"{title}\n{body}" for title, body in _articles())
    return (base * (chars // len(base) + 1))[:chars]


def _pin() -> None:
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def tag_directly(chars: int) -> dict[str, float]:
    """In this process: load the taggers, build the text, then time each tagger on it (the cap bypassed)."""
    import gc

    from nlp.districts import get_district_tagger
    from nlp.language import get_language_tagger
    from nlp.misinformation import get_misinformation_tagger
    from nlp.neardup import NearDuplicateIndex
    from nlp.normalize import index_terms
    from nlp.schemes import get_scheme_tagger

    taggers = {"language": get_language_tagger().detect, "districts": get_district_tagger().tag,
               "schemes": get_scheme_tagger().tag, "misinformation": get_misinformation_tagger().tag,
               "search terms": index_terms, "near-duplicate MinHash": NearDuplicateIndex(threshold=0.5).minhash}
    text = long_text(chars)
    gc.freeze()  # as nlp.enrich.get_enricher does: the loaded data stays out of the collector's walks
    result = {"chars": chars, "loaded_mb": _peak_mb()}
    for name, tag in taggers.items():
        begun = time.perf_counter()
        tag(text)
        result[name] = time.perf_counter() - begun
        if name == TAGGERS[-1]:
            result["tagging"] = sum(result[step] for step in TAGGERS)
            result["tagging_peak_mb"] = _peak_mb()
    result["peak_mb"] = _peak_mb()
    return result


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a command; its wall seconds, its peak RSS in MB (this case process runs no other child) and stdout."""
    started = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True, cwd=REPO, env=env, check=False)
    seconds = time.perf_counter() - started
    if result.returncode not in (0, 3):  # 3: some rows refused as bad input
        raise RuntimeError(f"{' '.join(args[:4])} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, result.stdout


def ingest_rows(kind: str, count: int, chars: int) -> dict[str, float]:
    """Write the case's rows to a JSONL file and run ``janmat ingest`` on it into a fresh SQLite store."""
    with tempfile.TemporaryDirectory(prefix="janmat-bounded-") as folder:
        path = Path(folder) / "rows.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for row in _rows(kind, count, chars):
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        env = {key: value for key, value in os.environ.items() if key != "JANMAT_STORE"}
        env["JANMAT_DATA_DIR"] = str(Path(folder) / "data")  # a fresh SQLite store
        seconds, peak, out = _run([sys.executable, "-m", "janmat", "ingest", str(path)], env)
    stored = next((int(word) for word in out.split() if word.isdigit()), 0)
    return {"rows": count, "stored": stored, "seconds": seconds, "rows_per_s": count / seconds, "peak_mb": peak}


def _rows(kind: str, count: int, chars: int) -> list[dict[str, str]]:
    if kind == "long":
        return [{"id": "long", "platform": "news", "text": long_text(chars)}]
    if kind == "short":
        return [{"id": "short", "platform": "news", "text": "रोहतक में आज किसानों की बैठक हुई।"}]
    if kind == "copies":
        rng = random.Random(17)
        return [{"id": f"copy-{n}", "platform": "telegram",
                 "text": _FORWARD.format(amount=rng.randint(2500, 3500), place=rng.choice(_PLACES),
                                         day=rng.randint(1, 30)) + "!" * rng.randint(0, 3)}
                for n in range(count)]
    # three sentences chosen by different strides: two rows share at most one, well below the near-duplicate bar
    sentences = [s for title, body in _articles() for s in (title, *body.split("। ")) if len(s) > 40]
    size = len(sentences)
    return [{"id": f"distinct-{n}", "platform": "telegram",
             "text": "। ".join(sentences[(n * stride + shift) % size] for stride, shift in ((1, 0), (7, 3), (13, 5)))}
            for n in range(count)]


def _child(args: list[str]) -> dict[str, float]:
    """One case in a fresh process (so that its peak RSS is its own)."""
    result = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=REPO, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"case {args} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    """Run every case in its own pinned process and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=10_000_000)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--kind", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        _pin()
        if args.case == "direct":
            print(json.dumps(tag_directly(args.chars)))
        else:
            print(json.dumps(ingest_rows(args.kind, args.rows, args.chars)))
        return
    if not (SHARED / "nlp" / "il-ner-hindi").exists():
        sys.exit(f"shared NLP data not found under {SHARED}: set JANMAT_SHARED_DATA to the shared/data folder")

    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(Console().width, 120))
    tenth = _child(["--case", "direct", "--chars", str(args.chars // 10)])
    whole = _child(["--case", "direct", "--chars", str(args.chars)])
    table = Table(title=f"One row, taggers called directly (cap bypassed): {args.chars:,} vs {args.chars // 10:,} "
                        "characters of Hindi news prose")
    for column in ("step", f"s on {args.chars // 10:,}", f"s on {args.chars:,}", "× (linear = 10)"):
        table.add_column(column, justify="left" if column == "step" else "right")
    for step in (*TAGGERS, "tagging", *STEPS[len(TAGGERS):]):
        ratio = whole[step] / tenth[step] if tenth[step] > 0.001 else float("nan")
        table.add_row("the four taggers" if step == "tagging" else step, f"{tenth[step]:.2f}", f"{whole[step]:.2f}",
                      f"{ratio:.1f}")
    console.print(table)
    met = whole["tagging"] < TARGETS["long_seconds"] and whole["tagging_peak_mb"] < TARGETS["long_rss_mb"]
    console.print(f"tagging: {whole['tagging']:.1f} s, peak RSS {whole['tagging_peak_mb']:,.0f} MB (taggers loaded "
                  f"and text built: {whole['loaded_mb']:,.0f} MB); target < 10 s and < 300 MB: "
                  f"{'met' if met else 'MISSED'}. With the search terms and the MinHash of the whole text as well "
                  f"(the store and the dedupe stage; in the pipeline they get the capped text): peak RSS "
                  f"{whole['peak_mb']:,.0f} MB")

    short = _child(["--case", "ingest", "--kind", "short", "--rows", "1"])
    long = _child(["--case", "ingest", "--kind", "long", "--rows", "1", "--chars", str(args.chars)])
    console.print(f"janmat ingest, one {args.chars:,}-character row (cut to the default cap): {long['seconds']:.1f} s, "
                  f"peak RSS {long['peak_mb']:,.0f} MB; one short row: {short['seconds']:.1f} s, "
                  f"{short['peak_mb']:,.0f} MB (× {long['peak_mb'] / short['peak_mb']:.2f} memory)")

    distinct = _child(["--case", "ingest", "--kind", "distinct", "--rows", str(args.rows)])
    copies = _child(["--case", "ingest", "--kind", "copies", "--rows", str(args.rows)])
    flood = Table(title=f"janmat ingest of {args.rows:,} rows into SQLite, one core")
    for column in ("rows", "stored", "s", "rows/s", "× distinct", "peak RSS MB"):
        flood.add_column(column, justify="left" if column == "rows" else "right")
    for name, result in (("distinct (baseline)", distinct), ("near-identical copies", copies)):
        flood.add_row(name, f"{int(result['stored']):,}", f"{result['seconds']:.1f}", f"{result['rows_per_s']:,.0f}",
                      f"{result['rows_per_s'] / distinct['rows_per_s']:.2f}", f"{result['peak_mb']:,.0f}")
    console.print(flood)
    verdict = "met" if copies["rows_per_s"] >= TARGETS["flood_rows_per_s"] and \
        copies["peak_mb"] < TARGETS["flood_rss_mb"] else "MISSED"
    console.print(f"near-identical rows: target ≥ 250 rows/s and < 500 MB: {verdict}")


if __name__ == "__main__":
    main()
