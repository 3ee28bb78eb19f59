"""Durations as people write them in rules and settings: ``30m``, ``2h``, ``7d``, ``1w`` (Devanagari digits too)."""

from __future__ import annotations

import re
from datetime import timedelta

from janmat.core.errors import InputError

_DURATION = re.compile(r"^\s*([0-9\u0966-\u096f]+)\s*([smhdw])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}


def parse_duration(text: str) -> timedelta:
    """``30m`` → 30 minutes; an InputError saying the accepted forms for anything else."""
    found = _DURATION.match(text or "")
    if not found:
        raise InputError(f"bad duration {text!r}: use a number and s, m, h, d or w, e.g. 30m, 2h, 7d")
    amount = int("".join(str(int(ch)) for ch in found.group(1)))  # int() reads Devanagari digits one by one
    return timedelta(seconds=amount * _UNITS[found.group(2)])


def seconds(text: str) -> float:
    """A duration in seconds."""
    return parse_duration(text).total_seconds()
