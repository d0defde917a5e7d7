"""Background work through Django's Tasks API on the database backend and its worker (`manage.py db_worker`), on
SQLite and PostgreSQL: emails queued with the change, sent by the worker, retried, never twice, failures kept."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ostsafe.core import mail as outbox
from ostsafe.core.models import OutgoingEmail

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server refused the connection")


@pytest.fixture
def database_backend(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker closes its connection between tasks when it is not in autocommit; inside a test's transaction (which
    # is never in autocommit) that would close the test's own connection on PostgreSQL.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


def work():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def test_an_email_is_queued_with_the_change_and_sent_by_the_worker(database_backend):
    email = outbox.queue_email(to="kim@test.ostsafe.example", subject="Letter", body="Dear Kim")
    assert DBTaskResult.objects.filter(status="READY").count() == 1 and mail.outbox == []
    work()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT and email.attempts == 1
    assert [m.subject for m in mail.outbox] == ["Letter"]


def test_an_email_whose_change_is_undone_is_never_queued_nor_sent(database_backend):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.queue_email(to="kim@test.ostsafe.example", subject="Letter", body="Dear Kim")
        raise RuntimeError("the change failed")
    work()
    assert not OutgoingEmail.objects.exists() and not DBTaskResult.objects.exists() and mail.outbox == []


def test_an_email_already_sent_is_never_sent_again(database_backend):
    email = outbox.queue_email(to="kim@test.ostsafe.example", subject="Letter", body="Dear Kim")
    work()
    outbox.deliver_email.call(email.pk)  # its task run a second time (a worker restarted mid-way, say)
    outbox.deliver_email.enqueue(email.pk)
    work()
    assert len(mail.outbox) == 1


def test_a_refused_send_is_tried_again_later_then_marked_failed_for_administrators(
    database_backend, settings, admin_client
):
    settings.EMAIL_BACKEND = "ostsafe.core.tests.test_background_work.RefusingBackend"
    email = outbox.queue_email(
        to="hv@test.ostsafe.example",
        subject="Routine notification",
        body="Dear health visitor, about Ella",
        attachment=("a.pdf", b"%PDF", "application/pdf"),
    )
    work()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED and email.attempts == 1 and "refused" in email.last_error
    later = DBTaskResult.objects.filter(status="READY").get()
    assert later.run_after > timezone.now() + datetime.timedelta(seconds=50)  # not at once: after a wait
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        work()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED and email.attempts == outbox.MAX_ATTEMPTS
    assert not DBTaskResult.objects.filter(status="READY").exists()
    page = admin_client.get("/admin/core/outgoingemail/?status__exact=failed").content.decode()
    assert "Routine notification" in page and "Failed: not sent" in page
    detail = admin_client.get(f"/admin/core/outgoingemail/{email.pk}/change/").content.decode()
    assert "refused the connection" in detail and "Dear" not in detail  # the error, not what the letter says

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    admin_client.post("/admin/core/outgoingemail/", {"action": "send_again", "_selected_action": [email.pk]})
    work()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert mail.outbox[-1].attachments[0][0] == "a.pdf"
