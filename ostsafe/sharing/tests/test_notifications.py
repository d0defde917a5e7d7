"""The routine notification end to end (letter, email with PDF, follow-up call, acknowledgement, chasing in working
days), updates drafted on developments and never sent silently, and partners telling the service."""

import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from ostsafe.core.working_days import add_working_days
from ostsafe.families.tests.factories import ChildFactory, HouseholdFactory
from ostsafe.sharing import services
from ostsafe.sharing.models import Decision, Notification, NotificationStatus, PartnerReport, Purpose
from ostsafe.tasks.models import Task, TaskStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def routine_letter(world):
    return services.draft_routine_notification(consent=world.consent, drafted_by=world.users["keyworker"])


def health_visitor_entry(world):
    return world.household.network.get(professional=world.users["health_visitor"])


def consent_to_updates(world):
    return services.record_consent(
        household=world.household,
        service_user=world.service_user,
        recipient=health_visitor_entry(world),
        purpose=Purpose.UPDATES,
        decision=Decision.GIVEN,
        decided_on=TODAY,
        recorded_by=world.users["keyworker"],
    )


def test_the_routine_notification_says_what_the_guide_says(world):
    letter = routine_letter(world)
    words = " ".join(letter.body.split())
    assert letter.status == NotificationStatus.DRAFT and letter.template.version == 1
    for phrase in (
        "This is not a referral",
        "does not replace safeguarding or child protection procedures",
        "We commit to letting you know of any developments, significant changes or concerns",
        "We ask that you likewise let us know",
        world.service_user.full_name,
        world.child.given_name,
        world.users["keyworker"].email,
    ):
        assert phrase in words, phrase


