"""Consent to share as the one gate for partners: recording it, withdrawing it (effective on the partner's next
request), refusals asking for a team discussion, and what a partner's shared view shows and never shows."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ostsafe.audit.models import AccessEvent, Outcome
from ostsafe.core import access
from ostsafe.core.roles import Action
from ostsafe.families.tests.factories import ChildFactory, HouseholdFactory, InvolvementFactory, ServiceUserFactory
from ostsafe.sharing import services
from ostsafe.sharing.models import Consent, Decision, DiscussionOutcome, Purpose, TeamDiscussion
from ostsafe.tasks.models import Task, TaskStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
EXPLAINED = "Not a referral: part of supporting parents and their children earlier."


def consent(world, *, recipient=None, purpose=Purpose.ROUTINE_NOTIFICATION, decision=Decision.GIVEN, **extra):
    return services.record_consent(
        household=world.household,
        service_user=world.service_user,
        recipient=recipient or world.involvement,
        purpose=purpose,
        decision=decision,
        decided_on=extra.pop("decided_on", TODAY),
        explained_how=extra.pop("explained_how", EXPLAINED),
        recorded_by=world.users["keyworker"],
        **extra,
    )


def entry_of(world, actor):
    return world.household.network.get(professional=world.users[actor])


def discuss(world, refused):
    return services.record_team_discussion(
        consent=refused,
        held_on=TODAY,
        participants="Team manager, keyworker, prescriber",
        other_risks="Take-home doses, a child under 5, a recent missed run",
        outcome=DiscussionOutcome.OTHER_INTERVENTION,
        rationale="Offer early help; revisit consent at the next review",
        recorded_by=world.users["manager"],
    )


# Recording consent ---------------------------------------------------------------------------------------------------


def test_consent_to_share_the_agreement_is_shown_on_the_agreement_page(client, world):
    from ostsafe.plans import services as plans

    agreement = plans.draft_agreement(
        household=world.household,
        service_user=world.service_user,
        expectations="Box locked",
        drafted_by=world.users["keyworker"],
        drafted_on=TODAY,
    )
    consent(world, purpose=Purpose.AGREEMENT)
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("plans:agreement_detail", args=[world.household.pk, agreement.pk])).content.decode()
    assert f"{world.involvement.display_name} ({world.involvement.role_in_family}): consent given" in page
    tab = client.get(reverse("plans:agreement", args=[world.household.pk])).content.decode()
    assert f"{world.involvement.display_name}: consent given" in tab


def test_consent_is_recorded_through_the_page_with_today_and_the_only_service_user_preselected(client, world):
    client.force_login(world.users["keyworker"])
    url = reverse("sharing:consent_add", args=[world.household.pk])
    form = client.get(url + "?purpose=agreement").context["form"]
    assert form.initial["decided_on"] == TODAY
    assert form.initial["service_user"] == world.service_user.pk
    assert form.initial["purpose"] == "agreement"
    response = client.post(
        url,
        {
            "service_user": world.service_user.pk,
            "recipients": [world.involvement.pk],
            "purpose": Purpose.SAFETY_PLAN,
            "decision": Decision.GIVEN,
            "decided_on-day": TODAY.day,
            "decided_on-month": TODAY.month,
            "decided_on-year": TODAY.year,
        },
    )
    assert response.status_code == 302
    assert Consent.objects.get(purpose=Purpose.SAFETY_PLAN).valid_from == TODAY


def test_consent_to_routine_notification_needs_how_it_was_explained(world):
    with pytest.raises(Exception) as refused:
        consent(world, explained_how="  ")
    assert "reassurance" in str(refused.value)
    assert not Consent.objects.filter(recipient=world.involvement).exists()


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"valid_from": TODAY, "valid_until": TODAY - datetime.timedelta(days=1)}, "valid_until", "today or later"),
        (
            {"valid_from": TODAY + datetime.timedelta(days=10), "valid_until": TODAY + datetime.timedelta(days=5)},
            "valid_until",
            "same as or after",
        ),
        ({"purpose": Purpose.OTHER}, "purpose_detail", "Describe what is to be shared"),
        ({"decided_on": TODAY + datetime.timedelta(days=1)}, "decided_on", "today or in the past"),
    ],
)
def test_consent_with_dates_out_of_order_or_missing_detail_is_refused_with_a_clear_message(world, change, field, words):
    with pytest.raises(Exception) as refused:
        consent(world, **change)
    assert words in " ".join(refused.value.message_dict[field])
    assert not Consent.objects.filter(recipient=world.involvement).exists()


def test_a_recipient_outside_the_familys_network_is_refused(world):
    elsewhere = InvolvementFactory(household=HouseholdFactory(team=world.household.team))
    with pytest.raises(Exception) as refused:
        consent(world, recipient=elsewhere)
    assert refused.value.message_dict["recipient"] == ["Choose a professional in this family's network"]


def test_a_recipient_who_has_left_the_network_is_refused(world):
    world.involvement.end_date = TODAY - datetime.timedelta(days=3)
    world.involvement.save()
    with pytest.raises(Exception) as refused:
        consent(world)
    assert "stopped working with this family" in refused.value.message_dict["recipient"][0]


# Refusal and the team discussion --------------------------------------------------------------------------------------


def test_refused_consent_asks_the_manager_for_a_team_discussion_and_the_household_shows_it(client, world):
    refused = consent(world, decision=Decision.REFUSED)
    task = Task.objects.get(rule=services.TEAM_DISCUSSION_RULE)
    assert task.assignee == world.users["manager"] and task.status == TaskStatus.OPEN
    client.force_login(world.users["keyworker"])
    for url in (
        reverse("families:household", args=[world.household.pk]),
        reverse("visits:tab", args=[world.household.pk]),
        reverse("sharing:tab", args=[world.household.pk]),
    ):
        assert "Consent to share refused: team discussion needed" in client.get(url).content.decode()
    assert "Team discussion needed" in client.get(reverse("families:caseload")).content.decode()

    discuss(world, refused)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.outcome == "Another intervention"
    page = client.get(reverse("families:household", args=[world.household.pk])).content.decode()
    assert "team discussion needed" not in page
    sharing_tab = client.get(reverse("sharing:tab", args=[world.household.pk])).content.decode()
    assert "Offer early help; revisit consent at the next review" in sharing_tab


def test_the_team_discussion_is_recorded_by_the_manager_through_the_page(client, world):
    refused = consent(world, decision=Decision.REFUSED)
    url = reverse("sharing:team_discussion", args=[world.household.pk, refused.pk])
    client.force_login(world.users["keyworker"])
    assert client.get(url).status_code == 403
    client.force_login(world.users["manager"])
    assert client.get(url).context["form"].initial["held_on"] == TODAY
    response = client.post(url, {"held_on-day": TODAY.day, "held_on-month": TODAY.month, "held_on-year": TODAY.year})
    assert response.status_code == 200
    page = response.content.decode()
    for message in ("Enter who took part", "Enter what other risks were considered", "Select outcome"):
        assert message in page
    assert not TeamDiscussion.objects.exists()


def test_a_team_discussion_before_the_refusal_or_about_given_consent_is_refused(world):
    given = consent(world)
    with pytest.raises(Exception, match="refused or withdrawn"):
        discuss(world, given)
    refused = consent(world, decision=Decision.REFUSED, decided_on=TODAY - datetime.timedelta(days=2))
    with pytest.raises(Exception) as early:
        services.record_team_discussion(
            consent=refused,
            held_on=TODAY - datetime.timedelta(days=3),
            participants="x",
            other_risks="x",
            outcome=DiscussionOutcome.NO_FURTHER_ACTION,
            rationale="x",
            recorded_by=world.users["manager"],
        )
    assert "on or after" in early.value.message_dict["held_on"][0]


# Withdrawal, and the partner's reach ----------------------------------------------------------------------------------


def test_withdrawing_consent_takes_effect_on_the_partners_next_page_request(client, world):
    partner = world.users["health_visitor"]
    shared = reverse("sharing:shared", args=[world.household.pk])
    client.force_login(partner)
    assert client.get(shared).status_code == 200
    assert world.household.name in client.get(reverse("sharing:shared_with_me")).content.decode()

    keyworker = client.__class__()
    keyworker.force_login(world.users["keyworker"])
    response = keyworker.post(
        reverse("sharing:consent_withdraw", args=[world.household.pk, world.consent.pk]),
        {"withdrawn_on-day": TODAY.day, "withdrawn_on-month": TODAY.month, "withdrawn_on-year": TODAY.year},
    )
    assert response.status_code == 302

    assert client.get(shared).status_code == 403
    assert world.household.name not in client.get(reverse("sharing:shared_with_me")).content.decode()
    assert AccessEvent.objects.filter(user=partner, household_id=world.household.pk, outcome=Outcome.REFUSED).exists()
    # and it asks for a team discussion, like a refusal
    assert Task.objects.filter(rule=services.TEAM_DISCUSSION_RULE, status=TaskStatus.OPEN).exists()


def test_withdrawing_consent_takes_effect_on_the_partners_next_api_request(client, world):
    partner = client.__class__()
    partner.force_login(world.users["health_visitor"])
    detail = reverse("shared-household-detail", args=[world.household.pk])
    assert partner.get(detail).status_code == 200
    assert [h["id"] for h in partner.get(reverse("shared-household-list")).json()["results"]] == [world.household.pk]

    client.force_login(world.users["keyworker"])
    response = client.post(
        reverse("consent-withdraw", args=[world.consent.pk]),
        {"withdrawn_on": TODAY.isoformat(), "note": "Does not want the health visitor told"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "Withdrawn"

    assert partner.get(detail).status_code == 403
    assert partner.get(reverse("shared-household-list")).json()["results"] == []


def test_consent_cannot_be_withdrawn_twice_or_when_it_was_refused(world):
    services.withdraw_consent(consent=world.consent, withdrawn_on=TODAY, withdrawn_by=world.users["keyworker"])
    with pytest.raises(Exception, match="already withdrawn"):
        services.withdraw_consent(consent=world.consent, withdrawn_on=TODAY, withdrawn_by=world.users["keyworker"])
    refused = consent(world, decision=Decision.REFUSED)
    with pytest.raises(Exception, match="Only consent that was given"):
        services.withdraw_consent(consent=refused, withdrawn_on=TODAY, withdrawn_by=world.users["keyworker"])


def _state(world, state):
    """Put the world's health-visitor consent (and network entry) into `state`."""
    entry = entry_of(world, "health_visitor")
    consents = Consent.objects.filter(pk=world.consent.pk)
    if state == "given":
        pass
    elif state == "refused":
        consents.update(decision=Decision.REFUSED)
    elif state == "withdrawn":
        services.withdraw_consent(consent=world.consent, withdrawn_on=TODAY, withdrawn_by=world.users["keyworker"])
    elif state == "expired":
        consents.update(valid_from=TODAY - datetime.timedelta(days=30), valid_until=TODAY - datetime.timedelta(days=1))
    elif state == "not_yet_started":
        consents.update(valid_from=TODAY + datetime.timedelta(days=1))
    elif state == "left_network":
        entry.end_date = TODAY - datetime.timedelta(days=1)
        entry.start_date = None
        entry.save()
    elif state == "no_consent":
        consents.delete()
    else:
        raise AssertionError(state)


