"""The job book: when each job last ran, when it is next due, what went wrong, and who is running it now.

One record per job (``crawl:<source>``, ``collect:<collector>``, ``alert:deliver``, ``alert:spikes``), kept in
SQLite under the state dir (one machine) or in Redis when ``JANMAT_REDIS_URL`` is set (monitors on several
machines share it). Every change is one read-modify-write under the backend's own guard (``BEGIN IMMEDIATE``;
``WATCH``/``MULTI``), so two monitors never both claim a job: a claim takes a lease that the holder renews while
the job runs; a monitor that died frees its jobs when its leases run out.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import redis
from pydantic import BaseModel, Field

from janmat.core.errors import ConfigError

JobStatus = Literal["running", "ok", "idle", "unchanged", "interrupted", "failed", "skipped", "stopped"]
"""``unchanged``: the source's feeds answered "not modified", no crawl was needed; ``interrupted``: stopped by a
shutdown or a time limit, resumes at the next start; ``skipped``: the job cannot run here (no credentials, a part
not installed); ``stopped``: a collector stopped cleanly at a rate limit or quota."""

REDIS_PREFIX = "janmat:monitor"


def new_owner() -> str:
    """A name for this monitor process, unique across machines and restarts: ``host/pid/random``."""
    return f"{socket.gethostname()}/{os.getpid()}/{uuid.uuid4().hex[:8]}"


def owner_is_dead_here(owner: str | None) -> bool:
    """True when ``owner`` names a process on this machine that no longer runs."""
    if not owner or owner.count("/") < 2:
        return False
    host, pid, _ = owner.split("/", 2)
    return host == socket.gethostname() and pid.isdigit() and not _alive(int(pid))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, under another user
        return True
    return True


class JobRecord(BaseModel):
    """What the book knows about one job."""

    job_id: str
    role: str = ""
    interval_seconds: float = 0.0
    status: JobStatus | None = None
    last_started: float | None = None
    last_finished: float | None = None
    last_ok: float | None = None
    """When the job last finished well (``ok`` or ``unchanged``): the job's lag is measured from it."""
    next_due: float | None = None
    last_error: str | None = None
    last_error_at: float | None = None
    runs: int = 0
    failures: int = 0
    summary: dict[str, object] = Field(default_factory=dict)
    """The last run's numbers (fetched, stored, rejected…)."""
    lease_owner: str | None = None
    lease_until: float | None = None
    child_pid: int | None = None
    """The crawl process of the running job (on the lease owner's machine)."""


class Claim(BaseModel):
    """The answer to a claim: taken (then ``recovered`` says the previous run never finished) or why not."""

    taken: bool
    record: JobRecord
    reason: str = ""
    recovered: bool = False
    orphan_pid: int | None = None
    """The crawl process the unfinished previous run started (it may still be running)."""


