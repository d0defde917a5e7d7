"""Sending email through Django's Tasks API: `queue_email` inside the change's own transaction, `deliver_email` in
the worker. With the database backend the queued task commits with the change (nothing is lost if the process
stops after the commit) and one worker claims it. A send that fails is tried again later, up to MAX_ATTEMPTS times
with a growing wait; then the email is marked failed and shown to administrators (admin: Outgoing emails). An email
already sent is never sent again, however often its task runs."""

from collections.abc import Iterable
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import OutgoingEmail

MAX_ATTEMPTS = 5
RETRY_AFTER = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]


def queue_email(
    *, to: str | Iterable[str], subject: str, body: str, attachment: tuple[str, bytes, str] | None = None
) -> OutgoingEmail:
    """Queue an email (call it inside the transaction of the change it tells of). `attachment`: (name, content,
    content type)."""
    recipients = [to] if isinstance(to, str) else list(to)
    name, content, kind = attachment or ("", None, "")
    email = OutgoingEmail.objects.create(
        to=",".join(recipients),
        subject=subject[:300],
        body=body,
        attachment_name=name,
        attachment=content,
        attachment_type=kind,
    )
    deliver_email.enqueue(email.pk)
    return email


@task()
def deliver_email(email_id: int) -> str:
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != OutgoingEmail.Status.QUEUED:
            return email.status if email else "gone"  # sent already, or given up: never twice
        message = EmailMessage(subject=email.subject, body=email.body, to=email.recipients)
        if email.attachment is not None:
            message.attach(email.attachment_name, bytes(email.attachment), email.attachment_type)
        email.attempts += 1
        try:
            message.send()
        except Exception as error:  # noqa: BLE001 - any failure to send is kept, retried, and shown
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            if email.attempts >= MAX_ATTEMPTS:
                email.status = OutgoingEmail.Status.FAILED
            else:
                _retry_later(email)
        else:
            email.status, email.sent_at, email.last_error = OutgoingEmail.Status.SENT, timezone.now(), ""
        email.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return email.status


def _retry_later(email: OutgoingEmail) -> None:
    wait = RETRY_AFTER[min(email.attempts, len(RETRY_AFTER)) - 1]
    if deliver_email.get_backend().supports_defer:
        deliver_email.using(run_after=timezone.now() + wait).enqueue(email.pk)
    # Without a deferring backend (development), the email waits, queued, for `send_again` (admin) or the next run.


def send_again(emails) -> int:
    """Queue failed (or stuck) emails once more, from their first attempt: an administrator's action."""
    count = 0
    for email in emails:
        if email.status == OutgoingEmail.Status.SENT:
            continue
        email.status, email.attempts = OutgoingEmail.Status.QUEUED, 0
        email.save(update_fields=["status", "attempts"])
        deliver_email.enqueue(email.pk)
        count += 1
    return count
