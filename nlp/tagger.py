"""Taggers as registered components: the ``Tagger`` protocol, the registry, and the start-up checks.

A tagger is a class registered by name with ``@register_tagger("districts")``. It says which Mention fields it
sets (``assigns``) and which fields set by another tagger it reads (``requires``), tags a batch of mentions in
place (``tag_many``), and says how its fields appear in a ``janmat tag`` output row (``columns``).

Which taggers run, and in what order, is ``get_settings().nlp.taggers`` (``JANMAT_NLP_TAGGERS``). A name is found
by importing the module that registers it: ``nlp/<name>.py`` for the taggers that ship with Janmat, or a module
listed in ``JANMAT_NLP_TAGGER_MODULES`` for a tagger kept in another package. ``docs/writing-a-tagger.md`` has a
complete example.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar, Protocol, TypeVar

from janmat.core.errors import ConfigError
from janmat.core.mention import Mention
from janmat.core.settings import DEFAULT_TAGGERS

log = logging.getLogger(__name__)

SETTING = "JANMAT_NLP_TAGGERS"
"""The setting that lists the taggers; errors name it, since that is what the user wrote."""


class Tagger(Protocol):
    """One NLP component: fills some Mention fields on a batch of mentions, in place."""

    name: ClassVar[str]
    """The registered name, as written in ``JANMAT_NLP_TAGGERS`` (set by ``register_tagger``)."""
    assigns: ClassVar[tuple[str, ...]]
    """Mention fields this tagger sets (``meta.<key>`` for an extra kept under ``meta``)."""
    requires: ClassVar[tuple[str, ...]]
    """Fields set by another tagger that this one reads; that tagger must run earlier."""

    def tag_many(self, mentions: list[Mention]) -> None:
        """Tag every mention of the batch in place."""

    @staticmethod
    def columns(mention: Mention) -> dict[str, Any]:
        """This tagger's fields as they appear in a ``janmat tag`` output row (``{}`` for none)."""


class MissingModelError(FileNotFoundError):
    """A tagger's trained model is not installed: that tagger is skipped with a warning, the others run."""


_REGISTRY: dict[str, type[Tagger]] = {}
T = TypeVar("T", bound=type)


def register_tagger(name: str) -> Callable[[T], T]:
    """Class decorator: register a tagger under ``name``; its constructor's keyword arguments are its options."""

    def register(cls: T) -> T:
        missing = [member for member in ("assigns", "requires", "tag_many", "columns") if not hasattr(cls, member)]
        if missing:
            raise TypeError(f"tagger {name!r} ({_where(cls)}) lacks {', '.join(missing)}")
        for field in (*cls.assigns, *cls.requires):
            if field.split(".", 1)[0] not in Mention.model_fields:
                raise TypeError(f"tagger {name!r} names {field!r}, which is not a Mention field")
        known = _REGISTRY.get(name)
        if known is not None and _where(known) != _where(cls):
            raise TypeError(f"tagger name {name!r} is taken by {_where(known)}")
        cls.name = name
        _REGISTRY[name] = cls
        return cls

    return register


