"""Text messages to UK mobiles, through one small mechanism whose backend a setting chooses.

SMS_BACKEND is "console" (development and the demo: the message goes to the log, nothing is
sent), "locmem" (tests: messages are kept in `outbox`) or "notify" (GOV.UK Notify, with
NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID from the environment; the template's whole body is
the placeholder ((message))).
"""

import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger("soclocal.sms")

NOTIFY_URL = "https://api.notifications.service.gov.uk"
PHONE_HELP = gettext_lazy("Enter a UK mobile number, like 07700 900123 or +44 7700 900123.")


@dataclass
class Message:
    to: str
    body: str


# The locmem backend's sent messages, like django.core.mail.outbox.
outbox: list[Message] = []


class SmsNotSent(Exception):
    """The message could not be sent; the reason is for the log, not for the public."""


def normalise_mobile(value: str) -> str:
    """A UK mobile number as +447 and nine digits, or a ValidationError saying what is wrong.

    People write numbers with spaces, dashes, brackets and a 0 or +44 or 0044 in front."""
    number = re.sub(r"[\s\-().]", "", value or "")
    if not number:
        raise ValidationError(_("Enter a mobile number.") + f" {PHONE_HELP}")
    if number.startswith(("+44", "0044")):
        rest = number.removeprefix("+44").removeprefix("0044")
        # Some write +44 (0)7700 900123: the 0 is not dialled after +44.
        rest = rest.removeprefix("0")
    elif number.startswith("0"):
        rest = number[1:]
    else:
        raise ValidationError(_("'%(value)s' is not a UK mobile number.") % {"value": value}
                              + f" {PHONE_HELP}")
    # isdigit() alone lets through other scripts' digits, which no network can dial.
    if not (rest.isascii() and rest.isdigit()):
        raise ValidationError(_("A mobile number can only contain digits.") + f" {PHONE_HELP}")
    if not rest.startswith("7"):
        raise ValidationError(_("UK mobile numbers start 07.") + f" {PHONE_HELP}")
    if len(rest) != 10:
        raise ValidationError(_("A UK mobile number has 11 digits, starting 07; '%(value)s' has "
                                "%(count)d.") % {"value": value, "count": len(rest) + 1}
                              + f" {PHONE_HELP}")
    return "+44" + rest


def send(to: str, body: str) -> None:
    """Send one text message to a normalised UK mobile number."""
    backend = getattr(settings, "SMS_BACKEND", "console")
    if backend == "console":
        # Nothing leaves the machine: the demo and development read the code from the log.
        logger.warning("Text message (not sent, console backend) to %s:\n%s", to, body)
    elif backend == "locmem":
        outbox.append(Message(to, body))
    elif backend == "notify":
        _send_notify(to, body)
    else:
        raise ImproperlyConfigured(
            f"SMS_BACKEND is '{backend}': use console, locmem or notify.")


def _send_notify(to: str, body: str) -> None:
    key = getattr(settings, "NOTIFY_API_KEY", "")
    template = getattr(settings, "NOTIFY_SMS_TEMPLATE_ID", "")
    if not key or not template:
        raise SmsNotSent("SMS_BACKEND is notify but NOTIFY_API_KEY or NOTIFY_SMS_TEMPLATE_ID "
                         "is not set")
    from notifications_python_client.notifications import NotificationsAPIClient

    base_url = getattr(settings, "NOTIFY_BASE_URL", "") or NOTIFY_URL
    try:
        client = NotificationsAPIClient(key, base_url=base_url, timeout=10)
        client.send_sms_notification(phone_number=to, template_id=template,
                                     personalisation={"message": body})
    # Any failure of an outside service is reported the same way.
    except Exception as error:
        # The number is personal: the log names the failure, not who it was for.
        raise SmsNotSent(f"GOV.UK Notify refused the message or could not be reached: "
                         f"{type(error).__name__} {getattr(error, 'status_code', '')}") from error
