"""``janmat engine start|stop|status KIND``: the local OpenSearch / Elasticsearch nodes tests and CI run against."""

from __future__ import annotations

import json
import time
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from janmat.cli.console import clear_errors, out
from janmat.engine import (
    CLUSTER_HEAP,
    CLUSTER_PORTS,
    KINDS,
    EngineError,
    EngineStatus,
    cluster_status,
    start,
    start_cluster,
    status,
    stop,
    stop_cluster,
)

Kind = StrEnum("Kind", [(kind, kind) for kind in KINDS])
"""The engines the launcher knows, as the choices of the KIND argument."""


engine_app = typer.Typer(
    help="Start, stop and inspect the local OpenSearch / Elasticsearch test nodes (built from Maven Central).",
    no_args_is_help=True,
)

KindArg = Annotated[Kind, typer.Argument(help="opensearch or elasticsearch.")]
PortOption = Annotated[int | None, typer.Option("--port", help="HTTP port (default 9200 OpenSearch, 9201 ES).")]


def _show(found: EngineStatus) -> None:
    table = Table(show_header=False, box=None)
    state = "[green]running[/green]" if found.running else "[yellow]not running[/yellow]"
    table.add_row("engine", found.kind)
    table.add_row("state", state + (f" (pid {found.pid})" if found.pid else ""))
    table.add_row("url", found.url)
    table.add_row("health", found.health or "unreachable")
    if found.version:
        table.add_row("version", found.version)
    if found.rss_mb is not None:
        table.add_row("rss", f"{found.rss_mb:.0f} MiB")
    table.add_row("log", found.log or "")
    out.print(table)


@engine_app.command("start")
@clear_errors
def start_command(
    kind: KindArg,
    port: PortOption = None,
    wait: Annotated[bool, typer.Option("--wait/--no-wait", help="Wait for yellow cluster health.")] = True,
) -> None:
    """Start an engine (building it with Maven the first time) and wait until it is healthy."""
    began = time.monotonic()
    found = start(kind.value, port=port, wait=wait)
    _show(found)
    out.print(f"ready in {time.monotonic() - began:.1f}s" if wait else "started (not waiting)")


@engine_app.command("stop")
@clear_errors
def stop_command(kind: KindArg, port: PortOption = None) -> None:
    """Stop an engine started by `janmat engine start` (SIGTERM, then SIGKILL after 60 s)."""
    current = status(kind.value)
    if port is not None and current.running and current.port != port:
        raise EngineError(f"{kind.value} runs on port {current.port}, not {port}")
    stopped = stop(kind.value)
    out.print(f"{kind.value}: {'stopped' if stopped else 'was not running'}")


@engine_app.command("status")
@clear_errors
def status_command(
    kind: KindArg,
    port: PortOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show whether an engine runs, its health, version, memory and log file; exit 1 if not running."""
    found = status(kind.value, port=port)
    if as_json:
        out.print_json(json.dumps(found.as_dict()))
    else:
        _show(found)
    if not found.running:
        raise typer.Exit(1)


DEFAULT_CLUSTER_PORTS = ",".join(map(str, CLUSTER_PORTS))
cluster_app = typer.Typer(
    help="A local two-node OpenSearch cluster (node 1 cluster-manager + data, node 2 data) for failover tests.",
    no_args_is_help=True,
)
engine_app.add_typer(cluster_app, name="cluster")


def _ports(value: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in value.split(","))
    except ValueError:
        raise typer.BadParameter(f"comma-separated HTTP ports such as 9210,9211, not {value!r}") from None


@cluster_app.command("start")
@clear_errors
def cluster_start_command(
    ports: Annotated[str, typer.Option("--ports", help="HTTP ports, one node each.")] = DEFAULT_CLUSTER_PORTS,
    heap: Annotated[str, typer.Option("--heap", help="JVM heap per node.")] = CLUSTER_HEAP,
    fresh: Annotated[bool, typer.Option("--fresh", help="Wipe the nodes' data before starting.")] = False,
) -> None:
    """Start the cluster (one OpenSearch node per port, seed-host discovery on 127.0.0.1) and wait for it."""
    began = time.monotonic()
    for node in start_cluster(_ports(ports), heap=heap, fresh=fresh):
        _show(node)
    out.print(f"ready in {time.monotonic() - began:.1f}s")


@cluster_app.command("stop")
@clear_errors
def cluster_stop_command() -> None:
    """Stop every node of the cluster."""
    out.print(f"opensearch cluster: {stop_cluster()} node(s) stopped")


@cluster_app.command("status")
@clear_errors
def cluster_status_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the cluster's running nodes; exit 1 if none runs."""
    nodes = cluster_status()
    if as_json:
        out.print_json(json.dumps([node.as_dict() for node in nodes]))
    else:
        for node in nodes:
            _show(node)
    if not nodes:
        raise typer.Exit(1)
