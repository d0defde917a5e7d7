"""A Django email backend that sends through GOV.UK Notify's REST API.

Select it in production with DJANGO_EMAIL_BACKEND=ostsafe.tasks.notify.NotifyEmailBackend and set NOTIFY_API_KEY and
NOTIFY_TEMPLATE_ID (an email template whose subject is ((subject)) and body ((body))). The API key is
"{name}-{service id}-{secret}"; each request carries a JWT signed with the secret (HS256), as Notify documents.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.request

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def notify_token(service_id: str, secret: str, issued_at: int | None = None) -> str:
    header = _b64(json.dumps({"typ": "JWT", "alg": "HS256"}).encode())
    claims = _b64(json.dumps({"iss": service_id, "iat": issued_at or int(time.time())}).encode())
    signature = hmac.new(secret.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    return f"{header}.{claims}.{_b64(signature)}"


def split_api_key(api_key: str) -> tuple[str, str]:
    """The service id and secret: the last two 36-character UUIDs of the key."""
    return api_key[-73:-37], api_key[-36:]


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.api_key = settings.NOTIFY_API_KEY
        self.template_id = settings.NOTIFY_TEMPLATE_ID
        self.base_url = settings.NOTIFY_BASE_URL.rstrip("/")

    def send_messages(self, email_messages) -> int:
        service_id, secret = split_api_key(self.api_key)
        sent = 0
        for message in email_messages:
            for recipient in message.recipients():
                payload = json.dumps(
                    {
                        "email_address": recipient,
                        "template_id": self.template_id,
                        "personalisation": {"subject": message.subject, "body": message.body},
                    }
                ).encode()
                request = urllib.request.Request(
                    f"{self.base_url}/v2/notifications/email",
                    data=payload,
                    headers={
                        "Content-Type": "application/json",
                        "Authorization": f"Bearer {notify_token(service_id, secret)}",
                    },
                    method="POST",
                )
                try:
                    # The address is NOTIFY_BASE_URL from the settings, never from a request.
                    with urllib.request.urlopen(request, timeout=10) as response:  # nosec B310
                        response.read()
                except OSError:
                    if not self.fail_silently:
                        raise
                    continue
            sent += 1
        return sent
