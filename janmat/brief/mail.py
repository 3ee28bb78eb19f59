"""The brief by e-mail, through the e-mail alert channel's SMTP settings (``JANMAT_NOTIFY_SMTP_*``: host, port,
STARTTLS / TLS, login, sender, recipients): a plain-text summary, the brief as HTML with its charts inline (PNG,
``cid:`` parts) and the PDF attached when there is one."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from janmat.alerts.notify.channels import problem
from janmat.alerts.notify.mail import EmailSender
from janmat.brief.render import BriefWords
from janmat.brief.report import Brief
from janmat.core.errors import ConfigError, JanmatError
from janmat.core.settings import JanmatSettings


def summary_text(brief: Brief) -> str:
    """The plain-text part: the day's numbers, the spreading claims with their rebuttals, the notable links."""
    w = BriefWords(brief.lang)
    lines = [f"{w('brief_title')} — {w.day(brief.day)}" + (f" — {brief.district}" if brief.district else ""), "",
             f"{w.number(brief.mentions)} {w('brief_mentions_day', week=w.number(brief.week_mentions))}",
             f"{w.percent(brief.negative_share)} {w('brief_negative_day', week=w.percent(brief.week_negative_share))}"]
    if brief.spikes:
        lines += ["", w("brief_spikes_title") + ": " + ", ".join(
            f"{w.district(s.district)} ({w.number(s.negative)})" for s in brief.spikes)]
    for line in brief.claims:
        lines += ["", f"[{w('status_' + line.claim.status)}] {line.claim.text}",
                  w("brief_claim_line", n=line.mentions, before=line.day_before, sources=line.sources,
                    first=w.when(line.first_seen))]
        lines += [f"  {w('claim_rebuttal')}: {r.url}" for r in line.rebuttals if r.url]
    if brief.notable:
        lines += ["", w("brief_notable_title") + ":"] + [f"- {p.title} {p.url or ''}".rstrip() for p in brief.notable]
    return "\n".join(lines) + "\n"


class BriefMailer(EmailSender):
    """The e-mail alert channel's sender, sending a brief instead of an alert."""

    def compose_brief(self, brief: Brief, html: str, charts_png: dict[str, bytes], pdf: bytes | None) -> EmailMessage:
        """The e-mail: text summary, HTML with the charts as related PNG parts (``cid:chart-<name>@janmat``), PDF."""
        w = BriefWords(brief.lang)
        mail = EmailMessage()
        mail["Subject"] = f"{w('brief_title')} — {w.day(brief.day)}" + (f" — {brief.district}" if brief.district
                                                                           else "")
        mail["From"] = formataddr((w("brief_sender"), self._from))
        mail["To"] = ", ".join(self._to)
        mail["Date"] = format_datetime(brief.generated_at)
        mail["Message-ID"] = make_msgid(domain=self._from.rpartition("@")[2] or "janmat.invalid")
        mail["Content-Language"] = brief.lang
        mail.set_content(summary_text(brief))
        mail.add_alternative(html, subtype="html")
        html_part = mail.get_payload()[1]
        for name, png in charts_png.items():
            html_part.add_related(png, maintype="image", subtype="png", cid=f"<chart-{name}@janmat>")
        if pdf is not None:
            name = f"janmat-brief-{brief.day.isoformat()}.pdf"
            mail.add_attachment(pdf, maintype="application", subtype="pdf", filename=name)
        return mail

    def send_mail(self, mail: EmailMessage) -> list[str]:
        """Hand the e-mail to the SMTP server; the recipients it refused (one-line error if it took none)."""
        where = f"SMTP {self._host}:{self._port}"
        try:
            smtp = self._connect()
            try:
                refused = smtp.send_message(mail, from_addr=self._from, to_addrs=self._to)
            finally:
                try:
                    smtp.quit()
                except (smtplib.SMTPException, OSError):
                    smtp.close()
        except (smtplib.SMTPException, OSError) as exc:
            raise JanmatError(f"the brief was not sent through {where}: {type(exc).__name__}: "
                              f"{' '.join(str(exc).split())}") from None
        return sorted(refused)


def mailer(settings: JanmatSettings) -> BriefMailer:
    """The brief's sender, or a one-line ConfigError naming the SMTP setting that is missing."""
    why = problem("email", settings.notify)
    if why:
        raise ConfigError(f"--email: {why}")
    return BriefMailer(settings)
