"""All configuration in one place, in sections: environment variables ``JANMAT_*`` (and an optional ``.env`` file).

Each section is read from its own variables (``JANMAT_STORE_*``, ``JANMAT_CRAWL_*``, …). Names used before the
sections existed (``JANMAT_STORE``, ``JANMAT_REDIS_URL``, ``JANMAT_OPENSEARCH_HEAP``, …) are still accepted;
``docs/configuration.md`` lists every variable. Secrets are read only from the environment, never logged.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from platformdirs import user_data_dir
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_TAGGERS = ("language", "districts", "schemes", "scheme_candidates", "sentiment", "entities",
                   "misinformation")
"""The NLP stage's taggers in the order they run (``JANMAT_NLP_TAGGERS``); each is registered in ``nlp``."""


def default_data_dir() -> Path:
    """Where Janmat keeps its embedded store, spool and crawl state unless told otherwise."""
    return Path(user_data_dir("janmat", appauthor=False))


def _env(*names: str) -> Any:
    """A field read from the first of these environment variables that is set (new name first, then old)."""
    return AliasChoices(*names)


def _section(prefix: str) -> SettingsConfigDict:
    # enable_decoding=False: list and object values are decoded by _Section._json, which names a bad one clearly
    return SettingsConfigDict(env_prefix=prefix, env_file=".env", extra="ignore", populate_by_name=True,
                              use_attribute_docstrings=True, enable_decoding=False)


TcpPort = Annotated[int, Field(ge=1, le=65535)]
"""A TCP port number; ``janmat serve --port`` is checked against it too."""


def _json_kind(annotation: Any) -> type | None:
    """``list`` or ``dict`` when a field holds one (the environment gives it as JSON), else None."""
    origin = get_origin(annotation) or annotation
    if origin in (Union, UnionType):
        return next((kind for arg in get_args(annotation) if (kind := _json_kind(arg))), None)
    return origin if origin in (list, dict) else None


def _json_problem(value: str, kind: type, exc: json.JSONDecodeError) -> str:
    """Why ``value`` is not the JSON list or object a setting needs, and how to write it."""
    if kind is list and not value.lstrip().startswith(("[", "{", '"')) and value.strip():
        words = [word.strip() for word in value.split(",") if word.strip()]
        return f"not valid JSON; write it as {json.dumps(words, ensure_ascii=False)}"
    example = 'list such as ["a", "b"]' if kind is list else 'object such as {"name": "value"}'
    return f"not valid JSON ({exc.msg} at column {exc.colno}); write a JSON {example}"


class _Section(BaseSettings):
    """A settings section: list and object values are read as JSON, and one that is not is a validation error
    naming the variable (never pydantic-settings' ``SettingsError``, which names neither variable nor fix)."""

    @field_validator("*", mode="before")
    @classmethod
    def _json(cls, value: Any, info: ValidationInfo) -> Any:
        kind = _json_kind(cls.model_fields[str(info.field_name)].annotation)
        if kind is None or not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(_json_problem(value, kind, exc)) from None


class CoreSettings(_Section):
    """Where data lives, logging, and the language of user-facing text (``JANMAT_*``)."""

    model_config = _section("JANMAT_")

    data_dir: Path = Field(default_factory=default_data_dir)
    """Embedded store, spool, crawl and collector state."""
    ui_lang: str = "en"
    """Language of user-facing text: ``en`` or ``hi``."""
    log_level: str = "INFO"
    """Lowest level of log record written: ``DEBUG``, ``INFO``, ``WARNING`` or ``ERROR``."""
    log_json: bool = False
    """Write logs as one JSON object per line (for a log shipper) instead of readable text."""
    max_text_chars: int = Field(default=200_000, ge=1_000)
    """Longest mention text kept (``JANMAT_MAX_TEXT_CHARS``); longer texts are cut at a word boundary and the cut is
    recorded on the mention (``text_truncated_from``). News stories run to ~30,000 characters."""
    # the floor is janmat.core.mention.SHORTEST_TEXT_CAP: shorter texts skip the look-up of this setting

    @field_validator("ui_lang")
    @classmethod
    def _ui_lang(cls, value: str) -> str:
        if value not in ("en", "hi"):
            raise ValueError(f"en or hi, not {value!r}")
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.strip().upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError(f"DEBUG, INFO, WARNING or ERROR, not {value!r}")
        return value.strip().upper()