@pytest.mark.parametrize(
    "state, sees",
    [
        ("given", True),
        ("refused", False),
        ("withdrawn", False),
        ("expired", False),
        ("not_yet_started", False),
        ("left_network", False),
        ("no_consent", False),
    ],
)
def test_a_partner_sees_the_shared_view_only_while_in_the_network_with_current_consent(client, world, state, sees):
    _state(world, state)
    partner = world.users["health_visitor"]
    client.force_login(partner)
    assert client.get(reverse("sharing:shared", args=[world.household.pk])).status_code == (200 if sees else 403)
    assert client.get(reverse("shared-household-detail", args=[world.household.pk])).status_code == (
        200 if sees else 403
    )
    listed = [h["id"] for h in client.get(reverse("shared-household-list")).json()["results"]]
    assert listed == ([world.household.pk] if sees else [])
    assert access.can(partner, Action.VIEW_SHARED, world.household) is sees
    # never the treatment record, whatever the consent
    for name in ("families:household", "assessments:tab", "pharmacy:tab", "plans:plan", "sharing:tab"):
        assert client.get(reverse(name, args=[world.household.pk])).status_code == 403
    if not sees:
        assert AccessEvent.objects.filter(user=partner, household_id=world.household.pk, outcome=Outcome.REFUSED)


