"""Reading JSONL files of rows (``janmat ingest``, ``janmat tag``) and turning rows into Mentions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from janmat.core.errors import InputError
from janmat.core.mention import (
    IST,
    Mention,
    Platform,
    Source,
    date_out_of_range,
    mention_id_for_text,
    mention_id_for_url,
)
from janmat.core.urls import canonical_url

ROW_FIELDS = {"id", "text", "title", "url", "published_at", "platform", "source", "author", "lang"}


@dataclass(frozen=True)
class Line:
    """One line of an input file: its 1-based number, the byte offset where it starts, and its bytes."""

    number: int
    offset: int
    raw: bytes


def iter_jsonl(path: Path) -> Iterator[tuple[Line, dict[str, Any] | InputError]]:
    """Open ``path`` now (a missing file is an InputError at once), then yield (line, row) per non-blank line.

    Each line is decoded on its own, so a line that is not UTF-8, not JSON or not an object yields an InputError in
    place of its row and every line after it is still read; byte offsets stay exact whatever the encoding damage.
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return _rows(handle)


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any] | InputError]]:
    """Like ``iter_jsonl``, with only the line number of each row."""
    return ((line.number, row) for line, row in iter_jsonl(path))


def _rows(handle: BinaryIO) -> Iterator[tuple[Line, dict[str, Any] | InputError]]:
    with handle:
        offset = 0
        for number, raw in enumerate(handle, 1):
            line = Line(number, offset, raw)
            offset += len(raw)
            if not raw.strip():
                continue
            yield line, _parse_line(line)


def _parse_line(line: Line) -> dict[str, Any] | InputError:
    where = f"line {line.number} (byte {line.offset})"
    try:
        text = line.raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return InputError(f"{where}: not UTF-8 text ({exc.reason} at byte {line.offset + exc.start})")
    try:
        row = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        why = f"{exc.msg} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        return InputError(f"{where}: not valid JSON ({why})")
    if not isinstance(row, dict):
        return InputError(f"{where}: expected a JSON object, got {type(row).__name__}")
    return row


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
    moment = moment if moment.tzinfo else moment.replace(tzinfo=IST)
    problem = date_out_of_range(moment)
    if problem:
        raise InputError(f"{field}: {value!r} {problem}")
    return moment


def mention_from_row(row: dict[str, Any]) -> Mention:
    """Build a Mention from an ingest row (``text`` required; ``id`` kept; otherwise id from URL or text)."""
    text = row.get("text")
    if text is not None and not isinstance(text, str):
        raise InputError(f"text: expected a string, got {type(text).__name__}")
    if not text or not text.strip():
        raise InputError("row has no 'text'")
    url = row.get("url") or None
    if url is not None and not isinstance(url, str):
        raise InputError(f"url: expected a string, got {url!r}")
    try:
        canonical = canonical_url(url) if url else None
    except ValueError as exc:
        raise InputError(f"url: {exc}") from None
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
    for name in ("title", "lang", "author"):
        if row.get(name) is not None and not isinstance(row[name], str):
            raise InputError(f"{name}: expected a string, got {type(row[name]).__name__}")
    given_id = row.get("id")
    if isinstance(given_id, bool) or (given_id is not None and not isinstance(given_id, str | int)):
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
