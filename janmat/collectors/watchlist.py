"""The user's watchlist: free keywords plus accounts, pages, channels and fact-check feeds to follow.

A YAML file (``JANMAT_WATCHLIST``, default the bundled ``watchlist.yaml``) validated by the models below, so a
typo fails with the file name and the bad field instead of silently collecting nothing.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from janmat.core.errors import ConfigError, explain
from janmat.core.settings import get_settings

BUNDLED_WATCHLIST = Path(__file__).with_name("watchlist.yaml")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KeywordGroup(_Section):
    """Free search terms that form one query (alternatives of each other)."""

    name: str
    terms: list[str] = Field(min_length=1)


class XWatch(_Section):
    """X accounts whose posts are collected (handles without ``@``)."""

    accounts: list[str] = Field(default_factory=list)


class YouTubeWatch(_Section):
    """YouTube channel ids whose new videos are collected."""

    channels: list[str] = Field(default_factory=list)


class FacebookWatch(_Section):
    """Public Facebook pages (ids or usernames) whose posts and comments are collected."""

    pages: list[str] = Field(default_factory=list)
    comment_window_days: int = 7
    """Comments are re-checked on posts younger than this."""


class TelegramWatch(_Section):
    """Public Telegram channels (usernames) read through their ``t.me/s/`` web preview."""

    channels: list[str] = Field(default_factory=list)


class FactCheckFeed(_Section):
    """One fact-checker's RSS/Atom feed."""

    name: str
    url: str
    lang: str | None = None
    enabled: bool = True
    note: str | None = None


class FactCheckWatch(_Section):
    """Fact-check feeds whose articles are read for ClaimReview markup."""

    feeds: list[FactCheckFeed] = Field(default_factory=list)


class Watchlist(_Section):
    """Everything the collectors follow beyond the scheme catalogue and the district gazetteer."""

    keywords: list[KeywordGroup] = Field(default_factory=list)
    x: XWatch = Field(default_factory=XWatch)
    youtube: YouTubeWatch = Field(default_factory=YouTubeWatch)
    facebook: FacebookWatch = Field(default_factory=FacebookWatch)
    telegram: TelegramWatch = Field(default_factory=TelegramWatch)
    factcheck: FactCheckWatch = Field(default_factory=FactCheckWatch)


def load_watchlist(path: Path | str | None = None) -> Watchlist:
    """Read and validate the watchlist YAML (``path``, else ``JANMAT_WATCHLIST``, else the bundled file)."""
    path = Path(path or get_settings().collectors.watchlist or BUNDLED_WATCHLIST)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ConfigError(f"cannot read watchlist {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"watchlist {path} is not valid YAML: {exc}") from None
    try:
        return Watchlist.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"watchlist {path}: {explain(exc)}") from None
