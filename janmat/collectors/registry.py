"""Collectors by name: every collector, Janmat's own too, is an entry point in the ``janmat.collectors`` group.

A package adds a platform by declaring ``NAME = "package.module:CollectorClass"`` under
``[project.entry-points."janmat.collectors"]`` in its ``pyproject.toml``; once it is installed,
``janmat collect run -p NAME`` runs it. ``collect run`` without ``-p`` runs the collectors named in
``JANMAT_COLLECTOR_ENABLED`` (a JSON list, in that order), else every registered one: Janmat's own in
``BUILT_IN_ORDER``, then the others by name.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import EntryPoint, entry_points

from janmat.collectors.base import Collector
from janmat.core.errors import ConfigError
from janmat.core.settings import JanmatSettings, get_settings

GROUP = "janmat.collectors"

BUILT_IN_ORDER = ("x", "youtube", "facebook", "telegram", "gnews", "factcheck")
"""The order Janmat's own collectors run in (the installed entry points themselves come in no set order)."""


def registered() -> dict[str, EntryPoint]:
    """Every installed collector's entry point by name, in run order."""
    found = {point.name: point for point in entry_points(group=GROUP)}
    order = [name for name in BUILT_IN_ORDER if name in found] + sorted(set(found) - set(BUILT_IN_ORDER))
    return {name: found[name] for name in order}


def pick(platforms: Sequence[str] | None, settings: JanmatSettings | None = None) -> list[str]:
    """The collector names to run: the given ones, else ``JANMAT_COLLECTOR_ENABLED``, else every registered one.

    A name that is not registered is a ConfigError listing the registered ones.
    """
    known = registered()
    chosen = platforms or (settings or get_settings()).collectors.enabled or list(known)
    unknown = [name for name in chosen if name not in known]
    if unknown:
        raise _unknown(unknown, known)
    return list(dict.fromkeys(chosen))


def collector_class(name: str) -> type[Collector]:
    """The registered collector class of ``name`` (a ConfigError if it is missing or does not load)."""
    known = registered()
    point = known.get(name)
    if point is None:
        raise _unknown([name], known)
    try:
        found = point.load()
    except Exception as exc:  # a broken plug-in must not stop the other collectors
        raise ConfigError(f"collector {name} ({point.value}) cannot be loaded: {exc}") from exc
    if not (isinstance(found, type) and issubclass(found, Collector)) or getattr(found, "name", None) != name:
        raise ConfigError(f"entry point {name} = {point.value} is not a Collector subclass named {name!r}")
    return found


def _unknown(names: Sequence[str], known: dict[str, EntryPoint]) -> ConfigError:
    if not known:
        return ConfigError(f"no collectors are registered (entry-point group {GROUP}): install Janmat "
                           "(make setup, or pip install -e .)")
    return ConfigError(f"unknown platform {', '.join(names)}; choose from {', '.join(known)}")
