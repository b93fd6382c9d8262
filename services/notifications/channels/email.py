"""E-mail over SMTP, host and credentials from configuration."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from services.notifications.channels import ChannelError, Outgoing
from services.notifications.settings import NotificationSettings


class EmailChannel:
    def __init__(self, settings: NotificationSettings):
        self.settings = settings

    def message(self, outgoing: Outgoing) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.settings.mail_from
        message["To"] = outgoing.target
        message["Subject"] = outgoing.title
        # The same id on every attempt lets a mail system recognise a repeated message.
        message["Message-ID"] = f"<{outgoing.id}@chancery>"
        message.set_content(outgoing.body or outgoing.title)
        return message

    def send(self, outgoing: Outgoing) -> None:
        settings = self.settings
        try:
            with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.send_timeout_seconds) as smtp:
                if settings.smtp_starttls:
                    smtp.starttls()
                if settings.smtp_user:
                    smtp.login(settings.smtp_user, settings.smtp_password)
                smtp.send_message(self.message(outgoing))
        except smtplib.SMTPRecipientsRefused as error:
            raise ChannelError(f"the mail server refused {outgoing.target}", retryable=False) from error
        except (smtplib.SMTPException, OSError) as error:
            raise ChannelError(f"{type(error).__name__}: {error}") from error
