"""All configuration in one place: environment variables ``JANMAT_*`` (and an optional ``.env`` file)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """Where Janmat keeps its embedded store, spool and crawl state unless told otherwise."""
    return Path(user_data_dir("janmat", appauthor=False))


class JanmatSettings(BaseSettings):
    """Janmat's settings. Every field is read from ``JANMAT_<FIELD>``; secrets only from the environment."""

    model_config = SettingsConfigDict(env_prefix="JANMAT_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    store: str | None = None
    """Store URL: ``sqlite:///PATH``, ``opensearch+http(s)://HOST:PORT`` or ``elasticsearch+http(s)://…``.
    Unset means the embedded SQLite store at ``<data_dir>/janmat.db``."""
    store_username: str | None = None
    store_password: SecretStr | None = None
    store_api_key: SecretStr | None = None
    store_ca_bundle: Path | None = None
    index_prefix: str = "janmat"
    """Names of the engine indices, alias, templates and policies start with it (``janmat-mentions-2026.03``)."""
    store_timeout_seconds: float = 30.0
    store_retry_attempts: int = 3
    """Tries per bulk request to a search engine (backoff doubles) before its mentions go to the spool."""
    store_retry_backoff_seconds: float = 0.5
    store_bulk_chunk: int = Field(default=1000, ge=1)
    """Mentions per bulk request to a search engine. Documents run from ~4 KB (a post or short item) to ~14 KB (a
    400-word story), so 1,000 make a 4–14 MB request, about the 5–15 MB the engines' tuning guides suggest; 500
    per request indexed ~10 % slower into a local OpenSearch node (``benchmarks/index.py``'s generated mentions)."""

    # Kibana / OpenSearch Dashboards, for `janmat dashboards import|export --url`.
    dashboards_username: str | None = None
    dashboards_password: SecretStr | None = None
    dashboards_api_key: SecretStr | None = None
    """Kibana API key (sent as ``Authorization: ApiKey …``); used instead of username and password when set."""

    # Local search-engine nodes started by `janmat engine start` (janmat.engine), for tests, CI and demos.
    engine_dir: Path | None = None
    """The engines' run dir (builds, data, logs, pid files); unset means the user cache dir."""
    engines_src: Path | None = None
    """The ``engines/`` folder with the Maven projects; unset means the one beside the ``janmat`` package."""
    engine_start_timeout: float = Field(default=180.0, gt=0)
    """Seconds to wait for a started node to answer healthy."""
    opensearch_java_home: Path = Path("/usr/lib/jvm/java-17-openjdk-amd64")
    """A JDK 17 for the OpenSearch node."""
    elasticsearch_java_home: Path = Path("/usr/lib/jvm/temurin-25-jdk-amd64")
    """A JDK 21 or newer for the Elasticsearch node."""
    opensearch_heap: str = "1g"
    """JVM heap of the OpenSearch node (``-Xms``/``-Xmx``), e.g. ``1g`` or ``512m``."""
    elasticsearch_heap: str = "512m"
    """JVM heap of the Elasticsearch node."""
    elasticsearch_user: str = "janmat-es"
    """The system account the Elasticsearch node runs as when Janmat runs as root (ES refuses root)."""

    redis_url: str | None = None
    """When set, crawls share one frontier through scrapy-redis."""
    user_agent: str = "JanmatBot/0.1 (+{contact_url})"
    contact_url: str = "https://github.com/janmat-project/janmat"
    ui_lang: str = "en"
    """Language of user-facing text: ``en`` or ``hi``."""
    near_dup_threshold: float = Field(default=0.5, gt=0.0, le=1.0)
    """Estimated Jaccard similarity of word 3-shingles at which two mentions share a near-duplicate cluster."""
    shared_data: Path | None = None
    """The reference data folder (``shared/data``, holding ``nlp/`` and ``eval/``) that ``janmat train`` reads
    when ``--data`` is not given. Nothing else in the product reads it."""
    log_level: str = "INFO"
    log_json: bool = False

    x_bearer_token: SecretStr | None = None
    youtube_api_key: SecretStr | None = None
    facebook_page_token: SecretStr | None = None

    # Platform collectors (janmat.collectors). Base URLs name the real hosts; tests point them at 127.0.0.1.
    x_api_base: str = "https://api.x.com"
    youtube_api_base: str = "https://www.googleapis.com/youtube/v3"
    facebook_graph_base: str = "https://graph.facebook.com/v23.0"
    """Versioned Graph API root; bump the version here when Meta retires it."""
    telegram_base: str = "https://t.me"
    gnews_base: str = "https://news.google.com"
    watchlist: Path | None = None
    """YAML file of extra keywords, accounts, pages, channels and fact-check feeds (default: the bundled one)."""
    collect_open_web: bool = False
    """Let the collectors that need no credentials (Google News, fact-check feeds, Telegram previews) go online."""
    x_query_max_chars: int = 512
    """X recent-search query length limit of the account's access level (512 standard, 4096 Pro)."""
    youtube_daily_quota: int = 10_000
    """YouTube Data API units Janmat may spend per Pacific-time day (the project's default allocation)."""
    collect_first_run_days: int = 3
    """How far back a collector looks the first time it runs a query (X recent search reaches 7 days)."""
    collector_max_wait_seconds: float = 900.0
    """Longest a collector sleeps for a rate-limit reset before it stops and leaves the rest to the next run."""
    collector_timeout_seconds: float = 30.0
    collector_retry_attempts: int = 4
    collector_retry_backoff_seconds: float = 1.0

    @field_validator("opensearch_heap", "elasticsearch_heap")
    @classmethod
    def _jvm_size(cls, value: str) -> str:
        if not re.fullmatch(r"[1-9][0-9]*[kKmMgG]?", value.strip()):
            raise ValueError(f"a JVM heap size such as 1g or 512m, not {value!r}")
        return value.strip()

    @property
    def store_url(self) -> str:
        """The effective store URL, defaulting to the embedded SQLite file under ``data_dir``."""
        return self.store or f"sqlite:///{self.data_dir / 'janmat.db'}"

    @property
    def spool_dir(self) -> Path:
        """Durable local spool for mentions a search engine could not take yet."""
        return self.data_dir / "spool"

    @property
    def state_dir(self) -> Path:
        """Crawl and collector state (seen URLs, cursors, Scrapy JOBDIRs)."""
        return self.data_dir / "state"

    @property
    def http_user_agent(self) -> str:
        """The User-Agent every crawler and collector sends: honest, with a contact URL."""
        return self.user_agent.format(contact_url=self.contact_url)


@lru_cache(maxsize=1)
def get_settings() -> JanmatSettings:
    """The process-wide settings, read once from the environment."""
    return JanmatSettings()
