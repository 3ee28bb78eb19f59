"""The rows of a JSONL input file (``janmat ingest``, ``janmat tag``) as mentions, or why a row was refused;
and the rejects file ``janmat ingest`` writes every refused row to."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from janmat.core.errors import InputError, JanmatError, explain
from janmat.core.mention import Mention
from janmat.core.rows import Line


@dataclass(frozen=True)
class RowOutcome:
    """One non-blank line of the input: the mention it became, or why not and at which stage.

    ``stage`` is ``read`` for a line that is not UTF-8 JSON holding an object, ``validate`` for a row whose fields
    are wrong (url, dates, types, missing text)."""

    line: Line
    mention: Mention | None = None
    reason: str | None = None
    stage: str = ""


def rows_in(path: Path) -> Iterator[RowOutcome]:
    """A ``RowOutcome`` per non-blank line of ``path``, in order.

    The file is opened now, so a missing file is an ``InputError`` before anything else happens.
    """
    from janmat.core.rows import iter_jsonl, mention_from_row  # late: canonical URLs load tldextract (~60 ms)

    lines = iter_jsonl(path)

    def outcomes() -> Iterator[RowOutcome]:
        for line, row in lines:
            if isinstance(row, InputError):
                where = f"line {line.number} (byte {line.offset}): "
                yield RowOutcome(line, reason=str(row).removeprefix(where), stage="read")
                continue
            try:
                yield RowOutcome(line, mention=mention_from_row(row))
            except InputError as exc:
                yield RowOutcome(line, reason=str(exc), stage="validate")
            except ValidationError as exc:
                yield RowOutcome(line, reason=explain(exc), stage="validate")

    return outcomes()


def mentions_in(path: Path) -> Iterator[tuple[int, Mention | str]]:
    """(line number, mention) per good line and (line number, reason) per bad one."""
    return ((o.line.number, o.mention if o.mention is not None else str(o.reason)) for o in rows_in(path))


def default_rejects_path(path: Path) -> Path:
    """Where ``janmat ingest FILE`` writes refused rows unless told: ``FILE.rejects.jsonl`` beside the input."""
    return path.with_name(f"{path.name}.rejects.jsonl")


class RejectsFile:
    """The rejects file, created on the first refused row (an earlier file there is replaced), one JSON object a
    line: ``line``, ``offset`` (byte where the line starts), ``reason``, ``stage`` and ``raw`` (the line as read,
    undecodable bytes as backslash escapes)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._handle: IO[str] | None = None
        if not path.parent.is_dir():
            raise InputError(f"cannot write rejects to {path}: {path.parent} is not a folder")
        if path.is_dir():
            raise InputError(f"cannot write rejects to {path}: it is a folder")

    def write(self, line: Line, reason: str, stage: str) -> None:
        """Append one refused row."""
        record = {"line": line.number, "offset": line.offset, "reason": reason, "stage": stage,
                  "raw": line.raw.decode("utf-8", "backslashreplace").rstrip("\r\n")}
        try:
            if self._handle is None:
                self._handle = self.path.open("w", encoding="utf-8")
            self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise JanmatError(f"cannot write rejects to {self.path}: {exc.strerror or exc}") from exc
        self.count += 1

    def close(self) -> None:
        """Flush and close the file, if one was written."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
