"""``janmat doctor``: is this installation healthy? One line per check, and one fix line for each that is not.

Checks: configuration, data folder (writable, free space), clock, store (reachable; engine kind and version),
index templates and lifecycle policy (engines), NLP models (present and loadable), Redis (when configured), and
what waits: the engine spool and the alert outbox. Exit 1 when a check fails; warnings alone exit 0.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

import typer
from pydantic import ValidationError

from janmat.cli.console import clear_errors, out
from janmat.cli.options import JsonOption, StoreOption
from janmat.core.errors import JanmatError, explain
from janmat.core.i18n import message, t

if TYPE_CHECKING:
    from janmat.store.engine import EngineStore

Status = Literal["ok", "warn", "fail"]
MIN_FREE_BYTES = 2 * 1024**3
"""Less free space than this in the data folder fails (an hour of a busy crawl plus a backup needs about that)."""
CLOCK_SLACK = timedelta(minutes=10)


@dataclass
class Check:
    """One finding: what was checked, how it went, what was seen, and how to fix it when it is not ok."""

    name: str
    status: Status
    detail: str
    fix: str = ""


def _settings_check() -> Iterator[Check]:
    from janmat.core.settings import get_settings

    try:
        settings = get_settings()
    except ValidationError as exc:
        # the UI language is itself a setting that could not be read: say the fix in both languages
        yield Check("config", "fail", explain(exc), f"{message('fix_config', 'en')} / {message('fix_config', 'hi')}")
        return
    yield Check("config", "ok", f"settings read; UI language {settings.core.ui_lang}")


def _data_dir_check() -> Iterator[Check]:
    from janmat.core.settings import get_settings

    folder = get_settings().data_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".janmat-doctor"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        yield Check("data folder", "fail", f"{folder} is not writable: {exc.strerror or exc}",
                    t("fix_data_dir", folder=folder))
        return
    free = shutil.disk_usage(folder).free
    detail = f"{folder}: {free / 1024**3:.1f} GiB free"
    if free < MIN_FREE_BYTES:
        yield Check("disk space", "fail", detail, t("fix_disk", gib=MIN_FREE_BYTES // 1024**3))
    else:
        yield Check("disk space", "ok", detail)


def _clock_check(newest_fetch: datetime | None) -> Check:
    now = datetime.now(UTC)
    if not 2024 <= now.year < 2100:
        return Check("clock", "fail", f"the system clock says {now.isoformat(timespec='seconds')}",
                     t("fix_clock"))
    if newest_fetch and newest_fetch > now + CLOCK_SLACK:
        return Check("clock", "fail", f"a mention was fetched at {newest_fetch.isoformat(timespec='seconds')}, "
                                      f"after now ({now.isoformat(timespec='seconds')}): the clock went back",
                     t("fix_clock"))
    return Check("clock", "ok", f"{now.isoformat(timespec='seconds')} UTC")


def _store_checks(store_url: str | None) -> Iterator[Check]:
    from janmat.cli.options import open_mentions
    from janmat.core.settings import get_settings
    from janmat.store import MentionQuery
    from janmat.store.backends import sqlite_path
    from janmat.store.engine import EngineStore

    try:
        path = sqlite_path(store_url or get_settings().store_url)
        if path is not None and not path.exists():  # a new install, or a mistyped path: say which, create nothing
            yield Check("store", "warn", t("no_store_file", path=path), t("fix_no_store_file"))
            yield _clock_check(None)
            return
        store = open_mentions(store_url)
    except JanmatError as exc:
        yield Check("store", "fail", str(exc), t("fix_store_url"))
        yield _clock_check(None)
        return
    with store:
        shown = store.url.split("@")[-1]
        try:
            total = store.count(MentionQuery())
            newest = store.search(MentionQuery(limit=1, sort="newest")).hits
        except JanmatError as exc:
            fix = t("fix_engine_down" if isinstance(store, EngineStore) else "fix_sqlite_file")
            yield Check("store", "fail", f"{shown}: {exc}", fix)
            yield _clock_check(None)  # the clock is still worth checking without the stored fetch times
            return
        if isinstance(store, EngineStore):
            features = store.features
            yield Check("store", "ok", f"{features.kind} {features.version} at {shown}: {total} mentions")
            yield from _engine_checks(store)
        else:
            yield Check("store", "ok", f"SQLite {shown}: {total} mentions")
        yield _clock_check(max((h.mention.fetched_at for h in newest), default=None))


def _engine_checks(store: EngineStore) -> Iterator[Check]:
    live = store.live_template()
    shipped = store.templates.version
    version = ((live or {}).get("_meta") or {}).get("janmat_template_version")
    if live is None:
        yield Check("templates", "fail", f"no index template {store.names.template}",
                    t("fix_template_missing"))
    elif version != shipped:
        yield Check("templates", "fail", f"index template version {version}, Janmat ships {shipped}",
                    t("fix_template_old"))
    else:
        yield Check("templates", "ok", f"index template {store.names.template} version {version}, generation "
                                       f"{store.generation}")
    kind = "ILM" if store.kind == "elasticsearch" else "ISM"
    if store.features.lifecycle:
        yield Check("lifecycle", "ok", f"{kind} available; `janmat retention apply` installs the age policy")
    else:
        yield Check("lifecycle", "warn", f"no {kind} on this engine: old month indices are not deleted by it",
                    t("fix_no_lifecycle"))
    pending = store.spool.pending_count()
    if pending:
        yield Check("spool", "warn", f"{pending} mentions wait in the spool for the engine",
                    t("fix_spool"))
    else:
        yield Check("spool", "ok", "nothing waits in the spool")


class _Warnings(logging.Handler):
    """Collects the warnings a tagger logs when it turns itself off (its model is missing)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(record.getMessage())