class StoreSettings(_Section):
    """The mention store (``JANMAT_STORE_*``): the embedded SQLite file or a search-engine cluster."""

    model_config = _section("JANMAT_STORE_")

    url: str | None = Field(default=None, validation_alias=_env("JANMAT_STORE_URL", "JANMAT_STORE"))
    """``sqlite:///PATH``, ``opensearch+http(s)://HOST:PORT`` or ``elasticsearch+http(s)://…``. Unset means the
    embedded SQLite store at ``<data_dir>/janmat.db``."""
    backends: dict[str, str] = Field(default_factory=dict)
    """More store backends by URL scheme, as dotted paths (JSON object, e.g. ``{"memory":
    "mypackage.stores.MemoryStore.from_url"}``); they add to or replace the built-in ones in
    ``janmat.store.backends``."""
    username: str | None = None
    """User for HTTP basic authentication to the search engine."""
    password: SecretStr | None = None
    """Password of ``username`` (environment only)."""
    api_key: SecretStr | None = None
    """Engine API key (sent as ``Authorization: ApiKey …``); used instead of username and password when set."""
    ca_bundle: Path | None = None
    """PEM file of the certificate authority that signed the engine's TLS certificate (default: the system's)."""
    index_prefix: str = Field(default="janmat", validation_alias=_env("JANMAT_STORE_INDEX_PREFIX",
                                                                       "JANMAT_INDEX_PREFIX"))
    """Names of the engine indices, alias, templates and policies start with it (``janmat-mentions-2026.03``)."""
    timeout_seconds: float = 30.0
    """Longest one request to the search engine may take, in seconds."""
    retry_attempts: int = 3
    """Tries per bulk request to a search engine (backoff doubles) before its mentions go to the spool."""
    retry_backoff_seconds: float = 0.5
    """First wait between tries of a bulk request, in seconds; it doubles per try."""
    bulk_chunk: int = Field(default=1000, ge=1)
    """Mentions per bulk request to a search engine. Documents run from ~4 KB (a post or short item) to ~14 KB (a
    400-word story), so 1,000 make a 4–14 MB request, about the 5–15 MB the engines' tuning guides suggest; 500
    per request indexed ~10 % slower into a local OpenSearch node (``benchmarks/index.py``'s generated mentions)."""
    batch: int = Field(default=200, ge=1)
    """Items the pipeline runs through its stages, and so writes to the store, at a time."""
    sqlite_busy_timeout_seconds: float = Field(default=30.0, ge=0)
    """How long a write to the embedded SQLite store waits for another process's write lock."""
    sqlite_write_attempts: int = Field(default=5, ge=1)
    """Tries of a batch write while another process holds the SQLite file, before its mentions count as failed."""


class CrawlSettings(_Section):
    """The news crawlers (``JANMAT_CRAWL_*``). Each also has a Scrapy setting of the same meaning (``-s``)."""

    model_config = _section("JANMAT_CRAWL_")

    redis_url: str | None = Field(default=None, validation_alias=_env("JANMAT_CRAWL_REDIS_URL", "JANMAT_REDIS_URL"))
    """When set, crawl processes share one frontier through scrapy-redis."""
    user_agent: str = Field(default="JanmatBot/0.1 (+{contact_url})",
                            validation_alias=_env("JANMAT_CRAWL_USER_AGENT", "JANMAT_USER_AGENT"))
    """User-Agent of every request the crawlers and collectors send; ``{contact_url}`` is filled in so site owners
    can reach the operator."""
    contact_url: str = Field(default="https://github.com/janmat-project/janmat",
                             validation_alias=_env("JANMAT_CRAWL_CONTACT_URL", "JANMAT_CONTACT_URL"))
    """Where a site owner can reach whoever runs this crawler; set it to your own page in production."""
    retry_backoff_base: float = Field(default=1.0, gt=0)
    """First retry delay in seconds (Scrapy ``JANMAT_RETRY_BACKOFF_BASE``); it doubles per try."""
    retry_backoff_max: float = Field(default=60.0, gt=0)
    """Longest retry delay (Scrapy ``JANMAT_RETRY_BACKOFF_MAX``)."""
    retry_after_max: float = Field(default=120.0, ge=0)
    """Longest ``Retry-After`` honoured in seconds (Scrapy ``JANMAT_RETRY_AFTER_MAX``). A server asking for a longer
    wait gets none of this run: the source is deferred to its next run and the crawl report says so."""
    listing_links_max: int = Field(default=200, ge=0)
    """New article links followed per listing page (Scrapy ``JANMAT_LISTING_LINKS_MAX``; 0: no cap). A section
    page lists 20–100 stories; the rest of a longer one waits for the next run."""
    source_pages_max: int = Field(default=1000, ge=0)
    """Pages fetched per source per run, retries not counted (Scrapy ``JANMAT_SOURCE_PAGES_MAX``; 0: no cap); what
    is over it waits for the next run. With Redis, per crawler process."""
    download_timeout: float = Field(default=15.0, gt=0)
    """Longest one page download may take, in seconds (Scrapy ``DOWNLOAD_TIMEOUT``). It also bounds a graceful
    stop: a SIGTERM waits only for pages already being transferred."""
    frontier_idle_seconds: float = Field(default=8.0, ge=0)
    """How long a worker on a shared Redis frontier waits for new requests before it stops
    (Scrapy ``JANMAT_FRONTIER_IDLE_SECONDS``)."""


