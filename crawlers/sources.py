"""The source registry: which outlets Janmat reads, and where each one announces its new articles.

``crawlers/sources.yaml`` holds one entry per source (see ``docs/sources.md``). Adding a source is one entry,
no code: the generic spider reads feeds, news sitemaps (also those named in robots.txt) and listing pages of
whatever the registry lists.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Literal
from urllib.parse import urljoin, urlsplit, urlunsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from janmat.core.errors import ConfigError, explain
from janmat.core.urls import registered_domain

REGISTRY_PATH = Path(__file__).with_name("sources.yaml")
Discovery = Literal["feeds", "sitemaps", "listings"]


class RegistryError(ConfigError):
    """The source registry file is missing, not YAML, or has an invalid entry."""


def _absolute_web_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"must be an absolute http(s) URL, got {value!r}")
    return value.strip()


class Listing(BaseModel):
    """A section or listing page whose links lead to articles, and the patterns an article link matches."""

    model_config = ConfigDict(extra="forbid")

    url: str
    article_patterns: list[str] = Field(min_length=1)
    """Regular expressions (searched in the absolute URL); a link matching any of them is an article candidate."""
    deny_patterns: list[str] = Field(default_factory=list)
    """Links matching any of these are never followed (photo galleries, videos, live blogs…)."""

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _absolute_web_url(value)

    @field_validator("article_patterns", "deny_patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from exc
        return patterns


class Source(BaseModel):
    """One outlet (or one desk of it): where its new articles are announced and how often to look."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """Stable identifier used on the command line: ``scrapy crawl news -a source=<key>``."""
    name: str
    homepage: str
    language: Literal["hi", "en", "hi-Latn", "pa", "ur", "mixed"]
    region: str = "Haryana"
    """The state or desk the source's registered pages cover (``Haryana``, ``Chandigarh``, ``National``…)."""
    domains: list[str] = Field(default_factory=list)
    """Registrable domains whose pages belong to this source; defaults to the homepage's."""
    feeds: list[str] = Field(default_factory=list)
    news_sitemaps: list[str] = Field(default_factory=list)
    listings: list[Listing] = Field(default_factory=list)
    robots_sitemaps: bool = True
    """Also read the news sitemaps that the site's robots.txt announces."""
    sitemap_max_age_days: float = Field(default=2.0, gt=0)
    """Entries of a plain (non-news) sitemap older than this are not fetched."""
    crawl_interval_minutes: int = Field(default=30, ge=5)
    enabled: bool = True
    notes: str | None = None

    @field_validator("homepage")
    @classmethod
    def _homepage(cls, value: str) -> str:
        return _absolute_web_url(value)

    @field_validator("feeds", "news_sitemaps")
    @classmethod
    def _urls(cls, values: list[str]) -> list[str]:
        return [_absolute_web_url(value) for value in values]

    @model_validator(mode="after")
    def _defaults(self) -> Source:
        if not self.domains:
            self.domains = [registered_domain(self.homepage)]
        else:
            self.domains = [registered_domain(d) for d in self.domains]
        if not (self.feeds or self.news_sitemaps or self.listings or self.robots_sitemaps):
            raise ValueError("a source needs at least one of feeds, news_sitemaps, listings or robots_sitemaps")
        return self

    def owns(self, url: str) -> bool:
        """True when the URL is on one of the source's domains."""
        try:
            return registered_domain(url) in self.domains
        except ValueError:
            return False

    @property
    def domain(self) -> str:
        """The source's main registrable domain."""
        return self.domains[0]


class SourceRegistry(BaseModel):
    """All registered sources, by key."""

    model_config = ConfigDict(extra="forbid")

    sources: list[Source]

    @model_validator(mode="after")
    def _unique_keys(self) -> SourceRegistry:
        seen: set[str] = set()
        for source in self.sources:
            if source.key in seen:
                raise ValueError(f"source key {source.key!r} is used twice")
            seen.add(source.key)
        return self

    @cached_property
    def by_key(self) -> dict[str, Source]:
        """Sources indexed by key."""
        return {source.key: source for source in self.sources}

    def get(self, key: str) -> Source:
        """The source with this key, or a RegistryError listing the known keys."""
        try:
            return self.by_key[key]
        except KeyError:
            known = ", ".join(sorted(self.by_key))
            raise RegistryError(f"unknown source {key!r}; known sources: {known}") from None

    def enabled(self) -> list[Source]:
        """The sources a scheduled crawl reads."""
        return [source for source in self.sources if source.enabled]


def _describe(error: ValidationError, document: dict) -> str:
    entries = document.get("sources") if isinstance(document, dict) else None

    def where(loc: tuple) -> str:
        if len(loc) >= 2 and loc[0] == "sources" and isinstance(loc[1], int) and isinstance(entries, list):
            entry = entries[loc[1]] if loc[1] < len(entries) else None
            key = entry.get("key") if isinstance(entry, dict) else None
            return f"source #{loc[1] + 1}" + (f" ({key})" if key else "") + (
                ": " + ".".join(str(part) for part in loc[2:]) if loc[2:] else ""
            )
        return ".".join(str(part) for part in loc) or "registry"

    return explain(error, where=where)


def parse_registry(text: str, origin: str = "<registry>") -> SourceRegistry:
    """Validate registry YAML text; errors name the file, the source and the field."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RegistryError(f"{origin}: not valid YAML: {exc}") from exc
    if not isinstance(document, dict) or "sources" not in document:
        raise RegistryError(f"{origin}: expected a mapping with a 'sources' list")
    try:
        return SourceRegistry.model_validate(document)
    except ValidationError as exc:
        raise RegistryError(f"{origin}: {_describe(exc, document)}") from exc


def load_registry(path: Path | str | None = None) -> SourceRegistry:
    """Load and validate a registry file (the bundled ``crawlers/sources.yaml`` by default)."""
    path = Path(path) if path else REGISTRY_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RegistryError(f"cannot read source registry {path}: {exc.strerror or exc}") from exc
    return parse_registry(text, origin=str(path))


class Route:
    """Maps a source's real URLs to where they are fetched from (a local copy when a base URL is given).

    Tests and the demo crawl 127.0.0.1; the Mention still records the real URL, so ids do not depend on the port.
    """

    def __init__(self, source: Source, base_url: str | None = None) -> None:
        self.source = source
        self.base = urlsplit(_absolute_web_url(base_url)) if base_url else None

    def fetch_url(self, url: str) -> str:
        """Where to fetch a URL of this source from."""
        if self.base is None or not self.source.owns(url):
            return url
        parts = urlsplit(url)
        return urlunsplit((self.base.scheme, self.base.netloc, parts.path or "/", parts.query, ""))

    def real_url(self, fetched_url: str) -> str:
        """The source's real URL for a URL that was fetched from the base (inverse of ``fetch_url``)."""
        if self.base is None:
            return fetched_url
        parts = urlsplit(fetched_url)
        if parts.netloc != self.base.netloc:
            return fetched_url
        home = urlsplit(self.source.homepage)
        return urlunsplit((home.scheme, home.netloc, parts.path or "/", parts.query, ""))

    def resolve(self, page_url: str, link: str) -> str:
        """The absolute real URL of a link found on the page whose real URL is ``page_url``."""
        return self.real_url(urljoin(page_url, link))
