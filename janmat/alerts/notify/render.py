"""An ``AlertMessage`` as e-mail (HTML and plain text) and as a Telegram message, from the Jinja2 templates in
``templates/``. HTML templates escape everything (crawled titles, snippets, source and rule names); the words come
from ``janmat.core.i18n`` in the message's language."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from janmat.alerts.notify.message import AlertMessage
from janmat.core.i18n import message as word

TELEGRAM_MAX_CHARS = 4096
"""Longest text ``sendMessage`` takes (after entities are parsed; the markup counted too, to be safe)."""

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def _render(name: str, message: AlertMessage, **extra: object) -> str:
    return _TEMPLATES.get_template(name).render(m=message, w=partial(word, lang=message.lang), **extra)


def email_html(message: AlertMessage) -> str:
    """The HTML part of the e-mail."""
    return _render("email.html", message)


def email_text(message: AlertMessage) -> str:
    """The plain-text part of the e-mail."""
    return _render("email.txt", message)


def telegram_html(message: AlertMessage) -> str:
    """The Telegram message in the HTML subset ``parse_mode=HTML`` accepts (b, i, a), snippets left out if long."""
    text = _render("telegram.html", message, with_snippets=True).strip()
    if len(text) > TELEGRAM_MAX_CHARS:
        text = _render("telegram.html", message, with_snippets=False).strip()
    return text
