"""Hooks for the overview's "alerts of the day" and "claims spreading" panels.

By default the panels read the store's fired alerts (``janmat.web.alerts_api.alerts_panel``) and known claims
(``janmat.web.claims_api.claims_panel``); ``create_app(alerts=…, claims=…)`` replaces either. A source is any
callable that takes the store and the period's query and returns panel items; it may read anything it likes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel

from janmat.store.base import MentionQuery, MentionStore


class PanelItem(BaseModel):
    """One line of a panel: what happened, when, and where to look."""

    title: str
    detail: str | None = None
    at: datetime | None = None
    link: str | None = None
    """A path inside the app (``/search?…``, ``/mentions/…``); anything else is not rendered as a link."""


PanelSource = Callable[[MentionStore, MentionQuery], list[PanelItem]]
