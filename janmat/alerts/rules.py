"""Alert rules (standing queries): what a rule says, how it is read from a file, and the built-in spike rules.

A rule is a search (``query`` plus district, scheme, tone, platform, language and misinformation conditions) and
what to do when it fires. ``kind: match`` fires when new mentions match; ``kind: spike`` watches the volume and
negative share of the matching mentions for a sudden rise, per district and / or scheme. In a spike rule,
``"*"`` in ``districts`` or ``schemes`` means *each one separately* (``districts: ["*"]`` watches every district).
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from janmat.alerts.durations import parse_duration
from janmat.alerts.model import Channel
from janmat.core.errors import InputError, JanmatError, explain
from janmat.core.mention import Platform, SentimentLabel
from janmat.core.settings import AlertSettings, NotifySettings
from janmat.store.base import MentionQuery
from janmat.store.filters import resolve_districts, resolve_langs, resolve_platforms, resolve_schemes, sentiment_label
from janmat.store.query_parser import parse_query

RuleKind = Literal["match", "spike"]
EACH = "*"
"""In a spike rule's ``districts`` or ``schemes``: each district (scheme) is watched on its own."""
DEFAULT_PREFIX = "default:"
_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_-")
_LANG_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-")
STORED = {"stored": True}
"""Validation context for a rule read back from the store: it was checked when added, and a language tag accepted
then stays readable (rules added before tags were checked against the tagger's list may hold any code)."""


def _listed(value: Any) -> Any:
    """A single value where a list is expected becomes a one-item list; None becomes an empty list."""
    if value is None:
        return []
    return [value] if isinstance(value, str | bool | int) else value


def _user_error(exc: JanmatError) -> ValueError:
    return ValueError(str(exc))


class AlertRule(BaseModel):
    """One standing query or spike rule, as stored and as written in ``RULE.json`` / ``RULE.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = ""
    """Given by Janmat when the rule is added (a hash of its content), unless the file names one."""
    name: str
    kind: RuleKind = "match"
    query: str | None = None
    """Search words, ``"phrases"``, ``OR`` and ``-excluded`` words, as in ``janmat search``."""
    districts: list[str] = Field(default_factory=list)
    """District names in any script (हिसार, Hisar, Hissar); stored as district keys. ``"*"``: each (spike rules)."""
    schemes: list[str] = Field(default_factory=list)
    """Scheme ids or names (pm-kisan, पीएम किसान); stored as scheme ids. ``"*"``: each (spike rules)."""
    sentiment: list[SentimentLabel] = Field(default_factory=list)
    """Tones: positive, negative, neutral (or सकारात्मक, नकारात्मक, तटस्थ); one label or a list."""
    platforms: list[Platform] = Field(default_factory=list)
    """Platforms: news, x (or twitter), youtube, facebook, telegram, gnews, factcheck, other; any case."""
    langs: list[str] = Field(default_factory=list)
    """Language tags as the language tagger writes them: hi, en, hi-Latn, mixed, … (or Hindi, हिंदी, English…)."""
    misinformation: bool | None = None
    """True: only mentions flagged as misinformation; False: only unflagged ones; unset: both."""
    channels: list[Channel] = Field(default_factory=list)
    """Where its alerts go; empty means ``JANMAT_NOTIFY_CHANNELS`` (else every configured channel)."""
    cooldown: str | None = None
    """At most one alert per this long (per district / scheme for a spike rule), e.g. ``30m``, ``2h``; unset means
    ``JANMAT_ALERTS_COOLDOWN``."""

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        value = value.strip()
        if value and not (len(value) <= 64 and set(value) <= _ID_CHARS):
            raise ValueError(f"{value!r}: use up to 64 lower-case letters, digits, '-' or '_'")
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("a rule needs a name")
        if len(value) > 200:
            raise ValueError("at most 200 characters")
        return value

    @field_validator("query")
    @classmethod
    def _query(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            parse_query(value)
        except InputError as exc:
            raise _user_error(exc) from None
        return value.strip()

    @field_validator("districts", mode="before")
    @classmethod
    def _districts(cls, value: Any, info: ValidationInfo) -> list[str]:
        return _each_or(value, resolve_districts, info.data.get("kind"))

    @field_validator("schemes", mode="before")
    @classmethod
    def _schemes(cls, value: Any, info: ValidationInfo) -> list[str]:
        return _each_or(value, resolve_schemes, info.data.get("kind"))

    @field_validator("sentiment", mode="before")
    @classmethod
    def _sentiment(cls, value: Any) -> list[str]:
        try:
            return list(dict.fromkeys(sentiment_label(str(v)) for v in _listed(value)))
        except InputError as exc:
            raise _user_error(exc) from None

    @field_validator("channels", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return _listed(value)

    @field_validator("platforms", mode="before")
    @classmethod
    def _platforms(cls, value: Any) -> list[str]:
        try:
            return resolve_platforms([str(v) for v in _listed(value)])
        except InputError as exc:
            raise _user_error(exc) from None

    @field_validator("langs", mode="before")
    @classmethod
    def _langs(cls, value: Any, info: ValidationInfo) -> list[str]:
        langs = [str(v).strip() for v in _listed(value)]
        if info.context and info.context.get("stored"):
            for lang in langs:
                if not (1 < len(lang) <= 12 and set(lang) <= _LANG_CHARS):
                    raise ValueError(f"bad language {lang!r}: use codes such as hi, en, hi-Latn, mixed")
            return langs
        try:
            return resolve_langs(langs)
        except InputError as exc:
            raise _user_error(exc) from None

    @field_validator("cooldown")
    @classmethod
    def _cooldown(cls, value: str | None) -> str | None:
        if value is None or not str(value).strip():
            return None
        try:
            span = parse_duration(str(value))
        except InputError as exc:
            raise _user_error(exc) from None
        if span < timedelta(minutes=1):
            raise ValueError(f"{value!r} is shorter than a minute")
        return str(value).strip()

    # -- what the rule means -----------------------------------------------------------------------------

    @property
    def is_default(self) -> bool:
        """True for the built-in spike rules."""
        return self.id.startswith(DEFAULT_PREFIX)

    def cooldown_for(self, settings: AlertSettings) -> timedelta:
        """The rule's cool-down, or the configured default."""
        return parse_duration(self.cooldown or settings.cooldown)

    def mention_query(self, **bounds: Any) -> MentionQuery:
        """The rule's conditions as a store query (``"*"`` is no condition); ``bounds`` add ``since``, ``until``,
        ``limit``, ``sort``…"""
        return MentionQuery(
            text=self.query,
            districts=[d for d in self.districts if d != EACH],
            schemes=[s for s in self.schemes if s != EACH],
            sentiments=list(self.sentiment),
            platforms=[p.value for p in self.platforms],
            langs=list(self.langs),
            misinformation=self.misinformation,
            **bounds,
        )

    def filter_signature(self) -> str:
        """The conditions alone (not name, grouping or channels): spike rules with the same one watch the same
        mentions at different levels (district, scheme, district × scheme)."""
        conditions = self.mention_query().model_dump(include={"text", "districts", "schemes", "sentiments",
                                                               "platforms", "langs", "misinformation"})
        return json.dumps(conditions, sort_keys=True, ensure_ascii=False)

    def content_id(self) -> str:
        """A stable id from the rule's content: adding the same rule twice gives the same id."""
        content = self.model_dump(mode="json", exclude={"id"})
        digest = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        return f"r{digest[:11]}"

    def with_id(self) -> AlertRule:
        """This rule with its id filled in (the given one, else ``content_id``)."""
        return self if self.id else self.model_copy(update={"id": self.content_id()})