class CollectorSettings(_Section):
    """The platform collectors (``JANMAT_COLLECTOR_*``; credentials under their platform's name)."""

    model_config = _section("JANMAT_COLLECTOR_")

    x_bearer_token: SecretStr | None = Field(default=None, validation_alias=_env("JANMAT_X_BEARER_TOKEN"))
    """X API v2 app bearer token (environment only); without it the X collector does not run."""
    youtube_api_key: SecretStr | None = Field(default=None, validation_alias=_env("JANMAT_YOUTUBE_API_KEY"))
    """YouTube Data API v3 key (environment only); without it the YouTube collector does not run."""
    facebook_page_token: SecretStr | None = Field(default=None, validation_alias=_env("JANMAT_FACEBOOK_PAGE_TOKEN"))
    """Facebook Graph API page access token (environment only); without it the Facebook collector does not run."""
    # Base URLs name the real hosts; tests point them at 127.0.0.1.
    x_api_base: str = Field(default="https://api.x.com", validation_alias=_env("JANMAT_X_API_BASE"))
    """Root of the X API."""
    youtube_api_base: str = Field(default="https://www.googleapis.com/youtube/v3",
                                  validation_alias=_env("JANMAT_YOUTUBE_API_BASE"))
    """Root of the YouTube Data API v3."""
    facebook_graph_base: str = Field(default="https://graph.facebook.com/v23.0",
                                     validation_alias=_env("JANMAT_FACEBOOK_GRAPH_BASE"))
    """Versioned Graph API root; bump the version here when Meta retires it."""
    telegram_base: str = Field(default="https://t.me", validation_alias=_env("JANMAT_TELEGRAM_BASE"))
    """Root of Telegram's public channel previews (``/s/<channel>``)."""
    gnews_base: str = Field(default="https://news.google.com", validation_alias=_env("JANMAT_GNEWS_BASE"))
    """Root of Google News search RSS."""
    watchlist: Path | None = Field(default=None, validation_alias=_env("JANMAT_COLLECTOR_WATCHLIST",
                                                                       "JANMAT_WATCHLIST"))
    """YAML file of extra keywords, accounts, pages, channels and fact-check feeds (default: the bundled one)."""
    open_web: bool = Field(default=False, validation_alias=_env("JANMAT_COLLECTOR_OPEN_WEB",
                                                                "JANMAT_COLLECT_OPEN_WEB"))
    """Let the collectors that need no credentials (Google News, fact-check feeds, Telegram previews) go online."""
    x_query_max_chars: int = Field(default=512, validation_alias=_env("JANMAT_X_QUERY_MAX_CHARS"))
    """X recent-search query length limit of the account's access level (512 standard, 4096 Pro)."""
    youtube_daily_quota: int = Field(default=10_000, validation_alias=_env("JANMAT_YOUTUBE_DAILY_QUOTA"))
    """YouTube Data API units Janmat may spend per Pacific-time day (the project's default allocation)."""
    first_run_days: int = Field(default=3, validation_alias=_env("JANMAT_COLLECTOR_FIRST_RUN_DAYS",
                                                                 "JANMAT_COLLECT_FIRST_RUN_DAYS"))
    """How far back a collector looks the first time it runs a query (X recent search reaches 7 days)."""
    max_wait_seconds: float = 900.0
    """Longest a collector sleeps for a rate-limit reset before it stops and leaves the rest to the next run."""
    timeout_seconds: float = 30.0
    """Longest one request to a platform API may take, in seconds."""
    retry_attempts: int = 4
    """Tries of a failed platform request (connection error, 5xx) before the collector reports the error."""
    retry_backoff_seconds: float = 1.0
    """First wait between tries, in seconds; it doubles per try."""
    enabled: list[str] | None = None
    """Collector names ``janmat collect run`` runs by default, in order (default: every registered collector)."""


