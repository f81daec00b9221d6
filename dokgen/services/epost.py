"""Sending e-mail through the SMTP server the operator configured (``DOKGEN_SMTP_*``).

Used for set-password links only. A message is handed to the server once, with a time limit;
what goes wrong is raised as :class:`EmailSendFailedError` with a short reason, never with
the message (it carries a secret link), and nothing is logged of its content.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from dokgen.errors import EmailSendFailedError, SettingsInvalidError
from dokgen.settings import Settings

TIDSGRENSE = 15.0


def send(settings: Settings, til: str, emne: str, tekst: str) -> None:
    """Send a plain-text message in UTF-8 to one address.

    Raises:
        SettingsInvalidError: SMTP is not configured.
        EmailSendFailedError: the server could not be reached or refused the message.
    """
    if not settings.smtp_aktiv or settings.smtp_vert is None:
        raise SettingsInvalidError(
            "e-post er ikke satt opp (DOKGEN_SMTP_VERT, DOKGEN_SMTP_AVSENDER)"
        )
    melding = EmailMessage()
    melding["From"] = settings.smtp_avsender
    melding["To"] = til
    melding["Subject"] = emne
    melding["Message-ID"] = make_msgid(domain=(settings.smtp_avsender or "").rpartition("@")[2])
    melding.set_content(tekst)
    try:
        with smtplib.SMTP(settings.smtp_vert, settings.smtp_port, timeout=TIDSGRENSE) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_bruker:
                smtp.login(settings.smtp_bruker, settings.smtp_passord or "")
            smtp.send_message(melding)
    except smtplib.SMTPRecipientsRefused:
        raise EmailSendFailedError("e-postserveren godtok ikke mottakerens adresse") from None
    except (smtplib.SMTPException, OSError) as exc:
        grunn = type(exc).__name__
        raise EmailSendFailedError(f"e-postserveren tok ikke imot meldingen ({grunn})") from None
