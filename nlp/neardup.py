"""Near-duplicate clustering: wire copy republished by several outlets and forwarded posts share a cluster id.

Each mention's body is reduced to normalized, stemmed word shingles (``nlp.normalize.search_terms``), summarised
as a MinHash and looked up in a MinHash LSH index (datasketch). A candidate counts as a near-duplicate only when
its estimated Jaccard similarity reaches the threshold, so LSH's banding false positives are filtered out. The
cluster id is the id of the first mention of the cluster, so it is stable however many copies arrive later.

The work per mention and the memory stay bounded, however many copies arrive (a forward sent fifty thousand
times, a bot repeating one post):

- a cluster keeps at most ``per_cluster`` signatures in the index (its first copy and the first few that differ
  from it); later copies are matched and remembered by id, not indexed;
- the candidates an LSH look-up returns for a new signature (its neighbourhood) are capped at ``bucket``: when a
  new signature joins a full neighbourhood, the neighbours matched least recently leave the index, so no LSH
  bucket ever holds more than ``bucket`` signatures and a look-up compares against at most ``bands × bucket``;
- the index holds at most ``signatures`` signatures (the least recently matched leave first) and remembers the
  cluster of at most ``capacity`` mention ids (the oldest are forgotten);
- a long text is shingled and hashed a slice at a time.
"""

from __future__ import annotations

import hashlib
import logging
import struct
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from janmat.core.mention import Mention
from janmat.core.settings import get_settings
from nlp.normalize import search_terms

log = logging.getLogger(__name__)

DEFAULT_NUM_PERM = 128
DEFAULT_SHINGLE_SIZE = 3
DEFAULT_CAPACITY = 200_000
"""How many recent mention ids a long-running index remembers the cluster of before it forgets the oldest."""
DEFAULT_SIGNATURES = 10_000
"""How many signatures the LSH index holds (about 10 KB each with their LSH bands, so about 100 MB): the least
recently matched go first."""
DEFAULT_PER_CLUSTER = 4
"""Signatures kept per cluster: its first copy and the first few that differ, enough for copies that drift."""
DEFAULT_BUCKET = 32
"""Signatures a new signature's LSH neighbourhood may hold."""
_SEED = 1
_SLICE = 50_000
"""Characters of text shingled at a time."""
_BATCH = 5_000
"""Shingles hashed at a time: applying the permutations to a batch takes about 1 KB per shingle."""


def _hash32(data: bytes) -> int:
    """A stable 32-bit hash of one shingle (stable across processes, unlike ``hash()``)."""
    return struct.unpack("<I", hashlib.blake2b(data, digest_size=4).digest())[0]


def shingles(text: str, size: int = DEFAULT_SHINGLE_SIZE) -> set[str]:
    """The set of ``size``-word shingles of normalized, stemmed text; short texts fall back to their words."""
    terms = search_terms(text)
    if len(terms) < size:
        return set(terms)
    return {" ".join(terms[i : i + size]) for i in range(len(terms) - size + 1)}


def _shingle_slices(text: str, size: int) -> Iterator[set[str]]:
    """The shingles of a text in slices of about ``_SLICE`` characters (cut at spaces, the last ``size - 1``
    terms of a slice carried into the next): together exactly ``shingles(text, size)``."""
    if len(text) <= _SLICE:
        yield shingles(text, size)
        return
    carried: list[str] = []
    start, total = 0, 0
    while start < len(text):
        end = text.find(" ", start + _SLICE) if start + _SLICE < len(text) else -1
        end = len(text) if end < 0 else end
        terms = carried + search_terms(text[start:end])
        total += len(terms) - len(carried)
        if len(terms) >= size:
            yield {" ".join(terms[i : i + size]) for i in range(len(terms) - size + 1)}
        carried = terms[-(size - 1):] if size > 1 else []
        start = end
    if total < size:  # a short text after all (long only in spaces): its words
        yield set(carried)


@dataclass(slots=True)
class _Entry:
    """One indexed signature: its mention id, hash values (all below 2³², kept as 32-bit), cluster, arrival and
    last match."""

    key: str
    values: np.ndarray
    cluster: str
    seq: int
    used: int


