import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ostsafe.assessments import rules, services
from ostsafe.assessments.models import Question, QuestionSet, RiskLevel, RiskLevelPolicy
from ostsafe.tasks.models import Task, TaskStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def safe_answers() -> dict[str, str]:
    """Answers to every required question that raise nothing."""
    answers = {}
    for q in QuestionSet.objects.get(version=1).questions.all():
        if q.kind == "text":
            answers[q.key] = "Recorded in conversation with the family"
        else:
            values = [v for v, _ in q.choice_pairs()]
            answers[q.key] = next(v for v in values if v not in q.risk_rules)
    return answers


def started(world):
    return services.start_assessment(
        household=world.household, service_user=world.service_user, started_by=world.users["keyworker"]
    )


def complete(world, assessment, answers, level, rationale="", on=TODAY):
    services.save_answers(assessment=assessment, answers=answers, saved_by=world.users["keyworker"])
    return services.complete_assessment(
        assessment=assessment,
        practitioner_level=level,
        rationale=rationale,
        completed_by=world.users["keyworker"],
        completed_on=on,
    )


def test_every_question_carries_the_guide_text_it_comes_from():
    questions = QuestionSet.objects.get(version=1).questions.all()
    assert questions.count() >= 25
    assert all(q.guide_source for q in questions)
    assert {q.section for q in questions} == {
        "child",
        "hopes_fears",
        "substance_use",
        "other_problems",
        "adults",
        "compliance",
        "strengths",
        "reflection",
        "pregnancy",
    }


def test_suggested_level_lists_every_contributing_answer():
    questions = list(QuestionSet.objects.get(version=1).questions.all())
    answers = safe_answers() | {"domestic_abuse": "yes", "unknown_adults": "yes", "debt": "yes"}
    level, reasons = rules.suggest_level(questions, answers)
    assert level == RiskLevel.HIGH  # 3 + 2 + 1 = 6
    assert [r["reason"] for r in reasons] == ["Debt", "Domestic abuse", "Unknown adults are staying in the home"]
    assert rules.suggest_level(questions, safe_answers() | {"domestic_abuse": "yes"})[0] == RiskLevel.MEDIUM
    assert rules.suggest_level(questions, safe_answers())[0] == RiskLevel.LOW


def test_concern_about_intentional_administration_alone_makes_the_level_high():
    questions = list(QuestionSet.objects.get(version=1).questions.all())
    level, reasons = rules.suggest_level(questions, safe_answers() | {"intentional_administration": "yes"})
    assert level == RiskLevel.HIGH and reasons[0]["forces_high"]


def test_practitioner_level_differing_from_suggestion_needs_a_rationale(world):
    assessment = started(world)
    with pytest.raises(ValidationError) as error:
        complete(world, assessment, safe_answers(), RiskLevel.HIGH)
    assert "explain why" in str(error.value)
    done = complete(world, started(world), safe_answers(), RiskLevel.HIGH, rationale="Saw bottles on the floor")
    assert (done.suggested_level, done.practitioner_level) == (RiskLevel.LOW, RiskLevel.HIGH)


def test_completing_needs_every_required_question_answered(world):
    assessment = started(world)
    answers = safe_answers()
    del answers["strengths"]
    with pytest.raises(ValidationError) as error:
        complete(world, assessment, answers, RiskLevel.LOW)
    assert "What is the family doing well?" in str(error.value)


def test_level_sets_next_review_and_visit_frequency_from_the_changeable_policy(world):
    RiskLevelPolicy.objects.filter(level=RiskLevel.LOW).update(review_after_days=60, home_visit_every_days=45)
    done = complete(world, started(world), safe_answers(), RiskLevel.LOW)
    assert done.next_review_on == TODAY + datetime.timedelta(days=60)
    assert done.home_visit_every_days == 45


def test_completed_assessment_is_read_only(world):
    done = complete(world, started(world), safe_answers(), RiskLevel.LOW)
    with pytest.raises(ValidationError, match="Start a reassessment"):
        services.save_answers(assessment=done, answers={"debt": "yes"}, saved_by=world.users["keyworker"])


