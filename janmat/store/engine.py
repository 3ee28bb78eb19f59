"""The OpenSearch / Elasticsearch store: one implementation over a small client adapter per engine.

Mentions live in monthly indices ``<prefix>-mentions-YYYY.MM`` (the IST month of ``published_at``, else
``fetched_at``) behind the read alias ``<prefix>-mentions``. On first use the store asks the engine what it can
do (Hindi analysis, ILM/ISM, reindex, percolator) and installs the index template, lifecycle policy and
standing-queries index from ``index_templates/``. Writes go through the client library's ``streaming_bulk``;
whatever the engine cannot take right now goes to a durable local spool and is replayed, in order, before the
next write.

Engines make writes searchable within about a second (the refresh interval); ``refresh()`` makes them
searchable at once.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from janmat.core.errors import ConfigError, InputError, StoreUnavailableError
from janmat.core.mention import IST, Mention
from janmat.store.base import (
    FACETS,
    ClusterSpread,
    Facet,
    MentionQuery,
    MentionStore,
    SearchHit,
    SearchResult,
    UpsertReport,
    order_pairs,
)
from janmat.store.engine_client import EngineClient, EngineConnection, EngineRequestError
from janmat.store.engine_docs import mention_document_json, mention_from_document
from janmat.store.engine_query import (
    cluster_aggregation,
    composite_aggregation,
    facet_aggregation,
    mention_query,
    pair_aggregation,
    search_sort,
)
from janmat.store.query_parser import highlight
from janmat.store.spool import Spool, spool_path
from janmat.store.templates import EngineFeatures, IndexNames, IndexTemplates, mention_month

log = logging.getLogger(__name__)

MAX_RESULT_WINDOW = 10_000
GENERATION_CHECK_SECONDS = 30.0
"""A writer re-reads the live index generation at least this often, so it follows a reindex."""
TERMS_BUCKETS = 1_000
SCROLL = "2m"
_PREFIX = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,60}$")
# The Hindi chain of index_templates/mentions-mappings.json, sent to ``_analyze`` to see if the engine can run it.
HINDI_PROBE = {
    "tokenizer": "standard",
    "filter": ["lowercase", "decimal_digit", "indic_normalization", "hindi_normalization",
               {"type": "stemmer", "language": "hindi"}],
    "text": "किसानों",
}
_SAID: set[tuple[str, str]] = set()
_SEARCH_PARAMS = {"ignore_unavailable": True, "allow_no_indices": True}


@dataclass(frozen=True)
class WriteOutcome:
    """What happened to one mention id in a bulk write: ``stored``, ``updated``, ``retry`` or ``rejected``."""

    kind: str
    reason: str = ""


@dataclass
class PreparedBatch:
    """A batch made ready for a bulk request: its documents by id and the indices already holding each id."""

    documents: dict[str, str]
    """Each id's engine document as JSON text (``mention_document_json``)."""
    located: dict[str, list[str]] = field(default_factory=dict)
    error: Exception | None = None


def _transient(exc: BaseException) -> bool:
    return isinstance(exc, StoreUnavailableError) or (isinstance(exc, EngineRequestError) and exc.retryable)


def _epoch(millis: float | None) -> datetime | None:
    """A date aggregation's value (epoch milliseconds) as an aware UTC datetime."""
    return datetime.fromtimestamp(millis / 1000, UTC) if millis is not None else None


def _bucket_key(value: Any, by: str) -> str:
    """A composite bucket's value as the SQLite store writes it (days as ``YYYY-MM-DD`` in IST)."""
    if by == "day" and isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000, IST).date().isoformat()
    return str(value)


def _batches(mentions: Iterable[Mention], size: int) -> Iterator[list[Mention]]:
    iterator = iter(mentions)
    while batch := list(islice(iterator, size)):
        yield batch


