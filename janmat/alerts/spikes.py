"""Spike detection: is this window's volume, or its negative share, far above what this district / scheme usually
sees?

A spike rule splits the mentions it matches into *series* (per district, per scheme, or per district × scheme;
``"*"`` in the rule). Windows of ``JANMAT_ALERTS_WINDOW`` (1 h) start every ``JANMAT_ALERTS_STEP`` (15 min) on a
fixed grid. For a series and a window starting at ``s``:

* **baseline**: from the previous ``history_days`` days (as many as the store holds, at least ``min_history``):
  the expected count is the larger of the median count in the same window on each previous day and the median
  daily count spread over the day (medians, so one earlier spike does not raise the bar), never below
  ``baseline_floor``; the expected negative share is the series' share over those days, shrunk toward the share
  of all its rule's mentions (so a series with little history is not judged by two posts).
* **tests**: volume by the Poisson tail P(X ≥ n | baseline) with ``n ≥ min_count`` and ``n ≥ min_ratio`` ×
  baseline; tone by the binomial tail P(N ≥ negatives | n, baseline share) with at least ``min_count`` negative
  mentions and a share ``min_share_rise`` above the baseline. Either test at ``p_value`` or below fires.
* **when**: the window fires at the first mention (in publication order) after which its mentions so far pass a
  test. A live evaluation sees each window's mentions up to "now", the backtest sees them all, and both find the
  same first moment, so they fire the same alerts (save for mentions stored after a later one was evaluated).
* **most specific explanation**: a district (or scheme) window does not fire while its largest district × scheme
  part carries half or more of its excess over the baseline (that part's own series alerts instead), so one event
  in one district about one scheme is one district × scheme alert, not three, while a district-wide rise is a
  district alert.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import product

import numpy as np
from scipy.stats import binom, poisson

from janmat.alerts.durations import seconds
from janmat.alerts.facts import Fact
from janmat.alerts.matcher import rule_matches
from janmat.alerts.rules import EACH, AlertRule
from janmat.core.settings import AlertSettings

DAY = 86_400.0
SHRINK = 10.0
"""Weight (in mentions) of the rule-wide negative share in a series' baseline share."""
DEFAULT_SHARE = 0.25


@dataclass(frozen=True)
class SpikeConfig:
    """``AlertSettings`` in the units the detector works in (seconds)."""

    window: float
    step: float
    history_days: int
    min_history: float
    floor: float
    p_value: float
    min_count: int
    min_ratio: float
    min_share_rise: float

    @classmethod
    def from_settings(cls, settings: AlertSettings) -> SpikeConfig:
        """Read the alert settings."""
        return cls(window=seconds(settings.window), step=seconds(settings.step), history_days=settings.history_days,
                   min_history=seconds(settings.min_history), floor=settings.baseline_floor,
                   p_value=settings.p_value, min_count=settings.min_count, min_ratio=settings.min_ratio,
                   min_share_rise=settings.min_share_rise)


@dataclass
class Series:
    """The mentions of one rule under one district / scheme, in publication order."""

    rule: AlertRule
    family: str
    district: str | None
    scheme: str | None
    facts: list[Fact] = field(default_factory=list)
    at: np.ndarray = field(default_factory=lambda: np.empty(0))
    negatives: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    """Cumulative count of negative mentions (``negatives[i]``: among the first i + 1)."""

    @property
    def level(self) -> int:
        """0 for a whole rule, 1 for a district or a scheme, 2 for a district × scheme."""
        return (self.district is not None) + (self.scheme is not None)

    @property
    def key(self) -> str:
        """``district|scheme`` (either part empty when not split by it)."""
        return f"{self.district or ''}|{self.scheme or ''}"

    def freeze(self) -> None:
        """Make the arrays after the facts are in (sorted by time)."""
        self.facts.sort(key=lambda fact: (fact.at, fact.id))
        self.at = np.fromiter((fact.at for fact in self.facts), dtype=np.float64, count=len(self.facts))
        self.negatives = np.cumsum(np.fromiter((fact.negative for fact in self.facts), dtype=np.int64,
                                               count=len(self.facts)))

    def count(self, start: float, end: float) -> int:
        """Mentions published in [start, end)."""
        return int(np.searchsorted(self.at, end, "left") - np.searchsorted(self.at, start, "left"))

    def negative_count(self, start: float, end: float) -> int:
        """Negative mentions published in [start, end)."""
        lo, hi = np.searchsorted(self.at, start, "left"), np.searchsorted(self.at, end, "left")
        return int((self.negatives[hi - 1] if hi else 0) - (self.negatives[lo - 1] if lo else 0))


@dataclass(frozen=True)
class Baseline:
    """What a series usually sees in a window: expected count and negative share."""

    count: float
    share: float