def test_a_new_question_version_never_changes_an_old_completed_assessment(world):
    done = complete(world, started(world), safe_answers(), RiskLevel.LOW)
    v2 = QuestionSet.objects.create(version=2, published_on=TODAY)
    for q in QuestionSet.objects.get(version=1).questions.all():
        Question.objects.create(
            question_set=v2,
            key=q.key,
            section=q.section,
            order=q.order,
            text=f"v2: {q.text}",
            guide_source=q.guide_source,
            kind=q.kind,
            choices=q.choices,
            required=q.required,
            risk_rules=q.risk_rules,
        )
    reassessment = started(world)
    assert reassessment.question_set == v2
    done.refresh_from_db()
    assert done.question_set.version == 1
    assert not any(a.question.text.startswith("v2") for a in done.answers.select_related("question"))


def test_reassessment_is_shown_beside_the_previous_one(client, world):
    complete(world, started(world), safe_answers(), RiskLevel.LOW, on=TODAY - datetime.timedelta(days=90))
    second = complete(world, started(world), safe_answers() | {"debt": "yes"}, RiskLevel.LOW)
    client.force_login(world.users["keyworker"])
    html = client.get(reverse("assessments:detail", args=[world.household.pk, second.pk])).content.decode()
    assert "beside the previous assessment of" in html
    assert html.count("Changed") == 1