class NearDuplicateIndex:
    """Assigns each mention the cluster id of an earlier near-identical mention, or its own id."""

    def __init__(
        self,
        threshold: float | None = None,
        num_perm: int = DEFAULT_NUM_PERM,
        shingle_size: int = DEFAULT_SHINGLE_SIZE,
        capacity: int = DEFAULT_CAPACITY,
        signatures: int = DEFAULT_SIGNATURES,
        per_cluster: int = DEFAULT_PER_CLUSTER,
        bucket: int = DEFAULT_BUCKET,
    ) -> None:
        if threshold is None:
            threshold = get_settings().nlp.near_dup_threshold  # JANMAT_NEAR_DUP_THRESHOLD, default 0.5
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"near-duplicate threshold must be in (0, 1], got {threshold}")
        for name, value in (("capacity", capacity), ("signatures", signatures), ("per_cluster", per_cluster),
                            ("bucket", bucket)):
            if value < 1:
                raise ValueError(f"near-duplicate index {name} must be positive, got {value}")
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self.capacity = capacity
        self.max_signatures = min(signatures, capacity)
        self.per_cluster = per_cluster
        self.bucket = bucket
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        # One set of permutations shared by every MinHash: building them per mention would dominate the cost.
        template = MinHash(num_perm=num_perm, seed=_SEED)
        self._permutations, self._scheme = template.permutations, template.scheme
        self._clusters: OrderedDict[str, str] = OrderedDict()  # mention id -> cluster, oldest first
        self._entries: OrderedDict[str, _Entry] = OrderedDict()  # indexed signatures, least recently matched first
        self._members: Counter[str] = Counter()  # cluster -> signatures indexed
        self._seq = 0

    def __len__(self) -> int:
        return len(self._clusters)

    @property
    def indexed(self) -> int:
        """Signatures in the LSH index now."""
        return len(self._entries)

    def minhash(self, text: str) -> MinHash | None:
        """The MinHash of a text's shingles, or None when the text has no words at all."""
        signature = None
        for grams in _shingle_slices(text, self.shingle_size):
            if not grams:
                continue
            if signature is None:
                signature = MinHash(num_perm=self.num_perm, seed=_SEED, hashfunc=_hash32,
                                    permutations=self._permutations, scheme=self._scheme)
            encoded = [gram.encode("utf-8") for gram in grams]
            for start in range(0, len(encoded), _BATCH):
                signature.update_batch(encoded[start:start + _BATCH])
        return signature

    def assign(self, mention: Mention) -> str:
        """The mention's near-duplicate cluster id: the best earlier match's cluster, or its own id."""
        known = self._clusters.get(mention.id)
        if known is not None:
            return known
        signature = self.minhash(mention.text)
        if signature is None:
            return mention.id
        neighbours = self._lsh.query(signature)
        best = self._best(signature, neighbours)
        if best is not None:
            self._seq += 1
            best.used = self._seq
            self._entries.move_to_end(best.key)
        cluster = best.cluster if best is not None else mention.id
        self._remember(mention.id, cluster)
        if cluster == mention.id or self._members[cluster] < self.per_cluster:
            self._index(mention.id, signature, cluster, neighbours)
        return cluster

    def seed(self, mentions: Iterable[Mention]) -> int:
        """Load already-stored mentions (keeping their ``near_dup_cluster``) so new copies join old clusters."""
        count = 0
        for mention in mentions:
            if mention.id in self._clusters:
                continue
            signature = self.minhash(mention.text)
            if signature is None:
                continue
            cluster = mention.near_dup_cluster or mention.id
            self._remember(mention.id, cluster)
            if self._members[cluster] < self.per_cluster:
                self._index(mention.id, signature, cluster, self._lsh.query(signature))
            count += 1
        log.info("near-duplicate index seeded with %d mentions", count)
        return count

    def _best(self, signature: MinHash, neighbours: list[str]) -> _Entry | None:
        """The most similar neighbour at or above the threshold (ties: the earliest), or None."""
        entries = [self._entries[key] for key in neighbours if key in self._entries]
        if not entries:
            return None
        values = signature.hashvalues.astype(np.uint32)
        similarity = np.count_nonzero(np.stack([e.values for e in entries]) == values, axis=1) / float(self.num_perm)
        best: tuple[float, int, _Entry] | None = None
        for entry, score in zip(entries, similarity.tolist(), strict=True):
            if score < self.threshold:
                continue
            if best is None or score > best[0] or (score == best[0] and entry.seq < best[1]):
                best = (score, entry.seq, entry)
        return best[2] if best else None

    def _remember(self, key: str, cluster: str) -> None:
        self._clusters[key] = cluster
        while len(self._clusters) > self.capacity:
            oldest, _ = self._clusters.popitem(last=False)
            self._forget(oldest)

    def _index(self, key: str, signature: MinHash, cluster: str, neighbours: list[str]) -> None:
        """Put a signature in the LSH index, first making room in its neighbourhood and in the index."""
        present = [k for k in neighbours if k in self._entries]
        if len(present) >= self.bucket:
            present.sort(key=lambda k: self._entries[k].used)
            for stale in present[: len(present) - self.bucket + 1]:
                self._forget(stale)
        self._seq += 1
        self._lsh.insert(key, signature, check_duplication=False)
        self._entries[key] = _Entry(key, signature.hashvalues.astype(np.uint32), cluster, self._seq, self._seq)
        self._members[cluster] += 1
        while len(self._entries) > self.max_signatures:
            self._forget(next(iter(self._entries)))

    def _forget(self, key: str) -> None:
        """Take a signature out of the LSH index (if it is there)."""
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        self._lsh.remove(key)
        self._members[entry.cluster] -= 1
        if self._members[entry.cluster] <= 0:
            del self._members[entry.cluster]


def jaccard(a: str, b: str, shingle_size: int = DEFAULT_SHINGLE_SIZE) -> float:
    """Exact Jaccard similarity of two texts' shingle sets (for tests and threshold tuning)."""
    left, right = shingles(a, shingle_size), shingles(b, shingle_size)
    if not left and not right:
        return 1.0
    return len(left & right) / len(left | right)