@pytest.mark.slow
def test_sending_emails_the_letter_as_a_pdf_and_asks_for_the_follow_up_call(world, django_capture_on_commit_callbacks):
    letter = routine_letter(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_notification(notification=letter, sent_by=world.users["keyworker"])
    message = mail.outbox[-1]
    assert message.to == [world.users["health_visitor"].email]
    name, content, kind = message.attachments[0]
    assert kind == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
    assert "This is not a referral" in text and "Routine notification" in text

    call = Task.objects.get(rule=services.FOLLOW_UP_CALL_RULE)
    assert call.assignee == world.users["keyworker"] and call.status == TaskStatus.OPEN
    assert call.due_on == add_working_days(TODAY, services.FOLLOW_UP_CALL_WORKING_DAYS)
    services.record_follow_up_call(
        notification=letter,
        call_on=TODAY,
        outcome="Agreed to share at each review",
        recorded_by=world.users["keyworker"],
    )
    call.refresh_from_db()
    assert call.status == TaskStatus.DONE


def test_a_routine_notification_needs_current_consent_to_it_and_is_written_once(world):
    routine_letter(world)
    with pytest.raises(Exception, match="already drafted"):
        routine_letter(world)
    updates = consent_to_updates(world)
    with pytest.raises(Exception, match="needs consent to routine notification"):
        services.draft_routine_notification(consent=updates, drafted_by=world.users["keyworker"])


def test_a_drafted_letter_cannot_be_sent_once_consent_is_withdrawn(world):
    letter = routine_letter(world)
    services.withdraw_consent(consent=world.consent, withdrawn_on=TODAY, withdrawn_by=world.users["keyworker"])
    with pytest.raises(Exception, match="withdrawn: the letter cannot be sent"):
        services.send_notification(notification=letter, sent_by=world.users["keyworker"])
    letter.refresh_from_db()
    assert letter.status == NotificationStatus.DRAFT and not mail.outbox


def test_a_letter_not_acknowledged_within_the_working_days_becomes_a_task(world, settings):
    letter = services.send_notification(notification=routine_letter(world), sent_by=world.users["keyworker"])
    sent = datetime.datetime(2026, 12, 23, 10, tzinfo=datetime.UTC)  # Wednesday before Christmas
    Notification.objects.filter(pk=letter.pk).update(sent_at=sent)
    settings.OSTSAFE_ACKNOWLEDGE_WORKING_DAYS = 3
    # 24th, 29th, 30th are the three working days (Christmas, Boxing Day observed and the weekend are not).
    assert services.chase_unacknowledged(as_of=datetime.date(2026, 12, 30)) == 0
    assert services.chase_unacknowledged(as_of=datetime.date(2026, 12, 31)) == 1
    assert services.chase_unacknowledged(as_of=datetime.date(2027, 1, 4)) == 0  # once per letter
    chase = Task.objects.get(rule=services.UNACKNOWLEDGED_RULE)
    assert chase.assignee == world.users["keyworker"]
    services.acknowledge_notification(notification=letter, acknowledged_by=world.users["health_visitor"])
    chase.refresh_from_db()
    assert chase.status == TaskStatus.DONE


def test_the_health_visitor_reads_and_acknowledges_the_letter_sent_to_them(client, world):
    letter = services.send_notification(notification=routine_letter(world), sent_by=world.users["keyworker"])
    client.force_login(world.users["health_visitor"])
    listing = client.get(reverse("sharing:shared_with_me")).content.decode()
    assert "New letter" in listing
    page = client.get(reverse("sharing:shared_letter", args=[world.household.pk, letter.pk])).content.decode()
    assert "This is not a referral" in page
    response = client.post(reverse("sharing:shared_letter_acknowledge", args=[world.household.pk, letter.pk]))
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.acknowledged_by == world.users["health_visitor"]
    assert "New letter" not in client.get(reverse("sharing:shared_with_me")).content.decode()
    client.force_login(world.users["keyworker"])
    tab = client.get(reverse("sharing:tab", args=[world.household.pk])).content.decode()
    assert "Acknowledged" in tab


@pytest.mark.parametrize("actor", ["school_nurse", "administrator", "keyworker"])
def test_only_the_recipient_acknowledges_a_letter(client, world, actor):
    letter = services.send_notification(notification=routine_letter(world), sent_by=world.users["keyworker"])
    client.force_login(world.users[actor])
    assert (
        client.post(reverse("sharing:shared_letter_acknowledge", args=[world.household.pk, letter.pk])).status_code
        == 403
    )
    assert client.post(reverse("notification-acknowledge", args=[letter.pk])).status_code == 403
    letter.refresh_from_db()
    assert letter.acknowledged_at is None


def test_a_draft_is_not_shown_to_its_recipient(client, world):
    letter = routine_letter(world)
    client.force_login(world.users["health_visitor"])
    assert client.get(reverse("sharing:shared_letter", args=[world.household.pk, letter.pk])).status_code == 403
    assert letter.subject not in client.get(reverse("sharing:shared", args=[world.household.pk])).content.decode()


# Updates on developments ---------------------------------------------------------------------------------------------


def test_a_concern_drafts_an_update_for_the_keyworker_to_check_and_never_sends_it(world):
    from ostsafe.monitoring import services as monitoring

    consent_to_updates(world)
    monitoring.record_concern(
        household=world.household,
        recorded_by=world.users["keyworker"],
        source="school",
        category="other",
        description="Child arrived hungry twice this week",
        received_on=TODAY,
    )
    update = Notification.objects.get(kind="update")
    assert update.status == NotificationStatus.DRAFT and "a concern was raised" in update.body
    assert not mail.outbox
    task = Task.objects.get(rule=services.SEND_UPDATE_RULE)
    assert task.assignee == world.users["keyworker"]
    services.send_notification(notification=update, sent_by=world.users["keyworker"], body="Checked words")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and Notification.objects.get(pk=update.pk).body == "Checked words"


def test_no_update_is_drafted_where_no_consent_covers_updates(world):
    from ostsafe.monitoring import services as monitoring

    monitoring.record_concern(
        household=world.household,
        recorded_by=world.users["keyworker"],
        source="school",
        category="other",
        description="x",
        received_on=TODAY,
    )
    assert not Notification.objects.filter(kind="update").exists()


def test_a_first_or_raised_risk_level_drafts_an_update_and_a_lower_one_does_not(world):
    from ostsafe.assessments.tests.test_assessments import complete, safe_answers, started

    consent_to_updates(world)
    complete(world, started(world), safe_answers(), "medium", rationale="Seen at the visit")
    assert Notification.objects.get(kind="update").development.endswith("risk medium")
    complete(world, started(world), safe_answers(), "low")
    assert Notification.objects.filter(kind="update").count() == 1
    complete(world, started(world), safe_answers(), "high", rationale="Seen at the visit")
    assert Notification.objects.filter(kind="update").latest("pk").development.endswith("risk high (was low)")


def test_a_drafted_update_not_sent_keeps_the_reason(client, world):
    consent_to_updates(world)
    [update] = services.draft_updates(
        household=world.household, development="a new partner moved in", drafted_by=world.users["keyworker"]
    )
    client.force_login(world.users["keyworker"])
    response = client.post(
        reverse("notification-not-sent", args=[update.pk]), {"reason": "Already told at the core group"}
    )
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert Task.objects.get(rule=services.SEND_UPDATE_RULE).status == TaskStatus.DONE


# Partners tell the service --------------------------------------------------------------------------------------------


def test_a_partner_reports_a_missed_immunisation_and_the_keyworker_gets_a_task(client, world):
    client.force_login(world.users["health_visitor"])
    url = reverse("sharing:partner_report", args=[world.household.pk])
    assert client.get(url).context["form"].initial["happened_on"] == TODAY
    response = client.post(
        url,
        {
            "kind": "missed_immunisation",
            "child": world.child.pk,
            "happened_on-day": TODAY.day,
            "happened_on-month": TODAY.month,
            "happened_on-year": TODAY.year,
            "details": "Second missed appointment for the 12-month vaccines",
        },
    )
    assert response.status_code == 302
    task = Task.objects.get(rule=services.PARTNER_REPORT_RULE)
    assert task.assignee == world.users["keyworker"] and "missed immunisation" in task.title
    client.force_login(world.users["keyworker"])
    tab = client.get(reverse("sharing:tab", args=[world.household.pk])).content.decode()
    assert "Second missed appointment for the 12-month vaccines" in tab


@pytest.mark.parametrize(
    "body, field, words",
    [
        ({"kind": "concern"}, "category", "Select what the concern is about"),
        ({"kind": "missed_health_contact"}, "child", "Select the child"),
        (
            {"kind": "school_attendance_low", "child": "CHILD", "attendance_percent": 95},
            "attendance_percent",
            "not below",
        ),
        ({"kind": "update", "attendance_percent": 101}, "attendance_percent", "100"),
    ],
)
def test_a_partner_report_with_missing_or_wrong_details_is_refused_clearly(client, world, body, field, words):
    client.force_login(world.users["health_visitor"])
    data = {"household": world.household.pk, "happened_on": TODAY.isoformat(), "details": "x", **body}
    if data.get("child") == "CHILD":
        data["child"] = world.child.pk
    response = client.post(reverse("partner-report-list"), data, content_type="application/json")
    assert response.status_code == 400
    assert words in " ".join(response.json()[field])
    assert not PartnerReport.objects.exists()


def test_a_partner_cannot_report_about_a_child_of_another_family(client, world):
    other_child = ChildFactory(household=HouseholdFactory(team=world.household.team))
    client.force_login(world.users["health_visitor"])
    body = {
        "household": world.household.pk,
        "child": other_child.pk,
        "kind": "missed_immunisation",
        "happened_on": TODAY.isoformat(),
        "details": "x",
    }
    response = client.post(reverse("partner-report-list"), body, content_type="application/json")
    assert response.status_code == 400 and "child" in response.json()
    assert not PartnerReport.objects.exists()


def test_shared_with_me_puts_families_with_a_new_letter_first(client, world):
    from ostsafe.families.tests.factories import InvolvementFactory, ServiceUserFactory

    partner = world.users["health_visitor"]
    other = HouseholdFactory(team=world.household.team, name="Aaronson household")
    su = ServiceUserFactory(household=other, keyworker=world.users["keyworker"])
    entry = InvolvementFactory(household=other, professional=partner, name="", organisation_name="")
    services.record_consent(
        household=other,
        service_user=su,
        recipient=entry,
        purpose=Purpose.UPDATES,
        decision=Decision.GIVEN,
        decided_on=TODAY,
        recorded_by=world.users["keyworker"],
    )
    client.force_login(partner)
    names = lambda: [h.name for h in client.get(reverse("sharing:shared_with_me")).context["households"]]  # noqa: E731
    assert names()[0] == "Aaronson household"
    services.send_notification(notification=routine_letter(world), sent_by=world.users["keyworker"])
    assert names()[0] == world.household.name


def test_routine_notification_goes_to_the_health_visitor_or_school_nurse_of_the_childrens_age(world):
    nurse = world.household.network.get(professional=world.users["school_nurse"])
    to_nurse = services.record_consent(
        household=world.household,
        service_user=world.service_user,
        recipient=nurse,
        purpose=Purpose.ROUTINE_NOTIFICATION,
        decision=Decision.GIVEN,
        decided_on=TODAY,
        explained_how="Explained",
        recorded_by=world.users["keyworker"],
    )
    # The world's only child is 4: the school nurse has no child of hers here.
    with pytest.raises(Exception, match="works with children of school age: this family has none"):
        services.draft_routine_notification(consent=to_nurse, drafted_by=world.users["keyworker"])
    from ostsafe.families.tests.factories import InvolvementFactory

    keyworker_entry = InvolvementFactory(
        household=world.household, professional=world.users["keyworker"], name="", organisation_name=""
    )
    to_keyworker = services.record_consent(
        household=world.household,
        service_user=world.service_user,
        recipient=keyworker_entry,
        purpose=Purpose.ROUTINE_NOTIFICATION,
        decision=Decision.GIVEN,
        decided_on=TODAY,
        explained_how="Explained",
        recorded_by=world.users["keyworker"],
    )
    with pytest.raises(Exception, match="goes to the health visitor"):
        services.draft_routine_notification(consent=to_keyworker, drafted_by=world.users["keyworker"])
    assert not Notification.objects.exists()


def test_consent_to_routine_notification_asks_the_keyworker_to_send_the_letter_until_it_is_sent(world):
    task = Task.objects.get(rule=services.WRITE_LETTER_RULE)  # the world's consent to routine notification
    assert task.assignee == world.users["keyworker"] and task.status == TaskStatus.OPEN
    services.send_notification(notification=routine_letter(world), sent_by=world.users["keyworker"])
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.outcome == "Letter sent"


def test_an_update_drafted_by_a_rule_goes_to_the_keyworker_or_else_a_manager(world):
    consent_to_updates(world)
    world.service_user.keyworker = None
    world.service_user.save()
    [update] = services.draft_updates(
        household=world.household, development="3 missed doses in a row at the pharmacy", drafted_by=None
    )
    assert Task.objects.get(rule=services.SEND_UPDATE_RULE).assignee == world.users["manager"]
    assert world.users["manager"].full_name in update.body
