"""Invitation emails over SMTP (``settings.smtp``), sent in a thread after the invitation
is committed, so a slow mail server never holds a database transaction open."""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from atelier.settings import SmtpSettings

log = logging.getLogger("atelier.organizations.mail")


@dataclass(frozen=True)
class InvitationMail:
    to: str
    organization_name: str
    inviter_email: str
    role: str
    accept_url: str
    token: str
    expires_at: datetime


def compose(settings: SmtpSettings, mail: InvitationMail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = mail.to
    message["Subject"] = f"You are invited to {mail.organization_name} on Atelier"
    message.set_content(
        f"{mail.inviter_email} invited you to join {mail.organization_name} as {mail.role}.\n\n"
        f"Signed in as {mail.to}, accept with:\n\n"
        f"    POST {mail.accept_url}\n\n"
        f"Invitation token: {mail.token}\n"
        f"It can be used once, until {mail.expires_at.isoformat(timespec='minutes')}.\n"
    )
    return message


def _send(settings: SmtpSettings, message: EmailMessage) -> None:
    assert settings.host is not None
    client: smtplib.SMTP
    if settings.security == "ssl":
        client = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout_seconds, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds)
    with client:
        if settings.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if settings.username:
            password = settings.password.get_secret_value() if settings.password else ""
            client.login(settings.username, password)
        client.send_message(message)


async def send_invitation(settings: SmtpSettings, mail: InvitationMail) -> bool:
    """Mail the invitation; a failure is logged (the inviter can invite again), never raised:
    the invitation is already committed."""
    try:
        await asyncio.to_thread(_send, settings, compose(settings, mail))
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("invitation mail to %s failed: %s: %s", mail.to, type(exc).__name__, exc)
        return False
    return True
