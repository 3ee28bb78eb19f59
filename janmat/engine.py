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


def _opensearch_command(
    build: Path,
    home: Path,
    port: int,
    transport: str = TRANSPORT_PORTS["opensearch"],
    heap: str | None = None,
    extra: tuple[str, ...] = (),
) -> tuple[list[str], dict[str, str], str]:
    java = _java_home("opensearch") / "bin" / "java"
    heap = heap or _heap("opensearch")
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
        transport,
        *extra,
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


def _launch(
    key: str, cmd: list[str], env: dict[str, str], marker: str, port: int, user: pwd.struct_passwd | None = None
) -> dict[str, Any]:
    """Start one node process in its own session, logging to ``<key>.log``; record its pid and state."""
    with open(_log_path(key), "ab") as sink:
        sink.write(f"\n=== janmat engine start {key} port {port} {time.ctime()} ===\n".encode())
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
    _pid_path(key).write_text(f"{proc.pid}\n")
    _state_path(key).write_text(
        json.dumps({"kind": key, "port": port, "marker": marker, "started": time.time(), "cmd": cmd}, indent=1)
    )
    return {"pid": proc.pid, "port": port, "marker": marker}


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
            state = _launch(kind, cmd, env, marker, port, user)
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
        return _stop_node(kind, timeout)


def _stop_node(key: str, timeout: float) -> bool:
    state = _read_state(key)
    if not state or not _alive(state["pid"], state.get("marker")):
        _clear_state(key)
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
    _clear_state(key)
    return True


def status(kind: str, port: int | None = None) -> EngineStatus:
    """The recorded process of ``kind`` and, on its port (or ``port``), its health and version."""
    kind = _kind(kind)
    return _node_status(kind, port, DEFAULT_PORTS[kind])


def _node_status(key: str, port: int | None, default_port: int) -> EngineStatus:
    state = _read_state(key)
    running = bool(state and _alive(state["pid"], state.get("marker")))
    recorded = state["port"] if state and running else None
    port = port or recorded or default_port
    url = f"http://127.0.0.1:{port}"
    health = _health(url) if running or port != recorded else None
    return EngineStatus(
        kind=key,
        running=running and port == recorded,
        pid=state["pid"] if running and state else None,
        port=port,
        url=url,
        healthy=bool(health and health.get("status") in ("yellow", "green")),
        health=health.get("status") if health else None,
        version=_version(url) if health else None,
        rss_mb=_rss_mb(state["pid"]) if running and state else None,
        log=str(_log_path(key)),
    )


# -- a two-node OpenSearch cluster ---------------------------------------------------------------------------

CLUSTER_NAME = "janmat-opensearch-cluster"
CLUSTER_PORTS = (9210, 9211)
"""HTTP ports of the cluster's nodes unless told otherwise (the single test nodes keep 9200 and 9201)."""
CLUSTER_HEAP = "512m"


def _cluster_key(index: int) -> str:
    return f"opensearch-node-{index}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cluster_running() -> dict[int, dict[str, Any]]:
    """The cluster nodes whose recorded process still runs, by node number."""
    found = {}
    for index in range(1, 10):
        state = _read_state(_cluster_key(index))
        if state and _alive(state["pid"], state.get("marker")):
            found[index] = state
    return found


def _cluster_node_command(build: Path, index: int, port: int, transport: int, seeds: str, heap: str) -> tuple:
    """Node 1 is the only cluster-manager-eligible node, so losing node 2 leaves a working cluster (two
    manager-eligible nodes could not keep a quorum after losing either; production runs three)."""
    home = _engine_dir(_cluster_key(index)) / "home"
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    extra = (
        f"-Ecluster.name={CLUSTER_NAME}",
        f"-Enode.name={_cluster_key(index)}",
        "-Ediscovery.type=zen",
        f"-Ediscovery.seed_hosts={seeds}",
        f"-Ecluster.initial_cluster_manager_nodes={_cluster_key(1)}",
        f"-Enode.roles={'cluster_manager,data,ingest' if index == 1 else 'data,ingest'}",
    )
    return _opensearch_command(build, home, port, transport=str(transport), heap=heap, extra=extra)


