"""Reading the saved reference pages in ../shared/data/web and scoring extraction against them.

Shared by the crawl tests and ``benchmarks/crawl.py`` so both measure the same thing the same way. Reference
dates are read with explicit formats, never with the code under test.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path

import lxml.html

from janmat.core.mention import IST
from nlp.normalize import normalize_text, words


def token_f1(found: str, reference: str) -> float:
    """Bag-of-words F1 over normalized, lower-cased tokens."""
    a = Counter(w.lower() for w in words(normalize_text(found)))
    b = Counter(w.lower() for w in words(normalize_text(reference)))
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def gold_text(web: Path, row: dict[str, str]) -> str:
    """The reference text of a page listed in ``index.csv``: title and body paragraphs."""
    text_file = web / (row["file"] + ".gold.txt")
    if text_file.exists():
        return text_file.read_text(encoding="utf-8")
    meta = json.loads((web / (row["file"] + ".gold.json")).read_text(encoding="utf-8"))
    body = lxml.html.fromstring((web / (row["file"] + ".gold.html")).read_text(encoding="utf-8"))
    return meta.get("title", "") + "\n" + "\n".join(p.text_content() for p in body.iter("p"))


def gold_date(web: Path, row: dict[str, str]) -> datetime | None:
    """The reference publish date of a page, when its record has one."""
    path = web / (row["file"] + ".gold.json")
    if not path.exists():
        return None
    record = json.loads(path.read_text(encoding="utf-8"))
    value = record.get("published_at") or record.get("publishing_date") or record.get("publishedTime")
    value = (value[0] if value else None) if isinstance(value, list) else value
    if not value:
        return None
    value = value.strip()
    for layout in ("%d-%m-%Y | %I:%M %p", "%d-%m-%Y at %H:%M IST"):
        try:
            return datetime.strptime(value, layout).replace(tzinfo=IST)
        except ValueError:
            pass
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return None if moment.year < 1990 else moment
