"""Every partner role × every state of a family's sharing: exactly what each sees, through the shared view page, the
API and "Shared with me". The rule under test is `core.access.household_q` for the network scope."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ostsafe.audit.models import AccessEvent, Outcome
from ostsafe.families.tests.factories import InvolvementFactory
from ostsafe.sharing import services
from ostsafe.sharing.models import BreakGlassGrant, Consent, Decision, Purpose, SharingDecision

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
PARTNERS = ["health_visitor", "school_nurse", "social_worker", "gp"]
STATES = [
    "not_in_network",
    "in_network_only",
    "consent_given",
    "consent_refused",
    "consent_withdrawn",
    "consent_expired",
    "decision_approved",
    "decision_awaiting",
    "decision_expired",
    "referral_open",
    "referral_closed",
    "break_glass",
]


def sees(actor: str, state: str) -> bool:
    """Written from the issue, independently of the code: in the network AND (current consent OR approved current
    decision OR, for social workers, an open referral). Partners cannot break glass."""
    return state in {"consent_given", "decision_approved"} or (state == "referral_open" and actor == "social_worker")


def put_in_state(world, actor, state):
    Consent.objects.filter(pk=world.consent.pk).delete()  # start every partner from nothing
    user = world.users[actor]
    keyworker, manager = world.users["keyworker"], world.users["manager"]
    if state == "not_in_network":
        world.household.network.filter(professional=user).delete()
        return
    entry = world.household.network.filter(professional=user).first() or InvolvementFactory(
        household=world.household, professional=user, name="", organisation_name=""
    )
    common = {"household": world.household, "service_user": world.service_user, "recipient": entry}
    if state.startswith("consent_"):
        decision = Decision.REFUSED if state == "consent_refused" else Decision.GIVEN
        consent = services.record_consent(
            **common,
            purpose=Purpose.UPDATES,
            decision=decision,
            decided_on=TODAY,
            recorded_by=keyworker,
        )
        if state == "consent_withdrawn":
            services.withdraw_consent(consent=consent, withdrawn_on=TODAY, withdrawn_by=keyworker)
        if state == "consent_expired":
            Consent.objects.filter(pk=consent.pk).update(
                valid_from=TODAY - datetime.timedelta(days=90), valid_until=TODAY - datetime.timedelta(days=1)
            )
    elif state.startswith("decision_"):
        decision = services.record_sharing_decision(
            **common,
            share=True,
            scopes=["summary"],
            reason="Significant harm",
            article_6_basis="public_task",
            special_category_condition="safeguarding",
            family_told=True,
            decided_on=TODAY,
            valid_until=TODAY + datetime.timedelta(days=30),
            recorded_by=keyworker if state == "decision_awaiting" else manager,
            approve_now=state != "decision_awaiting",
        )
        if state == "decision_expired":
            SharingDecision.objects.filter(pk=decision.pk).update(
                valid_from=TODAY - datetime.timedelta(days=60), valid_until=TODAY - datetime.timedelta(days=1)
            )
    elif state.startswith("referral_"):
        referral = services.send_referral(
            referral=services.record_referral(
                household=world.household,
                children=[world.child],
                sent_to="MASH",
                concerns="x",
                how_concerns_arose="x",
                first_hand="x",
                parents_know=True,
                whereabouts="Home",
                referrer_contact="x",
                made_by=keyworker,
                made_on=TODAY,
            ),
            sent_by=keyworker,
        )
        if state == "referral_closed":
            services.record_referral_response(
                referral=referral, recorded_by=keyworker, decided_on=TODAY, outcome="no_further_action"
            )
    elif state == "break_glass":
        now = timezone.now()
        BreakGlassGrant.objects.create(
            user=user,
            household=world.household,
            reason="x" * 20,
            granted_at=now,
            expires_at=now + datetime.timedelta(hours=4),
        )


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("actor", PARTNERS)
def test_each_partner_sees_exactly_what_the_state_allows(client, world, actor, state):
    put_in_state(world, actor, state)
    allowed = sees(actor, state)
    client.force_login(world.users[actor])
    page = client.get(reverse("sharing:shared", args=[world.household.pk]))
    api = client.get(reverse("shared-household-detail", args=[world.household.pk]))
    listed = [h["id"] for h in client.get(reverse("shared-household-list")).json()["results"]]
    assert (page.status_code, api.status_code) == ((200, 200) if allowed else (403, 403))
    assert listed == ([world.household.pk] if allowed else [])
    # the treatment record, never
    assert client.get(reverse("families:household", args=[world.household.pk])).status_code == 403
    assert client.get(reverse("household-detail", args=[world.household.pk])).status_code == 403
    refusals = AccessEvent.objects.filter(
        user=world.users[actor], household_id=world.household.pk, outcome=Outcome.REFUSED
    ).count()
    assert refusals >= (2 if allowed else 4)
