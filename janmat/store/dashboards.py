"""Kibana and OpenSearch Dashboards: put Janmat's saved objects into a running server, or export them from it.

Import and export speak the Saved Objects API both products share (``POST /api/saved_objects/_import`` with a
multipart ``file``, ``POST /api/saved_objects/_export``). Each request carries both ``kbn-xsrf`` and ``osd-xsrf``,
so one client serves either product. Credentials come from the environment only:
``JANMAT_DASHBOARDS_API_KEY`` (Kibana API key) or ``JANMAT_DASHBOARDS_USERNAME`` / ``JANMAT_DASHBOARDS_PASSWORD``.
"""

from __future__ import annotations

import json
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from janmat.core.errors import ConfigError, InputError, JanmatError
from janmat.store.saved_objects import Problem, check_static, load_saved_objects
from janmat.store.templates import TEMPLATES_DIR

BUNDLED_SAVED_OBJECTS: Traversable = TEMPLATES_DIR / "saved_objects" / "janmat-overview.ndjson"
"""The saved objects Janmat ships, built by scripts/build_saved_objects.py."""
DASHBOARD_ID = "janmat-overview"
XSRF_HEADERS = {"kbn-xsrf": "true", "osd-xsrf": "true"}


class DashboardsError(JanmatError):
    """Kibana or OpenSearch Dashboards refused or could not be reached."""


def bundled_saved_objects() -> Traversable:
    """The shipped NDJSON; a clear error when the install does not carry it."""
    if not BUNDLED_SAVED_OBJECTS.is_file():
        raise ConfigError(f"the bundled saved objects are missing ({BUNDLED_SAVED_OBJECTS}); reinstall Janmat "
                          "or pass --file")
    return BUNDLED_SAVED_OBJECTS


def _base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigError(f"--url must be the http(s) address of Kibana or OpenSearch Dashboards, not {url!r}")
    return url.rstrip("/")


def request_headers() -> dict[str, str]:
    """The XSRF headers both products require, plus ``Authorization: ApiKey`` when an API key is configured."""
    from janmat.core.settings import get_settings

    headers = dict(XSRF_HEADERS)
    if get_settings().dashboards.api_key is not None:
        headers["Authorization"] = f"ApiKey {get_settings().dashboards.api_key.get_secret_value()}"
    return headers


def _basic_auth() -> httpx.BasicAuth | None:
    from janmat.core.settings import get_settings

    settings = get_settings()
    if settings.dashboards.api_key is not None or not settings.dashboards.username:
        return None
    password = settings.dashboards.password.get_secret_value() if settings.dashboards.password else ""
    return httpx.BasicAuth(settings.dashboards.username, password)


def _post(url: str, timeout: float, **kwargs: Any) -> httpx.Response:
    try:
        response = httpx.post(url, headers=request_headers(), auth=_basic_auth(), timeout=timeout, **kwargs)
    except httpx.HTTPError as exc:
        raise DashboardsError(f"cannot reach {url}: {exc}") from exc
    if response.status_code in {401, 403}:
        raise DashboardsError(f"{url} answered {response.status_code}: set JANMAT_DASHBOARDS_USERNAME and "
                              "JANMAT_DASHBOARDS_PASSWORD, or JANMAT_DASHBOARDS_API_KEY, for a user allowed to "
                              "manage saved objects")
    if response.status_code >= 400:
        raise DashboardsError(f"{url} answered {response.status_code}: {response.text[:500]}")
    return response


def _refuse_problems(problems: list[Problem], source: Path) -> None:
    if problems:
        listing = "\n  ".join(str(p) for p in problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise InputError(f"{source} has {len(problems)} problem(s):\n  {listing}{more}")


def import_saved_objects(url: str, path: Path | Traversable, timeout: float = 60.0) -> dict[str, Any]:
    """Check the NDJSON file, then import it with ``overwrite=true``; returns the API's answer, raises on errors."""
    bundle = load_saved_objects(path)
    _refuse_problems(check_static(bundle), path)
    endpoint = f"{_base_url(url)}/api/saved_objects/_import"
    response = _post(endpoint, timeout, params={"overwrite": "true"},
                     files={"file": (path.name, path.read_bytes(), "application/ndjson")})
    try:
        answer = response.json()
    except ValueError as exc:
        raise DashboardsError(f"{endpoint} did not answer JSON: {response.text[:200]}") from exc
    if not answer.get("success") or answer.get("errors"):
        problems = "; ".join(
            f"{e.get('type')}:{e.get('id')} {(e.get('error') or {}).get('type', '')}" for e in answer.get("errors", [])
        )
        raise DashboardsError(f"import into {url} failed for {len(answer.get('errors', []))} object(s): {problems}")
    return answer


def export_saved_objects(url: str, timeout: float = 60.0) -> str:
    """Export the Janmat dashboard and everything it references from a running Kibana / Dashboards, as NDJSON."""
    endpoint = f"{_base_url(url)}/api/saved_objects/_export"
    body = {"objects": [{"type": "dashboard", "id": DASHBOARD_ID}], "includeReferencesDeep": True,
            "excludeExportDetails": True}
    text = _post(endpoint, timeout, json=body).text
    try:
        lines = [line for line in text.splitlines() if line.strip() and "exportedCount" not in json.loads(line)]
    except ValueError as exc:
        raise DashboardsError(f"{endpoint} did not answer NDJSON: {text[:200]}") from exc
    return "\n".join(lines) + "\n"