def _item_reason(info: dict[str, Any]) -> str:
    error = info.get("error")
    if isinstance(error, dict):
        return f"{error.get('type', 'error')}: {error.get('reason', '')}"
    return str(error or info.get("status"))


def _no_such_endpoint(exc: EngineRequestError) -> bool:
    return exc.status in (400, 404, 405) and ("no handler found" in exc.reason or "Incorrect HTTP method" in exc.reason)


def detect_features(client: EngineClient) -> EngineFeatures:
    """Ask the engine which modules it has: analysis-common, reindex, ILM (Elasticsearch) or ISM (OpenSearch)."""
    nodes = client.request(
        "GET",
        "/_nodes/_local/plugins",
        params={"filter_path": "nodes.*.version,nodes.*.modules.name,nodes.*.modules.classname,"
                "nodes.*.plugins.name,nodes.*.plugins.classname"},
    )
    node = next(iter(nodes.get("nodes", {}).values()), {})
    components = {
        str(value).lower()
        for part in [*node.get("modules", []), *node.get("plugins", [])]
        for value in (part.get("name"), part.get("classname"))
        if value
    }
    try:
        analyzed = client.request("POST", "/_analyze", HINDI_PROBE)
        hindi = [token["token"] for token in analyzed.get("tokens", [])] == ["किसान"]
    except EngineRequestError:
        hindi = False
    try:
        client.request("GET", client.lifecycle_probe_path())
        lifecycle = True
    except EngineRequestError as exc:
        lifecycle = not _no_such_endpoint(exc)
    return EngineFeatures(
        kind=client.kind,
        version=node.get("version"),
        hindi_analysis=hindi,
        lifecycle=lifecycle,
        reindex=any("reindex" in name for name in components),
    )