@pytest.mark.parametrize("actor", ["school_nurse", "social_worker"])
def test_partners_without_consent_or_outside_the_network_see_nothing(client, world, actor):
    client.force_login(world.users[actor])
    assert client.get(reverse("sharing:shared", args=[world.household.pk])).status_code == 403
    assert world.household.name not in client.get(reverse("sharing:shared_with_me")).content.decode()


def test_consent_given_to_one_partner_opens_nothing_to_another_in_the_same_network(world):
    # The school nurse is in the network; the consent names the health visitor's entry only.
    assert not access.can(world.users["school_nurse"], Action.VIEW_SHARED, world.household)
    consent(world, recipient=entry_of(world, "school_nurse"), purpose=Purpose.UPDATES)
    fresh = type(world.household).objects.get(pk=world.household.pk)
    assert access.can(world.users["school_nurse"], Action.VIEW_SHARED, fresh)


def test_the_shared_view_shows_who_to_contact_and_what_was_shared_but_not_the_treatment_record(client, world):
    world.service_user.keyworker = world.users["keyworker"]
    world.service_user.save()
    client.force_login(world.users["health_visitor"])
    page = client.get(reverse("sharing:shared", args=[world.household.pk])).content.decode()
    assert world.users["keyworker"].email in page
    assert world.child.given_name in page
    assert "Routine notification to the health visitor or school nurse" in page
    assert world.prescription.get_drug_display() not in page
    assert "team discussion needed" not in page.lower()


