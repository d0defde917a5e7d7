"""Take-home status where it matters: the caseload and its filter, the manager's list of checks not met today with a
"reviewed" action, the prescriber's page, and the review asked of the prescriber when the risk level is decided."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from ostsafe.assessments import services as assessment_services
from ostsafe.assessments.tests.test_assessments import safe_answers
from ostsafe.families.tests.factories import ChildFactory, HouseholdFactory, ServiceUserFactory
from ostsafe.prescribing import selectors, services
from ostsafe.prescribing.models import Prescription, Regime, TakeHomeReview
from ostsafe.prescribing.take_home import TAKE_HOME_REVIEW_RULE, evaluate, evaluate_many
from ostsafe.prescribing.tests.factories import PrescriptionFactory
from ostsafe.prescribing.tests.test_take_home import meet_every_check
from ostsafe.tasks.models import Task, TaskStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def take_home(world):
    Prescription.objects.filter(pk=world.prescription.pk).update(regime=Regime.TAKE_HOME, take_home_days=7)
    world.prescription.refresh_from_db()
    return world.prescription


def test_checks_for_many_people_say_what_the_check_for_one_says(world):
    meet_every_check(world)
    other = ServiceUserFactory(household=HouseholdFactory(team=world.household.team))
    together = evaluate_many(service_users=[world.service_user, other], as_of=TODAY)
    assert together[world.service_user.pk] == evaluate(service_user=world.service_user, as_of=TODAY)
    assert together[other.pk] == evaluate(service_user=other, as_of=TODAY)
    assert all(c.met for c in together[world.service_user.pk])
    assert not any(c.met for c in together[other.pk])


def test_caseload_shows_take_home_checks_not_met_and_filters_by_them(client, world):
    take_home(world)
    supervised = ServiceUserFactory(
        household=HouseholdFactory(team=world.household.team), keyworker=world.users["keyworker"]
    )
    ChildFactory(household=supervised.household)
    PrescriptionFactory(service_user=supervised, prescriber=world.users["prescriber"])
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("families:caseload")).content.decode()
    assert "Take-home checks not met" in page
    filtered = client.get(reverse("families:caseload"), {"take_home": "unmet"}).content.decode()
    assert world.service_user.full_name in filtered
    assert supervised.full_name not in filtered


def test_take_home_checks_met_are_not_flagged_on_the_caseload(client, world):
    meet_every_check(world)
    take_home(world)
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("families:caseload"), {"take_home": "unmet"}).content.decode()
    assert world.service_user.full_name not in page


def test_manager_sees_current_take_home_doses_whose_checks_lapsed_and_records_a_review(client, world):
    take_home(world)
    manager = world.users["manager"]
    client.force_login(manager)
    page = client.get(reverse("prescribing:overrides")).content.decode()
    assert world.service_user.full_name in page and "Not reviewed" in page
    url = reverse("prescribing:take_home_review", args=[world.household.pk, world.prescription.pk])
    assert "No completed whole-family assessment" in client.get(url).content.decode()
    response = client.post(url, {"note": "Spoke to the prescriber; storage visit booked"})
    assert response.status_code == 302
    review = TakeHomeReview.objects.get()
    assert set(review.unmet_checks) == {"current_assessment", "storage_seen", "safety_box", "guidance_agreement"}
    assert "Spoke to the prescriber" in client.get(reverse("prescribing:overrides")).content.decode()


def test_a_review_covers_the_checks_it_saw_not_a_later_lapse(world):
    meet_every_check(world)
    take_home(world)
    # The box is returned and reviewed; later the assessment and the storage check lapse too: the review made when
    # only the box was missing no longer covers them.
    world.service_user.safety_boxes.update(returned_on=TODAY)
    services.review_take_home(prescription=world.prescription, reviewed_by=world.users["manager"], note="Box ordered")
    [row] = selectors.take_home_unmet(world.users["manager"], TODAY)
    assert row.review is not None
    later = TODAY + datetime.timedelta(days=200)
    [row] = selectors.take_home_unmet(world.users["manager"], later)
    assert row.review is None


def test_review_needs_a_note_and_something_to_review(world):
    take_home(world)
    with pytest.raises(ValidationError):
        services.review_take_home(prescription=world.prescription, reviewed_by=world.users["manager"], note=" ")
    assert not TakeHomeReview.objects.exists()
    meet_every_check(world)
    with pytest.raises(ValidationError, match="nothing to review"):
        services.review_take_home(prescription=world.prescription, reviewed_by=world.users["manager"], note="Fine")


def test_review_of_another_prescriptions_decision_is_refused(client, world):
    take_home(world)
    other = PrescriptionFactory(prescriber=world.users["prescriber"])
    decision = other.take_home_decisions.create(
        decided_by=world.users["prescriber"], decided_on=TODAY, checks=[], all_checks_met=False, override_reason="x"
    )
    client.force_login(world.users["manager"])
    url = reverse("prescribing:take_home_review", args=[world.household.pk, world.prescription.pk])
    assert client.get(url, {"decision": decision.pk}).status_code == 404
    assert client.post(f"{url}?decision={decision.pk}", {"note": "x"}).status_code == 404
    assert client.get(url, {"decision": "not-a-number"}).status_code == 404
    assert not TakeHomeReview.objects.exists()


def test_deciding_the_risk_level_asks_the_prescriber_to_review_take_home_doses(world):
    take_home(world)
    keyworker = world.users["keyworker"]
    assessment = assessment_services.start_assessment(
        household=world.household, service_user=world.service_user, started_by=keyworker
    )
    assessment_services.save_answers(assessment=assessment, answers=safe_answers(), saved_by=keyworker)
    assessment_services.complete_assessment(
        assessment=assessment, practitioner_level="low", rationale="", completed_by=keyworker, completed_on=TODAY
    )
    task = Task.objects.get(rule=TAKE_HOME_REVIEW_RULE)
    assert task.assignee == world.users["prescriber"] and "decided as low" in task.detail
    services.change_prescription(
        prescription=world.prescription, changed_by=world.users["prescriber"], take_home_days=3
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_prescriber_lands_on_their_page_with_reviews_and_checks_not_met(client, world):
    take_home(world)
    prescriber = world.users["prescriber"]
    client.force_login(prescriber)
    assert client.get(reverse("core:home")).url == reverse("prescribing:today")
    page = client.get(reverse("prescribing:today")).content.decode()
    assert "Take-home checks not met today (1)" in page and world.service_user.full_name in page
    # Another prescriber's take-home client is theirs, unless every prescriber's are asked for.
    client.force_login(world.users["prescriber_other_team"])
    assert "Take-home checks not met today (0)" in client.get(reverse("prescribing:today")).content.decode()


def test_prescriber_sees_their_reviews_by_person_or_by_family_overdue_first(client, world):
    from ostsafe.prescribing.selectors import MISSED_DOSES_RULE

    prescriber = world.users["prescriber"]
    due = {"assignee": prescriber, "household": world.household}
    Task.objects.create(
        title="Review take-home",
        detail="Risk decided as high",
        rule=TAKE_HOME_REVIEW_RULE,
        **due,
        service_user=world.service_user,
        due_on=TODAY - datetime.timedelta(days=2),
    )
    Task.objects.create(title="Review missed doses", detail="Three missed", rule=MISSED_DOSES_RULE, due_on=TODAY, **due)
    Task.objects.create(
        title="Someone else's",
        rule=TAKE_HOME_REVIEW_RULE,
        **{**due, "assignee": world.users["keyworker"]},
        due_on=TODAY,
    )
    client.force_login(prescriber)
    page = client.get(reverse("prescribing:today")).content.decode()
    reviews = page[page.index('id="take-home-reviews"') : page.index('id="missed-dose-reviews"')]
    assert "Take-home reviews (1)" in reviews and escape(world.service_user.full_name) in reviews
    assert "Risk decided as high" in reviews and "Overdue" in reviews
    missed = page[page.index('id="missed-dose-reviews"') :]
    assert (
        "Missed-dose reviews (1)" in missed
        and f"{escape(world.household.name)}</a>: review missed doses. Three missed" in missed
    )


def test_prescribing_page_query_count_does_not_grow_with_rows(client, world):
    prescriber = world.users["prescriber"]
    client.force_login(prescriber)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("prescribing:today"), {"scope": "team"}).status_code == 200
        return len(queries)

    def families(n):
        for _ in range(n):
            su = ServiceUserFactory(household=HouseholdFactory(team=world.household.team))
            ChildFactory(household=su.household)
            PrescriptionFactory(service_user=su, prescriber=prescriber, regime=Regime.TAKE_HOME, take_home_days=7)

    families(2)
    few = count()
    families(8)
    assert count() == few


def test_overrides_page_query_count_does_not_grow_with_rows(client, world):
    client.force_login(world.users["manager"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("prescribing:overrides")).status_code == 200
        return len(queries)

    def families(n):
        for _ in range(n):
            su = ServiceUserFactory(household=HouseholdFactory(team=world.household.team))
            ChildFactory(household=su.household)
            p = PrescriptionFactory(
                service_user=su, prescriber=world.users["prescriber"], regime=Regime.TAKE_HOME, take_home_days=7
            )
            services.review_take_home(prescription=p, reviewed_by=world.users["manager"], note="Seen")

    families(2)
    few = count()
    families(8)
    assert count() == few
