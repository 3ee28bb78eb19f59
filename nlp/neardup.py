"""Near-duplicate clustering: wire copy republished by several outlets and forwarded posts share a cluster id.

Each mention's body is reduced to normalized, stemmed word shingles (``nlp.normalize.search_terms``), summarised
as a MinHash and looked up in a MinHash LSH index (datasketch). A candidate counts as a near-duplicate only when
its estimated Jaccard similarity reaches the threshold, so LSH's banding false positives are filtered out. The
cluster id is the id of the first mention of the cluster, so it is stable however many copies arrive later.
"""

from __future__ import annotations

import hashlib
import logging
import struct
from collections import OrderedDict
from collections.abc import Iterable
from typing import NamedTuple

from datasketch import MinHash, MinHashLSH

from janmat.core.mention import Mention
from janmat.core.settings import get_settings
from nlp.normalize import search_terms

log = logging.getLogger(__name__)

DEFAULT_NUM_PERM = 128
DEFAULT_SHINGLE_SIZE = 3
DEFAULT_CAPACITY = 200_000
"""How many recent mentions a long-running index remembers before it forgets the oldest."""
_SEED = 1


def _hash32(data: bytes) -> int:
    """A stable 32-bit hash of one shingle (stable across processes, unlike ``hash()``)."""
    return struct.unpack("<I", hashlib.blake2b(data, digest_size=4).digest())[0]


def shingles(text: str, size: int = DEFAULT_SHINGLE_SIZE) -> set[str]:
    """The set of ``size``-word shingles of normalized, stemmed text; short texts fall back to their words."""
    terms = search_terms(text)
    if len(terms) < size:
        return set(terms)
    return {" ".join(terms[i : i + size]) for i in range(len(terms) - size + 1)}


class _Entry(NamedTuple):
    signature: MinHash
    cluster: str
    seq: int


class NearDuplicateIndex:
    """Assigns each mention the cluster id of an earlier near-identical mention, or its own id."""

    def __init__(
        self,
        threshold: float | None = None,
        num_perm: int = DEFAULT_NUM_PERM,
        shingle_size: int = DEFAULT_SHINGLE_SIZE,
        capacity: int = DEFAULT_CAPACITY,
    ) -> None:
        if threshold is None:
            threshold = get_settings().nlp.near_dup_threshold  # JANMAT_NEAR_DUP_THRESHOLD, default 0.5
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"near-duplicate threshold must be in (0, 1], got {threshold}")
        if capacity < 1:
            raise ValueError(f"near-duplicate index capacity must be positive, got {capacity}")
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self.capacity = capacity
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        # One set of permutations shared by every MinHash: building them per mention would dominate the cost.
        template = MinHash(num_perm=num_perm, seed=_SEED)
        self._permutations, self._scheme = template.permutations, template.scheme
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._seq = 0

    def __len__(self) -> int:
        return len(self._entries)

    def minhash(self, text: str) -> MinHash | None:
        """The MinHash of a text's shingles, or None when the text has no words at all."""
        grams = shingles(text, self.shingle_size)
        if not grams:
            return None
        signature = MinHash(
            num_perm=self.num_perm, seed=_SEED, hashfunc=_hash32, permutations=self._permutations, scheme=self._scheme
        )
        signature.update_batch([gram.encode("utf-8") for gram in grams])
        return signature

    def assign(self, mention: Mention) -> str:
        """The mention's near-duplicate cluster id: the first earlier mention's cluster, or its own id."""
        known = self._entries.get(mention.id)
        if known is not None:
            return known.cluster
        signature = self.minhash(mention.text)
        if signature is None:
            return mention.id
        cluster = self._best_cluster(signature) or mention.id
        self._remember(mention.id, signature, cluster)
        return cluster

    def seed(self, mentions: Iterable[Mention]) -> int:
        """Load already-stored mentions (keeping their ``near_dup_cluster``) so new copies join old clusters."""
        count = 0
        for mention in mentions:
            if mention.id in self._entries:
                continue
            signature = self.minhash(mention.text)
            if signature is None:
                continue
            self._remember(mention.id, signature, mention.near_dup_cluster or mention.id)
            count += 1
        log.info("near-duplicate index seeded with %d mentions", count)
        return count

    def _best_cluster(self, signature: MinHash) -> str | None:
        best: tuple[float, int, str] | None = None
        for key in self._lsh.query(signature):
            entry = self._entries.get(key)
            if entry is None:
                continue
            similarity = signature.jaccard(entry.signature)
            if similarity < self.threshold:
                continue
            # Most similar wins; ties go to the earliest-seen mention so cluster ids stay stable.
            if best is None or similarity > best[0] or (similarity == best[0] and entry.seq < best[1]):
                best = (similarity, entry.seq, entry.cluster)
        return best[2] if best else None

    def _remember(self, key: str, signature: MinHash, cluster: str) -> None:
        self._lsh.insert(key, signature)
        self._entries[key] = _Entry(signature, cluster, self._seq)
        self._seq += 1
        while len(self._entries) > self.capacity:
            oldest, _ = self._entries.popitem(last=False)
            self._lsh.remove(oldest)


def jaccard(a: str, b: str, shingle_size: int = DEFAULT_SHINGLE_SIZE) -> float:
    """Exact Jaccard similarity of two texts' shingle sets (for tests and threshold tuning)."""
    left, right = shingles(a, shingle_size), shingles(b, shingle_size)
    if not left and not right:
        return 1.0
    return len(left & right) / len(left | right)

