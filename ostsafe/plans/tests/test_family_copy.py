"""The family's own copy of the plan (guide, "Joint working": "share agreed aims and the progress of how to achieve
them"): written for a parent (its reading age measured with textstat), one for each adult with their own part first,
as a page and a real PDF; who it was given to and when; out of date after a review, with a task to give the new one."""

import datetime
import io
import re

import pytest
import textstat
from django.urls import reverse
from pypdf import PdfReader

from ostsafe.families.tests.factories import AdultMemberFactory
from ostsafe.plans import family_copy, services
from ostsafe.plans.models import FamilyCopy
from ostsafe.tasks.models import Task, TaskStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
# Words a parent should not meet in their own copy of the plan.
JARGON = ["OST", "opioid", "substitution", "safeguarding", "practitioner", "service user", "take-home", "regime"]


@pytest.fixture
def plan(world):
    keyworker = world.users["keyworker"]
    plan = services.start_safety_plan(household=world.household, created_by=keyworker, created_on=TODAY)
    mum = world.service_user.full_name
    for what, why, who in [
        ("Keep the medicine in the locked box", "A small amount can kill a child", mum),
        ("Put the box on the top shelf in the kitchen", "The children cannot reach it there", mum),
        ("Go to the pharmacy every day before school", "So there is no medicine at home overnight", mum),
        ("Visit every two weeks", "To see how things are going", "Sam Taylor (keyworker)"),
    ]:
        services.add_plan_action(
            plan=plan,
            expectation=what,
            why=why,
            owner=who,
            due_on=TODAY + datetime.timedelta(days=14),
            added_by=keyworker,
            as_of=TODAY,
        )
    services.record_strength(
        plan=plan, what="You have kept the box locked at every visit", noticed_on=TODAY, recorded_by=keyworker
    )
    services.record_disagreement(
        plan=plan,
        about="Whether the children can stay with their uncle",
        whose_view=mum,
        family_view="He is their uncle and they love going",
        practitioner_view="He is using again, so it is not safe yet",
        raised_on=TODAY,
        raised_by=keyworker,
    )
    return plan


def words_of(html: str) -> str:
    """What a reader reads: each heading, line and list item ends a sentence, as it does for the eye."""
    html = re.sub(r"(<br>|</p>|</li>|</h[1-6]>)", ". ", html)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"([.!?:”])\s*\.", r"\1", text).strip()


def test_the_familys_copy_reads_at_a_reading_age_of_eleven_or_under(client, world, plan):
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("plans:family_copy", args=[world.household.pk])).content.decode()
    copy = words_of(page.split('class="ostsafe-family-copy govuk-body">')[1].split('id="main-form"')[0])
    assert "Keep the medicine in the locked box" in copy and "call 999 straight away" in copy
    assert textstat.flesch_kincaid_grade(copy) + 5 <= family_copy.READING_AGE_AIM
    assert textstat.flesch_reading_ease(copy) >= 60  # plain English
    assert not [word for word in JARGON if re.search(rf"\b{re.escape(word)}\b", copy, re.IGNORECASE)]
    assert "Easy to read" in page


def test_a_hard_to_read_plan_is_flagged_to_the_practitioner_before_it_is_printed(client, world, plan):
    services.add_plan_action(
        plan=plan,
        expectation="Demonstrate consistent engagement with the multidisciplinary safeguarding arrangements, including "
        "comprehensive adherence to the supervised consumption requirements stipulated by the prescribing clinician",
        why="Professional concerns regarding intergenerational vulnerabilities necessitate comprehensive monitoring",
        owner=world.service_user.full_name,
        due_on=TODAY + datetime.timedelta(days=7),
        added_by=world.users["keyworker"],
        as_of=TODAY,
    )
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("plans:family_copy", args=[world.household.pk])).content.decode()
    assert "Hard to read" in page and "Sentences to shorten" in page


def test_each_adult_gets_their_own_copy_with_their_part_first(client, world, plan):
    partner = AdultMemberFactory(household=world.household, given_name="Lee", family_name="Harper")
    services.add_plan_action(
        plan=plan,
        expectation="Check the box is locked each night",
        why="Two people checking is safer",
        owner="Lee Harper",
        due_on=TODAY + datetime.timedelta(days=7),
        added_by=world.users["keyworker"],
        as_of=TODAY,
    )
    found = family_copy.copy_for(plan, adult_key=f"member:{partner.pk}", as_of=TODAY)
    assert found.for_name == "Lee Harper"
    assert found.actions[0].what == "Check the box is locked each night" and found.actions[0].theirs
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("plans:family_copy", args=[world.household.pk]), {"for": f"member:{partner.pk}"})
    assert "This copy is for Lee Harper" in page.content.decode()
    # Someone who is not of this family gets the family's copy, not theirs.
    other = client.get(reverse("plans:family_copy", args=[world.household.pk]), {"for": "member:999999"})
    assert "This copy is for" not in other.content.decode()


@pytest.mark.slow
def test_the_copy_is_a_real_pdf_with_the_plan_in_it(client, world, plan):
    client.force_login(world.users["keyworker"])
    response = client.get(
        reverse("plans:family_copy_pdf", args=[world.household.pk]), {"for": f"su:{world.service_user.pk}"}
    )
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Your family's safety plan" in text and "Keep the medicine in the locked box" in text
    assert f"This copy is for {world.service_user.full_name}" in text


def test_giving_the_copy_is_recorded_and_a_review_makes_it_out_of_date_until_the_new_one_is_given(client, world, plan):
    keyworker = world.users["keyworker"]
    client.force_login(keyworker)
    url = reverse("plans:family_copy", args=[world.household.pk])
    response = client.post(
        url,
        {
            "adult_key": f"su:{world.service_user.pk}",
            "given_on-day": TODAY.day,
            "given_on-month": TODAY.month,
            "given_on-year": TODAY.year,
        },
    )
    assert response.status_code == 302
    given = FamilyCopy.objects.get()
    assert given.given_to == world.service_user.full_name and given.given_by == keyworker
    assert not family_copy.copies_out_of_date(plan)
    services.review_plan(
        plan=plan,
        reviewed_by=keyworker,
        reviewed_on=TODAY,
        understood_and_agreed=True,
        notes="",
        progress={a.pk: ("open", "") for a in plan.actions.all()},
    )
    task = Task.objects.get(rule=services.FAMILY_COPY_RULE, status=TaskStatus.OPEN)
    assert world.service_user.full_name in task.title
    page = client.get(url).content.decode()
    assert "The plan has been reviewed since" in page
    plan.refresh_from_db()
    services.record_copy_given(plan=plan, adult_key=f"su:{world.service_user.pk}", given_on=TODAY, given_by=keyworker)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_a_copy_given_in_the_future_or_to_someone_outside_the_family_is_refused(client, world, plan):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.record_copy_given(
            plan=plan,
            adult_key=f"su:{world.service_user.pk}",
            given_on=TODAY + datetime.timedelta(days=1),
            given_by=world.users["keyworker"],
        )
    with pytest.raises(ValidationError):
        services.record_copy_given(plan=plan, adult_key="su:999999", given_on=TODAY, given_by=world.users["keyworker"])
    with pytest.raises(ValidationError):  # before the plan was started
        services.record_copy_given(
            plan=plan,
            adult_key=f"su:{world.service_user.pk}",
            given_on=plan.created_on - datetime.timedelta(days=1),
            given_by=world.users["keyworker"],
        )
    assert not FamilyCopy.objects.exists()