def test_shared_with_me_keeps_a_constant_number_of_queries(client, world):
    partner = world.users["health_visitor"]
    client.force_login(partner)
    url = reverse("sharing:shared_with_me")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    one = list(one)  # frozen now: the next request clears the log it reads
    for _ in range(4):
        household = HouseholdFactory(team=world.household.team)
        service_user = ServiceUserFactory(household=household)
        ChildFactory(household=household)
        entry = InvolvementFactory(household=household, professional=partner, name="", organisation_name="")
        services.record_consent(
            household=household,
            service_user=service_user,
            recipient=entry,
            purpose=Purpose.UPDATES,
            decision=Decision.GIVEN,
            decided_on=TODAY,
            recorded_by=world.users["keyworker"],
        )
    with CaptureQueriesContext(connection) as five:
        page = client.get(url)
    five = list(five)  # frozen now: the next request clears the log it reads
    assert len(re.findall(r'href="/shared/\d+/"', page.content.decode())) == 5
    assert len(five) == len(one)


def test_consent_recorded_through_the_api_with_an_out_of_reach_recipient_is_not_found(client, world):
    elsewhere = InvolvementFactory(household=HouseholdFactory())
    client.force_login(world.users["keyworker"])
    body = {
        "household": world.household.pk,
        "service_user": world.service_user.pk,
        "recipient": elsewhere.pk,
        "purpose": "updates",
        "decision": "given",
        "decided_on": TODAY.isoformat(),
    }
    response = client.post(reverse("consent-list"), body, content_type="application/json")
    assert response.status_code == 400 and "recipient" in response.json()
    body["recipient"] = world.involvement.pk
    response = client.post(reverse("consent-list"), body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "Given"


def test_the_team_discussion_is_recorded_through_the_api_by_the_manager(client, world):
    refused = consent(world, decision=Decision.REFUSED)
    url = reverse("consent-team-discussion", args=[refused.pk])
    body = {
        "held_on": TODAY.isoformat(),
        "participants": "Manager, keyworker",
        "other_risks": "None beyond the refusal",
        "outcome": "no_further_action",
        "rationale": "Consent to routine notification was given to the school nurse instead",
    }
    client.force_login(world.users["keyworker"])
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(world.users["manager"])
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["discussions"][0]["outcome"] == "no_further_action"


@pytest.mark.slow
def test_a_partner_downloads_the_signed_agreement_only_when_consent_covers_it(client, world):
    from ostsafe.plans import services as plans

    agreement = plans.draft_agreement(
        household=world.household,
        service_user=world.service_user,
        expectations="Box locked",
        drafted_by=world.users["keyworker"],
        drafted_on=TODAY,
    )
    plans.sign_agreement_on_screen(
        agreement=agreement,
        signed_name="A Parent",
        confirmed=True,
        signed_on=TODAY,
        recorded_by=world.users["keyworker"],
    )
    pdf = reverse("plans:shared_agreement_pdf", args=[world.household.pk, agreement.pk])
    client.force_login(world.users["health_visitor"])
    assert client.get(pdf).status_code == 403  # consent to routine notification does not cover the agreement
    consent(world, recipient=entry_of(world, "health_visitor"), purpose=Purpose.AGREEMENT)
    response = client.get(pdf)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    page = client.get(reverse("sharing:shared", args=[world.household.pk])).content.decode()
    assert pdf in page
    client.force_login(world.users["school_nurse"])
    assert client.get(pdf).status_code == 403


def test_consent_is_recorded_for_several_professionals_at_once_each_with_its_own_record(client, world):
    client.force_login(world.users["keyworker"])
    nurse = world.household.network.exclude(pk=world.involvement.pk).filter(end_date__isnull=True).first()
    before = Consent.objects.count()
    response = client.post(
        reverse("sharing:consent_add", args=[world.household.pk]),
        {
            "service_user": world.service_user.pk,
            "recipients": [world.involvement.pk, nurse.pk],
            "purpose": Purpose.SAFETY_PLAN,
            "decision": Decision.GIVEN,
            "decided_on-day": TODAY.day,
            "decided_on-month": TODAY.month,
            "decided_on-year": TODAY.year,
        },
    )
    assert response.status_code == 302
    assert Consent.objects.count() == before + 2
    assert set(Consent.objects.filter(purpose=Purpose.SAFETY_PLAN).values_list("recipient", flat=True)) == {
        world.involvement.pk,
        nurse.pk,
    }
