"""Typed errors raised near their cause and turned into one clear line at the edge (CLI, API)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError


class JanmatError(Exception):
    """Base of every error Janmat reports to a user."""


class ConfigError(JanmatError):
    """A setting, store URL or option is invalid."""


class InputError(JanmatError):
    """An input file, row, date or query is malformed."""


class StoreUnavailableError(JanmatError):
    """The store cannot be reached right now; the caller should spool and retry."""


def explain(
    error: ValidationError, *, limit: int | None = None, where: Callable[[tuple[Any, ...]], str] | None = None
) -> str:
    """One line naming each bad field and why: ``url: …; published_at: …`` (the first ``limit`` problems).

    ``where`` may turn a location into a friendlier name (``source #3 (bhaskar): feeds``). For a settings section
    the field is named by its environment variable (``JANMAT_STORE_BULK_CHUNK``), since that is what the user wrote.
    """
    prefix = _env_prefix(error.title)
    parts = []
    for problem in error.errors()[:limit]:
        name = where(tuple(problem["loc"])) if where else ".".join(str(p) for p in problem["loc"]) or "record"
        if prefix and not name.startswith("JANMAT_"):  # a key inside a JSON value keeps its case: JANMAT_X (a.b)
            head, _, inside = name.partition(".")
            name = f"{prefix}{head}".upper() + (f" ({inside})" if inside else "")
        parts.append(f"{name}: {problem['msg'].removeprefix('Value error, ')}")
    more = len(error.errors()) - len(parts)
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def _env_prefix(model_name: str) -> str | None:
    """The environment prefix of a settings section by its class name, or None for other models."""
    from janmat.core import settings  # late: settings is a sibling that must not import errors at module level

    model = getattr(settings, model_name, None)
    config = getattr(model, "model_config", None) or {}
    return config.get("env_prefix")