class EngineStore(MentionStore):
    """Mentions in OpenSearch or Elasticsearch, with the same behaviour as the embedded SQLite store."""

    def __init__(
        self,
        client: EngineClient,
        url: str,
        *,
        prefix: str,
        spool: Spool,
        chunk_size: int = 1000,
        retry_attempts: int = 3,
        retry_backoff: float = 0.5,
        templates: IndexTemplates | None = None,
    ) -> None:
        if not _PREFIX.match(prefix):
            raise ConfigError(f"index prefix {prefix!r} must be lower-case letters, digits, '-', '_' or '.'")
        self.client = client
        self.url = url
        self.names = IndexNames(prefix)
        self.spool = spool
        self.chunk_size = chunk_size
        self.retry_attempts = max(1, retry_attempts)
        self.retry_backoff = retry_backoff
        self.templates = templates or IndexTemplates.load()
        self.generation = 1
        self._features: EngineFeatures | None = None
        self._generation_checked = time.monotonic()
        self._known_indices: set[str] = set()
        self._lock = threading.RLock()

    @property
    def kind(self) -> str:
        """``opensearch`` or ``elasticsearch``."""
        return self.client.kind

    # -- setup ---------------------------------------------------------------------------------------------

    def ensure_ready(self) -> EngineFeatures:
        """Detect the engine's features and install templates, policy and standing-queries index (once)."""
        if self._features is not None:
            return self._features
        with self._lock:
            if self._features is None:
                features = detect_features(self.client)
                self._install(features)
                self._features = features
        return self._features

    @property
    def features(self) -> EngineFeatures:
        """What the engine can do (detected on first use)."""
        return self.ensure_ready()

    def live_template(self) -> dict[str, Any] | None:
        """The mention index template installed in the engine, or None."""
        try:
            answer = self.client.request("GET", f"/_index_template/{self.names.template}")
        except EngineRequestError as exc:
            if exc.status == 404:
                return None
            raise
        found = answer.get("index_templates") or []
        return found[0]["index_template"] if found else None

    def install_templates(self, features: EngineFeatures, templates: IndexTemplates, generation: int) -> None:
        """Put the lifecycle policy, both component templates and the index template for ``generation``."""
        policy = templates.lifecycle_policy(features, self.names)
        if policy is not None:
            try:
                self.client.request("PUT", self.client.lifecycle_policy_path(self.names.policy), policy)
            except EngineRequestError as exc:
                if exc.status != 409:  # an ISM policy that exists already is kept as the operator left it
                    raise
        self.client.request(
            "PUT", f"/_component_template/{self.names.settings_component}",
            templates.settings_component(features, self.names),
        )
        self.client.request(
            "PUT", f"/_component_template/{self.names.mappings_component}", templates.mappings_component(features)
        )
        self.client.request(
            "PUT", f"/_index_template/{self.names.template}", templates.index_template(self.names, generation)
        )

    def _install(self, features: EngineFeatures) -> None:
        if not features.hindi_analysis:
            self._log_once("no analysis-common module: title/text use standard analysis")
        if not features.lifecycle:
            self._log_once(f"no {'ILM' if self.kind == 'elasticsearch' else 'ISM'}: indices get no lifecycle policy")
        live = self.live_template()
        if live is None:
            self.install_templates(features, self.templates, 1)
            self.generation = 1
        else:
            meta = live.get("_meta") or {}
            self.generation = int(meta.get("janmat_generation", 1))
            if meta.get("janmat_template_version") != self.templates.version:
                log.warning(
                    "index template %s is version %s, Janmat ships version %s: run `janmat reindex` to rebuild",
                    self.names.template, meta.get("janmat_template_version"), self.templates.version,
                )
        self._known_indices = set(self.alias_indices())
        self._ensure_standing_queries(features)

    def _ensure_standing_queries(self, features: EngineFeatures) -> None:
        name = self.names.standing_queries
        if self.client.exists(f"/{name}"):
            return
        try:
            self.client.request("PUT", f"/{name}", self.templates.standing_queries_index(features))
        except EngineRequestError as exc:
            if exc.error_type == "resource_already_exists_exception":
                return
            if "percolator" in exc.reason:
                self._log_once("no percolator: the standing-queries index is not created")
                return
            raise

    def _log_once(self, message: str) -> None:
        """Say what the engine lacks once per process and engine, not on every store opened."""
        key = (self.client.connection.base_url, message)
        if key not in _SAID:
            _SAID.add(key)
            log.info("%s at %s has %s", self.kind, self.client.connection.base_url, message)

    def reload_generation(self) -> bool:
        """Re-read the live index generation (after a reindex elsewhere); True if it changed."""
        live = self.live_template()
        generation = int(((live or {}).get("_meta") or {}).get("janmat_generation", 1))
        self._generation_checked = time.monotonic()
        if generation == self.generation:
            return False
        log.info("index generation changed from %d to %d", self.generation, generation)
        known = set(self.alias_indices())
        with self._lock:
            self.generation = generation
            self._known_indices = known
        return True

    def alias_indices(self) -> list[str]:
        """The indices behind the read alias, sorted."""
        rows = self.client.request(
            "GET", f"/_cat/aliases/{self.names.alias}", params={"format": "json", "h": "index"}
        ).get("rows", [])
        return sorted({row["index"] for row in rows})

    def _create_indices(self, names: Iterable[str]) -> None:
        features = self.ensure_ready()
        with self._lock:
            self._create_missing(features, set(names) - self._known_indices)

    def _create_missing(self, features: EngineFeatures, names: set[str]) -> None:
        for name in sorted(names):
            month = self.names.month_of_index(name) or ""
            body = self.templates.month_index_body(self.names, features, month, alias=True)
            try:
                self.client.request("PUT", f"/{name}", body)
            except EngineRequestError as exc:
                if exc.error_type != "resource_already_exists_exception":
                    raise
            self._known_indices.add(name)

    # -- writing -------------------------------------------------------------------------------------------

    def upsert(self, mentions: Iterable[Mention]) -> UpsertReport:
        """Index mentions by id; what the engine cannot take now is spooled and replayed before later writes."""
        report = UpsertReport()
        outage: str | None = None
        try:
            self.ensure_ready()
            if time.monotonic() - self._generation_checked > GENERATION_CHECK_SECONDS:
                self.reload_generation()
            if self.spool.pending_count():
                self.replay_spool()
                if self.spool.pending_count():
                    outage = "older spooled mentions are still waiting for the engine"
        except (StoreUnavailableError, EngineRequestError) as exc:
            outage = str(exc)

        def engine_up() -> bool:
            return outage is None

        for batch, prepared in self._prepared(_batches(mentions, self.chunk_size), engine_up):
            if outage is None:
                try:
                    outcomes = self._write(batch, prepared)
                except (StoreUnavailableError, EngineRequestError) as exc:
                    outage = str(exc)
                else:
                    waiting = self._tally(batch, outcomes, report)
                    if waiting:
                        outage = outcomes[waiting[0].id].reason
                        report.spooled += self.spool.add(waiting, outage)
                    continue
            # Once anything waits in the spool, later mentions wait behind it, so replay keeps their order.
            report.spooled += self.spool.add(batch, outage)
        return report

    def _tally(self, batch: list[Mention], outcomes: dict[str, WriteOutcome], report: UpsertReport) -> list[Mention]:
        """Count one written batch into ``report``; return the mentions to spool for a later retry."""
        waiting: list[Mention] = []
        seen: set[str] = set()
        for mention in batch:
            outcome = outcomes[mention.id]
            if outcome.kind == "retry":
                waiting.append(mention)
            elif outcome.kind == "rejected":
                if mention.id not in seen:
                    report.failed[mention.id] = outcome.reason
                    self.spool.reject(mention, outcome.reason)
            elif mention.id in seen or outcome.kind == "updated":
                report.updated += 1
            else:
                report.stored += 1
            seen.add(mention.id)
        return waiting

    def _prepare(self, batch: list[Mention]) -> PreparedBatch:
        """The engine document of the last version of each id, and where each id is stored now."""
        latest = {mention.id: mention for mention in batch}
        prepared = PreparedBatch({mid: mention_document_json(mention) for mid, mention in latest.items()})
        try:
            # the month indices exist (and their shards are started) before anyone searches them
            self._create_indices(self.names.month_index(mention_month(m), self.generation) for m in latest.values())
            prepared.located = self._locate(list(latest))
        except (StoreUnavailableError, EngineRequestError) as exc:
            prepared.error = exc
        return prepared

    def _prepared(
        self, batches: Iterator[list[Mention]], engine_up: Callable[[], bool]
    ) -> Iterator[tuple[list[Mention], PreparedBatch | None]]:
        """Each batch with its documents, the next batch prepared on a worker thread while this one is sent
        (and not prepared at all once the engine is down: it goes to the spool as it is).

        Preparing (normalizing and stemming every word, looking up where each id lives) would otherwise leave the
        engine idle; overlapping it with the previous bulk request keeps Janmat's rate close to the bare client's.
        """
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="janmat-prepare") as pool:
            def submit(batch: list[Mention] | None) -> Future[PreparedBatch] | None:
                return pool.submit(self._prepare, batch) if batch and engine_up() else None

            current = next(batches, None)
            future = submit(current)
            while current is not None:
                prepared = future.result() if future else None
                following = next(batches, None)
                future = submit(following)
                yield current, prepared
                current = following

    def _write(
        self, batch: list[Mention], prepared: PreparedBatch | None = None, *, retargeted: bool = False
    ) -> dict[str, WriteOutcome]:
        """Bulk-index one batch (the last version of each id); raises when the engine cannot be used at all."""
        self.ensure_ready()
        latest = {mention.id: mention for mention in batch}
        prepared = prepared or self._prepare(batch)
        if prepared.error is not None:
            raise prepared.error
        documents, located = prepared.documents, prepared.located
        targets = {mid: self.names.month_index(mention_month(m), self.generation) for mid, m in latest.items()}
        self._create_indices(targets.values())
        actions = [
            {"_op_type": "index", "_index": targets[mid], "_id": mid, "_source": documents[mid]}
            for mid in latest
        ]
        outcomes: dict[str, WriteOutcome] = {}
        for ok, item in self.bulk(actions):
            info = next(iter(item.values()))
            mid = str(info.get("_id"))
            if ok:
                existed = info.get("result") == "updated" or mid in located
                outcomes[mid] = WriteOutcome("updated" if existed else "stored")
                continue
            reason = _item_reason(info)
            status = info.get("status")
            blocked = "cluster_block_exception" in reason or "index_closed_exception" in reason
            retry = blocked or (isinstance(status, int) and status in (429, 500, 502, 503, 504))
            outcomes[mid] = WriteOutcome("retry" if retry else "rejected", f"{status}: {reason}")
        self._remove_moved_copies(located, targets, outcomes)
        blocked_ids = [mid for mid, o in outcomes.items() if o.kind == "retry" and "block" in o.reason]
        if blocked_ids and not retargeted and self.reload_generation():
            outcomes.update(self._write([latest[mid] for mid in blocked_ids], retargeted=True))
        for mid in latest:
            outcomes.setdefault(mid, WriteOutcome("retry", "the engine returned no result for it"))
        return outcomes

    def _remove_moved_copies(
        self, located: dict[str, list[str]], targets: dict[str, str], outcomes: dict[str, WriteOutcome]
    ) -> None:
        """Delete the old copy of each mention whose month changed (e.g. a date found on a re-crawl), once its
        new copy is written, so it is never missing and not kept twice."""
        stale = [
            {"_op_type": "delete", "_index": index, "_id": mid}
            for mid, indices in located.items()
            if outcomes.get(mid, WriteOutcome("retry")).kind in ("stored", "updated")
            for index in indices
            if index != targets[mid]
        ]
        if not stale:
            return
        for ok, item in self.bulk(stale):
            info = next(iter(item.values()))
            if not ok and info.get("status") != 404:
                log.warning("could not remove the old copy of %s from %s: %s", info.get("_id"), info.get("_index"),
                            _item_reason(info))

    def bulk(self, actions: list[dict[str, Any]]) -> list[tuple[bool, dict[str, Any]]]:
        """streaming_bulk with backoff: the helper retries 429 items, tenacity retries failed requests."""
        for attempt in Retrying(
            stop=stop_after_attempt(self.retry_attempts),
            wait=wait_exponential(multiplier=self.retry_backoff, max=max(self.retry_backoff * 8, 1)),
            retry=retry_if_exception(_transient),
            reraise=True,
        ):
            with attempt:
                return list(
                    self.client.streaming_bulk(
                        actions,
                        chunk_size=self.chunk_size,
                        max_retries=self.retry_attempts - 1,
                        initial_backoff=self.retry_backoff,
                    )
                )
        raise AssertionError("unreachable")  # pragma: no cover - Retrying re-raises the last error

    def _locate(self, ids: list[str]) -> dict[str, list[str]]:
        """The indices that already hold each id (normally its own month; another one if its date changed)."""
        answer = self._search(
            {"query": {"ids": {"values": ids}}, "size": len(ids) * 2, "_source": False, "track_total_hits": False}
        )
        located: dict[str, list[str]] = {}
        for hit in answer.get("hits", {}).get("hits", []):
            located.setdefault(hit["_id"], []).append(hit["_index"])
        return located

    def replay_spool(self) -> UpsertReport:
        """Send spooled mentions to the engine, oldest first, until the spool is empty or the engine fails."""
        report = UpsertReport()
        with self.spool.replaying() as mine:
            if not mine:
                return report
            self.ensure_ready()
            self.reload_generation()
            while entries := self.spool.head(self.chunk_size):
                try:
                    outcomes = self._write([entry.mention for entry in entries])
                except (StoreUnavailableError, EngineRequestError) as exc:
                    log.warning("spool replay stopped, %d mention(s) still wait: %s", self.spool.pending_count(), exc)
                    break
                done: list[int] = []
                refused: dict[int, str] = {}
                stop = False
                for entry in entries:
                    outcome = outcomes[entry.mention.id]
                    if outcome.kind == "retry":
                        stop = True
                    elif outcome.kind == "rejected":
                        refused[entry.seq] = outcome.reason
                        report.failed[entry.mention.id] = outcome.reason
                    else:
                        done.append(entry.seq)
                        report.stored += outcome.kind == "stored"
                        report.updated += outcome.kind == "updated"
                self.spool.done(done)
                self.spool.move_to_rejected(refused)
                if stop:
                    break
        if report.stored or report.updated:
            log.info("replayed %d new and %d updated mention(s) from %s", report.stored, report.updated,
                     self.spool.path)
        return report

    def delete(self, query: MentionQuery) -> int:
        """Delete matching mentions (retention): ``_delete_by_query`` where the engine has it, else scan + bulk."""
        features = self.ensure_ready()
        dsl, _ = mention_query(query)
        self.refresh()  # delete what was written so far, not only what the last refresh made searchable
        if features.reindex:
            answer = self.client.request(
                "POST",
                f"/{self.names.alias}/_delete_by_query",
                {"query": dsl},
                params={**_SEARCH_PARAMS, "refresh": True, "conflicts": "proceed"},
            )
            if answer.get("failures"):
                raise EngineRequestError(None, "delete_by_query_failure", str(answer["failures"][:3]))
            return int(answer.get("deleted", 0))
        deleted = 0
        for hits in self.scan({"query": dsl, "_source": False}):
            actions = [{"_op_type": "delete", "_index": h["_index"], "_id": h["_id"]} for h in hits]
            for ok, item in self.bulk(actions):
                info = next(iter(item.values()))
                if ok and info.get("result") == "deleted":
                    deleted += 1
                elif not ok and info.get("status") != 404:
                    raise EngineRequestError(info.get("status"), "delete_failed", _item_reason(info))
        self.refresh()
        return deleted

    def refresh(self) -> None:
        """Make every write so far visible to searches now."""
        self.ensure_ready()
        self.client.request("POST", f"/{self.names.alias}/_refresh", params=_SEARCH_PARAMS)

    # -- reading -------------------------------------------------------------------------------------------

    def _search(self, body: dict[str, Any], index: str | None = None, **params: Any) -> dict[str, Any]:
        return self.client.request(
            "POST", f"/{index or self.names.alias}/_search", body, params={**_SEARCH_PARAMS, **params}
        )

    def scan(self, body: dict[str, Any], index: str | None = None, size: int = 1000) -> Iterator[list[dict]]:
        """Every hit of a query in pages (scroll), for copying and deleting."""
        answer = self._search({**body, "size": size, "sort": ["_doc"]}, index, scroll=SCROLL)
        scroll_id = answer.get("_scroll_id")
        try:
            while hits := answer.get("hits", {}).get("hits", []):
                yield hits
                answer = self.client.request("POST", "/_search/scroll", {"scroll": SCROLL, "scroll_id": scroll_id})
                scroll_id = answer.get("_scroll_id", scroll_id)
        finally:
            if scroll_id:
                try:
                    self.client.request("DELETE", "/_search/scroll", {"scroll_id": [scroll_id]})
                except (EngineRequestError, StoreUnavailableError):
                    pass

    def get(self, mention_id: str) -> Mention | None:
        """One mention by id (real-time: no refresh needed)."""
        self.ensure_ready()
        indices = self.alias_indices()
        if not indices:
            return None
        answer = self.client.request("POST", "/_mget", {"docs": [{"_index": i, "_id": mention_id} for i in indices]})
        for doc in answer.get("docs", []):
            if doc.get("found"):
                return mention_from_document(doc["_source"])
        return None

    def search(self, query: MentionQuery) -> SearchResult:
        """Matching mentions: by relevance (BM25) when there is query text, newest first otherwise."""
        self.ensure_ready()
        dsl, parsed = mention_query(query)
        if query.limit and query.offset + query.limit > MAX_RESULT_WINDOW:
            raise InputError(
                f"offset + limit may be at most {MAX_RESULT_WINDOW} on a search engine; narrow the query instead"
            )
        body: dict[str, Any] = {"query": dsl, "size": query.limit, "track_total_hits": True}
        if query.limit:
            body.update({"from": query.offset, "sort": search_sort(parsed, query.sort)})
        answer = self._search(body)
        terms, keys = parsed.all_terms(), parsed.all_keys()
        hits = []
        for hit in answer.get("hits", {}).get("hits", []):
            mention = mention_from_document(hit["_source"])
            highlights = highlight(mention.full_text(), terms, keys=keys)
            hits.append(SearchHit(mention=mention, score=hit.get("_score"), highlights=highlights))
        total = answer.get("hits", {}).get("total", {"value": 0})
        return SearchResult(total=int(total["value"] if isinstance(total, dict) else total), hits=hits)

    def counts(self, by: Facet, query: MentionQuery | None = None) -> list[tuple[str, int]]:
        """Mentions per facet value, most first (by day: IST days in date order) — the SQLite store's numbers."""
        if by not in FACETS:
            raise ValueError(f"cannot count by {by!r}")
        self.ensure_ready()
        dsl, _ = mention_query(query or MentionQuery())
        aggs = {"facet": facet_aggregation(by, TERMS_BUCKETS)}
        body = {"size": 0, "query": dsl, "track_total_hits": False, "aggs": aggs}
        aggregation = self._search(body).get("aggregations", {}).get("facet")
        if aggregation is None:
            return []
        if by == "day":
            return [(b["key_as_string"], int(b["doc_count"])) for b in aggregation["buckets"]]
        if aggregation.get("sum_other_doc_count", 0) > 0:
            rows = self._all_buckets(by, dsl)
        else:
            rows = [(str(b["key"]), int(b["doc_count"])) for b in aggregation["buckets"]]
        return sorted(rows, key=lambda row: (-row[1], row[0]))

    def counts2(self, by1: Facet, by2: Facet, query: MentionQuery | None = None) -> list[tuple[str, str, int]]:
        """Mentions per pair of values of two facets, exact: composite aggregation pages over both facets."""
        if by1 not in FACETS or by2 not in FACETS or by1 == by2:
            raise ValueError(f"cannot count by {by1!r} and {by2!r}: two different facets of {', '.join(FACETS)}")
        self.ensure_ready()
        dsl, _ = mention_query(query or MentionQuery())
        rows: list[tuple[str, str, int]] = []
        after = None
        while True:
            body = {"size": 0, "query": dsl, "track_total_hits": False,
                    "aggs": {"pairs": pair_aggregation(by1, by2, TERMS_BUCKETS, after)}}
            aggregation = self._search(body).get("aggregations", {}).get("pairs")
            if aggregation is None:  # no index yet
                return []
            rows += [(_bucket_key(b["key"]["first"], by1), _bucket_key(b["key"]["second"], by2), int(b["doc_count"]))
                     for b in aggregation["buckets"]]
            after = aggregation.get("after_key")
            if not aggregation["buckets"] or after is None:
                return order_pairs(by1, by2, rows)

    def spreading_clusters(self, query: MentionQuery | None = None, *, limit: int = 10,
                           min_size: int = 2) -> list[ClusterSpread]:
        """The largest near-duplicate clusters among the matching mentions, one terms aggregation."""
        self.ensure_ready()
        dsl, _ = mention_query(query or MentionQuery())
        body = {"size": 0, "query": dsl, "track_total_hits": False,
                "aggs": {"clusters": cluster_aggregation(limit, min_size)}}
        buckets = self._search(body).get("aggregations", {}).get("clusters", {}).get("buckets", [])
        return [
            ClusterSpread(
                cluster=str(b["key"]), mentions=int(b["doc_count"]), sources=int(b["sources"]["value"]),
                first_seen=_epoch(b["first"].get("value")), last_seen=_epoch(b["last"].get("value")),
            )
            for b in buckets
        ]

    def _all_buckets(self, by: str, dsl: dict[str, Any]) -> list[tuple[str, int]]:
        """Exact counts for a facet with more values than one terms aggregation returns (composite pages)."""
        rows: list[tuple[str, int]] = []
        after = None
        while True:
            body = {"size": 0, "query": dsl, "track_total_hits": False,
                    "aggs": {"facet": composite_aggregation(by, TERMS_BUCKETS, after)}}
            aggregation = self._search(body)["aggregations"]["facet"]
            rows += [(str(b["key"]["value"]), int(b["doc_count"])) for b in aggregation["buckets"]]
            after = aggregation.get("after_key")
            if not aggregation["buckets"] or after is None:
                return rows

    def remove_everything(self) -> list[str]:
        """Delete every index, template and policy under this store's prefix (tests, uninstall); their names."""
        removed: list[str] = []
        try:
            listing = self.client.request(
                "GET", f"/_cat/indices/{self.names.prefix}-*", params={"format": "json", "h": "index"}
            )
        except EngineRequestError as exc:
            if exc.status != 404:
                raise
            listing = {}
        paths = [f"/{row['index']}" for row in listing.get("rows", [])]
        paths += [
            f"/_index_template/{self.names.template}",
            f"/_component_template/{self.names.settings_component}",
            f"/_component_template/{self.names.mappings_component}",
            self.client.lifecycle_policy_path(self.names.policy),
        ]
        for path in paths:
            try:
                self.client.request("DELETE", path)
                removed.append(path)
            except EngineRequestError as exc:
                if exc.status not in (400, 404, 405):
                    raise
        self._features = None
        self._known_indices = set()
        return removed

    def close(self) -> None:
        """Close the client and the spool."""
        self.client.close()
        self.spool.close()


