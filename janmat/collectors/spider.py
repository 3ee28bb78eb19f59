"""Collectors that crawl (Telegram, Google News's articles) run a Scrapy spider and read back its report file.

The spider runs in a child process (``crawlers.process.run_spider``) from a scratch folder, its log goes to
``<state_dir>/<collector>-last-run.log``, and its inputs are JSON files it is given by path. A spider that did
not start or did not write its report is a CollectorError quoting the end of its log.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from crawlers.process import run_spider
from janmat.collectors.errors import CollectorError
from janmat.core.settings import JanmatSettings

_TAIL_LINES = 15


def log_path(settings: JanmatSettings, collector: str) -> Path:
    """Where a collector's last crawl wrote its log."""
    return settings.state_dir / f"{collector}-last-run.log"


def crawl_with_report(collector: str, spider: str, settings: JanmatSettings, args: Mapping[str, str],
                      inputs: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Run ``spider`` to the end with ``-a report=…`` and each input as ``-a name=<JSON file>``; its report."""
    log = log_path(settings, collector)
    log.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        report_path = Path(tmp) / "report.json"
        spider_args = {**args, "report": str(report_path)}
        for name, value in (inputs or {}).items():
            (Path(tmp) / f"{name}.json").write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
            spider_args[name] = str(Path(tmp) / f"{name}.json")
        with log.open("w", encoding="utf-8") as log_file:
            status = run_spider(spider, spider_args, cwd=tmp, output=log_file)
        if status != 0 or not report_path.exists():
            tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-_TAIL_LINES:])
            raise CollectorError(f"{collector}: the {spider} spider did not run (exit {status}); see {log}:\n{tail}")
        return dict(json.loads(report_path.read_text(encoding="utf-8")))
