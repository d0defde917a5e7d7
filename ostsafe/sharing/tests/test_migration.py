"""The agreement's per-professional consents moved onto the one consent record: nothing lost."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ostsafe.accounts.tests.factories import UserFactory
from ostsafe.core import marks
from ostsafe.core.roles import Role
from ostsafe.families.tests.factories import HouseholdFactory, InvolvementFactory, ServiceUserFactory

BEFORE = [("plans", "0004_notes_limited"), ("sharing", "0001_initial")]
AFTER = [("plans", "0005_agreement_consents_moved_to_sharing"), ("sharing", "0002_agreement_consents_moved")]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_agreement_consents_move_onto_the_consent_record_with_nothing_lost():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Agreement, OldConsent = old.get_model("plans", "GuidanceAgreement"), old.get_model("plans", "AgreementShareConsent")
    Template = old.get_model("plans", "AgreementTemplate")
    day = datetime.date(2026, 3, 2)

    household = HouseholdFactory()
    service_user = ServiceUserFactory(household=household)
    keyworker = UserFactory(role=Role.KEYWORKER)
    visitor, nurse = InvolvementFactory(household=household), InvolvementFactory(household=household)
    # An earlier test that commits for real may have flushed the templates the migrations published.
    template, _ = Template.objects.get_or_create(
        version=1, defaults={"title": "Guidance agreement", "sections": [], "published_on": day}
    )
    agreement = Agreement.objects.create(
        household_id=household.pk,
        service_user_id=service_user.pk,
        template=template,
        expectations="Box locked",
        drafted_by_id=keyworker.pk,
        drafted_on=day,
    )
    for recipient, decision in ((visitor, "given"), (nurse, "refused")):
        OldConsent.objects.create(
            agreement=agreement,
            recipient_id=recipient.pk,
            decided_on=day,
            decision=decision,
            recorded_by_id=keyworker.pk,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    Consent = executor.loader.project_state(AFTER).apps.get_model("sharing", "Consent")
    moved = {
        (c.recipient_id, c.decision, c.decided_on, c.valid_from, c.purpose, c.service_user_id, c.household_id)
        for c in Consent.objects.all()
    }
    assert moved == {
        (visitor.pk, "given", day, day, "agreement", service_user.pk, household.pk),
        (nurse.pk, "refused", day, day, "agreement", service_user.pk, household.pk),
    }
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    marks.install()  # as `migrate` does after it: SQLite remade the altered tables without their triggers