def _each_or(value: Any, resolve: Any, kind: str | None) -> list[str]:
    """``["*"]`` stays as it is (spike rules only); otherwise every name resolved to its canonical key."""
    names = [str(name).strip() for name in _listed(value) if str(name).strip()]
    if EACH in names:
        if kind != "spike":
            raise ValueError('"*" (each one separately) is for spike rules; a standing query names what it wants')
        if len(names) > 1:
            raise ValueError('"*" means each one separately and cannot be combined with names')
        return [EACH]
    try:
        return resolve(names)
    except InputError as exc:
        raise _user_error(exc) from None


def parse_rule(data: Any) -> AlertRule:
    """A rule from a parsed JSON/YAML object, with its id; a malformed one is an InputError naming the field."""
    if not isinstance(data, dict):
        raise InputError("invalid rule: a rule is one JSON or YAML object with name, kind, query, districts, …")
    try:
        return AlertRule.model_validate(data).with_id()
    except ValidationError as exc:
        raise InputError(f"invalid rule: {explain(exc, limit=3)}") from None


def check_rule_channels(rule: AlertRule, notify: NotifySettings) -> None:
    """Refuse a rule naming a channel that cannot send, with one line naming the variable to set (``webhook alerts
    need JANMAT_NOTIFY_WEBHOOK_URLS …``): ``janmat alerts add`` and ``POST /api/alerts`` both check here before
    storing a rule."""
    from janmat.alerts.notify.channels import problem

    for channel in rule.channels:
        why = problem(channel, notify)
        if why:
            raise InputError(why)


def load_rule_file(path: Path) -> AlertRule:
    """The rule in ``RULE.json`` or ``RULE.yaml`` / ``.yml``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read rule file {path}: {exc}") from None
    try:
        data = yaml.safe_load(text) if path.suffix.lower() in (".yaml", ".yml") else json.loads(text)
    except (ValueError, yaml.YAMLError) as exc:
        detail = " ".join(str(exc).split())
        raise InputError(f"rule file {path} is not valid {'YAML' if path.suffix.lower() != '.json' else 'JSON'}: "
                         f"{detail}") from None
    return parse_rule(data)


def default_spike_rules() -> list[AlertRule]:
    """The spike rules used while no spike rule is configured: every district, every scheme, and every
    district × scheme, over all mentions, with the configured cool-down."""
    rules = {
        "district": AlertRule(name="हर ज़िला (every district)", kind="spike", districts=[EACH]),
        "scheme": AlertRule(name="हर योजना (every scheme)", kind="spike", schemes=[EACH]),
        "district-scheme": AlertRule(name="ज़िला × योजना (district × scheme)", kind="spike", districts=[EACH],
                                     schemes=[EACH]),
    }
    return [rule.model_copy(update={"id": DEFAULT_PREFIX + key}) for key, rule in rules.items()]
