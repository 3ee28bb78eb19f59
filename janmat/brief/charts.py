"""The brief's charts, drawn with matplotlib (≥ 3.11 shapes Devanagari with libraqm) as SVG for the HTML and PDF
and PNG for e-mail. Text becomes glyph outlines in the SVG, so a browser without the font still shows it right.

Three charts: the negative share of each scheme on the day against the week before, mentions per day by tone
over eight days, and the spreading claims' mentions per IST hour of the day.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

import matplotlib as mpl
from babel.dates import format_date
from matplotlib import font_manager
from matplotlib.figure import Figure

from janmat.alerts.notify.message import scheme_name
from janmat.brief.report import Brief
from janmat.core.errors import ConfigError
from janmat.core.i18n import message
from janmat.core.mention import IST

log = logging.getLogger(__name__)

DEVANAGARI_FAMILIES = ("Noto Sans Devanagari", "Lohit Devanagari", "Mukta", "Hind", "Mangal", "Nirmala UI")
LATIN_FAMILIES = ("Noto Sans", "DejaVu Sans")
TONE_COLORS = {"negative": "#c62828", "neutral": "#9aa5b1", "positive": "#2e7d32"}
CLAIM_COLORS = ("#c62828", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037", "#283593")
Format = Literal["svg", "png"]


def families() -> list[str]:
    """Font families for chart text: a Latin one, then one that draws Devanagari (ConfigError naming the package
    to install when there is none)."""
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    hindi = next((name for name in DEVANAGARI_FAMILIES if name in installed), None)
    if hindi is None:
        raise ConfigError("no Devanagari font for the brief's charts: install one "
                          "(Debian/Ubuntu: apt-get install fonts-noto-core) and clear matplotlib's font cache")
    return [*[name for name in LATIN_FAMILIES if name in installed][:1], hindi, "DejaVu Sans"]


@contextmanager
def chart_style() -> Iterator[None]:
    """Janmat's chart look for the duration of the block; a glyph missing from every font is logged."""
    style = {"font.family": families(), "font.size": 10, "axes.titlesize": 12, "axes.titleweight": "bold",
             "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3,
             "axes.unicode_minus": False, "svg.fonttype": "path", "savefig.bbox": "tight", "savefig.dpi": 150}
    with mpl.rc_context(style), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for warning in caught:
        if "missing from" in str(warning.message):
            log.warning("brief chart: %s", warning.message)


def _encode(figure: Figure, fmt: Format) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()


def tone_by_scheme(brief: Brief) -> Figure | None:
    """The negative share of each scheme on the day (dark) and on an average day of the week before (light)."""
    rows = [row for row in brief.schemes if row.share is not None][::-1]
    if not rows:
        return None
    lang = brief.lang
    figure = Figure(figsize=(7.5, 0.45 * len(rows) + 1.2))
    axes = figure.add_subplot()
    positions = range(len(rows))
    axes.barh([p + 0.2 for p in positions], [(r.share or 0) * 100 for r in rows], height=0.4,
              color=TONE_COLORS["negative"], label=message("brief_chart_today", lang))
    axes.barh([p - 0.2 for p in positions], [(r.week_share or 0) * 100 for r in rows], height=0.4,
              color="#ef9a9a", label=message("brief_chart_last_week", lang))
    axes.set_yticks(list(positions), [f"{scheme_name(r.scheme, lang)} ({r.mentions})" for r in rows])
    axes.set_xlabel(message("brief_chart_negative_share", lang))
    axes.set_xlim(0, 100)
    axes.set_title(message("brief_chart_schemes", lang))
    axes.legend(loc="lower right", frameon=False)
    return figure


def volume_by_day(brief: Brief) -> Figure | None:
    """Mentions per IST day by tone, the brief's day and the seven before it."""
    if not any(day.total for day in brief.days):
        return None
    lang = brief.lang
    figure = Figure(figsize=(7.5, 3.2))
    axes = figure.add_subplot()
    labels = [format_date(day.day, "d MMM", locale="hi_IN" if lang == "hi" else "en_IN") for day in brief.days]
    bottom = [0] * len(brief.days)
    for tone in ("negative", "neutral", "positive"):
        values = [getattr(day, tone) for day in brief.days]
        axes.bar(labels, values, bottom=bottom, color=TONE_COLORS[tone], label=message(tone, lang))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    untagged = [day.total - b for day, b in zip(brief.days, bottom, strict=True)]
    axes.bar(labels, untagged, bottom=bottom, color="#e4e7eb", label=message("untagged", lang))
    axes.set_title(message("brief_chart_days", lang))
    axes.legend(ncols=4, loc="upper left", frameon=False, fontsize=8)
    return figure


def claims_by_hour(brief: Brief) -> Figure | None:
    """Mentions per IST hour of the day for each spreading claim (up to six)."""
    lines = [line for line in brief.claims if line.mentions][:len(CLAIM_COLORS)]
    if not lines:
        return None
    lang = brief.lang
    figure = Figure(figsize=(7.5, 3.0))
    axes = figure.add_subplot()
    for line, color in zip(lines, CLAIM_COLORS, strict=False):
        hours = [0] * 24
        for bucket in line.timeline:
            local = bucket.start.astimezone(IST)
            if local.date() == brief.day:
                hours[local.hour] += bucket.mentions
        axes.plot(range(24), hours, marker="o", markersize=3, color=color, label=line.claim.id)
    axes.set_xticks(range(0, 24, 3), [f"{hour:02d}:00" for hour in range(0, 24, 3)])
    axes.set_ylabel(message("mentions", lang))
    axes.set_title(message("brief_chart_claims", lang))
    axes.legend(loc="upper left", frameon=False, fontsize=8)
    return figure


CHARTS = {"schemes": tone_by_scheme, "days": volume_by_day, "claims": claims_by_hour}


def draw_charts(brief: Brief, fmt: Format = "svg") -> dict[str, bytes]:
    """Every chart the brief has data for, by name, as SVG or PNG bytes."""
    drawn: dict[str, bytes] = {}
    with chart_style():
        for name, draw in CHARTS.items():
            figure = draw(brief)
            if figure is not None:
                drawn[name] = _encode(figure, fmt)
    return drawn