def _models_check() -> Iterator[Check]:
    from janmat.core.mention import Mention
    from janmat.core.settings import get_settings
    from nlp.enrich import Enricher

    warnings = _Warnings()
    tagger_log = logging.getLogger("nlp.tagger")
    tagger_log.addHandler(warnings)
    try:
        enricher = Enricher()
        # some taggers load their models lazily: tag a Hindi and a romanised line so that every model is read
        enricher.enrich_many([Mention(id="doctor-hi", text="करनाल में किसानों को फसल बीमा का भुगतान नहीं मिला"),
                              Mention(id="doctor-rom", text="Rohtak mein paani ki killat se log pareshan")])
    except Exception as exc:  # a model file that is missing, stale or broken: said in one line, never a traceback
        yield Check("models", "fail", f"{exc.__class__.__name__}: {exc}", t("fix_models"))
        return
    finally:
        tagger_log.removeHandler(warnings)
    loaded = [tagger.name for tagger in enricher.taggers]
    off = [name for name in get_settings().nlp.taggers if name not in loaded]
    if off:
        yield Check("models", "fail", f"taggers off: {', '.join(off)} ({'; '.join(warnings.seen) or 'no model'})",
                    t("fix_models"))
        return
    yield Check("models", "ok", f"taggers loaded: {', '.join(loaded)}")


def _redis_check() -> Iterator[Check]:
    from janmat.core.settings import get_settings

    url = get_settings().crawl.redis_url
    if not url:
        return
    import redis

    try:
        info = redis.Redis.from_url(url, socket_timeout=3, socket_connect_timeout=3).info("server")
    except (redis.RedisError, OSError, ValueError) as exc:
        yield Check("redis", "fail", f"{url.split('@')[-1]}: {exc}", t("fix_redis"))
        return
    yield Check("redis", "ok", f"Redis {info.get('redis_version')} at {url.split('@')[-1]}")


def _outbox_check() -> Iterator[Check]:
    from janmat.alerts.notify.delivery import outbox_status

    found = outbox_status()
    pending = sum(s.pending for s in found.values())
    failed = sum(s.failed for s in found.values())
    if failed:
        yield Check("outbox", "warn", f"{failed} alert notifications failed, {pending} pending",
                    t("fix_outbox"))
    else:
        yield Check("outbox", "ok", f"{pending} alert notifications pending")


def run_checks(store_url: str | None = None) -> list[Check]:
    """Every check, in order; later checks are skipped when the configuration cannot be read."""
    checks = list(_settings_check())
    if checks[0].status == "fail":
        return checks
    groups: list[Callable[[], Iterator[Check]]] = [
        _data_dir_check, lambda: _store_checks(store_url), _models_check, _redis_check, _outbox_check,
    ]
    for group in groups:
        checks.extend(group())
    return checks


@clear_errors
def doctor(as_json: JsonOption = False, store: StoreOption = None) -> None:
    """Check configuration, store and engine, templates, models, disk, clock, Redis and backlogs; a fix for each
    problem (exit 1 when a check fails)."""
    checks = run_checks(store)
    failed = any(check.status == "fail" for check in checks)
    if as_json:
        payload = {"ok": not failed, "checks": [asdict(check) for check in checks]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
    else:
        marks = {"ok": "[green]✓[/]", "warn": "[yellow]![/]", "fail": "[red]✗[/]"}
        for check in checks:
            out.print(f"{marks[check.status]} {check.name}: {check.detail}", highlight=False)
            if check.fix:
                out.print(f"    {t('doctor_fix')}: {check.fix}", highlight=False)
    if failed:
        raise typer.Exit(1)
