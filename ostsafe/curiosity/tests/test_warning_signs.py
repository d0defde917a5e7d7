"""The warning-signs engine: each rule fires with its evidence, does not fire without it, clears when it stops
holding, and fires again later (edge-triggered); "unknown" is never "no concern"; flags make tasks, are acknowledged
with what was done, and go to the manager when nobody does; evaluation follows a change once it commits."""

import datetime

import pytest
from django.urls import reverse

from ostsafe.curiosity import services
from ostsafe.curiosity.models import Flag
from ostsafe.curiosity.signs import CLEAR, NOT_APPLICABLE, RAISED, UNKNOWN
from ostsafe.families import services as families
from ostsafe.families.models import Household
from ostsafe.families.tests.factories import HouseholdFactory, ServiceUserFactory
from ostsafe.monitoring import services as monitoring
from ostsafe.sharing import services as sharing
from ostsafe.sharing.models import Consent
from ostsafe.tasks.models import Task, TaskStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def concern(world, on=TODAY):
    return monitoring.record_concern(
        household=world.household,
        recorded_by=world.users["keyworker"],
        source="school",
        category="other",
        description="Arrived at school hungry twice this week",
        received_on=on,
    )


def finding(world, key):
    return services.findings(world.household, TODAY)[key]


def test_a_concern_from_others_raises_the_sign_with_its_evidence_and_a_task(world):
    assert finding(world, "concerns_by_others").state == CLEAR
    concern(world)
    result = services.evaluate_household(world.household, TODAY)
    assert result["raised"] == ["concerns_by_others"]
    flag = Flag.objects.get(sign="concerns_by_others")
    assert "Arrived at school hungry" in flag.evidence[0]["text"] and flag.evidence[0]["url"]
    task = Task.objects.get(rule=services.FLAG_RULE)
    assert task.assignee == world.users["keyworker"]


def test_a_flag_fires_once_clears_when_the_rule_stops_holding_and_can_fire_again(world, settings):
    old = concern(world, on=TODAY - datetime.timedelta(days=100))  # outside the 90-day window
    assert services.evaluate_household(world.household, TODAY)["raised"] == []
    assert services.evaluate_household(world.household, old.received_on + datetime.timedelta(days=1))["raised"] == [
        "concerns_by_others"
    ]
    assert services.evaluate_household(world.household, old.received_on + datetime.timedelta(days=2))["raised"] == []
    assert services.evaluate_household(world.household, TODAY)["cleared"] == ["concerns_by_others"]
    assert Task.objects.get(rule=services.FLAG_RULE).status == TaskStatus.DONE
    concern(world)
    assert services.evaluate_household(world.household, TODAY)["raised"] == ["concerns_by_others"]
    assert Flag.objects.filter(sign="concerns_by_others").count() == 2


def test_someone_else_on_ost_living_with_the_child_is_found_from_the_record(world):
    assert finding(world, "another_ost_user").state == CLEAR
    ServiceUserFactory(household=world.household)
    found = finding(world, "another_ost_user")
    assert found.state == RAISED and "Two or more people in treatment" in found.evidence[0]["text"]


def test_unknown_adults_are_found_from_the_record(world):
    assert finding(world, "unknown_adults").state == CLEAR
    families.add_household_member(
        household=world.household,
        added_by=world.users["keyworker"],
        role="unknown_adult",
        lives_here=True,
        start_date=TODAY,
    )
    assert finding(world, "unknown_adults").state == RAISED


def test_missed_child_health_appointments_come_from_partners_and_are_unknown_without_one(world):
    assert finding(world, "child_appointments_missed").state == CLEAR  # the health visitor has the family shared
    sharing.record_partner_report(
        household=world.household,
        reported_by=world.users["health_visitor"],
        kind="missed_immunisation",
        child=world.child,
        happened_on=TODAY,
        details="12-month vaccines missed twice",
    )
    found = finding(world, "child_appointments_missed")
    assert found.state == RAISED and "12-month vaccines missed twice" in found.evidence[0]["text"]
    assert finding(world, "routine_not_age_appropriate").state == CLEAR


