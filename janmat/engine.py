"""Start, stop and inspect the real OpenSearch and Elasticsearch nodes Janmat tests and CI run against.

Both engines come from Maven Central, built by the small Maven projects under ``engines/``:

* ``opensearch``: OpenSearch 2.19 as an embedded node (``engines/opensearch``), JDK 17, HTTP port 9200.
* ``elasticsearch``: the Elasticsearch 9 integ-test distribution (``engines/elasticsearch``), run with a
  JDK 21+ (Temurin 25 here) as a non-root user, HTTP port 9201.

The first start builds or unpacks the engine with ``mvn -q -B``; later starts reuse that build until its
sources change. Everything lives under the run dir, ``JANMAT_ENGINE_DIR`` or the user cache dir
(``~/.cache/janmat/engines``): per engine a ``<kind>.log`` (the node's console), ``<kind>.pid`` and
``<kind>.json`` (port, pid, home). Settings (``janmat.core.settings``), all optional:

``JANMAT_ENGINE_DIR``, ``JANMAT_ENGINE_START_TIMEOUT`` (seconds, default 180),
``JANMAT_OPENSEARCH_JAVA_HOME`` / ``JANMAT_ELASTICSEARCH_JAVA_HOME``, ``JANMAT_OPENSEARCH_HEAP`` (1g) /
``JANMAT_ELASTICSEARCH_HEAP`` (512m), ``JANMAT_ELASTICSEARCH_USER`` (``janmat-es``, used when run as root),
``JANMAT_ENGINES_SRC`` (the ``engines/`` folder).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import httpx
import platformdirs

from janmat.core.errors import ConfigError, JanmatError
from janmat.core.settings import get_settings

KINDS = ("opensearch", "elasticsearch")
DEFAULT_PORTS = {"opensearch": 9200, "elasticsearch": 9201}
TRANSPORT_PORTS = {"opensearch": "9300-9349", "elasticsearch": "9350-9399"}
OPENSEARCH_MAIN = "janmat.engine.JanmatOpenSearchNode"
# JVM options the OpenSearch distribution would set from its jvm.options, trimmed to what a test node needs.
OPENSEARCH_JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-Dfile.encoding=UTF-8",
    "-Djava.awt.headless=true",
    "-Djava.locale.providers=SPI,COMPAT",
    "-Dopensearch.set.netty.runtime.available.processors=false",
    "-Dio.netty.noUnsafe=true",
    "-Dio.netty.noKeySetOptimization=true",
    "-Dio.netty.recycler.maxCapacityPerThread=0",
    "-Dlog4j2.disable.jmx=true",
    "-Dlog4j.shutdownHookEnabled=false",
    "-XX:+ExitOnOutOfMemoryError",
)


class EngineError(JanmatError):
    """An engine could not be built, started, reached or stopped."""


@dataclass
class EngineStatus:
    """What is known about one engine: its recorded process and whether its HTTP port answers."""

    kind: str
    running: bool
    pid: int | None
    port: int
    url: str
    healthy: bool = False
    health: str | None = None
    version: str | None = None
    rss_mb: float | None = None
    log: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return asdict(self)


# -- paths and settings ---------------------------------------------------------------------------------------


def run_dir() -> Path:
    """The engines' run dir: ``JANMAT_ENGINE_DIR`` or the user cache dir."""
    configured = get_settings().engines.dir
    base = configured or Path(platformdirs.user_cache_dir("janmat")) / "engines"
    return base.expanduser().resolve()


def engines_src() -> Path:
    """The ``engines/`` folder with the Maven projects."""
    src = get_settings().engines.src or Path(__file__).resolve().parents[1] / "engines"
    if not (src / "opensearch" / "pom.xml").is_file():
        raise ConfigError(f"engine sources not found at {src} (set JANMAT_ENGINES_SRC to the repo's engines/ folder)")
    return src