def open_engine_store(url: str) -> MentionStore:
    """An OpenSearch or Elasticsearch store for ``opensearch+http(s)://…`` / ``elasticsearch+http(s)://…``,
    with credentials, CA bundle, index prefix and retry settings from ``JANMAT_*``."""
    from janmat.core.settings import get_settings

    settings = get_settings()
    api_key = settings.store.api_key.get_secret_value() if settings.store.api_key else None
    connection = EngineConnection.from_url(
        url,  # an API key, when set, is used instead of username and password
        username=None if api_key else settings.store.username,
        password=None if api_key or not settings.store.password else settings.store.password.get_secret_value(),
        api_key=api_key,
        ca_bundle=settings.store.ca_bundle,
        timeout=settings.store.timeout_seconds,
    )
    client: EngineClient
    if connection.kind == "opensearch":
        from janmat.store.opensearch import OpenSearchClient

        client = OpenSearchClient(connection)
    else:
        from janmat.store.elasticsearch import ElasticsearchClient

        client = ElasticsearchClient(connection)
    return EngineStore(
        client,
        url,
        prefix=settings.store.index_prefix,
        spool=Spool(spool_path(settings.spool_dir, url, settings.store.index_prefix)),
        chunk_size=settings.store.bulk_chunk,
        retry_attempts=settings.store.retry_attempts,
        retry_backoff=settings.store.retry_backoff_seconds,
    )


__all__ = ["EngineStore", "WriteOutcome", "detect_features", "open_engine_store"]