class JobBook(ABC):
    """Job records with atomic updates; subclasses store them."""

    @abstractmethod
    def update(self, job_id: str, change: Callable[[JobRecord], JobRecord | None]) -> JobRecord:
        """Apply ``change`` to the job's record (a fresh one if none) atomically; None from it writes nothing."""

    @abstractmethod
    def records(self) -> list[JobRecord]:
        """Every job's record, by job id."""

    @abstractmethod
    def beat(self, owner: str, info: dict[str, object], ttl: float) -> None:
        """Say that monitor ``owner`` is alive (its roles, when it started) for the next ``ttl`` seconds."""

    @abstractmethod
    def instances(self) -> list[dict[str, object]]:
        """The monitors that said they are alive, and what they run."""

    @abstractmethod
    def close(self) -> None:
        """Release the backend."""

    def __enter__(self) -> JobBook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, job_id: str) -> JobRecord:
        """The job's record (a blank one if the job never ran)."""
        return self.update(job_id, lambda record: None)

    def claim(self, job_id: str, owner: str, role: str, interval: float, lease: float,
              now: float | None = None) -> Claim:
        """Take the job if it is due and nobody else holds it; the lease lasts ``lease`` seconds."""
        now = time.time() if now is None else now
        outcome: dict[str, object] = {}

        def change(record: JobRecord) -> JobRecord | None:
            held = record.lease_owner not in (None, owner) and (record.lease_until or 0) > now
            if held:
                outcome["reason"] = f"running under {record.lease_owner}"
                return None
            recovered = record.status == "running"  # the last run never finished: its monitor died
            tolerance = min(5.0, interval / 4)  # scheduling jitter, not another run
            if not recovered and record.next_due is not None and now < record.next_due - tolerance:
                outcome["reason"] = "not due"
                return None
            outcome["recovered"] = recovered
            outcome["orphan"] = record.child_pid if recovered else None
            return record.model_copy(update={
                "role": role, "interval_seconds": interval, "status": "running", "last_started": now,
                "next_due": now + interval, "lease_owner": owner, "lease_until": now + lease, "child_pid": None,
            })

        record = self.update(job_id, change)
        if "reason" in outcome:
            return Claim(taken=False, record=record, reason=str(outcome["reason"]))
        orphan = outcome.get("orphan")
        return Claim(taken=True, record=record, recovered=bool(outcome.get("recovered")),
                     orphan_pid=orphan if isinstance(orphan, int) else None)

    def renew(self, job_id: str, owner: str, lease: float) -> bool:
        """Extend our lease on a running job; False when it is no longer ours."""
        mine = {"yes": False}

        def change(record: JobRecord) -> JobRecord | None:
            if record.lease_owner != owner:
                return None
            mine["yes"] = True
            return record.model_copy(update={"lease_until": time.time() + lease})

        self.update(job_id, change)
        return mine["yes"]

    def note_child(self, job_id: str, owner: str, pid: int | None) -> None:
        """Record the crawl process of our running job, so a restarted monitor can find an orphan."""
        self.update(job_id, lambda r: r.model_copy(update={"child_pid": pid}) if r.lease_owner == owner else None)

    def finish(self, job_id: str, owner: str, status: JobStatus, summary: dict[str, object] | None = None,
               error: str | None = None, due_now: bool = False) -> JobRecord:
        """Record how a run ended and free the job; ``due_now`` makes it due at once (an interrupted run)."""
        now = time.time()

        def change(record: JobRecord) -> JobRecord | None:
            if record.lease_owner not in (None, owner):
                return None  # our lease ran out and another monitor took the job meanwhile; its record wins
            update: dict[str, object] = {
                "status": status, "last_finished": now, "runs": record.runs + 1, "summary": summary or {},
                "lease_owner": None, "lease_until": None, "child_pid": None,
            }
            if status in ("ok", "idle", "unchanged"):
                update["last_ok"] = now
            if error:
                update.update(last_error=error, last_error_at=now, failures=record.failures + 1)
            if due_now:
                update["next_due"] = now
            return record.model_copy(update=update)

        return self.update(job_id, change)

    def release_dead(self, owner_alive: Callable[[str | None], bool]) -> list[str]:
        """Free the leases of monitors that are gone (``owner_alive`` False); returns the job ids freed."""
        freed = []
        for record in self.records():
            dead = record.lease_owner
            if dead and not owner_alive(dead):
                self.update(record.job_id, lambda r, dead=dead: r.model_copy(update={"lease_until": 0.0})
                            if r.lease_owner == dead else None)
                freed.append(record.job_id)
        return freed