class NlpSettings(_Section):
    """The NLP stage (``JANMAT_NLP_*``): which taggers run, and their knobs."""

    model_config = _section("JANMAT_NLP_")

    taggers: list[str] = Field(default_factory=lambda: list(DEFAULT_TAGGERS))
    """Registered tagger names in the order they run (JSON list, e.g. ``["language", "districts"]``)."""
    tagger_modules: list[str] = Field(default_factory=list)
    """Modules imported so that the taggers they register can be listed in ``taggers``: for a tagger kept outside
    ``nlp/`` (JSON list of module names). A tagger ``NAME`` in ``nlp/NAME.py`` needs no entry here."""
    tagger_options: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Keyword options for a tagger's constructor, by tagger name (JSON object), e.g.
    ``{"sentiment": {"model": "/srv/models/sentiment.joblib"}}``."""
    near_dup_threshold: float = Field(default=0.5, gt=0.0, le=1.0,
                                      validation_alias=_env("JANMAT_NLP_NEAR_DUP_THRESHOLD",
                                                            "JANMAT_NEAR_DUP_THRESHOLD"))
    """Estimated Jaccard similarity of word 3-shingles at which two mentions share a near-duplicate cluster."""
    shared_data: Path | None = Field(default=None, validation_alias=_env("JANMAT_NLP_SHARED_DATA",
                                                                         "JANMAT_SHARED_DATA"))
    """The reference data folder (holding ``nlp/`` and ``eval/``) that ``janmat train`` reads
    when ``--data`` is not given. Nothing else in the product reads it."""
    sentiment_model: str = Field(default="janmat-tone", validation_alias=_env("JANMAT_NLP_SENTIMENT_MODEL",
                                                                              "JANMAT_SENTIMENT_MODEL"))
    """The tone model the ``sentiment`` tagger runs: ``janmat-tone`` (trained partly on research-only data),
    ``janmat-tone-open`` (trained only on data Janmat may redistribute: the one a production deployment should
    run), or a path: a model file, or a folder holding ``sentiment.joblib``, written by ``janmat train sentiment``,
    or a local Hugging Face model folder (the ``transformer`` extra; ``docs/tone.md``). The tagger option
    ``{"sentiment": {"model": …}}`` wins over it."""


class WebUser(BaseModel):
    """One account of the web app: an Argon2 password hash (``janmat.web.auth.hash_password``) and a role."""

    password_hash: SecretStr
    role: str = "viewer"

    @field_validator("role")
    @classmethod
    def _role(cls, value: str) -> str:
        if value not in ("viewer", "analyst", "admin"):
            raise ValueError(f"viewer, analyst or admin, not {value!r}")
        return value


class WebSettings(_Section):
    """The web service (``JANMAT_WEB_*``): where it listens, who may use it, and its limits."""

    model_config = _section("JANMAT_WEB_")

    host: str = "127.0.0.1"
    """Address the web service listens on; any but a loopback address requires ``users``."""
    port: TcpPort = 8765
    """TCP port of the web service."""
    users: dict[str, WebUser] = Field(default_factory=dict)
    """Accounts (JSON object, from the environment only): ``{"asha": {"password_hash": "$argon2id$…", "role":
    "analyst"}}``. With none, only the local machine may connect and every request acts as ``local_role``."""
    local_role: str = "analyst"
    """The role of requests on a loopback-only service without accounts."""
    rate_limit: str = "300/minute"
    """Requests per client address (a ``limits`` rate string such as ``300/minute``); more get 429."""
    max_body_bytes: int = Field(default=65_536, ge=1_024)
    """Largest request body accepted (a correction form is well under 4 KB); more gets 413."""
    map_min_n: int = Field(default=10, ge=1)
    """Districts with fewer mentions than this are greyed on the overview map (their share is too uncertain)."""
    docs: bool = True
    """Serve the API documentation at ``/docs`` (its assets are local, from the swagger-ui-bundle package)."""
    audit_log: Path | None = None
    """Append-only log of corrections (JSON lines); unset means ``<data_dir>/audit.jsonl``."""

    @field_validator("local_role")
    @classmethod
    def _local_role(cls, value: str) -> str:
        return WebUser._role(value)


class DashboardSettings(_Section):
    """Kibana / OpenSearch Dashboards, for ``janmat dashboards import|export --url`` (``JANMAT_DASHBOARDS_*``)."""

    model_config = _section("JANMAT_DASHBOARDS_")

    username: str | None = None
    """User for HTTP basic authentication to Kibana / OpenSearch Dashboards."""
    password: SecretStr | None = None
    """Password of ``username`` (environment only)."""
    api_key: SecretStr | None = None
    """Kibana API key (sent as ``Authorization: ApiKey …``); used instead of username and password when set."""


class EngineSettings(_Section):
    """Local search-engine nodes started by ``janmat engine start``, for tests, CI and demos (``JANMAT_ENGINE_*``)."""

    model_config = _section("JANMAT_ENGINE_")

    dir: Path | None = None
    """The engines' run dir (builds, data, logs, pid files); unset means the user cache dir."""
    src: Path | None = Field(default=None, validation_alias=_env("JANMAT_ENGINE_SRC", "JANMAT_ENGINES_SRC"))
    """The ``engines/`` folder with the Maven projects; unset means the one beside the ``janmat`` package."""
    start_timeout: float = Field(default=180.0, gt=0)
    """Seconds to wait for a started node to answer healthy."""
    opensearch_java_home: Path = Field(default=Path("/usr/lib/jvm/java-17-openjdk-amd64"),
                                       validation_alias=_env("JANMAT_ENGINE_OPENSEARCH_JAVA_HOME",
                                                             "JANMAT_OPENSEARCH_JAVA_HOME"))
    """A JDK 17 for the OpenSearch node."""
    elasticsearch_java_home: Path = Field(default=Path("/usr/lib/jvm/temurin-25-jdk-amd64"),
                                          validation_alias=_env("JANMAT_ENGINE_ELASTICSEARCH_JAVA_HOME",
                                                                "JANMAT_ELASTICSEARCH_JAVA_HOME"))
    """A JDK 21 or newer for the Elasticsearch node."""
    opensearch_heap: str = Field(default="1g", validation_alias=_env("JANMAT_ENGINE_OPENSEARCH_HEAP",
                                                                     "JANMAT_OPENSEARCH_HEAP"))
    """JVM heap of the OpenSearch node (``-Xms``/``-Xmx``), e.g. ``1g`` or ``512m``."""
    elasticsearch_heap: str = Field(default="512m", validation_alias=_env("JANMAT_ENGINE_ELASTICSEARCH_HEAP",
                                                                          "JANMAT_ELASTICSEARCH_HEAP"))
    """JVM heap of the Elasticsearch node."""
    elasticsearch_user: str = Field(default="janmat-es", validation_alias=_env("JANMAT_ENGINE_ELASTICSEARCH_USER",
                                                                               "JANMAT_ELASTICSEARCH_USER"))
    """The system account the Elasticsearch node runs as when Janmat runs as root (ES refuses root)."""

    @field_validator("opensearch_heap", "elasticsearch_heap")
    @classmethod
    def _jvm_size(cls, value: str) -> str:
        if not re.fullmatch(r"[1-9][0-9]*[kKmMgG]?", value.strip()):
            raise ValueError(f"a JVM heap size such as 1g or 512m, not {value!r}")
        return value.strip()


