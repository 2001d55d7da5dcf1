"""E-mail over a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

import mailbox

import pytest
from flask import Flask

from portal.mail import HeaderInjection, MailError, send_mail
from tests.mailserver import free_port


def test_a_message_is_delivered(app: Flask, maildir: mailbox.Maildir) -> None:
    send_mail(to="resident@example.org", subject="Du har ett nytt meddelande", body="Logga in för att läsa det.")
    messages = list(maildir)
    assert len(messages) == 1
    assert messages[0]["To"] == "resident@example.org"
    assert "Logga in" in messages[0].get_payload(decode=True).decode()


@pytest.mark.parametrize("field", ["to", "subject"])
def test_header_injection_is_refused(app: Flask, maildir: mailbox.Maildir, field: str) -> None:
    values = {"to": "resident@example.org", "subject": "Hej", "body": "x"}
    values[field] = values[field] + "\r\nBcc: attacker@example.org"
    with pytest.raises(HeaderInjection):
        send_mail(**values)
    assert list(maildir) == []


def test_an_unreachable_server_raises_a_mail_error(app: Flask) -> None:
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"
    with pytest.raises(MailError):
        send_mail(to="resident@example.org", subject="Hej", body="x")