def test_pregnancy_makes_a_pre_birth_task_and_the_request_closes_it(world):
    complete(world, started(world), safe_answers() | {"pregnant": "yes"}, RiskLevel.LOW, rationale="Early days")
    task = Task.objects.get(rule="assessments.pre_birth", household=world.household)
    assert task.status == TaskStatus.OPEN
    request = services.record_pre_birth_request(
        household=world.household,
        service_user=world.service_user,
        requested_on=TODAY,
        requested_to="Riverside CSC duty team",
        requested_by=world.users["keyworker"],
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    services.record_pre_birth_outcome(
        request=request, outcome="accepted", outcome_on=TODAY, note="", recorded_by=world.users["keyworker"]
    )
    request.refresh_from_db()
    assert request.get_outcome_display().startswith("Accepted")


def test_first_assessment_of_a_family_with_children_asks_for_a_home_visit(client, world):
    complete(world, started(world), safe_answers(), RiskLevel.LOW)
    task = Task.objects.get(rule="visits.home_visit_needed", household=world.household)
    assert task.assignee == world.users["keyworker"]
    client.force_login(world.users["keyworker"])
    assert "Home visit needed" in client.get(reverse("families:caseload")).content.decode()


def test_assessment_in_the_browser_flow_by_forms(client, world):
    client.force_login(world.users["keyworker"])
    response = client.post(
        reverse("assessments:start", args=[world.household.pk]), {"service_user": world.service_user.pk}
    )
    task_list = response["Location"]
    assert task_list.endswith("/answers/")
    # Section after section, each saved on its own page, each leading to the next unfinished one.
    next_url = client.get(task_list).content.decode().split('class="govuk-link govuk-task-list__link" href="')[1]
    next_url = next_url.split('"')[0]
    answers = safe_answers()
    while next_url != task_list:
        form = client.get(next_url).context["form"]
        response = client.post(next_url, {k: v for k, v in answers.items() if k in form.fields})
        next_url = response["Location"]
    decide = reverse("assessments:decide", args=[world.household.pk, task_list.rstrip("/").split("/")[-2]])
    assert decide in client.get(task_list).content.decode()
    page = client.get(decide).content.decode()
    assert "No answer raised the level" in page
    done = client.post(decide, {"practitioner_level": "low"})
    assert done.status_code == 302
    assert "Low" in client.get(done["Location"]).content.decode()


def test_api_starts_answers_and_completes_an_assessment(client, world):
    client.force_login(world.users["keyworker"])
    created = client.post(
        reverse("assessment-list"),
        {"household": world.household.pk, "service_user": world.service_user.pk},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    client.post(reverse("assessment-answers", args=[pk]), {"answers": safe_answers()}, content_type="application/json")
    refused = client.post(
        reverse("assessment-complete", args=[pk]), {"practitioner_level": "high"}, content_type="application/json"
    )
    assert refused.status_code == 400 and "rationale" in refused.json()
    done = client.post(
        reverse("assessment-complete", args=[pk]), {"practitioner_level": "low"}, content_type="application/json"
    )
    assert done.json()["status"] == "completed"


# The assessment and the family's record -----------------------------------------------------------------------------


def household_with_second_ost_user_and_unknown_adult(world):
    from ostsafe.families.models import HouseholdMember, MemberRole
    from ostsafe.families.tests.factories import ServiceUserFactory

    partner = ServiceUserFactory(household=world.household)
    HouseholdMember.objects.create(
        household=world.household,
        role=MemberRole.UNKNOWN_ADULT,
        lives_here=False,
        start_date=datetime.date.today(),
        notes="Seen at the visit",
    )
    return partner


def test_the_answers_page_prefills_what_the_record_shows(client, world):
    partner = household_with_second_ost_user_and_unknown_adult(world)
    assessment = started(world)
    client.force_login(world.users["keyworker"])
    form = client.get(reverse("assessments:answer_all", args=[world.household.pk, assessment.pk])).context["form"]
    assert form.initial["another_ost_user"] == "yes"
    assert form.initial["unknown_adults"] == "yes"
    assert form.initial["pregnant"] == "no"
    assert partner.full_name in form.fields["another_ost_user"].help_text


def test_answering_no_where_the_record_shows_yes_needs_a_reason(world):
    household_with_second_ost_user_and_unknown_adult(world)
    assessment = started(world)
    contradicting = safe_answers() | {"another_ost_user": "no", "unknown_adults": "yes"}
    with pytest.raises(ValidationError) as refused:
        services.save_answers(assessment=assessment, answers=contradicting, saved_by=world.users["keyworker"])
    assert "another_ost_user" in refused.value.message_dict and "unknown_adults" not in refused.value.message_dict
    assert not assessment.answers.exists()

    services.save_answers(
        assessment=assessment,
        answers=contradicting,
        reasons={"another_ost_user": "Partner moved out last week; the record is being updated"},
        saved_by=world.users["keyworker"],
    )
    answer = assessment.answers.get(question__key="another_ost_user")
    assert answer.value == "no" and answer.differs_from_record_because.startswith("Partner moved out")


def test_the_api_holds_answers_to_the_record_too(client, world):
    household_with_second_ost_user_and_unknown_adult(world)
    assessment = started(world)
    client.force_login(world.users["keyworker"])
    url = reverse("assessment-answers", args=[assessment.pk])
    refused = client.post(url, {"answers": {"unknown_adults": "no"}}, content_type="application/json")
    assert refused.status_code == 400 and "unknown adult reported" in refused.json()["unknown_adults"][0]
    allowed = client.post(
        url,
        {"answers": {"unknown_adults": "no"}, "reasons": {"unknown_adults": "He was a plumber, gone now"}},
        content_type="application/json",
    )
    assert allowed.status_code == 200


def test_completing_checks_the_record_again(world):
    assessment = started(world)
    services.save_answers(
        assessment=assessment, answers=safe_answers() | {"another_ost_user": "no"}, saved_by=world.users["keyworker"]
    )
    household_with_second_ost_user_and_unknown_adult(world)  # the record changes before completion
    with pytest.raises(ValidationError, match="also on OST in this household"):
        services.complete_assessment(
            assessment=assessment,
            practitioner_level="low",
            rationale="",
            completed_by=world.users["keyworker"],
            completed_on=datetime.date.today(),
        )


def test_no_level_is_suggested_while_questions_are_unanswered_and_completion_says_what_changes(client, world):
    keyworker = world.users["keyworker"]
    assessment = services.start_assessment(
        household=world.household, service_user=world.service_user, started_by=keyworker
    )
    client.force_login(keyworker)
    url = reverse("assessments:decide", args=[world.household.pk, assessment.pk])
    page = client.get(url).content.decode()
    assert "not answered yet" in page and "Suggested level" not in page
    services.save_answers(assessment=assessment, answers=safe_answers(), saved_by=keyworker)
    page = client.get(url).content.decode()
    assert "Suggested level" in page and "not answered yet" not in page
    response = client.post(url, {"practitioner_level": "low", "rationale": ""}, follow=True)
    assert "From now on, a home visit every" in response.content.decode()
