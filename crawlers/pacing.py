"""When a request may go: retries held until their time, hosts paused by the server, sources deferred to their
next run, and each source's page budget for one run.

One ``Pacing`` per crawler (``pacing_for(crawler)``), shared by the retry middleware (which holds, pauses and
defers) and the scheduler (``crawlers.frontier``), which asks it about every request before handing it to the
downloader. A request that must wait is held here, never inside the downloader, so a long ``Retry-After`` blocks
neither other hosts nor a shutdown; when the crawl closes, the scheduler puts held requests back into its queue
(JOBDIR or Redis) with their not-before time, so the next run honours the wait and loses nothing.
"""

from __future__ import annotations

import heapq
import itertools
import time
import weakref
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached
from twisted.python.failure import Failure

from crawlers.context import source_of

NOT_BEFORE = "janmat_not_before"
"""Request meta: wall-clock time (epoch seconds) before which the request is not sent; it survives a restart."""


class Verdict(Enum):
    """What the scheduler does with a request it is about to hand out."""

    SEND = "send"
    HOLD = "hold"
    DROP = "drop"


class Withdrawn(IgnoreRequest):
    """A request taken back from a downloader queue before it was sent (a stop, a pause or a deferral)."""


def host_of(request: Request) -> str:
    """The host a request's politeness is kept for (Scrapy's download slot: a pinned slot, else the host name)."""
    return str(request.meta.get("download_slot") or urlparse_cached(request).hostname or "")


def is_new_page(request: Request) -> bool:
    """False for Scrapy's retries and redirects of a request already counted."""
    return not request.meta.get("retry_times") and not request.meta.get("redirect_times")


@dataclass
class Pacing:
    """Held requests, paused hosts, deferred sources and pages handed out per source in this run."""

    pages_max: int = 0
    """Requests of one source handed to the downloader per run (retries and redirects not counted); 0: no cap."""
    paused: dict[str, float] = field(default_factory=dict)
    """Host → wall-clock time until which nothing is sent to it."""
    deferred: dict[str, str] = field(default_factory=dict)
    """Source key → why it is deferred to its next run."""
    handed: Counter[str] = field(default_factory=Counter)
    _held: list[tuple[float, int, Request]] = field(default_factory=list)
    _order: itertools.count = field(default_factory=itertools.count)

    def verdict(self, request: Request, now: float | None = None) -> tuple[Verdict, str | float | None]:
        """SEND; HOLD with the time it may go; or DROP with why (``deferred``, ``over_cap``)."""
        source = source_of(request)
        if source in self.deferred:
            return Verdict.DROP, "deferred"
        now = time.time() if now is None else now
        until = max(float(request.meta.get(NOT_BEFORE) or 0), self.paused.get(host_of(request), 0.0))
        if until > now:
            return Verdict.HOLD, until
        if self.pages_max and source != "?" and is_new_page(request) and self.handed[source] >= self.pages_max:
            return Verdict.DROP, "over_cap"
        return Verdict.SEND, None

    def sent(self, request: Request) -> None:
        """Count a request handed to the downloader against its source's budget."""
        if is_new_page(request):
            self.handed[source_of(request)] += 1

    def hold(self, request: Request, until: float) -> None:
        """Keep a request until ``until`` (wall clock)."""
        heapq.heappush(self._held, (until, next(self._order), request))

    def due(self, now: float | None = None) -> Request | None:
        """The longest-waiting held request whose time has come, or None."""
        now = time.time() if now is None else now
        if self._held and self._held[0][0] <= now:
            return heapq.heappop(self._held)[2]
        return None

    def release(self) -> list[Request]:
        """Every held request (the crawl is closing), oldest first; they keep their not-before time."""
        held = [request for _, _, request in sorted(self._held)]
        self._held.clear()
        return held

    def held_count(self) -> int:
        """How many requests are held."""
        return len(self._held)

    def pause(self, host: str, until: float) -> None:
        """Send nothing to ``host`` before ``until`` (wall clock)."""
        if until > self.paused.get(host, 0.0):
            self.paused[host] = until

    def defer(self, source: str, why: str) -> bool:
        """Defer a source to its next run; True the first time."""
        if source in self.deferred:
            return False
        self.deferred[source] = why
        return True


_pacings: weakref.WeakKeyDictionary[Any, Pacing] = weakref.WeakKeyDictionary()


def pacing_for(crawler: Any) -> Pacing:
    """The one Pacing of a crawler (its page cap from the ``JANMAT_SOURCE_PAGES_MAX`` setting)."""
    pacing = _pacings.get(crawler)
    if pacing is None:
        pacing = Pacing(pages_max=crawler.settings.getint("JANMAT_SOURCE_PAGES_MAX", 0))
        _pacings[crawler] = pacing
    return pacing


def withdraw_queued(downloader: Any, wanted: Callable[[Request], bool], why: str) -> list[Request]:
    """Take the ``wanted`` requests out of the downloader's slot queues (waiting for a download delay, not yet sent).

    Each one's download fails with ``Withdrawn`` (an ``IgnoreRequest``: the spider's errback passes it over
    quietly), so the engine stops waiting for it; the caller decides what becomes of the returned requests.
    """
    taken: list[tuple[Request, Any]] = []
    for slot in list(getattr(downloader, "slots", {}).values()):
        kept: deque[tuple[Request, Any]] = deque()
        for entry in slot.queue:
            (taken if wanted(entry[0]) else kept).append(entry)
        slot.queue.clear()
        slot.queue.extend(kept)
    for request, waiting in taken:
        waiting.errback(Failure(Withdrawn(f"{why}: {request.url}")))
    return [request for request, _ in taken]
