"""``janmat reindex``: rebuild the mention indices under a new template version, with no gap for readers.

1. The new template version is installed (component templates and index template).
2. The old monthly indices are write-blocked, so nothing changes while they are copied; a writer that hits the
   block re-reads the index generation and writes to the new indices, or spools and replays later.
3. Each month is copied into a new index ``<prefix>-mentions-YYYY.MM-g<N>``: with the engine's ``_reindex``
   where it has the reindex module, else by scroll + bulk (``--recompute`` always takes this path and rebuilds
   Janmat's derived fields, e.g. after a change to ``nlp/normalize.py``). Counts are checked per month.
4. One atomic ``_aliases`` call moves the read alias from the old indices to the new ones.
5. The template records the new generation; after a grace period that lets running writers notice it, the
   old indices are deleted (``--keep-old`` keeps them, write-blocked and outside the alias).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from janmat.core.errors import JanmatError
from janmat.store.engine import GENERATION_CHECK_SECONDS, EngineStore
from janmat.store.engine_client import EngineRequestError
from janmat.store.engine_docs import mention_document, mention_from_document
from janmat.store.templates import IndexTemplates

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]
WRITERS_GRACE_SECONDS = 2 * GENERATION_CHECK_SECONDS


class ReindexError(JanmatError):
    """A reindex step failed; the old indices stay in place and writable."""


@dataclass
class ReindexReport:
    """What a reindex did."""

    old_generation: int
    new_generation: int
    template_version: int
    method: str = "none"
    copied: dict[str, int] = field(default_factory=dict)
    """New index name → documents copied."""
    old_indices: list[str] = field(default_factory=list)
    old_deleted: bool = False

    @property
    def total(self) -> int:
        """Documents copied in all."""
        return sum(self.copied.values())


def _count(store: EngineStore, index: str) -> int:
    return int(store.client.request("GET", f"/{index}/_count").get("count", 0))


def _copy_with_reindex_api(store: EngineStore, source: str, target: str, tick: Callable[[int], None]) -> None:
    """The engine's ``_reindex``, run as a task and polled for progress."""
    task = store.client.request(
        "POST", "/_reindex", {"source": {"index": source}, "dest": {"index": target, "op_type": "index"}},
        params={"wait_for_completion": False, "refresh": False},
    )["task"]
    reported = 0
    while True:
        state = store.client.request("GET", f"/_tasks/{task}")
        status = state.get("task", {}).get("status", {})
        done = int(status.get("created", 0)) + int(status.get("updated", 0))
        tick(done - reported)
        reported = done
        if state.get("completed"):
            failures = (state.get("response") or {}).get("failures") or state.get("error")
            if failures:
                raise ReindexError(f"_reindex {source} → {target} failed: {str(failures)[:500]}")
            return
        time.sleep(0.5)


def _copy_with_scroll(
    store: EngineStore, source: str, target: str, recompute: bool, tick: Callable[[int], None]
) -> None:
    """Scroll the old index and bulk its documents into the new one (rebuilding derived fields if asked)."""
    for hits in store.scan({"query": {"match_all": {}}}, index=source):
        actions: list[dict[str, Any]] = []
        for hit in hits:
            document = hit["_source"]
            if recompute:
                document = mention_document(mention_from_document(document))
            actions.append({"_op_type": "index", "_index": target, "_id": hit["_id"], "_source": document})
        failed = [item for ok, item in store.bulk(actions) if not ok]
        if failed:
            raise ReindexError(f"copying {source} → {target}: {len(failed)} document(s) refused, e.g. {failed[0]}")
        tick(len(hits))


def _template_bodies(store: EngineStore) -> dict[str, dict[str, Any]]:
    """The installed template bodies, to put back if the reindex fails."""
    bodies: dict[str, dict[str, Any]] = {}
    names = store.names
    for path, key, inner in (
        (f"/_component_template/{names.settings_component}", "component_templates", "component_template"),
        (f"/_component_template/{names.mappings_component}", "component_templates", "component_template"),
        (f"/_index_template/{names.template}", "index_templates", "index_template"),
    ):
        try:
            found = store.client.request("GET", path).get(key) or []
        except EngineRequestError as exc:
            if exc.status == 404:
                continue
            raise
        if found:
            bodies[path] = found[0][inner]
    return bodies