class AlertSettings(_Section):
    """Standing queries and spike detection (``JANMAT_ALERTS_*``): how sensitive spikes are, cool-downs, windows.

    Durations are written like ``30m``, ``2h``, ``7d``. ``docs/alerts.md`` explains the test and the baseline.
    """

    model_config = _section("JANMAT_ALERTS_")

    p_value: float = Field(default=1e-5, gt=0, lt=0.5)
    """Sensitivity: a window spikes when its count (Poisson tail) or its negative share (binomial tail) is this
    unlikely under the baseline. Smaller is less sensitive."""
    min_count: int = Field(default=8, ge=1)
    """Fewest mentions (and, for a tone spike, fewest negative ones) in a window before it can spike, so a quiet
    district does not alert on two posts."""
    min_ratio: float = Field(default=3.0, ge=1.0)
    """A volume spike needs at least this many times the baseline count."""
    min_share_rise: float = Field(default=0.2, ge=0.0, le=1.0)
    """A tone spike needs the negative share this far above its baseline share (0.2 = 20 points)."""
    window: str = "1h"
    """Length of a spike window."""
    step: str = "15m"
    """Spike windows start every ``step`` (sliding windows on a fixed grid, so a window's id is stable)."""
    history_days: int = Field(default=7, ge=1, le=60)
    """Days before a window that its baseline is estimated from (medians over the days, robust to past spikes)."""
    min_history: str = "24h"
    """No spike is judged before the store holds this much history before the window (no baseline yet)."""
    baseline_floor: float = Field(default=0.1, gt=0)
    """The smallest expected count of a window, so a series never seen before is not infinitely surprising."""
    cooldown: str = "3h"
    """Cool-down of the built-in spike rules and of a rule that gives none: one alert per rule and district /
    scheme (per rule for a standing query) within it."""
    story_window: str = "24h"
    """A story (near-duplicate cluster) fires one standing query at most once within this."""
    catchup: str = "3h"
    """A live spike evaluation looks at windows ending this far back (a monitor back after a short outage still
    alerts; older spikes are for ``janmat alerts backtest``)."""
    match_max_age: str = "24h"
    """A standing query fires live only for mentions published this recently (a backfill of old news is quiet)."""
    rules_refresh_seconds: float = Field(default=30.0, ge=0)
    """How long the alert stage keeps the rules it read before reading them again."""
    spikes_after_run: bool = True
    """The alert stage evaluates spikes at the end of each pipeline run (``janmat ingest``, a crawl, a collector
    run), besides the monitor's timer."""

    @field_validator("window", "step", "min_history", "cooldown", "story_window", "catchup", "match_max_age")
    @classmethod
    def _duration(cls, value: str) -> str:
        if not re.fullmatch(r"\s*[0-9\u0966-\u096f]+\s*[smhdw]\s*", value or ""):
            raise ValueError(f"a duration such as 30m, 2h or 7d, not {value!r}")
        return value.strip()