_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (job_id TEXT PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS instances (owner TEXT PRIMARY KEY, info TEXT NOT NULL, until REAL NOT NULL);
"""


class SqliteJobBook(JobBook):
    """The book in one SQLite file (WAL; each change in a ``BEGIN IMMEDIATE`` transaction)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._guard = threading.Lock()

    def update(self, job_id: str, change: Callable[[JobRecord], JobRecord | None]) -> JobRecord:
        with self._guard:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute("SELECT record FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
                record = JobRecord.model_validate_json(row[0]) if row else JobRecord(job_id=job_id)
                changed = change(record)
                if changed is not None:
                    self._db.execute("INSERT INTO jobs (job_id, record) VALUES (?, ?) ON CONFLICT(job_id) DO "
                                     "UPDATE SET record = excluded.record", (job_id, changed.model_dump_json()))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return changed or record

    def records(self) -> list[JobRecord]:
        with self._guard:
            rows = self._db.execute("SELECT record FROM jobs ORDER BY job_id").fetchall()
        return [JobRecord.model_validate_json(row[0]) for row in rows]

    def beat(self, owner: str, info: dict[str, object], ttl: float) -> None:
        now = time.time()
        with self._guard:
            self._db.execute("DELETE FROM instances WHERE until < ?", (now,))
            self._db.execute("INSERT INTO instances (owner, info, until) VALUES (?, ?, ?) ON CONFLICT(owner) DO "
                             "UPDATE SET info = excluded.info, until = excluded.until",
                             (owner, json.dumps(info), now + ttl))

    def instances(self) -> list[dict[str, object]]:
        with self._guard:
            rows = self._db.execute("SELECT owner, info FROM instances WHERE until >= ? ORDER BY owner",
                                    (time.time(),)).fetchall()
        return [{"owner": owner, **json.loads(info)} for owner, info in rows]

    def close(self) -> None:
        with self._guard:
            self._db.close()


class RedisJobBook(JobBook):
    """The book in Redis: one key per job, changed under ``WATCH``; monitors on many machines share it."""

    def __init__(self, url: str, prefix: str = REDIS_PREFIX) -> None:
        self.client = redis.Redis.from_url(url)
        self.prefix = prefix

    def _key(self, job_id: str) -> str:
        return f"{self.prefix}:job:{job_id}"

    def update(self, job_id: str, change: Callable[[JobRecord], JobRecord | None]) -> JobRecord:
        key = self._key(job_id)
        result: dict[str, JobRecord] = {}

        def transaction(pipe: redis.client.Pipeline) -> None:
            raw = pipe.get(key)
            record = JobRecord.model_validate_json(raw) if raw else JobRecord(job_id=job_id)
            changed = change(record)
            result["record"] = changed or record
            pipe.multi()
            if changed is not None:
                pipe.set(key, changed.model_dump_json())
                pipe.sadd(f"{self.prefix}:jobs", job_id)

        try:
            self.client.transaction(transaction, key)
        except redis.RedisError as exc:
            raise ConfigError(f"the monitor's job book in Redis is not reachable: {exc}") from exc
        return result["record"]

    def records(self) -> list[JobRecord]:
        ids = sorted(item.decode() for item in self.client.smembers(f"{self.prefix}:jobs"))
        raws = self.client.mget([self._key(job_id) for job_id in ids]) if ids else []
        return [JobRecord.model_validate_json(raw) for raw in raws if raw]

    def beat(self, owner: str, info: dict[str, object], ttl: float) -> None:
        self.client.set(f"{self.prefix}:instance:{owner}", json.dumps({"owner": owner, **info}), px=int(ttl * 1000))

    def instances(self) -> list[dict[str, object]]:
        keys = sorted(self.client.scan_iter(f"{self.prefix}:instance:*"))
        return [json.loads(raw) for raw in self.client.mget(keys) if raw] if keys else []

    def close(self) -> None:
        self.client.close()


def book_path(state_dir: Path) -> Path:
    """The SQLite book under the state dir."""
    return state_dir / "monitor.sqlite"


def open_book(state_dir: Path, redis_url: str | None) -> JobBook:
    """The shared book in Redis when a Redis URL is configured, else the SQLite book under ``state_dir``."""
    return RedisJobBook(redis_url) if redis_url else SqliteJobBook(book_path(state_dir))
