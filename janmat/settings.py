"""All configuration in one place: environment variables ``JANMAT_*`` (and an optional ``.env`` file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, SecretStr
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

    redis_url: str | None = None
    """When set, crawls share one frontier through scrapy-redis."""
    user_agent: str = "JanmatBot/0.1 (+{contact_url})"
    contact_url: str = "https://github.com/janmat-project/janmat"
    ui_lang: str = "en"
    """Language of user-facing text: ``en`` or ``hi``."""
    log_level: str = "INFO"
    log_json: bool = False

    x_bearer_token: SecretStr | None = None
    youtube_api_key: SecretStr | None = None
    facebook_page_token: SecretStr | None = None

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