def test_without_anyone_who_would_know_child_health_signs_are_unknown_not_clear(world):
    Consent.objects.all().delete()
    assert finding(world, "child_appointments_missed").state == UNKNOWN
    assert finding(world, "routine_not_age_appropriate").state == UNKNOWN


def test_a_household_with_no_children_gets_no_child_related_signs():
    household = HouseholdFactory()
    ServiceUserFactory(household=household)
    ServiceUserFactory(household=household)
    now = services.findings(household, TODAY)
    for key in ("child_appointments_missed", "routine_not_age_appropriate", "another_ost_user"):
        assert now[key].state == NOT_APPLICABLE


def test_acknowledging_records_what_was_done_and_closes_the_task(client, world):
    concern(world)
    services.evaluate_household(world.household, TODAY)
    flag = Flag.objects.get(sign="concerns_by_others")
    client.force_login(world.users["keyworker"])
    url = reverse("curiosity:acknowledge", args=[world.household.pk, flag.pk])
    response = client.post(url, {"action": "no_action"})
    assert response.status_code == 200 and "Say why no action is needed" in response.content.decode()
    assert (
        client.post(url, {"action": "discussed_with_service_user", "note": "Breakfast club arranged"}).status_code
        == 302
    )
    flag.refresh_from_db()
    assert flag.action == "discussed_with_service_user" and flag.acknowledged_by == world.users["keyworker"]
    assert flag.is_open  # the rule still holds: acknowledged, not cleared
    assert Task.objects.get(rule=services.FLAG_RULE).status == TaskStatus.DONE
    tab = client.get(reverse("curiosity:tab", args=[world.household.pk])).content.decode()
    assert "Breakfast club arranged" in tab or "Discussed with the service user" in tab


def test_a_sign_raised_by_hand_needs_a_reason_and_is_not_cleared_by_the_rules(client, world):
    client.force_login(world.users["keyworker"])
    url = reverse("curiosity:raise", args=[world.household.pk])
    response = client.post(url, {"sign_key": "disguised_compliance"})
    assert response.status_code == 200 and not Flag.objects.exists()
    client.post(url, {"sign_key": "disguised_compliance", "reason": "Full attendance only in the weeks before reviews"})
    flag = Flag.objects.get(sign="disguised_compliance")
    assert flag.raised_by == world.users["keyworker"]
    services.evaluate_household(world.household, TODAY)
    flag.refresh_from_db()
    assert flag.is_open
    tab = client.get(reverse("curiosity:tab", args=[world.household.pk])).content.decode()
    assert "Full attendance only in the weeks before reviews" in tab


def test_an_unacknowledged_flag_goes_to_the_manager(world):
    concern(world)
    services.evaluate_household(world.household, TODAY)
    assert services.escalate_unacknowledged(as_of=TODAY + datetime.timedelta(days=5)) == 0
    assert services.escalate_unacknowledged(as_of=TODAY + datetime.timedelta(days=6)) == 1
    assert services.escalate_unacknowledged(as_of=TODAY + datetime.timedelta(days=7)) == 0
    assert Task.objects.get(rule=services.ESCALATION_RULE).assignee == world.users["manager"]


