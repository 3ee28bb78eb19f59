"""The brief as a page: HTML from a Jinja2 template (charts embedded, nothing linked from outside), PDF printed by
headless Chromium through Playwright.

The page names its fonts (Noto Sans Devanagari for Hindi); Chromium finds them on the machine through fontconfig
and embeds them in the PDF. Chromium is told to fetch nothing: every request but the page itself is refused.
"""

from __future__ import annotations

import base64
import os
import shutil
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, select_autoescape

from janmat.alerts.notify.message import district_name, safe_url, scheme_name
from janmat.brief.report import Brief
from janmat.core.errors import ConfigError, JanmatError
from janmat.core.i18n import message
from janmat.core.mention import IST
from janmat.core.settings import BriefSettings

TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                        autoescape=select_autoescape(default=True, default_for_string=True),
                        trim_blocks=True, lstrip_blocks=True)
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = ["--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]
PDF_MARGIN = {"top": "14mm", "bottom": "14mm", "left": "12mm", "right": "12mm"}


class BriefWords:
    """How the brief says things in its language: words, numbers, shares, IST times, district and scheme names."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.locale = "hi_IN" if lang == "hi" else "en_IN"

    def __call__(self, key: str, **values: object) -> str:
        """The message ``key``."""
        return message(key, self.lang, **values)

    def number(self, value: float) -> str:
        """A count with Indian grouping (one decimal for averages)."""
        return format_decimal(round(value, 1) if value != int(value) else int(value), locale=self.locale)

    def percent(self, share: float | None) -> str:
        """A share as a whole percentage, or a dash."""
        return "–" if share is None else f"{round(share * 100)}%"

    def points(self, change: float | None) -> str:
        """A change of share in percentage points, signed."""
        return "–" if change is None else f"{round(change * 100):+d}"

    def when(self, moment: datetime | None) -> str:
        """Date and time in IST."""
        return format_datetime(moment.astimezone(IST), "d MMM, HH:mm", tzinfo=IST, locale=self.locale) if moment \
            else "–"

    def day(self, value: object) -> str:
        """A calendar day with the month's name."""
        return format_date(value, "d MMMM y", locale=self.locale)

    def district(self, key: str) -> str:
        """A district key by name."""
        return district_name(key, self.lang)

    def scheme(self, scheme_id: str) -> str:
        """A scheme id by name."""
        return scheme_name(scheme_id, self.lang)


def data_uri(kind: str, body: bytes) -> str:
    """Bytes as a ``data:`` URI."""
    return f"data:{kind};base64,{base64.b64encode(body).decode('ascii')}"


def brief_html(brief: Brief, charts: Mapping[str, str]) -> str:
    """The brief as one HTML page; ``charts`` are image sources by chart name (data URIs, or ``cid:`` for mail)."""
    words = BriefWords(brief.lang)
    return TEMPLATES.get_template("brief.html").render(b=brief, w=words, charts=charts, link=safe_url)


def chromium_path(settings: BriefSettings) -> str:
    """The Chromium to print with: ``JANMAT_BRIEF_CHROMIUM``, else the first on the PATH (ConfigError if none)."""
    if settings.chromium is not None:
        if not os.access(settings.chromium, os.X_OK):
            raise ConfigError(f"JANMAT_BRIEF_CHROMIUM {settings.chromium} is not an executable")
        return str(settings.chromium)
    found = next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)
    if found is None:
        raise ConfigError("no Chromium to print the PDF with: install it (Debian: apt-get install chromium) or set "
                          "JANMAT_BRIEF_CHROMIUM")
    return found


def html_to_pdf(html: str, settings: BriefSettings) -> bytes:
    """Print the page to an A4 PDF with headless Chromium (backgrounds kept, nothing fetched)."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    flags = CHROMIUM_FLAGS + (["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(settings), args=flags)
            try:
                page = browser.new_page()
                page.route("**/*", lambda route: route.abort())
                page.set_content(html, wait_until="load")
                return page.pdf(format="A4", print_background=True, margin=PDF_MARGIN)
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise JanmatError(f"Chromium could not print the brief: {str(exc).splitlines()[0]}") from exc
