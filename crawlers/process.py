"""Run a Scrapy spider in a child process: the one way the CLI, the demo, the collectors and the monitor start one.

Twisted's reactor cannot be restarted inside one process, so every crawl runs as ``python -m scrapy crawl`` in a
child with the project's Scrapy settings; that also keeps a crawl's memory and signals apart from its caller.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO

SCRAPY_SETTINGS_MODULE = "crawlers.settings"


def spider_command(spider: str, args: Mapping[str, str] | None = None,
                   settings: Mapping[str, object] | None = None) -> list[str]:
    """The command line that crawls with ``spider``, its ``-a`` arguments and ``-s`` setting overrides."""
    command = [sys.executable, "-m", "scrapy", "crawl", spider]
    for name, value in (args or {}).items():
        command += ["-a", f"{name}={value}"]
    for name, value in (settings or {}).items():
        command += ["-s", f"{name}={value}"]
    return command


def spider_env(unset: tuple[str, ...] = (), **extra: str) -> dict[str, str]:
    """The child's environment: ours, with the project's Scrapy settings module, ``extra`` added, ``unset`` removed."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.setdefault("SCRAPY_SETTINGS_MODULE", SCRAPY_SETTINGS_MODULE)
    env.update(extra)
    for name in unset:
        env.pop(name, None)
    return env


def start_spider(
    spider: str,
    args: Mapping[str, str] | None = None,
    settings: Mapping[str, object] | None = None,
    *,
    cwd: Path | str | None = None,
    output: IO[str] | int | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """Start the crawl in a child process and return it; ``output`` takes its stdout and stderr (default: ours).

    ``cwd`` should be a scratch folder when the caller may run outside the source tree, so Scrapy does not pick up
    a ``scrapy.cfg`` from wherever the user happens to be.
    """
    return subprocess.Popen(
        spider_command(spider, args, settings),
        cwd=cwd,
        env=dict(env) if env is not None else spider_env(),
        stdin=subprocess.DEVNULL,
        stdout=output,
        stderr=subprocess.STDOUT if output is not None else None,
    )


def run_spider(
    spider: str,
    args: Mapping[str, str] | None = None,
    settings: Mapping[str, object] | None = None,
    *,
    cwd: Path | str | None = None,
    output: IO[str] | int | None = None,
    env: Mapping[str, str] | None = None,
) -> int:
    """Crawl to the end in a child process and return its exit status."""
    return start_spider(spider, args, settings, cwd=cwd, output=output, env=env).wait()