class NotifySettings(_Section):
    """Alert notifications (``JANMAT_NOTIFY_*``): channels, recipients, message language and retries.

    A rule's ``channels`` chooses among the channels configured here; secrets come only from the environment.
    """

    model_config = _section("JANMAT_NOTIFY_")

    channels: list[str] = Field(default_factory=list)
    """Channels for an alert whose rule names none (JSON list of ``webhook``, ``email``, ``telegram``); empty means
    every channel configured below."""
    language: str = "hi"
    """Language of the messages: ``hi`` (default) or ``en``."""
    web_base_url: str | None = None
    """Root of the web app that messages link to (``https://janmat.example.gov.in``); unset means the local service
    at ``http://JANMAT_WEB_HOST:JANMAT_WEB_PORT``."""
    outbox: Path | None = None
    """The outbox SQLite file; unset means ``<data_dir>/outbox.sqlite``."""
    timeout_seconds: float = Field(default=20.0, gt=0)
    """Longest wait for one webhook, SMTP or Telegram exchange."""
    webhook_urls: list[str] = Field(default_factory=list)
    """Where webhook alerts are POSTed (JSON list of http(s) URLs)."""
    webhook_secret: SecretStr | None = None
    """Key of the ``X-Janmat-Signature`` HMAC-SHA256 header; unset sends no signature."""
    smtp_host: str | None = None
    """The mail server e-mail alerts go through."""
    smtp_port: int | None = Field(default=None, ge=1, le=65535)
    """Unset means 587 with ``starttls``, 465 with ``ssl``, 25 with ``none``."""
    smtp_security: str = "starttls"
    """``starttls``, ``ssl`` (implicit TLS) or ``none`` (a local relay only)."""
    smtp_username: str | None = None
    """Login at the mail server; unset sends without logging in."""
    smtp_password: SecretStr | None = None
    """Password of ``smtp_username`` (environment only)."""
    smtp_from: str | None = None
    """Sender address; unset means ``smtp_username``."""
    smtp_to: list[str] = Field(default_factory=list)
    """Recipients of e-mail alerts (JSON list of addresses)."""
    smtp_ca_bundle: Path | None = None
    """CA certificates to trust for a relay with a private certificate; unset means the system's."""
    telegram_api_base: str = "https://api.telegram.org"
    """The Bot API root (tests point it at 127.0.0.1)."""
    telegram_bot_token: SecretStr | None = None
    """The bot's token from @BotFather (environment only; never logged: it is part of the API URL)."""
    telegram_chat_ids: list[str] = Field(default_factory=list)
    """Chats, groups or channels the bot posts to (JSON list: numeric ids or ``@channelname``)."""
    retry_backoff_seconds: float = Field(default=30.0, gt=0)
    """Wait before the second try of a delivery; it doubles per failed try."""
    retry_backoff_max_seconds: float = Field(default=3600.0, gt=0)
    """Longest wait between two tries of a delivery."""
    max_attempts: int = Field(default=60, ge=1)
    """Tries of one delivery before it is given up (and reported as failed); with the default backoff, 60 tries
    span about as long as ``max_age_hours``."""
    max_age_hours: float = Field(default=48.0, gt=0)
    """An alert not delivered this long after it was queued is given up (and reported as failed)."""
    lease_seconds: float = Field(default=300.0, gt=0)
    """How long a delivery taken by one process is left alone by others; a crashed sender's rows are retried after
    it."""

    @field_validator("channels")
    @classmethod
    def _channels(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in ("webhook", "email", "telegram")]
        if unknown:
            raise ValueError(f"webhook, email or telegram, not {', '.join(map(repr, unknown))}")
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        return CoreSettings._ui_lang(value)

    @field_validator("smtp_security")
    @classmethod
    def _smtp_security(cls, value: str) -> str:
        if value not in ("starttls", "ssl", "none"):
            raise ValueError(f"starttls, ssl or none, not {value!r}")
        return value

    @field_validator("webhook_urls", "telegram_api_base", "web_base_url")
    @classmethod
    def _http_urls(cls, value: str | list[str] | None) -> str | list[str] | None:
        for url in [value] if isinstance(value, str) else value or []:
            if not re.match(r"https?://[^/\s]+", url):
                raise ValueError(f"an http(s) URL, not {url!r}")
        return value


