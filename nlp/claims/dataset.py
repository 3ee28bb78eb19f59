"""The claim-matching and rumour-cue evaluation data: the reference set in the reference data's ``claims/`` plus the
project's own romanised examples, and the committed dev / held-out split.

The reference texts are short excerpts of copyrighted pages: they are read from the reference data folder given at run
time (benchmarks, tests) and never copied into the repository. The split is a list of ids (``split.json``), made
once by ``make_split`` before any tuning: claims go to one side as a whole, with every mention that restates
them, so a claim's restatements never sit on both sides; hard negatives and rumour cues (grouped by source page)
are split by a seeded hash of their id.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

HERE = Path(__file__).resolve().parent
SPLIT_FILE = HERE / "split.json"
PROJECT_MENTIONS = HERE.parent / "resources" / "claim_mentions_hi_latn.jsonl"
PROJECT_RUMOUR_CUES = HERE.parent / "resources" / "rumour_cues_project.jsonl"
SEED = 14
HELD_OUT_SHARE = 0.4

Side = Literal["dev", "held_out"]


@dataclass(slots=True)
class ClaimSet:
    """Claims, mentions to match and rumour cues, each a list of JSON rows, with the split applied."""

    claims: list[dict[str, Any]]
    mentions: list[dict[str, Any]]
    rumour_cues: list[dict[str, Any]]
    split: dict[str, Any] = field(default_factory=dict)

    def mention_side(self, mention: dict[str, Any]) -> Side:
        """Which side a mention is on: its claim's side, or for a hard negative its own."""
        if mention.get("claim_id"):
            return "held_out" if mention["claim_id"] in self.split["held_out_claims"] else "dev"
        return "held_out" if mention["id"] in self.split["held_out_negatives"] else "dev"

    def mentions_on(self, side: Side) -> list[dict[str, Any]]:
        """The mentions on one side of the split."""
        return [mention for mention in self.mentions if self.mention_side(mention) == side]

    def rumour_cues_on(self, side: Side) -> list[dict[str, Any]]:
        """The rumour-cue texts on one side of the split."""
        held = set(self.split["held_out_rumour_cues"])
        return [row for row in self.rumour_cues if (row["id"] in held) == (side == "held_out")]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The rows of a JSON-lines file."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def load_claim_set(data_dir: Path, with_split: bool = True) -> ClaimSet:
    """The reference set under ``data_dir/claims`` (``data_dir``: the reference data folder) plus our own rows."""
    folder = data_dir / "claims"
    if not (folder / "claims.jsonl").exists():
        raise FileNotFoundError(f"no claims.jsonl under {folder}")
    claim_set = ClaimSet(
        claims=read_jsonl(folder / "claims.jsonl"),
        mentions=read_jsonl(folder / "mentions.jsonl") + read_jsonl(PROJECT_MENTIONS),
        rumour_cues=read_jsonl(folder / "rumour_cues.jsonl") + read_jsonl(PROJECT_RUMOUR_CUES),
    )
    if with_split:
        claim_set.split = json.loads(SPLIT_FILE.read_text(encoding="utf-8"))
    return claim_set


def _rank(key: str) -> str:
    return hashlib.sha256(f"{SEED}:{key}".encode()).hexdigest()


def _held_out_groups(groups: dict[str, list[str]], weight: dict[str, int]) -> list[str]:
    """Whole groups, in seeded-hash order, until they hold ``HELD_OUT_SHARE`` of the total weight."""
    total = sum(weight.values())
    taken: list[str] = []
    held = 0
    for key in sorted(groups, key=_rank):
        if held >= HELD_OUT_SHARE * total:
            break
        taken.append(key)
        held += weight[key]
    return sorted(taken)


def make_split(claim_set: ClaimSet) -> dict[str, Any]:
    """The seeded split: claims weighted by their positive mentions, negatives by id, rumour cues by page."""
    positives: dict[str, list[str]] = {claim["id"]: [] for claim in claim_set.claims}
    for mention in claim_set.mentions:
        if mention.get("claim_id"):
            positives[mention["claim_id"]].append(mention["id"])
    held_claims = _held_out_groups(positives, {key: max(1, len(ids)) for key, ids in positives.items()})
    negatives = {m["id"]: [m["id"]] for m in claim_set.mentions if not m.get("claim_id")}
    held_negatives = _held_out_groups(negatives, dict.fromkeys(negatives, 1))
    pages: dict[str, list[str]] = {}
    for row in claim_set.rumour_cues:
        pages.setdefault(row.get("url") or row["id"], []).append(row["id"])
    held_pages = _held_out_groups(pages, {key: len(ids) for key, ids in pages.items()})
    return {
        "seed": SEED,
        "held_out_share": HELD_OUT_SHARE,
        "held_out_claims": held_claims,
        "held_out_negatives": held_negatives,
        "held_out_rumour_cues": sorted(i for page in held_pages for i in pages[page]),
    }
