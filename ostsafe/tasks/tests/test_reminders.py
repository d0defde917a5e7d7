import base64
import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from ostsafe.tasks import selectors, services
from ostsafe.tasks.notify import notify_token

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def make(world, title, days, user="keyworker"):
    return services.create_task(
        title=title, household=world.household, assignee=world.users[user], due_on=TODAY + datetime.timedelta(days=days)
    )


def test_one_digest_per_person_never_twice_for_the_same_task_and_day(world):
    make(world, "Overdue storage follow-up", -2)
    make(world, "Review due tomorrow", 1)
    make(world, "Review next month", 30)
    make(world, "Manager's task", 0, user="manager")
    assert services.send_reminders(as_of=TODAY) == 2
    keyworker_mail = next(m for m in mail.outbox if m.to == [world.users["keyworker"].email])
    assert keyworker_mail.subject.endswith("2 tasks to do, 1 overdue")
    assert "Overdue storage follow-up" in keyworker_mail.body and "Review next month" not in keyworker_mail.body
    assert services.send_reminders(as_of=TODAY) == 0
    assert len(mail.outbox) == 2
    assert services.send_reminders(as_of=TODAY + datetime.timedelta(days=1)) == 2


def test_send_reminders_command_reports_what_it_sent(world, capsys):
    make(world, "Due today", 0)
    call_command("send_reminders", "--site-url", "https://ostsafe.example/")
    assert "Sent 1 reminder email." in capsys.readouterr().out
    assert "https://ostsafe.example/tasks/" in mail.outbox[0].body


def test_team_tasks_shows_colleagues_tasks_with_who_has_them(client, world):
    make(world, "Colleague's task", 3, user="manager")
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("tasks:team")).content.decode()
    assert "Colleague&#x27;s task" in page and world.users["manager"].full_name in page


class _Notify(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Notify.received.append((self.path, self.headers["Authorization"], json.loads(body)))
        self.send_response(201)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_notify_backend_posts_each_email_with_a_signed_token(settings, world):
    server = HTTPServer(("127.0.0.1", 0), _Notify)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    service_id, secret = "26785a09-ab16-4eb0-8407-a37497a57506", "3d844edf-8d35-48ac-975b-e847b4f122b0"
    settings.EMAIL_BACKEND = "ostsafe.tasks.notify.NotifyEmailBackend"
    settings.NOTIFY_API_KEY = f"ostsafe_test-{service_id}-{secret}"
    settings.NOTIFY_TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
    settings.NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_port}"
    make(world, "Due today", 0)
    assert services.send_reminders(as_of=TODAY) == 1
    thread.join(timeout=5)
    server.server_close()
    path, authorization, payload = _Notify.received[-1]
    assert path == "/v2/notifications/email"
    assert payload["email_address"] == world.users["keyworker"].email
    assert payload["template_id"] == settings.NOTIFY_TEMPLATE_ID
    assert "Due today" in payload["personalisation"]["body"]
    token = authorization.removeprefix("Bearer ")
    issued_at = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))["iat"]
    assert token == notify_token(service_id, secret, issued_at)


def test_team_tasks_come_fifty_a_page_overdue_first_with_the_totals(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        make(world, f"Overdue {n}", -5 - n)
    for n in range(60):
        make(world, f"Later {n}", 10 + n)
    client.force_login(world.users["keyworker"])
    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(reverse("tasks:team"))
    first_count = len(first_queries)  # now: the captured list is a slice of a log the next request clears
    page = first.content.decode()
    everyone = selectors.team_open_tasks(world.users["keyworker"])
    total, overdue = everyone.count(), everyone.filter(due_on__lt=TODAY).count()
    assert total >= 63 and f"{total} open tasks" in page and f"{overdue} overdue" in page
    assert [t.title for t in first.context["overdue"]][:3] == ["Overdue 2", "Overdue 1", "Overdue 0"]
    assert len(first.context["overdue"]) + len(first.context["upcoming"]) == 50
    second = client.get(reverse("tasks:team"), {"page": 2})
    assert len(second.context["upcoming"]) == total - 50 and not second.context["overdue"]
    for n in range(60):
        make(world, f"Even later {n}", 100 + n)
    with CaptureQueriesContext(connection) as more_queries:
        client.get(reverse("tasks:team"))
    assert first_count == len(more_queries) > 0