class MonitorSettings(_Section):
    """``janmat monitor``, the long-running service (``JANMAT_MONITOR_*``): schedules, roles, shutdown, metrics."""

    model_config = _section("JANMAT_MONITOR_")

    registry: Path | None = None
    """The source registry the crawl role polls; unset means the bundled ``crawlers/sources.yaml``."""
    crawl_interval_seconds: float | None = Field(default=None, gt=0)
    """Poll every source this often instead of its registry ``crawl_interval_minutes`` (a busy news day, tests,
    benchmarks); unset keeps each source's own interval."""
    crawl_spider: Literal["news", "feeds", "sitemaps", "listings"] = "news"
    """The spider a source is crawled with: ``news`` (feeds + sitemaps + listings), ``feeds``, ``sitemaps`` or
    ``listings``."""
    crawl_settings: dict[str, str] = Field(default_factory=dict)
    """Scrapy settings for the monitor's crawls (JSON object, e.g. ``{"DOWNLOAD_DELAY": "2"}``)."""
    crawl_timeout_minutes: float = Field(default=30.0, gt=0)
    """A crawl still running after this long is stopped gracefully; its next run resumes its queue."""
    crawl_workers: int = Field(default=2, ge=1)
    """Crawls (child processes) running at the same time."""
    inbox_interval_seconds: float = Field(default=2.0, gt=0)
    """How often the crawl role looks in its inbox for what the crawl children fetched, to enrich, store and alert
    on it (an empty inbox costs one file check)."""
    probe: bool = True
    """Before starting a crawl of a source that has only feeds and news sitemaps, ask each of them "changed
    since?" with the validators of the last finished crawl; when none changed, no crawl process is started."""
    collect_interval_minutes: float = Field(default=15.0, gt=0)
    """How often each platform collector runs."""
    collector_intervals: dict[str, float] = Field(default_factory=dict)
    """Minutes per collector name, overriding ``collect_interval_minutes`` (JSON object, e.g. ``{"x": 5}``)."""
    deliver_interval_seconds: float = Field(default=5.0, gt=0)
    """How often the alert role sends what waits in the notification outbox (an empty outbox costs one file
    check; this interval is most of the delay between an alert firing and its notification)."""
    spike_interval_seconds: float = Field(default=300.0, gt=0)
    """How often the alert role evaluates spike rules."""
    lease_seconds: float = Field(default=60.0, ge=5)
    """A running job's lock lasts this long and is renewed every third of it; a monitor that died frees its jobs
    after it."""
    shutdown_seconds: float = Field(default=25.0, gt=0)
    """On SIGTERM, how long running jobs get to finish (child crawls get SIGTERM and save their queue) before the
    monitor exits anyway."""
    metrics_host: str = "127.0.0.1"
    """Address of the Prometheus metrics endpoint."""
    metrics_port: int = Field(default=9464, ge=0, le=65535)
    """Port of the Prometheus metrics endpoint (``/metrics``); 0 turns it off."""


