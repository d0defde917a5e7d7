"""One test, because loading the demo takes a while: everything the issues ask of the demo service."""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count

from ostsafe.accounts.models import User
from ostsafe.assessments.models import Assessment
from ostsafe.core import access
from ostsafe.core.roles import Role
from ostsafe.core.validators import nhs_number_is_valid
from ostsafe.curiosity.models import Flag
from ostsafe.curiosity.signs import SIGNS
from ostsafe.families.models import ChildContact, Household, Involvement, MemberRole, ServiceUser
from ostsafe.monitoring.models import Appointment
from ostsafe.pharmacy.models import DispensingRecord
from ostsafe.plans.models import ActionChange, GuidanceAgreement, Meeting, PlanReview
from ostsafe.prescribing.models import TakeHomeDecision
from ostsafe.sharing.models import BreakGlassGrant, Consent, Referral, SharingDecision
from ostsafe.storage.models import SafetyBoxIssue
from ostsafe.tasks.models import Task, TaskStatus
from ostsafe.visits.models import StorageCheck

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_seed_demo_builds_a_realistic_synthetic_service_once(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "Households: 118/118" in out

    service_users = ServiceUser.objects.count()
    assert 115 <= service_users <= 125
    living_with_children = (
        ServiceUser.objects.filter(household__members__role=MemberRole.CHILD, household__members__lives_here=True)
        .distinct()
        .count()
    )
    # Guide, "Seeing the child": up to 30% of OST clients live with children.
    assert 0.25 <= living_with_children / service_users <= 0.35
    contact_only = (
        ChildContact.objects.exclude(service_user__household__members__role=MemberRole.CHILD)
        .values("service_user")
        .distinct()
        .count()
    )
    assert contact_only >= 5
    couples = Household.objects.annotate(n=Count("service_users")).filter(n=2)
    assert couples.count() == 2
    assert all(h.members.filter(service_user__isnull=False).exists() for h in couples)
    assert {u.role for u in User.objects.all()} == set(Role.values)

    numbers = list(ServiceUser.objects.values_list("nhs_number", flat=True))
    assert all(n.startswith("999") and nhs_number_is_valid(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)

    # Safeguarding activity in realistic proportions, some of it overdue or unsatisfactory.
    assert Assessment.objects.completed().count() >= 25
    assert StorageCheck.objects.filter(verification="claimed").exists()
    assert StorageCheck.objects.filter(verification="seen", satisfied=False).exists()
    assert Task.objects.filter(rule="visits.home_visit_needed", status=TaskStatus.OPEN).exists()
    assert Task.objects.filter(rule="visits.storage_follow_up", status=TaskStatus.OPEN).exists()
    assert SafetyBoxIssue.objects.filter(site__type="needle_exchange").exists()
    assert TakeHomeDecision.objects.exists()
    assert GuidanceAgreement.objects.filter(status="signed").exists()
    assert GuidanceAgreement.objects.filter(status="draft").exists()
    assert ActionChange.objects.filter(field="due_on").exists()
    assert PlanReview.objects.exists() and Meeting.objects.exists()
    assert DispensingRecord.objects.count() > 10_000
    assert Task.objects.filter(rule="pharmacy.missed_doses").exists()
    assert Appointment.objects.filter(outcome="did_not_attend").exists()

    # Every one of the nine warning signs found in the demo's records, with evidence, several on the demo keyworker's
    # own caseload.
    found = Flag.objects.open().exclude(evidence=[])
    assert set(found.values_list("sign", flat=True)) == {sign.key for sign in SIGNS}
    keyworker = User.objects.get(email="keyworker@ostsafe.example")
    assert found.filter(household__service_users__keyworker=keyworker).values("sign").distinct().count() >= 6

    # Consent to share in every state, and partners who see their shared view.
    assert Consent.objects.filter(purpose="routine_notification", decision="given", withdrawn_at__isnull=True).exists()
    assert Consent.objects.filter(decision="refused", discussions__isnull=False).exists()
    assert Consent.objects.filter(decision="refused", discussions__isnull=True).exists()
    assert Consent.objects.filter(withdrawn_at__isnull=False).exists()
    assert SharingDecision.objects.filter(share=True, status="approved").exists()
    assert Referral.objects.filter(sent_at__isnull=False, closed_on__isnull=True).exists()
    assert BreakGlassGrant.objects.filter(review="appropriate").exists()
    partners = ("health.visitor", "school.nurse", "social.worker", "gp")
    for email in (f"{local}@ostsafe.example" for local in partners):
        partner = User.objects.get(email=email)
        assert Household.objects.filter(access.household_q(partner)).exists()

    # Families as partners, family members in their own right, the local map.
    from ostsafe.assessments.models import FamilyView
    from ostsafe.carers.models import Carer, SupportOffer
    from ostsafe.directory.models import LocalService
    from ostsafe.plans.models import Disagreement, Strength

    assert Strength.objects.exists() and FamilyView.objects.filter(occasion="assessment").exists()
    assert Disagreement.objects.filter(resolved_on__isnull=True).exists()
    assert Disagreement.objects.filter(resolved_on__isnull=False).exists()
    assert Carer.objects.exists() and SupportOffer.objects.filter(outcome="taken_up").exists()
    assert LocalService.objects.filter(kind="front_door").exists()
    assert LocalService.objects.filter(part_of__isnull=False).exists()
    assert Referral.objects.filter(service__kind="front_door").exists()
    assert Involvement.objects.filter(service__isnull=False).exists()

    # Managing practice: figures kept for the last year, supervisions, training, and every family exports as FHIR.
    from ostsafe.interop.fhir import household_bundle
    from ostsafe.management.models import CaseSupervision, PracticeFigure, TrainingRecord

    assert PracticeFigure.objects.values("month").distinct().count() == 12
    assert CaseSupervision.objects.count() >= 10 and TrainingRecord.objects.filter(kind="multi_agency").exists()
    for household in Household.objects.all():
        household_bundle(household, datetime.date.today())

    call_command("seed_demo")
    assert "already loaded" in capsys.readouterr().out
    assert ServiceUser.objects.count() == service_users

    call_command("demo_logins")
    logins = capsys.readouterr().out
    assert all(role.label in logins for role in Role)
    assert "keyworker@ostsafe.example" in logins


def test_seed_demo_refuses_where_demo_data_is_not_allowed(settings):
    from django.core.management import CommandError

    settings.OSTSAFE_ALLOW_DEMO = False
    with pytest.raises(CommandError, match="do not allow demo data"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_production_settings_do_not_allow_demo_data_unless_asked(monkeypatch):
    import importlib
    import os

    monkeypatch.setitem(os.environ, "DJANGO_SECRET_KEY", "test-only-secret")
    monkeypatch.delitem(os.environ, "OSTSAFE_ALLOW_DEMO", raising=False)
    production = importlib.reload(importlib.import_module("ostsafe.config.settings_production"))
    assert production.OSTSAFE_ALLOW_DEMO is False