@dataclass(frozen=True)
class Candidate:
    """A window whose mentions passed a test: the series, the window, and the numbers at the moment it passed."""

    series: Series
    window_start: float
    moment: float
    """When the mention that made it pass was published (epoch seconds)."""
    count: int
    negatives: int
    baseline: Baseline
    p_volume: float
    p_tone: float
    tone_only: bool
    explained_without: str | None = None
    """For a district or scheme window: the key of its largest part, which did not explain it."""
    facts: tuple[Fact, ...] = ()
    """The window's mentions up to ``moment``."""


def group_series(rules: Sequence[AlertRule], facts: Iterable[Fact]) -> dict[str, dict[str, list[Series]]]:
    """The series of each spike rule, by family (rules with the same conditions) and rule id; each family also gets
    a hidden whole-family series (key ``*``) for its rule-wide negative share."""
    families: dict[str, dict[str, dict[str, Series]]] = defaultdict(lambda: defaultdict(dict))
    by_family: dict[str, list[AlertRule]] = defaultdict(list)
    for rule in rules:
        by_family[rule.filter_signature()].append(rule)
    for fact in facts:
        for family, members in by_family.items():
            if not rule_matches(members[0], fact):
                continue
            _add(families[family]["*"], members[0], family, None, None, fact, whole=True)
            for rule in members:
                for district, scheme in _parts(rule, fact):
                    _add(families[family][rule.id], rule, family, district, scheme, fact)
    result: dict[str, dict[str, list[Series]]] = {}
    for family, by_rule in families.items():
        result[family] = {rule_id: list(series.values()) for rule_id, series in by_rule.items()}
        for members in result[family].values():
            for series in members:
                series.freeze()
    return result


def _add(target: dict[str, Series], rule: AlertRule, family: str, district: str | None, scheme: str | None,
         fact: Fact, *, whole: bool = False) -> None:
    key = "*" if whole else f"{district or ''}|{scheme or ''}"
    series = target.get(key)
    if series is None:
        series = target[key] = Series(rule=rule, family=family, district=district, scheme=scheme)
    series.facts.append(fact)


def _parts(rule: AlertRule, fact: Fact) -> list[tuple[str | None, str | None]]:
    """The (district, scheme) series a matching mention counts in under a rule."""
    districts = _split(rule.districts, fact.districts)
    schemes = _split(rule.schemes, fact.schemes)
    return list(product(districts, schemes))


def _split(wanted: list[str], tagged: tuple[str, ...]) -> list[str | None]:
    if not wanted:
        return [None]
    if wanted == [EACH]:
        return list(tagged)
    return [key for key in wanted if key in tagged]


