import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from ostsafe.accounts.tests.factories import UserFactory
from ostsafe.core.roles import Role
from ostsafe.families.models import MemberRole
from ostsafe.families.tests.factories import AdultMemberFactory
from ostsafe.plans import selectors, services
from ostsafe.plans.models import AgreementStatus
from ostsafe.tasks.models import Task, TaskStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def draft(world):
    return services.draft_agreement(
        household=world.household,
        service_user=world.service_user,
        expectations="Box locked on the top shelf from today, because Ella climbs",
        drafted_by=world.users["keyworker"],
        drafted_on=TODAY,
    )


def test_drafting_makes_an_unsigned_task_and_signing_closes_it(world):
    agreement = draft(world)
    task = Task.objects.get(rule="plans.agreement_unsigned")
    with pytest.raises(ValidationError) as error:
        services.sign_agreement_on_screen(
            agreement=agreement, signed_name="", confirmed=False, signed_on=TODAY, recorded_by=world.users["keyworker"]
        )
    assert "type their name" in str(error.value) and "confirm" in str(error.value)
    services.sign_agreement_on_screen(
        agreement=agreement,
        signed_name="Jo Bloggs",
        confirmed=True,
        signed_on=TODAY,
        recorded_by=world.users["keyworker"],
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    check = selectors.guidance_agreement_checks(service_users=[world.service_user], as_of=TODAY)[world.service_user.pk]
    assert check.met and "signed on screen" in check.evidence


def test_agreement_older_than_the_valid_period_is_not_current(world):
    agreement = draft(world)
    services.sign_agreement_on_screen(
        agreement=agreement, signed_name="Jo", confirmed=True, signed_on=TODAY, recorded_by=world.users["keyworker"]
    )
    later = TODAY + datetime.timedelta(days=400)
    assert not selectors.guidance_agreement_checks(service_users=[world.service_user], as_of=later)[
        world.service_user.pk
    ].met


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.txt", b"hello there", "must be a PDF, PNG or JPG"),
        ("scan.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "smaller than 5 MB"),
    ],
)
def test_paper_scan_must_be_a_pdf_or_image_and_small(client, world, name, content, message):
    agreement = draft(world)
    client.force_login(world.users["keyworker"])
    response = client.post(
        reverse("plans:agreement_paper", args=[world.household.pk, agreement.pk]),
        {
            "scan": SimpleUploadedFile(name, content),
            "signed_on-day": TODAY.day,
            "signed_on-month": TODAY.month,
            "signed_on-year": TODAY.year,
        },
    )
    assert message in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT


def test_paper_scan_is_stored_in_the_database_and_served_only_through_the_access_check(
    client, world, settings, tmp_path
):
    from ostsafe.core.models import StoredFile

    settings.MEDIA_ROOT = settings_root = tmp_path  # nothing may be written to the app server's disk
    agreement = draft(world)
    client.force_login(world.users["keyworker"])
    client.post(
        reverse("plans:agreement_paper", args=[world.household.pk, agreement.pk]),
        {
            "scan": SimpleUploadedFile("signed.pdf", PDF),
            "signed_on-day": TODAY.day,
            "signed_on-month": TODAY.month,
            "signed_on-year": TODAY.year,
        },
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    assert bytes(StoredFile.objects.get(name=agreement.scan.name).content) == PDF
    assert not any(settings_root.iterdir())
    url = reverse("plans:agreement_scan", args=[world.household.pk, agreement.pk])
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    client.force_login(world.users["health_visitor"])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("uploaded_as", ["evil.html", "../../etc/passwd", "scan.pdf.html", "x" * 300 + ".pdf"])
def test_scan_is_stored_under_a_generated_name_with_the_extension_its_bytes_show(client, world, uploaded_as):
    agreement = draft(world)
    client.force_login(world.users["keyworker"])
    html_in_disguise = b"%PDF-1.4\n<html><script>alert(1)</script></html>"
    response = client.post(
        reverse("plans:agreement_paper", args=[world.household.pk, agreement.pk]),
        {"scan": SimpleUploadedFile(uploaded_as, html_in_disguise)}
        | {"signed_on-day": TODAY.day, "signed_on-month": TODAY.month, "signed_on-year": TODAY.year},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    stored = agreement.scan.name
    assert re.fullmatch(rf"agreements/{world.household.pk}/[0-9a-f]{{32}}\.pdf", stored), stored
    served = client.get(reverse("plans:agreement_scan", args=[world.household.pk, agreement.pk]))
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["X-Content-Type-Options"] == "nosniff"


def test_agreement_not_forthcoming_asks_the_manager_to_consider_child_protection(world):
    agreement = draft(world)
    services.record_agreement_not_forthcoming(
        agreement=agreement, reason="Says it is none of our business", recorded_by=world.users["keyworker"], on=TODAY
    )
    task = Task.objects.get(rule="plans.agreement_not_forthcoming")
    assert task.assignee == world.users["manager"]
    assert task.title == "Consider whether this should be referred as a child protection concern"


@pytest.mark.slow
def test_agreement_pdf_carries_the_guide_points_and_the_expectations(client, world):
    agreement = draft(world)
    client.force_login(world.users["keyworker"])
    response = client.get(reverse("plans:agreement_pdf", args=[world.household.pk, agreement.pk]))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
    for phrase in [
        "Keeping your medicine safe",
        "What is expected of you, and why",
        "Timescales and reviews",
        "Who we will share this with",
        "because Ella climbs",
    ]:
        assert phrase in text


@pytest.mark.parametrize(("age_days", "expected"), [(100, 14), (365 * 3, 28), (365 * 9, 42)])
def test_default_deadline_follows_the_youngest_childs_age(world, age_days, expected):
    world.child.date_of_birth = TODAY - datetime.timedelta(days=age_days)
    world.child.save()
    assert selectors.default_action_due_on(world.household, TODAY) == TODAY + datetime.timedelta(days=expected)


def plan_with_action(world):
    plan = services.start_safety_plan(household=world.household, created_by=world.users["keyworker"], created_on=TODAY)
    action = services.add_plan_action(
        plan=plan,
        expectation="Box on the top shelf",
        why="Ella climbs",
        owner="Mum",
        due_on=TODAY + datetime.timedelta(days=7),
        added_by=world.users["keyworker"],
        as_of=TODAY,
    )
    return plan, action


def test_new_action_with_a_past_deadline_or_no_owner_is_refused(world):
    plan, _ = plan_with_action(world)
    with pytest.raises(ValidationError, match="today or later"):
        services.add_plan_action(
            plan=plan,
            expectation="x",
            why="y",
            owner="Mum",
            added_by=world.users["keyworker"],
            due_on=TODAY - datetime.timedelta(days=1),
            as_of=TODAY,
        )
    with pytest.raises(ValidationError, match="Say who does this action"):
        services.add_plan_action(
            plan=plan, expectation="x", why="y", owner=" ", added_by=world.users["keyworker"], due_on=TODAY, as_of=TODAY
        )


def test_moving_a_deadline_needs_a_reason_and_keeps_the_history_in_view(client, world):
    plan, action = plan_with_action(world)
    with pytest.raises(ValidationError, match="Give the reason"):
        services.change_plan_action(
            action=action,
            changed_by=world.users["keyworker"],
            reason="",
            on=TODAY,
            due_on=TODAY + datetime.timedelta(days=14),
        )
    for weeks in (2, 3):
        services.change_plan_action(
            action=action,
            changed_by=world.users["keyworker"],
            on=TODAY,
            reason=f"Box delivery delayed, week {weeks}",
            due_on=TODAY + datetime.timedelta(weeks=weeks),
        )
    client.force_login(world.users["manager"])
    page = client.get(reverse("plans:plan", args=[world.household.pk])).content.decode()
    assert "Deadline moved 2 times" in page
    assert "Box delivery delayed, week 2" in page and "Box delivery delayed, week 3" in page


def test_review_records_progress_on_every_action_and_sets_the_next(world):
    plan, action = plan_with_action(world)
    with pytest.raises(ValidationError, match="Record progress on every action"):
        services.review_plan(
            plan=plan,
            reviewed_by=world.users["keyworker"],
            reviewed_on=TODAY,
            understood_and_agreed=True,
            notes="",
            progress={},
        )
    review = services.review_plan(
        plan=plan,
        reviewed_by=world.users["keyworker"],
        reviewed_on=TODAY,
        understood_and_agreed=True,
        notes="Going well",
        progress={action.pk: ("done", "Seen on the top shelf")},
    )
    action.refresh_from_db()
    assert action.status == "done"
    assert review.next_review_on == TODAY + datetime.timedelta(days=56)  # no assessment yet: medium
    assert Task.objects.filter(rule="plans.review_due", status=TaskStatus.OPEN).get().due_on == review.next_review_on


def test_meeting_suggests_every_adult_living_with_the_child_and_shows_who_was_not(client, world):
    AdultMemberFactory(household=world.household, role=MemberRole.OTHER_ADULT, given_name="Lodger", family_name="Smith")
    client.force_login(world.users["keyworker"])
    url = reverse("plans:meeting", args=[world.household.pk])
    page = client.get(url).content.decode()
    for name in (world.service_user.full_name, world.adult.display_name, "Lodger Smith"):
        assert f"{name} was invited" in page
    response = client.post(
        url,
        {
            "kind": "core_group",
            "held_on-day": TODAY.day,
            "held_on-month": TODAY.month,
            "held_on-year": TODAY.year,
            "adult_0_invited": "on",
            "adult_0_attended": "on",
            "adult_0_views": "Wants more help with mornings",
            "actions_agreed": "HV to visit weekly",
        },
    )
    assert response.status_code == 302
    plan_page = client.get(response["Location"]).content.decode()
    assert "Lodger Smith: <strong>not invited</strong>" in plan_page
    assert f"{world.adult.display_name}: <strong>not invited</strong>" in plan_page
    assert "The guide asks that every adult living with the child is invited" in plan_page
    assert "Wants more help with mornings" in plan_page
    assert Task.objects.filter(rule="plans.meeting_actions").exists()


def test_manager_is_chosen_from_the_households_service(world):
    other_manager = UserFactory(role=Role.TEAM_MANAGER)
    agreement = draft(world)
    services.record_agreement_not_forthcoming(
        agreement=agreement, reason="No", recorded_by=world.users["keyworker"], on=TODAY
    )
    assert Task.objects.get(rule="plans.agreement_not_forthcoming").assignee != other_manager


def test_an_actions_owner_is_chosen_from_the_family_and_its_network_or_named(client, world):
    from ostsafe.plans.models import PlanAction

    services.start_safety_plan(household=world.household, created_by=world.users["keyworker"], created_on=TODAY)
    client.force_login(world.users["keyworker"])
    url = reverse("plans:action_add", args=[world.household.pk])
    choices = [value for value, _ in client.get(url).context["form"].fields["owner"].choices]
    assert world.service_user.full_name in choices
    assert any("Health visitor" in value or "health visitor" in value.lower() for value in choices)
    due = TODAY + datetime.timedelta(days=10)
    data = {
        "expectation": "Box on the top shelf",
        "why": "The baby climbs",
        "due_on-day": due.day,
        "due_on-month": due.month,
        "due_on-year": due.year,
    }
    refused = client.post(url, {**data, "owner": "__someone_else__"})
    assert "Name who does it" in refused.content.decode()
    assert client.post(url, {**data, "owner": world.service_user.full_name}).status_code == 302
    assert PlanAction.objects.get().owner == world.service_user.full_name
    assert client.post(url, {**data, "owner": "Not one of the choices"}).status_code == 200