class ClaimSettings(_Section):
    """Known claims and their spread (``JANMAT_CLAIMS_*``): when a claim counts as spreading and raises an alert.

    A claim starts spreading when, within one window, it is repeated in at least ``spread_min_mentions`` mentions
    from at least ``spread_min_sources`` outlets or accounts (its matched mentions and their near-duplicates;
    fact-checks and rebuttals do not count). ``docs/claims.md`` describes the tracker.
    """

    model_config = _section("JANMAT_CLAIMS_")

    spread_window_minutes: float = Field(default=60.0, gt=0)
    """The window the spread is counted in, ending at each check."""
    spread_min_mentions: int = Field(default=5, ge=1)
    """Fewest mentions repeating a claim within the window before it counts as spreading."""
    spread_min_sources: int = Field(default=3, ge=1)
    """Fewest distinct outlets or accounts among them (one account posting five times is not spread)."""
    spread_statuses: list[str] = Field(default_factory=lambda: ["false", "misleading"])
    """Statuses of the claims whose spread raises an alert (JSON list)."""
    spread_quiet_hours: float = Field(default=24.0, ge=0)
    """After an alert, the same claim raises no new one for this long, however much it keeps spreading."""
    spread_check_seconds: float = Field(default=300.0, gt=0)
    """How often the monitor checks for spreading claims (``janmat.alerts.claim_spread.check_claim_spread``)."""

    @field_validator("spread_statuses")
    @classmethod
    def _statuses(cls, value: list[str]) -> list[str]:
        unknown = [status for status in value if status not in ("false", "misleading", "true", "unverified")]
        if unknown:
            raise ValueError(f"false, misleading, true or unverified, not {', '.join(map(repr, unknown))}")
        return value


class BriefSettings(_Section):
    """The daily brief, ``janmat brief`` (``JANMAT_BRIEF_*``): its language, what it lists, and the browser that
    prints it to PDF."""

    model_config = _section("JANMAT_BRIEF_")

    language: str = "hi"
    """Language of the brief: ``hi`` (default) or ``en``."""
    chromium: Path | None = None
    """The Chromium (or Chrome) executable that prints the PDF; unset means ``chromium`` on the PATH."""
    schemes: int = Field(default=8, ge=1)
    """Schemes shown, most mentioned first."""
    claims: int = Field(default=6, ge=1)
    """Spreading claims shown, most repeated first."""
    notable: int = Field(default=6, ge=1)
    """Notable posts shown, most engagement first."""
    spike_p_value: float = Field(default=0.01, gt=0, lt=0.5)
    """A district's negative mentions of the day spike when a count this high is this unlikely (Poisson) at its
    average of the week before."""
    spike_min_negative: int = Field(default=3, ge=1)
    """Fewest negative mentions of the day before a district can spike."""

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        return CoreSettings._ui_lang(value)


class PrivacySettings(_Section):
    """Personal data in collected text (``JANMAT_PRIVACY_*``); see ``docs/data-protection.md``."""

    model_config = _section("JANMAT_PRIVACY_")

    mask_personal_data: bool = True
    """Mask Aadhaar numbers, Indian mobile numbers and e-mail addresses in the title and text of mentions from
    ``mask_platforms`` before anything stores or indexes them (the pipeline's ``mask`` stage)."""
    mask_platforms: list[str] = Field(default_factory=lambda: ["x", "youtube", "facebook", "telegram", "other"])
    """Platforms whose posts and comments are masked (JSON list); add ``news``, ``gnews`` and ``factcheck`` to
    mask published articles too."""


class RetentionSettings(_Section):
    """How long mentions are kept (``JANMAT_RETENTION_*``); ``janmat retention apply`` enforces it."""

    model_config = _section("JANMAT_RETENTION_")

    max_age_days: int = Field(default=365, ge=1, le=36500)
    """Mentions older than this many days are deleted (SQLite by date; engines whole month indices, and the ISM /
    ILM policy deletes a month index this many days after it was created)."""


class JanmatSettings(BaseModel):
    """Janmat's settings, one section per part of the product. Build with ``get_settings()``."""

    model_config = ConfigDict(frozen=True)

    core: CoreSettings = Field(default_factory=CoreSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    crawl: CrawlSettings = Field(default_factory=CrawlSettings)
    collectors: CollectorSettings = Field(default_factory=CollectorSettings)
    nlp: NlpSettings = Field(default_factory=NlpSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    dashboards: DashboardSettings = Field(default_factory=DashboardSettings)
    engines: EngineSettings = Field(default_factory=EngineSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    notify: NotifySettings = Field(default_factory=NotifySettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    monitor: MonitorSettings = Field(default_factory=MonitorSettings)
    claims: ClaimSettings = Field(default_factory=ClaimSettings)
    brief: BriefSettings = Field(default_factory=BriefSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)

    @property
    def data_dir(self) -> Path:
        """Where the embedded store, spool and state live."""
        return self.core.data_dir

    @property
    def store_url(self) -> str:
        """The effective store URL, defaulting to the embedded SQLite file under ``data_dir``."""
        return self.store.url or f"sqlite:///{self.data_dir / 'janmat.db'}"

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
        return self.crawl.user_agent.format(contact_url=self.crawl.contact_url)


@lru_cache(maxsize=1)
def get_settings() -> JanmatSettings:
    """The process-wide settings, read once from the environment."""
    return JanmatSettings()
