"""Scale-out: a two-node OpenSearch cluster started by the launcher loses no mention when a node dies mid-ingest.

The launcher starts the cluster (512 MB heap per node) in the test's own run dir, reusing the cached build of
``~/.cache/janmat/engines`` when there is one. The mentions index gets one replica (``auto_expand_replicas``
0-1 of Janmat's template), ``janmat ingest`` of N rows runs as a real process against node 1, and node 2 (a data
node holding primaries) is SIGKILLed once part of the rows are in. Every row must be searchable afterwards, the
count exact, and the exit status must say "all stored".
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import platformdirs
import pytest

from janmat import engine

pytestmark = pytest.mark.engine

REPO = Path(__file__).resolve().parents[1]
ROWS = 3000
KILL_AFTER = 600
"""Node 2 is killed once this many mentions are searchable: the ingest is well under way, far from done."""
PLACES = ["हिसार", "रोहतक", "करनाल", "पानीपत", "सिरसा", "भिवानी", "जींद", "Gurugram", "अंबाला", "फरीदाबाद"]
TOPICS = ["पेंशन शिविर", "किसानों का धरना", "नई सड़क", "अस्पताल में दवा", "स्कूल की छत", "बिजली कटौती", "पानी की कमी"]


def _free_ports(count: int) -> tuple[int, ...]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return tuple(sock.getsockname()[1] for sock in sockets)
    finally:
        for sock in sockets:
            sock.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[engine.EngineStatus]]:
    """Two nodes in a private run dir; the OpenSearch build is linked from the user cache when it is there."""
    run = tmp_path_factory.mktemp("engines")
    cached = Path(platformdirs.user_cache_dir("janmat")) / "engines" / "opensearch"
    (run / "opensearch").mkdir()
    for build in cached.glob("build-*"):
        if (build / ".complete").is_file():
            (run / "opensearch" / build.name).symlink_to(build)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JANMAT_ENGINE_DIR", str(run))
        engine.get_settings.cache_clear()
        try:
            yield engine.start_cluster(_free_ports(2), heap="512m", fresh=True)
        finally:
            engine.stop_cluster(timeout=30)
            engine.get_settings.cache_clear()


def _rows(path: Path) -> Path:
    lines = []
    for n in range(ROWS):
        place, topic = PLACES[n % len(PLACES)], TOPICS[(n // len(PLACES)) % len(TOPICS)]
        text = f"{place} में {topic}: रिपोर्ट {n} — वार्ड {n * 7919 % 1000}, {n % 97 + 3} शिकायतें दर्ज, जाँच {n} जारी।"
        lines.append(json.dumps({"id": f"fo-{n}", "text": text, "published_at": f"2026-0{1 + n % 3}-{1 + n % 28:02d}",
                                 "url": f"https://news.example.in/haryana/{n}.html"}, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _count(client: httpx.Client, prefix: str) -> int:
    try:
        response = client.get(f"/{prefix}-mentions/_count")
    except httpx.HTTPError:
        return 0
    return int(response.json().get("count", 0)) if response.status_code == 200 else 0


def test_killing_a_node_mid_ingest_loses_no_mention(cluster: list[engine.EngineStatus], tmp_path: Path) -> None:
    first, second = cluster
    assert first.healthy and second.healthy
    prefix = f"fo-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "JANMAT_STORE": f"opensearch+{first.url}", "JANMAT_STORE_INDEX_PREFIX": prefix,
           "JANMAT_STORE_BULK_CHUNK": "100", "JANMAT_STORE_BATCH": "100"}
    client = httpx.Client(base_url=first.url, timeout=30.0)
    # Primaries spread over both nodes, so the killed node certainly holds some and the kill tests promotion.
    client.put("/_cluster/settings", json={"transient": {"cluster.routing.allocation.balance.prefer_primary": True}}
               ).raise_for_status()
    ingest = subprocess.Popen([sys.executable, "-m", "janmat", "ingest", str(_rows(tmp_path / "rows.jsonl"))],
                              cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while (seen := _count(client, prefix)) < KILL_AFTER:
            assert ingest.poll() is None, "ingest ended before the node could be killed: " + ingest.stderr.read()
            assert time.monotonic() < deadline, f"only {seen} mentions in after 120 s"
            time.sleep(0.2)
        shards = client.get(f"/_cat/shards/{prefix}-mentions-*", params={"format": "json"}).json()
        assert {s["prirep"] for s in shards} == {"p", "r"} and all(s["state"] == "STARTED" for s in shards), shards
        assert {s["node"] for s in shards if s["prirep"] == "p"} & {"opensearch-node-2"}, "node 2 holds no primary"
        os.kill(second.pid, signal.SIGKILL)
        stdout, stderr = ingest.communicate(timeout=150)
    finally:
        if ingest.poll() is None:
            ingest.kill()
    assert seen < ROWS, "the kill came after the ingest had finished"
    print(f"killed node 2 at {seen} of {ROWS}; ingest said:", stdout)  # the run log's record of the failover
    assert ingest.returncode == 0, stdout + stderr[-3000:]
    assert f"stored {ROWS}, rejected 0" in stdout, stdout
    assert "Traceback" not in stderr
    # Whatever went to the spool while the cluster promoted replicas is replayed to the surviving node.
    replay = subprocess.run([sys.executable, "-m", "janmat", "spool", "replay"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    assert replay.returncode == 0, replay.stdout + replay.stderr

    nodes = client.get("/_cat/nodes", params={"format": "json"}).json()
    assert [node["name"] for node in nodes] == ["opensearch-node-1"]
    client.post(f"/{prefix}-mentions/_refresh").raise_for_status()
    assert _count(client, prefix) == ROWS
    client.close()


def test_a_cluster_needs_two_distinct_ports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JANMAT_ENGINE_DIR", str(tmp_path))
    for ports in ((9210,), (9210, 9210)):
        with pytest.raises(engine.ConfigError, match="two or more distinct"):
            engine.start_cluster(ports)


def test_cluster_status_without_a_cluster_exits_1(tmp_path: Path) -> None:
    env = {**os.environ, "JANMAT_ENGINE_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "janmat", "engine", "cluster", "status"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    stopped = subprocess.run([sys.executable, "-m", "janmat", "engine", "cluster", "stop"], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=60)
    assert stopped.returncode == 0 and "0 node(s) stopped" in stopped.stdout
