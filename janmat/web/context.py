"""What every route of the web app shares: the store, settings, login, audit log, panel sources and how the
user's search inputs become a MentionQuery."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Query, Request

from janmat.core.errors import InputError
from janmat.core.settings import JanmatSettings
from janmat.store import MentionStore, open_store
from janmat.store.base import SORT_ORDERS, MentionQuery
from janmat.store.filters import build_query
from janmat.web.auth import Authenticator
from janmat.web.corrections import AuditLog
from janmat.web.display import LANGS, Words
from janmat.web.panels import PanelSource

LANG_COOKIE = "janmat_lang"
PAGE_SIZE = 20


@dataclass
class WebContext:
    """The app's shared parts; the store is opened on first use when not given."""

    settings: JanmatSettings
    store_url: str | None = None
    alerts: PanelSource | None = None
    claims: PanelSource | None = None
    store_given: MentionStore | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.authenticator = Authenticator(self.settings.web)
        self.audit = AuditLog(self.settings.web.audit_log or self.settings.data_dir / "audit.jsonl")

    @property
    def store(self) -> MentionStore:
        """The mention store."""
        if self.store_given is None:
            with self._lock:
                if self.store_given is None:
                    self.store_given = open_store(self.store_url)
        return self.store_given

    def words(self, request: Request) -> Words:
        """The request's language: ``?ui=hi|en``, else the language cookie, else ``JANMAT_UI_LANG``. (``lang`` is
        the search filter on the mentions' language.)"""
        for lang in (request.query_params.get("ui"), request.cookies.get(LANG_COOKIE)):
            if lang in LANGS:
                return Words(lang)
        return Words(self.settings.core.ui_lang)


def search_query(
    q: str | None = None,
    district: Annotated[list[str] | None, Query()] = None,
    scheme: Annotated[list[str] | None, Query()] = None,
    sentiment: Annotated[list[str] | None, Query()] = None,
    platform: Annotated[list[str] | None, Query()] = None,
    source: Annotated[list[str] | None, Query()] = None,
    lang: Annotated[list[str] | None, Query()] = None,
    cluster: Annotated[list[str] | None, Query()] = None,
    since: str | None = None,
    until: str | None = None,
    misinformation: str | None = None,
    min_confidence: float | None = None,
    sort: str = "relevance",
    limit: int = PAGE_SIZE,
    offset: int = 0,
) -> MentionQuery:
    """The search inputs (any script, Hindi labels, today/आज/कल dates) as a validated MentionQuery."""
    if sort not in SORT_ORDERS:
        raise InputError(f"bad sort {sort!r}: use {', '.join(SORT_ORDERS)}")
    query = build_query(
        q, districts=_given(district), schemes=_given(scheme), sentiments=_given(sentiment),
        platforms=_given(platform), sources=_given(source), langs=_given(lang), since=since or None,
        until=until or None, misinformation=_yes_no(misinformation), min_confidence=min_confidence, limit=limit,
        offset=offset,
    )
    return query.model_copy(update={"sort": sort, "clusters": _given(cluster)})


def probability(value: str | None) -> float | None:
    """A ``min_confidence`` typed into a page's query string: a number from 0 to 1, or nothing."""
    if value is None or not value.strip():
        return None
    try:
        return float(value)
    except ValueError:
        raise InputError(f"bad minimum confidence {value!r}: use a probability from 0 to 1, e.g. 0.6") from None


def _given(values: list[str] | None) -> list[str]:
    return [v.strip() for v in values or [] if v and v.strip()]


def _yes_no(value: str | None) -> bool | None:
    if value is None or not value.strip():
        return None
    if value.strip().lower() in ("true", "yes", "1", "हाँ"):
        return True
    if value.strip().lower() in ("false", "no", "0", "नहीं"):
        return False
    raise InputError(f"bad misinformation value {value!r}: use yes or no")
