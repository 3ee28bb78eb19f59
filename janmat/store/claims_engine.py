"""Claims on OpenSearch / Elasticsearch: the ``<prefix>-claims`` index (``index_templates/claims-index.json``),
created on first use with the analysis settings of the mention indices. The mentions matched to a claim are found
on the mention alias by ``misinformation.matched_claims.claim_id``.

Each write stamps its claims with a ``version`` (microseconds since the epoch) and refreshes the index before it
returns. A reader asks for versions above the last one it saw; for a short while after a write it also reads the
last ``SETTLE_SECONDS`` again, so a claim another process stamped a moment earlier but made searchable a moment
later is not missed (the matcher takes a claim it already has as a replacement).
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from janmat.core.errors import ConfigError
from janmat.store.claims import ClaimStore, ClaimWriteReport, Sighting, StoredClaim
from janmat.store.engine import EngineStore
from janmat.store.engine_client import EngineRequestError
from janmat.store.engine_docs import mention_from_document
from janmat.store.templates import TEMPLATES_DIR
from nlp.claims.model import Claim

SETTLE_SECONDS = 10.0
"""A claim written this long ago is searchable on every node that wrote it (writes refresh before returning)."""
PAGE = 1000
MAX_WINDOW = 10_000
_PARAMS = {"ignore_unavailable": True, "allow_no_indices": True}
_CLAIM_FIELD = "misinformation.matched_claims.claim_id"


def claims_index_body(store: EngineStore) -> dict[str, Any]:
    """The body that creates the claims index on this engine (its analysis as for the mention indices)."""
    try:
        body = json.loads((TEMPLATES_DIR / "claims-index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read index template file claims-index.json: {exc}") from exc
    meta = body.pop("_meta", {})
    body = copy.deepcopy(body)
    body["settings"]["analysis"] = store.templates.analysis(store.features)
    body["mappings"]["_meta"] = {"janmat_claims_version": meta.get("janmat_claims_version", 1)}
    return body


class EngineClaimStore(ClaimStore):
    """Claims in ``<prefix>-claims`` beside the mention indices of an engine store (sharing its client)."""

    def __init__(self, store: EngineStore) -> None:
        self.mentions = store
        self.index = f"{store.names.prefix}-claims"
        self._ready = False
        self._lock = threading.Lock()
        self._last_version = 0

    def _ensure(self) -> None:
        """Create the claims index once (another process may just have created it)."""
        if self._ready:
            return
        client = self.mentions.client
        if not client.exists(f"/{self.index}"):
            try:
                client.request("PUT", f"/{self.index}", claims_index_body(self.mentions))
            except EngineRequestError as exc:
                if exc.error_type != "resource_already_exists_exception":
                    raise
        self._ready = True

    def _stamp(self) -> int:
        """A version above every one this process gave before."""
        with self._lock:
            self._last_version = max(self._last_version + 1, time.time_ns() // 1000)
            return self._last_version

    def _write(self, claims: list[StoredClaim]) -> ClaimWriteReport:
        self._ensure()
        known = set(self._existing(claim.id for claim in claims))
        actions = [{"_op_type": "index", "_index": self.index, "_id": claim.id,
                    "_source": {**claim.model_dump(mode="json"), "version": self._stamp()}} for claim in claims]
        for ok, item in self.mentions.bulk(actions):
            if not ok:
                info = next(iter(item.values()))
                raise EngineRequestError(info.get("status"), "claim_not_written", str(info.get("error")))
        self.mentions.client.request("POST", f"/{self.index}/_refresh")
        updated = sum(claim.id in known for claim in claims)
        return ClaimWriteReport(stored=len(claims) - updated, updated=updated)

    def _existing(self, claim_ids: Iterable[str]) -> list[str]:
        ids = list(claim_ids)
        answer = self._search(self.index, {"query": {"ids": {"values": ids}}, "size": len(ids), "_source": False})
        return [hit["_id"] for hit in answer["hits"]["hits"]]

    def _search(self, index: str, body: dict[str, Any]) -> dict[str, Any]:
        self._ensure()
        return self.mentions.client.request("POST", f"/{index}/_search", body, params=_PARAMS)

    def get_many(self, claim_ids: Iterable[str]) -> dict[str, StoredClaim]:
        """The claims with these ids that exist, by id."""
        ids = list(dict.fromkeys(claim_ids))
        found: dict[str, StoredClaim] = {}
        for start in range(0, len(ids), PAGE):
            part = ids[start:start + PAGE]
            answer = self._search(self.index, {"query": {"ids": {"values": part}}, "size": len(part)})
            for claim in _claims(answer):
                found[claim.id] = claim
        return found

    def list_claims(self, statuses: Iterable[str] = (), *, limit: int = 100,
                    offset: int = 0) -> tuple[int, list[StoredClaim]]:
        """How many claims have one of ``statuses`` and one page of them, newest first."""
        wanted = list(statuses)
        query = {"terms": {"status": wanted}} if wanted else {"match_all": {}}
        answer = self._search(self.index, {
            "query": query, "size": limit, "from": offset, "track_total_hits": True,
            "sort": [{"created_at": "desc"}, {"id": "asc"}]})
        return int(answer["hits"]["total"]["value"]), _claims(answer)

    def claims_since(self, version: int) -> tuple[list[Claim], int]:
        """Claims with a version above ``version`` (and, shortly after a write, the last few seconds again)."""
        settled = time.time_ns() // 1000 - int(SETTLE_SECONDS * 1_000_000)
        floor = min(version, settled)
        claims: list[Claim] = []
        newest = version
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {"query": {"range": {"version": {"gt": floor}}}, "size": PAGE,
                                    "sort": [{"version": "asc"}, {"id": "asc"}]}
            if after:
                body["search_after"] = after
            hits = self._search(self.index, body)["hits"]["hits"]
            for hit in hits:
                claims.append(StoredClaim.model_validate(_without_version(hit["_source"])).as_claim())
                newest = max(newest, int(hit["_source"]["version"]))
            if len(hits) < PAGE:
                return claims, newest
            after = hits[-1]["sort"]

    def _sighting_filter(self, claim_ids: list[str] | None, since: datetime | None,
                         until: datetime | None) -> list[dict[str, Any]]:
        found = {"terms": {_CLAIM_FIELD: claim_ids}} if claim_ids is not None else {"exists": {"field": _CLAIM_FIELD}}
        filters: list[dict[str, Any]] = [found, {"term": {"misinformation.flagged": True}}]
        if since is not None or until is not None:
            span = {key: moment.isoformat() for key, moment in (("gte", since), ("lte", until)) if moment}
            filters.append({"bool": {"minimum_should_match": 1, "should": [
                {"range": {"published_at": span}},
                {"bool": {"must_not": {"exists": {"field": "published_at"}},
                          "filter": {"range": {"fetched_at": span}}}},
            ]}})
        return filters

    def sightings(self, claim_ids: Iterable[str] | None = None, *, since: datetime | None = None,
                  until: datetime | None = None, limit: int = MAX_WINDOW) -> list[Sighting]:
        """Matched mentions from the mention alias, oldest first (at most 10,000)."""
        wanted = list(claim_ids) if claim_ids is not None else None
        if wanted == []:
            return []
        answer = self._search(self.mentions.names.alias, {
            "query": {"bool": {"filter": self._sighting_filter(wanted, since, until)}},
            "size": min(limit, MAX_WINDOW), "sort": [{"published_at": {"order": "asc", "missing": "_last"}},
                                                      {"fetched_at": "asc"}, {"id": "asc"}]})
        found = []
        for hit in answer["hits"]["hits"]:
            mention = mention_from_document(hit["_source"])
            for match in mention.misinformation.matched_claims:
                if wanted is None or match.claim_id in wanted:
                    found.append(Sighting(match.claim_id, mention, match.score))
        return sorted(found, key=lambda s: (s.mention.published_at or s.mention.fetched_at, s.mention.id))

    def sighting_counts(self, *, since: datetime | None = None,
                        until: datetime | None = None) -> list[tuple[str, int]]:
        """Matched mentions per claim in the range, most first (a terms aggregation)."""
        answer = self._search(self.mentions.names.alias, {
            "size": 0, "track_total_hits": False,
            "query": {"bool": {"filter": self._sighting_filter(None, since, until)}},
            "aggs": {"claims": {"terms": {"field": _CLAIM_FIELD, "size": MAX_WINDOW}}}})
        buckets = answer.get("aggregations", {}).get("claims", {}).get("buckets", [])
        return sorted(((str(b["key"]), int(b["doc_count"])) for b in buckets), key=lambda row: (-row[1], row[0]))


def _without_version(source: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in source.items() if key != "version"}


def _claims(answer: dict[str, Any]) -> list[StoredClaim]:
    return [StoredClaim.model_validate(_without_version(hit["_source"])) for hit in answer["hits"]["hits"]]