def _kind(kind: str) -> str:
    value = kind.value if isinstance(kind, Enum) else str(kind)
    if value not in KINDS:
        raise ConfigError(f"unknown engine {value!r}: use one of {', '.join(KINDS)}")
    return value


def _engine_dir(kind: str) -> Path:
    path = run_dir() / kind
    path.mkdir(parents=True, exist_ok=True)
    return path


def _java_home(kind: str) -> Path:
    settings = get_settings()
    engines = settings.engines
    java_home = {"opensearch": engines.opensearch_java_home, "elasticsearch": engines.elasticsearch_java_home}[kind]
    if not (java_home / "bin" / "java").is_file():
        need = "JDK 17" if kind == "opensearch" else "JDK 21 or newer"
        raise ConfigError(f"{kind} needs a {need}: none at {java_home} (set JANMAT_{kind.upper()}_JAVA_HOME)")
    return java_home


def _heap(kind: str) -> str:
    settings = get_settings()
    return {"opensearch": settings.engines.opensearch_heap, "elasticsearch": settings.engines.elasticsearch_heap}[kind]


def _start_timeout() -> float:
    return get_settings().engines.start_timeout


def _tree_hash(*roots: Path) -> str:
    """A short digest of the files that define a build, so a changed pom or source forces a rebuild."""
    digest = hashlib.sha256()
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            digest.update(str(path.relative_to(root.parent)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# -- building with Maven --------------------------------------------------------------------------------------


def _maven(pom: Path, out_dir: Path, prop: str, java_home: Path) -> None:
    """Run ``mvn -q -B package`` for one engine project into ``out_dir`` (via the ``prop`` property)."""
    mvn = shutil.which("mvn")
    if not mvn:
        raise EngineError("Maven (mvn) is not installed: apt-get install -y maven")
    env = {**os.environ, "JAVA_HOME": str(java_home)}
    cmd = [mvn, "-q", "-B", "-f", str(pom), "package", f"-D{prop}={out_dir}"]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        output = (proc.stdout + proc.stderr).strip().splitlines()
        raise EngineError(f"Maven build failed ({' '.join(cmd)}):\n" + "\n".join(output[-40:]))


def _built(kind: str, base: Path | None = None) -> Path:
    """Build (first time) or reuse an engine under ``base``; return its build dir.

    OpenSearch: ``janmat-opensearch.jar`` and ``lib/``. Elasticsearch: the unpacked ``elasticsearch-<v>/``.
    A build is keyed by a digest of its Maven project, made in a staging dir and renamed when complete.
    """
    src = engines_src() / kind
    base = base or _engine_dir(kind)
    key = _tree_hash(src / "pom.xml", src / "src") if kind == "opensearch" else _tree_hash(src / "pom.xml")
    final = base / f"build-{key}"
    if (final / ".complete").is_file():
        return final
    staging = base / f".staging-{key}"
    shutil.rmtree(staging, ignore_errors=True)
    prop = "janmat.build.dir" if kind == "opensearch" else "janmat.install.dir"
    _maven(src / "pom.xml", staging, prop, _java_home("opensearch"))
    (staging / ".complete").write_text(time.strftime("%Y-%m-%dT%H:%M:%S%z\n"))
    shutil.rmtree(final, ignore_errors=True)
    staging.rename(final)
    for old in base.glob("build-*"):
        if old != final:
            shutil.rmtree(old, ignore_errors=True)
    return final


def _es_dist(build: Path) -> Path:
    found = sorted(build.glob("elasticsearch-*/bin/elasticsearch"))
    if not found:
        raise EngineError(f"no Elasticsearch distribution unpacked under {build}")
    return found[-1].parents[1]


# -- process bookkeeping --------------------------------------------------------------------------------------


def _state_path(kind: str) -> Path:
    return run_dir() / kind / f"{kind}.json"


def _pid_path(kind: str) -> Path:
    return run_dir() / kind / f"{kind}.pid"


def _log_path(kind: str) -> Path:
    return run_dir() / kind / f"{kind}.log"


def _read_state(kind: str) -> dict[str, Any] | None:
    try:
        state = json.loads(_state_path(kind).read_text())
        state["pid"] = int(_pid_path(kind).read_text().strip())
        return state
    except (OSError, ValueError):
        return None


def _clear_state(kind: str) -> None:
    for path in (_state_path(kind), _pid_path(kind)):
        path.unlink(missing_ok=True)


def _alive(pid: int, marker: str | None = None) -> bool:
    """True if ``pid`` runs (not a zombie) and, when given, its command line contains ``marker``."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)  # reap our own child if it exited
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    if stat.rsplit(")", 1)[1].split()[0] in ("Z", "X"):
        return False
    return marker is None or marker in cmdline


def _group_pids(pgid: int) -> list[int]:
    """Live processes of a process group (a started engine leads its own session)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            pids.append(int(entry.name))
    return pids


def _rss_mb(pgid: int) -> float:
    total_kb = 0
    for pid in _group_pids(pgid):
        with contextlib.suppress(OSError, ValueError, IndexError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
    return round(total_kb / 1024, 1)


def _port_busy(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _log_tail(kind: str, lines: int = 40) -> str:
    try:
        text = _log_path(kind).read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(text[-lines:])


@contextlib.contextmanager
def _locked(kind: str) -> Iterator[None]:
    """Serialize start/stop of one engine across processes."""
    with open(_engine_dir(kind) / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# -- launching ------------------------------------------------------------------------------------------------


def _opensearch_command(build: Path, home: Path, port: int) -> tuple[list[str], dict[str, str], str]:
    java = _java_home("opensearch") / "bin" / "java"
    heap = _heap("opensearch")
    classpath = f"{build / 'janmat-opensearch.jar'}:{build / 'lib'}/*"
    cmd = [
        str(java),
        f"-Xms{heap}",
        f"-Xmx{heap}",
        *OPENSEARCH_JVM_OPTIONS,
        f"-Djava.io.tmpdir={home / 'tmp'}",
        "-cp",
        classpath,
        OPENSEARCH_MAIN,
        "--home",
        str(home),
        "--http-port",
        str(port),
        "--transport-port",
        TRANSPORT_PORTS["opensearch"],
    ]
    return cmd, dict(os.environ), str(home)


def _es_user() -> pwd.struct_passwd | None:
    """The account Elasticsearch runs as: a system user when we are root (its bootstrap refuses root)."""
    if os.geteuid() != 0:
        return None
    name = get_settings().engines.elasticsearch_user
    try:
        return pwd.getpwnam(name)
    except KeyError:
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        cmd = [
            useradd,
            "--system",
            "--no-create-home",
            "--home-dir",
            "/nonexistent",
            "--shell",
            "/usr/sbin/nologin",
            name,
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise EngineError(f"cannot create user {name!r} for Elasticsearch: {proc.stderr.strip()}") from None
        return pwd.getpwnam(name)


def _reachable_by_others(path: Path) -> bool:
    """Can a non-root, non-group user traverse every folder down to ``path``?"""
    for part in [path, *path.parents]:
        with contextlib.suppress(FileNotFoundError):
            if not part.stat().st_mode & 0o001:
                return False
    return True


def _es_home(user: pwd.struct_passwd | None) -> Path:
    """Where the ES distribution, data and logs live: the run dir, or /var/lib/janmat when ES runs as
    another user and the run dir is private (root's ~/.cache is under /root, mode 700)."""
    home = _engine_dir("elasticsearch")
    if user is not None and not _reachable_by_others(home):
        home = Path("/var/lib/janmat/engines/elasticsearch")
        home.mkdir(parents=True, exist_ok=True)
        for part in (home, home.parent, home.parent.parent):
            part.chmod(0o755)
    return home


def _chown_tree(path: Path, user: pwd.struct_passwd) -> None:
    if path.stat().st_uid == user.pw_uid and all(p.stat().st_uid == user.pw_uid for p in path.iterdir()):
        return
    for root, dirs, files in os.walk(path):
        for name in [*dirs, *files]:
            os.lchown(os.path.join(root, name), user.pw_uid, user.pw_gid)
    os.chown(path, user.pw_uid, user.pw_gid)


def _elasticsearch_command(port: int) -> tuple[list[str], dict[str, str], str, pwd.struct_passwd | None]:
    user = _es_user()
    es_home = _es_home(user)
    dist = _es_dist(_built("elasticsearch", es_home))
    for sub in ("data", "logs", "tmp"):
        (es_home / sub).mkdir(parents=True, exist_ok=True)
    if user is not None:
        for sub in ("data", "logs", "tmp"):
            _chown_tree(es_home / sub, user)
        _chown_tree(dist, user)
    env = {
        **os.environ,
        "ES_JAVA_HOME": str(_java_home("elasticsearch")),
        "ES_JAVA_OPTS": f"-Xms{_heap('elasticsearch')} -Xmx{_heap('elasticsearch')} -XX:-HeapDumpOnOutOfMemoryError",
        "ES_TMPDIR": str(es_home / "tmp"),
    }
    env.pop("JAVA_HOME", None)
    if user is not None:
        env.update(HOME=str(es_home), USER=user.pw_name, LOGNAME=user.pw_name)
    cmd = [
        str(dist / "bin" / "elasticsearch"),
        "-Ecluster.name=janmat-elasticsearch",
        "-Enode.name=janmat-elasticsearch-1",
        "-Ediscovery.type=single-node",
        "-Enetwork.host=127.0.0.1",
        f"-Ehttp.port={port}",
        f"-Etransport.port={TRANSPORT_PORTS['elasticsearch']}",
        f"-Epath.data={es_home / 'data'}",
        f"-Epath.logs={es_home / 'logs'}",
        "-Expack.security.enabled=false",
        "-Ecluster.routing.allocation.disk.threshold_enabled=false",
    ]
    return cmd, env, str(dist), user


def _health(url: str, timeout: float = 2.0) -> dict[str, Any] | None:
    try:
        response = httpx.get(
            f"{url}/_cluster/health", params={"wait_for_status": "yellow", "timeout": "1s"}, timeout=timeout
        )
        if response.status_code == 200:
            return response.json()
    except (httpx.HTTPError, ValueError):
        pass
    return None


def _version(url: str) -> str | None:
    """The node's version from ``_nodes/_local`` (the ES integ-test zip has no ``GET /``)."""
    try:
        nodes = httpx.get(f"{url}/_nodes/_local", params={"filter_path": "nodes.*.version"}, timeout=2.0).json()
        return next(iter(nodes["nodes"].values()))["version"]
    except (httpx.HTTPError, ValueError, KeyError, StopIteration, TypeError):
        return None


def _wait_healthy(kind: str, pid: int, marker: str, url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid, marker):
            _clear_state(kind)
            raise EngineError(f"{kind} exited while starting; last lines of {_log_path(kind)}:\n{_log_tail(kind)}")
        health = _health(url)
        if health and health.get("status") in ("yellow", "green"):
            return
        time.sleep(0.5)
    raise EngineError(
        f"{kind} did not report yellow health at {url} within {timeout:.0f}s (it is still running, pid {pid}; "
        f"stop it with `janmat engine stop {kind}`); last lines of {_log_path(kind)}:\n{_log_tail(kind)}"
    )


def _zero_replicas(url: str) -> None:
    """New OpenSearch indices get no replicas (a single node could never place them).

    OpenSearch reads ``cluster.default_number_of_replicas`` from the cluster metadata only, not from node
    settings, so it is applied as a persistent cluster setting once the node is up.
    """
    body = {"persistent": {"cluster.default_number_of_replicas": 0}}
    try:
        response = httpx.put(f"{url}/_cluster/settings", json=body, timeout=30.0)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise EngineError(f"could not set zero default replicas on {url}: {exc}") from None


def start(kind: str, port: int | None = None, wait: bool = True) -> EngineStatus:
    """Start ``kind`` (opensearch|elasticsearch) on 127.0.0.1:``port``, building it first if needed.

    Returns at once if it already runs on that port; with ``wait``, blocks until the cluster is yellow.
    """
    kind = _kind(kind)
    with _locked(kind):
        state = _read_state(kind)
        if state and _alive(state["pid"], state.get("marker")):
            if port is not None and port != state["port"]:
                raise EngineError(f"{kind} already runs on port {state['port']}; stop it before using port {port}")
            port = state["port"]
        else:
            _clear_state(kind)
            port = port or DEFAULT_PORTS[kind]
            if _port_busy(port):
                raise EngineError(
                    f"port {port} on 127.0.0.1 is already in use by another process; "
                    f"pass --port to start {kind} elsewhere"
                )
            user = None
            if kind == "opensearch":
                build = _built(kind)
                home = _engine_dir(kind) / "home"
                (home / "tmp").mkdir(parents=True, exist_ok=True)
                cmd, env, marker = _opensearch_command(build, home, port)
            else:
                cmd, env, marker, user = _elasticsearch_command(port)
            log = _log_path(kind)
            with open(log, "ab") as sink:
                sink.write(f"\n=== janmat engine start {kind} port {port} {time.ctime()} ===\n".encode())
                sink.flush()
                proc = subprocess.Popen(
                    cmd,
                    env=env,
                    cwd=marker,
                    stdin=subprocess.DEVNULL,
                    stdout=sink,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    user=user.pw_uid if user else None,
                    group=user.pw_gid if user else None,
                    extra_groups=[] if user else None,
                )
            _pid_path(kind).write_text(f"{proc.pid}\n")
            _state_path(kind).write_text(
                json.dumps({"kind": kind, "port": port, "marker": marker, "started": time.time(), "cmd": cmd}, indent=1)
            )
            state = {"pid": proc.pid, "port": port, "marker": marker}
        if wait:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(kind, state["pid"], state["marker"], url, _start_timeout())
            if kind == "opensearch":
                _zero_replicas(url)
    return status(kind)


def stop(kind: str, timeout: float = 60.0) -> bool:
    """Stop ``kind`` (SIGTERM, then SIGKILL after ``timeout``); False if it was not running."""
    kind = _kind(kind)
    with _locked(kind):
        state = _read_state(kind)
        if not state or not _alive(state["pid"], state.get("marker")):
            _clear_state(kind)
            return False
        pid = state["pid"]
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and (_alive(pid) or _group_pids(pid)):
            time.sleep(0.2)
        if _alive(pid) or _group_pids(pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            time.sleep(0.5)
            _alive(pid)
        _clear_state(kind)
        return True


def status(kind: str, port: int | None = None) -> EngineStatus:
    """The recorded process of ``kind`` and, on its port (or ``port``), its health and version."""
    kind = _kind(kind)
    state = _read_state(kind)
    running = bool(state and _alive(state["pid"], state.get("marker")))
    recorded = state["port"] if state and running else None
    port = port or recorded or DEFAULT_PORTS[kind]
    url = f"http://127.0.0.1:{port}"
    health = _health(url) if running or port != recorded else None
    return EngineStatus(
        kind=kind,
        running=running and port == recorded,
        pid=state["pid"] if running and state else None,
        port=port,
        url=url,
        healthy=bool(health and health.get("status") in ("yellow", "green")),
        health=health.get("status") if health else None,
        version=_version(url) if health else None,
        rss_mb=_rss_mb(state["pid"]) if running and state else None,
        log=str(_log_path(kind)),
    )


__all__ = ["KINDS", "EngineError", "EngineStatus", "run_dir", "start", "status", "stop"]
