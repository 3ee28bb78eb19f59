"""``janmat brief --date YYYY-MM-DD [--district D] [--out FILE.html|FILE.pdf] [--email]``: one day's brief, in Hindi
(``JANMAT_BRIEF_LANGUAGE=en`` for English)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from janmat.cli.console import check_out_file, clear_errors, err, out, writing
from janmat.cli.options import StoreOption
from janmat.core.errors import ConfigError, InputError
from janmat.core.i18n import t


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"bad date {value!r}: use YYYY-MM-DD (an IST day)") from None


@clear_errors
def brief(
    day: Annotated[str, typer.Option("--date", help="The IST day, YYYY-MM-DD.")],
    district: Annotated[str | None, typer.Option("--district", help="Only this district (Hindi or English).")] = None,
    out_file: Annotated[Path | None, typer.Option(
        "--out", help="Write FILE.html or FILE.pdf (default: janmat-brief-DATE.html here, unless --email).")] = None,
    email: Annotated[bool, typer.Option("--email", help="Send it to JANMAT_NOTIFY_SMTP_TO, PDF attached.")] = False,
    store: StoreOption = None,
) -> None:
    """The daily brief: schemes and tone against last week, districts with negative spikes, claims spreading with
    their rebuttals, notable posts, charts."""
    from janmat.brief.charts import draw_charts
    from janmat.brief.mail import mailer
    from janmat.brief.render import BriefWords, brief_html, data_uri, html_to_pdf
    from janmat.brief.report import build_brief
    from janmat.cli.options import open_mentions
    from janmat.core.settings import get_settings
    from janmat.store.claims_backends import claim_store_for
    from janmat.store.filters import resolve_districts

    settings = get_settings()
    wanted = _day(day)
    if out_file is not None and out_file.suffix.lower() not in (".html", ".htm", ".pdf"):
        raise InputError(f"--out {out_file}: the brief is written as .html or .pdf")
    if out_file is not None:
        check_out_file(out_file)
    sender = mailer(settings) if email else None  # a missing SMTP setting stops us before any work
    keys = resolve_districts([district]) if district else []
    shown = BriefWords(settings.brief.language).district(keys[0]) if keys else None
    with open_mentions(store) as mentions:
        try:
            claims = claim_store_for(mentions)
        except ConfigError:
            claims = None
        try:
            report = build_brief(mentions, claims, wanted, settings.brief, keys, shown)
        finally:
            if claims is not None:
                claims.close()
    html = brief_html(report, {name: data_uri("image/svg+xml", body) for name, body in draw_charts(report).items()})
    pdf = None
    target = out_file or (None if email else Path(f"janmat-brief-{wanted.isoformat()}.html"))
    if target is not None and target.suffix.lower() == ".pdf":
        pdf = html_to_pdf(html, settings.brief)
        with writing(target):
            target.write_bytes(pdf)
    elif target is not None:
        with writing(target):
            target.write_text(html, encoding="utf-8")
    if target is not None:
        out.print(t("brief_written", path=str(target)), highlight=False)
    if sender is not None:
        pngs = draw_charts(report, "png")
        mail_html = brief_html(report, {name: f"cid:chart-{name}@janmat" for name in pngs})
        refused = sender.send_mail(sender.compose_brief(report, mail_html, pngs, pdf or html_to_pdf(html,
                                                                                                   settings.brief)))
        for address in refused:
            err.print(t("brief_refused", address=address), highlight=False)
        out.print(t("brief_sent", n=len(settings.notify.smtp_to) - len(refused)), highlight=False)