def test_a_change_is_evaluated_once_it_commits(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        concern(world)
    assert Flag.objects.open().filter(sign="concerns_by_others").exists()


def test_partners_never_see_warning_signs(client, world):
    concern(world)
    services.evaluate_household(world.household, TODAY)
    client.force_login(world.users["health_visitor"])
    assert client.get(reverse("curiosity:tab", args=[world.household.pk])).status_code == 403
    assert client.get(reverse("warning-sign-list")).status_code == 403


def test_warning_signs_through_the_api(client, world):
    concern(world)
    services.evaluate_household(world.household, TODAY)
    client.force_login(world.users["keyworker"])
    [flag] = client.get(reverse("warning-sign-list"), {"household": world.household.pk}).json()["results"]
    assert flag["sign"] == "concerns_by_others" and flag["evidence"]
    response = client.post(
        reverse("warning-sign-acknowledge", args=[flag["id"]]),
        {"action": "plan_changed", "note": "Action added to the safety plan"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["action"] == "plan_changed"
    response = client.post(
        reverse("warning-sign-list"),
        {"household": world.household.pk, "sign": "substance_use", "reason": "Smelled of alcohol at the visit"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


def test_the_caseload_tags_families_with_the_count_and_most_serious_raised_sign(client, world):
    client.force_login(world.users["keyworker"])
    assert 'govuk-tag--red">Warning signs' not in client.get(reverse("families:caseload")).content.decode()
    services.raise_by_hand(
        household=world.household,
        sign_key="attendance_change",
        reason="Attended only once this month",
        raised_by=world.users["keyworker"],
    )
    concern(world)
    services.evaluate_household(world.household, TODAY)
    page = client.get(reverse("families:caseload")).content.decode()
    assert 'govuk-tag--red">Warning signs' in page and "2: concerns expressed by others and more" in page


# Sign 1: attendance against the person's own baseline; sign 3: disengagement --------------------------------------


def appointments(world, outcomes, *, ending_days_ago=0, every=7):
    """One keywork appointment every `every` days, the last `ending_days_ago` days ago, with these outcomes in order."""
    start = TODAY - datetime.timedelta(days=ending_days_ago + every * (len(outcomes) - 1))
    for i, outcome in enumerate(outcomes):
        monitoring.record_appointment(
            service_user=world.service_user,
            kind="keywork",
            on=start + datetime.timedelta(days=i * every),
            outcome=outcome,
            recorded_by=world.users["keyworker"],
        )


A, M = "attended", "did_not_attend"


def test_steady_low_attendance_is_not_a_change(world):
    # Half attended in the baseline (before the last 42 days) and half in the recent window.
    appointments(world, [A, M] * 6, ending_days_ago=50, every=10)
    appointments(world, [A, M, A, M], ending_days_ago=1, every=9)
    assert finding(world, "attendance_change").state == CLEAR


def test_a_fall_from_all_to_a_third_is_a_change_with_both_rates(world):
    appointments(world, [A] * 8, ending_days_ago=50, every=14)
    appointments(world, [A, M, M, M, A, M], ending_days_ago=1, every=6)
    found = finding(world, "attendance_change")
    assert found.state == RAISED
    assert "attendance fell: 2 of 6 (33%)" in found.evidence[0]["text"] and "8 of 8 (100%)" in found.evidence[0]["text"]


def test_a_sudden_jump_to_full_attendance_is_a_change_too(world):
    appointments(world, [M, M, A, M, M, M], ending_days_ago=50, every=14)
    appointments(world, [A, A, A, A], ending_days_ago=1, every=9)
    found = finding(world, "attendance_change")
    assert found.state == RAISED and "attendance jumped" in found.evidence[0]["text"]


def test_too_few_appointments_to_judge_attendance_is_unknown(world):
    appointments(world, [A, M], ending_days_ago=1, every=7)
    assert finding(world, "attendance_change").state == UNKNOWN


def test_a_single_missed_dose_then_collected_is_not_disengagement(world):
    from ostsafe.pharmacy.models import DispensingRecord

    for days_ago, outcome in ((3, "missed"), (2, "collected"), (1, "supervised")):
        DispensingRecord.objects.create(
            prescription=world.prescription, expected_on=TODAY - datetime.timedelta(days=days_ago), outcome=outcome
        )
    assert finding(world, "disengagement").state == CLEAR


def test_a_run_of_missed_doses_is_disengagement_with_its_dates(world):
    from ostsafe.pharmacy.models import DispensingRecord

    for days_ago in (4, 3, 2):
        DispensingRecord.objects.create(
            prescription=world.prescription, expected_on=TODAY - datetime.timedelta(days=days_ago), outcome="missed"
        )
    found = finding(world, "disengagement")
    assert found.state == RAISED and "3 missed doses in a row" in found.evidence[0]["text"]


def test_missed_appointments_and_weeks_without_contact_are_disengagement(world):
    appointments(world, [M, M], ending_days_ago=1, every=7)
    found = finding(world, "disengagement")
    assert found.state == RAISED and "2 appointments missed" in found.evidence[0]["text"]


def test_no_contact_for_weeks_after_there_was_some_is_disengagement(world):
    appointments(world, [A, A], ending_days_ago=60, every=7)
    found = finding(world, "disengagement")
    assert found.state == RAISED and "No attended appointment or home visit since" in found.evidence[-1]["text"]


# Sign 2: starting or increasing substance or alcohol use -------------------------------------------------------------


def recorded_test(world, days_ago, substance, positive=None, score=None):
    monitoring.record_test_result(
        service_user=world.service_user,
        recorded_by=world.users["keyworker"],
        taken_on=TODAY - datetime.timedelta(days=days_ago),
        substance=substance,
        method="audit_c" if score is not None else "urine",
        positive=positive,
        **({"audit_c_score": score} if score is not None else {}),
    )


def test_no_tests_at_all_is_unknown_for_substance_use(world):
    assert finding(world, "substance_use").state == UNKNOWN


def test_a_positive_after_a_negative_is_starting_use(world):
    recorded_test(world, 90, "cocaine", positive=False)
    recorded_test(world, 5, "cocaine", positive=True)
    found = finding(world, "substance_use")
    assert found.state == RAISED and "positive for cocaine after 1 negative test" in found.evidence[0]["text"]


def test_the_prescribed_ost_drug_is_not_illicit_use(world):
    substance = "methadone" if world.prescription.drug.startswith("methadone") else "buprenorphine"
    recorded_test(world, 90, substance, positive=False)
    recorded_test(world, 5, substance, positive=True)
    assert finding(world, "substance_use").state == CLEAR


def test_steady_positives_are_not_an_increase_but_more_a_month_are(world):
    for days_ago in (200, 170, 140, 110, 80):
        recorded_test(world, days_ago, "cannabis", positive=True)
    recorded_test(world, 20, "cannabis", positive=True)
    assert finding(world, "substance_use").state == CLEAR
    for days_ago in (15, 10, 5):
        recorded_test(world, days_ago, "cannabis", positive=True)
    found = finding(world, "substance_use")
    assert found.state == RAISED and "4 positive tests for cannabis" in found.evidence[0]["text"]


def test_a_rising_audit_c_score_is_increasing_alcohol_use(world):
    recorded_test(world, 100, "alcohol", score=3)
    recorded_test(world, 3, "alcohol", score=7)
    found = finding(world, "substance_use")
    assert found.state == RAISED and "AUDIT-C rose from 3 to 7" in found.evidence[0]["text"]


def test_use_reported_at_keywork_with_none_recorded_before_is_starting_use(world):
    monitoring.record_test_result(
        service_user=world.service_user,
        recorded_by=world.users["keyworker"],
        taken_on=TODAY - datetime.timedelta(days=2),
        substance="cocaine",
        method="reported",
        positive=True,
    )
    found = finding(world, "substance_use")
    assert found.state == RAISED and "said at keywork they had used cocaine" in found.evidence[0]["text"]


# Sign 9: disguised compliance, candidate indicators with their evidence -----------------------------------------------


def plan_with_action(world, *, due_days_ago=0):
    from ostsafe.plans import services as plans
    from ostsafe.plans.models import PlanAction

    plan = plans.start_safety_plan(
        household=world.household, created_by=world.users["keyworker"], created_on=TODAY - datetime.timedelta(days=60)
    )
    action = PlanAction.objects.create(
        plan=plan,
        expectation="Fit the lockable box to the kitchen wall",
        why="The box is kept on the worktop",
        owner="Service user",
        due_on=TODAY - datetime.timedelta(days=due_days_ago),
        created_on=TODAY - datetime.timedelta(days=60),
    )
    return plan, action


def test_nothing_on_record_is_no_disguised_compliance_indicator(world):
    assert finding(world, "disguised_compliance").state == CLEAR


def test_full_attendance_before_a_review_after_a_long_low_rate_is_out_of_character(world):
    plan, _ = plan_with_action(world)
    plan.next_review_on = TODAY + datetime.timedelta(days=5)
    plan.save()
    appointments(world, [A, M, M, A, M, M, M, A], ending_days_ago=35, every=14)  # 3 of 8 in the half-year before
    appointments(world, [A, A, A, A], ending_days_ago=1, every=6)
    found = finding(world, "disguised_compliance")
    assert found.state == RAISED
    text = found.evidence[0]["text"]
    assert "Attendance out of character" in text and "attended all 4" in text and "3 of 8 (38%)" in text


def test_steady_full_attendance_before_a_review_is_not_out_of_character(world):
    plan, _ = plan_with_action(world)
    plan.next_review_on = TODAY + datetime.timedelta(days=5)
    plan.save()
    appointments(world, [A] * 8, ending_days_ago=35, every=14)
    appointments(world, [A, A, A, A], ending_days_ago=1, every=6)
    assert not [e for e in finding(world, "disguised_compliance").evidence if "out of character" in e["text"]]


def test_an_action_long_overdue_is_a_change_agreed_but_not_carried_out(world):
    plan_with_action(world, due_days_ago=10)  # within the 14 days' grace
    assert finding(world, "disguised_compliance").state == CLEAR
    plan_with_action(world, due_days_ago=20)
    found = finding(world, "disguised_compliance")
    assert found.state == RAISED and "Change agreed but not carried out" in found.evidence[0]["text"]


def test_a_deadline_moved_at_two_reviews_is_an_indicator(world):
    from ostsafe.plans.models import ActionChange

    _, action = plan_with_action(world, due_days_ago=-20)
    for days_ago, old, new in ((40, "1 October", "1 November"), (10, "1 November", "1 December")):
        ActionChange.objects.create(
            action=action,
            field="due_on",
            old_value=old,
            new_value=new,
            reason="Not ready yet",
            changed_by=world.users["keyworker"],
            changed_on=TODAY - datetime.timedelta(days=days_ago),
        )
    found = finding(world, "disguised_compliance")
    assert found.state == RAISED and "Deadline moved 2 times" in found.evidence[0]["text"]


def completed_assessment(world, days_ago, answers):
    from ostsafe.assessments import rules
    from ostsafe.assessments.models import Answer, Assessment, QuestionSet

    question_set = QuestionSet.objects.order_by("-version").first()
    assessment = Assessment.objects.create(
        household=world.household,
        service_user=world.service_user,
        question_set=question_set,
        status="completed",
        started_by=world.users["keyworker"],
        completed_by=world.users["keyworker"],
        completed_on=TODAY - datetime.timedelta(days=days_ago),
        practitioner_level="medium",
    )
    for key, value in answers.items():
        Answer.objects.create(assessment=assessment, question=question_set.questions.get(key=key), value=value)
    assessment.domain_weights = rules.domain_weights(question_set.questions.all(), answers)
    assessment.save()


def test_no_change_across_domains_despite_many_contacts_is_an_indicator(world):
    stuck = {"domestic_abuse": "yes", "use_increasing": "yes", "debt": "yes"}
    for days_ago in (300, 200, 100):
        completed_assessment(world, days_ago, stuck)
    appointments(world, [A] * 6, ending_days_ago=110, every=30)  # six contacts: not considerable
    assert finding(world, "disguised_compliance").state == CLEAR
    appointments(world, [A] * 12, ending_days_ago=105, every=7)
    found = finding(world, "disguised_compliance")
    assert found.state == RAISED
    assert "No change across 2 domains over 3 assessments" in found.evidence[0]["text"]
    assert "other problems" in found.evidence[0]["text"] and "alcohol and drug use" in found.evidence[0]["text"]


def test_domains_that_improve_are_not_no_change(world):
    completed_assessment(world, 300, {"domestic_abuse": "yes", "use_increasing": "yes"})
    completed_assessment(world, 200, {"domestic_abuse": "no", "use_increasing": "yes"})
    completed_assessment(world, 100, {"domestic_abuse": "no", "use_increasing": "no"})
    appointments(world, [A] * 20, ending_days_ago=101, every=7)
    assert finding(world, "disguised_compliance").state == CLEAR


def observe(world, **fields):
    return services.record_observation(
        household=world.household,
        service_user=world.service_user,
        recorded_by=world.users["keyworker"],
        noticed_on=fields.pop("noticed_on", TODAY),
        note=fields.pop("note", "Said they had seen the health visitor last week"),
        **fields,
    )


def test_an_account_of_contact_the_health_visitors_report_contradicts_is_an_indicator(world):
    observe(
        world, kind="reported_contact", professional="health_visitor", contact_on=TODAY - datetime.timedelta(days=6)
    )
    assert finding(world, "disguised_compliance").state == CLEAR  # not checked, and nothing contradicts it
    sharing.record_partner_report(
        household=world.household,
        reported_by=world.users["health_visitor"],
        kind="missed_health_contact",
        child=world.child,
        happened_on=TODAY - datetime.timedelta(days=5),
        details="No one at home for the 9-month review",
    )
    found = finding(world, "disguised_compliance")
    assert found.state == RAISED and "Account of contact not borne out" in found.evidence[0]["text"]
    assert "the health visitor reported a missed health-visiting contact" in found.evidence[0]["text"]


def test_an_account_of_contact_checked_and_contradicted_is_an_indicator(world):
    observe(
        world,
        kind="reported_contact",
        professional="gp_practice",
        contact_on=TODAY - datetime.timedelta(days=3),
        professional_says="contradicted",
    )
    found = finding(world, "disguised_compliance")
    assert found.state == RAISED and "record does not show it" in found.evidence[0]["text"]


def test_an_account_of_contact_needs_who_and_when(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        observe(world, kind="reported_contact")
    assert set(refused.value.message_dict) == {"professional", "contact_on"}


def test_sudden_compliance_noticed_at_a_plan_review_is_an_indicator(client, world):
    plan, action = plan_with_action(world, due_days_ago=-10)
    client.force_login(world.users["keyworker"])
    response = client.post(
        reverse("plans:review", args=[world.household.pk]),
        {
            "reviewed_on-day": TODAY.day,
            "reviewed_on-month": TODAY.month,
            "reviewed_on-year": TODAY.year,
            "understood_and_agreed": "True",
            "noticed": ["agreement_with_sanctions"],
            f"action_{action.pk}_status": "open",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    found = finding(world, "disguised_compliance")
    assert found.state == RAISED
    assert "Noticed at the safety plan review: unexpected agreement with sanctions" in found.evidence[0]["text"]


def test_an_observation_is_recorded_on_the_page_with_today_and_the_only_service_user_preselected(client, world):
    client.force_login(world.users["keyworker"])
    url = reverse("curiosity:observe", args=[world.household.pk])
    form = client.get(url).context["form"]
    assert form.initial == {"noticed_on": TODAY, "service_user": world.service_user.pk}
    tomorrow = TODAY + datetime.timedelta(days=1)
    data = {
        "service_user": world.service_user.pk,
        "kind": "sudden_compliance",
        "note": "Agreed at once to supervised consumption, refused for months",
        "professional_says": "not_checked",
    }
    future = {"noticed_on-day": tomorrow.day, "noticed_on-month": tomorrow.month, "noticed_on-year": tomorrow.year}
    response = client.post(url, {**data, **future})
    assert response.status_code == 200 and "today or in the past" in response.content.decode()
    now = {"noticed_on-day": TODAY.day, "noticed_on-month": TODAY.month, "noticed_on-year": TODAY.year}
    assert client.post(url, {**data, **now}).status_code == 302
    page = client.get(reverse("curiosity:tab", args=[world.household.pk])).content.decode()
    assert "Agreed at once to supervised consumption" in page and "Indicators to consider" in page


def test_an_observation_about_someone_in_another_household_is_refused(client, world):
    other = ServiceUserFactory(household=HouseholdFactory(team=world.household.team))
    client.force_login(world.users["keyworker"])
    response = client.post(
        reverse("warning-sign-observation-list"),
        {"service_user": other.pk, "kind": "sudden_compliance", "noticed_on": str(TODAY), "note": "x"},
        content_type="application/json",
    )
    assert response.status_code == 201  # their own team's family: recorded against that household
    from ostsafe.curiosity.models import Observation

    assert Observation.objects.get().household == other.household
    outsider = ServiceUserFactory()
    response = client.post(
        reverse("warning-sign-observation-list"),
        {"service_user": outsider.pk, "kind": "sudden_compliance", "noticed_on": str(TODAY), "note": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "service_user" in response.json()


def test_flags_and_what_was_noticed_are_in_the_chronology_for_the_team_only(client, world):
    concern(world)
    services.evaluate_household(world.household, TODAY)
    flag = Flag.objects.get(sign="concerns_by_others")
    services.acknowledge_flag(
        flag=flag,
        action="discussed_in_supervision",
        note="Agreed a joint visit",
        acknowledged_by=world.users["manager"],
    )
    observe(world, kind="sudden_compliance", note="Agreed at once to supervised consumption")
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("sharing:chronology", args=[world.household.pk])).content.decode()
    assert "Warning sign raised: concerns expressed by others" in page
    assert "Warning sign acknowledged: concerns expressed by others: discussed in supervision" in page
    assert "Noticed: sudden compliance with requests" in page
    client.force_login(world.users["health_visitor"])
    shared = client.get(reverse("sharing:shared_chronology", args=[world.household.pk]))
    assert shared.status_code == 200
    assert "Warning sign" not in shared.content.decode() and "Noticed:" not in shared.content.decode()


def test_the_sweep_reads_many_families_in_the_queries_of_one_and_finds_what_one_by_one_finds(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    concern(world)
    services.evaluate_all(as_of=TODAY)  # the world's flags raised: from here on the sweep only reads
    with CaptureQueriesContext(connection) as few:
        services.evaluate_all(as_of=TODAY)
    few = list(few)  # frozen now: the next request clears the log it reads
    for _ in range(6):
        household = HouseholdFactory(team=world.household.team)
        ServiceUserFactory(household=household)
        monitoring.record_concern(
            household=household,
            recorded_by=world.users["keyworker"],
            source="family_member",
            category="other",
            description="Grandmother worried about the children",
            received_on=TODAY,
        )
    swept = services.evaluate_all(as_of=TODAY)
    assert swept["written"] == 6 and swept["raised"] >= 6
    with CaptureQueriesContext(connection) as many:
        assert services.evaluate_all(as_of=TODAY)["written"] == 0
    many = list(many)  # frozen now: the next request clears the log it reads
    assert len(many) == len(few)
    for household in Flag.objects.values_list("household", flat=True).distinct():
        one = services.findings(Household.objects.get(pk=household), TODAY)
        raised = {key for key, found in one.items() if found and found.state == RAISED}
        assert raised == set(Flag.objects.open().filter(household=household).values_list("sign", flat=True))


def test_one_appointment_more_or_fewer_than_the_baseline_gives_is_not_a_change(world):
    # Half attended before; all three lately: 1.5 more than the baseline rate gives, by chance as likely as not.
    appointments(world, [A, M] * 6, ending_days_ago=50, every=10)
    appointments(world, [A, A, A], ending_days_ago=1, every=12)
    assert finding(world, "attendance_change").state == CLEAR


def test_intermittent_use_is_not_starting_use(world):
    for days_ago, positive in ((200, True), (150, False), (100, True), (60, False)):
        recorded_test(world, days_ago, "cocaine", positive=positive)
    recorded_test(world, 5, "cocaine", positive=True)
    assert finding(world, "substance_use").state == CLEAR


# Every rule clears when it stops holding --------------------------------------------------------------------------


def _hold_attendance(world):
    appointments(world, [A] * 8, ending_days_ago=50, every=14)
    appointments(world, [A, M, M, M, A, M], ending_days_ago=1, every=6)
    return lambda: TODAY + datetime.timedelta(days=300)  # the windows move on: too few appointments to say


def _hold_substance(world):
    recorded_test(world, 90, "cocaine", positive=False)
    recorded_test(world, 5, "cocaine", positive=True)
    return lambda: TODAY + datetime.timedelta(days=300)


def _hold_disengagement(world):
    appointments(world, [M, M], ending_days_ago=1, every=7)
    return lambda: TODAY + datetime.timedelta(days=40)


def _hold_another_ost_user(world):
    second = ServiceUserFactory(household=world.household)

    def stop():
        second.discharged_on = TODAY
        second.save()
        return TODAY

    return stop


def _hold_unknown_adults(world):
    member = families.add_household_member(
        household=world.household,
        added_by=world.users["keyworker"],
        role="unknown_adult",
        start_date=TODAY - datetime.timedelta(days=10),
    )

    def stop():
        member.end_date = TODAY - datetime.timedelta(days=1)  # left, as the keyworker records at the next visit
        member.save()
        return TODAY

    return stop


def _hold_child_event(kind):
    def hold(world):
        sharing.record_partner_report(
            household=world.household,
            reported_by=world.users["health_visitor"],
            kind=kind,
            child=world.child,
            happened_on=TODAY,
            details="Reported by the health visitor",
        )
        return lambda: TODAY + datetime.timedelta(days=200)

    return hold


def _hold_disguised_compliance(world):
    _, action = plan_with_action(world, due_days_ago=30)

    def stop():
        action.status = "done"
        action.save()
        return TODAY

    return stop


@pytest.mark.parametrize(
    "sign, hold",
    [
        ("attendance_change", _hold_attendance),
        ("substance_use", _hold_substance),
        ("disengagement", _hold_disengagement),
        ("another_ost_user", _hold_another_ost_user),
        ("unknown_adults", _hold_unknown_adults),
        ("child_appointments_missed", _hold_child_event("missed_immunisation")),
        ("routine_not_age_appropriate", _hold_child_event("routine_not_age_appropriate")),
        ("disguised_compliance", _hold_disguised_compliance),
    ],
)
def test_each_rule_raises_its_flag_and_clears_it_when_it_stops_holding(world, sign, hold):
    stop = hold(world)
    assert sign in services.evaluate_household(world.household, TODAY)["raised"]
    assert sign in services.evaluate_household(world.household, stop())["cleared"]
    assert not Flag.objects.open().filter(household=world.household, sign=sign).exists()


def test_with_nothing_to_judge_engagement_by_disengagement_is_unknown_not_clear(world):
    assert finding(world, "disengagement").state == UNKNOWN
    appointments(world, [A], ending_days_ago=3)
    assert finding(world, "disengagement").state == CLEAR


def test_the_tab_says_why_a_sign_is_unknown(client, world):
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("curiosity:tab", args=[world.household.pk])).content.decode()
    assert "No test results or reported use recorded" in page
    assert "No appointments, home visits or doses recorded to judge by" in page


def test_the_next_nights_sweep_rewrites_nothing_when_nothing_changed(world):
    _hold_attendance(world)
    concern(world)
    assert services.evaluate_all(as_of=TODAY)["raised"] >= 2
    assert services.evaluate_all(as_of=TODAY + datetime.timedelta(days=1))["written"] == 0


def test_the_tab_shows_evidence_dates_in_words_never_iso(client, world):
    received = TODAY - datetime.timedelta(days=3)
    concern(world, on=received)
    services.evaluate_household(world.household, TODAY)
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("curiosity:tab", args=[world.household.pk])).content.decode()
    assert f"{received.day} {received:%b %Y}: " in page and received.isoformat() not in page
