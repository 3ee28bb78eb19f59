"""Reading JSONL files of rows (``janmat ingest``, ``janmat tag``) and turning rows into Mentions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from janmat.core.errors import InputError
from janmat.core.mention import IST, Mention, Platform, Source, mention_id_for_text, mention_id_for_url
from janmat.core.urls import canonical_url

ROW_FIELDS = {"id", "text", "title", "url", "published_at", "platform", "source", "author", "lang"}


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any] | InputError]]:
    """Open ``path`` now (a missing file is an InputError at once), then yield (line number, row) per line.

    A malformed line yields an InputError in place of its row, so callers can report it and carry on.
    """
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return _rows(path, handle)


def _rows(path: Path, handle: TextIO) -> Iterator[tuple[int, dict[str, Any] | InputError]]:
    with handle:
        try:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield number, InputError(f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})")
                    continue
                if not isinstance(row, dict):
                    yield number, InputError(f"line {number}: expected a JSON object, got {type(row).__name__}")
                    continue
                yield number, row
        except UnicodeDecodeError as exc:
            raise InputError(f"{path} is not UTF-8 text: {exc.reason} at byte {exc.start}") from exc


def parse_date(value: Any, field: str = "published_at") -> datetime | None:
    """An ISO 8601 date or datetime; naive values are IST. Raises InputError with the bad value."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InputError(f"{field}: expected an ISO date string, got {value!r}")
    text = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        expected = "YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][±HH:MM]"
        raise InputError(f"{field}: {value!r} is not an ISO date ({expected})") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=IST)


def mention_from_row(row: dict[str, Any]) -> Mention:
    """Build a Mention from an ingest row (``text`` required; ``id`` kept; otherwise id from URL or text)."""
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError("row has no 'text'")
    url = row.get("url") or None
    if url is not None and not isinstance(url, str):
        raise InputError(f"url: expected a string, got {url!r}")
    canonical = canonical_url(url) if url else None
    source_value = row.get("source")
    if isinstance(source_value, dict):
        source = Source.model_validate(source_value)
    else:
        source = Source(
            name=str(source_value) if source_value else None, domain=urlsplit(url).hostname if url else None
        )
    platform_value = row.get("platform") or "news"
    try:
        platform = Platform(platform_value)
    except ValueError as exc:
        allowed = ", ".join(p.value for p in Platform)
        raise InputError(f"platform: {platform_value!r} is not one of {allowed}") from exc
    given_id = row.get("id")
    if given_id is not None and not isinstance(given_id, str | int):
        raise InputError(f"id: expected a string, got {given_id!r}")
    mention_id = (
        str(given_id)
        if given_id not in (None, "")
        else mention_id_for_url(canonical)
        if canonical
        else mention_id_for_text(text, source.name)
    )
    extra = {k: v for k, v in row.items() if k not in ROW_FIELDS}
    return Mention(
        id=mention_id,
        platform=platform,
        source=source,
        url=url,
        canonical_url=canonical,
        title=row.get("title") or None,
        text=text,
        lang=row.get("lang") or None,
        published_at=parse_date(row.get("published_at")),
        author=row.get("author") or None,
        meta={"row": extra} if extra else {},
    )
