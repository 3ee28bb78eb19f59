"""Build the romanised-Hindi / English word lists the language tagger uses (``nlp/resources/language_lexicon.json``).

Source: the word-level language tags of SemEval-2020 SentiMix Hinglish (train + dev split, research-only
licence; only word lists derived from its tag counts are stored). A word goes in the romanised-Hindi list when
it is tagged ``Hin`` at least ``MIN_COUNT`` times and in at least ``MIN_SHARE`` of its uses; likewise for
English. Words in both scripts' everyday use (``to``, ``me``, ``hi``) end up in neither list, which is what a
tie-breaker needs.

Run: ``.venv/bin/python scripts/build_language_lexicon.py [--shared PATH]``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "nlp" / "resources" / "language_lexicon.json"
MIN_COUNT = 12
MIN_SHARE = 0.9
ENGLISH_TOP = 3000
CORE_SIZE = 120
_WORD = re.compile(r"^[a-z]{2,}$")


def count_tags(paths: list[Path]) -> tuple[Counter[str], Counter[str]]:
    """How often each lower-cased Latin word is tagged Hindi and English."""
    hindi: Counter[str] = Counter()
    english: Counter[str] = Counter()
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 2 or parts[0] == "meta":
                    continue
                word = parts[0].lower()
                if not _WORD.match(word):
                    continue
                if parts[1] == "Hin":
                    hindi[word] += 1
                elif parts[1] == "Eng":
                    english[word] += 1
    return hindi, english


def main() -> None:
    """Write the two word lists."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()
    folder = args.shared / "nlp" / "sentimix2020-hinglish"
    paths = [folder / "train_14k_split_conll.txt", folder / "dev_3k_split_conll.txt"]
    if not all(p.exists() for p in paths):
        sys.exit(f"SentiMix files missing under {folder}")
    hindi, english = count_tags(paths)

    def keep(mine: Counter[str], other: Counter[str]) -> set[str]:
        return {w for w, n in mine.items() if n >= MIN_COUNT and n / (n + other[w]) >= MIN_SHARE}

    try:
        from wordfreq import top_n_list
    except ImportError:
        sys.exit("needs wordfreq: .venv/bin/pip install wordfreq")
    # English: the commonest English words (wordfreq), less those SentiMix shows mostly as romanised Hindi
    # ("main", "me", "hai"), plus SentiMix's own English words.
    common_english = {w for w in top_n_list("en", ENGLISH_TOP) if _WORD.match(w)}
    english_words = {w for w in common_english if hindi[w] <= english[w] or hindi[w] < MIN_COUNT}
    english_words |= keep(english, hindi)
    hindi_words = keep(hindi, english) - {w for w in english_words if english[w] >= hindi[w]}
    document = {
        "source": "romanised Hindi: SemEval-2020 Task 9 SentiMix Hinglish word-level tags (train + dev), "
                  "research-only; English: wordfreq top words (CC BY-SA 4.0) checked against the same tags",
        "min_count": MIN_COUNT,
        "min_share": MIN_SHARE,
        "hi_latn": sorted(hindi_words),
        # the commonest romanised-Hindi words (mostly grammar: hai, ka, nahi, bhi): density of these is what
        # separates Hinglish from English that merely names Indian things (lakh, Yojana, Kisan)
        "hi_latn_core": sorted(sorted(hindi_words, key=lambda w: -hindi[w])[:CORE_SIZE]),
        "en": sorted(english_words - hindi_words),
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)}: {len(document['hi_latn'])} romanised-Hindi, {len(document['en'])} English")


if __name__ == "__main__":
    main()