def start_cluster(
    ports: tuple[int, ...] | None = None, heap: str = CLUSTER_HEAP, fresh: bool = False, wait: bool = True
) -> list[EngineStatus]:
    """Start an OpenSearch cluster of one node per HTTP port (default 9210, 9211) on 127.0.0.1.

    Same build as the single node; each node has its own home and data dir under the run dir
    (``opensearch-node-N/home``), discovery by seed hosts on free transport ports, security off. ``fresh``
    wipes the nodes' data first. With ``wait``, blocks until every node has joined and health is yellow.
    """
    ports = tuple(ports or CLUSTER_PORTS)
    if len(ports) < 2 or len(set(ports)) != len(ports):
        raise ConfigError(f"a cluster needs two or more distinct HTTP ports, not {ports}")
    with _locked("opensearch-cluster"):
        running = _cluster_running()
        if running:
            have = tuple(state["port"] for _, state in sorted(running.items()))
            if have != ports:
                raise EngineError(f"an OpenSearch cluster already runs on ports {have}; stop it with "
                                  "`janmat engine cluster stop` first")
        else:
            busy = [port for port in ports if _port_busy(port)]
            if busy:
                raise EngineError(f"port(s) {busy} on 127.0.0.1 already in use; pass --ports to use others")
            build = _built("opensearch")
            transports = [_free_port() for _ in ports]
            seeds = ",".join(f"127.0.0.1:{transport}" for transport in transports)
            for index, (port, transport) in enumerate(zip(ports, transports, strict=True), start=1):
                key = _cluster_key(index)
                _clear_state(key)
                if fresh:
                    shutil.rmtree(_engine_dir(key) / "home", ignore_errors=True)
                cmd, env, marker = _cluster_node_command(build, index, port, transport, seeds, heap)
                running[index] = _launch(key, cmd, env, marker, port)
    if wait:
        _wait_cluster(running, len(ports))
    return cluster_status()


def _wait_cluster(nodes: dict[int, dict[str, Any]], size: int) -> None:
    """Every node healthy, and the cluster reports ``size`` nodes."""
    for index, state in sorted(nodes.items()):
        url = f"http://127.0.0.1:{state['port']}"
        _wait_healthy(_cluster_key(index), state["pid"], state["marker"], url, _start_timeout())
    url = f"http://127.0.0.1:{nodes[min(nodes)]['port']}"
    try:
        health = httpx.get(f"{url}/_cluster/health", params={"wait_for_nodes": str(size), "timeout": "60s"},
                           timeout=90.0).json()
    except (httpx.HTTPError, ValueError) as exc:
        raise EngineError(f"the OpenSearch cluster at {url} did not answer: {exc}") from None
    if health.get("number_of_nodes") != size:
        raise EngineError(f"the OpenSearch cluster at {url} has {health.get('number_of_nodes')} of {size} nodes; "
                          f"see the logs under {run_dir()}")


def stop_cluster(timeout: float = 60.0) -> int:
    """Stop every node of the cluster (data-only nodes first); return how many were running."""
    with _locked("opensearch-cluster"):
        indexes = sorted(_cluster_running(), reverse=True)
        return sum(_stop_node(_cluster_key(index), timeout) for index in indexes)


def cluster_status() -> list[EngineStatus]:
    """Each recorded cluster node that runs, with its health and version."""
    return [_node_status(_cluster_key(index), None, state["port"])
            for index, state in sorted(_cluster_running().items())]


__all__ = [
    "KINDS",
    "EngineError",
    "EngineStatus",
    "cluster_status",
    "run_dir",
    "start",
    "start_cluster",
    "status",
    "stop",
    "stop_cluster",
]
