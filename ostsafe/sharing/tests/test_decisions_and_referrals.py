"""Sharing without consent (approved by a manager, for a period, with the lawful basis and the reasons, whether or not
one shares) and child protection referrals (the social worker's view while one is open; the one-working-day chase)."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ostsafe.core import access
from ostsafe.core.roles import Action
from ostsafe.core.working_days import add_working_days
from ostsafe.families.tests.factories import ChildFactory, HouseholdFactory, InvolvementFactory
from ostsafe.sharing import services
from ostsafe.sharing.models import DecisionStatus, Referral, SharingDecision
from ostsafe.tasks.models import Task, TaskStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def nurse_entry(world):
    return world.household.network.get(professional=world.users["school_nurse"])


def decide(world, *, by="keyworker", share=True, approve_now=False, **changes):
    fields = {
        "household": world.household,
        "service_user": world.service_user,
        "recipient": nurse_entry(world),
        "share": share,
        "scopes": ["summary", "risk_assessment"],
        "reason": "Medicine found within a child's reach twice; consent refused",
        "article_6_basis": "public_task",
        "special_category_condition": "safeguarding",
        "family_told": True,
        "decided_on": TODAY,
        "valid_until": TODAY + datetime.timedelta(days=60),
        "recorded_by": world.users[by],
        "approve_now": approve_now,
    }
    return services.record_sharing_decision(**(fields | changes))


def fresh(world):
    return type(world.household).objects.get(pk=world.household.pk)


def test_a_decision_to_share_opens_nothing_until_a_manager_approves_it(client, world):
    nurse = world.users["school_nurse"]
    decision = decide(world)
    assert decision.status == DecisionStatus.AWAITING_APPROVAL
    task = Task.objects.get(rule=services.APPROVAL_RULE)
    assert task.assignee == world.users["manager"]
    assert not access.can(nurse, Action.VIEW_SHARED, fresh(world))

    client.force_login(world.users["manager"])
    url = reverse("sharing:decision_approve", args=[world.household.pk, decision.pk])
    assert client.post(url, {"approved": "yes"}).status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert access.can(nurse, Action.VIEW_SHARED, fresh(world))

    client.force_login(nurse)
    page = client.get(reverse("sharing:shared", args=[world.household.pk])).content.decode()
    assert "Shared without consent" in page and "The whole-family risk assessment" in page


def test_a_decision_to_share_ends_with_its_period(world):
    decision = decide(world, by="manager", approve_now=True)
    assert access.can(world.users["school_nurse"], Action.VIEW_SHARED, fresh(world))
    SharingDecision.objects.filter(pk=decision.pk).update(
        valid_from=TODAY - datetime.timedelta(days=30), valid_until=TODAY - datetime.timedelta(days=1)
    )
    assert not access.can(world.users["school_nurse"], Action.VIEW_SHARED, fresh(world))


def test_a_decision_not_to_share_is_recorded_with_its_reasons_and_opens_nothing(world):
    decision = decide(
        world,
        by="manager",
        approve_now=True,
        share=False,
        scopes=[],
        reason="Risk is low; consent will be sought again at review",
    )
    assert decision.status == DecisionStatus.APPROVED and decision.scopes == [] and decision.valid_until is None
    assert not access.can(world.users["school_nurse"], Action.VIEW_SHARED, fresh(world))


def test_nobody_approves_their_own_decision_and_a_refusal_needs_a_reason(world):
    decision = decide(world)
    with pytest.raises(Exception, match="Another manager"):
        services.approve_sharing_decision(
            decision=decision, approved=True, note="", approved_by=world.users["keyworker"]
        )
    with pytest.raises(Exception) as refused:
        services.approve_sharing_decision(
            decision=decision, approved=False, note=" ", approved_by=world.users["manager"]
        )
    assert "why it is not approved" in str(refused.value)


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"scopes": []}, "scopes", "Select what is to be shared"),
        ({"article_6_basis": ""}, "article_6_basis", "Article 6"),
        ({"special_category_condition": ""}, "special_category_condition", "Schedule 1"),
        ({"valid_until": None}, "valid_until", "for a period"),
        ({"valid_until": TODAY - datetime.timedelta(days=1)}, "valid_until", "today or later"),
        ({"family_told": False}, "not_told_reason", "why the family was not told"),
    ],
)
def test_a_decision_to_share_without_what_why_or_for_how_long_is_refused(world, changes, field, words):
    with pytest.raises(Exception) as refused:
        decide(world, **changes)
    assert words in " ".join(refused.value.message_dict[field])
    assert not SharingDecision.objects.exists()


def test_the_golden_rules_are_shown_where_the_decision_is_made(client, world):
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("sharing:decision_add", args=[world.household.pk])).content.decode()
    assert "Keep a record of your decision and the reasons for it, whether or not you share" in page


def test_consent_alone_never_shows_the_assessment_to_a_partner(client, world):
    client.force_login(world.users["health_visitor"])
    page = client.get(reverse("sharing:shared", args=[world.household.pk])).content.decode()
    assert "The whole-family risk assessment" not in page and "Drug and alcohol tests" not in page


# Referrals ------------------------------------------------------------------------------------------------------------


def refer(world, children=None, **changes):
    fields = {
        "household": world.household,
        "children": [world.child] if children is None else children,
        "sent_to": "Riverside MASH",
        "concerns": "Open methadone bottle on the kitchen table with a toddler at home",
        "how_concerns_arose": "Unannounced home visit",
        "first_hand": "I saw the bottle, about a third full, with no cap",
        "third_party": "The health visitor reported the same last month",
        "parents_views": "Mother says it was only for a minute",
        "parents_know": True,
        "whereabouts": "At home with mother",
        "referrer_contact": "Keyworker, 01632 960000",
        "made_by": world.users["keyworker"],
        "made_on": TODAY,
    }
    return services.record_referral(**(fields | changes))


def test_a_referral_without_a_child_or_with_another_familys_child_is_refused(world):
    with pytest.raises(Exception) as none:
        refer(world, children=[])
    assert none.value.message_dict["children"] == ["Select the child or children the referral is about"]
    other = ChildFactory(household=HouseholdFactory(team=world.household.team))
    with pytest.raises(Exception) as elsewhere:
        refer(world, children=[other])
    assert elsewhere.value.message_dict["children"] == ["Choose children of this family"]
    with pytest.raises(Exception) as untold:
        refer(world, parents_know=False)
    assert "why the parents or carers were not told" in str(untold.value)
    assert not Referral.objects.exists()


def test_a_referral_without_a_decision_after_one_working_day_becomes_a_task_until_it_is_recorded(world):
    from ostsafe.sharing.models import Referral as ReferralModel

    referral = services.send_referral(referral=refer(world), sent_by=world.users["keyworker"])
    friday = datetime.datetime(2026, 12, 18, 15, tzinfo=datetime.UTC)
    ReferralModel.objects.filter(pk=referral.pk).update(sent_at=friday)
    assert services.chase_referrals(as_of=datetime.date(2026, 12, 21)) == 0  # Monday: the one working day
    assert services.chase_referrals(as_of=datetime.date(2026, 12, 22)) == 1
    assert services.chase_referrals(as_of=datetime.date(2026, 12, 23)) == 0  # once per referral
    task = Task.objects.get(rule=services.REFERRAL_ACKNOWLEDGEMENT_RULE)
    assert task.assignee == world.users["keyworker"]
    referral.refresh_from_db()
    services.record_referral_response(
        referral=referral, recorded_by=world.users["keyworker"], acknowledged_on=TODAY, acknowledged_by_name="MASH duty"
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN  # acknowledged, but no decision yet
    referral = services.record_referral_response(
        referral=referral, recorded_by=world.users["keyworker"], decided_on=TODAY, outcome="early_help"
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and referral.closed_on == TODAY


def test_a_referral_decided_within_the_working_day_makes_no_task(world):
    referral = services.send_referral(referral=refer(world), sent_by=world.users["keyworker"])
    services.record_referral_response(
        referral=referral,
        recorded_by=world.users["keyworker"],
        acknowledged_on=TODAY,
        decided_on=TODAY,
        outcome="child_in_need",
    )
    assert services.chase_referrals(as_of=add_working_days(TODAY, 3)) == 0


def test_a_social_worker_in_the_network_sees_the_family_while_a_referral_is_open(world):
    social_worker = world.users["social_worker"]
    InvolvementFactory(household=world.household, professional=social_worker, name="", organisation_name="")
    referral = refer(world)
    assert not access.can(social_worker, Action.VIEW_SHARED, fresh(world))  # written, not sent
    services.send_referral(referral=referral, sent_by=world.users["keyworker"])
    assert access.can(social_worker, Action.VIEW_SHARED, fresh(world))
    services.record_referral_response(
        referral=referral, recorded_by=world.users["keyworker"], decided_on=TODAY, outcome="section_47"
    )
    assert access.can(social_worker, Action.VIEW_SHARED, fresh(world))  # section 47 keeps it open
    services.close_referral(referral=referral, closed_on=TODAY, closed_by=world.users["keyworker"])
    assert not access.can(social_worker, Action.VIEW_SHARED, fresh(world))


def test_an_open_referral_opens_nothing_to_a_health_visitor_without_consent(world):
    services.withdraw_consent(consent=world.consent, withdrawn_on=TODAY, withdrawn_by=world.users["keyworker"])
    services.send_referral(referral=refer(world), sent_by=world.users["keyworker"])
    assert not access.can(world.users["health_visitor"], Action.VIEW_SHARED, fresh(world))


def test_a_referral_is_written_through_the_api_with_the_children_in_reach(client, world):
    client.force_login(world.users["keyworker"])
    body = {
        "household": world.household.pk,
        "children": [],
        "sent_to": "MASH",
        "concerns": "x",
        "how_concerns_arose": "x",
        "first_hand": "x",
        "parents_know": True,
        "whereabouts": "Home",
        "referrer_contact": "x",
        "made_on": TODAY.isoformat(),
    }
    response = client.post(reverse("referral-list"), body, content_type="application/json")
    assert response.status_code == 400 and "children" in response.json()
    body["children"] = [world.child.pk]
    response = client.post(reverse("referral-list"), body, content_type="application/json")
    assert response.status_code == 201, response.content
    referral_id = response.json()["id"]
    response = client.post(reverse("referral-sent", args=[referral_id]), content_type="application/json")
    assert response.status_code == 200 and response.json()["sent_at"]


@pytest.mark.slow
def test_the_referral_pdf_carries_the_concerns_and_the_attached_assessment(client, world):
    from ostsafe.assessments.tests.test_assessments import complete, safe_answers, started

    complete(world, started(world), safe_answers(), "high", rationale="Seen at the visit")
    referral = refer(world)
    client.force_login(world.users["keyworker"])
    response = client.get(reverse("sharing:referral_pdf", args=[world.household.pk, referral.pk]))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
    for phrase in (
        "Open methadone bottle on the kitchen table",
        "I saw the bottle",
        "The whole-family risk assessment",
    ):
        assert phrase in text, phrase