def reindex(
    store: EngineStore,
    *,
    templates: IndexTemplates | None = None,
    recompute: bool = False,
    keep_old: bool = False,
    force: bool = False,
    writers_grace_seconds: float = WRITERS_GRACE_SECONDS,
    on_progress: ProgressCallback | None = None,
) -> ReindexReport:
    """Rebuild every monthly mention index under ``templates`` (default: the bundled ones) and switch the alias."""
    features = store.ensure_ready()
    store.reload_generation()
    templates = templates or IndexTemplates.load()
    live = store.live_template() or {}
    live_version = (live.get("_meta") or {}).get("janmat_template_version")
    old_generation = store.generation
    report = ReindexReport(old_generation, old_generation + 1, templates.version)
    if not recompute and live_version is not None and int(live_version) < templates.derived_fields_version:
        # Copying _source would leave a derived field added since (e.g. district_tags in v2) empty.
        log.info("template v%s predates derived fields of v%s: recomputing them", live_version,
                 templates.derived_fields_version)
        recompute = True
    if live_version == templates.version and not (force or recompute):
        log.info("index template version %s is already live: nothing to do", live_version)
        report.new_generation = old_generation
        return report
    names = store.names
    old_indices = store.alias_indices()
    report.old_indices = old_indices
    totals = {index: _count(store, index) for index in old_indices}
    grand_total, copied_so_far = sum(totals.values()), 0

    def tick(amount: int) -> None:
        nonlocal copied_so_far
        copied_so_far += amount
        if on_progress:
            on_progress(copied_so_far, grand_total)

    saved_templates = _template_bodies(store)
    created: list[str] = []
    blocked: list[str] = []
    try:
        store.install_templates(features, templates, old_generation)
        for index in old_indices:
            store.client.request("PUT", f"/{index}/_settings", {"index.blocks.write": True})
            blocked.append(index)
        store.client.request("POST", f"/{names.alias}/_refresh")
        use_api = features.reindex and not recompute
        report.method = "_reindex" if use_api else ("scroll+bulk, recomputed" if recompute else "scroll+bulk")
        for index in old_indices:
            month = names.month_of_index(index)
            if month is None:
                raise ReindexError(f"{index} is behind {names.alias} but is not a monthly mention index")
            target = names.month_index(month, report.new_generation)
            body = templates.month_index_body(names, features, month, alias=False)
            body.setdefault("settings", {})["index.refresh_interval"] = "-1"
            store.client.request("PUT", f"/{target}", body)
            created.append(target)
            if use_api:
                _copy_with_reindex_api(store, index, target, tick)
            else:
                _copy_with_scroll(store, index, target, recompute, tick)
            store.client.request("PUT", f"/{target}/_settings", {"index.refresh_interval": None})
            store.client.request("POST", f"/{target}/_refresh")
            report.copied[target] = _count(store, target)
            if report.copied[target] != totals[index]:
                raise ReindexError(f"{target} has {report.copied[target]} mentions, {index} has {totals[index]}")
        actions: list[dict[str, Any]] = [{"remove": {"index": i, "alias": names.alias}} for i in old_indices]
        actions += [{"add": {"index": i, "alias": names.alias}} for i in created]
        if actions:
            store.client.request("POST", "/_aliases", {"actions": actions})
    except BaseException:
        _roll_back(store, saved_templates, created, blocked)
        raise
    store.install_templates(features, templates, report.new_generation)
    store.reload_generation()
    log.info("alias %s now points at %d index(es) of generation %d", names.alias, len(created), report.new_generation)
    if old_indices and not keep_old:
        # Writers re-read the generation at least every GENERATION_CHECK_SECONDS, or when they hit the block.
        time.sleep(writers_grace_seconds)
        for index in old_indices:
            store.client.request("DELETE", f"/{index}")
        report.old_deleted = True
    return report


def _roll_back(store: EngineStore, saved: dict[str, dict[str, Any]], created: list[str], blocked: list[str]) -> None:
    """Undo a failed reindex: the old templates back, the half-built indices gone, the old indices writable."""
    for path, body in saved.items():
        try:
            store.client.request("PUT", path, body)
        except JanmatError as exc:
            log.error("could not restore %s: %s", path, exc)
    for index in created:
        try:
            store.client.request("DELETE", f"/{index}")
        except JanmatError as exc:
            log.error("could not delete half-built index %s: %s", index, exc)
    for index in blocked:
        try:
            store.client.request("PUT", f"/{index}/_settings", {"index.blocks.write": None})
        except JanmatError as exc:
            log.error("could not unblock %s (set index.blocks.write to null by hand): %s", index, exc)