def _where(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def tagger_classes(names: Sequence[str], modules: Iterable[str] = ()) -> list[type[Tagger]]:
    """The registered tagger classes for ``names``, in order, after checking that their requirements are met."""
    classes = _resolve(names, modules)
    _check_order(classes)
    return classes


def _resolve(names: Sequence[str], modules: Iterable[str]) -> list[type[Tagger]]:
    """The registered classes for ``names``, importing the modules that register them."""
    for module in modules:
        _import(module, f"JANMAT_NLP_TAGGER_MODULES lists {module!r}")
    classes = []
    for name in names:
        if name not in _REGISTRY and name.isidentifier() and importlib.util.find_spec(f"nlp.{name}") is not None:
            _import(f"nlp.{name}", f"tagger {name!r}")
        if name not in _REGISTRY:
            known = {*DEFAULT_TAGGERS, *_REGISTRY}
            raise ConfigError(f"unknown tagger {name!r} in {SETTING}: no nlp/{name}.py and no module in "
                              f"JANMAT_NLP_TAGGER_MODULES registers it (known: {', '.join(sorted(known))})")
        classes.append(_REGISTRY[name])
    return classes


def _import(module: str, what: str) -> None:
    try:
        importlib.import_module(module)
    except ImportError as exc:
        raise ConfigError(f"{what}: cannot import {module}: {exc}") from exc


def _check_order(taggers: Sequence[type[Tagger] | Tagger]) -> None:
    """Fail with one clear line when a tagger is listed twice, or reads a field no earlier tagger assigns."""
    names = [tagger.name for tagger in taggers]
    for position, tagger in enumerate(taggers):
        if tagger.name in names[:position]:
            raise ConfigError(f"tagger {tagger.name!r} is listed twice in {SETTING}")
        earlier = {field for other in taggers[:position] for field in other.assigns}
        for field in tagger.requires:
            if field in earlier:
                continue
            later = next((other.name for other in taggers[position + 1:] if field in other.assigns), None)
            if later is not None:
                raise ConfigError(f"tagger {tagger.name!r} requires {field!r}, which {later!r} assigns only after "
                                  f"it: list {later!r} before {tagger.name!r} in {SETTING}")
            known = sorted(name for name, cls in _REGISTRY.items() if field in cls.assigns)
            hint = f": add {' or '.join(map(repr, known))} before {tagger.name!r}" if known else ""
            raise ConfigError(f"tagger {tagger.name!r} requires {field!r}, which no tagger in {SETTING} "
                              f"assigns{hint}")


def build_taggers(
    items: Sequence[str | Tagger], options: Mapping[str, Mapping[str, Any]], modules: Iterable[str] = ()
) -> list[Tagger]:
    """Check the configured taggers and build them in order (``items`` may also hold ready-made taggers).

    A tagger whose trained model is not installed (``MissingModelError``) is left out with a warning.
    """
    classes = iter(_resolve([item for item in items if isinstance(item, str)], modules))
    resolved = [next(classes) if isinstance(item, str) else item for item in items]
    _check_order(resolved)
    unknown = sorted(set(options) - {tagger.name for tagger in resolved})
    if unknown:
        raise ConfigError(f"JANMAT_NLP_TAGGER_OPTIONS names {', '.join(map(repr, unknown))}, not in {SETTING}")
    built: list[Tagger] = []
    for item in resolved:
        if not isinstance(item, type):
            built.append(item)
            continue
        kwargs = dict(options.get(item.name, {}))
        try:
            inspect.signature(item).bind(**kwargs)
        except TypeError as exc:
            raise ConfigError(f"tagger {item.name!r}: bad options in JANMAT_NLP_TAGGER_OPTIONS: {exc}") from exc
        try:
            built.append(item(**kwargs))
        except MissingModelError as exc:
            log.warning("%s tagging is off: %s", item.name, exc)
    return built


class BatchModelTagger:
    """Base of taggers that run a trained model once per batch (fastest on many texts at a time) and set one
    field. A model failure leaves that field untouched on the whole batch and is logged: the mentions go on."""

    assigns: ClassVar[tuple[str, ...]]

    def predict(self, mentions: list[Mention]) -> list[Any]:
        """One value of the assigned field per mention."""
        raise NotImplementedError

    def tag_many(self, mentions: list[Mention]) -> None:
        """Predict for the whole batch, then set the field on each mention."""
        (field,) = self.assigns
        try:
            results = self.predict(mentions)
        except Exception:  # a broken model must not lose the mentions: they are stored without this tag
            log.exception("%s tagging failed for a batch of %d mentions", field, len(mentions))
            return
        for mention, result in zip(mentions, results, strict=True):
            setattr(mention, field, result)
