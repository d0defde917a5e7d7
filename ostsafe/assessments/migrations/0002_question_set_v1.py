"""Version 1 of the whole-family assessment questions, and the documented defaults for each risk level.

Frozen: a later version is a new migration that adds QuestionSet 2; it never edits these rows.
"""

import datetime

from django.db import migrations

Y, N = "yes", "no"


def w(weight, reason, forces_high=False):
    return {"weight": weight, "reason": reason, "forces_high": forces_high}


QUESTIONS = [
    # key, section, kind, text, help, guide source, choices, required, rules
    (
        "child_routine_age_appropriate",
        "child",
        "yes_no",
        "Is each child's daily routine appropriate for their age (meals, sleep, school or nursery, play)?",
        "",
        "Practitioners are encouraged to be aware of: a child's routine not being age appropriate.",
        [],
        True,
        {N: w(2, "A child's routine is not age-appropriate")},
    ),
    (
        "children_seen",
        "child",
        "yes_no",
        "Have you seen every child in the household for this assessment?",
        "",
        "Home visits should be regularly conducted to ensure a whole-family approach ... and to observe the "
        "child(ren) at the assessment stage.",
        [],
        True,
        {N: w(1, "Not every child has been seen")},
    ),
    (
        "child_health_appointments_missed",
        "child",
        "yes_no",
        "Has any child missed health appointments, such as immunisations or health visitor checks?",
        "",
        "Failure to attend a child's medical appointments e.g. immunisations.",
        [],
        True,
        {Y: w(2, "A child has missed health appointments")},
    ),
    (
        "child_perspective",
        "child",
        "text",
        "What would each child say about life at home?",
        "Describe the situation from the child's point of view, not the parent's.",
        "Consider the situation from the child's perspective.",
        [],
        True,
        {},
    ),
    (
        "parent_hopes",
        "hopes_fears",
        "text",
        "What are the parent's hopes for themselves and their children?",
        "",
        "Talk to parents about their own hopes and fears.",
        [],
        True,
        {},
    ),
    (
        "parent_fears",
        "hopes_fears",
        "text",
        "What are the parent's fears?",
        "",
        "Talk to parents about their own hopes and fears.",
        [],
        True,
        {},
    ),
    (
        "substance_importance",
        "substance_use",
        "choice",
        "How important is alcohol and drug use in the parent's life?",
        "",
        "Assess the importance of alcohol and drug use in the parent's life.",
        [
            ["minor", "A minor part of daily life"],
            ["significant", "Significant"],
            ["central", "Central: daily life is organised around it"],
        ],
        True,
        {
            "significant": w(1, "Substance use is significant in the parent's life"),
            "central": w(3, "Substance use is central to the parent's life"),
        },
    ),
    (
        "use_increasing",
        "substance_use",
        "yes_no",
        "Is illicit drug or alcohol use starting or increasing?",
        "",
        "Starting or increasing illicit substance or alcohol use.",
        [],
        True,
        {Y: w(2, "Illicit drug or alcohol use is starting or increasing")},
    ),
    (
        "ost_taken_in_sight_of_children",
        "substance_use",
        "yes_no",
        "Is OST medication ever taken in sight of the children?",
        "",
        "Do not take OST medication in sight of children.",
        [],
        True,
        {Y: w(2, "OST is taken in sight of the children")},
    ),
    (
        "intentional_administration",
        "substance_use",
        "yes_no",
        "Is there any concern that medication has been, or could be, given to a child on purpose?",
        "For example to settle a child or help them sleep.",
        "Practitioners should be able to address intentional administration with service users.",
        [],
        True,
        {Y: w(0, "Concern about intentional administration of medication to a child", forces_high=True)},
    ),
    (
        "debt",
        "other_problems",
        "yes_no",
        "Is debt a problem for the family?",
        "",
        "Consider what else, if anything, might be a problem e.g. debt, poor housing, domestic abuse, parental mental "
        "health.",
        [],
        True,
        {Y: w(1, "Debt")},
    ),
    (
        "poor_housing",
        "other_problems",
        "yes_no",
        "Is the housing poor or insecure?",
        "",
        "Consider what else, if anything, might be a problem e.g. debt, poor housing, domestic abuse, parental mental "
        "health.",
        [],
        True,
        {Y: w(1, "Poor or insecure housing")},
    ),
    (
        "domestic_abuse",
        "other_problems",
        "yes_no",
        "Is there domestic abuse, now or recently?",
        "",
        "Consider what else, if anything, might be a problem e.g. debt, poor housing, domestic abuse, parental mental "
        "health.",
        [],
        True,
        {Y: w(3, "Domestic abuse")},
    ),
    (
        "parental_mental_health",
        "other_problems",
        "yes_no",
        "Does a parent or carer have mental health problems?",
        "",
        "Consider what else, if anything, might be a problem e.g. debt, poor housing, domestic abuse, parental "
        "mental health.",
        [],
        True,
        {Y: w(2, "Parental mental health problems")},
    ),
    (
        "other_problems",
        "other_problems",
        "text",
        "Anything else that is a problem for the family?",
        "",
        "Consider what else, if anything, might be a problem.",
        [],
        False,
        {},
    ),
    (
        "father_partner",
        "adults",
        "text",
        "What is the role and what are the circumstances of the father or partner?",
        "",
        "Assess the role and circumstances of fathers/partners, the extended family and anyone else who has regular "
        "contact with the child.",
        [],
        True,
        {},
    ),
    (
        "extended_family",
        "adults",
        "text",
        "Who else in the extended family or wider circle has regular contact with the child?",
        "",
        "Assess the role and circumstances of fathers/partners, the extended family and anyone else who has regular "
        "contact with the child.",
        [],
        False,
        {},
    ),
    (
        "unknown_adults",
        "adults",
        "yes_no",
        "Are unknown adults staying in the family home?",
        "",
        "Unknown adults staying in the family home.",
        [],
        True,
        {Y: w(2, "Unknown adults are staying in the home")},
    ),
    (
        "another_ost_user",
        "adults",
        "yes_no",
        "Is anyone else living with the child also using OST?",
        "",
        "Someone also using OST residing with the child.",
        [],
        True,
        {Y: w(1, "Someone else living with the child also uses OST")},
    ),
    (
        "adults_views_sought",
        "adults",
        "yes_no",
        "Have you asked every adult living with the child how the family is getting on and what would make family "
        "life better?",
        "",
        "Seek the views of any adult living with the child on family functioning and what could improve family life "
        "and the child's wellbeing.",
        [],
        True,
        {N: w(0, "Not every adult's views have been sought yet")},
    ),
    (
        "all_adults_in_treatment_and_safety_planning",
        "compliance",
        "yes_no",
        "Is every adult in the home who uses drugs or alcohol engaged with treatment and safety planning?",
        "",
        "Encourage compliance with treatment and safety planning for all adults in the home.",
        [],
        True,
        {N: w(2, "Not every adult who uses substances is engaged with treatment and safety planning")},
    ),
    (
        "attendance_changed",
        "compliance",
        "yes_no",
        "Has appointment attendance become less regular?",
        "",
        "Changes in the regularity of appointment attendance.",
        [],
        True,
        {Y: w(1, "Appointment attendance has become less regular")},
    ),
    (
        "disengaging",
        "compliance",
        "yes_no",
        "Is the parent disengaging from one or more services?",
        "",
        "Disengagement from one or more services.",
        [],
        True,
        {Y: w(2, "Disengaging from services")},
    ),
    (
        "concerns_from_others",
        "compliance",
        "yes_no",
        "Have other professionals or family members expressed concerns?",
        "",
        "Concerns expressed by others including other professionals and family members.",
        [],
        True,
        {Y: w(2, "Others have expressed concerns")},
    ),
    (
        "strengths",
        "strengths",
        "text",
        "What is the family doing well?",
        "Recognise and endorse it, while being honest about the issues.",
        "Adopt a strengths-based approach ... Recognise and endorse what clients are doing well, while being honest "
        "about the issues.",
        [],
        True,
        {},
    ),
    (
        "protective_adult",
        "strengths",
        "yes_no",
        "Is there a protective adult who does not use substances and cares for the children?",
        "",
        "Assess the role and circumstances of fathers/partners, the extended family and anyone else who has regular "
        "contact with the child.",
        [],
        True,
        {N: w(1, "No protective adult who does not use substances")},
    ),
    (
        "own_attitudes",
        "reflection",
        "text",
        "Is anything in your own attitudes or reactions affecting your judgement?",
        "For example optimism, sympathy, fear, or knowing the family a long time.",
        "Consider their own attitudes and reactions in assessment. ... work with evidence, not optimism.",
        [],
        True,
        {},
    ),
    (
        "based_on_evidence",
        "reflection",
        "yes_no",
        "Is your view based on what you have seen, rather than only on what you have been told?",
        "",
        "Practitioners are encouraged to work with evidence, not optimism ... always with a healthy scepticism.",
        [],
        True,
        {N: w(1, "The view rests on what has been said rather than seen")},
    ),
    (
        "pregnant",
        "pregnancy",
        "yes_no",
        "Is the service user, or a partner living with them, pregnant?",
        "",
        "If appropriate, ask Children's Social Care to conduct a pre-birth assessment for female drug users who are "
        "pregnant.",
        [],
        True,
        {Y: w(1, "Pregnancy: plan for the baby's needs and timescales")},
    ),
]

POLICY = [("high", 28, 14), ("medium", 56, 28), ("low", 91, 91)]


def load(apps, schema_editor):
    QuestionSet = apps.get_model("assessments", "QuestionSet")
    Question = apps.get_model("assessments", "Question")
    RiskLevelPolicy = apps.get_model("assessments", "RiskLevelPolicy")
    question_set = QuestionSet.objects.create(
        version=1,
        published_on=datetime.date(2026, 11, 23),
        notes="From Adfam's guide, sections 'Seeing the child and whole family risk assessment', 'OST and risk "
        "reduction' and 'Professional curiosity and challenge'.",
    )
    for order, (key, section, kind, text, help_text, source, choices, required, rules) in enumerate(QUESTIONS, 1):
        Question.objects.create(
            question_set=question_set,
            key=key,
            section=section,
            kind=kind,
            text=text,
            help_text=help_text,
            guide_source=source,
            choices=choices,
            required=required,
            risk_rules=rules,
            order=order,
        )
    for level, review, visit in POLICY:
        RiskLevelPolicy.objects.create(level=level, review_after_days=review, home_visit_every_days=visit)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