def grid(start: float, end: float, step: float) -> list[float]:
    """Window starts on the grid (multiples of ``step`` since the epoch) in [start, end)."""
    first = -(-start // step) * step
    return list(np.arange(first, end, step, dtype=np.float64))


def baseline(series: Series, whole: Series, start: float, earliest: float, config: SpikeConfig) -> Baseline | None:
    """The series' baseline for a window starting at ``start``; None while the store has too little history."""
    history = start - earliest
    if history < config.min_history:
        return None
    days = max(1, min(config.history_days, int(history // DAY)))
    same_window = [series.count(start - d * DAY, start - d * DAY + config.window) for d in range(1, days + 1)]
    daily = [series.count(start - d * DAY, start - (d - 1) * DAY) for d in range(1, days + 1)]
    expected = max(float(np.median(same_window)), float(np.median(daily)) * config.window / DAY, config.floor)
    begin = start - days * DAY
    total = whole.count(begin, start)
    rule_share = whole.negative_count(begin, start) / total if total else DEFAULT_SHARE
    seen = series.count(begin, start)
    share = (series.negative_count(begin, start) + SHRINK * rule_share) / (seen + SHRINK)
    return Baseline(count=expected, share=min(max(share, 0.01), 0.99))


def passing(negative: np.ndarray, base: Baseline, config: SpikeConfig) -> tuple[np.ndarray, np.ndarray]:
    """For each prefix of a window's mentions (in publication order; ``negative`` flags each one): does the volume
    test pass, and does the tone test pass?"""
    n = np.arange(1, len(negative) + 1)
    neg = np.cumsum(negative)
    volume = (n >= config.min_count) & (n >= config.min_ratio * base.count) & \
        (poisson.sf(n - 1, base.count) <= config.p_value)
    tone = (neg >= config.min_count) & (neg / n >= base.share + config.min_share_rise) & \
        (binom.sf(neg - 1, n, base.share) <= config.p_value)
    return volume, tone


def first_passing(negative: np.ndarray, base: Baseline, config: SpikeConfig) -> int | None:
    """Index of the first mention after which the mentions so far pass a test, else None."""
    volume, tone = passing(np.asarray(negative), base, config)
    found = np.flatnonzero(volume | tone)
    return int(found[0]) if len(found) else None


def detect(rules: Sequence[AlertRule], facts: Sequence[Fact], starts: Sequence[float], *, earliest: float,
           until: float, config: SpikeConfig) -> list[Candidate]:
    """Every window (of ``starts``) of every spike rule's series that fires with the mentions up to ``until``, in
    the order their moments came (live evaluations and the backtest claim them in this order)."""
    found: list[Candidate] = []
    begins = np.asarray(starts, dtype=np.float64)
    ends = np.minimum(begins + config.window, until + 1)
    for by_rule in group_series(rules, facts).values():
        whole = by_rule.pop("*")[0]
        everything = [series for members in by_rule.values() for series in members]
        children = _children_index(everything)
        for series in everything:
            # only windows holding at least min_count mentions can fire: find them for all starts at once
            sizes = np.searchsorted(series.at, ends, "left") - np.searchsorted(series.at, begins, "left")
            for index in np.flatnonzero(sizes >= config.min_count):
                parts = children.get((series.level, series.district, series.scheme), [])
                candidate = _judge(series, whole, float(begins[index]), parts, earliest, until, config)
                if candidate is not None:
                    found.append(candidate)
    # At one moment: the most specific series first, and of the windows it fires in, the latest-starting one (the
    # window closest to where the burst began); the others then fall within its cool-down.
    found.sort(key=lambda c: (c.moment, -c.series.level, c.series.rule.id, c.series.key, -c.window_start))
    return found


def _children_index(everything: list[Series]) -> dict[tuple[int, str | None, str | None], list[Series]]:
    """For each (level, district, scheme), the series one level more specific under it (its district × scheme
    parts for a district or a scheme; its districts and schemes for a whole rule)."""
    children: dict[tuple[int, str | None, str | None], list[Series]] = defaultdict(list)
    for child in everything:
        if child.level == 0:
            continue
        if child.level == 1:
            children[(0, None, None)].append(child)
        else:
            children[(1, child.district, None)].append(child)
            children[(1, None, child.scheme)].append(child)
    return children


def _judge(series: Series, whole: Series, start: float, children: list[Series], earliest: float, until: float,
           config: SpikeConfig) -> Candidate | None:
    end = min(start + config.window, until + 1)
    lo, hi = np.searchsorted(series.at, start, "left"), np.searchsorted(series.at, end, "left")
    if hi - lo < config.min_count:
        return None
    base = baseline(series, whole, start, earliest, config)
    if base is None:
        return None
    window = series.facts[lo:hi]
    negative = np.fromiter((fact.negative for fact in window), dtype=np.int64, count=len(window))
    volume, tone = passing(negative, base, config)
    fires = volume | tone
    if not fires.any():
        return None
    part = None
    if children:
        explained, part = _explained(window, negative, int(np.flatnonzero(fires)[0]), volume, base, children,
                                     start, earliest, config)
        fires &= ~explained
        if not fires.any():
            return None
    first = int(np.flatnonzero(fires)[0])
    upto = window[: first + 1]
    count, negatives = len(upto), int(negative[: first + 1].sum())
    return Candidate(series=series, window_start=start, moment=upto[-1].at, count=count, negatives=negatives,
                     baseline=base, p_volume=float(poisson.sf(count - 1, base.count)),
                     p_tone=float(binom.sf(negatives - 1, count, base.share)), tone_only=not bool(volume[first]),
                     explained_without=part, facts=tuple(upto))


def _explained(window: list[Fact], negative: np.ndarray, first: int, volume: np.ndarray, base: Baseline,
               children: list[Series], start: float, earliest: float,
               config: SpikeConfig) -> tuple[np.ndarray, str | None]:
    """For each prefix of a district (or scheme) window: does its largest district × scheme part (the largest when
    the window first passed) carry at least half of the excess over the baseline? Then the part explains the spike
    and the part's own series is the one to alert on."""
    moment = window[first].at
    largest = max(children, key=lambda child: (child.count(start, moment + 1), child.key))
    if largest.count(start, moment + 1) == 0:
        return np.zeros(len(window), dtype=bool), None
    part_ids = {fact.id for fact in largest.facts}
    inside = np.fromiter((fact.id in part_ids for fact in window), dtype=np.int64, count=len(window))
    part_base = baseline(largest, largest, start, earliest, config) or Baseline(count=0.0, share=base.share)
    n, neg = np.arange(1, len(window) + 1), np.cumsum(negative)
    part_n, part_neg = np.cumsum(inside), np.cumsum(inside * negative)
    by_volume = (part_n - part_base.count) >= 0.5 * (n - base.count)
    by_tone = (part_neg - part_n * base.share) >= 0.5 * (neg - n * base.share)
    return np.where(volume, by_volume, by_tone), largest.key
