"""The rows of a JSONL input file (``janmat ingest``, ``janmat tag``) as mentions, or why a row was refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from janmat.core.errors import InputError, explain
from janmat.core.mention import Mention


def mentions_in(path: Path) -> Iterator[tuple[int, Mention | str]]:
    """(line number, mention) per good line and (line number, reason) per bad one.

    The file is opened now, so a missing file is an ``InputError`` before anything else happens.
    """
    from janmat.core.rows import mention_from_row, read_jsonl  # late: canonical URLs load tldextract (~60 ms)

    lines = read_jsonl(path)

    def mentions() -> Iterator[tuple[int, Mention | str]]:
        for number, row in lines:
            if isinstance(row, InputError):
                yield number, str(row).removeprefix(f"line {number}: ")
                continue
            try:
                yield number, mention_from_row(row)
            except InputError as exc:
                yield number, str(exc)
            except ValidationError as exc:
                yield number, explain(exc)

    return mentions()
