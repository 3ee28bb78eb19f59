"""``janmat dashboards``: put Janmat's saved objects into Kibana or OpenSearch Dashboards, export and check them.

Import and export speak the Saved Objects API both products share (``POST /api/saved_objects/_import`` with a
multipart ``file``, ``POST /api/saved_objects/_export``). Each request carries both ``kbn-xsrf`` and ``osd-xsrf``,
so one command serves either product. Credentials come from the environment only:
``JANMAT_DASHBOARDS_API_KEY`` (Kibana API key) or ``JANMAT_DASHBOARDS_USERNAME`` / ``JANMAT_DASHBOARDS_PASSWORD``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit

import httpx
import typer
from rich.table import Table

from janmat.console import clear_errors, out
from janmat.core.errors import ConfigError, InputError, JanmatError
from janmat.store.saved_objects import Problem, SavedObjects, check_static, load_saved_objects, parse_saved_objects
from janmat.store.templates import TEMPLATES_DIR

BUNDLED_SAVED_OBJECTS: Traversable = TEMPLATES_DIR / "saved_objects" / "janmat-overview.ndjson"
"""The saved objects Janmat ships, built by scripts/build_saved_objects.py."""
DASHBOARD_ID = "janmat-overview"
XSRF_HEADERS = {"kbn-xsrf": "true", "osd-xsrf": "true"}

dashboards_app = typer.Typer(
    help="Kibana / OpenSearch Dashboards: import, export and check Janmat's dashboards (saved objects).",
    no_args_is_help=True,
)

F = TypeVar("F", bound=Callable[..., Any])


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


def _print_problems(problems: list[Problem]) -> None:
    table = Table("line", "object", "problem", title="Saved-object problems / समस्याएँ")
    for problem in problems:
        table.add_row(str(problem.line), problem.object, problem.message)
    out.print(table)


def _summary(bundle: SavedObjects) -> str:
    counts = {t: len(bundle.of_type(t)) for t in ("index-pattern", "search", "visualization", "dashboard")}
    return ", ".join(f"{n} {t}" for t, n in counts.items())


FileOption = Annotated[
    Path | None, typer.Option("--file", help="NDJSON file of saved objects (default: the bundled dashboards).")
]
UrlOption = Annotated[str, typer.Option("--url", help="Kibana or OpenSearch Dashboards base URL, e.g. "
                                        "http://127.0.0.1:5601 (add /s/SPACE for a Kibana space).")]
TimeoutOption = Annotated[float, typer.Option("--timeout", help="Seconds to wait for the server.")]


@dashboards_app.command("import")
@clear_errors
def import_command(url: UrlOption, file: FileOption = None, timeout: TimeoutOption = 60.0) -> None:
    """Import the dashboards into Kibana 8 or OpenSearch Dashboards 2 (objects with the same id are replaced)."""
    path = file or bundled_saved_objects()
    answer = import_saved_objects(url, path, timeout)
    out.print(f"imported {answer.get('successCount', 0)} saved objects into {url} / "
              f"{answer.get('successCount', 0)} वस्तुएँ आयात कीं")


@dashboards_app.command("export")
@clear_errors
def export_command(
    file: Annotated[Path, typer.Argument(help="Where to write the NDJSON.")],
    url: Annotated[str | None, typer.Option("--url", help="Export from this running Kibana / Dashboards instead "
                                            "of writing the bundled file.")] = None,
    timeout: TimeoutOption = 60.0,
) -> None:
    """Write the dashboards as NDJSON: the bundled ones, or (with --url) the ones a running server holds."""
    text = export_saved_objects(url, timeout) if url else bundled_saved_objects().read_text(encoding="utf-8")
    bundle = parse_saved_objects(text)
    try:
        file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {file}: {exc}") from exc
    out.print(f"wrote {file}: {_summary(bundle)}")


@dashboards_app.command("check")
@clear_errors
def check_command(
    file: FileOption = None,
    engine: Annotated[str | None, typer.Option(
        "--engine", help="Also check against this OpenSearch or Elasticsearch node (store URL or http URL).")] = None,
    index: Annotated[str | None, typer.Option("--index", help="Index to run against instead of the pattern.")] = None,
) -> None:
    """Validate saved objects: syntax, versions, references, fields; with --engine, real results on a node."""
    path = file or bundled_saved_objects()
    bundle = load_saved_objects(path)
    problems = check_static(bundle)
    if engine and not problems:
        from janmat.store.saved_objects import check_against_engine, engine_client

        engine_problems, runs = check_against_engine(bundle, engine_client(engine), index)
        problems += engine_problems
        table = Table("object", "hits", "buckets", "now anchored at", title=f"Results on {engine}")
        for run in runs:
            table.add_row(run.object, str(run.hits), "" if run.buckets is None else str(run.buckets),
                          run.anchored_at or "")
        out.print(table)
    if problems:
        _print_problems(problems)
        raise typer.Exit(1)
    out.print(f"{path}: {_summary(bundle)} — all checks passed / सभी जाँचें सफल")
