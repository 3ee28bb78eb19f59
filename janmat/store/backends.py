"""Store backends by URL scheme: ``open_store(url)`` looks the URL's scheme up and opens the backend it names.

As with Scrapy's ``FEED_STORAGES``, each scheme maps to a dotted path, imported only when a URL uses it. The
path names a callable that takes the store URL and returns a ``MentionStore``: a function, or a ``MentionStore``
subclass's classmethod (``"mypackage.stores.MemoryStore.from_url"``). More schemes, or other backends for these,
come from ``JANMAT_STORE_BACKENDS``: a JSON object such as ``{"memory": "mypackage.stores.MemoryStore.from_url"}``.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from janmat.core.errors import ConfigError
from janmat.core.settings import JanmatSettings, get_settings
from janmat.store.base import MentionStore

_ENGINE = "janmat.store.engine.open_engine_store"

STORE_BACKENDS: dict[str, str] = {
    "sqlite": "janmat.store.backends.open_sqlite_store",
    "opensearch+http": _ENGINE,
    "opensearch+https": _ENGINE,
    "elasticsearch+http": _ENGINE,
    "elasticsearch+https": _ENGINE,
}
"""The built-in backends: the embedded SQLite file and the two search engines."""


def store_backends(settings: JanmatSettings | None = None) -> dict[str, str]:
    """Every known scheme and its backend's dotted path: the built-in ones and those of ``JANMAT_STORE_BACKENDS``."""
    extra = (settings or get_settings()).store.backends
    return {**STORE_BACKENDS, **{scheme.lower(): path for scheme, path in extra.items()}}


def open_store(url: str | None = None) -> MentionStore:
    """Open the store a URL names (default ``JANMAT_STORE``): ``sqlite:///PATH``, ``opensearch+http(s)://…``,
    ``elasticsearch+http(s)://…`` or a scheme registered in ``JANMAT_STORE_BACKENDS``."""
    settings = get_settings()
    url = url or settings.store_url
    parts = urlsplit(url)
    backends = store_backends(settings)
    path = backends.get(parts.scheme)
    if path is None:
        shown = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()  # never echo a password
        raise ConfigError(f"unknown store URL {shown!r}: no backend for scheme {parts.scheme!r}; known schemes: "
                          f"{', '.join(sorted(backends))} (more in JANMAT_STORE_BACKENDS)")
    store = _backend(parts.scheme, path)(url)
    if not isinstance(store, MentionStore):
        raise ConfigError(f"store backend {path!r} for {parts.scheme}:// returned {type(store).__name__}, "
                          "not a MentionStore")
    return store


def _backend(scheme: str, path: str) -> Callable[[str], object]:
    try:
        found = pkgutil.resolve_name(path)
    except (ImportError, AttributeError, ValueError) as exc:
        raise ConfigError(f"store backend {path!r} for {scheme}:// cannot be imported: {exc}") from exc
    if not callable(found):
        raise ConfigError(f"store backend {path!r} for {scheme}:// is not callable")
    return found


def sqlite_path(url: str) -> Path | None:
    """The file a ``sqlite:///PATH`` URL names (``sqlite:////tmp/j.db`` and ``sqlite:///tmp/j.db`` both name
    ``/tmp/j.db``); None for any other kind of store URL."""
    if not url.startswith("sqlite:"):
        return None
    path = url.removeprefix("sqlite:").removeprefix("//")
    if not path or path == "/":
        raise ConfigError(f"store URL {url!r} has no file path; use sqlite:///PATH")
    return Path(path[1:] if path.startswith("//") else path)


def open_sqlite_store(url: str) -> MentionStore:
    """The embedded store of ``sqlite:///PATH``."""
    from janmat.store.sqlite import SQLiteStore

    path = sqlite_path(url)
    assert path is not None  # the registry routes only sqlite: URLs here
    return SQLiteStore(path)
