"""E-mail over SMTP. Messages never carry personal data: only that there is something new, and a link.

The subject and body are rendered by the caller in the recipient's language; this module only delivers.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formataddr
from urllib.parse import unquote, urlsplit

from flask import current_app


class MailError(RuntimeError):
    """The message could not be delivered (the caller records it and tries again later)."""


class HeaderInjection(ValueError):
    """A header value contained a line break."""


def _clean_header(value: str) -> str:
    if "\r" in value or "\n" in value:
        raise HeaderInjection("line break in an e-mail header")
    return value


def mail_configured() -> bool:
    """True when PORTAL_SMTP_URL is set."""
    return bool(current_app.config.get("SMTP_URL"))


def send_mail(*, to: str, subject: str, body: str, sender_name: str | None = None) -> None:
    """Send one plain-text message through the configured SMTP server."""
    url = current_app.config.get("SMTP_URL") or ""
    if not url:
        raise MailError("PORTAL_SMTP_URL is not set")
    parts = urlsplit(url)
    message = EmailMessage()
    sender = current_app.config["MAIL_FROM"]
    message["From"] = formataddr((_clean_header(sender_name), sender)) if sender_name else sender
    message["To"] = _clean_header(to)
    message["Subject"] = _clean_header(subject)
    message.set_content(body)
    host, port = parts.hostname or "127.0.0.1", parts.port or (465 if parts.scheme == "smtps" else 25)
    try:
        smtp: smtplib.SMTP
        if parts.scheme == "smtps":
            smtp = smtplib.SMTP_SSL(host, port, timeout=30)
        else:
            smtp = smtplib.SMTP(host, port, timeout=30)
        with smtp:
            if parts.scheme == "smtp+starttls":
                smtp.starttls()
            if parts.username:
                smtp.login(unquote(parts.username), unquote(parts.password or ""))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(str(error)) from error
